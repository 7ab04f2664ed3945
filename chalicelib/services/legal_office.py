"""The legal office's own work (法制办): normative-document filing (规范性文件备案), reconsideration
and litigation records (行政复议/行政应诉), and its views of the catalog (L12 catalog governance).

Storage (oversight table):

* ``NORMDOC#{id} / NORMDOC`` a filing; ``gsi1`` ``NORMDOCDEPT#{dept}`` and ``gsi2`` ``NORMDOCS``, both
  sorted by ``{filed_on}#{id}`` (the quarterly list reads one date range of ``NORMDOCS``).
* ``RECON#{id} / RECON`` and ``LITIG#{id} / LITIG``; ``gsi1`` ``{RECON|LITIG}DEPT#{dept}``, ``gsi2``
  ``RECONS`` / ``LITIGS`` sorted by ``{date}#{id}``; ``REVIEWCASE#{case_no} / {kind}#{id}`` links a
  case to its records.
* ``GOVTRIG#{id} / TRIGGER`` law-change triggers (目录调整触发); ``gsi2`` ``GOVTRIGS``.

Legal-office limits (filing deadline, reconsideration and litigation limits) are dated values at
catalog ``CONFIG / LEGAL_OFFICE`` (body ``{"overrides": ...}``, :class:`OfficeConfig` format).
Ids are derived from natural keys (issuer + document number, reference number, trigger), so a
repeated request answers 409 instead of creating a twin.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import wiring
from ..domain import legal, normdocs, stats
from ..domain import reconsideration as recon
from ..domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from ..identity.domain.roles import Principal
from ..identity.services import departments as identity
from . import catalog, oversight, projection
from .ports import ConditionFailedError, Item, Stores

TABLE = "oversight"
ReviewKind = Literal["reconsideration", "litigation"]
_KEY = {"reconsideration": "RECON", "litigation": "LITIG"}
LEVEL_NAMES = {"city": "市级", "county": "县级"}
_TEXT = 20000


# --------------------------------------------------------------------------- input models


class NormDocParts(BaseModel):
    """备案材料: each part is its text (or the reference of its electronic file)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    filing_report: str | None = Field(default=None, max_length=_TEXT)
    official_text: str | None = Field(default=None, max_length=_TEXT * 10)
    explanatory_note: str | None = Field(default=None, max_length=_TEXT)
    legal_office_opinion: str | None = Field(default=None, max_length=_TEXT)
    effect_gap_reason: str | None = Field(default=None, max_length=_TEXT)


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


class TriggerIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    dept_code: str = Field(pattern=r"^\d{3}$")
    basis_id: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    triggered_on: date
    note: str | None = Field(default=None, max_length=2000)


class GovernanceCheckIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    as_of: date
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")


# --------------------------------------------------------------------------- helpers


def _id(prefix: str, *parts: str) -> str:
    return f"{prefix}-{hashlib.sha256('|'.join(parts).encode()).hexdigest()[:16].upper()}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def office_config(stores: Stores) -> recon.OfficeConfig:
    item = stores.table("catalog").get("CONFIG", "LEGAL_OFFICE")
    return recon.OfficeConfig.from_dict(item.body.get("overrides", {})) if item else recon.OfficeConfig()


def save_office_config(stores: Stores, raw: Any) -> dict[str, Any]:
    cfg = recon.OfficeConfig.from_dict(raw)
    stores.table("catalog").put(
        Item(pk="CONFIG", sk="LEGAL_OFFICE", body={"overrides": raw, "updated_at": _now()})
    )
    return {"overrides": raw, "config": cfg.to_dict()}


def _departments(stores: Stores) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in identity.list_departments(stores)}


def _require_dept(
    stores: Stores, principal: Principal, dept_code: str, field: str = "dept_code"
) -> dict[str, Any]:
    if not principal.may_see_dept(dept_code):
        raise ForbiddenError("只能办理本部门的事项", [field_error(field, "不是本部门", "forbidden")])
    dept = identity.get_department(stores, dept_code)
    if dept is None:
        raise ValidationError("部门不存在", [field_error(field, "未知部门代码", "unknown")])
    return dept


def _day(on: date | None, today: date, floor: date | None, field: str, floor_name: str) -> date:
    """An action date: today by default, never in the future, never before ``floor``."""
    day = on or today
    if day > today:
        raise ValidationError("日期不能晚于今天", [field_error(field, "日期不能晚于今天")])
    if floor is not None and day < floor:
        raise ValidationError(
            "日期有误", [field_error(field, f"不能早于{floor_name}（{floor.isoformat()}）")]
        )
    return day


def _history(
    rec: dict[str, Any], principal: Principal, action: str, on: date, text: str | None = None
) -> None:
    rec["history"] = [
        *rec.get("history", []),
        {"action": action, "on": on.isoformat(), "at": _now(), "by": principal.actor_name, "text": text},
    ]


def _save(stores: Stores, item: Item) -> None:
    try:
        stores.table(TABLE).put(item, expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("记录已被他人修改，请刷新后重试") from None


def page_rows(
    rows: list[dict[str, Any]], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    start = int(cursor) if cursor and cursor.isdigit() else 0
    end = start + limit
    return rows[start:end], (str(end) if end < len(rows) else None)


def _query_all(
    stores: Stores,
    pk: str,
    index: str | None,
    sk_from: str = "",
    sk_to: str | None = None,
) -> list[Item]:
    return stores.table(TABLE).query_all(pk, sk_from, index=index, sk_lte=sk_to)


# --------------------------------------------------------------------------- normative documents


def _normdoc_item(rec: dict[str, Any], version: int | None = None) -> Item:
    sk = f"{rec['filed_on']}#{rec['id']}"
    return Item(
        pk=f"NORMDOC#{rec['id']}",
        sk="NORMDOC",
        body=rec,
        gsi1pk=f"NORMDOCDEPT#{rec['dept_code']}",
        gsi1sk=sk,
        gsi2pk="NORMDOCS",
        gsi2sk=sk,
        version=version,
    )


def file_normdoc(stores: Stores, principal: Principal, body: NormDocIn, today: date) -> dict[str, Any]:
    """备案: check the package, compute the filing deadline and store the filing."""
    dept = _require_dept(stores, principal, body.dept_code)
    if (
        body.filed_on is not None
        and body.filed_on != today
        and "legal" not in principal.roles
    ):
        raise ForbiddenError(
            "只有法制办可以补录其他日期收到的备案",
            [field_error("filed_on", "部门报送的备案以今天为收到日期", "forbidden")],
        )
    cfg = office_config(stores)
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
    deadline = normdocs.filing_deadline(body.published_on, wd, wiring.calendar())
    doc_id = _id("ND", body.dept_code, body.doc_no)
    rec: dict[str, Any] = {
        "id": doc_id,
        "doc_no": body.doc_no,
        "title": body.title,
        "dept_code": body.dept_code,
        "dept_name": dept.get("name"),
        "level": dept.get("level"),
        "published_on": body.published_on.isoformat(),
        "effective_on": body.effective_on.isoformat(),
        "effect_gap_days": (body.effective_on - body.published_on).days,
        "effect_gap_short": normdocs.effect_gap_short(body.published_on, body.effective_on, min_gap),
        "filed_on": filed_on.isoformat(),
        "filed_by": principal.actor_name,
        "filing_deadline": deadline.isoformat(),
        "filing_working_days": wd,
        "overdue_filing": filed_on > deadline,
        "list_quarter": normdocs.list_quarter_for_filing(filed_on),
        "status": "filed",
        "parts": {k: v for k, v in parts.items() if v},
        "hold": None,
        "registered_on": None,
        "review": None,
        "history": [],
    }
    _history(rec, principal, "file", filed_on)
    try:
        stores.table(TABLE).put(_normdoc_item(rec), if_absent=True)
    except ConditionFailedError:
        raise ConflictError(
            f"文件 {body.doc_no} 已经报送备案",
            [field_error("doc_no", "同一制定机关的文号已备案", "duplicate")],
        ) from None
    return _normdoc_out(rec)


def _normdoc_out(rec: dict[str, Any]) -> dict[str, Any]:
    return {**rec, "status_name": normdocs.STATUS_NAMES.get(rec["status"], rec["status"])}


def _load_normdoc(stores: Stores, principal: Principal, doc_id: str) -> Item:
    item = stores.table(TABLE).get(f"NORMDOC#{doc_id}", "NORMDOC")
    if item is None or not principal.may_see_dept(item.body.get("dept_code")):
        raise NotFoundError("备案记录不存在")
    return item


def get_normdoc(stores: Stores, principal: Principal, doc_id: str) -> dict[str, Any]:
    return _normdoc_out(_load_normdoc(stores, principal, doc_id).body)


def list_normdocs(
    stores: Stores,
    principal: Principal,
    dept_code: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    pk, index = (f"NORMDOCDEPT#{dept_code}", "gsi1") if dept_code else ("NORMDOCS", "gsi2")
    page = stores.table(TABLE).query(pk, index=index, limit=limit, cursor=cursor, forward=False)
    items = [_normdoc_out(i.body) for i in page.items if not status or i.body.get("status") == status]
    return {"items": items, "next": page.next}


def _transition(stores: Stores, principal: Principal, doc_id: str, action: normdocs.Action) -> Item:
    item = _load_normdoc(stores, principal, doc_id)
    problem = normdocs.transition_problem(item.body["status"], action)
    if problem:
        raise ConflictError(problem)
    return item


def register_normdoc(
    stores: Stores, principal: Principal, doc_id: str, body: NormDocActionIn, today: date
) -> dict[str, Any]:
    """登记: the legal office registers a complete filing; review follows."""
    item = _transition(stores, principal, doc_id, "register")
    rec = item.body
    on = _day(body.on, today, date.fromisoformat(rec["filed_on"]), "on", "收到备案日期")
    rec.update(status="registered", registered_on=on.isoformat())
    _history(rec, principal, "register", on, body.note)
    _save(stores, item)
    return _normdoc_out(rec)


def hold_normdoc(
    stores: Stores, principal: Principal, doc_id: str, body: NormDocHoldIn, today: date
) -> dict[str, Any]:
    """暂缓登记: name the deficient parts and the supplement deadline."""
    item = _transition(stores, principal, doc_id, "hold")
    rec = item.body
    on = _day(body.on, today, date.fromisoformat(rec["filed_on"]), "on", "收到备案日期")
    if body.deadline <= on:
        raise ValidationError("补报期限有误", [field_error("deadline", "补报期限应晚于暂缓登记日期")])
    missing = list(dict.fromkeys(body.missing))
    rec.update(
        status="held",
        hold={
            "on": on.isoformat(),
            "missing": missing,
            "missing_names": [normdocs.PARTS[p] for p in missing],
            "deadline": body.deadline.isoformat(),
            "note": body.note,
            "supplemented_on": None,
            "supplement_late": None,
        },
    )
    _history(rec, principal, "hold", on, body.note)
    _save(stores, item)
    return _normdoc_out(rec)


def supplement_normdoc(
    stores: Stores, principal: Principal, doc_id: str, body: NormDocSupplementIn, today: date
) -> dict[str, Any]:
    """补报: the drafter supplies the missing parts (or the corrected document)."""
    item = _transition(stores, principal, doc_id, "supplement")
    rec = item.body
    given = {k: v for k, v in body.parts.model_dump().items() if v}
    if rec["status"] == "held":
        hold = rec["hold"] or {}
        floor = date.fromisoformat(hold.get("on") or rec["filed_on"])
        absent = [p for p in hold.get("missing", []) if p not in given]
        if absent:
            raise ValidationError(
                "补报材料不齐全",
                [field_error(f"parts.{p}", f"缺少{normdocs.PARTS[p]}", "missing") for p in absent],
            )
        on = _day(body.on, today, floor, "on", "暂缓登记日期")
        hold.update(supplemented_on=on.isoformat(), supplement_late=on > date.fromisoformat(hold["deadline"]))
        rec["hold"] = hold
    else:
        if not given:
            raise ValidationError(
                "补报材料为空", [field_error("parts", "请提交纠正后的文件或说明", "missing")]
            )
        floor = date.fromisoformat((rec.get("review") or {}).get("on") or rec["filed_on"])
        on = _day(body.on, today, floor, "on", "审查日期")
    rec["parts"] = {**rec.get("parts", {}), **given}
    rec["status"] = normdocs.after_supplement(rec["status"])
    _history(rec, principal, "supplement", on, body.note)
    _save(stores, item)
    return _normdoc_out(rec)


def review_normdoc(
    stores: Stores, principal: Principal, doc_id: str, body: NormDocReviewIn, today: date
) -> dict[str, Any]:
    """审查结论: ok, correction requested (the drafter corrects or repeals), or revoked."""
    item = _transition(stores, principal, doc_id, "review")
    rec = item.body
    findings = [f.model_dump() for f in body.findings]
    problems = normdocs.review_problems(body.outcome, findings)
    if problems:
        raise ValidationError("审查结论有误", problems)
    on = _day(body.on, today, date.fromisoformat(rec["registered_on"]), "on", "登记日期")
    for f in findings:
        f["point_name"] = normdocs.REVIEW_POINTS[f["point"]]
    rec["status"] = body.outcome
    rec["review"] = {
        "outcome": body.outcome,
        "on": on.isoformat(),
        "findings": findings,
        "note": body.note,
        "by": principal.actor_name,
    }
    rec["reviews"] = [*rec.get("reviews", []), rec["review"]]
    _history(rec, principal, f"review:{body.outcome}", on, body.note)
    _save(stores, item)
    return _normdoc_out(rec)


def published_list(stores: Stores, quarter: str, as_of: date) -> dict[str, Any]:
    """The quarterly list (备案目录) as published: see :mod:`chalicelib.domain.normdocs`."""
    window = normdocs.quarter_window(quarter)
    if window is None:
        raise ValidationError("季度格式有误", [field_error("query.quarter", "季度格式应为 2012Q3")])
    out: dict[str, Any] = {
        "quarter": quarter,
        "filed_from": window.filed_from.isoformat(),
        "filed_to": window.filed_to.isoformat(),
        "publish_on": window.publish_on.isoformat(),
        "published": window.published_by(as_of),
        "items": [],
        "next": None,
    }
    if not out["published"]:
        return out
    rows = _query_all(
        stores, "NORMDOCS", "gsi2", window.filed_from.isoformat(), f"{window.filed_to.isoformat()}#~"
    )
    out["items"] = [
        {
            "id": r["id"],
            "doc_no": r["doc_no"],
            "title": r["title"],
            "dept_code": r["dept_code"],
            "dept_name": r.get("dept_name"),
            "published_on": r["published_on"],
            "effective_on": r["effective_on"],
            "filed_on": r["filed_on"],
            "registered_on": r.get("registered_on"),
            "status": r["status"],
            "status_name": normdocs.STATUS_NAMES.get(r["status"], r["status"]),
        }
        for r in (i.body for i in rows)
        if r.get("status") in normdocs.REGISTERED_STATUSES
        and window.covers(date.fromisoformat(r["filed_on"]))
    ]
    return out


# --------------------------------------------------------------------------- reconsideration / litigation


def _act_day(view: Any) -> date | None:
    pen = view.penalty
    at = (
        (pen.decision.decided_at if pen is not None and pen.decision is not None else None)
        or view.concluded_at
        or view.accepted_at
    )
    return stats.local_date(at) if at is not None else None


def _linked_case(stores: Stores, principal: Principal, case_no: str) -> tuple[Any, date | None]:
    found = projection.get_view(stores, case_no)
    if found is None:
        raise ValidationError("原案件不存在", [field_error("case_no", "平台上没有该案件编号", "unknown")])
    view = found[0]
    if not principal.may_see_dept(view.dept_code):
        raise ForbiddenError(
            "只能登记本部门案件的复议或应诉", [field_error("case_no", "不是本部门的案件", "forbidden")]
        )
    return view, _act_day(view)


def _review_item(kind: ReviewKind, rec: dict[str, Any], sort_day: str, version: int | None = None) -> Item:
    key = _KEY[kind]
    sk = f"{sort_day}#{rec['id']}"
    return Item(
        pk=f"{key}#{rec['id']}",
        sk=key,
        body=rec,
        gsi1pk=f"{key}DEPT#{rec['dept_code']}",
        gsi1sk=sk,
        gsi2pk=f"{key}S",
        gsi2sk=sk,
        version=version,
    )


def _create_review(stores: Stores, kind: ReviewKind, rec: dict[str, Any], sort_day: str) -> None:
    tx = stores.transaction()
    tx.put(TABLE, _review_item(kind, rec, sort_day), if_absent=True)
    tx.put(
        TABLE,
        Item(pk=f"REVIEWCASE#{rec['case_no']}", sk=f"{kind}#{rec['id']}", body={"id": rec["id"]}),
        if_absent=True,
    )
    try:
        tx.commit()
    except ConditionFailedError:
        raise ConflictError(
            f"案号 {rec['ref_no']} 已登记", [field_error("ref_no", "案号已存在", "duplicate")]
        ) from None


def create_reconsideration(
    stores: Stores, principal: Principal, body: ReconsiderationIn, today: date
) -> dict[str, Any]:
    """登记复议申请, linked to the original case; flags an application after 60 days."""
    view, act_on = _linked_case(stores, principal, body.case_no)
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
        "id": _id("RC", body.ref_no),
        "kind": "reconsideration",
        "ref_no": body.ref_no,
        "case_no": body.case_no,
        "item_code": view.item_code,
        "item_name": view.item_name,
        "dept_code": view.dept_code,
        "act_on": act_on.isoformat() if act_on else None,
        "applicant": body.applicant,
        "request": body.request,
        "learned_on": body.learned_on.isoformat(),
        "applied_on": body.applied_on.isoformat(),
        "acceptance": None,
        "extension": None,
        "decision": None,
        "status": "applied",
        "recorded_by": principal.actor_name,
        "recorded_at": _now(),
        "history": [],
    }
    _history(rec, principal, "apply", body.applied_on)
    _create_review(stores, "reconsideration", rec, rec["applied_on"])
    return with_limits(stores, rec, today)


def create_litigation(
    stores: Stores, principal: Principal, body: LitigationIn, today: date
) -> dict[str, Any]:
    """登记行政应诉, linked to the original case; the defence is due 15 days after service."""
    view, act_on = _linked_case(stores, principal, body.case_no)
    if body.served_on > today or (act_on is not None and body.served_on < act_on):
        raise ValidationError("送达日期有误", [field_error("served_on", "应在原行政行为之后且不晚于今天")])
    rec: dict[str, Any] = {
        "id": _id("LT", body.ref_no),
        "kind": "litigation",
        "ref_no": body.ref_no,
        "case_no": body.case_no,
        "item_code": view.item_code,
        "item_name": view.item_name,
        "dept_code": view.dept_code,
        "act_on": act_on.isoformat() if act_on else None,
        "court": body.court,
        "plaintiff": body.plaintiff,
        "claims": body.claims,
        "served_on": body.served_on.isoformat(),
        "defence_filed_on": None,
        "decision": None,
        "status": "served",
        "recorded_by": principal.actor_name,
        "recorded_at": _now(),
        "history": [],
    }
    _history(rec, principal, "served", body.served_on)
    _create_review(stores, "litigation", rec, rec["served_on"])
    return with_limits(stores, rec, today)


def _recon_facts(rec: dict[str, Any]) -> recon.Reconsideration:
    acc = rec.get("acceptance") or {}
    dec = rec.get("decision") or {}
    return recon.Reconsideration(
        learned_on=date.fromisoformat(rec["learned_on"]),
        applied_on=date.fromisoformat(rec["applied_on"]),
        acceptance_on=date.fromisoformat(acc["on"]) if acc.get("on") else None,
        accepted=(acc.get("decision") == "accepted") if acc else None,
        extended=rec.get("extension") is not None,
        decided_on=date.fromisoformat(dec["decided_on"]) if dec.get("decided_on") else None,
    )


def with_limits(
    stores: Stores, rec: dict[str, Any], as_of: date, cfg: recon.OfficeConfig | None = None
) -> dict[str, Any]:
    """The record with its deadlines and lateness flags as of ``as_of``."""
    cfg = cfg or office_config(stores)
    cal = wiring.calendar()
    if rec["kind"] == "reconsideration":
        limits = recon.reconsideration_limits(_recon_facts(rec), cal, cfg, as_of)
    else:
        dec = rec.get("decision") or {}
        lit = recon.Litigation(
            served_on=date.fromisoformat(rec["served_on"]),
            defence_filed_on=date.fromisoformat(rec["defence_filed_on"])
            if rec.get("defence_filed_on")
            else None,
            decided_on=date.fromisoformat(dec["decided_on"]) if dec.get("decided_on") else None,
        )
        limits = recon.litigation_limits(lit, cal, cfg, as_of)
    return {**rec, "limits": {**limits, "as_of": as_of.isoformat()}}


def _load_review(stores: Stores, principal: Principal, kind: ReviewKind, rid: str) -> Item:
    key = _KEY[kind]
    item = stores.table(TABLE).get(f"{key}#{rid}", key)
    if item is None or not principal.may_see_dept(item.body.get("dept_code")):
        raise NotFoundError(f"{recon.KIND_NAMES[kind]}记录不存在")
    return item


def get_review(
    stores: Stores, principal: Principal, kind: ReviewKind, rid: str, as_of: date
) -> dict[str, Any]:
    return with_limits(stores, _load_review(stores, principal, kind, rid).body, as_of)


def list_reviews(
    stores: Stores,
    principal: Principal,
    kind: ReviewKind,
    *,
    case_no: str | None,
    dept_code: str | None,
    as_of: date,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    key = _KEY[kind]
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    cfg = office_config(stores)
    if case_no:
        links = stores.table(TABLE).query(f"REVIEWCASE#{case_no}", f"{kind}#", limit=500).items
        bodies = [
            it.body for link in links if (it := stores.table(TABLE).get(f"{key}#{link.body['id']}", key))
        ]
        bodies = [b for b in bodies if not dept_code or b["dept_code"] == dept_code]
        return {"items": [with_limits(stores, b, as_of, cfg) for b in bodies[:limit]], "next": None}
    pk, index = (f"{key}DEPT#{dept_code}", "gsi1") if dept_code else (f"{key}S", "gsi2")
    page = stores.table(TABLE).query(pk, index=index, limit=limit, cursor=cursor, forward=False)
    return {"items": [with_limits(stores, i.body, as_of, cfg) for i in page.items], "next": page.next}


def accept_reconsideration(
    stores: Stores, principal: Principal, rid: str, body: AcceptanceIn, today: date
) -> dict[str, Any]:
    """受理决定 (accept or reject, a rejection with its reason)."""
    item = _load_review(stores, principal, "reconsideration", rid)
    rec = item.body
    if rec.get("acceptance"):
        raise ConflictError("已作出受理决定")
    on = _day(body.on, today, date.fromisoformat(rec["applied_on"]), "on", "收到申请日期")
    if body.decision == "rejected" and not (body.reason or "").strip():
        raise ValidationError("不予受理须说明理由", [field_error("reason", "不予受理须说明理由", "missing")])
    rec["acceptance"] = {"decision": body.decision, "on": on.isoformat(), "reason": body.reason}
    rec["status"] = "accepted" if body.decision == "accepted" else "rejected"
    _history(rec, principal, f"acceptance:{body.decision}", on, body.reason)
    _save(stores, item)
    return with_limits(stores, rec, today)


def extend_reconsideration(
    stores: Stores, principal: Principal, rid: str, body: ExtensionIn, today: date
) -> dict[str, Any]:
    """延长审理期限 (once, by at most 30 days, before the original limit ends)."""
    item = _load_review(stores, principal, "reconsideration", rid)
    rec = item.body
    cfg = office_config(stores)
    accepted_on = (rec.get("acceptance") or {}).get("on")
    floor = date.fromisoformat(accepted_on) if accepted_on else None
    on = _day(body.on, today, floor, "on", "受理日期")
    problem = recon.extension_problem(_recon_facts(rec), on, wiring.calendar(), cfg)
    if problem:
        raise ConflictError(problem)
    rec["extension"] = {"on": on.isoformat(), "approver": body.approver, "reason": body.reason}
    _history(rec, principal, "extend", on, body.reason)
    _save(stores, item)
    return with_limits(stores, rec, today, cfg)


def file_defence(
    stores: Stores, principal: Principal, rid: str, body: DefenceIn, today: date
) -> dict[str, Any]:
    item = _load_review(stores, principal, "litigation", rid)
    rec = item.body
    if rec.get("defence_filed_on"):
        raise ConflictError("已提交答辩状")
    on = _day(body.on, today, date.fromisoformat(rec["served_on"]), "on", "收到起诉状副本日期")
    rec.update(defence_filed_on=on.isoformat(), status="defended")
    _history(rec, principal, "defence", on)
    _save(stores, item)
    return with_limits(stores, rec, today)


def decide_review(
    stores: Stores, principal: Principal, kind: ReviewKind, rid: str, body: ReviewDecisionIn, today: date
) -> dict[str, Any]:
    """复议决定 / 判决: one of 维持/撤销/变更/确认违法/责令履行."""
    item = _load_review(stores, principal, kind, rid)
    rec = item.body
    outcome = recon.outcome_code(body.outcome)
    if outcome is None:
        raise ValidationError(
            "决定结果有误", [field_error("outcome", "应为 " + "/".join(recon.OUTCOMES.values()))]
        )
    if rec.get("decision"):
        raise ConflictError("已作出决定")
    if kind == "reconsideration":
        acc = rec.get("acceptance") or {}
        if acc.get("decision") != "accepted":
            raise ConflictError("复议申请尚未受理，不能作出复议决定")
        floor, floor_name = date.fromisoformat(acc["on"]), "受理日期"
    else:
        floor, floor_name = date.fromisoformat(rec["served_on"]), "收到起诉状副本日期"
    on = _day(body.decided_on, today, floor, "decided_on", floor_name)
    rec["decision"] = {
        "outcome": outcome,
        "outcome_name": recon.OUTCOMES[outcome],
        "decided_on": on.isoformat(),
        "summary": body.summary,
        "follow_up": body.follow_up,
        "appealed": body.appealed,
    }
    rec["status"] = "decided"
    _history(rec, principal, f"decision:{outcome}", on, body.summary)
    _save(stores, item)
    return with_limits(stores, rec, today)


def _in_period(day: str | None, period: str | None) -> bool:
    if not period:
        return True
    if not day:
        return False
    try:
        at = datetime.fromisoformat(day)
    except ValueError:
        return False
    local = stats.local_date(at) if at.tzinfo is not None else at.date()
    return period in stats.periods_of(local)


def review_rates(stores: Stores, by: recon.RateBy, period: str | None = None) -> dict[str, Any]:
    """Reconsideration and litigation rates per item or department (docs/DOMAIN.md §7.5 metrics).

    Decisions are the published results (penalty decisions and concluded cases) of the period.
    """
    decisions: dict[str, int] = {}
    for it in stores.table("cases").query_all("RESULTS", index="gsi2"):
        b = it.body
        if not _in_period(b.get("concluded_at"), period):
            continue
        key = b.get("item_code") if by == "item" else b.get("dept_code")
        if key:
            decisions[key] = decisions.get(key, 0) + 1
    facts: list[recon.ReviewFact] = []
    for kind in ("reconsideration", "litigation"):
        for it in _query_all(stores, f"{_KEY[kind]}S", "gsi2"):
            b = it.body
            day = b.get("applied_on") if kind == "reconsideration" else b.get("served_on")
            if _in_period(day, period):
                facts.append(
                    recon.ReviewFact(
                        kind=kind,
                        item_code=b["item_code"],
                        dept_code=b["dept_code"],
                        outcome=(b.get("decision") or {}).get("outcome"),
                    )
                )
    rows = recon.rates(facts, decisions, by)
    if by == "dept":
        depts = _departments(stores)
        for r in rows:
            d = depts.get(r["dept_code"], {})
            r.update(dept_name=d.get("name"), level=d.get("level"))
    return {"by": by, "period": period, "items": rows, "next": None}


# --------------------------------------------------------------------------- catalog views (L12)


def _dept_fields(depts: dict[str, dict[str, Any]], code: str) -> dict[str, Any]:
    d = depts.get(code, {})
    level = d.get("level")
    return {
        "dept_code": code,
        "dept_name": d.get("name"),
        "level": level,
        "level_name": LEVEL_NAMES.get(level or ""),
    }


def _keep(row: dict[str, Any], level: str | None, dept_code: str | None) -> bool:
    return (not level or row.get("level") == level) and (not dept_code or row["dept_code"] == dept_code)


def _groups(rows: list[dict[str, Any]], flag: str | None) -> list[dict[str, Any]]:
    """Counts by level (市级/县级) and department."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r.get("level") or "", r["dept_code"])
        g = out.setdefault(
            key,
            {
                "level": r.get("level"),
                "level_name": r.get("level_name"),
                "dept_code": r["dept_code"],
                "dept_name": r.get("dept_name"),
                "count": 0,
                **({flag: 0} if flag else {}),
            },
        )
        g["count"] += 1
        if flag and r.get(flag):
            g[flag] += 1
    return [out[k] for k in sorted(out)]


def _declared_day(v: Any) -> date:
    return stats.local_date(datetime.fromisoformat(v.declared_at))


def pending_declarations(
    stores: Stores, as_of: date, level: str | None, dept_code: str | None
) -> dict[str, Any]:
    """Declarations awaiting confirmation, with days waiting; overdue past the reply limit (L12)."""
    from .rules import rule_config

    cfg = rule_config()
    depts = _departments(stores)
    rows = []
    for v in catalog.pending(stores):
        declared = _declared_day(v)
        days = cfg.int_value("legal_reply_days", declared)
        due = declared + timedelta(days=days)
        row = {
            "code": v.code,
            "version": v.version,
            "name": v.item.name,
            "category": v.item.category,
            **_dept_fields(depts, v.item.dept_code),
            "declared_at": v.declared_at,
            "declared_on": declared.isoformat(),
            "days_waiting": max(0, (as_of - declared).days),
            "reply_due": due.isoformat(),
            "overdue": as_of > due,
        }
        if _keep(row, level, dept_code):
            rows.append(row)
    rows.sort(key=lambda r: (r["declared_at"], r["code"]))
    return {"as_of": as_of.isoformat(), "items": rows, "groups": _groups(rows, "overdue"), "next": None}


def _norm_title(text: str) -> str:
    return "".join(ch for ch in text if ch not in "《》 \u3000").strip()


def add_trigger(stores: Stores, principal: Principal, body: TriggerIn, today: date) -> dict[str, Any]:
    """目录调整触发: the legal office records a law change the department must declare for."""
    dept = _require_dept(stores, principal, body.dept_code)
    if not body.basis_id and not body.title:
        raise ValidationError(
            "须指明变化的法律依据",
            [
                field_error("basis_id", "basis_id 与 title 至少填写一项", "missing"),
                field_error("title", "basis_id 与 title 至少填写一项", "missing"),
            ],
        )
    if body.triggered_on > today:
        raise ValidationError("日期有误", [field_error("triggered_on", "日期不能晚于今天")])
    title = body.title
    if body.basis_id:
        known = catalog.basis(stores, body.basis_id)
        if known is None and not title:
            raise ValidationError("法律依据不存在", [field_error("basis_id", "未知的依据编号", "unknown")])
        title = title or (known or {}).get("title")
    tid = _id(
        "GT", body.dept_code, body.basis_id or "", _norm_title(title or ""), body.triggered_on.isoformat()
    )
    rec = {
        "id": tid,
        "dept_code": body.dept_code,
        "dept_name": dept.get("name"),
        "level": dept.get("level"),
        "basis_id": body.basis_id,
        "title": title,
        "triggered_on": body.triggered_on.isoformat(),
        "note": body.note,
        "recorded_by": principal.actor_name,
        "recorded_at": _now(),
    }
    try:
        stores.table(TABLE).put(
            Item(
                pk=f"GOVTRIG#{tid}",
                sk="TRIGGER",
                body=rec,
                gsi1pk=f"GOVTRIGDEPT#{body.dept_code}",
                gsi1sk=f"{rec['triggered_on']}#{tid}",
                gsi2pk="GOVTRIGS",
                gsi2sk=f"{rec['triggered_on']}#{tid}",
            ),
            if_absent=True,
        )
    except ConditionFailedError:
        raise ConflictError(
            "该触发已登记", [field_error("triggered_on", "同一部门同一依据同一日期已登记", "duplicate")]
        ) from None
    return rec


def _cites(v: Any, trigger: dict[str, Any]) -> bool:
    if trigger.get("basis_id"):
        return any(b.id == trigger["basis_id"] for b in v.item.legal_basis)
    wanted = _norm_title(trigger.get("title") or "")
    return bool(wanted) and any(_norm_title(b.title) == wanted for b in v.item.legal_basis)


def _trigger_records(
    stores: Stores, dept_code: str | None
) -> list[tuple[dict[str, Any], legal.GovernanceRecord]]:
    """Each trigger with its answer: the first later declaration of the department citing the basis."""
    pk, index = (f"GOVTRIGDEPT#{dept_code}", "gsi1") if dept_code else ("GOVTRIGS", "gsi2")
    versions = catalog.all_versions(stores, fresh=True)
    out = []
    for it in _query_all(stores, pk, index):
        t = it.body
        start = date.fromisoformat(t["triggered_on"])
        answers = sorted(
            d
            for v in versions
            if v.item.dept_code == t["dept_code"] and _cites(v, t) and (d := _declared_day(v)) >= start
        )
        out.append(
            (
                t,
                legal.GovernanceRecord(
                    code=t["id"],
                    dept_code=t["dept_code"],
                    kind="law_change",
                    triggered_on=start,
                    answered_on=answers[0] if answers else None,
                ),
            )
        )
    return out


def overdue_declarations(
    stores: Stores, as_of: date, level: str | None, dept_code: str | None
) -> dict[str, Any]:
    """Law changes not followed by the department's declaration within the limit (L12, department side)."""
    from .rules import rule_config

    cfg = rule_config()
    depts = _departments(stores)
    rows = []
    for t, rec in _trigger_records(stores, dept_code):
        days = cfg.int_value("declare_days", rec.triggered_on)
        due = rec.triggered_on + timedelta(days=days)
        late = rec.answered_on > due if rec.answered_on is not None else as_of > due
        if not late:
            continue
        row = {
            "trigger_id": t["id"],
            "basis_id": t.get("basis_id"),
            "title": t.get("title"),
            **_dept_fields(depts, t["dept_code"]),
            "triggered_on": t["triggered_on"],
            "declare_due": due.isoformat(),
            "declared_on": rec.answered_on.isoformat() if rec.answered_on else None,
            "state": "late" if rec.answered_on else "missing",
            "days_overdue": ((rec.answered_on or as_of) - due).days,
        }
        if _keep(row, level, None):
            rows.append(row)
    rows.sort(key=lambda r: (r["triggered_on"], r["trigger_id"]))
    return {"as_of": as_of.isoformat(), "items": rows, "groups": _groups(rows, None), "next": None}


def repealed_citations(
    stores: Stores, as_of: date, level: str | None, dept_code: str | None
) -> dict[str, Any]:
    """Items in force on ``as_of`` citing a basis repealed on or before ``as_of``."""
    depts = _departments(stores)
    bases: dict[str, dict[str, Any] | None] = {}
    rows = []
    for v in catalog.current_items(stores, as_of):
        for ref in v.item.legal_basis:
            if ref.id not in bases:
                bases[ref.id] = catalog.basis(stores, ref.id)
            b = bases[ref.id]
            repealed = b.get("repealed_on") if b else None
            if not repealed or date.fromisoformat(repealed) > as_of:
                continue
            row = {
                "code": v.code,
                "version": v.version,
                "name": v.item.name,
                **_dept_fields(depts, v.item.dept_code),
                "basis_id": ref.id,
                "basis_title": ref.title,
                "article": ref.article,
                "repealed_on": repealed,
            }
            if _keep(row, level, dept_code):
                rows.append(row)
    rows.sort(key=lambda r: (r["dept_code"], r["code"], r["basis_id"]))
    return {"as_of": as_of.isoformat(), "items": rows, "groups": _groups(rows, None), "next": None}


def _retitle(draft: legal.FindingDraft, trigger: dict[str, Any]) -> legal.FindingDraft:
    """Name the changed law instead of the trigger id in the finding's message."""
    label = f"「{trigger.get('title') or trigger.get('basis_id')}」涉及的事项"
    message = draft.message.replace(f"事项 {draft.case_no} ", label)
    return replace(draft, message=message)


def governance_check(stores: Stores, as_of: date, dept_code: str | None = None) -> dict[str, Any]:
    """Raise L12 findings as of ``as_of`` (idempotent): undeclared law changes (to the department)
    and declarations the legal office has not answered in time (to the legal office)."""
    from .rules import rule_config

    cfg = rule_config()
    pairs = _trigger_records(stores, dept_code)
    triggers = {rec.code: t for t, rec in pairs}
    records: list[legal.GovernanceRecord] = [rec for _, rec in pairs]
    for v in catalog.all_versions(stores, fresh=True):
        if dept_code and v.item.dept_code != dept_code:
            continue
        answered = stats.local_date(datetime.fromisoformat(v.confirmed_at)) if v.confirmed_at else None
        records.append(
            legal.GovernanceRecord(
                code=v.code,
                dept_code=v.item.dept_code,
                kind="declaration",
                triggered_on=_declared_day(v),
                answered_on=answered,
            )
        )
    drafts = legal.governance_findings(records, as_of, cfg)
    drafts = [_retitle(d, triggers[d.case_no]) if d.case_no in triggers else d for d in drafts]
    raised = oversight.raise_all(stores, "FND", drafts)
    return {"as_of": as_of.isoformat(), "examined": len(records), "found": len(drafts), "raised": raised}
