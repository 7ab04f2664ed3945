"""Normative-document filing (规范性文件备案): the use cases. The rules and the lifecycle are in
``domain.normdocs``; the records in ``repositories.NormativeDocuments``."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.ports import ConditionFailedError, Item

from ..domain import normdocs
from ..domain.normdocs import Filing, journal
from ..repositories import NormativeDocuments
from .office import TEXT_LIMIT, action_day, office_config, record_id, require_dept


class NormDocParts(BaseModel):
    """备案材料: each part is its text (or the reference of its electronic file)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    filing_report: str | None = Field(default=None, max_length=TEXT_LIMIT)
    official_text: str | None = Field(default=None, max_length=TEXT_LIMIT * 10)
    explanatory_note: str | None = Field(default=None, max_length=TEXT_LIMIT)
    legal_office_opinion: str | None = Field(default=None, max_length=TEXT_LIMIT)
    effect_gap_reason: str | None = Field(default=None, max_length=TEXT_LIMIT)


class NormDocIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    doc_no: str = Field(min_length=1, max_length=100, description="文号，如 徐政规〔2012〕3号")
    title: str = Field(min_length=2, max_length=200)
    dept_code: str = Field(pattern=r"^\d{3}$", description="制定机关（部门代码）")
    published_on: date = Field(description="公布（印发）日期")
    effective_on: date = Field(description="施行日期")
    filed_on: date | None = Field(default=None, description="收到备案日期（仅法制办补录纸质备案时填写）")
    parts: NormDocParts = Field(default_factory=NormDocParts)


class NormDocActionIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    on: date | None = Field(default=None, description="办理日期，默认今天")
    note: str | None = Field(default=None, max_length=2000)


class NormDocHoldIn(NormDocActionIn):
    missing: list[
        Literal[
            "filing_report", "official_text", "explanatory_note", "legal_office_opinion", "effect_gap_reason"
        ]
    ] = Field(min_length=1, max_length=5)
    deadline: date = Field(description="补报期限")


class NormDocSupplementIn(NormDocActionIn):
    parts: NormDocParts


class NormDocFindingIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    point: Literal["authority", "conflict_law", "conflict_policy", "procedure", "other"]
    text: str = Field(min_length=2, max_length=5000)


class NormDocReviewIn(NormDocActionIn):
    outcome: Literal["ok", "correction_requested", "revoked"]
    findings: list[NormDocFindingIn] = Field(default_factory=list, max_length=50)


def file_normdoc(deps: Deps, principal: Principal, body: NormDocIn, today: date) -> dict[str, Any]:
    """备案: check the package, compute the filing deadline and store the filing."""
    dept = require_dept(deps, principal, body.dept_code)
    if body.filed_on is not None and body.filed_on != today and "legal" not in principal.roles:
        raise ForbiddenError("只有法制办可以补录其他日期收到的备案",
                             [field_error("filed_on", "部门报送的备案以今天为收到日期", "forbidden")])
    cfg = office_config(deps)
    parts = body.parts.model_dump()
    min_gap = cfg.value("normdoc_min_effect_gap_days", body.published_on)
    problems = normdocs.filing_problems(parts, body.published_on, body.effective_on, min_gap)
    filed_on = body.filed_on or today
    if filed_on > today:
        problems.append(field_error("filed_on", "日期不能晚于今天"))
    elif filed_on < body.published_on:
        problems.append(field_error("filed_on", "收到备案日期不能早于公布日期"))
    if problems:
        raise ValidationError("备案材料不齐全或有误", problems)
    wd = cfg.value("normdoc_filing_wd", body.published_on)
    deadline = normdocs.filing_deadline(body.published_on, wd, deps.calendar)
    rec: dict[str, Any] = {
        "id": record_id("ND", body.dept_code, body.doc_no), "doc_no": body.doc_no, "title": body.title,
        "dept_code": body.dept_code, "dept_name": dept.get("name"), "level": dept.get("level"),
        "published_on": body.published_on.isoformat(), "effective_on": body.effective_on.isoformat(),
        "effect_gap_days": (body.effective_on - body.published_on).days,
        "effect_gap_short": normdocs.effect_gap_short(body.published_on, body.effective_on, min_gap),
        "filed_on": filed_on.isoformat(), "filed_by": principal.actor_name, "filing_deadline": deadline.isoformat(),
        "filing_working_days": wd, "overdue_filing": filed_on > deadline,
        "list_quarter": normdocs.list_quarter_for_filing(filed_on), "status": "filed",
        "parts": {k: v for k, v in parts.items() if v}, "hold": None, "registered_on": None, "review": None,
        "history": [],
    }
    journal(rec, "file", filed_on, deps.now(), principal.actor_name)
    try:
        NormativeDocuments(deps.stores).add(rec)
    except ConditionFailedError:
        raise ConflictError(f"文件 {body.doc_no} 已经报送备案",
                            [field_error("doc_no", "同一制定机关的文号已备案", "duplicate")]) from None
    return Filing(rec).out()


def _load(deps: Deps, principal: Principal, doc_id: str) -> tuple[Filing, Item]:
    item = NormativeDocuments(deps.stores).get(doc_id)
    if item is None or not principal.may_see_dept(item.body.get("dept_code")):
        raise NotFoundError("备案记录不存在")
    return Filing(item.body), item


def get_normdoc(deps: Deps, principal: Principal, doc_id: str) -> dict[str, Any]:
    return _load(deps, principal, doc_id)[0].out()


def list_normdocs(deps: Deps, principal: Principal, dept_code: str | None, status: str | None, limit: int,
                  cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    page = NormativeDocuments(deps.stores).page(dept_code, limit, cursor)
    items = [Filing(i.body).out() for i in page.items if not status or i.body.get("status") == status]
    return {"items": items, "next": page.next}


def register_normdoc(deps: Deps, principal: Principal, doc_id: str, body: NormDocActionIn,
                     today: date) -> dict[str, Any]:
    """登记: the legal office registers a complete filing; review follows."""
    filing, item = _load(deps, principal, doc_id)
    filing.allow("register")
    on = action_day(body.on, today, date.fromisoformat(filing.rec["filed_on"]), "on", "收到备案日期")
    filing.register(on, deps.now(), principal.actor_name, body.note)
    NormativeDocuments(deps.stores).save(item)
    return filing.out()


def hold_normdoc(deps: Deps, principal: Principal, doc_id: str, body: NormDocHoldIn, today: date) -> dict[str, Any]:
    """暂缓登记: name the deficient parts and the supplement deadline."""
    filing, item = _load(deps, principal, doc_id)
    filing.allow("hold")
    on = action_day(body.on, today, date.fromisoformat(filing.rec["filed_on"]), "on", "收到备案日期")
    filing.hold(list(body.missing), body.deadline, on, deps.now(), principal.actor_name, body.note)
    NormativeDocuments(deps.stores).save(item)
    return filing.out()


def supplement_normdoc(deps: Deps, principal: Principal, doc_id: str, body: NormDocSupplementIn,
                       today: date) -> dict[str, Any]:
    """补报: the drafter supplies the missing parts (or the corrected document)."""
    filing, item = _load(deps, principal, doc_id)
    filing.allow("supplement")
    rec = filing.rec
    given = {k: v for k, v in body.parts.model_dump().items() if v}
    if filing.status == "held":
        absent = filing.missing_from(given)
        if absent:
            raise ValidationError("补报材料不齐全",
                                  [field_error(f"parts.{p}", f"缺少{normdocs.PARTS[p]}", "missing") for p in absent])
        floor = date.fromisoformat((rec["hold"] or {}).get("on") or rec["filed_on"])
        on = action_day(body.on, today, floor, "on", "暂缓登记日期")
    else:
        if not given:
            raise ValidationError("补报材料为空", [field_error("parts", "请提交纠正后的文件或说明", "missing")])
        floor = date.fromisoformat((rec.get("review") or {}).get("on") or rec["filed_on"])
        on = action_day(body.on, today, floor, "on", "审查日期")
    filing.supplement(given, on, deps.now(), principal.actor_name, body.note)
    NormativeDocuments(deps.stores).save(item)
    return filing.out()


def review_normdoc(deps: Deps, principal: Principal, doc_id: str, body: NormDocReviewIn,
                   today: date) -> dict[str, Any]:
    """审查结论: ok, correction requested (the drafter corrects or repeals), or revoked."""
    filing, item = _load(deps, principal, doc_id)
    filing.allow("review")
    findings = [f.model_dump() for f in body.findings]
    problems = normdocs.review_problems(body.outcome, findings)
    if problems:
        raise ValidationError("审查结论有误", problems)
    on = action_day(body.on, today, date.fromisoformat(filing.rec["registered_on"]), "on", "登记日期")
    filing.review(body.outcome, findings, on, deps.now(), principal.actor_name, body.note)
    NormativeDocuments(deps.stores).save(item)
    return filing.out()


def published_list(deps: Deps, quarter: str, as_of: date) -> dict[str, Any]:
    """The quarterly list (备案目录) as published: see :mod:`chalicelib.legal.domain.normdocs`."""
    window = normdocs.quarter_window(quarter)
    if window is None:
        raise ValidationError("季度格式有误", [field_error("query.quarter", "季度格式应为 2012Q3")])
    out: dict[str, Any] = {
        "quarter": quarter, "filed_from": window.filed_from.isoformat(), "filed_to": window.filed_to.isoformat(),
        "publish_on": window.publish_on.isoformat(), "published": window.published_by(as_of), "items": [],
        "next": None,
    }
    if not out["published"]:
        return out
    rows = NormativeDocuments(deps.stores).filed_between(window.filed_from.isoformat(), window.filed_to.isoformat())
    keys = ("id", "doc_no", "title", "dept_code", "dept_name", "published_on", "effective_on", "filed_on",
            "registered_on", "status")
    out["items"] = [
        {**{k: r.get(k) for k in keys}, "status_name": normdocs.STATUS_NAMES.get(r["status"], r["status"])}
        for r in rows
        if r.get("status") in normdocs.REGISTERED_STATUSES and window.covers(date.fromisoformat(r["filed_on"]))
    ]
    return out
