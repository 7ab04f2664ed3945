"""Data exchange (数据交换): departments' events into the append-only, hash-chained event log.

A case's LOG records, their idempotency markers and its HEAD (``cases.repositories.EventLog``) are
written in one transaction, conditioned on the LOG slots being free, the markers absent (new
event) or unchanged (supersession) and the HEAD unchanged — so two concurrent deliveries of the
same batch store each event exactly once.
"""
from __future__ import annotations

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
from ..repositories import CaseViews, EventLog, Head

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
    for i, status in append_cases(deps.stores, by_case, received_at, source, received).items():
        outcomes[i].status = status
    return {"results": [o.as_dict() for o in outcomes]}


def _plan(tx: Transaction, case_no: str, events: list[tuple[int, ExchangeEvent]], head: Head,
          markers: dict[str, Item], received_at: datetime, source: str,
          received: dict[int, datetime] | None) -> tuple[dict[int, str], dict[int, str]]:
    """Add one case's records to ``tx``: LOG records (slot free), markers (absent, or unchanged since
    read) and the HEAD (unchanged since read). Returns (statuses if committed, duplicates now)."""
    planned: dict[int, str] = {}
    duplicates: dict[int, str] = {}
    latest: dict[str, tuple[int, int]] = {}  # event_id → (data_version, seq) planned in this transaction
    seq, prev_hash = head.seq, head.hash
    for i, ev in events:
        marker = markers.get(ev.event_id)
        stored_version = latest[ev.event_id][0] if ev.event_id in latest else (
            int(marker.body["data_version"]) if marker else 0)
        if ev.data_version <= stored_version:
            duplicates[i] = "duplicate"
            continue
        seq += 1
        record = {
            "seq": seq, "prev_hash": prev_hash, "event_id": ev.event_id, "case_no": ev.case_no,
            "item_code": ev.item_code, "type": ev.type, "occurred_at": ev.occurred_at.isoformat(),
            "data_version": ev.data_version, "actor": ev.actor_dict(), "data": ev.data_dict(),
            "received_at": (received or {}).get(i, received_at).isoformat(), "source": source,
        }
        prev_hash = chain.link_hash(prev_hash, record)
        record["hash"] = prev_hash
        EventLog.put_record(tx, case_no, record)
        planned[i] = "superseded" if marker or ev.event_id in latest else "stored"
        latest[ev.event_id] = (ev.data_version, seq)
    for event_id, (version, at_seq) in latest.items():  # one write per marker (a transaction touches an item once)
        EventLog.put_marker(tx, case_no, event_id, version, at_seq, markers.get(event_id))
    if planned:
        EventLog.put_head(tx, case_no, seq, prev_hash, head)
    return planned, duplicates


def append_cases(stores: Stores, by_case: dict[str, list[tuple[int, ExchangeEvent]]], received_at: datetime,
                 source: str, received: dict[int, datetime] | None = None) -> dict[int, str]:
    """Append a batch's events, case by case; returns each event's status keyed by its batch index.

    Optimistic path: the cases' heads come from one BatchGetItem, every event is assumed new, and as
    many cases as fit go into one transaction (≤ 100 actions), conditioned on each head unchanged,
    each log slot free and each marker absent. A transaction that loses — a duplicate or superseding
    event, a concurrent append, a log older than its HEAD record — sends its cases to ``append``,
    which reads the markers and plans exactly; nothing is written twice either way.
    """
    heads = EventLog(stores).heads(list(by_case))
    result: dict[int, str] = {}
    careful: list[str] = []
    groups: list[list[str]] = [[]]
    actions_in, bytes_in = 0, 0
    for case_no, events in by_case.items():
        actions = 2 * len(events) + 1
        size = sum(stored_bytes(ev) for _i, ev in events)
        if actions > MAX_TRANSACTION_ACTIONS or size > TRANSACTION_BYTES:
            careful.append(case_no)
            continue
        if actions_in + actions > MAX_TRANSACTION_ACTIONS or bytes_in + size > TRANSACTION_BYTES:
            groups.append([])
            actions_in, bytes_in = 0, 0
        groups[-1].append(case_no)
        actions_in += actions
        bytes_in += size
    for group in groups:
        tx = stores.transaction()
        planned: dict[int, str] = {}
        for case_no in group:
            done, duplicates = _plan(tx, case_no, by_case[case_no], heads[case_no], {}, received_at, source,
                                     received)
            planned.update(done)
            planned.update(duplicates)  # within the batch (same event twice, older version after newer)
        try:
            tx.commit()
        except ConditionFailedError:
            careful.extend(group)
            continue
        result.update(planned)
    for case_no in careful:
        result.update(append(stores, case_no, by_case[case_no], received_at, source, received))
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
           source: str, received: dict[int, datetime] | None = None) -> dict[int, str]:
    """Append events of one case, reading its head and markers first (one query); returns each event's
    status keyed by its batch index."""
    log = EventLog(stores)
    result: dict[int, str] = {}
    todo = list(events)
    lost = 0  # transactions lost to a concurrent writer; a committed chunk costs nothing
    while todo and lost < MAX_ATTEMPTS:
        chunk, rest = _chunk(todo)
        tail = log.tail(case_no)
        tx = stores.transaction()
        planned, duplicates = _plan(tx, case_no, chunk, tail.head, tail.markers, received_at, source, received)
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
