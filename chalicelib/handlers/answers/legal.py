"""Answers of the legal office routes (法制办): normative documents, reconsideration and litigation, the
catalog views, the dated configuration."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict

from . import Answer, HistoryEntry, Page


class _Record(Answer):
    model_config = ConfigDict(defer_build=True, extra="allow")


class NormDocReviewFinding(_Record):
    point: str
    point_name: str | None = None
    text: str | None = None


class NormDocReview(_Record):
    """The legal office's review of a filing (审查): outcome and the findings by review point."""

    by: str | None = None
    on: date
    outcome: str
    findings: list[NormDocReviewFinding] = []
    note: str | None = None


class NormDocHold(_Record):
    """Filing held for missing parts (补正), with the deadline to supply them."""

    on: date
    deadline: date
    missing: list[str]
    missing_names: list[str] = []
    note: str | None = None
    supplemented_on: date | None = None
    supplement_late: bool | None = None


class NormDoc(_Record):
    """A normative document filed for the record (规范性文件备案), its parts and the filing deadline."""

    id: str
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    title: str
    doc_no: str
    published_on: date
    effective_on: date
    filed_on: date
    filed_by: str | None = None
    filing_deadline: date
    filing_working_days: int
    overdue_filing: bool
    effect_gap_days: int | None = None
    effect_gap_short: bool | None = None
    list_quarter: str | None = None
    status: str
    status_name: str
    parts: dict[str, str | None]
    hold: NormDocHold | None = None
    registered_on: date | None = None
    review: NormDocReview | None = None
    reviews: list[NormDocReview] = []
    history: list[HistoryEntry]


class PublishedNormDoc(_Record):
    id: str
    dept_code: str
    dept_name: str | None = None
    title: str
    doc_no: str
    published_on: date
    effective_on: date
    filed_on: date
    registered_on: date | None = None
    status: str
    status_name: str


class PublishedNormDocs(Page[PublishedNormDoc]):
    """The quarterly published list (filings received in the previous quarter)."""

    quarter: str
    published: bool
    publish_on: date
    filed_from: date
    filed_to: date


class ReviewLimits(_Record):
    """The limits of a reconsideration or litigation as of a day, and whether each was kept."""

    as_of: date


class Reconsideration(_Record):
    """A reconsideration (行政复议) or litigation (行政应诉) of an act on a case, with its limits."""

    id: str
    kind: str
    ref_no: str
    case_no: str
    dept_code: str
    item_code: str | None = None
    item_name: str | None = None
    act_on: date | None = None
    status: str
    limits: ReviewLimits
    decision: dict[str, Any] | None = None
    recorded_at: datetime
    recorded_by: str | None = None
    history: list[HistoryEntry]


class ReviewRate(_Record):
    """Decisions, reconsiderations and litigations per 100 decisions, by department or item."""

    dept_code: str | None = None
    dept_name: str | None = None
    item_code: str | None = None
    level: str | None = None
    decisions: int
    decided: int
    reconsiderations: int
    litigations: int
    outcomes: dict[str, int]
    revoked_or_varied: int
    revoked_or_varied_rate: float | None
    per_100_decisions: float | None
    reconsiderations_per_100_decisions: float | None
    litigations_per_100_decisions: float | None
    revoked_or_varied_per_100_decisions: float | None


class ReviewRates(Page[ReviewRate]):
    by: Literal["item", "dept"]
    period: str | None


class CatalogGroup(_Record):
    """A department's (or level's) count in a catalog view."""

    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    level_name: str | None = None
    count: int
    overdue: int | None = None


class PendingDeclaration(_Record):
    """A declaration awaiting confirmation: days waiting, overdue past the reply limit (L12)."""

    code: str
    version: int
    name: str
    category: str
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    level_name: str | None = None
    declared_at: datetime | None = None
    declared_on: date | None = None
    days_waiting: int
    reply_due: date | None = None
    overdue: bool


class CatalogTrigger(_Record):
    """An event that obliges a department to declare (a new or amended law): 目录调整触发."""

    id: str
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    title: str
    basis_id: str | None = None
    triggered_on: date
    note: str | None = None
    recorded_at: datetime
    recorded_by: str | None = None


class OverdueDeclaration(_Record):
    trigger_id: str
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    level_name: str | None = None
    title: str
    basis_id: str | None = None
    triggered_on: date
    declare_due: date
    declared_on: date | None = None
    days_overdue: int
    state: str


class RepealedCitation(_Record):
    """An item in force that still cites a repealed legal basis."""

    code: str
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    level_name: str | None = None
    basis_id: str
    basis_title: str | None = None
    article: str | None = None


class _CatalogView(Answer):
    as_of: date
    next: str | None


class PendingDeclarations(_CatalogView):
    items: list[PendingDeclaration]
    groups: list[CatalogGroup]


class OverdueDeclarations(_CatalogView):
    items: list[OverdueDeclaration]
    groups: list[CatalogGroup]


class RepealedCitations(_CatalogView):
    items: list[RepealedCitation]
    groups: list[CatalogGroup]


class GovernanceChecked(_Record):
    as_of: date
    examined: int
    found: int
    raised: int


class DatedValue(Answer):
    """A parameter's value from a date on (``effective_from`` null: from the beginning)."""

    effective_from: date | None
    value: int | float | str | bool | None


class DatedConfig(Answer):
    """The overrides as given, and every parameter's dated schedule in force."""

    overrides: dict[str, Any]
    config: dict[str, list[DatedValue]]


class NormDocs(Page[NormDoc]):
    """A page of NormDoc (``items``, ``next``)."""


class Reconsiderations(Page[Reconsideration]):
    """A page of Reconsideration (``items``, ``next``)."""
