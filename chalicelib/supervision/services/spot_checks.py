"""Spot checks (抽查, docs/DOMAIN.md §6.2 R7): the supervision bureau (监察局) draws a random sample of a
department's decided cases in a period and reviews each one; a rejected application that met all
conditions is a wrongful rejection (违法不予受理) and raises a red R7 signal — the rule that needs a
person's confirmation and is never raised automatically. The draw and the reviews are in
``domain.spot_checks``; the records (``SPC#…``) in ``repositories``.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.repositories import CaseViews
from chalicelib.cases.services import projection
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.periods import PERIOD_RE, period_start
from chalicelib.kernel.ports import Item

from ..domain.complaints import journal
from ..domain.records import SignalDraft
from ..domain.rules import RECIPIENTS
from ..domain.spot_checks import (
    POPULATION_NAMES,
    Finding,
    Population,
    SpotCheck,
    candidates_digest,
    draw,
    eligible,
    review_cause,
    sampled,
)
from ..repositories import Numbered
from . import oversight
from .shared import require_department

KIND = "SPC"
MAX_SAMPLE = 50
MAX_REVIEW_ATTEMPTS = 5


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


def checks(deps: Deps) -> Numbered:
    return Numbered(deps.stores, KIND)


def create(deps: Deps, principal: Principal, body: SpotCheckIn, now: datetime) -> dict[str, Any]:
    require_department(deps, body.dept_code)
    views: dict[str, CaseView] = {}
    # A case decided in the period was last active at or after its start; the index key begins with
    # that instant as stored (any UTC offset), so a day's margin never misses one.
    since = (period_start(body.period) - timedelta(days=1)).isoformat()
    for view in CaseViews(deps.stores).active_since(body.dept_code, since):
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
            "cases": [sampled(views[c]) for c in sample], "history": [],
        }
        journal(rec, now, principal.actor_name, "create",
                 f"从 {len(views)} 件{POPULATION_NAMES[body.population]}中随机抽取 {len(sample)} 件")
        return rec

    return checks(deps).create("SPC", body.dept_code, now, build)


def _load(deps: Deps, no: str) -> Item:
    item = checks(deps).get(no)
    if item is None:
        raise NotFoundError("抽查记录不存在")
    return item


def get(deps: Deps, no: str) -> dict[str, Any]:
    return _load(deps, no).body


def review(deps: Deps, principal: Principal, no: str, body: SpotReviewIn, now: datetime) -> dict[str, Any]:
    """Record the conclusion on one sampled case; a wrongful rejection raises a red R7 signal.

    Repeating the same conclusion is safe (it answers the stored record and makes sure the signal
    exists); a different conclusion on a reviewed case is a conflict unless it is a 复核 (``revise``),
    which replaces it and withdraws the R7 of a reversed wrongful-rejection finding.
    """
    for _attempt in range(MAX_REVIEW_ATTEMPTS):
        item = _load(deps, no)
        check = SpotCheck(item.body)
        entry = check.entry(body.case_no)
        done = entry["review"]
        if done is not None and done["finding"] == body.finding:
            _raise_r7(deps, check.rec, done, no)  # a retry after a lost signal write
            return check.rec
        if done is not None and not body.revise:
            raise ConflictError(f"办件 {body.case_no} 已有抽查结论，不能重复填写（复核请注明 revise）")
        if body.finding == "wrongful_rejection" and entry["status"] != "rejected" and not _was_rejected(
                deps, body.case_no):
            raise ValidationError("只有不予受理的办件才能认定为违法不予受理", [field_error(
                "finding", f"办件 {body.case_no} 并非不予受理", "invalid")])
        cause = review_cause(no, done)
        signal_id = (_r7(check.rec["dept_code"], body.case_no, no, body.note, now, cause).record_id
                     if body.finding == "wrongful_rejection" else None)
        review = check.review(body.case_no, body.finding, body.note, principal.actor_name, now, signal_id, cause)
        try:
            checks(deps).save(item)  # version-checked: two reviewers of one check never overwrite each other
        except ConflictError:
            continue  # another case of this check was reviewed meanwhile: re-read and apply again
        if done is not None and done.get("signal_id") and done["finding"] == "wrongful_rejection":
            oversight.withdraw_signal(deps, done["signal_id"], f"抽查 {no} 复核改变结论：{body.note}",
                                      principal.actor_name, now)
        _raise_r7(deps, check.rec, review, no)
        return check.rec
    raise ConflictError("抽查记录正被他人修改，请稍后重试")


def _r7(dept_code: str, case_no: str, no: str, note: str, at: datetime, cause: str) -> SignalDraft:
    return SignalDraft(
        rule="R7", level="red", case_no=case_no, dept_code=dept_code, cause=cause,
        message=f"抽查认定办件 {case_no} 符合受理条件却被不予受理（抽查编号 {no}）：{note}",
        recipients=list(RECIPIENTS["R7"]), raised_at=at)


def _raise_r7(deps: Deps, rec: dict[str, Any], done: dict[str, Any], no: str) -> None:
    """The red R7 of a wrongful-rejection review (idempotent: the signal id is deterministic)."""
    if done["finding"] != "wrongful_rejection":
        return
    oversight.raise_record(deps, _r7(rec["dept_code"], done["case_no"], no, done["note"],
                                     datetime.fromisoformat(done["at"]), done.get("cause") or f"spotcheck:{no}"))


def _was_rejected(deps: Deps, case_no: str) -> bool:
    found = projection.get_view(deps.stores, case_no)
    return found is not None and found[0].rejected_at_intake


def list_checks(deps: Deps, query: SpotListQuery) -> dict[str, Any]:
    items, nxt = checks(deps).scan(query.dept_code, lambda _b: True, query.limit, query.cursor)
    return {"items": [_summary(b) for b in items], "next": nxt}


def _summary(rec: dict[str, Any]) -> dict[str, Any]:
    reviewed = [c for c in rec["cases"] if c["review"] is not None]
    return {k: rec[k] for k in ("spot_check_no", "dept_code", "period", "population", "status", "created_at",
                                "created_by")} | {
        "sampled": len(rec["cases"]), "reviewed": len(reviewed),
        "wrongful_rejections": sum(1 for c in reviewed if c["review"]["finding"] == "wrongful_rejection")}
