"""The hall's feedback routes and the supervision bureau's evaluation routes.

Complaints (投诉), consultations (咨询), the applicant's satisfaction rating (满意度评价) and the
quarterly performance evaluation (绩效评估) with its 监察建议书 letters. Business logic lives in
``services.complaints`` and ``services.evaluation``.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.supervision.services import complaints, evaluation

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
COMPLAINTS = "chalicelib.supervision.services.complaints"
EVALUATION = "chalicelib.supervision.services.evaluation"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.hall"
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
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$",
                                    description="only this region's departments (a city: with its counties)")


class LettersQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str | None = Field(default=None, max_length=7)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


# --- answers ---------------------------------------------------------------------------------------


# --- complaints (投诉) ------------------------------------------------------------------------------


@route(bp, "/complaints", "POST", auth="public", body=f"{COMPLAINTS}:ComplaintIn", status=201, tag="hall",
       summary="Submit a complaint; returns its number, the acceptance deadline and a query code",
       response=f"{ANSWERS}:ComplaintFiled")
def submit_complaint(ctx: Ctx, body: complaints.ComplaintIn) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import complaints

    deps = wiring.deps()
    public.throttle(deps, "complaint", ctx.source_ip)
    return complaints.submit_complaint(deps, ctx.principal, body, _now())


@route(bp, "/complaints", roles=STAFF_READERS, query=ComplaintListQuery, tag="hall",
       summary="Complaints for staff, with overdue flags as of an instant (departments: transferred to them)",
       response=f"{ANSWERS}:ComplaintList")
def list_complaints(ctx: Ctx, query: ComplaintListQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.list_complaints(wiring.deps(), ctx.principal, status=query.status,
                                      dept_code=query.dept_code, case_no=query.case_no,
                                      only_overdue=query.overdue, as_of=query.as_of or _now(),
                                      limit=query.limit, cursor=query.cursor)


@route(bp, "/complaints/{complaint_no}", auth="public", query=CodeQuery, audit="reads", tag="hall",
       summary="Complaint progress with the query code (wrong code = 404); staff view with a token",
       response=f"{ANSWERS}:ComplaintView")
def get_complaint(ctx: Ctx, complaint_no: str, query: CodeQuery) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import complaints

    deps = wiring.deps()
    public.throttle(deps, "complaint-query", ctx.source_ip)
    return complaints.get_complaint(deps, ctx.principal, complaint_no, query.code, query.as_of or _now())


@route(bp, "/complaints/{complaint_no}/decision", "POST", roles=("supervisor",),
       body=f"{COMPLAINTS}:ComplaintDecisionIn", tag="hall",
       summary="Accept or reject a complaint (reason required for reject); late decisions are flagged",
       response=f"{ANSWERS}:ComplaintStaffView")
def decide_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintDecisionIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.decide_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/transfer", "POST", roles=("supervisor",),
       body=f"{COMPLAINTS}:ComplaintTransferIn", tag="hall",
       summary="Transfer an accepted complaint to the department with a reply deadline (working days)",
       response=f"{ANSWERS}:ComplaintStaffView")
def transfer_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintTransferIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.transfer_complaint(wiring.deps(), ctx.principal, complaint_no,
                                         body, _now())


@route(bp, "/complaints/{complaint_no}/reply", "POST", roles=DEPT_ROLES, body=f"{COMPLAINTS}:ComplaintReplyIn",
       tag="hall", summary="The department's reply to a complaint transferred to it",
       response=f"{ANSWERS}:ComplaintStaffView")
def reply_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintReplyIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.reply_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/result", "POST", roles=("supervisor",),
       body=f"{COMPLAINTS}:ComplaintResultIn", tag="hall",
       summary="Conclude a complaint; the result goes back to the complainant",
       response=f"{ANSWERS}:ComplaintStaffView")
def conclude_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintResultIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.conclude_complaint(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/finding", "POST", roles=("supervisor",),
       body=f"{COMPLAINTS}:ComplaintFindingIn", tag="hall",
       summary="Revise a concluded complaint's finding (复查); reversing a wrongful rejection withdraws its R7",
       response=f"{ANSWERS}:ComplaintStaffView")
def revise_finding(ctx: Ctx, complaint_no: str, body: complaints.ComplaintFindingIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.revise_finding(wiring.deps(), ctx.principal, complaint_no, body, _now())


@route(bp, "/complaints/{complaint_no}/rating", "POST", auth="public", body=f"{COMPLAINTS}:ComplaintRatingIn",
       status=201, tag="hall",
       summary="The complainant rates the handling with the query code; 不满意 opens a signal",
       response=f"{ANSWERS}:ComplaintPublicView")
def rate_complaint(ctx: Ctx, complaint_no: str, body: complaints.ComplaintRatingIn) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import complaints

    deps = wiring.deps()
    public.throttle(deps, "complaint-query", ctx.source_ip)
    return complaints.rate_complaint(deps, complaint_no, body, _now())


# --- consultations (咨询) ---------------------------------------------------------------------------


@route(bp, "/consultations", "POST", auth="public", body=f"{COMPLAINTS}:ConsultationIn", status=201, tag="hall",
       summary="Ask a department a question; returns its number, the answer deadline and a query code",
       response=f"{ANSWERS}:ConsultationFiled")
def submit_consultation(ctx: Ctx, body: complaints.ConsultationIn) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import complaints

    deps = wiring.deps()
    public.throttle(deps, "consultation", ctx.source_ip)
    return complaints.submit_consultation(deps, ctx.principal, body, _now())


@route(bp, "/consultations", roles=STAFF_READERS, query=ConsultationListQuery, tag="hall",
       summary="Consultations for staff, with the answer-overdue flag as of an instant",
       response=f"{ANSWERS}:ConsultationList")
def list_consultations(ctx: Ctx, query: ConsultationListQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.list_consultations(wiring.deps(), ctx.principal, status=query.status,
                                         dept_code=query.dept_code, only_overdue=query.overdue,
                                         as_of=query.as_of or _now(), limit=query.limit, cursor=query.cursor)


@route(bp, "/consultations/{consultation_no}", auth="public", query=CodeQuery, tag="hall",
       summary="A consultation and its answer with the query code (wrong code = 404)",
       response=f"{ANSWERS}:ConsultationView")
def get_consultation(ctx: Ctx, consultation_no: str, query: CodeQuery) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import complaints

    deps = wiring.deps()
    public.throttle(deps, "consultation-query", ctx.source_ip)
    return complaints.get_consultation(deps, ctx.principal, consultation_no, query.code,
                                       query.as_of or _now())


@route(bp, "/consultations/{consultation_no}/answer", "POST", roles=DEPT_ROLES,
       body=f"{COMPLAINTS}:ConsultationAnswerIn", tag="hall", summary="The department answers a consultation",
       response=f"{ANSWERS}:ConsultationStaffView")
def answer_consultation(ctx: Ctx, consultation_no: str,
                        body: complaints.ConsultationAnswerIn) -> dict[str, Any]:
    from chalicelib.supervision.services import complaints

    return complaints.answer_consultation(wiring.deps(), ctx.principal, consultation_no, body, _now())


# --- satisfaction (满意度) and performance evaluation (绩效评估) -------------------------------------------


@route(bp, "/cases/{case_no}/evaluation", "POST", auth="public", body=f"{EVALUATION}:EvaluationIn", status=201,
       tag="hall", summary="The applicant rates a concluded case, once, with the query password",
       response=f"{ANSWERS}:Evaluated")
def evaluate_case(ctx: Ctx, case_no: str, body: evaluation.EvaluationIn) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.supervision.services import evaluation

    deps = wiring.deps()
    public.throttle(deps, "evaluation", ctx.source_ip)
    return evaluation.evaluate_case(deps, case_no, body, _now())


@route(bp, "/supervision/evaluation", roles=STAFF_READERS, query=EvaluationQuery, tag="supervision",
       summary="Performance evaluation per department for a period: metrics and grade 优秀/良好/合格/不合格",
       response=f"{ANSWERS}:EvaluationResult")
def department_evaluation(ctx: Ctx, query: EvaluationQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import evaluation

    return evaluation.department_evaluation(wiring.deps(), ctx.principal, query.period, query.dept_code,
                                            region_code=query.region_code)


@route(bp, "/supervision/evaluation/{period}/letters", "POST", roles=("supervisor",),
       body=f"{EVALUATION}:LettersIn", tag="supervision",
       summary="Issue a 监察建议书 to every 不合格 department of a finished quarter (idempotent)",
       response=f"{ANSWERS}:LettersIssued")
def issue_letters(ctx: Ctx, period: str, body: evaluation.LettersIn) -> dict[str, Any]:
    from chalicelib.supervision.services import evaluation

    return evaluation.issue_letters(wiring.deps(), ctx.principal, period, body, _now())


@route(bp, "/supervision/evaluation/{period}/publish", "POST", roles=("supervisor",), tag="supervision",
       summary="Publish a finished quarter's grades of the own region's departments in the hall (评估结果公开)",
       response=f"{ANSWERS}:GradesPublished")
def publish_grades(ctx: Ctx, period: str) -> dict[str, Any]:
    from chalicelib.supervision.services import evaluation

    return evaluation.publish_grades(wiring.deps(), ctx.principal, period, datetime.now(UTC))


class PublishedQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str | None = Field(default=None, max_length=7, description="2012Q3; the latest published without it")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")


@route(bp, "/evaluation/grades", auth="public", cache=True, query=PublishedQuery, tag="public",
       summary="Quarterly evaluation grades the supervision bureau published (评估结果公开)",
       response=f"{ANSWERS}:PublishedGrades")
def published_grades(ctx: Ctx, query: PublishedQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import evaluation

    return evaluation.published_grades(wiring.deps(), query.period, query.region_code)


@route(bp, "/supervision/letters", roles=STAFF_READERS, query=LettersQuery, tag="supervision",
       summary="监察建议书 records (departments: their own)",
       response=f"{ANSWERS}:Letters")
def list_letters(ctx: Ctx, query: LettersQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import evaluation

    return evaluation.list_letters(wiring.deps(), ctx.principal, query.period, query.dept_code, query.limit,
                                   query.cursor)
