"""Complaints (投诉, docs/DOMAIN.md §6.4) and consultations (咨询, docs/DOMAIN.md §8.1) from the online hall.

Complaint lifecycle: ``received`` → ``accepted`` | ``rejected`` (decided by the supervision
bureau 监察局 within 5 working days; a rejection needs a reason) → ``transferred`` to the
department with a reply deadline in working days → ``replied`` by the department →
``concluded`` (the supervisor's result goes back to the complainant) → rated by the complainant
(满意 satisfied / 基本满意 basic / 不满意 dissatisfied). The supervisor may also conclude an
accepted complaint directly, without transferring it.

Supervision signals opened by complaints (``oversight.raise_record``, one per cause):

* ``C1`` 投诉受理 (yellow): an accepted complaint about a specific case, while it is being checked;
* ``R7`` 违法不予受理 (red): only when the complaint is concluded with the confirmed finding
  ``wrongful_rejection`` about a case refused at intake; withdrawn (closed, never deleted) when that
  finding is later reversed (``POST /complaints/{no}/finding``);
* ``C2`` 投诉处理不满意 (yellow): a complainant rates the handling 不满意. When the complaint names
  no case, the signal's ``case_no`` is the complaint number.

Overdue flags are computed as of an instant (``as_of``) the caller passes: ``accept_overdue``
when the decision came (or, still undecided, the instant is) after the acceptance deadline day;
``reply_overdue`` likewise for the department's reply; ``answer_overdue`` for consultations.

The complainant's identity (name, phone) is never shown publicly nor to the department; the
public sees progress only with the query code (查询码) returned at submission, and a wrong code
answers exactly like an unknown number (404).

Oversight table keys: ``CPL#{no} / CPL`` (gsi1 ``CPLDEPT#{dept}``, gsi2 ``CPLS``) and
``CSL#{no} / CSL`` (gsi1 ``CSLDEPT#{dept}``, gsi2 ``CSLS``), listed newest first.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..domain.calendar import Calendar
from ..domain.catalog import InvalidCodeError, normalize_code
from ..domain.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
    field_error,
)
from ..domain.stats import local_date, periods_of
from ..domain.supervision import RECIPIENTS, SignalDraft
from ..identity.domain.roles import Principal
from ..identity.services import departments as identity
from . import masking, oversight, projection
from .ports import ConditionFailedError, CounterDelta, Item, Stores

#: Decide whether to accept within 5 working days [S-ES-Q].
ACCEPT_WORKING_DAYS = 5
#: Default reply deadline for a transferred complaint [inferred; the supervisor may set 1–60].
DEFAULT_REPLY_WORKING_DAYS = 10
#: Consultations are answered within a fixed limit [S-XZ-REG art.26–27]; the number is [inferred].
ANSWER_WORKING_DAYS = 5

Category = Literal["efficiency", "attitude", "violation", "fee", "other"]
Channel = Literal["online", "letter", "phone", "visit"]
Rating = Literal["satisfied", "basic", "dissatisfied"]

CATEGORY_NAMES: dict[str, str] = {"efficiency": "办事效率", "attitude": "服务态度", "violation": "违法违纪",
                                  "fee": "违规收费", "other": "其他"}
RATING_NAMES: dict[str, str] = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
#: Complaint-driven signal rules (besides R7), documented in the module docstring.
COMPLAINT_RULES: dict[str, str] = {"C1": "投诉受理", "C2": "投诉处理不满意"}
COMPLAINT_RECIPIENTS: tuple[str, ...] = ("dept_head", "dept_supervision", "supervisor")

PHONE_PATTERN = r"^(1\d{10}|0\d{2,3}-?\d{7,8})$"
CASE_NO_PATTERN = r"^[A-Za-z0-9\-]{4,64}$"
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read back
STAFF_REGISTRARS = frozenset({"supervisor"})
DEPT_ROLES = frozenset({"handler", "dept_head", "dept_supervision"})


# --- input models -------------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any, info: ValidationInfo) -> Any:
        """An empty optional text field (the hall may send ``""``) means "not given"."""
        name = info.field_name or ""
        optional = name in cls.model_fields and not cls.model_fields[name].is_required()
        return None if optional and isinstance(value, str) and not value.strip() else value


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


Finding = Literal["founded", "partly_founded", "unfounded", "wrongful_rejection"]
FINDING_NAMES: dict[str, str] = {"founded": "投诉属实", "partly_founded": "部分属实", "unfounded": "投诉不属实",
                                 "wrongful_rejection": "查实违法不予受理"}


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


# --- small pure helpers ---------------------------------------------------------------------------


def new_query_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def code_ok(stored_hash: str | None, code: str | None) -> bool:
    """No oracle: a wrong code is treated exactly like an unknown record."""
    if not stored_hash or not code:
        return False
    return hmac.compare_digest(stored_hash, code_hash(code))


def overdue(deadline: date | None, done_at: datetime | None, as_of: datetime) -> bool:
    """Late when done after the end of the deadline day, or not done once that day has ended."""
    if deadline is None:
        return False
    when = done_at if done_at is not None else as_of
    return local_date(when) > deadline


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _iso(at: datetime) -> str:
    return at.isoformat()


def _sort_key(at: datetime, no: str) -> str:
    return f"{at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{no}"


def _history(rec: dict[str, Any], at: datetime, by: str, action: str, text: str | None = None) -> None:
    entry: dict[str, Any] = {"at": _iso(at), "by": by, "action": action}
    if text:
        entry["text"] = text
    rec["history"] = [*rec.get("history", []), entry]


# --- shared intake checks -------------------------------------------------------------------------


def _intake_time(principal: Principal, channel: str, received_at: datetime | None, now: datetime) -> datetime:
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


def _require_department(stores: Stores, dept_code: str) -> dict[str, Any]:
    dept = identity.get_department(stores, dept_code)
    if dept is None:
        raise ValidationError("部门不存在", [field_error("dept_code", f"未知部门代码 {dept_code}", "unknown")])
    return dept


def _action_time(rec: dict[str, Any], at: datetime | None, now: datetime,
                 after: str = "received_at") -> datetime:
    moment = at or now
    start = _dt(rec.get(after))
    if start is not None and moment < start:
        raise ValidationError("办理时间不能早于上一环节", [field_error("at", f"不能早于 {start.isoformat()}")])
    return moment


def _create(stores: Stores, prefix: str, kind: str, dept_code: str, at: datetime,
            build: Callable[[str], dict[str, Any]], counters: dict[str, int] | None = None) -> dict[str, Any]:
    """Store a new record under a fresh random number (retried on the rare collision)."""
    for _ in range(8):
        no = f"{prefix}{local_date(at):%Y%m%d}{secrets.randbelow(10**6):06d}"
        body = build(no)
        key = _sort_key(at, no)
        tx = stores.transaction()
        tx.put("oversight", Item(pk=f"{kind}#{no}", sk=kind, body=body, gsi1pk=f"{kind}DEPT#{dept_code}",
                                 gsi1sk=key, gsi2pk=f"{kind}S", gsi2sk=key), if_absent=True)
        if counters:
            tx.add_counters([CounterDelta(p, dept_code, dict(counters)) for p in periods_of(local_date(at))])
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return body
    raise ConflictError("编号生成冲突，请重试")


def _load(stores: Stores, kind: str, no: str) -> Item:
    item = stores.table("oversight").get(f"{kind}#{no}", kind) if len(no) <= 40 else None
    if item is None:
        raise NotFoundError("记录不存在" if kind == "CSL" else "投诉不存在")
    return item


def _save(stores: Stores, item: Item) -> None:
    try:
        stores.table("oversight").put(item, expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("记录已被他人修改，请刷新后重试") from None


def _scan(stores: Stores, pk: str, index: str, keep: Callable[[dict[str, Any]], bool], limit: int,
          cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    table = stores.table("oversight")
    out: list[dict[str, Any]] = []
    nxt = cursor
    while len(out) < limit:
        # Read no more than still fits, so the cursor never skips records that were read but not returned.
        page = table.query(pk, index=index, limit=limit - len(out), cursor=nxt, forward=False)
        out.extend(i.body for i in page.items if keep(i.body))
        nxt = page.next
        if not nxt:
            break
    return out, (nxt if len(out) >= limit else None)


# --- complaints -----------------------------------------------------------------------------------


def submit_complaint(stores: Stores, cal: Calendar, principal: Principal, body: ComplaintIn,
                     now: datetime) -> dict[str, Any]:
    """Register a complaint; the department's ``complaints`` counter moves in the same transaction."""
    if body.real_name and not body.name:
        raise ValidationError("实名投诉需要填写姓名", [field_error("name", "实名投诉必须填写姓名", "missing")])
    _require_department(stores, body.dept_code)
    received = _intake_time(principal, body.channel, body.received_at, now)
    deadline = cal.add_working_days(local_date(received), ACCEPT_WORKING_DAYS).due
    code = new_query_code()

    def build(no: str) -> dict[str, Any]:
        return {
            "complaint_no": no, "channel": body.channel, "dept_code": body.dept_code, "case_no": body.case_no,
            "category": body.category, "content": body.content, "real_name": body.real_name,
            "name": body.name if body.real_name else None, "phone": body.phone,
            "code_hash": code_hash(code), "received_at": _iso(received),
            "accept_deadline": deadline.isoformat(), "status": "received",
            "registered_by": principal.username if principal.kind != "anonymous" else None,
            "decision": None, "transfer": None, "reply": None, "result": None, "rating": None, "signals": [],
            "history": [],
        }

    rec = _create(stores, "TS", "CPL", body.dept_code, received, build, {"complaints": 1})
    return {"complaint_no": rec["complaint_no"], "accept_deadline": deadline.isoformat(), "query_code": code,
            "received_at": rec["received_at"], "status": "received"}


def complaint_staff_view(rec: dict[str, Any], as_of: datetime, *, show_identity: bool) -> dict[str, Any]:
    """The staff view with overdue flags as of ``as_of`` (identity only for the supervision bureau)."""
    out = {k: v for k, v in rec.items() if k != "code_hash"}
    if not show_identity:
        out["name"] = None
        out["phone"] = None
    decision = rec.get("decision") or {}
    transfer = rec.get("transfer") or {}
    reply = rec.get("reply") or {}
    out["accept_overdue"] = overdue(_d(rec.get("accept_deadline")), _dt(decision.get("at")), as_of)
    reply_deadline = _d(transfer.get("reply_deadline"))
    out["reply_overdue"] = bool(transfer) and overdue(reply_deadline, _dt(reply.get("at")), as_of)
    out["overdue"] = out["accept_overdue"] or out["reply_overdue"]
    out["as_of"] = _iso(as_of)
    return out


def complaint_public_view(rec: dict[str, Any]) -> dict[str, Any]:
    """What the complainant sees with the query code: progress, never identities or internal notes."""
    decision = rec.get("decision") or {}
    transfer = rec.get("transfer") or {}
    result = rec.get("result") or {}
    rating = rec.get("rating") or {}
    return {
        "complaint_no": rec["complaint_no"], "dept_code": rec["dept_code"], "case_no": rec.get("case_no"),
        "category": rec["category"], "category_name": CATEGORY_NAMES.get(rec["category"], rec["category"]),
        "status": rec["status"], "received_at": rec["received_at"], "accept_deadline": rec["accept_deadline"],
        "decision": ({"decision": decision["decision"], "reason": masking.scrub(decision.get("reason")),
                      "at": decision["at"]} if decision else None),
        "transferred_at": transfer.get("at"), "reply_deadline": transfer.get("reply_deadline"),
        "result": {"text": masking.scrub(result["text"]), "at": result["at"]} if result else None,
        "rating": {"rating": rating["rating"], "at": rating["at"]} if rating else None,
    }


def _sees_complaint(principal: Principal, rec: dict[str, Any]) -> bool:
    """监察局 (and admin) see all; a department sees its complaints once transferred to it."""
    if not principal.is_department_scoped:
        return "supervisor" in principal.roles
    return principal.dept_code == rec["dept_code"] and rec.get("transfer") is not None


def get_complaint(stores: Stores, principal: Principal, no: str, code: str | None,
                  as_of: datetime) -> dict[str, Any]:
    """With the query code: the public view. Without it: the staff view for those allowed, else 404."""
    item = stores.table("oversight").get(f"CPL#{no}", "CPL") if len(no) <= 40 else None
    if item is not None and code and code_ok(item.body.get("code_hash"), code):
        return complaint_public_view(item.body)
    staff = item is not None and not code and principal.kind != "anonymous"
    if item is not None and staff and _sees_complaint(principal, item.body):
        return complaint_staff_view(item.body, as_of, show_identity=not principal.is_department_scoped)
    raise NotFoundError("未找到投诉或查询码错误")


def _require_status(rec: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if rec["status"] not in allowed:
        raise ConflictError(f"投诉当前状态为「{rec['status']}」，不能{action}")


def decide_complaint(stores: Stores, principal: Principal, no: str, body: ComplaintDecisionIn,
                     now: datetime) -> dict[str, Any]:
    """Accept or reject (with a reason). Accepting a complaint about a case opens a signal."""
    item = _load(stores, "CPL", no)
    rec = item.body
    _require_status(rec, ("received",), "作出受理决定")
    if body.decision == "reject" and not body.reason:
        raise ValidationError("不予受理必须说明理由", [field_error("reason", "不予受理必须说明理由", "missing")])
    at = _action_time(rec, body.at, now)
    late = overdue(_d(rec["accept_deadline"]), at, at)
    rec["decision"] = {"decision": body.decision, "reason": body.reason, "at": _iso(at),
                       "by": principal.actor_name, "late": late}
    rec["status"] = "accepted" if body.decision == "accept" else "rejected"
    _history(rec, at, principal.actor_name, body.decision, body.reason)
    draft = None
    if body.decision == "accept" and rec.get("case_no"):
        draft = _case_complaint_signal(stores, rec, at)
        signal_id = oversight.record_id("SIG", draft.rule, draft.case_no, draft.cause)
        rec["signals"] = [*rec.get("signals", []), signal_id]
    _save(stores, item)  # version-checked: of two concurrent decisions only one gets here
    if draft is not None:
        oversight.raise_record(stores, "SIG", draft)
    return complaint_staff_view(rec, at, show_identity=True)


def _case_complaint_signal(stores: Stores, rec: dict[str, Any], at: datetime) -> SignalDraft:
    case_no = str(rec["case_no"])
    found = projection.get_view(stores, case_no)
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


def transfer_complaint(stores: Stores, cal: Calendar, principal: Principal, no: str,
                       body: ComplaintTransferIn, now: datetime) -> dict[str, Any]:
    """Transfer an accepted complaint to the department, which must reply by a working-day deadline."""
    item = _load(stores, "CPL", no)
    rec = item.body
    _require_status(rec, ("accepted",), "转办")
    at = _action_time(rec["decision"] or {}, body.at, now, after="at")
    reply_by = cal.add_working_days(local_date(at), body.reply_working_days).due
    rec["transfer"] = {"dept_code": rec["dept_code"], "at": _iso(at), "by": principal.actor_name,
                       "reply_working_days": body.reply_working_days, "reply_deadline": reply_by.isoformat(),
                       "note": body.note}
    rec["status"] = "transferred"
    _history(rec, at, principal.actor_name, "transfer", body.note)
    _save(stores, item)
    return complaint_staff_view(rec, at, show_identity=True)


def reply_complaint(stores: Stores, principal: Principal, no: str, body: ComplaintReplyIn,
                    now: datetime) -> dict[str, Any]:
    """The department's reply (办理情况答复) to a complaint transferred to it."""
    item = _load(stores, "CPL", no)
    rec = item.body
    if not principal.may_see_dept(rec["dept_code"]):
        raise ForbiddenError("只能答复转办给本部门的投诉")
    _require_status(rec, ("transferred",), "答复")
    transfer = rec["transfer"] or {}
    at = _action_time(transfer, body.at, now, after="at")
    late = overdue(_d(transfer.get("reply_deadline")), at, at)
    rec["reply"] = {"text": body.reply, "at": _iso(at), "by": principal.actor_name, "late": late}
    rec["status"] = "replied"
    _history(rec, at, principal.actor_name, "reply", body.reply)
    _save(stores, item)
    return complaint_staff_view(rec, at, show_identity=not principal.is_department_scoped)


def conclude_complaint(stores: Stores, principal: Principal, no: str, body: ComplaintResultIn,
                       now: datetime) -> dict[str, Any]:
    """The supervisor's result (处理结果), shown to the complainant with the query code."""
    item = _load(stores, "CPL", no)
    rec = item.body
    if rec["status"] == "transferred":
        raise ConflictError("投诉已转办，需等待部门答复后再办结")
    _require_status(rec, ("accepted", "replied"), "办结")
    at = _action_time(rec["reply"] or rec["decision"] or {}, body.at, now, after="at")
    draft = _finding_signal(stores, rec, body.finding, at, revision=0)
    rec["result"] = {"text": body.result, "at": _iso(at), "by": principal.actor_name, "finding": body.finding}
    rec["status"] = "concluded"
    if draft is not None:
        rec["signals"] = [*rec.get("signals", []), oversight.record_id("SIG", "R7", draft.case_no, draft.cause)]
    _history(rec, at, principal.actor_name, "conclude", body.result)
    _save(stores, item)  # version-checked: of two concurrent conclusions only one gets here
    if draft is not None:
        oversight.raise_record(stores, "SIG", draft)
    return complaint_staff_view(rec, at, show_identity=True)


def _finding_signal(stores: Stores, rec: dict[str, Any], finding: str | None, at: datetime,
                    revision: int) -> SignalDraft | None:
    """The red R7 of a confirmed wrongful rejection; the finding must concern a case refused at intake."""
    if finding != "wrongful_rejection":
        return None
    case_no = rec.get("case_no")
    found = projection.get_view(stores, str(case_no)) if case_no else None
    if found is None or not found[0].rejected_at_intake:
        raise ValidationError("只有被不予受理的办件才能认定为违法不予受理", [field_error(
            "finding", "投诉未关联办件，或所涉办件并非不予受理", "invalid")])
    no = rec["complaint_no"]
    return SignalDraft(rule="R7", level="red", case_no=str(case_no), dept_code=found[0].dept_code,
                       cause=f"complaint-finding:{no}:{revision}",
                       message=f"投诉核查认定办件 {case_no} 符合受理条件却被不予受理（投诉编号 {no}）",
                       recipients=list(RECIPIENTS["R7"]), raised_at=at)


def revise_finding(stores: Stores, principal: Principal, no: str, body: ComplaintFindingIn,
                   now: datetime) -> dict[str, Any]:
    """复查: change the finding of a concluded complaint. Reversing a wrongful-rejection finding
    withdraws its R7; confirming one raises it."""
    item = _load(stores, "CPL", no)
    rec = item.body
    _require_status(rec, ("concluded",), "复查认定")
    result = dict(rec.get("result") or {})
    before = result.get("finding")
    at = _action_time(result, body.at, now, after="at")
    revision = len(result.get("revisions") or []) + 1
    draft = _finding_signal(stores, rec, body.finding, at, revision) if before != body.finding else None
    withdraw = [s for s in rec.get("signals", []) if before == "wrongful_rejection" and body.finding != before
                and _is_r7(stores, s)]
    result["revisions"] = [*(result.get("revisions") or []),
                           {"from": before, "to": body.finding, "reason": body.reason, "at": _iso(at),
                            "by": principal.actor_name}]
    result["finding"] = body.finding
    rec["result"] = result
    if draft is not None:
        rec["signals"] = [*rec.get("signals", []), oversight.record_id("SIG", "R7", draft.case_no, draft.cause)]
    _history(rec, at, principal.actor_name, "revise_finding",
             f"{FINDING_NAMES.get(str(before), '未认定')} → {FINDING_NAMES[body.finding]}：{body.reason}")
    _save(stores, item)
    for rid in withdraw:
        oversight.withdraw_signal(stores, rid, f"投诉 {no} 复查改变认定：{body.reason}", principal.actor_name, at)
    if draft is not None:
        oversight.raise_record(stores, "SIG", draft)
    return complaint_staff_view(rec, at, show_identity=True)


def _is_r7(stores: Stores, rid: str) -> bool:
    item = stores.table("oversight").get(f"SIG#{rid}", "SIG")
    return item is not None and item.body.get("rule") == "R7"


def rate_complaint(stores: Stores, no: str, body: ComplaintRatingIn, now: datetime) -> dict[str, Any]:
    """The complainant's rating, once, after the result; 不满意 opens a C2 supervision signal."""
    item = stores.table("oversight").get(f"CPL#{no}", "CPL") if len(no) <= 40 else None
    if item is None or not code_ok(item.body.get("code_hash"), body.code):
        raise NotFoundError("未找到投诉或查询码错误")
    rec = item.body
    if rec.get("rating"):
        raise ConflictError("该投诉已评价，不能重复评价")
    _require_status(rec, ("concluded",), "评价")
    rec["rating"] = {"rating": body.rating, "comment": body.comment, "at": _iso(now)}
    _history(rec, now, "complainant", "rate", RATING_NAMES[body.rating])
    draft = None
    if body.rating == "dissatisfied":
        case_no = rec.get("case_no") or rec["complaint_no"]
        comment = f"：{body.comment[:100]}" if body.comment else ""
        draft = SignalDraft(
            rule="C2", level="yellow", case_no=case_no, dept_code=rec["dept_code"],
            cause=f"complaint-rating:{rec['complaint_no']}",
            message=f"投诉人对投诉 {rec['complaint_no']} 的处理结果不满意{comment}",
            recipients=list(COMPLAINT_RECIPIENTS), raised_at=now)
        rec["signals"] = [*rec.get("signals", []), oversight.record_id("SIG", "C2", case_no, draft.cause)]
    _save(stores, item)  # version-checked: a concurrent second rating loses with 409
    if draft is not None:
        oversight.raise_record(stores, "SIG", draft)
    return complaint_public_view(rec)


def list_complaints(stores: Stores, principal: Principal, *, status: str | None, dept_code: str | None,
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
        return not only_overdue or bool(complaint_staff_view(rec, as_of, show_identity=False)["overdue"])

    pk, index = (f"CPLDEPT#{dept_code}", "gsi1") if dept_code else ("CPLS", "gsi2")
    bodies, nxt = _scan(stores, pk, index, keep, limit, cursor)
    return {"items": [complaint_staff_view(b, as_of, show_identity=not scoped) for b in bodies], "next": nxt,
            "as_of": _iso(as_of)}


# --- consultations --------------------------------------------------------------------------------


def submit_consultation(stores: Stores, cal: Calendar, principal: Principal, body: ConsultationIn,
                        now: datetime) -> dict[str, Any]:
    _require_department(stores, body.dept_code)
    item_code = None
    if body.item_code:
        try:
            item_code = normalize_code(body.item_code)
        except InvalidCodeError as exc:
            raise ValidationError("事项编码有误", [field_error("item_code", str(exc))]) from None
        if item_code[6:9] != body.dept_code:
            raise ValidationError("事项不属于所咨询的部门", [field_error(
                "item_code", f"该事项属于部门 {item_code[6:9]}，不属于 {body.dept_code}")])
    received = _intake_time(principal, body.channel, body.received_at, now)
    deadline = cal.add_working_days(local_date(received), ANSWER_WORKING_DAYS).due
    code = new_query_code()

    def build(no: str) -> dict[str, Any]:
        return {
            "consultation_no": no, "channel": body.channel, "dept_code": body.dept_code,
            "item_code": item_code,
            "question": body.question, "name": body.name, "phone": body.phone, "code_hash": code_hash(code),
            "received_at": _iso(received), "answer_deadline": deadline.isoformat(), "status": "open",
            "answer": None, "history": [],
        }

    rec = _create(stores, "ZX", "CSL", body.dept_code, received, build)
    return {"consultation_no": rec["consultation_no"], "answer_deadline": deadline.isoformat(),
            "query_code": code, "received_at": rec["received_at"], "status": "open"}


def consultation_staff_view(rec: dict[str, Any], as_of: datetime) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if k != "code_hash"}
    answer = rec.get("answer") or {}
    out["answer_overdue"] = overdue(_d(rec.get("answer_deadline")), _dt(answer.get("at")), as_of)
    out["overdue"] = out["answer_overdue"]
    out["as_of"] = _iso(as_of)
    return out


def consultation_public_view(rec: dict[str, Any]) -> dict[str, Any]:
    answer = rec.get("answer") or {}
    return {
        "consultation_no": rec["consultation_no"], "dept_code": rec["dept_code"],
        "item_code": rec.get("item_code"), "question": rec["question"], "status": rec["status"],
        "received_at": rec["received_at"], "answer_deadline": rec["answer_deadline"],
        "answer": masking.scrub(answer.get("text")), "answered_at": answer.get("at"),
    }


def get_consultation(stores: Stores, principal: Principal, no: str, code: str | None,
                     as_of: datetime) -> dict[str, Any]:
    item = stores.table("oversight").get(f"CSL#{no}", "CSL") if len(no) <= 40 else None
    if item is not None and code and code_ok(item.body.get("code_hash"), code):
        return consultation_public_view(item.body)
    staff = principal.kind != "anonymous" and bool(principal.roles & ({"supervisor"} | DEPT_ROLES))
    if item is not None and not code and staff and principal.may_see_dept(item.body["dept_code"]):
        return consultation_staff_view(item.body, as_of)
    raise NotFoundError("未找到咨询或查询码错误")


def answer_consultation(stores: Stores, principal: Principal, no: str, body: ConsultationAnswerIn,
                        now: datetime) -> dict[str, Any]:
    """The department's answer (答复), once."""
    item = _load(stores, "CSL", no)
    rec = item.body
    if not principal.may_see_dept(rec["dept_code"]):
        raise ForbiddenError("只能答复本部门的咨询")
    if rec["status"] != "open":
        raise ConflictError("该咨询已答复")
    at = _action_time(rec, body.at, now)
    late = overdue(_d(rec["answer_deadline"]), at, at)
    rec["answer"] = {"text": body.answer, "at": _iso(at), "by": principal.actor_name, "late": late}
    rec["status"] = "answered"
    _history(rec, at, principal.actor_name, "answer", body.answer)
    _save(stores, item)
    return consultation_staff_view(rec, at)


def list_consultations(stores: Stores, principal: Principal, *, status: str | None, dept_code: str | None,
                       only_overdue: bool, as_of: datetime, limit: int, cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的咨询")
        dept_code = principal.dept_code

    def keep(rec: dict[str, Any]) -> bool:
        if status and rec.get("status") != status:
            return False
        return not only_overdue or consultation_staff_view(rec, as_of)["overdue"]

    pk, index = (f"CSLDEPT#{dept_code}", "gsi1") if dept_code else ("CSLS", "gsi2")
    bodies, nxt = _scan(stores, pk, index, keep, limit, cursor)
    return {"items": [consultation_staff_view(b, as_of) for b in bodies], "next": nxt, "as_of": _iso(as_of)}
