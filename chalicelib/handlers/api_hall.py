"""The hall's feedback routes and the supervision bureau's evaluation routes.

Complaints (投诉), consultations (咨询), the applicant's satisfaction rating (满意度评价) and the
quarterly performance evaluation (绩效评估) with its 监察建议书 letters. Business logic lives in
``services.complaints`` and ``services.evaluation``.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.public import services as public
from chalicelib.supervision.services import complaints, evaluation

from .. import wiring
from .http import Ctx, route

bp = Blueprint(__name__)
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")
STAFF_READERS = ("supervisor", *DEPT_ROLES)


def _now() -> datetime:
    return datetime.now(UTC)


class CodeQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    code: str | None = Field(default=None, max_length=32, description="the query code from submission")
    as_of: AwareDatetime | None = Field(default=None, description="staff view: overdue flags as of")


class ComplaintListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    status: str | None = Field(default=None,
                               pattern=r"^(received|accepted|rejected|transferred|replied|concluded)$")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    case_no: str | None = Field(default=None, max_length=64)
    overdue: bool = Field(default=False, description="only late or still overdue complaints")
    as_of: AwareDatetime | None = Field(default=None, description="overdue flags as of (default: now)")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


class ConsultationListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    status: str | None = Field(default=None, pattern=r"^(open|answered)$")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    overdue: bool = False
    as_of: AwareDatetime | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


class EvaluationQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str = Field(max_length=7, description="2012Q3, 2012-07 or 2012")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")


class LettersQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str | None = Field(default=None, max_length=7)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


# --- complaints (投诉) ------------------------------------------------------------------------------


@route(bp, "/complaints", "POST", auth="public", body=complaints.ComplaintIn, status=201, tag="hall",
       summary="Submit a complaint; returns its number, the acceptance deadline and a query code")
def submit_complaint(ctx: Ctx, body: complaints.ComplaintIn) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "complaint", ctx.source_ip)
    return complaints.submit_complaint(deps, ctx.principal, body, _now())


@route(bp, "/complaints", roles=STAFF_READERS, query=ComplaintListQuery, tag="hall",
       summary="Complaints for staff, with overdue flags as of an instant (departments: transferred to them)")
def list_complaints(ctx: Ctx, query: ComplaintListQuery) -> dict[str, Any]:
    return complaints.list_complaints(wiring.deps(), ctx.principal, status=query.status,
                                      dept_code=query.dept_code, case_no=query.case_no,
                                      only_overdue=query.overdue, as_of=query.as_of or _now(),
                                      limit=query.limit, cursor=query.cursor)


@route(bp, "/complaints/{complaint_no}", auth="public", query=CodeQuery, audit="reads", tag="hall",
       summary="Complaint progress with the query code (wrong code = 404); staff view with a token")
def get_complaint(ctx: Ctx, complaint_no: str, query: CodeQuery) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "complaint-query", ctx.source_ip)
    return complaints.get_complaint(deps, ctx.principal, complaint_no, query.code, query.as_of or _now())


@route(bp, "/complaints/{complaint_no}/decision", "POST", roles=("supervisor",),
       body=complaints.ComplaintDecisionIn, tag="hall",
       summary="Accept or reject a complaint (reason required for reject); late decisions are flagged")
def decide_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintDecisionIn) -> dict[str, Any]:
    return complaints.decide_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/transfer", "POST", roles=("supervisor",),
       body=complaints.ComplaintTransferIn, tag="hall",
       summary="Transfer an accepted complaint to the department with a reply deadline (working days)")
def transfer_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintTransferIn) -> dict[str, Any]:
    return complaints.transfer_complaint(wiring.deps(), ctx.principal, complaint_no,
                                         body, _now())


@route(bp, "/complaints/{complaint_no}/reply", "POST", roles=DEPT_ROLES, body=complaints.ComplaintReplyIn,
       tag="hall", summary="The department's reply to a complaint transferred to it")
def reply_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintReplyIn) -> dict[str, Any]:
    return complaints.reply_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/result", "POST", roles=("supervisor",),
       body=complaints.ComplaintResultIn, tag="hall",
       summary="Conclude a complaint; the result goes back to the complainant")
def conclude_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintResultIn) -> dict[str, Any]:
    return complaints.conclude_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/finding", "POST", roles=("supervisor",),
       body=complaints.ComplaintFindingIn, tag="hall",
       summary="Revise a concluded complaint's finding (复查); reversing a wrongful rejection withdraws its R7")
def revise_finding(ctx: Ctx, complaint_no: str, body: complaints.ComplaintFindingIn) -> dict[str, Any]:
    return complaints.revise_finding(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/rating", "POST", auth="public", body=complaints.ComplaintRatingIn,
       status=201, tag="hall",
       summary="The complainant rates the handling with the query code; 不满意 opens a signal")
def rate_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintRatingIn) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "complaint-query", ctx.source_ip)
    return complaints.rate_complaint(deps, complaint_no, body, _now())


# --- consultations (咨询) ---------------------------------------------------------------------------


@route(bp, "/consultations", "POST", auth="public", body=complaints.ConsultationIn, status=201, tag="hall",
       summary="Ask a department a question; returns its number, the answer deadline and a query code")
def submit_consultation(ctx: Ctx, body: complaints.ConsultationIn) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "consultation", ctx.source_ip)
    return complaints.submit_consultation(deps, ctx.principal, body, _now())


@route(bp, "/consultations", roles=STAFF_READERS, query=ConsultationListQuery, tag="hall",
       summary="Consultations for staff, with the answer-overdue flag as of an instant")
def list_consultations(ctx: Ctx, query: ConsultationListQuery) -> dict[str, Any]:
    return complaints.list_consultations(wiring.deps(), ctx.principal, status=query.status,
                                         dept_code=query.dept_code, only_overdue=query.overdue,
                                         as_of=query.as_of or _now(), limit=query.limit, cursor=query.cursor)


@route(bp, "/consultations/{consultation_no}", auth="public", query=CodeQuery, tag="hall",
       summary="A consultation and its answer with the query code (wrong code = 404)")
def get_consultation(ctx: Ctx, consultation_no: str, query: CodeQuery) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "consultation-query", ctx.source_ip)
    return complaints.get_consultation(deps, ctx.principal, consultation_no, query.code,
                                       query.as_of or _now())


@route(bp, "/consultations/{consultation_no}/answer", "POST", roles=DEPT_ROLES,
       body=complaints.ConsultationAnswerIn, tag="hall", summary="The department answers a consultation")
def answer_consultation(ctx: Ctx, consultation_no: str,
                        body: complaints.ConsultationAnswerIn) -> dict[str, Any]:
    return complaints.answer_consultation(wiring.deps(), ctx.principal, consultation_no, body, _now())


# --- satisfaction (满意度) and performance evaluation (绩效评估) -------------------------------------------


@route(bp, "/cases/{case_no}/evaluation", "POST", auth="public", body=evaluation.EvaluationIn, status=201,
       tag="hall", summary="The applicant rates a concluded case, once, with the query password")
def evaluate_case(ctx: Ctx, case_no: str, body: evaluation.EvaluationIn) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "evaluation", ctx.source_ip)
    return evaluation.evaluate_case(deps, case_no, body, _now())


@route(bp, "/supervision/evaluation", roles=STAFF_READERS, query=EvaluationQuery, tag="supervision",
       summary="Performance evaluation per department for a period: metrics and grade 优秀/良好/合格/不合格")
def department_evaluation(ctx: Ctx, query: EvaluationQuery) -> dict[str, Any]:
    return evaluation.department_evaluation(wiring.deps(), ctx.principal, query.period, query.dept_code)


@route(bp, "/supervision/evaluation/{period}/letters", "POST", roles=("supervisor",),
       body=evaluation.LettersIn, tag="supervision",
       summary="Issue a 监察建议书 to every 不合格 department of a finished quarter (idempotent)")
def issue_letters(ctx: Ctx, period: str, body: evaluation.LettersIn) -> dict[str, Any]:
    return evaluation.issue_letters(wiring.deps(), ctx.principal, period, body, _now())


@route(bp, "/supervision/letters", roles=STAFF_READERS, query=LettersQuery, tag="supervision",
       summary="监察建议书 records (departments: their own)")
def list_letters(ctx: Ctx, query: LettersQuery) -> dict[str, Any]:
    return evaluation.list_letters(wiring.deps(), ctx.principal, query.period, query.dept_code, query.limit,
                                   query.cursor)
