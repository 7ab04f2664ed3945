"""Statistics (绩效统计) as contributions of each case to period counters.

A case contributes to the counters of the periods its facts fall in (month ``2012-07``,
quarter ``2012Q3``, year ``2012``). The projection stores what a case contributed last time and
applies only the difference, so retries and re-projections never count twice, and a corrected
(superseded) event moves the count instead of adding to it.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from chalicelib.kernel.periods import local_date, periods_of

from .case_view import CaseView


def contributions(view: CaseView) -> dict[str, int]:
    """``"{period}|{dept}|{field}" -> value`` for one case."""
    out: dict[str, int] = {}

    def add(day: date, name: str, value: int = 1) -> None:
        for p in periods_of(day):
            key = f"{p}|{view.dept_code}|{name}"
            out[key] = out.get(key, 0) + value

    start = view.accepted_at or (view.penalty.opened_at if view.penalty else None)
    if start is not None and view.status != "rejected":
        add(local_date(start), "received")
    if view.supplements and view.submitted_at is not None:
        add(local_date(view.submitted_at), "supplements")
    concluded = view.concluded_at
    if concluded is not None and view.status == "concluded":
        day = local_date(concluded)
        add(day, "concluded")
        if view.due is None or day <= view.due:
            add(day, "on_time")
        if view.due_derivation is not None and start is not None:
            add(day, "days_used", max(0, (day - local_date(start)).days))
    return out


def deltas(old: Mapping[str, int], new: Mapping[str, int]) -> dict[str, int]:
    keys = set(old) | set(new)
    return {k: new.get(k, 0) - old.get(k, 0) for k in keys if new.get(k, 0) != old.get(k, 0)}
