"""Saving a year's official schedule (法定节假日安排) and what it changes for the cases.

The bundled official calendar (``chinesecalendar``) knows 2004–2026. In a year it does not know and no
administrator has saved, deadlines count Monday–Friday only: ``/health`` says ``degraded`` while the
current year is such a year (``kernel.calendar.status``), every deadline that counts one carries a
warning (``cases.domain.case_view.deadline_warnings``), and saving the year
(``PUT /admin/calendar/{year}``) recomputes the stored deadlines of every case the year affects and
re-evaluates their deadline signals (R1–R3).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.repositories import CaseViews
from chalicelib.cases.services import projection
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.calendar import YearSchedule
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.overrides import CalendarOverrides
from chalicelib.kernel.periods import local_date

from . import rules

#: Cases whose last activity is older than this many years before the saved year are not looked at
#: (an open case untouched for two years has no deadline in the saved year).
RECOMPUTE_LOOKBACK_YEARS = 2


def save_year(deps: Deps, year: int, schedule: YearSchedule) -> dict[str, Any]:
    """Store the year's schedule, forget the cached calendar and recompute the cases it affects."""
    saved = CalendarOverrides(deps.stores).save_year(year, schedule)
    deps.calendars.invalidate()
    return {**saved, "source": "override", "recomputed": recompute_year(deps, year, deps.now())}


def _affected(view: CaseView, year: int) -> bool:
    """Whether a case's deadlines count days of ``year``: accepted by its end, and a deadline in it or
    later (or still unknown while the case is open)."""
    start = view.accepted_at or (view.penalty.opened_at if view.penalty else None)
    if start is None or local_date(start).year > year:
        return False
    dues = [d for d in (view.due, view.statutory_due) if d is not None]
    if not dues:
        return view.is_open
    return max(dues).year >= year


def recompute_year(deps: Deps, year: int, now: datetime) -> dict[str, Any]:
    """Rebuild every case whose deadlines count days of ``year`` with the calendar as it is now, and
    re-evaluate its deadline signals; returns the cases looked at and those whose deadlines moved."""
    views = CaseViews(deps.stores)
    since = f"{year - RECOMPUTE_LOOKBACK_YEARS:04d}-01-01"
    looked, changed = 0, []
    raised = withdrawn = 0
    for dept in identity.list_departments(deps.stores):
        for before in views.active_since(dept["code"], since):
            if not _affected(before, year):
                continue
            looked += 1
            after = projection.apply(deps, before.case_no)
            if after is None:
                continue
            if (after.due, after.statutory_due) != (before.due, before.statutory_due):
                changed.append(after.case_no)
            r, w = rules.reevaluate_deadlines(deps, after, now)
            raised += r
            withdrawn += w
    return {"year": year, "examined": looked, "changed": changed, "raised": raised, "withdrawn": withdrawn}
