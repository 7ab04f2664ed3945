"""Data exchange (数据交换): departments' events into the append-only, hash-chained event store.

Events table layout, per case (``pk = CASE#{case_no}``):
``LOG#{seq:08d}`` one stored event version, chained by ``prev_hash``/``hash`` (tamper evidence);
``ID#{event_id}`` the idempotency marker holding the highest ``data_version`` stored.
A LOG record and its marker are written in one transaction, conditioned on the LOG slot being
free and the marker being absent (new event) or unchanged (supersession) — so two concurrent
deliveries of the same batch store each event exactly once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..domain import chain
from ..domain.catalog import InvalidCodeError, split_code
from ..domain.errors import ConflictError, ForbiddenError, NotFoundError
from ..domain.events import ExchangeEvent, parse_event
from .identity import Principal
from .ports import ConditionFailedError, Item, Stores

MAX_BATCH = 500
EVENTS_PER_TRANSACTION = 40
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


def case_pk(case_no: str) -> str:
    return f"CASE#{case_no}"


def _now() -> datetime:
    return datetime.now(UTC)


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


def ingest(stores: Stores, principal: Principal, batch: EventBatch, source: str = "exchange",
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
    received_at = _now()
    for case_no, events in by_case.items():
        for i, status in append(stores, case_no, events, received_at, source, received).items():
            outcomes[i].status = status
    return {"results": [o.as_dict() for o in outcomes]}


def append(stores: Stores, case_no: str, events: list[tuple[int, ExchangeEvent]], received_at: datetime,
           source: str, received: dict[int, datetime] | None = None) -> dict[int, str]:
    """Append events of one case; returns each event's status keyed by its batch index."""
    table = stores.table("events")
    result: dict[int, str] = {}
    todo = list(events)
    for _attempt in range(MAX_ATTEMPTS):
        if not todo:
            return result
        chunk, rest = todo[:EVENTS_PER_TRANSACTION], todo[EVENTS_PER_TRANSACTION:]
        last = table.query(case_pk(case_no), "LOG#", limit=1, forward=False).items
        seq = int(last[0].sk[4:]) if last else 0
        prev_hash = str(last[0].body.get("hash")) if last else chain.GENESIS
        markers = {m.sk[3:]: m for m in table.query(case_pk(case_no), "ID#", limit=1000).items}
        tx = stores.transaction()
        planned: list[tuple[int, str]] = []
        for i, ev in chunk:
            marker = markers.get(ev.event_id)
            stored_version = int(marker.body["data_version"]) if marker else 0
            if ev.data_version <= stored_version:
                result[i] = "duplicate"
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
            tx.put("events", Item(pk=case_pk(case_no), sk=f"LOG#{seq:08d}", body=record,
                                  gsi1pk=f"EVT#{ev.event_id}", gsi1sk=f"{ev.data_version:06d}"), if_absent=True)
            marker_item = Item(pk=case_pk(case_no), sk=f"ID#{ev.event_id}",
                               body={"event_id": ev.event_id, "data_version": ev.data_version, "seq": seq},
                               version=marker.version if marker else None)
            if marker:
                tx.put("events", marker_item, expected_version=marker.version)
            else:
                tx.put("events", marker_item, if_absent=True)
            planned.append((i, "superseded" if marker else "stored"))
        try:
            tx.commit()
        except ConditionFailedError:
            continue  # someone else appended meanwhile: re-read the head and re-plan this chunk
        for i, status in planned:
            result[i] = status
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


def import_history(stores: Stores, principal: Principal, batch: ImportBatch) -> dict[str, Any]:
    from pydantic import AwareDatetime, TypeAdapter
    from pydantic import ValidationError as PydanticError

    from ..domain.errors import ValidationError

    when = TypeAdapter(AwareDatetime)
    received: dict[int, datetime] = {}
    plain: list[Any] = []
    problems: list[dict[str, Any]] = []
    now = _now()
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
    return ingest(stores, principal, EventBatch(events=plain), source="import", received=received)


def load_log(stores: Stores, case_no: str) -> list[dict[str, Any]]:
    """The case's append-only log in sequence order."""
    return [i.body for i in stores.table("events").query_all(case_pk(case_no), "LOG#")]


def verify(stores: Stores, case_no: str) -> dict[str, Any]:
    """Recompute the case's hash chain and name the first broken link."""
    records = load_log(stores, case_no)
    if not records:
        raise NotFoundError("办件不存在")
    view = stores.table("cases").get(f"CASE#{case_no}", "VIEW")
    head = (view.body.get("_log_head") or {}) if view else {}
    known_seq = int(head.get("seq") or 0)
    # The projection remembers the last record it saw: a log now shorter than that lost its tail.
    report = chain.verify_chain(records, head_hash=head.get("hash") if known_seq == len(records) else None)
    if report.ok and known_seq > len(records):
        return {"case_no": case_no, "ok": False, "length": len(records), "first_broken_seq": len(records) + 1,
                "reason": f"日志末尾缺失：投影记录的最后一条为第 {known_seq} 条，现仅有 {len(records)} 条"}
    return {"case_no": case_no, "ok": report.ok, "length": report.length,
            "first_broken_seq": report.first_broken_seq, "reason": report.reason}
