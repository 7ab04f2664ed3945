"""Read routes the staff console (工作台) needs beyond the contract: the supervision bureau's
real-time board (实时监控) with its drill-down, and the legal registers as lists — enforcement
officers with their certificate periods, legal bases with their repeal dates."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from .api_hall import EvaluationQuery  # the same period, department and region as the evaluation
from .http import Ctx, route

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")
ANSWERS = "chalicelib.handlers.answers.board"


def _now() -> datetime:
    return datetime.now(UTC)


class BoardQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None


class BoardDeptQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None
    light: Literal["green", "yellow", "red"] | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=10, pattern=r"^\d+$")


@route(bp, "/supervision/board", roles=("supervisor", "dept_supervision", "dept_head"), query=BoardQuery,
       tag="supervision", summary="实时监控: per department, open cases by light, open yellow/red signals, overdue "
       "explanations (department roles: their own)",
       response=f"{ANSWERS}:Board")
def board(ctx: Ctx, query: BoardQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import board as board_service

    return board_service.load_board(wiring.deps(), ctx.principal, query.as_of or _now())


@route(bp, "/supervision/board/{dept_code}", roles=("supervisor", "dept_supervision", "dept_head"),
       query=BoardDeptQuery, tag="supervision", summary="A department's open cases with their light, most urgent first",
       response=f"{ANSWERS}:BoardDepartment")
def board_department(ctx: Ctx, dept_code: str, query: BoardDeptQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import board as board_service

    return board_service.load_department(wiring.deps(), ctx.principal, dept_code, query.as_of or _now(), query.light,
                                         query.limit, query.cursor)


@route(bp, "/supervision/statistics/risk", roles=("supervisor", "dept_supervision", "dept_head"), query=EvaluationQuery,
       tag="supervision", summary="廉政风险等级统计: signals raised in a period by the highest risk level they name, per "
       "department and region (rolled up to the city), within the reader's scope",
       response=f"{ANSWERS}:RiskStatistics")
def risk_statistics(ctx: Ctx, query: EvaluationQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import risk_stats

    return risk_stats.risk_statistics(wiring.deps(), ctx.principal, query.period, query.dept_code, query.region_code)


class OfficerQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    expiring_within: int | None = Field(default=None, ge=0, le=3650,
                                        description="only officers whose certificate ends within this many days "
                                                    "(or has ended)")
    as_of: date | None = None
    limit: int = Field(default=200, ge=1, le=500)


@route(bp, "/legal/officers", roles=("legal", "supervisor", *DEPT_ROLES), query=OfficerQuery, tag="legal",
       summary="Enforcement officers (执法人员) with certificate periods and status; department roles: their own",
       response=f"{ANSWERS}:Officers")
def officers(ctx: Ctx, query: OfficerQuery) -> dict[str, Any]:
    from chalicelib.identity.services.departments import list_departments
    from chalicelib.legal.services import registers

    deps = wiring.deps()
    scope = ctx.principal.scope.narrow(query.dept_code)  # 403 for a department outside the own department/region
    depts = scope.keep([str(d["code"]) for d in list_departments(deps.stores)], lambda code: code)
    return registers.officers_view(deps, depts, query.as_of or deps.today(), query.expiring_within, query.limit)


class BasisQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    repealed: bool | None = None
    q: str | None = Field(default=None, max_length=100)


@route(bp, "/legal/bases", roles=("legal", "supervisor"), query=BasisQuery, tag="legal",
       summary="Legal bases cited by the catalog, with their repeal dates and the items in force citing them",
       response=f"{ANSWERS}:CitedBases")
def bases(ctx: Ctx, query: BasisQuery) -> dict[str, Any]:
    from chalicelib.legal.services import registers

    deps = wiring.deps()
    return registers.bases_view(deps, deps.today(), query.repealed, query.q)
