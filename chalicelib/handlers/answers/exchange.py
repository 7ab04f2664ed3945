"""Answers of the data exchange (docs/CONTRACT.md §5) and the case record."""
from __future__ import annotations

from typing import Literal

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


class StaffCase(CaseView):
    """The full internal case view (the query password's hash never leaves), with calendar warnings."""

    warnings: list[str]


class ChainReport(Answer):
    """The case's hash chain recomputed: ``first_broken_seq`` names the first link that does not hold."""

    case_no: str
    ok: bool
    length: int
    first_broken_seq: int | None
    reason: str | None
