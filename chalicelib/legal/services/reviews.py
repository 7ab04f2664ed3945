"""Reconsideration (行政复议) and litigation (行政应诉) records, linked to the original case: the use
cases. Limits and the lifecycle are in ``domain.reconsideration``; the records in
``repositories.Reviews``."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.repositories import PublicResults
from chalicelib.cases.services import projection
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.periods import local_date, periods_of
from chalicelib.kernel.ports import ConditionFailedError, Item

from ..domain import reconsideration as recon
from ..domain.normdocs import journal
from ..domain.reconsideration import Review
from ..repositories import ReviewKind, Reviews
from .office import action_day, departments, office_config, record_id


class ReconsiderationIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    ref_no: str = Field(min_length=1, max_length=100, description="复议案号")
    case_no: str = Field(min_length=4, max_length=40, description="原行政行为的案件编号")
    applicant: str | None = Field(default=None, max_length=200)
    request: str | None = Field(default=None, max_length=5000, description="复议请求")
    learned_on: date = Field(description="申请人知道该具体行政行为之日")
    applied_on: date = Field(description="收到复议申请之日")


class LitigationIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    ref_no: str = Field(min_length=1, max_length=100, description="法院案号")
    case_no: str = Field(min_length=4, max_length=40, description="原行政行为的案件编号")
    court: str = Field(min_length=2, max_length=200)
    plaintiff: str | None = Field(default=None, max_length=200)
    claims: str | None = Field(default=None, max_length=5000)
    served_on: date = Field(description="收到起诉状副本之日")


class AcceptanceIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    decision: Literal["accepted", "rejected"]
    on: date
    reason: str | None = Field(default=None, max_length=5000)


class ExtensionIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    on: date
    approver: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=2, max_length=5000)


class DefenceIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    on: date = Field(description="提交答辩状和证据之日")


class ReviewDecisionIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    outcome: str = Field(
        min_length=2,
        max_length=30,
        description="uphold/revoke/vary/confirm_illegal/order_performance（或中文：维持/撤销/变更/确认违法/责令履行）",
    )
    decided_on: date
    summary: str | None = Field(default=None, max_length=5000)
    follow_up: str | None = Field(default=None, max_length=5000, description="纠错整改情况")
    appealed: bool | None = Field(default=None, description="行政应诉：是否上诉")


def _act_day(view: CaseView) -> date | None:
    pen = view.penalty
    at = (pen.decision.decided_at if pen is not None and pen.decision is not None else None) or view.concluded_at \
        or view.accepted_at
    return local_date(at) if at is not None else None


def _linked_case(deps: Deps, principal: Principal, case_no: str) -> tuple[CaseView, date | None]:
    found = projection.get_view(deps.stores, case_no)
    if found is None:
        raise ValidationError("原案件不存在", [field_error("case_no", "平台上没有该案件编号", "unknown")])
    view = found[0]
    if not principal.may_see_dept(view.dept_code):
        raise ForbiddenError("只能登记本部门案件的复议或应诉", [field_error("case_no", "不是本部门的案件", "forbidden")])
    return view, _act_day(view)


def _create(deps: Deps, kind: ReviewKind, rec: dict[str, Any], sort_day: str) -> None:
    try:
        Reviews(deps.stores).add(kind, rec, sort_day)
    except ConditionFailedError:
        raise ConflictError(f"案号 {rec['ref_no']} 已登记", [field_error("ref_no", "案号已存在", "duplicate")]) from None


def _base(deps: Deps, principal: Principal, kind: str, view: CaseView, act_on: date | None,
          ref_no: str) -> dict[str, Any]:
    return {"id": record_id("RC" if kind == "reconsideration" else "LT", ref_no), "kind": kind, "ref_no": ref_no,
            "case_no": view.case_no, "item_code": view.item_code, "item_name": view.item_name,
            "dept_code": view.dept_code, "act_on": act_on.isoformat() if act_on else None}


def create_reconsideration(deps: Deps, principal: Principal, body: ReconsiderationIn, today: date) -> dict[str, Any]:
    """登记复议申请, linked to the original case; flags an application after 60 days."""
    view, act_on = _linked_case(deps, principal, body.case_no)
    problems = []
    if act_on is not None and body.learned_on < act_on:
        problems.append(field_error("learned_on", f"不能早于原行政行为日期（{act_on.isoformat()}）"))
    if body.applied_on < body.learned_on:
        problems.append(field_error("applied_on", "不能早于知道具体行政行为之日"))
    if body.applied_on > today:
        problems.append(field_error("applied_on", "日期不能晚于今天"))
    if problems:
        raise ValidationError("复议申请日期有误", problems)
    rec: dict[str, Any] = {
        **_base(deps, principal, "reconsideration", view, act_on, body.ref_no),
        "applicant": body.applicant, "request": body.request, "learned_on": body.learned_on.isoformat(),
        "applied_on": body.applied_on.isoformat(), "acceptance": None, "extension": None, "decision": None,
        "status": "applied", "recorded_by": principal.actor_name, "recorded_at": deps.now().isoformat(), "history": [],
    }
    journal(rec, "apply", body.applied_on, deps.now(), principal.actor_name)
    _create(deps, "reconsideration", rec, rec["applied_on"])
    return with_limits(deps, rec, today)


def create_litigation(deps: Deps, principal: Principal, body: LitigationIn, today: date) -> dict[str, Any]:
    """登记行政应诉, linked to the original case; the defence is due 15 days after service."""
    view, act_on = _linked_case(deps, principal, body.case_no)
    if body.served_on > today or (act_on is not None and body.served_on < act_on):
        raise ValidationError("送达日期有误", [field_error("served_on", "应在原行政行为之后且不晚于今天")])
    rec: dict[str, Any] = {
        **_base(deps, principal, "litigation", view, act_on, body.ref_no),
        "court": body.court, "plaintiff": body.plaintiff, "claims": body.claims,
        "served_on": body.served_on.isoformat(), "defence_filed_on": None, "decision": None, "status": "served",
        "recorded_by": principal.actor_name, "recorded_at": deps.now().isoformat(), "history": [],
    }
    journal(rec, "served", body.served_on, deps.now(), principal.actor_name)
    _create(deps, "litigation", rec, rec["served_on"])
    return with_limits(deps, rec, today)


def with_limits(deps: Deps, rec: dict[str, Any], as_of: date, cfg: recon.OfficeConfig | None = None) -> dict[str, Any]:
    """The record with its deadlines and lateness flags as of ``as_of``."""
    limits = Review(rec).limits(deps.calendar, cfg or office_config(deps), as_of)
    return {**rec, "limits": {**limits, "as_of": as_of.isoformat()}}


def _load(deps: Deps, principal: Principal, kind: ReviewKind, rid: str) -> tuple[Review, Item]:
    item = Reviews(deps.stores).get(kind, rid)
    if item is None or not principal.may_see_dept(item.body.get("dept_code")):
        raise NotFoundError(f"{recon.KIND_NAMES[kind]}记录不存在")
    return Review(item.body), item


def get_review(deps: Deps, principal: Principal, kind: ReviewKind, rid: str, as_of: date) -> dict[str, Any]:
    return with_limits(deps, _load(deps, principal, kind, rid)[0].rec, as_of)


def list_reviews(deps: Deps, principal: Principal, kind: ReviewKind, *, case_no: str | None, dept_code: str | None,
                 as_of: date, limit: int, cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    cfg = office_config(deps)
    reviews = Reviews(deps.stores)
    if case_no:
        bodies = [b for b in reviews.of_case(kind, case_no) if not dept_code or b["dept_code"] == dept_code]
        return {"items": [with_limits(deps, b, as_of, cfg) for b in bodies[:limit]], "next": None}
    page = reviews.page(kind, dept_code, limit, cursor)
    return {"items": [with_limits(deps, i.body, as_of, cfg) for i in page.items], "next": page.next}


def _save(deps: Deps, review: Review, item: Item, principal: Principal, action: str, on: date,
          text: str | None = None) -> None:
    journal(review.rec, action, on, deps.now(), principal.actor_name, text)
    Reviews(deps.stores).save(item)


def accept_reconsideration(deps: Deps, principal: Principal, rid: str, body: AcceptanceIn, today: date) -> dict[str, Any]:
    """受理决定 (accept or reject, a rejection with its reason)."""
    review, item = _load(deps, principal, "reconsideration", rid)
    if review.rec.get("acceptance"):
        raise ConflictError("已作出受理决定")
    on = action_day(body.on, today, date.fromisoformat(review.rec["applied_on"]), "on", "收到申请日期")
    review.accept(body.decision, body.reason, on)
    _save(deps, review, item, principal, f"acceptance:{body.decision}", on, body.reason)
    return with_limits(deps, review.rec, today)


def extend_reconsideration(deps: Deps, principal: Principal, rid: str, body: ExtensionIn, today: date) -> dict[str, Any]:
    """延长审理期限 (once, by at most 30 days, before the original limit ends)."""
    review, item = _load(deps, principal, "reconsideration", rid)
    cfg = office_config(deps)
    accepted_on = (review.rec.get("acceptance") or {}).get("on")
    on = action_day(body.on, today, date.fromisoformat(accepted_on) if accepted_on else None, "on", "受理日期")
    problem = recon.extension_problem(review.facts(), on, deps.calendar, cfg)
    if problem:
        raise ConflictError(problem)
    review.extend(on, body.approver, body.reason)
    _save(deps, review, item, principal, "extend", on, body.reason)
    return with_limits(deps, review.rec, today, cfg)


def file_defence(deps: Deps, principal: Principal, rid: str, body: DefenceIn, today: date) -> dict[str, Any]:
    review, item = _load(deps, principal, "litigation", rid)
    if review.rec.get("defence_filed_on"):
        raise ConflictError("已提交答辩状")
    on = action_day(body.on, today, date.fromisoformat(review.rec["served_on"]), "on", "收到起诉状副本日期")
    review.defend(on)
    _save(deps, review, item, principal, "defence", on)
    return with_limits(deps, review.rec, today)


def decide_review(deps: Deps, principal: Principal, kind: ReviewKind, rid: str, body: ReviewDecisionIn,
                  today: date) -> dict[str, Any]:
    """复议决定 / 判决: one of 维持/撤销/变更/确认违法/责令履行."""
    review, item = _load(deps, principal, kind, rid)
    outcome = recon.outcome_code(body.outcome)
    if outcome is None:
        raise ValidationError("决定结果有误", [field_error("outcome", "应为 " + "/".join(recon.OUTCOMES.values()))])
    if review.rec.get("decision"):
        raise ConflictError("已作出决定")
    floor, floor_name = review.decision_floor()
    on = action_day(body.decided_on, today, floor, "decided_on", floor_name)
    review.decide(outcome, on, body.summary, body.follow_up, body.appealed)
    _save(deps, review, item, principal, f"decision:{outcome}", on, body.summary)
    return with_limits(deps, review.rec, today)


def _in_period(day: str | None, period: str | None) -> bool:
    if not period:
        return True
    if not day:
        return False
    try:
        at = datetime.fromisoformat(day)
    except ValueError:
        return False
    local = local_date(at) if at.tzinfo is not None else at.date()
    return period in periods_of(local)


def review_rates(deps: Deps, by: recon.RateBy, period: str | None = None) -> dict[str, Any]:
    """Reconsideration and litigation rates per item or department (docs/DOMAIN.md §7.5 metrics).

    Decisions are the published results (penalty decisions and concluded cases) of the period.
    """
    decisions: dict[str, int] = {}
    for b in PublicResults(deps.stores).all():
        if not _in_period(b.get("concluded_at"), period):
            continue
        key = b.get("item_code") if by == "item" else b.get("dept_code")
        if key:
            decisions[key] = decisions.get(key, 0) + 1
    facts: list[recon.ReviewFact] = []
    reviews = Reviews(deps.stores)
    for kind in ("reconsideration", "litigation"):
        for it in reviews.all(kind):  # type: ignore[arg-type]
            b = it.body
            day = b.get("applied_on") if kind == "reconsideration" else b.get("served_on")
            if _in_period(day, period):
                facts.append(recon.ReviewFact(kind=kind, item_code=b["item_code"], dept_code=b["dept_code"],
                                              outcome=(b.get("decision") or {}).get("outcome")))
    rows = recon.rates(facts, decisions, by)
    if by == "dept":
        depts = departments(deps)
        for r in rows:
            d = depts.get(r["dept_code"], {})
            r.update(dept_name=d.get("name"), level=d.get("level"))
    return {"by": by, "period": period, "items": rows, "next": None}
