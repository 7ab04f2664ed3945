"""Case projection (办件投影): from a case's append-only event log to one ``CaseView``.

``project`` is a pure function of the *set* of stored events: only the highest
``data_version`` of each ``event_id`` counts, and events are replayed in business order
(``occurred_at``, then lifecycle rank, then ``event_id``), never arrival order. Any
permutation of the same records, with or without superseded versions, gives the same view.

Deadlines follow docs/DOMAIN.md §4.5 and the defaults table: counted from the acceptance date
(立案 date for penalties), start day not counted, type-B special procedures (特别程序)
excluded day by day, type-A extensions (延长审批) added as working days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.catalog.domain.items import ItemVersion, Limit, display_code, normalize_code
from chalicelib.kernel.calendar import Calendar, Deadline, Pause

from .case_view import (
    Anomaly,
    CaseResult,
    CaseStatus,
    CaseView,
    Derivation,
    Party,
    PauseSpan,
    PenaltyDecision,
    PenaltyRecord,
    StepRecord,
    SupplementRecord,
    TimelineEntry,
)
from .events import PENALTY_CATEGORY, RESULT_CODES, STEP_NAMES, TYPE_NAMES, Actor, ExchangeEvent, unknown_fields

#: Business time zone (Asia/Shanghai has had no daylight saving since 1991).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

#: Reporting later than this after ``occurred_at`` is a late report (R8 yellow).
LATE_REPORT_AFTER = timedelta(hours=24)

ItemLookup = Callable[[str, date], ItemVersion | None]
"""The catalog version in force for an item code on a date; None when not in the catalog."""

#: Lifecycle rank: breaks ties between events that share ``occurred_at``.
LIFECYCLE_RANK: dict[str, int] = {
    name: i
    for i, name in enumerate(
        [
            "submitted",
            "pre_accepted",
            "supplement_requested",
            "supplement_received",
            "accepted",
            "special_started",
            "step",
            "special_ended",
            "concluded",
            "delivered",
        ]
    )
} | {
    name: i
    for i, name in enumerate(
        [
            "case_opened",
            "notice_served",
            "hearing_requested",
            "hearing_noticed",
            "hearing_held",
            "decided",
            "served",
            "enforced",
            "filed",
            "closed",
        ]
    )
}


def business_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant."""
    return moment.astimezone(SHANGHAI).date()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


class StoredEvent(BaseModel):
    """One record of a case's append-only log: an exchange event plus where and when it arrived.

    ``source`` is ``exchange`` (department systems), ``runtime`` (our own operation platform)
    or ``hall`` (online applications). ``seq`` is its position in the case's log.
    """

    model_config = ConfigDict(defer_build=True, extra="ignore", frozen=True)

    event_id: str
    case_no: str
    item_code: str
    type: str
    occurred_at: datetime
    data_version: int = 1
    actor: Actor | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    received_at: datetime
    seq: int
    source: str = "exchange"

    @field_validator("item_code")
    @classmethod
    def _code(cls, v: str) -> str:
        return normalize_code(v)

    @field_validator("occurred_at", "received_at")
    @classmethod
    def _tz(cls, v: datetime) -> datetime:
        return _aware(v)

    @field_validator("actor", mode="before")
    @classmethod
    def _actor(cls, v: Any) -> Any:
        """Stored actors are read leniently: unknown keys dropped, values as short text."""
        if not isinstance(v, dict):
            return v
        return {k: str(v[k])[:100] for k in Actor.model_fields if v.get(k) is not None}

    @field_validator("data", mode="before")
    @classmethod
    def _data(cls, v: Any) -> Any:
        return {} if v is None else v

    @classmethod
    def from_exchange(
        cls, event: ExchangeEvent, *, received_at: datetime, seq: int, source: str = "exchange"
    ) -> StoredEvent:
        return cls(
            event_id=event.event_id,
            case_no=event.case_no,
            item_code=event.item_code,
            type=event.type,
            occurred_at=event.occurred_at,
            data_version=event.data_version,
            actor=event.actor,
            data=event.data_dict(),
            received_at=received_at,
            seq=seq,
            source=source,
        )


# --- selection and order -----------------------------------------------------------------------


def current_events(events: Iterable[StoredEvent]) -> list[StoredEvent]:
    """Only the highest ``data_version`` of each ``event_id`` (ties: latest received, then seq)."""
    best: dict[str, StoredEvent] = {}
    for e in events:
        held = best.get(e.event_id)
        if held is None or _version_key(e) > _version_key(held):
            best[e.event_id] = e
    return list(best.values())


def _version_key(e: StoredEvent) -> tuple[int, datetime, int]:
    return (e.data_version, e.received_at, e.seq)


def business_key(e: StoredEvent) -> tuple[datetime, int, str]:
    return (e.occurred_at, LIFECYCLE_RANK.get(e.type, 99), e.event_id)


def business_order(events: Iterable[StoredEvent]) -> list[StoredEvent]:
    """Current events in business order: ``occurred_at``, lifecycle rank, ``event_id``."""
    return sorted(current_events(events), key=business_key)


# --- tolerant readers for stored ``data`` (numbers may come back as Decimal) -------------------


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, str):
        try:
            return _aware(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if v is not None]


def _seq_of(data: Mapping[str, Any]) -> str | None:
    value = data.get("seq")
    whole = _integer(value)
    if whole is not None and not isinstance(value, str):
        return str(whole)
    return _text(data, "seq")


def _limit_dict(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    amount = _integer(value.get("value"))
    if amount is None:
        return None
    return {"value": amount, "unit": str(value.get("unit") or "working_day")}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# --- the projection ------------------------------------------------------------------------------


def project(
    case_no: str,
    events: Sequence[StoredEvent],
    items: ItemLookup,
    calendar: Calendar,
    *,
    late_after: timedelta = LATE_REPORT_AFTER,
) -> CaseView:
    """Build the case view from the case's stored events.

    ``late_after``: an event received later than this after it occurred is a late report.
    Raises ``ValueError`` when no event of ``case_no`` is given (there is no case to show).
    """
    own = [e for e in events if e.case_no == case_no]
    if not own:
        raise ValueError(f"no events for case {case_no}")
    first_received: dict[str, datetime] = {}
    for e in own:
        held = first_received.get(e.event_id)
        first_received[e.event_id] = e.received_at if held is None else min(held, e.received_at)
    projection = _Projection(case_no, business_order(own), items, calendar, late_after)
    projection.first_received = first_received
    return projection.build()


class _Projection:
    def __init__(
        self,
        case_no: str,
        ordered: list[StoredEvent],
        items: ItemLookup,
        calendar: Calendar,
        late_after: timedelta,
    ):
        self.case_no = case_no
        self.late_after = late_after
        #: First receipt of each event id over all its versions: a correction is not a back-entry.
        self.first_received: dict[str, datetime] = {}
        self.events = ordered
        self.items = items
        self.calendar = calendar
        self.item_code, self.bound_on = self._binding()
        self.category = self.item_code[9:11]
        self.is_penalty = self.category == PENALTY_CATEGORY
        self.version = items(self.item_code, self.bound_on)

        self.state: CaseStatus | None = None
        self.submitted_at: datetime | None = None
        self.accepted_at: datetime | None = None
        self.concluded_at: datetime | None = None
        self.delivered_at: datetime | None = None
        self.seen_acceptance = False
        self.timeline: list[TimelineEntry] = []
        self.steps: list[StepRecord] = []
        self.supplements: list[SupplementRecord] = []
        self.pauses: dict[str, PauseSpan] = {}
        self.result: CaseResult | None = None
        self.applicant: Party | None = None
        self.accept_password: str | None = None
        self.submit_password: str | None = None
        self.channel: str | None = None
        self.service_point: str | None = None
        self.penalty: PenaltyRecord | None = PenaltyRecord() if self.is_penalty else None
        self.anomalies: list[Anomaly] = []

    # -- binding ----------------------------------------------------------------------------

    def _binding(self) -> tuple[str, date]:
        """The item code and the date its catalog version is looked up on.

        Acceptance date (立案 date for penalties), else submission date, else the first
        intake decision, else the first event.
        """

        def first(pred: Callable[[StoredEvent], bool]) -> StoredEvent | None:
            return next((e for e in self.events if pred(e)), None)

        anchor = (
            first(lambda e: e.type == "accepted" and _text(e.data, "status") in (None, "accepted"))
            or first(lambda e: e.type == "case_opened")
            or first(lambda e: e.type == "submitted")
            or first(lambda e: e.type == "accepted")
            or self.events[0]
        )
        return anchor.item_code, business_date(anchor.occurred_at)

    # -- walk ---------------------------------------------------------------------------------

    def build(self) -> CaseView:
        codes = sorted({e.item_code for e in self.events})
        if len(codes) > 1:
            self._anomaly(
                "item_code_mismatch",
                None,
                f"同一办件的事件使用了不同的事项编码：{'、'.join(display_code(c) for c in codes)}",
            )
        if self.version is None:
            self._anomaly(
                "unknown_item",
                None,
                f"事项 {display_code(self.item_code)} 在 {self.bound_on.isoformat()} 不在权力目录中或未生效",
            )
        for event in self.events:
            self._timeline(event)
            handler = getattr(self, f"_on_{event.type}", None)
            if handler is not None:
                handler(event)
            first = self.first_received.get(event.event_id, event.received_at)
            if first - event.occurred_at > self.late_after:
                hours = int(self.late_after.total_seconds() // 3600)
                self._anomaly(
                    "late_report",
                    event.event_id,
                    f"「{TYPE_NAMES.get(event.type, event.type)}」发生于 {_stamp(event.occurred_at)}，"
                    f"{_stamp(first)} 才报送，超过 {hours} 小时",
                )
        self._before_submission()
        return self._view()

    def _anomaly(self, code: str, event_id: str | None, message: str) -> None:
        self.anomalies.append(Anomaly(code=code, event_id=event_id, message=message))

    def _timeline(self, e: StoredEvent) -> None:
        name = TYPE_NAMES.get(e.type, e.type)
        status = _text(e.data, "status")
        step_code = None
        if e.type == "step":
            step_code = _text(e.data, "step_code")
            # a 行政强制 stage (coercion_steps.py) is no approval step: it goes by its own name
            name = self._step_name(e.data) if (step_code or "").startswith("QZ-") else f"{name}（{self._step_name(e.data)}）"
        elif e.type == "accepted" and status == "rejected":
            name = "不予受理"
        elif e.type == "concluded":
            code = _integer(e.data.get("result_code"))
            status = RESULT_CODES.get(code) if code is not None else None
        self.timeline.append(
            TimelineEntry(
                type=e.type,
                at=e.occurred_at,
                name=name,
                event_id=e.event_id,
                step_code=step_code,
                status=status,
                actor_name=e.actor.name if e.actor else None,
                received_at=e.received_at,
                first_received_at=self.first_received.get(e.event_id, e.received_at),
                extra=unknown_fields(e.type, e.data) or None,
            )
        )

    def _step_name(self, data: Mapping[str, Any]) -> str:
        named = _text(data, "step_name")
        if named:
            return named
        code = _text(data, "step_code") or ""
        if self.version is not None:
            declared = next((s for s in self.version.item.steps if s.code == code), None)
            if declared is not None:
                return declared.name
        return STEP_NAMES.get(code, code)

    def _set_state(self, state: CaseStatus, *, unless: tuple[CaseStatus, ...] = ()) -> None:
        if self.state not in unless:
            self.state = state

    # -- licensing family ---------------------------------------------------------------------

    def _on_submitted(self, e: StoredEvent) -> None:
        if self.submitted_at is None:
            self.submitted_at = e.occurred_at
        applicant = e.data.get("applicant")
        if isinstance(applicant, dict):
            self.applicant = _party(applicant)
        self.channel = _text(e.data, "channel") or self.channel
        self.service_point = _text(e.data, "service_point") or self.service_point
        self.submit_password = _text(e.data, "query_password_hash") or self.submit_password
        if self.state is None:
            self.state = "submitted"

    def _on_pre_accepted(self, e: StoredEvent) -> None:
        if _text(e.data, "status") == "rejected":
            self._set_state("rejected", unless=("concluded",))
            if not _text(e.data, "reason"):
                self._anomaly("rejected_without_reason", e.event_id, "预受理不予受理，未说明理由")
        elif self.state is None:
            self.state = "submitted"

    def _on_accepted(self, e: StoredEvent) -> None:
        self.seen_acceptance = True
        self.accept_password = _text(e.data, "query_password_hash") or self.accept_password
        # where the application was taken, when the submission did not say (基层延伸, docs/DOMAIN.md §11)
        self.channel = self.channel or _text(e.data, "channel")
        self.service_point = self.service_point or _text(e.data, "service_point")
        if _text(e.data, "status") == "rejected":
            self._set_state("rejected", unless=("concluded",))
            if not _text(e.data, "reason"):
                self._anomaly("rejected_without_reason", e.event_id, "不予受理，未说明理由")
            return
        if self.accepted_at is None:
            self.accepted_at = e.occurred_at
        self._set_state("accepted", unless=("concluded", "in_progress"))

    def _on_step(self, e: StoredEvent) -> None:
        self.steps.append(
            StepRecord(
                code=_text(e.data, "step_code") or "",
                name=self._step_name(e.data),
                at=e.occurred_at,
                status=_text(e.data, "status"),
                opinion=_text(e.data, "opinion"),
                actor_name=e.actor.name if e.actor else None,
            )
        )
        self._set_state("in_progress", unless=("concluded", "rejected"))

    def _on_supplement_requested(self, e: StoredEvent) -> None:
        self.supplements.append(
            SupplementRecord(
                requested_at=e.occurred_at,
                missing_materials=_texts(e.data.get("missing_materials")),
                reason=_text(e.data, "reason"),
            )
        )
        if self.state is None:
            self.state = "submitted"

    def _on_supplement_received(self, e: StoredEvent) -> None:
        waiting = [s for s in self.supplements if s.received_at is None]
        if waiting:
            waiting[-1].received_at = e.occurred_at
        if self.state is None:
            self.state = "submitted"

    def _on_special_started(self, e: StoredEvent) -> None:
        seq = _seq_of(e.data)
        kind = _text(e.data, "kind")
        if seq is None or kind not in ("A", "B") or seq in self.pauses:
            return
        self.pauses[seq] = PauseSpan(
            seq=seq,
            kind="A" if kind == "A" else "B",
            name=_text(e.data, "name") or ("延长审批" if kind == "A" else "特别程序"),
            start=business_date(e.occurred_at),
            approver=_text(e.data, "approver"),
            reason=_text(e.data, "reason"),
            declared_limit=_limit_dict(e.data.get("limit")),
        )

    def _on_special_ended(self, e: StoredEvent) -> None:
        seq = _seq_of(e.data)
        span = self.pauses.get(seq) if seq is not None else None
        if span is None:
            self._anomaly(
                "orphan_special_end", e.event_id, f"特别程序结束（序号 {seq or '未填'}）没有对应的开始记录"
            )
            return
        if span.end is None:
            span.end = business_date(e.occurred_at)
            span.result = _text(e.data, "result")

    def _on_concluded(self, e: StoredEvent) -> None:
        code = _integer(e.data.get("result_code"))
        if code is None:
            return
        if not self.seen_acceptance and code != 6:
            self._anomaly("concluded_without_acceptance", e.event_id, "办结前没有受理记录（未网上运行）")
        reason = _text(e.data, "reason")
        if 1 <= code <= 5 and not reason:
            self._anomaly(
                "rejected_without_reason", e.event_id, f"办结结果为「{RESULT_CODES[code]}」，未说明理由"
            )
        self.result = CaseResult(
            code=code,
            desc=_text(e.data, "result_desc") or RESULT_CODES.get(code),
            reason=reason,
            cert_name=_text(e.data, "cert_name"),
            cert_no=_text(e.data, "cert_no"),
            concluded_at=e.occurred_at,
            fee_amount=_number(e.data.get("fee_amount")),
        )
        self.concluded_at = e.occurred_at
        self.state = "rejected" if code == 6 else "concluded"

    def _on_delivered(self, e: StoredEvent) -> None:
        if self.delivered_at is None:
            self.delivered_at = e.occurred_at
        if self.state is None:
            self.state = "concluded"

    # -- penalty family -------------------------------------------------------------------------

    def _pen(self) -> PenaltyRecord:
        if self.penalty is None:
            self.penalty = PenaltyRecord()
        return self.penalty

    def _on_case_opened(self, e: StoredEvent) -> None:
        pen = self._pen()
        if pen.opened_at is None:
            pen.opened_at = e.occurred_at
            self.accepted_at = e.occurred_at
        pen.cause = _text(e.data, "cause") or pen.cause
        pen.officers = _texts(e.data.get("officers")) or pen.officers
        party = e.data.get("party")
        if isinstance(party, dict):
            self.applicant = _party(party)
        self._set_state("accepted", unless=("in_progress", "concluded"))

    def _advance(self) -> None:
        self._set_state("in_progress", unless=("concluded",))

    def _on_notice_served(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.notice_served_at = pen.notice_served_at or e.occurred_at
        proposed = e.data.get("proposed")
        if isinstance(proposed, dict):
            pen.proposed = {
                "types": _texts(proposed.get("types")),
                "amount": _number(proposed.get("amount")),
                "tier": _text(proposed, "tier"),
            }
        notified = e.data.get("hearing_notified")
        if isinstance(notified, bool):
            pen.hearing_notified = notified
        self._advance()

    def _on_hearing_requested(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.hearing_requested_at = pen.hearing_requested_at or e.occurred_at
        self._advance()

    def _on_hearing_noticed(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.hearing_noticed_at = e.occurred_at
        pen.hearing_at = _moment(e.data.get("hearing_at")) or pen.hearing_at
        self._advance()

    def _on_hearing_held(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.hearing_held_at = e.occurred_at
        pen.hearing_chair = _text(e.data, "chair") or pen.hearing_chair
        self._advance()

    def _on_decided(self, e: StoredEvent) -> None:
        self._pen().decision = PenaltyDecision(
            decision_no=_text(e.data, "decision_no"),
            types=_texts(e.data.get("types")),
            amount=_number(e.data.get("amount")),
            tier=_text(e.data, "tier"),
            tier_reason=_text(e.data, "tier_reason"),
            collective_discussion=e.data.get("collective_discussion") is True,
            basis_ids=_texts(e.data.get("basis_ids")),
            decided_at=e.occurred_at,
        )
        self._advance()

    def _on_served(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.served_at = pen.served_at or e.occurred_at
        self._advance()

    def _on_enforced(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.enforced_at = e.occurred_at
        paid = _number(e.data.get("paid_amount"))
        if paid is not None:
            pen.paid_amount = (pen.paid_amount or Decimal(0)) + paid
        self._advance()

    def _on_filed(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.filed_at = pen.filed_at or e.occurred_at

    def _on_closed(self, e: StoredEvent) -> None:
        pen = self._pen()
        pen.closed_at = pen.closed_at or e.occurred_at
        self.concluded_at = pen.closed_at
        self.state = "concluded"

    # -- checks after the walk --------------------------------------------------------------------

    def _before_submission(self) -> None:
        if self.submitted_at is None:
            return
        for e in self.events:
            if e.type != "submitted" and e.occurred_at < self.submitted_at:
                self._anomaly(
                    "event_before_submission",
                    e.event_id,
                    f"「{TYPE_NAMES.get(e.type, e.type)}」发生时间 {_stamp(e.occurred_at)} 早于申办时间",
                )

    # -- deadlines ----------------------------------------------------------------------------------

    def _deadlines(self) -> tuple[date | None, Derivation | None, date | None, Derivation | None]:
        if self.version is None or self.accepted_at is None:
            return None, None, None, None
        start = business_date(self.accepted_at)
        if self.is_penalty:
            terms = self.version.item.penalty
            if terms is None:
                return None, None, None, None
            due, how = self._penalty_deadline(start, terms.case_limit_days)
            return due, how, due, how
        spans = sorted(self.pauses.values(), key=lambda p: (p.start, p.seq))
        type_b = [Pause(p.start, p.end) for p in spans if p.kind == "B"]
        extension = sum(int(p.declared_limit["value"]) for p in spans if p.kind == "A" and p.declared_limit)
        item = self.version.item
        due, due_how = self._licence_deadline(start, item.promised_limit, type_b, extension, "")
        stat, stat_how = self._licence_deadline(start, item.statutory_limit, type_b, extension, "法定时限：")
        return due, due_how, stat, stat_how

    def _licence_deadline(
        self, start: date, limit: Limit, pauses: list[Pause], extension: int, prefix: str
    ) -> tuple[date | None, Derivation]:
        closed = [p for p in pauses if p.end is not None]
        working = limit.unit == "working_day"
        unit_text = "个工作日" if working else "日（自然日）"
        head = f"{prefix}自受理日 {start.isoformat()} 次日起计算 {limit.value} {unit_text}"
        head += "（不含受理当日、法定节假日及特别程序期间）" if working else "（不含受理当日及特别程序期间）"
        if extension:
            head += f"，另经批准延长 {extension} {unit_text}"
        try:
            if working:
                deadline = self.calendar.add_working_days(start, limit.value, closed, extension)
            else:
                deadline = self.calendar.add_calendar_days(start, limit.value + extension, closed)
        except (ValueError, OverflowError):
            return None, self._derivation(start, limit, extension, None, f"{head}；期限超出可计算范围", None)
        blocking = [p for p in pauses if p.end is None and p.start <= deadline.due]
        if blocking:
            since = min(p.start for p in blocking)
            counted = [d for d in deadline.counted if d < since]
            remaining = limit.value + extension - len(counted)
            paused = Deadline(
                due=deadline.due,
                counted=counted,
                source=deadline.source,
                excluded=[d for d in deadline.excluded if d < since],
                extension_days=extension,
            )
            text = (
                f"{head}；特别程序自 {since.isoformat()} 起进行中，计时暂停："
                f"已计 {len(counted)} {unit_text}，尚余 {remaining} {unit_text}，特别程序结束后顺延"
            )
            return None, self._derivation(start, limit, extension, paused, text, remaining)
        text = head
        if deadline.excluded:
            text += f"，其中 {len(deadline.excluded)} {unit_text}处于特别程序期间不计"
        text += f"，截止 {deadline.due.isoformat()}"
        if deadline.source == "weekends-only":
            text += "。注意：该年度未载入官方节假日安排，仅按周末推算"
        return deadline.due, self._derivation(start, limit, extension, deadline, text, None)

    def _penalty_deadline(self, start: date, days: int) -> tuple[date | None, Derivation]:
        limit = Limit(value=days, unit="calendar_day")
        head = f"自立案日 {start.isoformat()} 次日起计算 {days} 日（自然日，不含立案当日）"
        try:
            deadline = self.calendar.add_calendar_days(start, days)
        except (ValueError, OverflowError):
            return None, self._derivation(start, limit, 0, None, f"{head}；期限超出可计算范围", None)
        text = f"{head}，截止 {deadline.due.isoformat()}"
        return deadline.due, self._derivation(start, limit, 0, deadline, text, None)

    @staticmethod
    def _derivation(
        start: date, limit: Limit, extension: int, deadline: Deadline | None, text: str, remaining: int | None
    ) -> Derivation:
        return Derivation(
            start=start,
            limit_value=limit.value,
            unit=limit.unit,
            extension_days=extension,
            counted=list(deadline.counted) if deadline else [],
            excluded=list(deadline.excluded) if deadline else [],
            source=deadline.source if deadline else "unavailable",
            explanation=text,
            paused=remaining is not None,
            remaining=remaining,
        )

    # -- the view ------------------------------------------------------------------------------------

    def _status(self) -> CaseStatus:
        state: CaseStatus = self.state or ("accepted" if self.is_penalty else "submitted")
        open_b = any(p.kind == "B" and p.end is None for p in self.pauses.values())
        if open_b and state in ("accepted", "in_progress"):
            return "suspended"
        return state

    def _view(self) -> CaseView:
        due, due_how, stat, stat_how = self._deadlines()
        item = self.version.item if self.version else None
        return CaseView(
            case_no=self.case_no,
            item_code=self.item_code,
            item_name=item.name if item else None,
            item_version=self.version.version if self.version else None,
            item_bound_on=self.bound_on,
            dept_code=self.item_code[6:9],
            region_code=self.item_code[0:6],
            category=self.category,
            status=self._status(),
            submitted_at=self.submitted_at,
            accepted_at=self.accepted_at,
            concluded_at=self.concluded_at,
            delivered_at=self.delivered_at,
            due=due,
            statutory_due=stat,
            due_derivation=due_how,
            statutory_derivation=stat_how,
            pauses=sorted(self.pauses.values(), key=lambda p: (p.start, p.seq)),
            timeline=self.timeline,
            steps=self.steps,
            supplements=self.supplements,
            result=self.result,
            applicant=self.applicant,
            query_password_hash=self.accept_password or self.submit_password,
            channel=self.channel,
            service_point=self.service_point,
            penalty=self.penalty,
            anomalies=self.anomalies,
            event_count=len(self.events),
            last_event_at=max(e.received_at for e in self.events),
        )


def _party(raw: Mapping[str, Any]) -> Party:
    in_business = raw.get("in_business")
    return Party(
        type=_text(raw, "type"),
        name=_text(raw, "name"),
        id_type=_text(raw, "id_type"),
        id_no=_text(raw, "id_no"),
        phone=_text(raw, "phone"),
        in_business=in_business if isinstance(in_business, bool) else None,
    )
