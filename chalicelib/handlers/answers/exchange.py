"""Answers of the data exchange (docs/CONTRACT.md §5) and the case record."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...cases.domain.case_view import CaseView
from . import Answer


class EventError(Answer):
    field: str
    type: str
    message: str


class ExchangeResult(Answer):
    """One event's outcome: ``rejected`` names each bad field; the batch's other events are unaffected."""

    event_id: str
    status: Literal["stored", "duplicate", "superseded", "rejected"]
    errors: list[EventError]


class ExchangeResults(Answer):
    """One result per event, in request order."""

    results: list[ExchangeResult]


class StaffPointRef(Answer):
    """The point (基层延伸) a case names, as the register knows it (or not)."""

    code: str
    registered: bool
    active: bool
    name: str | None
    kind: str | None
    kind_name: str | None
    township: str | None
    region_code: str | None


class StaffCase(CaseView):
    """The full internal case view (the query password's hash never leaves), with calendar warnings."""

    warnings: list[str]
    channel_name: str | None = Field(default=None, description="申办渠道 in Chinese (or the department's own word)")
    service_point_info: StaffPointRef | None = Field(
        default=None, description="the service point that took the application; registered=false: a code no register knows")


class ChainReport(Answer):
    """The case's hash chain recomputed: ``first_broken_seq`` names the first link that does not hold."""

    case_no: str
    ok: bool
    length: int
    first_broken_seq: int | None
    reason: str | None
