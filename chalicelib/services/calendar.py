"""Calendar administration: per-year overrides of the official schedule, what a missing year means
for the platform, and recomputing the cases a newly saved year affects.

The bundled official calendar (``chinesecalendar``) knows 2004–2026. In a year it does not know and no
administrator has saved, deadlines count Monday–Friday only: ``/health`` says ``degraded`` while the
current year is such a year, every deadline that counts one carries a warning (staff views, the
public progress query), and saving the year (``PUT /admin/calendar/{year}``) recomputes the stored
deadlines of every case the year affects and re-evaluates their signals.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .. import wiring
from ..domain.calendar import Calendar, YearSchedule, provisional_warning, unknown_years
from ..domain.case_view import CaseView
from ..domain.stats import local_date
from .ports import Item, Stores

#: Cases whose last activity is older than this many years before the saved year are not looked at
#: (an open case untouched for two years has no deadline in the saved year).
RECOMPUTE_LOOKBACK_YEARS = 2


def save_year(stores: Stores, year: int, schedule: YearSchedule, now: datetime) -> dict[str, Any]:
    body = {"year": year, "holidays": sorted(d.isoformat() for d in schedule.holidays),
            "workdays": sorted(d.isoformat() for d in schedule.workdays)}
    stores.table("catalog").put(Item(pk="CALENDAR", sk=f"{year:04d}", body=body))
    wiring.invalidate_calendar()
    return {**body, "source": "override", "recomputed": recompute_year(stores, year, now)}


def status(calendar: Calendar, as_of: datetime) -> dict[str, Any]:
    """What ``/health`` says about the calendar as of an instant: ``degraded`` while the current year
    has no schedule; a warning when next year has none yet (deadlines may already reach into it)."""
    today = local_date(as_of)
    reasons: list[str] = []
    warnings: list[str] = []
    if calendar.source(today.year) == "weekends-only":
        reasons.append(f"{today.year} 年法定节假日安排缺失：期限暂按周一至周五推算，请录入 "
                       f"PUT /admin/calendar/{today.year}")
    if calendar.source(today.year + 1) == "weekends-only":
        warnings.append(f"{today.year + 1} 年法定节假日安排尚未录入：跨年的期限暂按周一至周五推算")
    return {"status": "degraded" if reasons else "ok", "reasons": reasons, "warnings": warnings,
            "years": {str(y): calendar.source(y) for y in (today.year, today.year + 1)}}


def case_warnings(calendar: Calendar, view: CaseView) -> list[str]:
    """A warning when the case's deadlines count a year without a published schedule."""
    days: list[date] = []
    for derivation in (view.due_derivation, view.statutory_derivation):
        if derivation is not None and derivation.unit == "working_day":
            days += derivation.counted  # the start day is not counted
    warning = provisional_warning(unknown_years(calendar, days))
    return [warning] if warning else []


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


def recompute_year(stores: Stores, year: int, now: datetime) -> dict[str, Any]:
    """Rebuild every case whose deadlines count days of ``year`` with the calendar as it is now, and
    re-evaluate its deadline signals; returns the cases looked at and those whose deadlines moved."""
    from ..identity.services import departments as identity
    from . import projection, rules

    table = stores.table("cases")
    since = f"{year - RECOMPUTE_LOOKBACK_YEARS:04d}-01-01"
    looked, changed = 0, []
    raised = withdrawn = 0
    for dept in identity.list_departments(stores):
        for it in table.query_all(f"DEPT#{dept['code']}", since, index="gsi1", sk_lte="9999"):
            before = CaseView.model_validate(it.body)
            if not _affected(before, year):
                continue
            looked += 1
            after = projection.apply(stores, before.case_no)
            if after is None:
                continue
            if (after.due, after.statutory_due) != (before.due, before.statutory_due):
                changed.append(after.case_no)
            r, w = rules.reevaluate_deadlines(stores, after, now)
            raised += r
            withdrawn += w
    return {"year": year, "examined": looked, "changed": changed, "raised": raised, "withdrawn": withdrawn}
