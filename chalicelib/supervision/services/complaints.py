"""Complaints (投诉, docs/DOMAIN.md §6.4) and consultations (咨询, docs/DOMAIN.md §8.1) from the online hall: the use
cases. The lifecycle and the views are in ``domain.complaints``; the keys in ``repositories``.

Supervision signals opened by complaints (one per cause):

* ``C1`` 投诉受理 (yellow): an accepted complaint about a specific case, while it is being checked;
* ``R7`` 违法不予受理 (red): only when the complaint is concluded with the confirmed finding
  ``wrongful_rejection`` about a case refused at intake; withdrawn (closed, never deleted) when that
  finding is later reversed (``POST /complaints/{no}/finding``);
* ``C2`` 投诉处理不满意 (yellow): a complainant rates the handling 不满意. When the complaint names
  no case, the signal's ``case_no`` is the complaint number.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from chalicelib.attachments import services as attachments
from chalicelib.cases.services import projection
from chalicelib.catalog.domain.items import InvalidCodeError, normalize_code
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, field_error
from chalicelib.kernel.inputs import FormIn
from chalicelib.kernel.periods import local_date

from ..domain.complaints import (
    ACCEPT_WORKING_DAYS,
    ANSWER_WORKING_DAYS,
    CATEGORY_NAMES,
    DEFAULT_REPLY_WORKING_DAYS,
    Complaint,
    Consultation,
    Finding,
    code_hash,
    code_ok,
    new_query_code,
)
from ..domain.records import SIGNAL, SignalDraft
from ..domain.rules import RECIPIENTS
from ..repositories import Numbered, OversightRecords
from . import oversight
from .shared import require_department

Category = Literal["efficiency", "attitude", "violation", "fee", "other"]
Channel = Literal["online", "letter", "phone", "visit"]
Rating = Literal["satisfied", "basic", "dissatisfied"]

#: Complaint-driven signal rules (besides R7), documented in the module docstring.
COMPLAINT_RULES: dict[str, str] = {"C1": "投诉受理", "C2": "投诉处理不满意"}
COMPLAINT_RECIPIENTS: tuple[str, ...] = ("dept_head", "dept_supervision", "supervisor")

PHONE_PATTERN = r"^(1\d{10}|0\d{2,3}-?\d{7,8})$"
CASE_NO_PATTERN = r"^[A-Za-z0-9\-]{4,64}$"
STAFF_REGISTRARS = frozenset({"supervisor"})
DEPT_ROLES = frozenset({"handler", "dept_head", "dept_supervision"})



# --- input models -------------------------------------------------------------------------------


_In = FormIn


class ComplaintIn(_In):
    """A complaint (投诉). ``channel``/``received_at`` are for staff registering a letter, a call
    or a visit (监察局 or admin only); the hall's online complaints take the current time."""

    dept_code: str = Field(pattern=r"^\d{3}$", description="the department complained about")
    case_no: str | None = Field(default=None, pattern=CASE_NO_PATTERN, description="the case concerned")
    category: Category
    content: str = Field(min_length=2, max_length=2000)
    real_name: bool = False
    name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    channel: Channel = "online"
    received_at: AwareDatetime | None = None
    attachments: list[str] = Field(default_factory=list, max_length=10,
                                   description="ids of uploaded evidence (POST /attachments, purpose complaint)")


class ComplaintDecisionIn(_In):
    decision: Literal["accept", "reject"]
    reason: str | None = Field(default=None, max_length=2000, description="required for reject")
    at: AwareDatetime | None = Field(default=None, description="when decided (default: now)")


class ComplaintTransferIn(_In):
    reply_working_days: int = Field(default=DEFAULT_REPLY_WORKING_DAYS, ge=1, le=60)
    note: str | None = Field(default=None, max_length=2000)
    at: AwareDatetime | None = None


class ComplaintReplyIn(_In):
    reply: str = Field(min_length=2, max_length=5000)
    at: AwareDatetime | None = None


class ComplaintResultIn(_In):
    result: str = Field(min_length=2, max_length=5000)
    #: What the investigation established; ``wrongful_rejection`` (a refusal at intake that met every
    #: condition) raises the red R7.
    finding: Finding | None = None
    at: AwareDatetime | None = None


class ComplaintFindingIn(_In):
    """Revise the finding of a concluded complaint (复查), with the reason."""

    finding: Finding
    reason: str = Field(min_length=2, max_length=2000)
    at: AwareDatetime | None = None


class ComplaintRatingIn(_In):
    code: str = Field(min_length=1, max_length=32, description="the query code given at submission")
    rating: Rating
    comment: str | None = Field(default=None, max_length=500)


class ConsultationIn(_In):
    dept_code: str = Field(pattern=r"^\d{3}$")
    item_code: str | None = Field(default=None, max_length=24)
    question: str = Field(min_length=2, max_length=2000)
    name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    channel: Channel = "online"
    received_at: AwareDatetime | None = None


class ConsultationAnswerIn(_In):
    answer: str = Field(min_length=2, max_length=5000)
    at: AwareDatetime | None = None


# --- shared intake checks -------------------------------------------------------------------------


def complaints(deps: Deps) -> Numbered:
    return Numbered(deps.stores, "CPL")


def consultations(deps: Deps) -> Numbered:
    return Numbered(deps.stores, "CSL")


def intake_time(principal: Principal, channel: str, received_at: datetime | None, now: datetime) -> datetime:
    """Only staff (监察局, admin) may register an offline complaint or give its receipt time."""
    if channel == "online" and received_at is None:
        return now
    if principal.kind == "anonymous":
        raise UnauthorizedError("登记来信、来电、来访或指定受理时间需要工作人员登录")
    if not principal.roles & STAFF_REGISTRARS:
        raise ForbiddenError("只有监察局工作人员可以登记来信、来电、来访或指定受理时间")
    at = received_at or now
    if at > now:
        raise ValidationError("受理时间不能晚于当前时间", [field_error("received_at", "不能是将来的时间")])
    return at


def _load(deps: Deps, no: str) -> tuple[Complaint, Any]:
    item = complaints(deps).get(no)
    if item is None:
        raise NotFoundError("投诉不存在")
    return Complaint(item.body), item


# --- complaints -----------------------------------------------------------------------------------


def submit_complaint(deps: Deps, principal: Principal, body: ComplaintIn, now: datetime) -> dict[str, Any]:
    """Register a complaint; the department's ``complaints`` counter moves in the same transaction."""
    if body.real_name and not body.name:
        raise ValidationError("实名投诉需要填写姓名", [field_error("name", "实名投诉必须填写姓名", "missing")])
    require_department(deps, body.dept_code)
    received = intake_time(principal, body.channel, body.received_at, now)
    deadline = deps.calendar.add_working_days(local_date(received), ACCEPT_WORKING_DAYS).due
    code = new_query_code()
    files = attachments.verify(deps, principal, list(dict.fromkeys(body.attachments)), "complaint")

    def build(no: str) -> dict[str, Any]:
        return {
            "complaint_no": no, "channel": body.channel, "dept_code": body.dept_code, "case_no": body.case_no,
            "category": body.category, "content": body.content, "real_name": body.real_name,
            "name": body.name if body.real_name else None, "phone": body.phone,
            "code_hash": code_hash(code), "received_at": received.isoformat(),
            "accept_deadline": deadline.isoformat(), "status": "received",
            "registered_by": principal.username if principal.kind != "anonymous" else None,
            "decision": None, "transfer": None, "reply": None, "result": None, "rating": None, "signals": [],
            "history": [], "attachments": files,
        }

    rec = complaints(deps).create("TS", body.dept_code, received, build, {"complaints": 1})
    attachments.bind(deps, files, owner_kind="complaint", owner_id=rec["complaint_no"], dept_code=body.dept_code)
    return {"complaint_no": rec["complaint_no"], "accept_deadline": deadline.isoformat(), "query_code": code,
            "received_at": rec["received_at"], "status": "received"}


def _sees_complaint(principal: Principal, rec: dict[str, Any]) -> bool:
    """监察局 (and admin) see all; a department sees its complaints once transferred to it."""
    if not principal.is_department_scoped:
        return "supervisor" in principal.roles
    return principal.dept_code == rec["dept_code"] and rec.get("transfer") is not None


def get_complaint(deps: Deps, principal: Principal, no: str, code: str | None, as_of: datetime) -> dict[str, Any]:
    """With the query code: the public view. Without it: the staff view for those allowed, else 404."""
    item = complaints(deps).get(no)
    if item is not None and code and code_ok(item.body.get("code_hash"), code):
        return Complaint(item.body).public_view()
    staff = item is not None and not code and principal.kind != "anonymous"
    if item is not None and staff and _sees_complaint(principal, item.body):
        return Complaint(item.body).staff_view(as_of, show_identity=not principal.is_department_scoped)
    raise NotFoundError("未找到投诉或查询码错误")


def decide_complaint(deps: Deps, principal: Principal, no: str, body: ComplaintDecisionIn,
                     now: datetime) -> dict[str, Any]:
    """Accept or reject (with a reason). Accepting a complaint about a case opens a signal."""
    complaint, item = _load(deps, no)
    at = complaint.decide(body.decision, body.reason, principal.actor_name, body.at, now)
    draft = None
    if body.decision == "accept" and complaint.rec.get("case_no"):
        draft = _case_complaint_signal(deps, complaint.rec, at)
        complaint.add_signal(draft.record_id)
    complaints(deps).save(item)  # version-checked: of two concurrent decisions only one gets here
    if draft is not None:
        oversight.raise_record(deps, draft)
    return complaint.staff_view(at, show_identity=True)


def _case_complaint_signal(deps: Deps, rec: dict[str, Any], at: datetime) -> SignalDraft:
    case_no = str(rec["case_no"])
    found = projection.get_view(deps.stores, case_no)
    view = found[0] if found else None
    dept = view.dept_code if view else rec["dept_code"]
    category = CATEGORY_NAMES.get(rec["category"], rec["category"])
    no = rec["complaint_no"]
    if view is not None and view.rejected_at_intake:
        return SignalDraft(rule="C1", level="yellow", case_no=case_no, dept_code=dept, cause=f"complaint:{no}",
                           message=f"投诉反映办件 {case_no} 被违法不予受理，投诉已受理，正在核查（投诉编号 {no}）",
                           recipients=list(COMPLAINT_RECIPIENTS), raised_at=at)
    return SignalDraft(rule="C1", level="yellow", case_no=case_no, dept_code=dept, cause=f"complaint:{no}",
                       message=f"办件 {case_no} 被投诉（{category}），投诉已受理（投诉编号 {no}）",
                       recipients=list(COMPLAINT_RECIPIENTS), raised_at=at)


def transfer_complaint(deps: Deps, principal: Principal, no: str, body: ComplaintTransferIn,
                       now: datetime) -> dict[str, Any]:
    """Transfer an accepted complaint to the department, which must reply by a working-day deadline."""
    complaint, item = _load(deps, no)
    at = complaint.transfer_time(body.at, now)
    reply_by = deps.calendar.add_working_days(local_date(at), body.reply_working_days).due
    complaint.transfer(reply_by, body.reply_working_days, body.note, principal.actor_name, at)
    complaints(deps).save(item)
    return complaint.staff_view(at, show_identity=True)


def reply_complaint(deps: Deps, principal: Principal, no: str, body: ComplaintReplyIn,
                    now: datetime) -> dict[str, Any]:
    """The department's reply (办理情况答复) to a complaint transferred to it."""
    complaint, item = _load(deps, no)
    if not principal.may_see_dept(complaint.rec["dept_code"]):
        raise ForbiddenError("只能答复转办给本部门的投诉")
    at = complaint.reply(body.reply, principal.actor_name, body.at, now)
    complaints(deps).save(item)
    return complaint.staff_view(at, show_identity=not principal.is_department_scoped)


def conclude_complaint(deps: Deps, principal: Principal, no: str, body: ComplaintResultIn,
                       now: datetime) -> dict[str, Any]:
    """The supervisor's result (处理结果), shown to the complainant with the query code; a confirmed
    wrongful rejection raises the red R7."""
    complaint, item = _load(deps, no)
    at = complaint.conclusion_time(body.at, now)
    draft = _finding_signal(deps, complaint.rec, body.finding, at, revision=0)
    complaint.conclude(body.result, body.finding, principal.actor_name, at)
    if draft is not None:
        complaint.add_signal(draft.record_id)
    complaints(deps).save(item)  # version-checked: of two concurrent conclusions only one gets here
    if draft is not None:
        oversight.raise_record(deps, draft)
    return complaint.staff_view(at, show_identity=True)


def _finding_signal(deps: Deps, rec: dict[str, Any], finding: str | None, at: datetime,
                    revision: int) -> SignalDraft | None:
    """The red R7 of a confirmed wrongful rejection; the finding must concern a case refused at intake."""
    if finding != "wrongful_rejection":
        return None
    case_no = rec.get("case_no")
    found = projection.get_view(deps.stores, str(case_no)) if case_no else None
    if found is None or not found[0].rejected_at_intake:
        raise ValidationError("只有被不予受理的办件才能认定为违法不予受理", [field_error(
            "finding", "投诉未关联办件，或所涉办件并非不予受理", "invalid")])
    no = rec["complaint_no"]
    return SignalDraft(rule="R7", level="red", case_no=str(case_no), dept_code=found[0].dept_code,
                       cause=f"complaint-finding:{no}:{revision}",
                       message=f"投诉核查认定办件 {case_no} 符合受理条件却被不予受理（投诉编号 {no}）",
                       recipients=list(RECIPIENTS["R7"]), raised_at=at)


def revise_finding(deps: Deps, principal: Principal, no: str, body: ComplaintFindingIn,
                   now: datetime) -> dict[str, Any]:
    """复查: change the finding of a concluded complaint. Reversing a wrongful-rejection finding
    withdraws its R7; confirming one raises it."""
    complaint, item = _load(deps, no)
    before = complaint.finding
    at, revision = complaint.revision_time(body.at, now)
    draft = _finding_signal(deps, complaint.rec, body.finding, at, revision) if before != body.finding else None
    withdraw = [s for s in complaint.rec.get("signals", []) if before == "wrongful_rejection"
                and body.finding != before and _is_r7(deps, s)]
    complaint.revise_finding(body.finding, body.reason, principal.actor_name, at)
    if draft is not None:
        complaint.add_signal(draft.record_id)
    complaints(deps).save(item)
    for rid in withdraw:
        oversight.withdraw_signal(deps, rid, f"投诉 {no} 复查改变认定：{body.reason}", principal.actor_name, at)
    if draft is not None:
        oversight.raise_record(deps, draft)
    return complaint.staff_view(at, show_identity=True)


def _is_r7(deps: Deps, rid: str) -> bool:
    record = OversightRecords(deps.stores).get(SIGNAL, rid)
    return record is not None and record.rule == "R7"


def rate_complaint(deps: Deps, no: str, body: ComplaintRatingIn, now: datetime) -> dict[str, Any]:
    """The complainant's rating, once, after the result; 不满意 opens a C2 supervision signal."""
    item = complaints(deps).get(no)
    if item is None or not code_ok(item.body.get("code_hash"), body.code):
        raise NotFoundError("未找到投诉或查询码错误")
    complaint = Complaint(item.body)
    complaint.rate(body.rating, body.comment, now)
    rec = complaint.rec
    draft = None
    if body.rating == "dissatisfied":
        case_no = rec.get("case_no") or rec["complaint_no"]
        comment = f"：{body.comment[:100]}" if body.comment else ""
        draft = SignalDraft(
            rule="C2", level="yellow", case_no=case_no, dept_code=rec["dept_code"],
            cause=f"complaint-rating:{rec['complaint_no']}",
            message=f"投诉人对投诉 {rec['complaint_no']} 的处理结果不满意{comment}",
            recipients=list(COMPLAINT_RECIPIENTS), raised_at=now)
        complaint.add_signal(draft.record_id)
    complaints(deps).save(item)  # version-checked: a concurrent second rating loses with 409
    if draft is not None:
        oversight.raise_record(deps, draft)
    return complaint.public_view()


def list_complaints(deps: Deps, principal: Principal, *, status: str | None, dept_code: str | None,
                    case_no: str | None, only_overdue: bool, as_of: datetime, limit: int,
                    cursor: str | None) -> dict[str, Any]:
    """Staff list, newest first. A department sees the complaints transferred to it."""
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的投诉")
        dept_code = principal.dept_code
    scoped = principal.is_department_scoped

    def keep(rec: dict[str, Any]) -> bool:
        if scoped and rec.get("transfer") is None:
            return False
        if status and rec.get("status") != status:
            return False
        if case_no and rec.get("case_no") != case_no:
            return False
        return not only_overdue or bool(Complaint(rec).staff_view(as_of, show_identity=False)["overdue"])

    bodies, nxt = complaints(deps).scan(dept_code, keep, limit, cursor)
    return {"items": [Complaint(b).staff_view(as_of, show_identity=not scoped) for b in bodies], "next": nxt,
            "as_of": as_of.isoformat()}


# --- consultations --------------------------------------------------------------------------------


def submit_consultation(deps: Deps, principal: Principal, body: ConsultationIn, now: datetime) -> dict[str, Any]:
    require_department(deps, body.dept_code)
    item_code = None
    if body.item_code:
        try:
            item_code = normalize_code(body.item_code)
        except InvalidCodeError as exc:
            raise ValidationError("事项编码有误", [field_error("item_code", str(exc))]) from None
        if item_code[6:9] != body.dept_code:
            raise ValidationError("事项不属于所咨询的部门", [field_error(
                "item_code", f"该事项属于部门 {item_code[6:9]}，不属于 {body.dept_code}")])
    received = intake_time(principal, body.channel, body.received_at, now)
    deadline = deps.calendar.add_working_days(local_date(received), ANSWER_WORKING_DAYS).due
    code = new_query_code()

    def build(no: str) -> dict[str, Any]:
        return {
            "consultation_no": no, "channel": body.channel, "dept_code": body.dept_code,
            "item_code": item_code,
            "question": body.question, "name": body.name, "phone": body.phone, "code_hash": code_hash(code),
            "received_at": received.isoformat(), "answer_deadline": deadline.isoformat(), "status": "open",
            "answer": None, "history": [],
        }

    rec = consultations(deps).create("ZX", body.dept_code, received, build)
    return {"consultation_no": rec["consultation_no"], "answer_deadline": deadline.isoformat(),
            "query_code": code, "received_at": rec["received_at"], "status": "open"}


def get_consultation(deps: Deps, principal: Principal, no: str, code: str | None,
                     as_of: datetime) -> dict[str, Any]:
    item = consultations(deps).get(no)
    if item is not None and code and code_ok(item.body.get("code_hash"), code):
        return Consultation(item.body).public_view()
    staff = principal.kind != "anonymous" and bool(principal.roles & ({"supervisor"} | DEPT_ROLES))
    if item is not None and not code and staff and principal.may_see_dept(item.body["dept_code"]):
        return Consultation(item.body).staff_view(as_of)
    raise NotFoundError("未找到咨询或查询码错误")


def answer_consultation(deps: Deps, principal: Principal, no: str, body: ConsultationAnswerIn,
                        now: datetime) -> dict[str, Any]:
    """The department's answer (答复), once."""
    item = consultations(deps).get(no)
    if item is None:
        raise NotFoundError("记录不存在")
    consultation = Consultation(item.body)
    if not principal.may_see_dept(consultation.rec["dept_code"]):
        raise ForbiddenError("只能答复本部门的咨询")
    at = consultation.answer(body.answer, principal.actor_name, body.at, now)
    consultations(deps).save(item)
    return consultation.staff_view(at)


def list_consultations(deps: Deps, principal: Principal, *, status: str | None, dept_code: str | None,
                       only_overdue: bool, as_of: datetime, limit: int, cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的咨询")
        dept_code = principal.dept_code

    def keep(rec: dict[str, Any]) -> bool:
        if status and rec.get("status") != status:
            return False
        return not only_overdue or Consultation(rec).staff_view(as_of)["overdue"]

    bodies, nxt = consultations(deps).scan(dept_code, keep, limit, cursor)
    return {"items": [Consultation(b).staff_view(as_of) for b in bodies], "next": nxt, "as_of": as_of.isoformat()}
