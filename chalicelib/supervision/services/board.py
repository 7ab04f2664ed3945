"""The real-time board (实时监控) read from the stores: each department's cases from the cases table's
department index (the board and its drill-down count the same cases), the signals that are not
closed from the oversight table. Both reads grow with the department's history, not with what is
open: fine for a city's tens of thousands of cases; a counter per department and light would be
the next step beyond that."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.cases.repositories import CaseViews
from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services.departments import list_departments
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, NotFoundError

from ..domain import board as dom
from ..domain.records import SIGNAL
from ..repositories import OversightRecords


def _views(deps: Deps, dept_code: str) -> list[dict[str, Any]]:
    return CaseViews(deps.stores).of_department(dept_code)


def _live_signals(deps: Deps) -> list[dict[str, Any]]:
    return OversightRecords(deps.stores).not_closed(SIGNAL)


def load_board(deps: Deps, principal: Principal, as_of: datetime) -> dict[str, Any]:
    """Every department the principal may see, worst first, with the totals."""
    shown = [d for d in list_departments(deps.stores) if dom.visible(principal, d)]
    views = [v for d in shown for v in _views(deps, d["code"])]
    return {**dom.board(shown, views, _live_signals(deps), deps.calendar, dom.business_day(as_of)),
            "as_of": as_of.isoformat()}


def load_department(deps: Deps, principal: Principal, dept_code: str, as_of: datetime, light: str | None,
                    limit: int, cursor: str | None) -> dict[str, Any]:
    """A department's open cases (of one light if asked), most urgent first; 404 for an unknown
    department, 403 outside the principal's department or region."""
    dept = next((d for d in list_departments(deps.stores) if d["code"] == dept_code), None)
    if dept is None:
        raise NotFoundError("部门不存在")
    if not dom.visible(principal, dept):
        raise ForbiddenError("只能查看本部门（或本辖区）的办件", [{"field": "dept_code", "type": "forbidden",
                                                              "message": "不在可查看的范围内"}])
    rows = dom.department_cases(_views(deps, dept_code), deps.calendar, dom.business_day(as_of), light)
    start = int(cursor or 0)
    page = rows[start:start + limit]
    return {"dept_code": dept_code, "dept_name": dept.get("name"), "as_of": as_of.isoformat(), "items": page,
            "total": len(rows), "next": str(start + limit) if start + limit < len(rows) else None}
