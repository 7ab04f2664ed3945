"""The case view (办件视图): one truthful projection of a case's events.

Built by ``chalicelib.cases.domain.case.project`` from the case's stored events; read by the
supervision rules (R1–R14), the legal checks (L1–L12), statistics and the public query.
Personal data is kept whole here (the record is internal); masking happens at the public edge.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.calendar import Calendar, provisional_warning, unknown_years

CaseStatus = Literal["submitted", "accepted", "in_progress", "suspended", "concluded", "rejected"]


class _View(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")


class TimelineEntry(_View):
    type: str
    at: datetime
    name: str
    event_id: str
    step_code: str | None = None
    status: str | None = None
    actor_name: str | None = None
    received_at: datetime | None = None
    first_received_at: datetime | None = None
    #: Fields the department sent beyond the contract's tables (shown to staff, never published).
    extra: dict[str, Any] | None = None


class PauseSpan(_View):
    """A special procedure (特别程序): kind A extension (延长审批) or kind B pause."""

    seq: str
    kind: Literal["A", "B"]
    name: str
    start: date
    end: date | None = None
    approver: str | None = None
    reason: str | None = None
    declared_limit: dict[str, Any] | None = None
    result: str | None = None


class StepRecord(_View):
    code: str
    name: str
    at: datetime
    status: str | None = None
    opinion: str | None = None
    actor_name: str | None = None


class SupplementRecord(_View):
    requested_at: datetime
    missing_materials: list[str] = Field(default_factory=list)
    reason: str | None = None
    received_at: datetime | None = None


class CaseResult(_View):
    code: int
    desc: str | None = None
    reason: str | None = None
    cert_name: str | None = None
    cert_no: str | None = None
    concluded_at: datetime
    fee_amount: Decimal | None = None


class Party(_View):
    """申请人 / 当事人: the applicant of an application, the party of a penalty."""

    type: str | None = None
    name: str | None = None
    id_type: str | None = None
    id_no: str | None = None
    phone: str | None = None
    in_business: bool | None = None


class PenaltyDecision(_View):
    decision_no: str | None = None
    types: list[str] = Field(default_factory=list)
    amount: Decimal | None = None
    tier: str | None = None
    tier_reason: str | None = None
    collective_discussion: bool = False
    basis_ids: list[str] = Field(default_factory=list)
    decided_at: datetime


class PenaltyRecord(_View):
    """The penalty procedure (处罚程序) milestones, for CF items."""

    opened_at: datetime | None = None
    cause: str | None = None
    officers: list[str] = Field(default_factory=list)
    notice_served_at: datetime | None = None
    proposed: dict[str, Any] | None = None
    hearing_notified: bool | None = None
    hearing_requested_at: datetime | None = None
    hearing_noticed_at: datetime | None = None
    hearing_at: datetime | None = None
    hearing_held_at: datetime | None = None
    hearing_chair: str | None = None
    decision: PenaltyDecision | None = None
    served_at: datetime | None = None
    enforced_at: datetime | None = None
    paid_amount: Decimal | None = None
    filed_at: datetime | None = None
    closed_at: datetime | None = None


class Anomaly(_View):
    """A semantically odd fact kept for the exceptions queue (异常处理), docs/DOMAIN.md §6.5."""

    code: str
    event_id: str | None = None
    message: str


class Derivation(_View):
    """How a due date was computed, so the hall can explain it (期限计算说明)."""

    start: date
    limit_value: int
    unit: str
    extension_days: int = 0
    counted: list[date] = Field(default_factory=list)
    excluded: list[date] = Field(default_factory=list)
    source: str
    explanation: str
    #: True while an open type-B special procedure stops the clock: ``due`` is then unknown.
    paused: bool = False
    #: Days still to count when paused (None when the due date is known).
    remaining: int | None = None


class CaseView(_View):
    case_no: str
    item_code: str
    item_name: str | None = None
    item_version: int | None = None
    #: The business date used to pick the item version (acceptance, 立案, else submission).
    item_bound_on: date | None = None
    dept_code: str
    region_code: str
    category: str
    status: CaseStatus
    submitted_at: datetime | None = None
    accepted_at: datetime | None = None
    concluded_at: datetime | None = None
    delivered_at: datetime | None = None
    due: date | None = None
    statutory_due: date | None = None
    due_derivation: Derivation | None = None
    statutory_derivation: Derivation | None = None
    pauses: list[PauseSpan] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    supplements: list[SupplementRecord] = Field(default_factory=list)
    result: CaseResult | None = None
    applicant: Party | None = None
    #: The keyed hash of the query password (never the password; never shown, staff views included).
    query_password_hash: str | None = None
    channel: str | None = None
    #: The code of the service point (便民服务中心/代办点) that took the application, as reported.
    service_point: str | None = None
    penalty: PenaltyRecord | None = None
    anomalies: list[Anomaly] = Field(default_factory=list)
    event_count: int = 0
    last_event_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status not in ("concluded", "rejected")

    @property
    def rejected_at_intake(self) -> bool:
        """不予受理: refused at intake (SLZTDM 2), or concluded with BJJGDM 6."""
        return self.status == "rejected" or (self.result is not None and self.result.code == 6)


def deadline_warnings(calendar: Calendar, view: CaseView) -> list[str]:
    """A warning when the case's deadlines count a year without a published schedule (staff views and
    the public progress query show it)."""
    days: list[date] = []
    for derivation in (view.due_derivation, view.statutory_derivation):
        if derivation is not None and derivation.unit == "working_day":
            days += derivation.counted  # the start day is not counted
    warning = provisional_warning(unknown_years(calendar, days))
    return [warning] if warning else []
