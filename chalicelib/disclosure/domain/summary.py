"""The stored summary of a request (its ``VIEW`` record): what lists, the annual report and
supervision (R15) read without replaying the log.

Written with every record appended to the request's log, in the same transaction, so it is
never behind the log. The cases-table stream carries it to supervision (R15, event-driven) and
its ``overdue_at`` puts it in the deadline index the timer sweeps (R15, time-driven).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.kernel.calendar import Calendar
from chalicelib.public.domain import scrub

from . import terms
from .requests import STATUS_NAMES, DisclosureRequest

#: How much of the request's description a list row carries (scrubbed of personal data first, so
#: a cut never leaves half an ID number readable).
DESCRIPTION_CHARS = 120


class RequestSummary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    request_no: str
    dept_code: str
    status: str
    received_on: date
    due: date | None = None
    #: When an unanswered request becomes overdue (None: answered, or the clock stands still).
    overdue_at: datetime | None = None
    clock_state: str = "running"
    applicant_name: str | None = None
    applicant_kind: str = "person"
    report_column: str = "person"
    description: str = ""
    channel: str = "online"
    clarify_sent_on: date | None = None
    clarify_deadline: date | None = None
    clarify_late: bool = False
    extended: bool = False
    answer_type: str | None = None
    closed_on: date | None = None
    due_when_closed: date | None = None
    answered_late: bool = False
    report_row: str | None = None
    report_kind: str | None = None
    attachments: int = 0
    seq: int = 1
    last_at: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    def list_item(self, as_of: datetime) -> dict[str, Any]:
        """One row of the staff list, with the overdue flag as of ``as_of``."""
        body = self.model_dump(mode="json")
        body["status_name"] = STATUS_NAMES.get(self.status, self.status)
        # A list needs what is asked, not who typed their phone or ID number into it (summaries
        # stored before the scrub was added are scrubbed here as they are read).
        body["description"] = scrub(self.description) or ""
        body["overdue"] = self.answered_late or (self.overdue_at is not None and as_of >= self.overdue_at)
        return body


def summarize(request: DisclosureRequest, calendar: Calendar) -> RequestSummary:
    clock = request.clock(calendar)
    applicant = request.applicant
    row, kind = request.report_row() if request.closed else (None, None)
    last = request.records[-1] if request.records else {}
    return RequestSummary(
        request_no=request.request_no, dept_code=request.dept_code, status=request.status(clock),
        received_on=request.received_on, due=clock.due, overdue_at=clock.overdue_at, clock_state=clock.state,
        applicant_name=applicant.get("name"), applicant_kind=str(applicant.get("type") or "person"),
        report_column=terms.applicant_column(str(applicant.get("type") or "person"), applicant.get("org_kind")),
        description=(scrub(str(request.received.get("description") or "")) or "")[:DESCRIPTION_CHARS],
        channel=str(request.received.get("channel") or "online"),
        clarify_sent_on=clock.clarify_sent_on, clarify_deadline=clock.clarify_deadline,
        clarify_late=clock.clarify_late, extended=request.extension is not None,
        answer_type=(request.answer or {}).get("type"), closed_on=request.closed_on,
        due_when_closed=clock.due_when_closed, answered_late=clock.answered_late, report_row=row, report_kind=kind,
        attachments=len(request.attachments()), seq=int(last.get("seq") or 1),
        last_at=datetime.fromisoformat(last["at"]) if last.get("at") else None,
    )
