"""Signals (监察信号) and findings (法制监督发现): raising, listing and their lifecycle.

One record per (rule, case, cause), with a deterministic id, written only if absent: a rule raises
at most one record per case and cause however often it is evaluated. Records are never deleted;
they move open → explained → closed (``domain.records``). Keys: ``supervision.repositories``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, NotFoundError
from chalicelib.kernel.periods import local_date

from ..domain.records import KINDS, SIGNAL, Draft, OversightRecord, RecordKind
from ..repositories import OversightRecords

EXPLANATION_REPLY_WORKING_DAYS = 5


class ExplainIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    explanation: str = Field(min_length=2, max_length=5000)


class DisposeIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    decision: Literal["accept", "reject"]
    reason: str = Field(min_length=2, max_length=5000)


def raise_record(deps: Deps, draft: Draft) -> bool:
    """Store a draft if it is new and tell its recipients. Returns True when it was raised now."""
    record = OversightRecord.raised(draft)
    if not OversightRecords(deps.stores).add(record):
        return False
    deps.notifier.notify(*record.notification())
    return True


def raise_all(deps: Deps, drafts: Iterable[Draft]) -> int:
    return sum(1 for d in drafts if raise_record(deps, d))


def list_records(deps: Deps, principal: Principal, kind: RecordKind, *, case_no: str | None,
                 dept_code: str | None, rule: str | None, level: str | None, status: str | None, limit: int,
                 cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    repo = OversightRecords(deps.stores)

    def keep(body: dict[str, Any]) -> bool:
        return ((not rule or body.get(kind.rule_field) == rule) and (not level or body.get("level") == level)
                and (not status or body.get("status") == status)
                and (not dept_code or body.get("dept_code") == dept_code)
                and (not case_no or body.get("case_no") == case_no))

    if case_no:
        bodies = [r.body for r in repo.of_case(kind, case_no) if keep(r.body)]
        bodies.sort(key=lambda b: b["raised_at"], reverse=True)
        return {"items": bodies[:limit], "next": None}
    out: list[dict[str, Any]] = []
    next_cursor = cursor
    # Ask for no more than is still needed, so the cursor never skips a record it did not return.
    while len(out) < limit:
        page = repo.page(kind, dept_code, limit - len(out), next_cursor)
        out.extend(i.body for i in page.items if keep(i.body))
        next_cursor = page.next
        if not next_cursor:
            break
    return {"items": out, "next": next_cursor if len(out) >= limit else None}


def _get(deps: Deps, kind: RecordKind, rid: str) -> OversightRecord:
    record = OversightRecords(deps.stores).get(kind, rid)
    if record is None:
        raise NotFoundError("记录不存在")
    return record


def explain(deps: Deps, principal: Principal, kind: RecordKind, rid: str, body: ExplainIn,
            now: datetime | None = None) -> dict[str, Any]:
    """The department's written explanation (情况说明); the supervisor must answer by a deadline."""
    record = _get(deps, kind, rid)
    if not principal.may_see_dept(record.dept_code):
        raise ForbiddenError("只能对本部门的信号作出说明")
    at = now or deps.now()
    reply_by = deps.calendar.add_working_days(local_date(at), EXPLANATION_REPLY_WORKING_DAYS).due
    record.explain(body.explanation, principal.actor_name, at, reply_by)
    OversightRecords(deps.stores).save(record)
    return record.body


def dispose(deps: Deps, principal: Principal, kind: RecordKind, rid: str, body: DisposeIn,
            now: datetime | None = None) -> dict[str, Any]:
    """Close a record: the supervisor (or legal office) accepts or rejects the explanation."""
    record = _get(deps, kind, rid)
    record.dispose(body.decision, body.reason, principal.actor_name, now or deps.now())
    OversightRecords(deps.stores).save(record)
    return record.body


def withdraw_stale(deps: Deps, case_no: str, still_true: set[str], now: datetime | None = None) -> int:
    """Close open, data-dependent signals of a case whose cause the current view no longer shows,
    and take them back out of the period counters. Returns how many were withdrawn."""
    repo = OversightRecords(deps.stores)
    at = now or deps.now()
    withdrawn = 0
    for record in repo.of_case(SIGNAL, case_no):
        if not record.withdrawable(still_true):
            continue
        record.withdraw(at)
        withdrawn += repo.withdraw(record)  # lost to a concurrent explanation or closing: theirs
    return withdrawn


def overdue_replies(deps: Deps, as_of: datetime) -> list[dict[str, Any]]:
    """Explained records whose reply deadline has passed (for the supervisors' attention)."""
    day = local_date(as_of)
    repo = OversightRecords(deps.stores)
    return [r.body for kind in KINDS.values() for r in repo.recent(kind) if r.reply_overdue(day)]
