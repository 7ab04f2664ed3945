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
from .channels import is_point_code

#: Counter rows of a service point (基层延伸): ``SP#{point}#{dept}`` beside the departments' rows of a period.
POINT_ROW = "SP#"


def point_row(point: str, dept_code: str) -> str:
    return f"{POINT_ROW}{point}#{dept_code}"


def contributions(view: CaseView) -> dict[str, int]:
    """``"{period}|{dept}|{field}" -> value`` for one case."""
    out: dict[str, int] = {}

    # a case taken at a service point counts for the point too (per department, so scope can keep rows)
    rows = [view.dept_code] + ([point_row(view.service_point, view.dept_code)]
                               if view.service_point and is_point_code(view.service_point) else [])

    def add(day: date, name: str, value: int = 1) -> None:
        for p in periods_of(day):
            for row in rows:
                key = f"{p}|{row}|{name}"
                out[key] = out.get(key, 0) + value

    start = view.accepted_at or (view.penalty.opened_at if view.penalty else None)
    taken = view.submitted_at or start
    if len(rows) > 1 and taken is not None:  # the point took the application (收件), accepted or not
        for p in periods_of(local_date(taken)):
            out[f"{p}|{rows[1]}|taken"] = 1
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
