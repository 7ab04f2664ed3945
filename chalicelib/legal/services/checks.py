"""Running the legality checks (L1–L11) against case views.

Event-driven: the cases-table stream hands every changed view to :func:`legal_check_view`.
Time-driven: the case timer (``cases.services.sweep``) asks :func:`sweep_case` to evaluate the
time checks of a due case, and :func:`next_check` when to look again. L12 (catalog governance) is
in ``governance``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.services.projection import bound_item
from chalicelib.kernel.deps import Deps
from chalicelib.supervision.services import oversight

from ..domain import checks as legal
from .registers import Registry


def legal_check_view(deps: Deps, view: CaseView) -> int:
    item = bound_item(deps, view)
    drafts = legal.event_findings(view, item, Registry(deps), deps.calendar, deps.rule_config)
    return oversight.raise_all(deps, drafts)


def sweep_case(deps: Deps, view: CaseView, item: Any, as_of: datetime) -> int:
    """The time checks of one case as of ``as_of`` (idempotent)."""
    return oversight.raise_all(deps, legal.time_findings(view, item, deps.rule_config, as_of))


def next_check(deps: Deps, view: CaseView, item: Any, after: datetime | None) -> datetime | None:
    return legal.next_finding_check_at(view, item, deps.rule_config, after)
