"""The case timer (计时): every 15 minutes, and on demand, the time-driven rules as of an instant.

Reads only the cases whose next check is due (the sparse ``SWEEP`` index), lets the rules of the
contexts above (``deps.hooks``: supervision R1–R14, legal checks L1–L11) evaluate each as of that
instant, and moves each case's next check forward; then the checks not tied to a case (catalog
governance, L12).
"""
from __future__ import annotations

import contextlib
import time
from datetime import datetime
from typing import Any

from chalicelib.kernel.deps import Deps
from chalicelib.kernel.ports import ConditionFailedError, Item

from ..domain.case_view import CaseView
from ..repositories import CaseViews
from .projection import next_check


def sweep(deps: Deps, as_of: datetime) -> dict[str, Any]:
    """Evaluate every time-driven rule as of ``as_of`` for the cases that are due (idempotent)."""
    started = time.monotonic()
    views = CaseViews(deps.stores)
    examined = raised = 0
    cursor = None
    while True:
        page = views.due(as_of, cursor)
        for it in page.items:
            view = CaseView.model_validate(it.body)
            examined += 1
            raised += deps.hooks.sweep_case(deps, view, as_of)
            _advance(deps, views, it, view, as_of)
        cursor = page.next
        if not cursor:
            break
    raised += deps.hooks.sweep_periodic(deps, as_of)
    return {"as_of": as_of.isoformat(), "examined": examined, "raised": raised,
            "elapsed_ms": round((time.monotonic() - started) * 1000, 1)}


def _advance(deps: Deps, views: CaseViews, it: Item, view: CaseView, as_of: datetime) -> None:
    """Move the case's next check strictly past ``as_of`` (or drop it from the sweep index).

    Rules are idempotent, so skipping what was just evaluated loses nothing; a case whose later
    instants are still pending (R2 after R1, R3 after R2 …) stays in the index for them.
    """
    with contextlib.suppress(ConditionFailedError):  # a concurrent projection rewrote case and index
        views.reschedule(it, next_check(deps, view, after=as_of))
