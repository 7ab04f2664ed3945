"""The answer clock of a request for disclosure (依申请公开答复期限), 政府信息公开条例 (2019) art. 30–33.

Pure: the calendar and the request's dated acts go in, the due date and its derivation come out.

* **Received on** (art. 31): the day the platform receives the request when that is a working day,
  otherwise the next working day.
* **20 working days** (art. 33): the answer is due on the 20th working day after the day the count
  starts (that day itself is not counted, docs/CONTRACT.md §3's rule), and is on time when given by the
  end of that day.
* **Clarification** (补正, art. 30): an unclear request is sent back once, within 7 working days of
  receipt; while the applicant clarifies the clock stands still and has no due date. When the
  clarification arrives the count **restarts** from that day (normalised like the receipt day):
  20 full working days again, whatever had run before.
* **Consultation** (征求第三方意见, art. 32–33): the working days from the day the consultation
  starts to the day it ends, both included (the platform's convention for every pause, as for
  type-B special procedures), are not counted. While a consultation is open there is no due
  date: the clock stands still.
* **Extension** (延期, art. 33): once, by at most 20 working days, approved by the head of the
  disclosure office; it adds to the count that is running.

Every act carries the business date it happened on (``on``); acts come in the order they were
recorded, which the request's lifecycle keeps in date order.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from chalicelib.kernel.calendar import Calendar, Pause

#: Answer within 20 working days of receipt (art. 33).
ANSWER_WORKING_DAYS = 20
#: An extension adds at most 20 working days, once (art. 33).
MAX_EXTENSION_WORKING_DAYS = 20
#: A clarification must be asked for within 7 working days of receipt (art. 30).
CLARIFY_WORKING_DAYS = 7
#: The third party has 15 working days to give its opinion (art. 32); shown, not enforced.
CONSULT_REPLY_WORKING_DAYS = 15

BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

ClockAct = Literal["clarify_requested", "clarified", "consult_started", "consult_ended", "extended",
                   "answered", "withdrawn"]
ClockState = Literal["running", "clarifying", "consulting", "closed"]


@dataclass(frozen=True)
class Act:
    """One dated act that moves the clock (``working_days`` only for ``extended``)."""

    type: ClockAct
    on: date
    working_days: int = 0


def receipt_day(calendar: Calendar, day: date) -> date:
    """The day a request (or a clarification) counts as received: ``day`` if it is a working day,
    else the next working day (art. 31)."""
    return day if calendar.is_workday(day) else calendar.next_workday(day)


def day_end(day: date) -> datetime:
    """The instant a business day ends (the next day's 00:00 in Asia/Shanghai)."""
    return datetime.combine(day + timedelta(days=1), time(0), BUSINESS_TZ)


@dataclass(frozen=True)
class Clock:
    """Where a request's answer clock stands after its acts."""

    received_on: date
    #: The day the running count started from: the receipt, or the (normalised) day the
    #: clarification arrived.
    start_on: date
    state: ClockState
    #: The 20th working day after ``start_on`` with consultations left out; None while the clock
    #: stands still (clarifying, consulting) — there is no due date then.
    due: date | None
    #: ``due`` without the extension (what the law gives before any extension).
    statutory_due: date | None
    extension_days: int
    pauses: tuple[Pause, ...]
    clarify_deadline: date
    clarify_sent_on: date | None
    clarified_on: date | None
    closed_on: date | None
    #: The due date in force when the request was closed (answered or withdrawn).
    due_when_closed: date | None
    derivation: tuple[str, ...] = field(default=())

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def overdue_at(self) -> datetime | None:
        """When an unanswered request becomes overdue (the end of its due day); None when the clock
        stands still or the request is closed."""
        return day_end(self.due) if self.state == "running" and self.due is not None else None

    def overdue(self, as_of: datetime) -> bool:
        """Not answered by the end of the due day (a running clock), as of ``as_of``."""
        at = self.overdue_at
        return at is not None and as_of >= at

    @property
    def answered_late(self) -> bool:
        """Closed after the due date in force at the time."""
        return (self.closed_on is not None and self.due_when_closed is not None
                and self.closed_on > self.due_when_closed)

    @property
    def clarify_late(self) -> bool:
        """The clarification was asked for after the 7 working days art. 30 allows."""
        return self.clarify_sent_on is not None and self.clarify_sent_on > self.clarify_deadline

    def working_days_left(self, calendar: Calendar, as_of: date) -> int | None:
        """Working days from ``as_of`` to the due date (negative: overdue by that many); None
        without a running clock."""
        if self.state != "running" or self.due is None:
            return None
        if as_of <= self.due:
            return calendar.working_days_between(as_of, self.due)
        return -calendar.working_days_between(self.due, as_of)


def _due(calendar: Calendar, start: date, pauses: Sequence[Pause], extension: int) -> tuple[date, date]:
    with_extension = calendar.add_working_days(start, ANSWER_WORKING_DAYS, pauses, extension).due
    statutory = calendar.add_working_days(start, ANSWER_WORKING_DAYS, pauses).due
    return with_extension, statutory


def compute(calendar: Calendar, received_on: date, acts: Iterable[Act]) -> Clock:
    """The clock after ``acts`` (in recorded order) on a request received on ``received_on``."""
    start = received_on
    pauses: list[Pause] = []
    extension = 0
    clarifying = False
    clarify_sent: date | None = None
    clarified: date | None = None
    closed: date | None = None
    due_when_closed: date | None = None
    lines = [f"{received_on.isoformat()} 收到申请（非工作日收到的，自下一工作日起算），"
             f"自次日起计 {ANSWER_WORKING_DAYS} 个工作日"]
    for act in acts:
        if act.type == "clarify_requested":
            clarifying, clarify_sent = True, act.on
            lines.append(f"{act.on.isoformat()} 一次性告知补正，补正期间不计时")
        elif act.type == "clarified":
            clarifying, clarified = False, act.on
            start, pauses, extension = receipt_day(calendar, act.on), [], 0
            lines.append(f"{act.on.isoformat()} 收到补正，自 {start.isoformat()} 次日起重新计算 "
                         f"{ANSWER_WORKING_DAYS} 个工作日")
        elif act.type == "consult_started":
            pauses.append(Pause(act.on, None))
            lines.append(f"{act.on.isoformat()} 起征求第三方意见，所需时间不计入答复期限")
        elif act.type == "consult_ended":
            if pauses and pauses[-1].end is None:
                pauses[-1] = Pause(pauses[-1].start, act.on)
                lines.append(f"{act.on.isoformat()} 征求意见结束（{pauses[-1].start.isoformat()} 至 "
                             f"{act.on.isoformat()} 不计入）")
        elif act.type == "extended":
            extension = act.working_days
            lines.append(f"{act.on.isoformat()} 经批准延长答复期限 {act.working_days} 个工作日")
        elif act.type in ("answered", "withdrawn") and closed is None:
            closed = act.on
            due_when_closed = None if clarifying or _open(pauses) else _due(calendar, start, pauses, extension)[0]
    if closed is not None:
        state: ClockState = "closed"
    elif clarifying:
        state = "clarifying"
    elif _open(pauses):
        state = "consulting"
    else:
        state = "running"
    due = statutory = None
    if state == "running":
        due, statutory = _due(calendar, start, pauses, extension)
        lines.append(f"答复期限：{due.isoformat()}")
    elif state == "closed" and due_when_closed is not None:
        due, statutory = _due(calendar, start, pauses, extension)
    clarify_deadline = calendar.add_working_days(received_on, CLARIFY_WORKING_DAYS).due
    return Clock(received_on=received_on, start_on=start, state=state, due=due, statutory_due=statutory,
                 extension_days=extension, pauses=tuple(pauses), clarify_deadline=clarify_deadline,
                 clarify_sent_on=clarify_sent, clarified_on=clarified, closed_on=closed,
                 due_when_closed=due_when_closed, derivation=tuple(lines))


def _open(pauses: Sequence[Pause]) -> bool:
    return any(p.end is None for p in pauses)
