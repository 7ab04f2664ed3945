"""Administrative supervision rules (行政监察规则) R1–R14 as pure functions.

docs/DOMAIN.md §6.2 and the "Defaults the platform ships with" table; docs/CONTRACT.md §6.

Two kinds of rule:

* **Event rules** are true from the events alone (a rejection without a reason, a fee that differs
  from the catalog, a second supplement request …). ``raised_at`` is the triggering event's
  received time (its occurred time when the receipt time is unknown).
* **Lateness rules** compare a limit with the event that ends the exposure (the *stopper*: a
  conclusion, a delivery, a decision …). Each has a *breach instant* (00:00 +08:00 of a day): for
  R2/R3 the day after the due day; for "more than N working days" (R4, R5, R10, R11, R12) the
  first working day beyond the limit, since a holiday uses up no working day; for warnings the
  warning day. The sweep raises it
  once the instant has passed with no stopper; the event path raises it when the stopper arrives
  late. Both paths give the same draft (same ``cause``, ``raised_at`` = the breach instant), so a
  sweep run late, twice, or never still yields one identical signal per case and cause.

Warnings (R1 临期, R14 near the limit, the running step of R4) are produced by the sweep only:
raising a warning after the fact helps no one.

R7 (违法不予受理) needs a person's confirmation and is never raised automatically here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar

from chalicelib.domain.calendar import Calendar, Pause
from chalicelib.domain.case_view import CaseView, PauseSpan, PenaltyRecord, TimelineEntry
from chalicelib.domain.catalog import ItemVersion, extension_cap_param
from chalicelib.domain.rules_config import RuleConfig

#: Business time zone (Asia/Shanghai, no daylight saving).
BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

Level = Literal["yellow", "red"]

#: Rule names as published (docs/CONTRACT.md §6).
RULE_NAMES: dict[str, str] = {
    "R1": "临期",
    "R2": "超承诺期限",
    "R3": "超法定期限",
    "R4": "环节超时",
    "R5": "初审报送超期",
    "R6": "未说明理由",
    "R7": "违法不予受理",
    "R8": "未网上运行/报送不及时",
    "R9": "违规收费",
    "R10": "补正告知超期或多次补正",
    "R11": "特别程序超时/超限",
    "R12": "证照送达超期",
    "R13": "事项不符",
    "R14": "处罚办案超时",
}

#: Who is notified (docs/DOMAIN.md §6.2), as platform roles: handler 办理人, dept_head 部门负责人
#: (also stands for the approver), dept_supervision 部门监察, supervisor 监察局, legal 法制办.
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "R1": ("handler", "dept_head", "dept_supervision"),
    "R2": ("handler", "dept_head", "supervisor"),
    "R3": ("handler", "dept_head", "supervisor", "legal"),
    "R4": ("handler", "dept_supervision"),
    "R5": ("dept_head", "dept_supervision"),
    "R6": ("handler", "dept_head", "supervisor"),
    "R7": ("dept_head", "supervisor"),
    "R8": ("dept_head", "dept_supervision"),
    "R9": ("dept_head", "supervisor"),
    "R10": ("handler",),
    "R11": ("handler", "dept_head"),
    "R12": ("handler",),
    "R13": ("dept_head", "legal"),
    "R14": ("handler", "dept_head", "legal"),
}

#: Conclusion codes (办结结果代码, docs/DOMAIN.md §4.2 variant a) that need a reason: 1 不予许可, 2 作废,
#: 3 删除, 4 转报, 5 退件.
REASON_REQUIRED_CODES: dict[int, str] = {1: "不予许可", 2: "作废", 3: "删除", 4: "转报", 5: "退件"}

#: Event type names for messages; kept here so the rules do not depend on the events module.
EVENT_NAMES: dict[str, str] = {
    "submitted": "申办",
    "pre_accepted": "预受理",
    "accepted": "受理",
    "step": "审批环节",
    "supplement_requested": "补交告知",
    "supplement_received": "补交受理",
    "special_started": "特别程序开始",
    "special_ended": "特别程序结束",
    "concluded": "办结",
    "delivered": "领取/送达",
    "case_opened": "立案",
    "notice_served": "事先告知",
    "hearing_requested": "听证申请",
    "hearing_noticed": "听证通知",
    "hearing_held": "听证",
    "decided": "处罚决定",
    "served": "送达",
    "enforced": "执行",
    "closed": "结案",
}


def business_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant (a naive time is taken as +08:00)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(BUSINESS_TZ).date()


def day_start(day: date) -> datetime:
    """00:00 +08:00 of a business date."""
    return datetime.combine(day, time(0), BUSINESS_TZ)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BUSINESS_TZ)


def fmt_time(moment: datetime) -> str:
    """``2012-06-04 09:30`` in business time, for messages."""
    return aware(moment).astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


def fmt_amount(amount: Decimal) -> str:
    """``20000`` or ``99.50``: money without a trailing ``.00``."""
    text = f"{amount:,.2f}".replace(",", "")
    return text.removesuffix(".00")


@dataclass(frozen=True)
class SignalDraft:
    """A supervision signal (监察信号) before it is stored: the service dedupes on ``(case_no, cause)``."""

    rule: str
    level: Level
    case_no: str
    dept_code: str
    cause: str
    message: str
    recipients: list[str]
    raised_at: datetime
    event_id: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The dedupe key: a rule raises at most one signal per case and cause."""
        return (self.case_no, self.cause)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "case_no": self.case_no,
            "dept_code": self.dept_code,
            "cause": self.cause,
            "message": self.message,
            "recipients": list(self.recipients),
            "raised_at": self.raised_at.isoformat(),
            "event_id": self.event_id,
        }


@dataclass(frozen=True)
class Breach:
    """A lateness condition: true from ``instant`` unless the ``stopper`` came before it.

    ``stopper`` is the instant of the event that ends the exposure, None while it has not happened.
    ``warning_only`` breaches are raised by the sweep only, never retroactively by an event.
    Shared by the supervision rules and the legal checks.
    """

    code: str
    level: Level
    cause: str
    instant: datetime
    stopper: datetime | None
    message: str
    warning_only: bool = False
    event_id: str | None = None

    @property
    def pending(self) -> bool:
        return self.stopper is None

    @property
    def happened_late(self) -> bool:
        """The stopper arrived at or after the breach instant: the limit was missed."""
        return self.stopper is not None and self.stopper >= self.instant

    def true_by(self, as_of: datetime) -> bool:
        """The condition became true at or before ``as_of`` (and stays true: signals are never undone)."""
        return self.instant <= as_of and (self.stopper is None or self.stopper >= self.instant)


def next_instant(breaches: Iterable[Breach], after: datetime | None) -> datetime | None:
    """The earliest breach instant still pending (no stopper yet), strictly after ``after``."""
    times = [b.instant for b in breaches if b.pending and (after is None or b.instant > after)]
    return min(times) if times else None


class Draft(Protocol):
    """What :func:`dedupe_sorted` needs of a signal or finding draft."""

    @property
    def cause(self) -> str: ...

    @property
    def raised_at(self) -> datetime: ...


D = TypeVar("D", bound=Draft)


def dedupe_sorted(drafts: Iterable[D]) -> list[D]:
    """Keep the first draft per cause; order by raised_at, then cause (stable, deterministic)."""
    seen: set[str] = set()
    out: list[D] = []
    for d in drafts:
        if d.cause in seen:
            continue
        seen.add(d.cause)
        out.append(d)
    return sorted(out, key=lambda d: (d.raised_at, d.cause))


# --------------------------------------------------------------------------- view helpers


def received_time(entry: TimelineEntry) -> datetime:
    """When the platform received an event (its occurred time if unknown)."""
    return aware(entry.received_at or entry.at)


def timeline_entries(view: CaseView, *types: str) -> list[TimelineEntry]:
    """The case's timeline entries of the given types (all when none given), in business order."""
    chosen = (e for e in view.timeline if not types or e.type in types)
    return sorted(chosen, key=lambda e: (aware(e.at), e.event_id))


def _concluded_at(view: CaseView) -> datetime | None:
    if view.result is not None:
        return aware(view.result.concluded_at)
    return aware(view.concluded_at) if view.concluded_at else None


def _type_b_pauses(view: CaseView) -> list[Pause]:
    return [Pause(p.start, p.end) for p in view.pauses if p.kind == "B"]


def _clock_stopped_before(view: CaseView, day: date) -> bool:
    """An open type-B pause began on or before ``day``: deadlines after it are not yet known."""
    return any(p.kind == "B" and p.end is None and p.start <= day for p in view.pauses)


def _in_pause(day: date, pauses: Sequence[Pause]) -> bool:
    return any(p.start <= day and (p.end is None or day <= p.end) for p in pauses)


def add_wd(calendar: Calendar, start: date, n: int, pauses: Sequence[Pause] = ()) -> date | None:
    """The n-th working day after ``start`` outside pauses; None when it cannot be known yet
    (an open pause began on or before it, so the clock is stopped)."""
    closed = [p for p in pauses if p.end is not None]
    try:
        due = calendar.add_working_days(start, n, closed).due
    except ValueError:
        return None
    if any(p.end is None and p.start <= due for p in pauses):
        return None
    return due


def over_working_limit(calendar: Calendar, deadline: date, pauses: Sequence[Pause] = ()) -> datetime | None:
    """When "more working days than allowed" becomes true: the start of the first counted working
    day after ``deadline`` (holidays, weekends and paused days do not count). None while an open
    pause keeps that day unknown."""
    nxt = add_wd(calendar, deadline, 1, pauses)
    return day_start(nxt) if nxt is not None else None


def _limit_value(limit: dict[str, Any] | None) -> tuple[int, str] | None:
    """``{"value": 5, "unit": "working_day"}`` → (5, "working_day"); None when unusable."""
    if not limit:
        return None
    raw, unit = limit.get("value"), limit.get("unit") or "working_day"
    if isinstance(raw, bool):
        return None
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    if value < 0 or unit not in ("working_day", "calendar_day"):
        return None
    return value, unit


def _unit_name(unit: str) -> str:
    return "个工作日" if unit == "working_day" else "日"


# --------------------------------------------------------------------------- lateness rules


def _r1(view: CaseView, calendar: Calendar, cfg: RuleConfig, concluded: datetime | None) -> list[Breach]:
    due, accepted_at = view.due, view.accepted_at
    if due is None or accepted_at is None or _clock_stopped_before(view, due):
        return []
    accepted_day = business_date(accepted_at)
    pauses = _type_b_pauses(view)
    if cfg.str_value("r1_mode", accepted_day) == "ratio":
        counted = _counted_days(view, calendar, accepted_day, due, pauses)
        ratio = cfg.float_value("r1_ratio", accepted_day)
        index = math.ceil(ratio * len(counted) - 1e-9)
        if not counted or index >= len(counted):
            return []
        day = counted[index]
        what = f"截至 {day.isoformat()} 已用承诺时限 {index}/{len(counted)} 个工作日（达到 {ratio:.0%}）"
    else:
        day = calendar.previous_workday(due)
        while _in_pause(day, pauses) and day > accepted_day:
            day = calendar.previous_workday(day)
        what = f"{day.isoformat()} 是期限前的最后一个工作日"
        if day <= accepted_day:
            # A one-day promise: the "last working day before the due date" is the acceptance day
            # itself, so a near-deadline reminder would only repeat the acceptance.
            return []
    instant = day_start(day)
    message = f"临期提示：承诺办结期限为 {due.isoformat()}，{what}，办件尚未办结，请抓紧办理。"
    return [
        Breach("R1", "yellow", f"R1:due:{due.isoformat()}", instant, concluded, message, warning_only=True)
    ]


def _counted_days(
    view: CaseView, calendar: Calendar, start: date, due: date, pauses: Sequence[Pause]
) -> list[date]:
    derivation = view.due_derivation
    if derivation is not None and derivation.unit == "working_day" and derivation.counted:
        return sorted(derivation.counted)
    days: list[date] = []
    day = start
    while day < due:
        day += timedelta(days=1)
        if calendar.is_workday(day) and not _in_pause(day, pauses):
            days.append(day)
    return days


def _overdue(
    rule: str,
    label: str,
    due: date | None,
    view: CaseView,
    calendar: Calendar,
    concluded: datetime | None,
) -> list[Breach]:
    """R2 / R3: the (promised / statutory) due day ended without a conclusion."""
    if due is None or view.accepted_at is None or _clock_stopped_before(view, due):
        return []
    instant = day_start(due + timedelta(days=1))
    if concluded is not None and concluded >= instant:
        done = business_date(concluded)
        late = calendar.working_days_between(due, done)
        message = f"办件于 {done.isoformat()} 办结，超过{label} {due.isoformat()}" + (
            f"（超出 {late} 个工作日）。" if late else "。"
        )
    else:
        message = f"{label} {due.isoformat()} 已届满，办件仍未办结。"
    return [Breach(rule, "red", f"{rule}:due:{due.isoformat()}", instant, concluded, message)]


def _r4(
    view: CaseView,
    item: ItemVersion,
    calendar: Calendar,
    concluded: datetime | None,
) -> list[Breach]:
    """R4 环节超时: each completed step, and the running one, against its ``limit_days``."""
    steps = item.item.steps
    by_code = {s.code: s for s in steps}
    order = [s.code for s in steps]
    pauses = _type_b_pauses(view)
    out: list[Breach] = []
    prev_at = view.accepted_at
    # Only the item's own steps form the chain; co-department reviews (并联审批, codes outside the
    # catalog's steps) run beside it and must not move the start of the next step.
    records = sorted((r for r in view.steps if r.code in by_code), key=lambda r: aware(r.at))
    for rec in records:
        start_at, prev_at = prev_at, rec.at
        spec = by_code.get(rec.code)
        if spec is None or start_at is None:
            continue
        deadline = add_wd(calendar, business_date(start_at), spec.limit_days, pauses)
        instant = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
        if deadline is None or instant is None:
            continue
        done = business_date(rec.at)
        message = (
            f"环节「{spec.name}」（{spec.code}）时限 {spec.limit_days} 个工作日，"
            f"应于 {deadline.isoformat()} 前完成，实际于 {done.isoformat()} 完成。"
        )
        out.append(
            Breach(
                "R4",
                "yellow",
                f"R4:step:{spec.code}",
                instant,
                aware(rec.at),
                message,
            )
        )
    if concluded is not None or view.accepted_at is None:
        return out
    last = records[-1] if records else None
    if last is None:
        index: int | None = 0
    elif last.code in order:
        index = order.index(last.code) + 1
    else:
        index = None
    if index is None or index >= len(order):
        return out
    spec = steps[index]
    start_at = last.at if last is not None else view.accepted_at
    deadline = add_wd(calendar, business_date(start_at), spec.limit_days, pauses)
    running = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
    if deadline is not None and running is not None:
        message = (
            f"环节「{spec.name}」（{spec.code}）时限 {spec.limit_days} 个工作日，"
            f"应于 {deadline.isoformat()} 前完成，目前仍未完成。"
        )
        out.append(
            Breach(
                "R4",
                "yellow",
                f"R4:step:{spec.code}",
                running,
                None,
                message,
                warning_only=True,
            )
        )
    return out


def _r5(
    view: CaseView,
    item: ItemVersion,
    calendar: Calendar,
    cfg: RuleConfig,
    concluded: datetime | None,
) -> list[Breach]:
    """R5 初审报送超期: a lower-level preliminary review (下级初审) not forwarded in time."""
    if str(item.item.category_fields.get("preliminary_review", "")).strip().lower() != "true":
        return []
    if view.accepted_at is None:
        return []
    start = business_date(view.accepted_at)
    days = cfg.int_value("preliminary_review_days", start)
    pauses = _type_b_pauses(view)
    deadline = add_wd(calendar, start, days, pauses)
    instant = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
    if deadline is None or instant is None:
        return []
    message = (
        f"下级初审事项应自受理日 {start.isoformat()} 起 {days} 个工作日内"
        f"（{deadline.isoformat()} 前）报送上级机关，"
        + ("实际报送超期。" if concluded is not None else "至今未报送。")
    )
    return [
        Breach(
            "R5",
            "yellow",
            f"R5:forward:{deadline.isoformat()}",
            instant,
            concluded,
            message,
        )
    ]


def _r10_first_notice(view: CaseView, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """R10 (yellow): no supplement notice nor intake decision within 5 working days of submission."""
    if view.submitted_at is None:
        return []
    submitted = business_date(view.submitted_at)
    days = cfg.int_value("supplement_first_notice_wd", submitted)
    deadline = add_wd(calendar, submitted, days)
    if deadline is None:
        return []
    intake = timeline_entries(view, "supplement_requested", "pre_accepted", "accepted")
    decisions = [(aware(e.at), e.type, e.event_id) for e in intake]
    if not decisions and view.accepted_at is not None:
        decisions = [(aware(view.accepted_at), "accepted", "")]
    if not decisions and view.supplements:
        first = min(view.supplements, key=lambda s: aware(s.requested_at))
        decisions = [(aware(first.requested_at), "supplement_requested", "")]
    stopper, kind, event_id = min(decisions) if decisions else (None, "", "")
    instant = day_start(calendar.next_workday(deadline))
    if kind == "supplement_requested" and stopper is not None:
        what = f"首次补正告知于 {business_date(stopper).isoformat()} 才发出"
    else:
        what = "未作出补正告知或受理决定"
    message = (
        f"申请于 {submitted.isoformat()} 提交，"
        f"应在 {days} 个工作日内（{deadline.isoformat()} 前）一次性告知补正，{what}。"
    )
    return [
        Breach(
            "R10",
            "yellow",
            "R10:first_notice",
            instant,
            stopper,
            message,
            warning_only=kind != "supplement_requested",
            event_id=event_id or None,
        )
    ]


def _r11_pauses(view: CaseView, calendar: Calendar, concluded: datetime | None) -> list[Breach]:
    """R11 (yellow): a type-B special procedure lasting longer than it declared."""
    out: list[Breach] = []
    for pause in view.pauses:
        limit = _limit_value(pause.declared_limit)
        if pause.kind != "B" or limit is None or limit[0] < 1:
            continue
        value, unit = limit
        if unit == "working_day":
            deadline = calendar.add_working_days(pause.start - timedelta(days=1), value).due
            instant = day_start(calendar.next_workday(deadline))
        else:
            deadline = pause.start + timedelta(days=value - 1)
            instant = day_start(deadline + timedelta(days=1))
        stopper = day_start(pause.end) if pause.end is not None else concluded
        ended = f"实际至 {pause.end.isoformat()} 才结束" if pause.end is not None else "至今尚未结束"
        message = (
            f"特别程序「{pause.name}」申明时限 {value}{_unit_name(unit)}"
            f"（应于 {deadline.isoformat()} 前结束），{ended}。"
        )
        out.append(
            Breach(
                "R11",
                "yellow",
                f"R11:pause:{pause.seq}",
                instant,
                stopper,
                message,
            )
        )
    return out


def _r12(view: CaseView, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """R12 证照送达超期: delivery more than 10 working days after an approving conclusion."""
    if view.result is None or view.result.code != 0:
        return []
    concluded = business_date(view.result.concluded_at)
    days = cfg.int_value("delivery_wd", concluded)
    deadline = add_wd(calendar, concluded, days)
    if deadline is None:
        return []
    delivered = aware(view.delivered_at) if view.delivered_at else None
    cert = f"（{view.result.cert_name or '证照'}）"
    message = (
        f"办件于 {concluded.isoformat()} 准予办结{cert}，"
        f"应在 {days} 个工作日内（{deadline.isoformat()} 前）送达，"
        + (f"实际于 {business_date(delivered).isoformat()} 送达。" if delivered else "至今未送达。")
    )
    return [
        Breach(
            "R12", "yellow", "R12:delivery", day_start(calendar.next_workday(deadline)), delivered, message
        )
    ]


def penalty_limit(view: CaseView, item: ItemVersion | None) -> date | None:
    """The last day of a penalty case's limit (办案期限): the view's due, else 立案日 + case_limit_days."""
    if view.due is not None:
        return view.due
    penalty = view.penalty
    if penalty is None or penalty.opened_at is None or item is None or item.item.penalty is None:
        return None
    return business_date(penalty.opened_at) + timedelta(days=item.item.penalty.case_limit_days)


def penalty_stopper(penalty: PenaltyRecord) -> datetime | None:
    """What ends a penalty case's limit: the decision (处罚决定), else closing the case (结案)."""
    moments = [m for m in (penalty.decision.decided_at if penalty.decision else None, penalty.closed_at) if m]
    return min(aware(m) for m in moments) if moments else None


def _r14(view: CaseView, item: ItemVersion | None, cfg: RuleConfig) -> list[Breach]:
    """R14 处罚办案超时: yellow within ``penalty_near_days`` of the limit, red past it."""
    penalty = view.penalty
    limit = penalty_limit(view, item)
    if penalty is None or penalty.opened_at is None or limit is None:
        return []
    opened = aware(penalty.opened_at)
    decided = penalty_stopper(penalty)
    near_days = cfg.int_value("penalty_near_days", business_date(opened))
    near = max(day_start(limit - timedelta(days=near_days)), opened)
    over = day_start(limit + timedelta(days=1))
    opened_text = business_date(opened).isoformat()
    near_msg = f"处罚案件于 {opened_text} 立案，办案期限至 {limit.isoformat()}，即将届满，尚未作出处罚决定。"
    if decided is not None and decided >= over:
        over_msg = (
            f"处罚案件于 {opened_text} 立案，办案期限至 {limit.isoformat()}，"
            f"实际于 {business_date(decided).isoformat()} 才作出处罚决定。"
        )
    else:
        over_msg = f"处罚案件于 {opened_text} 立案，办案期限 {limit.isoformat()} 已届满，仍未作出处罚决定。"
    return [
        Breach("R14", "yellow", f"R14:near:{limit.isoformat()}", near, decided, near_msg, warning_only=True),
        Breach("R14", "red", f"R14:over:{limit.isoformat()}", over, decided, over_msg),
    ]


def breaches(view: CaseView, item: ItemVersion | None, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """Every lateness condition of the case, raised or not yet."""
    concluded = _concluded_at(view)
    out: list[Breach] = []
    if view.category == "CF":
        return _r14(view, item, cfg)
    out += _r1(view, calendar, cfg, concluded)
    out += _overdue("R2", "承诺办结期限", view.due, view, calendar, concluded)
    out += _overdue("R3", "法定办结期限", view.statutory_due, view, calendar, concluded)
    if item is not None:
        out += _r4(view, item, calendar, concluded)
        out += _r5(view, item, calendar, cfg, concluded)
    out += _r10_first_notice(view, calendar, cfg)
    out += _r11_pauses(view, calendar, concluded)
    out += _r12(view, calendar, cfg)
    return out


# --------------------------------------------------------------------------- event rules


class _Drafts:
    """Collects drafts for one case with the case's number and department filled in."""

    def __init__(self, view: CaseView) -> None:
        self.view = view
        self.items: list[SignalDraft] = []

    def add(
        self,
        rule: str,
        level: Level,
        cause: str,
        message: str,
        raised_at: datetime,
        event_id: str | None = None,
    ) -> None:
        self.items.append(
            SignalDraft(
                rule=rule,
                level=level,
                case_no=self.view.case_no,
                dept_code=self.view.dept_code,
                cause=cause,
                message=message,
                recipients=list(RECIPIENTS[rule]),
                raised_at=raised_at,
                event_id=event_id,
            )
        )

    def add_breach(self, b: Breach) -> None:
        self.add(b.code, b.level, b.cause, b.message, b.instant, b.event_id)


_NO_FIELD = object()


def _r6(view: CaseView, out: _Drafts) -> None:
    """R6 未说明理由: a rejection, refusal, return or void without a reason."""
    flagged = {a.event_id for a in view.anomalies if a.code == "rejected_without_reason" and a.event_id}
    for entry in timeline_entries(view, "accepted", "pre_accepted"):
        if entry.status != "rejected":
            continue
        reason = getattr(entry, "reason", _NO_FIELD)
        missing = entry.event_id in flagged if reason is _NO_FIELD else not str(reason or "").strip()
        if missing:
            what = "不予受理" if entry.type == "accepted" else "预受理不予受理"
            out.add(
                "R6",
                "red",
                f"R6:{entry.event_id}",
                f"{what}未说明理由：{fmt_time(entry.at)} 的「{EVENT_NAMES[entry.type]}」记录"
                "没有填写不予受理原因。",
                received_time(entry),
                entry.event_id,
            )
    result = view.result
    if result is not None and result.code in REASON_REQUIRED_CODES and not (result.reason or "").strip():
        entries = timeline_entries(view, "concluded")
        last = entries[-1] if entries else None
        label = REASON_REQUIRED_CODES[result.code]
        out.add(
            "R6",
            "red",
            f"R6:concluded:{result.code}",
            f"办结结果为「{label}」（代码 {result.code}），但未说明理由。",
            received_time(last) if last else aware(result.concluded_at),
            last.event_id if last else None,
        )


def _r8(view: CaseView, cfg: RuleConfig, out: _Drafts) -> None:
    """R8: yellow for late reporting (补录), red for a conclusion with no acceptance record."""
    seen: set[str] = set()
    for entry in timeline_entries(view):
        # A correction (higher data_version) is not a back-entry: use the first receipt when known.
        reported: datetime | None = getattr(entry, "first_received_at", None) or entry.received_at
        if reported is None or entry.type in seen:
            continue
        hours = cfg.int_value("late_report_hours", business_date(entry.at))
        delay = aware(reported) - aware(entry.at)
        if delay > timedelta(hours=hours):
            seen.add(entry.type)
            late_hours = int(delay.total_seconds() // 3600)
            out.add(
                "R8",
                "yellow",
                f"R8:late:{entry.type}",
                f"「{EVENT_NAMES.get(entry.type, entry.type)}」发生于 {fmt_time(entry.at)}，"
                f"至 {fmt_time(reported)} 才报送（迟报约 {late_hours} 小时，超过 {hours} 小时）。",
                aware(reported),
                entry.event_id,
            )
    if view.category == "CF" or view.result is None:
        return
    intake = timeline_entries(view, "accepted", "pre_accepted")
    if intake or view.accepted_at is not None:
        return
    concluded = timeline_entries(view, "concluded")
    last = concluded[-1] if concluded else None
    out.add(
        "R8",
        "red",
        "R8:no_acceptance",
        f"办件于 {fmt_time(view.result.concluded_at)} 办结，但没有任何受理记录，未在网上运行。",
        received_time(last) if last else aware(view.result.concluded_at),
        last.event_id if last else None,
    )


def _r9(view: CaseView, item: ItemVersion | None, out: _Drafts) -> None:
    """R9 违规收费: a fee on a no-fee item, or an amount different from the catalog standard."""
    result = view.result
    if item is None or result is None or result.fee_amount is None or result.fee_amount <= 0:
        return
    fee = item.item.fee
    entries = timeline_entries(view, "concluded")
    entry = entries[-1] if entries else None
    raised = received_time(entry) if entry else aware(result.concluded_at)
    charged = fmt_amount(result.fee_amount)
    if not fee.charged:
        message = f"违规收费：本事项目录规定不收费，办结时却收取 {charged} 元。"
    elif fee.amount is not None and result.fee_amount != fee.amount:
        message = f"违规收费：收取 {charged} 元，与目录规定的收费标准 {fmt_amount(fee.amount)} 元不符。"
    else:
        return
    out.add("R9", "red", "R9:fee", message, raised, entry.event_id if entry else None)


def _r10_repeat(view: CaseView, out: _Drafts) -> None:
    """R10 (red): a second supplement request on one case (the law allows a single notice)."""
    entries = timeline_entries(view, "supplement_requested")
    if len(entries) >= 2:
        second = entries[1]
        out.add(
            "R10",
            "red",
            "R10:repeat",
            f"多次补正：本案第 2 次补交告知发生于 {fmt_time(second.at)}，应一次性告知需补正的全部材料。",
            received_time(second),
            second.event_id,
        )
    elif len(view.supplements) >= 2:
        at = sorted(aware(s.requested_at) for s in view.supplements)[1]
        out.add(
            "R10",
            "red",
            "R10:repeat",
            f"多次补正：本案第 2 次补交告知发生于 {fmt_time(at)}，应一次性告知需补正的全部材料。",
            at,
        )


def _pause_entry(view: CaseView, pause: PauseSpan) -> TimelineEntry | None:
    event_id: str | None = getattr(pause, "event_id", None)
    entries = timeline_entries(view, "special_started")
    if event_id:
        match = [e for e in entries if e.event_id == event_id]
        if match:
            return match[0]
    same_day = [e for e in entries if business_date(e.at) == pause.start]
    return same_day[0] if same_day else None


def _r11_extensions(view: CaseView, item: ItemVersion | None, cfg: RuleConfig, out: _Drafts) -> None:
    """R11 (red): an extension (延长审批) without approver or reason, or beyond the license cap."""
    total = 0
    for pause in sorted((p for p in view.pauses if p.kind == "A"), key=lambda p: (p.start, p.seq)):
        entry = _pause_entry(view, pause)
        raised = received_time(entry) if entry else day_start(pause.start)
        event_id = entry.event_id if entry else None
        missing = [
            label
            for label, value in (("批准人", pause.approver), ("延期理由", pause.reason))
            if not (value or "").strip()
        ]
        if missing:
            out.add(
                "R11",
                "red",
                f"R11:ext:{pause.seq}",
                f"延长审批「{pause.name}」（{pause.start.isoformat()}）未记录{'和'.join(missing)}。",
                raised,
                event_id,
            )
        limit = _limit_value(pause.declared_limit)
        total += limit[0] if limit else 0
        if view.category != "XK":
            continue
        cap = cfg.int_value(extension_cap_param(item.item if item is not None else None), pause.start)
        if total > cap:
            statutory = item.item.statutory_limit.value if item is not None else None
            base = f"法定时限 {statutory} 个工作日 + " if statutory is not None else ""
            joint = "联合办理事项" if item is not None and item.item.co_departments else "行政许可"
            out.add(
                "R11",
                "red",
                "R11:cap",
                f"延长审批累计 {total} 个工作日，超过{joint}延期上限（{base}{cap} 个工作日）。",
                raised,
                event_id,
            )


def _r13(view: CaseView, item: ItemVersion | None, out: _Drafts) -> None:
    """R13 事项不符: the item is not in the catalog (in force) or belongs to another department."""
    entries = timeline_entries(view)
    first = entries[0] if entries else None
    raised = received_time(first) if first else None
    if raised is None:
        return
    bound_on = view.accepted_at or view.submitted_at or (first.at if first else None)
    on_text = business_date(bound_on).isoformat() if bound_on else ""
    if item is None:
        out.add(
            "R13",
            "red",
            "R13:item",
            f"事项编码 {view.item_code} 在 {on_text} 不在权力目录中或未生效，办件所依据的事项不符。",
            raised,
            first.event_id if first else None,
        )
    elif item.item.dept_code != view.dept_code:
        out.add(
            "R13",
            "red",
            "R13:dept",
            f"事项 {view.item_code} 的实施部门为 {item.item.dept_code}，与办件部门 {view.dept_code} 不符。",
            raised,
            first.event_id if first else None,
        )


# --------------------------------------------------------------------------- public functions


def event_signals(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
) -> list[SignalDraft]:
    """Everything the case's events make true by themselves (no clock needed).

    ``item`` is the catalog version bound to the case (None: not in the catalog → R13).
    """
    out = _Drafts(view)
    _r6(view, out)
    _r8(view, cfg, out)
    _r10_repeat(view, out)
    _r11_extensions(view, item, cfg, out)
    _r13(view, item, out)
    if view.category != "CF":
        _r9(view, item, out)
    for b in breaches(view, item, calendar, cfg):
        if not b.warning_only and b.happened_late:
            out.add_breach(b)
    return dedupe_sorted(out.items)


def time_signals(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
    as_of: datetime,
) -> list[SignalDraft]:
    """What the passing of time has made true by ``as_of``.

    Idempotent and order-free: a condition that became true at instant T is returned, with
    ``raised_at`` = T, for every ``as_of >= T``; evaluating late or twice yields the same drafts.
    """
    as_of = aware(as_of)
    out = _Drafts(view)
    for b in breaches(view, item, calendar, cfg):
        if b.true_by(as_of):
            out.add_breach(b)
    return dedupe_sorted(out.items)


def next_check_at(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
    after: datetime | None = None,
) -> datetime | None:
    """The earliest instant at which :func:`time_signals` could produce something new.

    With ``after`` (the sweep passes its ``as_of``) only instants strictly later count, so a
    swept case moves on to its next instant. None when nothing remains for time alone to raise
    (closed, or waiting on an event such as the end of an open pause).
    """
    return next_instant(breaches(view, item, calendar, cfg), aware(after) if after else None)
