"""Answers of the hall's feedback routes (complaints, consultations, ratings) and the evaluation."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, get_type_hints

from pydantic import ConfigDict, Field, RootModel, create_model

from ...supervision.domain import performance
from . import Answer, HistoryEntry, Page


class Filed(Answer):
    """A complaint or consultation received: its number, the query code (shown once) and the deadline."""

    received_at: datetime
    status: str
    query_code: str = Field(description="shown once; the complainant follows the case with it")


class ComplaintFiled(Filed):
    complaint_no: str
    accept_deadline: date


class ConsultationFiled(Filed):
    consultation_no: str
    answer_deadline: date


class Stamp(Answer):
    at: datetime
    by: str | None = None


class ComplaintDecision(Stamp):
    decision: str
    reason: str | None = None
    late: bool | None = None


class ComplaintStaffView(Answer):
    """A complaint as the supervision bureau (and, once transferred, the department) sees it, with
    overdue flags as of ``as_of``; ``name``/``phone`` only for the supervision bureau."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    complaint_no: str
    channel: str
    dept_code: str
    case_no: str | None
    category: str
    content: str
    real_name: bool
    name: str | None
    phone: str | None
    received_at: datetime
    accept_deadline: date
    status: str
    registered_by: str | None = None
    decision: ComplaintDecision | None
    transfer: dict[str, Any] | None
    reply: dict[str, Any] | None
    result: dict[str, Any] | None
    rating: dict[str, Any] | None
    signals: list[str]
    history: list[HistoryEntry]
    accept_overdue: bool
    reply_overdue: bool
    overdue: bool
    as_of: datetime


class ComplaintText(Answer):
    text: str | None
    at: datetime


class ComplaintRating(Answer):
    rating: str | int
    at: datetime


class ComplaintPublicDecision(Answer):
    decision: str
    reason: str | None
    at: datetime


class ComplaintPublicView(Answer):
    """What the complainant sees with the query code: progress, never identities or internal notes."""

    complaint_no: str
    dept_code: str
    case_no: str | None
    category: str
    category_name: str
    status: str
    received_at: datetime
    accept_deadline: date
    decision: ComplaintPublicDecision | None
    transferred_at: datetime | None
    reply_deadline: date | None
    result: ComplaintText | None
    rating: ComplaintRating | None


class ComplaintView(RootModel[ComplaintStaffView | ComplaintPublicView]):
    model_config = ConfigDict(defer_build=True)

    """The staff view for staff; the public view for whoever holds the query code."""


class ComplaintList(Page[ComplaintStaffView]):
    as_of: datetime


class ConsultationStaffView(Answer):
    model_config = ConfigDict(defer_build=True, extra="allow")
    consultation_no: str
    channel: str
    dept_code: str
    item_code: str | None
    question: str
    name: str | None
    phone: str | None
    received_at: datetime
    answer_deadline: date
    status: str
    answer: dict[str, Any] | None
    history: list[HistoryEntry]
    answer_overdue: bool
    overdue: bool
    as_of: datetime


class ConsultationPublicView(Answer):
    consultation_no: str
    dept_code: str
    item_code: str | None
    question: str
    status: str
    received_at: datetime
    answer_deadline: date
    answer: str | None
    answered_at: datetime | None


class ConsultationView(RootModel[ConsultationStaffView | ConsultationPublicView]):
    model_config = ConfigDict(defer_build=True)

    """The staff view for staff; the public view for whoever holds the query code."""


class ConsultationList(Page[ConsultationStaffView]):
    as_of: datetime


class Evaluated(Answer):
    """The applicant's satisfaction rating of a case (满意度评价)."""

    case_no: str
    rating: str
    rating_name: str
    evaluated_at: datetime


def _fields_of(*classes: type) -> dict[str, Any]:
    """The fields of the evaluation's dataclasses (one source: chalicelib.domain.performance)."""
    out: dict[str, Any] = {}
    for cls in classes:
        for name, hint in get_type_hints(cls).items():
            if not dataclasses.is_dataclass(hint):
                out[name] = (hint, ...)
    return out


EvaluationRow = create_model(
    "EvaluationRow", __doc__="A department's indicators and grade for the period (绩效评估).", __base__=Answer,
    dept_code=(str, ...), dept_name=(str | None, None), level=(str | None, None), letter_no=(str | None, None),
    **_fields_of(performance.PeriodCounters, performance.Metrics, performance.Assessment))


class EvaluationResult(Page[EvaluationRow]):  # type: ignore[valid-type]
    """Every department's indicators and grade for a period, with the thresholds applied."""

    period: str
    thresholds: performance.GradeThresholds


class Letter(Answer):
    """A 监察建议书 to a department graded 不合格, with its rectification deadline."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    letter_no: str
    kind: str
    period: str
    dept_code: str
    dept_name: str | None
    grade: str
    shortfalls: list[str]
    metrics: dict[str, float | int | None]
    content: str
    issued_at: datetime
    issued_by: str
    rectify_working_days: int
    rectify_deadline: date
    status: str


class LettersIssued(Page[Letter]):
    """The letters of the period; ``issued_letters`` are the ones this call issued."""

    period: str
    issued: int
    issued_letters: list[str]
    already_issued: int


class Letters(Page[Letter]):
    """A page of Letter (``items``, ``next``)."""


class PublishedGrade(Answer):
    """A department's published quarter (评估结果公开): its grade and public figures, nothing personal."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    region_code: str | None = None
    grade: str | None = None
    received: int | None = None
    concluded: int | None = None
    on_time_rate: float | None = None
    satisfaction_rate: float | None = None
    complaints_per_100: float | None = None
    published_at: datetime | None = None


class PublishedGrades(Page[PublishedGrade]):
    """A quarter's published grades as the hall shows them, and every quarter published so far."""

    period: str | None
    periods: list[str]


class GradesPublished(Page[PublishedGrade]):
    """What the supervision bureau just published: its region's departments for the quarter."""

    period: str
    published: int
