"""What the supervision rules (and the legal checks) share: rule names and recipients, business
time, lateness conditions (:class:`Breach`), draft ordering and helpers to read a case view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from chalicelib.cases.domain.case_view import CaseView, TimelineEntry
from chalicelib.kernel.calendar import Calendar, Pause

from .records import Level

#: Business time zone (Asia/Shanghai, no daylight saving).
BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

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
    "R15": "依申请公开超期",
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
    "R15": ("handler", "dept_head", "supervisor"),
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


