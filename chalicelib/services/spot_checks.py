"""Spot checks (抽查, docs/DOMAIN.md §6.2 R7): the supervision bureau (监察局) draws a random sample of a
department's decided cases in a period and reviews each one; a rejected application that met all
conditions is a wrongful rejection (违法不予受理) and raises a red R7 signal — the rule that needs a
person's confirmation and is never raised automatically.

The draw is auditable: the record keeps the seed, how many cases were eligible and a SHA-256 of
their sorted numbers, so anyone with the same candidate list can re-draw the same sample
(``random.Random(seed).sample(sorted(candidates), size)``). Each sampled case is reviewed once.

Oversight table: ``SPC#{no} / SPC`` (gsi1 ``SPCDEPT#{dept}``, gsi2 ``SPCS``), newest first.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.case_view import CaseView
from ..domain.errors import ConflictError, NotFoundError, ValidationError, field_error
from ..domain.stats import PERIOD_RE, local_date, period_start, periods_of
from ..domain.supervision import RECIPIENTS, SignalDraft
from ..identity.domain.roles import Principal
from . import oversight
from .complaints import _create, _history, _require_department, _save, _scan
from .ports import Item, Stores

KIND = "SPC"
MAX_SAMPLE = 50
MAX_REVIEW_ATTEMPTS = 5
INDEX_END = "9999"  # above every "YYYY-…" activity key
Population = Literal["rejected", "concluded", "decided"]
Finding = Literal["compliant", "wrongful_rejection", "irregular"]
POPULATION_NAMES = {"rejected": "不予受理的办件", "concluded": "已办结的办件", "decided": "已办结或不予受理的办件"}
FINDING_NAMES = {"compliant": "未发现问题", "wrongful_rejection": "违法不予受理", "irregular": "存在其他问题"}


class SpotCheckIn(BaseModel):
    """``POST /supervision/spot-checks``."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    dept_code: str = Field(pattern=r"^\d{3}$")
    period: str = Field(pattern=PERIOD_RE.pattern, description="2012Q3, 2012-07 or 2012: when the cases were decided")
    population: Population = "rejected"
    size: int = Field(default=5, ge=1, le=MAX_SAMPLE)
    note: str = Field(default="", max_length=1000)


class SpotReviewIn(BaseModel):
    """``POST /supervision/spot-checks/{no}/reviews``: the reviewer's conclusion on one sampled case."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    case_no: str = Field(min_length=1, max_length=64)
    finding: Finding
    note: str = Field(min_length=2, max_length=5000)
    #: Replace an earlier, different conclusion on this case (复核); ``note`` says why. Reversing a
    #: wrongful-rejection finding withdraws its R7.
    revise: bool = False


class SpotListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


def decided_at(view: CaseView) -> datetime | None:
    """When the case was decided: its conclusion, else (refused at intake) its intake decision."""
    concluded = view.concluded_at or (view.result.concluded_at if view.result else None)
    if concluded is not None or view.status != "rejected":
        return concluded
    refusals = [e.at for e in view.timeline if e.type == "accepted" and e.status == "rejected"]
    return refusals[-1] if refusals else view.last_event_at


def eligible(view: CaseView, population: Population, period: str) -> bool:
    at = decided_at(view)
    if at is None or period not in periods_of(local_date(at)):
        return False
    if population == "rejected":
        return view.rejected_at_intake
    if population == "concluded":
        return view.status == "concluded" and not view.rejected_at_intake
    return view.status in ("concluded", "rejected")


def draw(candidates: list[str], size: int, seed: str) -> list[str]:
    """The sample: reproducible from the sorted candidates and the seed."""
    ordered = sorted(candidates)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def candidates_digest(candidates: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(candidates)).encode()).hexdigest()


def create(stores: Stores, principal: Principal, body: SpotCheckIn, now: datetime) -> dict[str, Any]:
    _require_department(stores, body.dept_code)
    views: dict[str, CaseView] = {}
    # A case decided in the period was last active at or after its start; the index key begins with
    # that instant as stored (any UTC offset), so a day's margin never misses one.
    since = (period_start(body.period) - timedelta(days=1)).isoformat()
    for it in stores.table("cases").query_all(f"DEPT#{body.dept_code}", since, index="gsi1", sk_lte=INDEX_END):
        view = CaseView.model_validate(it.body)
        if eligible(view, body.population, body.period):
            views[view.case_no] = view
    if not views:
        raise ValidationError("该部门在该期间没有可抽查的办件", [field_error(
            "period", f"{body.period} 期间没有{POPULATION_NAMES[body.population]}", "empty")])
    seed = secrets.token_hex(8)
    sample = draw(list(views), body.size, seed)

    def build(no: str) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "spot_check_no": no, "dept_code": body.dept_code, "period": body.period,
            "population": body.population, "note": body.note, "status": "open",
            "created_at": now.isoformat(), "created_by": principal.actor_name,
            "draw": {"seed": seed, "eligible": len(views), "candidates_sha256": candidates_digest(list(views)),
                     "method": "random.Random(seed).sample(sorted(candidates), size)"},
            "cases": [_sampled(views[c]) for c in sample], "history": [],
        }
        _history(rec, now, principal.actor_name, "create",
                 f"从 {len(views)} 件{POPULATION_NAMES[body.population]}中随机抽取 {len(sample)} 件")
        return rec

    return _create(stores, "SPC", KIND, body.dept_code, now, build)


def _sampled(view: CaseView) -> dict[str, Any]:
    at = decided_at(view)
    return {"case_no": view.case_no, "item_code": view.item_code, "item_name": view.item_name,
            "status": view.status, "decided_on": local_date(at).isoformat() if at else None, "review": None}


def _load(stores: Stores, no: str) -> Item:
    item = stores.table("oversight").get(f"{KIND}#{no}", KIND) if len(no) <= 40 else None
    if item is None:
        raise NotFoundError("抽查记录不存在")
    return item


def get(stores: Stores, no: str) -> dict[str, Any]:
    return _load(stores, no).body


def review(stores: Stores, principal: Principal, no: str, body: SpotReviewIn, now: datetime) -> dict[str, Any]:
    """Record the conclusion on one sampled case; a wrongful rejection raises a red R7 signal.

    Repeating the same conclusion is safe (it answers the stored record and makes sure the signal
    exists); a different conclusion on a reviewed case is a conflict.
    """
    for _attempt in range(MAX_REVIEW_ATTEMPTS):
        item = _load(stores, no)
        rec = item.body
        entry = next((c for c in rec["cases"] if c["case_no"] == body.case_no), None)
        if entry is None:
            raise ValidationError("该办件不在本次抽查样本中",
                                  [field_error("case_no", f"{body.case_no} 不在抽查样本中", "unknown")])
        done = entry["review"]
        if done is not None and done["finding"] == body.finding:
            _raise_r7(stores, rec, done, no)  # a retry after a lost signal write
            return rec
        if done is not None and not body.revise:
            raise ConflictError(f"办件 {body.case_no} 已有抽查结论，不能重复填写（复核请注明 revise）")
        if body.finding == "wrongful_rejection" and entry["status"] != "rejected" and not _was_rejected(
                stores, body.case_no):
            raise ValidationError("只有不予受理的办件才能认定为违法不予受理", [field_error(
                "finding", f"办件 {body.case_no} 并非不予受理", "invalid")])
        revision = int(done.get("revision", 0)) + 1 if done is not None else 0
        cause = f"spotcheck:{no}" + (f":{revision}" if revision else "")
        signal_id = (oversight.record_id("SIG", "R7", body.case_no, cause)
                     if body.finding == "wrongful_rejection" else None)
        entry["review"] = {"case_no": body.case_no, "finding": body.finding, "note": body.note,
                           "by": principal.actor_name, "at": now.isoformat(), "signal_id": signal_id,
                           "revision": revision, "cause": cause}
        if done is not None:
            entry["review"]["revises"] = done
        action = "revise_review" if done is not None else "review"
        _history(rec, now, principal.actor_name, action, f"{body.case_no}：{FINDING_NAMES[body.finding]}")
        if all(c["review"] is not None for c in rec["cases"]):
            rec["status"] = "completed"
            rec["completed_at"] = now.isoformat()
        try:
            _save(stores, item)  # version-checked: two reviewers of one check never overwrite each other
        except ConflictError:
            continue  # another case of this check was reviewed meanwhile: re-read and apply again
        if done is not None and done.get("signal_id") and done["finding"] == "wrongful_rejection":
            oversight.withdraw_signal(stores, done["signal_id"], f"抽查 {no} 复核改变结论：{body.note}",
                                      principal.actor_name, now)
        _raise_r7(stores, rec, entry["review"], no)
        return rec
    raise ConflictError("抽查记录正被他人修改，请稍后重试")


def _raise_r7(stores: Stores, rec: dict[str, Any], done: dict[str, Any], no: str) -> None:
    """The red R7 of a wrongful-rejection review (idempotent: the signal id is deterministic)."""
    if done["finding"] != "wrongful_rejection":
        return
    case_no = done["case_no"]
    oversight.raise_record(stores, "SIG", SignalDraft(
        rule="R7", level="red", case_no=case_no, dept_code=rec["dept_code"], cause=done.get("cause") or f"spotcheck:{no}",
        message=f"抽查认定办件 {case_no} 符合受理条件却被不予受理（抽查编号 {no}）：{done['note']}",
        recipients=list(RECIPIENTS["R7"]), raised_at=datetime.fromisoformat(done["at"])))


def _was_rejected(stores: Stores, case_no: str) -> bool:
    from . import projection

    found = projection.get_view(stores, case_no)
    return found is not None and found[0].rejected_at_intake


def list_checks(stores: Stores, query: SpotListQuery) -> dict[str, Any]:
    pk, index = (f"{KIND}DEPT#{query.dept_code}", "gsi1") if query.dept_code else (f"{KIND}S", "gsi2")
    items, nxt = _scan(stores, pk, index, lambda _b: True, query.limit, query.cursor)
    return {"items": [_summary(b) for b in items], "next": nxt}


def _summary(rec: dict[str, Any]) -> dict[str, Any]:
    reviewed = [c for c in rec["cases"] if c["review"] is not None]
    return {k: rec[k] for k in ("spot_check_no", "dept_code", "period", "population", "status", "created_at",
                                "created_by")} | {
        "sampled": len(rec["cases"]), "reviewed": len(reviewed),
        "wrongful_rejections": sum(1 for c in reviewed if c["review"]["finding"] == "wrongful_rejection")}
