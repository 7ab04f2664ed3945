"""Signals (监察信号) and findings (法制监督发现): raising, listing and their lifecycle.

One record per (rule, case, cause), with a deterministic id, written only if absent: a rule raises
at most one record per case and cause however often it is evaluated. Records are never deleted;
they move open → explained → closed (``domain.records``). Keys: ``supervision.repositories``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError
from chalicelib.kernel.periods import local_date

from ..domain.records import EXPLANATION_WORKING_DAYS, KINDS, SIGNAL, Draft, OversightRecord, RecordKind
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
    """Store a draft if it is new and tell its recipients. Returns True when it was raised now.
    A red signal's explanation is due :data:`EXPLANATION_WORKING_DAYS` working days after the
    department is told (now), not after the fact's time."""
    explain_by = explanation_due(deps, deps.now()) if OversightRecord.needs_explanation(draft) else None
    record = OversightRecord.raised(draft, explain_by)
    if not OversightRecords(deps.stores).add(record):
        return False
    deps.notifier.notify(*record.notification())
    return True


def raise_all(deps: Deps, drafts: Iterable[Draft]) -> int:
    return sum(1 for d in drafts if raise_record(deps, d))


def list_records(deps: Deps, principal: Principal, kind: RecordKind, *, case_no: str | None,
                 dept_code: str | None, rule: str | None, level: str | None, status: str | None, limit: int,
                 cursor: str | None) -> dict[str, Any]:
    scope = principal.scope.narrow(dept_code)
    dept_code = scope.single
    repo = OversightRecords(deps.stores)
    # The legal office reads the signals addressed to it (R3, R13, R14), and only those.
    legal_only = kind is SIGNAL and reads_legal_inbox(principal)

    def keep(record: OversightRecord) -> bool:
        body = record.body
        return ((not rule or body.get(kind.rule_field) == rule) and (not level or body.get("level") == level)
                and (not status or body.get("status") == status)
                and scope.allows(body.get("dept_code"))
                and (not case_no or body.get("case_no") == case_no)
                and (not legal_only or record.addressed_to_legal))

    day = local_date(deps.now())
    if case_no:
        records = [r for r in repo.of_case(kind, case_no) if keep(r)]
        records.sort(key=lambda r: r.body["raised_at"], reverse=True)
        return {"items": [r.listed(day) for r in records[:limit]], "next": None}
    out: list[dict[str, Any]] = []
    next_cursor = cursor
    # Ask for no more than is still needed, so the cursor never skips a record it did not return.
    while len(out) < limit:
        if legal_only:
            rows, next_cursor = repo.legal_inbox(limit - len(out), next_cursor)
        else:
            page = repo.page(kind, dept_code, limit - len(out), next_cursor)
            rows, next_cursor = [OversightRecord(kind, i.body, i.version) for i in page.items], page.next
        out.extend(r.listed(day) for r in rows if keep(r))
        if not next_cursor:
            break
    return {"items": out, "next": next_cursor if len(out) >= limit else None}


def reads_legal_inbox(principal: Principal) -> bool:
    """The legal office (without the supervision bureau's or an administrator's wider view)."""
    return "legal" in principal.roles and not principal.roles & {"supervisor", "admin"}


def explanation_due(deps: Deps, notified_at: datetime) -> date:
    """The last day for the department's explanation of a red signal it was told of at ``notified_at``."""
    return deps.calendar.add_working_days(local_date(notified_at), EXPLANATION_WORKING_DAYS).due


def withdraw_signal(deps: Deps, rid: str, reason: str, by: str, at: datetime) -> bool:
    """Close an open (or explained) signal as withdrawn — never deleted — and take it back out of the
    period counters. Returns False when it was already closed or is unknown."""
    repo = OversightRecords(deps.stores)
    for _attempt in range(5):
        record = repo.get(SIGNAL, rid)
        if record is None or record.status == "closed":
            return False
        record.withdraw(at, reason, by)
        if repo.withdraw(record):
            return True
    raise ConflictError("记录已被他人修改，请刷新后重试")


def flag_unexplained(deps: Deps, as_of: datetime) -> int:
    """Red signals whose explanation is overdue as of ``as_of``: mark each ``explanation_overdue`` and
    raise a yellow ``E2`` for the supervision bureau. Idempotent; returns how many were flagged now."""
    repo = OversightRecords(deps.stores)
    flagged = 0
    # pointers "{explain_by}#{id}": every one whose day ended before today's
    for pointer, record in repo.explanations_due(local_date(as_of).isoformat()):
        draft = record.explanation_overdue(as_of) if record is not None else None
        if record is not None and draft is not None:
            if not repo.save_if_unchanged(record):
                continue  # explained meanwhile: the next sweep looks again
            raise_record(deps, draft)
            flagged += 1
        repo.drop_due_pointer(pointer)
    return flagged


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
    principal.scope.require(record.dept_code)
    record.dispose(body.decision, body.reason, principal.actor_name, now or deps.now())
    OversightRecords(deps.stores).save(record)
    return record.body


def withdraw_stale(deps: Deps, case_no: str, still_true: set[str], now: datetime | None = None,
                   *, marked: bool = True) -> int:
    """Close open, data-dependent signals of a case whose cause the current view no longer shows,
    and take them back out of the period counters. Returns how many were withdrawn.
    ``marked=False``: the case's marker was read absent (``OversightRecords.with_withdrawable``), so
    it has no withdrawable signal to look for."""
    if not marked:
        return 0
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
