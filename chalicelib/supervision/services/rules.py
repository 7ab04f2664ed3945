"""Running the supervision rules (R1–R14) against case views.

Event-driven: the cases-table stream hands every changed view to :func:`supervise_view`.
Time-driven: the case timer (``cases.services.sweep``) asks :func:`sweep_case` to evaluate the
time rules of a due case as of an instant, and :func:`next_check` when to look again.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.services.projection import bound_item
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.overrides import RuleOverrides
from chalicelib.kernel.rules_config import PARAMS

from ..domain import rules as supervision
from ..domain.records import SIGNAL
from ..repositories import ExceptionsQueue, OversightRecords
from . import oversight

log = logging.getLogger("sunlit.supervision")


def supervise_view(deps: Deps, view: CaseView, *, marked: bool = True) -> int:
    """The event rules of a changed case, its exceptions, and signals the new data withdraws
    (``marked=False``: the case is known to have no withdrawable signal, see ``oversight.withdraw_stale``)."""
    item = bound_item(deps, view)
    cfg, cal = deps.rule_config, deps.calendar
    now = deps.now()
    drafts = supervision.event_signals(view, item, cal, cfg)
    ExceptionsQueue(deps.stores).record(view, now)
    raised = oversight.raise_all(deps, drafts)
    still_true = {d.cause for d in drafts} | {d.cause for d in supervision.time_signals(view, item, cal, cfg, now)}
    oversight.withdraw_stale(deps, view.case_no, still_true, now, marked=marked)
    return raised


def marked_cases(deps: Deps, case_nos: list[str]) -> set[str] | None:
    """The cases of a stream batch that may have a withdrawable signal, in one read; None when the
    read failed (then every case looks for itself)."""
    try:
        return OversightRecords(deps.stores).with_withdrawable(case_nos)
    except Exception:  # an optimisation only: the per-case queries stay correct
        log.exception("reading the signal markers of %d cases failed", len(case_nos))
        return None


def sweep_case(deps: Deps, view: CaseView, item: Any, as_of: datetime) -> int:
    """The time rules of one case as of ``as_of`` (idempotent)."""
    return oversight.raise_all(deps, supervision.time_signals(view, item, deps.calendar, deps.rule_config, as_of))


def next_check(deps: Deps, view: CaseView, item: Any, after: datetime | None) -> datetime | None:
    return supervision.next_check_at(view, item, deps.calendar, deps.rule_config, after)


#: Signals of a deadline (R1 临期, R2 超承诺期限, R3 超法定期限): their cause names the due date.
DEADLINE_CAUSES = ("R1:due:", "R2:due:", "R3:due:")


def reevaluate_deadlines(deps: Deps, view: CaseView, now: datetime) -> tuple[int, int]:
    """After a case's deadlines were recomputed (a year's schedule saved): withdraw the deadline signals
    of a due date that is no longer the case's, and raise what the new deadlines make true as of
    ``now``. Returns (raised, withdrawn)."""
    valid: set[str] = set()
    if view.due is not None:
        valid |= {f"R1:due:{view.due.isoformat()}", f"R2:due:{view.due.isoformat()}"}
    if view.statutory_due is not None:
        valid.add(f"R3:due:{view.statutory_due.isoformat()}")
    reason = (f"法定节假日安排更新后期限重新计算（承诺期限 {view.due.isoformat() if view.due else '待定'}），"
              "该信号所依据的期限已不存在，系统自动撤回")
    withdrawn = 0
    for record in OversightRecords(deps.stores).of_case(SIGNAL, view.case_no):
        if record.status != "closed" and record.cause.startswith(DEADLINE_CAUSES) and record.cause not in valid:
            withdrawn += oversight.withdraw_signal(deps, record.id, reason, "system", now)
    item = bound_item(deps, view)
    cfg, cal = deps.rule_config, deps.calendar
    drafts = supervision.event_signals(view, item, cal, cfg) + supervision.time_signals(view, item, cal, cfg, now)
    raised = oversight.raise_all(deps, [d for d in drafts if d.cause.startswith(DEADLINE_CAUSES)])
    return raised, withdrawn


def list_exceptions(deps: Deps, principal: Principal, dept_code: str | None, limit: int,
                    cursor: str | None) -> dict[str, Any]:
    """The exceptions queue (异常处理), newest first; a department sees its own, a region's bureau its region's."""
    queue = ExceptionsQueue(deps.stores)

    def fetch(dept: str | None, n: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        page = queue.page(dept, n, after)
        return [i.body for i in page.items], page.next

    items, nxt = principal.scope.narrow(dept_code).collect(fetch, lambda b: b.get("dept_code"), limit, cursor)
    return {"items": items, "next": nxt}


def rule_overrides(deps: Deps) -> dict[str, Any]:
    """The administrator's overrides and every parameter's dated schedule (R and L rules)."""
    return {"overrides": RuleOverrides(deps.stores).raw(), "config": deps.rule_config.to_dict(),
            # what each parameter means, for people (the console shows it beside the name)
            "params": {name: {"description": spec.description, "unit": spec.unit, "kind": spec.kind,
                              "choices": list(spec.choices)} for name, spec in PARAMS.items()}}


def save_rule_overrides(deps: Deps, raw: Any) -> dict[str, Any]:
    """Replace the overrides (``{name: value | {effective_from, value} | [...]}``); 400 names each bad one."""
    cfg = RuleOverrides(deps.stores).save(raw)
    deps.rules.invalidate()
    return {"overrides": raw, "config": cfg.to_dict()}
