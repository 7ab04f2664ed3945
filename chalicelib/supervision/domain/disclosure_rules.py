"""R15 依申请公开超期 (政府信息公开条例 2019 art. 30, 33; docs/DOMAIN.md §11): requests for disclosure.

* **red** ``R15:overdue`` — not answered by the end of its due day (20 working days, plus an
  approved extension, consultations left out, restarted by a clarification). Time-driven while the
  request waits (the timer sweeps the deadline index at the instant the due day ends), event-driven
  when an answer arrives after the due date (:func:`r15_event_signals`). Raised at the breach instant: the end of the due day.
* **yellow** ``R15:clarify_late`` — the clarification (补正告知) was sent after the 7 working days
  art. 30 allows. Raised when the clarification is recorded, dated the day it was sent.

Pure: the input is the request's stored summary (``disclosure.domain.summary``), whose clock
facts the disclosure context computes; a request's signals use its number as ``case_no``.
"""
from __future__ import annotations

from datetime import datetime, time

from chalicelib.disclosure.domain.clock import BUSINESS_TZ, day_end
from chalicelib.disclosure.domain.summary import RequestSummary

from .common import RECIPIENTS
from .records import SignalDraft

RULE = "R15"


def _draft(summary: RequestSummary, level: str, cause: str, message: str, at: datetime) -> SignalDraft:
    return SignalDraft(rule=RULE, level=level, case_no=summary.request_no,  # type: ignore[arg-type]
                       dept_code=summary.dept_code, cause=cause, message=message,
                       recipients=list(RECIPIENTS[RULE]), raised_at=at)


def r15_signals(summary: RequestSummary, as_of: datetime) -> list[SignalDraft]:
    """Every R15 signal the request shows as of ``as_of`` (the timer's view; idempotent: causes are
    stable)."""
    out = r15_event_signals(summary)
    if not summary.closed and summary.overdue_at is not None and as_of >= summary.overdue_at:
        due = summary.due.isoformat() if summary.due else ""
        out.append(_draft(summary, "red", f"{RULE}:overdue",
                          f"政府信息公开申请 {summary.request_no} 超过答复期限 {due} 仍未答复", summary.overdue_at))
    return out


def r15_event_signals(summary: RequestSummary) -> list[SignalDraft]:
    """What the recorded acts themselves show (the stream's view): a clarification sent late, an
    answer given late. Whether an open request is overdue is the timer's to judge: a request entered
    from the window's register days later must not turn red before its answer is entered too."""
    out: list[SignalDraft] = []
    no = summary.request_no
    if summary.clarify_late and summary.clarify_sent_on and summary.clarify_deadline:
        at = datetime.combine(summary.clarify_sent_on, time(0), BUSINESS_TZ)  # the day it was (late) sent
        out.append(_draft(summary, "yellow", f"{RULE}:clarify_late",
                          f"政府信息公开申请 {no} 的补正告知晚于收到申请后 7 个工作日（应于 "
                          f"{summary.clarify_deadline.isoformat()} 前告知，实际 {summary.clarify_sent_on.isoformat()}）", at))
    if summary.answered_late and summary.due_when_closed and summary.closed_on:
        out.append(_draft(summary, "red", f"{RULE}:overdue",
                          f"政府信息公开申请 {no} 逾期答复：答复期限 {summary.due_when_closed.isoformat()}，"
                          f"{summary.closed_on.isoformat()} 才答复", day_end(summary.due_when_closed)))
    return out
