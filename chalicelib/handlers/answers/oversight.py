"""Answers of supervision (行政监察) and legal oversight (法制监督) routes (docs/CONTRACT.md §6)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from . import Answer, HistoryEntry, Page


class Swept(Answer):
    """One sweep of the time-driven rules as of an instant (sweeping twice raises nothing twice)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    as_of: datetime
    examined: int
    raised: int
    elapsed_ms: float | None = None


class NamedRiskPoint(Answer):
    """A 廉政风险点 of the case's bound item version that the record names (docs/DOMAIN.md §3.6)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    step_code: str
    step_name: str | None = None
    description: str
    level: Literal[1, 2, 3] = Field(description="1 一级（高）, 2 二级（中）, 3 三级（低）")
    level_name: str
    controls: list[str] = []
    responsible_role: str | None = None
    linked_rule_ids: list[str] = []
    item_code: str | None = None
    item_version: int | None = None


class _Raised(Answer):
    """What a signal and a finding share: the case, the department, the level, who must explain."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    level: Literal["yellow", "red"]
    case_no: str
    dept_code: str
    raised_at: datetime
    message: str
    status: str = Field(description="open, explained or closed")
    cause: str | None = None
    event_id: str | None = None
    recipients: list[str] = []
    history: list[HistoryEntry] = []
    reply_deadline: date | None = None
    reply_overdue: bool | None = Field(default=None, description="explained, and the supervisor's reply is late")
    explanation: str | None = None
    explained_at: datetime | None = None
    explained_by: str | None = None
    disposition: str | None = None
    disposition_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    step_code: str | None = Field(default=None, description="the step of the internal flow it concerns")
    risk_points: list[NamedRiskPoint] = Field(default=[], description="the risk points it names, highest level first")
    risk_level: Literal[1, 2, 3] | None = Field(default=None, description="the highest level among risk_points")


class Signal(_Raised):
    """A yellow or red signal (预警纠错) of rules R1–R15 and C1."""

    signal_id: str
    rule: str


class Finding(_Raised):
    """A legality finding (合法性检查) of checks L1–L12."""

    finding_id: str
    check: str


class CaseException(Answer):
    """An event the platform stored but could not apply (异常), kept for the supervision bureau."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    case_no: str
    dept_code: str
    code: str
    message: str
    recorded_at: datetime
    status: str
    event_id: str | None = None
    item_code: str | None = None


class SpotCheckSummary(Answer):
    """A spot check in the list: its counts, not its cases."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    spot_check_no: str
    dept_code: str
    period: str
    population: str
    status: str
    created_at: datetime
    created_by: str | None = None
    sampled: int
    reviewed: int
    wrongful_rejections: int


class SampledCase(Answer):
    model_config = ConfigDict(defer_build=True, extra="allow")
    case_no: str
    item_code: str
    item_name: str | None = None
    decided_on: date | None = None
    status: str
    review: dict[str, Any] | None = None


class SpotCheckDraw(Answer):
    """How the sample was drawn, so anyone can redraw it (reproducible: seed and candidates' digest)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    method: str
    seed: str
    eligible: int
    candidates_sha256: str


class SpotCheck(Answer):
    """A spot check (抽查) of decided cases, with its draw and each sampled case's review."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    spot_check_no: str
    dept_code: str
    period: str
    population: str
    status: str
    note: str | None = None
    created_at: datetime
    created_by: str | None = None
    completed_at: datetime | None = None
    draw: SpotCheckDraw
    cases: list[SampledCase]
    history: list[HistoryEntry] = []


class Signals(Page[Signal]):
    """A page of Signal (``items``, ``next``)."""


class Findings(Page[Finding]):
    """A page of Finding (``items``, ``next``)."""


class CaseExceptions(Page[CaseException]):
    """A page of CaseException (``items``, ``next``)."""


class SpotChecks(Page[SpotCheckSummary]):
    """A page of SpotCheckSummary (``items``, ``next``)."""
