"""Answers of the system routes: health, the calendar, this document."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from . import Answer


class Health(Answer):
    """Readiness: ``ok``, or ``degraded`` with the reasons."""

    status: Literal["ok", "degraded", "starting"]
    reasons: list[str] = []


class CalendarStatus(Answer):
    """Which years have an official holiday schedule (``official``, ``override``, ``weekends-only``)."""

    status: Literal["ok", "degraded"]
    reasons: list[str]
    warnings: list[str]
    years: dict[str, str]


class OpenApiDocument(Answer):
    """This API as OpenAPI 3.1."""

    openapi: str
    info: dict[str, Any]
    paths: dict[str, dict[str, Any]]
    components: dict[str, Any]


class CalendarRecompute(Answer):
    """Open cases whose deadlines count days of the year, rebuilt with the new schedule."""

    year: int
    examined: int
    changed: list[str] = Field(description="case numbers whose deadlines moved")
    raised: int
    withdrawn: int


class YearSchedule(Answer):
    """A year's official schedule as stored, and how many open cases' deadlines were recomputed."""

    holidays: list[date]
    workdays: list[date]
    year: int
    source: str
    recomputed: CalendarRecompute


class Deadline(Answer):
    """The due date of N working days after a date (the start day is not counted)."""

    due: date
    counted: list[date]
    source: str
    from_: date = Field(alias="from")
    working_days: int
    warnings: list[str]
