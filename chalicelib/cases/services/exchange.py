"""Data exchange (数据交换): departments' events into the append-only, hash-chained event log.

A case's LOG records and its HEAD (``cases.repositories.EventLog``) are written in one transaction,
conditioned on the LOG slots being free and the HEAD unchanged since read (or absent, for a new
case). The HEAD carries the idempotency map (each stored event's highest ``data_version``), so the
HEAD read says which events are new, duplicate or superseding, and the condition on it means two
concurrent deliveries of the same batch store each event exactly once. (Events past the map's
``MAX_HEAD_IDS``, and logs from before the map, keep ``ID#`` marker items, conditioned as before.)

Ownership (办件归属, docs/CONTRACT.md §2 v2): a case belongs to the department that first reported it.
The HEAD carries that ``owner`` and is written in the same transaction as the case's first records
(``if_absent``), so two departments racing for one new case number cannot both win; the owner never
changes afterwards, so checking it against the HEAD a transaction is conditioned on is race-free.
A request touching another department's case is refused whole (403) before anything is written.
When a batch needs several transactions, the HEADs of its new cases are claimed first (one
transaction per ≤ 50 cases; a lost claim is taken back), so no later transaction can find one of
its cases owned by someone else after an earlier one committed.

Query passwords never reach the log: ``query_passwords.protect`` replaces them by their keyed hash
before the record is chained.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.catalog.domain.items import InvalidCodeError, split_code
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel import chain
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from chalicelib.kernel.ports import MAX_TRANSACTION_ACTIONS, ConditionFailedError, Item, Stores, Transaction

from ..domain.events import ExchangeEvent, parse_event
from ..repositories import HEAD_SK, MAX_HEAD_IDS, CaseViews, EventLog, Head, case_pk
from . import query_passwords

__all__ = ["HEAD_SK", "case_pk"]  # the key scheme, for tests that act as a concurrent writer

MAX_BATCH = 500
EVENTS_PER_TRANSACTION = 40
TRANSACTION_BYTES = 3_000_000  # DynamoDB caps a transaction at 4 MB; stored JSON escapes CJK text (\uXXXX)
RECORD_OVERHEAD_BYTES = 800  # keys, hashes, times, marker and HEAD per event, generously
MAX_ATTEMPTS = 8


class EventBatch(BaseModel):
    """``POST /exchange/events``: at most 500 events; each is validated on its own."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
    events: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


@dataclass
class Outcome:
    event_id: str
    status: str
    errors: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "status": self.status, "errors": self.errors}


def check_scope(principal: Principal, events: Sequence[Any]) -> None:
    """A department may only send events for items of its own department (403 for the whole batch)."""
    if principal.kind != "department":
        return
    for i, raw in enumerate(events):
        code = raw.get("item_code") if isinstance(raw, dict) else None
        if not isinstance(code, str):
            continue
        try:
            parts = split_code(code)
        except InvalidCodeError:
            continue
        if parts.dept_code != principal.dept_code or (principal.region_code and parts.region_code != principal.region_code):
            raise ForbiddenError(
                "部门只能报送本部门事项的办件数据",
                [{"field": f"events.{i}.item_code", "type": "forbidden",
                  "message": f"事项 {code} 不属于本部门（{principal.dept_code}）"}],
            )


def claimants(principal: Principal, by_case: dict[str, list[tuple[int, ExchangeEvent]]]) -> dict[str, str]:
    """Which department each case of a batch is reported by: the signing department's own code, or
    (admin import) the department segment of the case's item codes, which must all agree."""
    owners: dict[str, str] = {}
    for case_no, events in by_case.items():
        if principal.kind == "department" and principal.dept_code:
            owners[case_no] = principal.dept_code
            continue
        depts = {ev.item_code[6:9] for _i, ev in events}
        if len(depts) > 1:
            raise ForbiddenError(
                f"办件 {case_no} 的事件分属不同部门，不能一并报送",
                [{"field": f"events.{i}.case_no", "type": "forbidden",
                  "message": f"办件 {case_no} 的事件事项分属部门 {'、'.join(sorted(depts))}"} for i, _ev in events],
            )
        owners[case_no] = depts.pop()
    return owners


def ingest(deps: Deps, principal: Principal, batch: EventBatch, source: str = "exchange",
           received: dict[int, datetime] | None = None) -> dict[str, Any]:
    """Store a batch; ``received`` overrides the receipt time per index (historical import only)."""
    check_scope(principal, batch.events)
    outcomes: list[Outcome] = []
    parsed: list[tuple[int, ExchangeEvent]] = []
    for i, raw in enumerate(batch.events):
        event, errors = parse_event(raw)
        event_id = raw.get("event_id") if isinstance(raw, dict) and isinstance(raw.get("event_id"), str) else ""
        if event is None or errors:
            outcomes.append(Outcome(str(event_id)[:100], "rejected", errors))
        else:
            outcomes.append(Outcome(event.event_id, "pending", []))
            parsed.append((i, event))
    by_case: dict[str, list[tuple[int, ExchangeEvent]]] = {}
    seen: set[tuple[str, int]] = set()
    for i, ev in parsed:
        key = (ev.event_id, ev.data_version)
        if key in seen:  # the same event twice in one batch: the second is a duplicate
            outcomes[i].status = "duplicate"
            continue
        seen.add(key)
        by_case.setdefault(ev.case_no, []).append((i, ev))
    received_at = deps.now()
    owners = claimants(principal, by_case)
    for i, status in append_cases(deps.stores, by_case, received_at, source, received, owners=owners,
                                  key=query_passwords.key(deps)).items():
        outcomes[i].status = status
    return {"results": [o.as_dict() for o in outcomes]}


def foreign_case_error(case_no: str, owner: str, indexes: list[int]) -> ForbiddenError:
    """403 for a request that touches a case another department owns (nothing of it is stored)."""
    message = f"办件 {case_no} 属于部门 {owner}，本次请求未保存任何数据"
    return ForbiddenError(message, [{"field": f"events.{i}.case_no", "type": "forbidden",
                                     "message": f"办件 {case_no} 由部门 {owner} 首先报送，其他部门不能报送或更正"}
                                    for i in indexes])


def check_owners(log: EventLog, heads: dict[str, Head], by_case: dict[str, list[tuple[int, ExchangeEvent]]],
                 owners: dict[str, str]) -> None:
    """Refuse the whole request when any of its cases belongs to another department."""
    for case_no, head in heads.items():
        owner = head.owner
        if owner is None and head.version is not None and head.seq > 0:
            owner = head.owner = log.legacy_owner(case_no)
        if owner and owner != owners[case_no]:
            raise foreign_case_error(case_no, owner, [i for i, _ev in by_case[case_no]])


def claim_cases(stores: Stores, heads: dict[str, Head], by_case: dict[str, list[tuple[int, ExchangeEvent]]],
                owners: dict[str, str]) -> dict[str, Head]:
    """Write the HEAD (seq 0, owner) of every case of the batch that has none yet — conditioned on the
    HEAD and the case's first log slot being free — ≤ 50 cases per transaction, before any of its
    events. A claim lost to another department takes back the claims this request made and refuses
    it (403); one lost to the same department (a concurrent delivery) or to a log older than HEAD
    records simply continues from what is there. Returns the heads to append on."""
    log = EventLog(stores)
    heads = dict(heads)
    made: list[tuple[str, int | None]] = []
    for _attempt in range(MAX_ATTEMPTS):
        todo = [c for c, h in heads.items() if h.version is None and h.seq == 0]
        if not todo:
            return heads
        lost: list[str] = []
        for start in range(0, len(todo), MAX_TRANSACTION_ACTIONS // 2):
            chunk = todo[start:start + MAX_TRANSACTION_ACTIONS // 2]
            tx = stores.transaction()
            for c in chunk:
                EventLog.claim(tx, c, owners[c])
            try:
                tx.commit()
            except ConditionFailedError:
                lost = chunk
                break
            for c in chunk:  # a record created with if_absent is at version 1 (ports.Transaction)
                heads[c] = Head(owner=owners[c], version=1)
                made.append((c, 1))
        if not lost:
            continue
        again = log.heads(lost)
        for c in lost:
            heads[c] = again[c] if again[c].version is not None else log.legacy_head(c)
        try:
            check_owners(log, {c: heads[c] for c in lost}, by_case, owners)
        except ForbiddenError:
            for c, version in made:  # take back this request's claims (unless already appended to)
                with contextlib.suppress(ConditionFailedError):
                    log.release(c, version)
            raise
    raise ConflictError("并发写入冲突，请稍后重试同一批数据（重复报送是安全的）")


def _plan(tx: Transaction, case_no: str, events: list[tuple[int, ExchangeEvent]], head: Head,
          markers: dict[str, Item], received_at: datetime, source: str,
          received: dict[int, datetime] | None, owner: str, key: bytes | None) -> tuple[dict[int, str], dict[int, str]]:
    """Add one case's records to ``tx``: LOG records (slot free) and the HEAD with its idempotency map
    (unchanged since read), plus a marker item (absent, or unchanged since read) for an event the map
    has no room for. ``markers``: the case's ``ID#`` items, read when the head's map is not complete.
    Returns (statuses if committed, duplicates now)."""
    planned: dict[int, str] = {}
    duplicates: dict[int, str] = {}
    latest: dict[str, tuple[int, int]] = {}  # event_id → (data_version, seq) planned in this transaction
    known = {eid: int(m.body["data_version"]) for eid, m in markers.items()}
    for eid, (version, _seq) in head.ids.items():
        known[eid] = max(version, known.get(eid, 0))
    seq, prev_hash = head.seq, head.hash
    for i, ev in events:
        stored_version = latest[ev.event_id][0] if ev.event_id in latest else known.get(ev.event_id, 0)
        if ev.data_version <= stored_version:
            duplicates[i] = "duplicate"
            continue
        seq += 1
        record = {
            "seq": seq, "prev_hash": prev_hash, "event_id": ev.event_id, "case_no": ev.case_no,
            "item_code": ev.item_code, "type": ev.type, "occurred_at": ev.occurred_at.isoformat(),
            "data_version": ev.data_version, "actor": ev.actor_dict(),
            "data": query_passwords.protect(ev.data_dict(), ev.case_no, key),  # never the password itself
            "received_at": (received or {}).get(i, received_at).isoformat(), "source": source,
        }
        prev_hash = chain.link_hash(prev_hash, record)
        record["hash"] = prev_hash
        EventLog.put_record(tx, case_no, record)
        planned[i] = "superseded" if ev.event_id in known or ev.event_id in latest else "stored"
        latest[ev.event_id] = (ev.data_version, seq)
    ids, complete = dict(head.ids), head.complete
    for event_id, (version, at_seq) in latest.items():
        if event_id in ids or len(ids) < MAX_HEAD_IDS:
            ids[event_id] = (version, at_seq)
        else:  # past the map: a marker item (one write per marker, a transaction touches an item once)
            EventLog.put_marker(tx, case_no, event_id, version, at_seq, markers.get(event_id))
            complete = False
    if planned:
        EventLog.put_head(tx, case_no, seq, prev_hash, head, owner, ids, complete)
    return planned, duplicates


def append_cases(stores: Stores, by_case: dict[str, list[tuple[int, ExchangeEvent]]], received_at: datetime,
                 source: str, received: dict[int, datetime] | None = None, *,
                 owners: dict[str, str], key: bytes | None = None) -> dict[int, str]:
    """Append a batch's events, case by case; returns each event's status keyed by its batch index.
    ``owners`` names the department reporting each case; a case owned by another → 403, nothing stored.
    ``key`` hashes query passwords (``query_passwords.key``).

    Optimistic path: the cases' heads come from one BatchGetItem, and with them their idempotency
    maps, so each event is planned as new, duplicate or superseding; as many cases as fit go into
    one transaction (≤ 100 actions: a record per new event and the head), conditioned on each head
    unchanged and each log slot free. A transaction that loses — a concurrent append, a log older
    than its HEAD record — sends its cases to ``append``, which reads the head and any marker items
    and plans again, as does a case whose map is not complete; nothing is written twice either way.
    """
    log = EventLog(stores)
    heads = log.heads(list(by_case))
    check_owners(log, heads, by_case, owners)
    result: dict[int, str] = {}
    careful: list[str] = []
    groups: list[list[str]] = [[]]
    actions_in, bytes_in = 0, 0
    for case_no, events in by_case.items():
        head = heads[case_no]
        actions = len(events) + 1 + max(0, len(head.ids) + len(events) - MAX_HEAD_IDS)  # records, head, markers
        size = sum(stored_bytes(ev) for _i, ev in events) + len(json.dumps(head.body("")))
        if not head.complete or actions > MAX_TRANSACTION_ACTIONS or size > TRANSACTION_BYTES:
            careful.append(case_no)
            continue
        if actions_in + actions > MAX_TRANSACTION_ACTIONS or bytes_in + size > TRANSACTION_BYTES:
            groups.append([])
            actions_in, bytes_in = 0, 0
        groups[-1].append(case_no)
        actions_in += actions
        bytes_in += size
    groups = [g for g in groups if g]
    if len(groups) + len(careful) > 1:  # several transactions: own every new case before any event
        heads = claim_cases(stores, heads, by_case, owners)
    lost: list[str] = []
    for group in groups:
        tx = stores.transaction()
        planned: dict[int, str] = {}
        for case_no in group:
            done, duplicates = _plan(tx, case_no, by_case[case_no], heads[case_no], {}, received_at, source,
                                     received, owners[case_no], key)
            planned.update(done)
            planned.update(duplicates)  # within the batch (same event twice, older version after newer)
        try:
            tx.commit()
        except ConditionFailedError:
            lost.extend(group)
            continue
        result.update(planned)
    if lost:  # re-read: a lost race for a new case may have made it another department's
        fresh = log.heads(lost)
        check_owners(log, fresh, by_case, owners)
        claim_cases(stores, fresh, by_case, owners)
    for case_no in careful + lost:
        result.update(append(stores, case_no, by_case[case_no], received_at, source, received,
                             owner=owners[case_no], indexes=[i for i, _ev in by_case[case_no]], key=key))
    return result


def stored_bytes(ev: ExchangeEvent) -> int:
    """An upper estimate of what one event adds to a transaction (its log record, marker and head)."""
    return len(json.dumps([ev.data_dict(), ev.actor_dict()])) + RECORD_OVERHEAD_BYTES


def _chunk(todo: list[tuple[int, ExchangeEvent]]) -> tuple[list[tuple[int, ExchangeEvent]],
                                                          list[tuple[int, ExchangeEvent]]]:
    """The next events that fit one transaction: at most 40, within the byte budget, at least one."""
    size = 0
    for n, (_i, ev) in enumerate(todo[:EVENTS_PER_TRANSACTION]):
        size += stored_bytes(ev)
        if size > TRANSACTION_BYTES and n > 0:
            return todo[:n], todo[n:]
    return todo[:EVENTS_PER_TRANSACTION], todo[EVENTS_PER_TRANSACTION:]


def append(stores: Stores, case_no: str, events: list[tuple[int, ExchangeEvent]], received_at: datetime,
           source: str, received: dict[int, datetime] | None = None, *, owner: str,
           indexes: list[int] | None = None, key: bytes | None = None) -> dict[int, str]:
    """Append events of one case, reading its head and markers first (one query); returns each event's
    status keyed by its batch index. A case owned by a department other than ``owner`` → 403."""
    log = EventLog(stores)
    result: dict[int, str] = {}
    todo = list(events)
    lost = 0  # transactions lost to a concurrent writer; a committed chunk costs nothing
    while todo and lost < MAX_ATTEMPTS:
        chunk, rest = _chunk(todo)
        tail = log.tail(case_no)
        if tail.head.owner and tail.head.owner != owner:
            raise foreign_case_error(case_no, tail.head.owner,
                                     indexes if indexes is not None else [i for i, _ in chunk])
        tx = stores.transaction()
        planned, duplicates = _plan(tx, case_no, chunk, tail.head, tail.markers, received_at, source, received,
                                    owner, key)
        result.update(duplicates)
        try:
            tx.commit()
        except ConditionFailedError:
            lost += 1
            continue  # someone else appended meanwhile: re-read the head and re-plan this chunk
        result.update(planned)
        todo = rest
    if todo:
        raise ConflictError("并发写入冲突，请稍后重试同一批数据（重复报送是安全的）")
    return result


class ImportBatch(BaseModel):
    """``POST /admin/import/events``: historical records migrated from a legacy system (历史数据迁移),
    each with the time the legacy system received it (``received_at``), so timeliness rules judge
    the original reporting, not the migration."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
    events: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


def import_history(deps: Deps, principal: Principal, batch: ImportBatch) -> dict[str, Any]:
    # pydantic's TypeAdapter module is loaded here, for the rare historical import, not at cold start
    from pydantic import AwareDatetime, TypeAdapter
    from pydantic import ValidationError as PydanticError

    when = TypeAdapter(AwareDatetime)
    received: dict[int, datetime] = {}
    plain: list[Any] = []
    problems: list[dict[str, Any]] = []
    now = deps.now()
    for i, raw in enumerate(batch.events):
        if isinstance(raw, dict) and "received_at" in raw:
            raw = dict(raw)
            try:
                at = when.validate_python(raw.pop("received_at"))
            except PydanticError:
                problems.append({"field": f"events.{i}.received_at", "type": "invalid",
                                 "message": "received_at 须为带时区的 ISO 8601 时间"})
                continue
            if at > now:
                problems.append({"field": f"events.{i}.received_at", "type": "future",
                                 "message": "received_at 不能晚于当前时间"})
                continue
            received[i] = at
        plain.append(raw)
    if problems:
        raise ValidationError("历史数据的接收时间有误", problems)
    return ingest(deps, principal, EventBatch(events=plain), source="import", received=received)


def load_log(stores: Stores, case_no: str) -> list[dict[str, Any]]:
    """The case's append-only log in sequence order."""
    return EventLog(stores).records(case_no)


def verify(deps: Deps, case_no: str) -> dict[str, Any]:
    """Recompute the case's hash chain and name the first broken link."""
    log = EventLog(deps.stores)
    records = log.records(case_no)
    if not records:
        raise NotFoundError("办件不存在")
    view = CaseViews(deps.stores).get(case_no)
    # Two witnesses of where the log ends: its HEAD record (written with every append) and the head
    # the projection last saw. A log shorter than either lost its tail; a last hash unlike theirs was edited.
    witnesses = [log.head(case_no)]
    seen = (view.body.get("_log_head") or {}) if view else {}
    if seen.get("seq"):
        witnesses.append(Head(int(seen["seq"]), str(seen.get("hash") or ""), None))
    known_seq = max(w.seq for w in witnesses)
    head_hash = next((w.hash for w in witnesses if w.seq == len(records)), None)
    report = chain.verify_chain(records, head_hash=head_hash)
    if report.ok and known_seq > len(records):
        return {"case_no": case_no, "ok": False, "length": len(records), "first_broken_seq": len(records) + 1,
                "reason": f"日志末尾缺失：登记的最后一条为第 {known_seq} 条，现仅有 {len(records)} 条"}
    return {"case_no": case_no, "ok": report.ok, "length": report.length,
            "first_broken_seq": report.first_broken_seq, "reason": report.reason}
