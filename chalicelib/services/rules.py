"""Running the supervision rules (R1–R14) and legal checks (L1–L12) against case views.

Event-driven: the cases-table stream hands every changed view to ``supervise_view`` and
``legal_check_view``. Time-driven: ``sweep(as_of)`` reads only the open cases whose next check
is due (the sparse ``SWEEP`` index), evaluates the time rules as of that instant and moves each
case's next check forward.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .. import wiring
from ..domain import legal, supervision
from ..domain.case_view import CaseView
from ..domain.rules_config import RuleConfig
from ..domain.stats import local_date
from . import catalog, oversight
from .ports import ConditionFailedError, Item, Stores

_cfg_cache: tuple[float, RuleConfig] | None = None


def rule_config() -> RuleConfig:
    """Defaults with admin overrides (each value with an effective date)."""
    global _cfg_cache
    now = time.monotonic()
    if _cfg_cache and now - _cfg_cache[0] < 60:
        return _cfg_cache[1]
    item = wiring.stores().table("catalog").get("CONFIG", "RULES")
    cfg = RuleConfig.from_dict(item.body.get("overrides", {})) if item else RuleConfig.defaults()
    _cfg_cache = (now, cfg)
    return cfg


def invalidate_config() -> None:
    global _cfg_cache
    _cfg_cache = None


def _act_day(view: CaseView) -> date:
    at = view.accepted_at or (view.penalty.opened_at if view.penalty else None) or view.submitted_at
    return local_date(at or datetime.now(UTC))


def bound_item(stores: Stores, view: CaseView) -> Any:
    return catalog.in_force(stores, view.item_code, _act_day(view))


@dataclass
class Registry:
    """The legal registers as the checks see them."""

    stores: Stores

    def officer(self, officer_id: str) -> legal.Officer | None:
        body = catalog.officer(self.stores, officer_id)
        if body is None:
            return None
        history = tuple(legal.Certificate(cert_no=c["cert_no"], valid_from=date.fromisoformat(c["valid_from"]),
                                          valid_to=date.fromisoformat(c["valid_to"]), dept_code=c["dept_code"],
                                          scope=c.get("scope"))
                        for c in body.get("certificates") or [])
        return legal.Officer(officer_id=body["officer_id"], name=body["name"], dept_code=body["dept_code"],
                             cert_no=body["cert_no"], valid_from=date.fromisoformat(body["valid_from"]),
                             valid_to=date.fromisoformat(body["valid_to"]), scope=body.get("scope"), history=history)

    def basis(self, basis_id: str) -> legal.LegalBasis | None:
        body = catalog.basis(self.stores, basis_id)
        if body is None:
            return None
        rep = body.get("repealed_on")
        return legal.LegalBasis(id=body["id"], title=body["title"],
                                repealed_on=date.fromisoformat(rep) if rep else None)


def record_exceptions(stores: Stores, view: CaseView) -> None:
    """异常处理: semantically odd data stays stored and becomes visible to supervisors."""
    table = stores.table("oversight")
    for a in view.anomalies:
        key = f"EXC#{view.case_no}#{a.code}#{a.event_id or '-'}"
        body = {"case_no": view.case_no, "dept_code": view.dept_code, "code": a.code, "event_id": a.event_id,
                "message": a.message, "item_code": view.item_code,
                "recorded_at": datetime.now(UTC).isoformat(), "status": "open"}
        with contextlib.suppress(ConditionFailedError):  # already queued: keep the first record
            table.put(Item(pk=key, sk="EXC", body=body, gsi1pk=f"EXCDEPT#{view.dept_code}",
                           gsi1sk=f"{body['recorded_at']}#{key}", gsi2pk="EXCS",
                           gsi2sk=f"{body['recorded_at']}#{key}"), if_absent=True)


def supervise_view(stores: Stores, view: CaseView) -> int:
    item = bound_item(stores, view)
    cfg, cal = rule_config(), wiring.calendar()
    drafts = supervision.event_signals(view, item, cal, cfg)
    record_exceptions(stores, view)
    raised = oversight.raise_all(stores, "SIG", drafts)
    now = datetime.now(UTC)
    still_true = {d.cause for d in drafts} | {d.cause for d in supervision.time_signals(view, item, cal, cfg, now)}
    oversight.withdraw_stale(stores, view.case_no, still_true, now)
    return raised


#: Signals of a deadline (R1 临期, R2 超承诺期限, R3 超法定期限): their cause names the due date.
DEADLINE_CAUSES = ("R1:due:", "R2:due:", "R3:due:")


def reevaluate_deadlines(stores: Stores, view: CaseView, now: datetime) -> tuple[int, int]:
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
    table = stores.table("oversight")
    for pointer in table.query(f"SIGCASE#{view.case_no}", limit=500).items:
        item = table.get(f"SIG#{pointer.sk}", "SIG")
        if item is None or item.body.get("status") == "closed":
            continue
        cause = str(item.body.get("cause", ""))
        if cause.startswith(DEADLINE_CAUSES) and cause not in valid:
            withdrawn += oversight.withdraw_signal(stores, pointer.sk, reason, "system", now)
    item_version = bound_item(stores, view)
    cfg, cal = rule_config(), wiring.calendar()
    drafts = supervision.event_signals(view, item_version, cal, cfg) + supervision.time_signals(
        view, item_version, cal, cfg, now)
    raised = oversight.raise_all(stores, "SIG", [d for d in drafts if d.cause.startswith(DEADLINE_CAUSES)])
    return raised, withdrawn


def legal_check_view(stores: Stores, view: CaseView) -> int:
    item = bound_item(stores, view)
    drafts = legal.event_findings(view, item, Registry(stores), wiring.calendar(), rule_config())
    return oversight.raise_all(stores, "FND", drafts)


def sweep(stores: Stores, as_of: datetime) -> dict[str, Any]:
    """Evaluate every time-driven rule as of ``as_of`` for the cases that are due."""
    from .projection import next_check

    started = time.monotonic()
    table = stores.table("cases")
    key = as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    cfg = rule_config()
    cal = wiring.calendar()
    examined = raised = 0
    cursor = None
    while True:
        page = table.query("SWEEP", index="gsi2", sk_lte=key, limit=200, cursor=cursor)
        for it in page.items:
            view = CaseView.model_validate(it.body)
            item = bound_item(stores, view)
            examined += 1
            raised += oversight.raise_all(stores, "SIG", supervision.time_signals(view, item, cal, cfg, as_of))
            raised += oversight.raise_all(stores, "FND", legal.time_findings(view, item, cfg, as_of))
            _advance(stores, it, view, as_of, next_check)
        cursor = page.next
        if not cursor:
            break
    from .legal_office import governance_check

    # L12 (目录调整超期): catalog-governance deadlines are time-driven too.
    governance = governance_check(stores, local_date(as_of))
    raised += int(governance.get("raised", 0) or 0)
    # E2 (逾期未说明): red signals whose explanation is overdue.
    raised += oversight.flag_unexplained(stores, as_of)
    return {"as_of": as_of.isoformat(), "examined": examined, "raised": raised,
            "elapsed_ms": round((time.monotonic() - started) * 1000, 1)}


def _advance(stores: Stores, it: Item, view: CaseView, as_of: datetime, next_check: Any) -> None:
    """Move the case's next check strictly past ``as_of`` (or drop it from the sweep index).

    Rules are idempotent, so skipping what was just evaluated loses nothing; a case whose later
    instants are still pending (R2 after R1, R3 after R2 …) stays in the index for them.
    """
    nxt = next_check(view, stores, after=as_of)
    it.gsi2pk = "SWEEP" if nxt else None
    it.gsi2sk = nxt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if nxt else None
    with contextlib.suppress(ConditionFailedError):  # a concurrent projection rewrote case and index
        stores.table("cases").put(it, expected_version=it.version)
