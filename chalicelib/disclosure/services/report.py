"""The annual report's table of requests (条例 art. 49–50) for a department or the whole platform,
computed from the requests' summaries (``domain.report`` counts them)."""
from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.kernel.deps import Deps

from ..domain.report import Fact, annual_table
from ..repositories import Requests
from .shared import department_name, require_department


def annual_report(deps: Deps, year: int, dept_code: str | None) -> dict[str, Any]:
    """The table for ``year``; ``final`` once the year is over (published by 31 January, art. 49)."""
    if dept_code:
        require_department(deps, dept_code)
    facts = [Fact(received_on=s.received_on, column=s.report_column, closed_on=s.closed_on, row=s.report_row,
                  kind=s.report_kind, answer_type=s.answer_type)
             for s in Requests(deps.stores).received_until(dept_code, f"{year}-12-31")]
    table = annual_table(facts, year)
    today = deps.today()
    return {**table, "dept_code": dept_code, "dept_name": department_name(deps, dept_code) if dept_code else None,
            "scope": "department" if dept_code else "platform", "final": today > date(year, 12, 31),
            "publish_by": date(year + 1, 1, 31).isoformat(), "as_of": today.isoformat()}
