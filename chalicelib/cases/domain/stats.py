"""Statistics (绩效统计) as contributions of each case to period counters.

A case contributes to the counters of the periods its facts fall in (month ``2012-07``,
quarter ``2012Q3``, year ``2012``). The projection stores what a case contributed last time and
applies only the difference, so retries and re-projections never count twice, and a corrected
(superseded) event moves the count instead of adding to it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .case_view import CaseView

TZ = ZoneInfo("Asia/Shanghai")
PERIOD_RE = re.compile(r"^((?:19|20)\d{2})(?:-(0[1-9]|1[0-2])|Q([1-4]))?$")


def local_date(at: datetime) -> date:
    return at.astimezone(TZ).date()


def periods_of(day: date) -> list[str]:
    quarter = (day.month - 1) // 3 + 1
    return [f"{day.year}-{day.month:02d}", f"{day.year}Q{quarter}", f"{day.year}"]


def valid_period(period: str) -> bool:
    return bool(PERIOD_RE.match(period))


def period_start(period: str) -> date:
    """The first day of ``2012``, ``2012Q3`` or ``2012-07``."""
    m = PERIOD_RE.match(period)
    if not m:
        raise ValueError(f"not a period: {period}")
    year, month, quarter = m.groups()
    first_month = int(month) if month else (int(quarter) - 1) * 3 + 1 if quarter else 1
    return date(int(year), first_month, 1)


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
