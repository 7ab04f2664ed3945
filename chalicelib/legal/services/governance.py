"""Catalog governance (目录管理, L12): the legal office's views of the catalog by level and department,
law-change triggers, and the L12 findings when declarations or answers come late."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.catalog import services as catalog
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ValidationError, field_error
from chalicelib.kernel.periods import local_date
from chalicelib.kernel.ports import ConditionFailedError
from chalicelib.supervision.services import oversight

from ..domain import checks as legal
from ..repositories import Triggers
from .office import LEVEL_NAMES, departments, record_id, require_dept


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
    return local_date(datetime.fromisoformat(v.declared_at))


def pending_declarations(deps: Deps, as_of: date, level: str | None, dept_code: str | None) -> dict[str, Any]:
    """Declarations awaiting confirmation, with days waiting; overdue past the reply limit (L12)."""
    cfg = deps.rule_config
    depts = departments(deps)
    rows = []
    for v in catalog.pending(deps):
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


def add_trigger(deps: Deps, principal: Principal, body: TriggerIn, today: date) -> dict[str, Any]:
    """目录调整触发: the legal office records a law change the department must declare for."""
    dept = require_dept(deps, principal, body.dept_code)
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
        known = catalog.basis(deps, body.basis_id)
        if known is None and not title:
            raise ValidationError("法律依据不存在", [field_error("basis_id", "未知的依据编号", "unknown")])
        title = title or (known or {}).get("title")
    tid = record_id(
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
        "recorded_at": deps.now().isoformat(),
    }
    try:
        Triggers(deps.stores).add(rec)
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


def _trigger_records(deps: Deps, dept_code: str | None) -> list[tuple[dict[str, Any], legal.GovernanceRecord]]:
    """Each trigger with its answer: the first later declaration of the department citing the basis."""
    versions = catalog.all_versions(deps, fresh=True)
    out = []
    for t in Triggers(deps.stores).all(dept_code):
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


def overdue_declarations(deps: Deps, as_of: date, level: str | None, dept_code: str | None) -> dict[str, Any]:
    """Law changes not followed by the department's declaration within the limit (L12, department side)."""
    cfg = deps.rule_config
    depts = departments(deps)
    rows = []
    for t, rec in _trigger_records(deps, dept_code):
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


def repealed_citations(deps: Deps, as_of: date, level: str | None, dept_code: str | None) -> dict[str, Any]:
    """Items in force on ``as_of`` citing a basis repealed on or before ``as_of``."""
    depts = departments(deps)
    bases: dict[str, dict[str, Any] | None] = {}
    rows = []
    for v in catalog.current_items(deps, as_of):
        for ref in v.item.legal_basis:
            if ref.id not in bases:
                bases[ref.id] = catalog.basis(deps, ref.id)
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


def governance_check(deps: Deps, as_of: date, dept_code: str | None = None) -> dict[str, Any]:
    """Raise L12 findings as of ``as_of`` (idempotent): undeclared law changes (to the department)
    and declarations the legal office has not answered in time (to the legal office)."""
    pairs = _trigger_records(deps, dept_code)
    triggers = {rec.code: t for t, rec in pairs}
    records: list[legal.GovernanceRecord] = [rec for _, rec in pairs]
    for v in catalog.all_versions(deps, fresh=True):
        if dept_code and v.item.dept_code != dept_code:
            continue
        answered = local_date(datetime.fromisoformat(v.confirmed_at)) if v.confirmed_at else None
        records.append(legal.GovernanceRecord(code=v.code, dept_code=v.item.dept_code, kind="declaration",
                                              triggered_on=_declared_day(v), answered_on=answered))
    drafts = legal.governance_findings(records, as_of, deps.rule_config)
    drafts = [_retitle(d, triggers[d.case_no]) if d.case_no in triggers else d for d in drafts]
    raised = oversight.raise_all(deps, drafts)
    return {"as_of": as_of.isoformat(), "examined": len(records), "found": len(drafts), "raised": raised}
