"""Answers of the hall's public API (docs/CONTRACT.md §7): nothing personal, names masked."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from ...cases.domain.case_view import CaseStatus, Derivation
from . import Answer, Page


class PublicPause(Answer):
    kind: str
    name: str | None
    start: date | datetime
    end: date | datetime | None


class PublicTimelineEntry(Answer):
    type: str
    at: datetime
    name: str | None
    step_code: str | None = None


class PublicResult(Answer):
    """The result by its code (办结结果代码); a refusal's reason, scrubbed."""

    code: int
    desc: str
    cert_no: str | None
    cert_name: str | None
    concluded_at: datetime
    reason: str | None = None


class MaskedParty(Answer):
    name: str | None = Field(description="masked: 张*")
    type: str | None = None


class PublicPointName(Answer):
    """A registered service point's public name (never a code a department made up)."""

    name: str
    kind: str
    kind_name: str


class PublicCase(Answer):
    """Progress of a case (办件查询) as masking.public_case shows it, with calendar warnings."""

    case_no: str
    item_code: str
    item_name: str | None
    item_version: int | None
    dept_code: str
    status: CaseStatus
    submitted_at: datetime | None
    accepted_at: datetime | None
    concluded_at: datetime | None
    due: date | None
    due_derivation: Derivation | None
    statutory_due: date | None
    statutory_derivation: Derivation | None
    pauses: list[PublicPause]
    timeline: list[PublicTimelineEntry]
    result: PublicResult | None
    applicant: MaskedParty
    service_point: PublicPointName | None = Field(default=None, description="where the application was taken (基层延伸)")
    warnings: list[str]


class PublishedResult(Answer):
    """结果公开: a licence granted or a penalty decided, the party masked."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    kind: Literal["license", "penalty"]
    case_no: str
    item_code: str
    item_name: str | None
    dept_code: str
    dept_name: str | None = None
    category: str
    party: str | None
    result: str
    concluded_at: datetime
    result_code: int | None = None
    cert_no: str | None = None
    cert_name: str | None = None
    decision_no: str | None = None
    violation: str | None = None
    types: list[str] | None = None
    amount: float | None = None
    basis: list[str] | None = None


class StatFigures(Answer):
    """A period's figures (docs/CONTRACT.md §7): cases, timeliness, signals, feedback, 政府信息公开."""

    received: int
    concluded: int
    on_time: int
    on_time_rate: float | None
    yellow: int
    red: int
    complaints: int
    evaluations: int
    satisfaction_rate: float | None
    supplements: int
    disclosure_received: int = 0
    disclosure_answered: int = 0
    disclosure_on_time: int = 0
    disclosure_on_time_rate: float | None = None


class DepartmentStats(StatFigures):
    """One department's figures for the period (docs/CONTRACT.md §7)."""

    dept_code: str
    dept_name: str | None
    level: str | None
    region_code: str | None = None


class RegionStats(StatFigures):
    """A region's figures (两级): a county's departments, or a city rolled up with all its counties'."""

    region_code: str
    level: Literal["province", "city", "county"]
    departments: int


class RegionStatsPage(Page[RegionStats]):
    period: str


class StatsPage(Page[DepartmentStats]):
    period: str


class PublishedResults(Page[PublishedResult]):
    """A page of PublishedResult (``items``, ``next``)."""
