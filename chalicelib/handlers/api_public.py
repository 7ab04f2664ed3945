"""The hall's public API (docs/CONTRACT.md §7): progress query, results, statistics."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import NotFoundError, ValidationError

from .. import wiring
from .http import Ctx, route

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.public"


# ----- answers (docs/CONTRACT.md §7): nothing personal, masked names ---------------------------------


class PasswordQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    password: str | None = Field(default=None, max_length=64)


@route(bp, "/cases/{case_no}", auth="public", query=PasswordQuery, tag="public", response=f"{ANSWERS}:PublicCase",
       summary="Progress query by case number and query password; wrong password = unknown case (404)")
def get_case(ctx: Ctx, case_no: str, query: PasswordQuery) -> dict[str, Any]:
    from chalicelib.cases.domain.case_view import deadline_warnings
    from chalicelib.cases.services import projection
    from chalicelib.public import domain as masking
    from chalicelib.public import services as public
    from chalicelib.servicepoints import services as points

    deps = wiring.deps()
    public.throttle(deps, "case-query", ctx.source_ip)
    found = projection.get_view(deps.stores, case_no) if len(case_no) <= 64 else None
    view = found[0] if found else None
    ok = public.password_ok(deps, case_no, view, query.password)  # an unknown case counts as a failure
    if view is None or not ok:
        raise NotFoundError("未找到办件或查询密码错误")
    return {**masking.public_case(view), "service_point": points.public_point_name(deps, view.service_point),
            "warnings": deadline_warnings(deps.calendar, view)}


class ResultsQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    category: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    kind: str | None = Field(default=None, pattern=r"^(license|penalty)$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


@route(bp, "/results", auth="public", cache=True, query=ResultsQuery, tag="public", response=f"{ANSWERS}:PublishedResults",
       summary="Concluded cases and penalty decisions, masked (结果公开)")
def results(ctx: Ctx, query: ResultsQuery) -> dict[str, Any]:
    from chalicelib.public import services as public

    return public.results(wiring.deps(), query.dept_code, query.category, query.kind, query.limit, query.cursor)


class StatsQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str = Field(max_length=7)
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$",
                                    description="only this region (a city: with its counties and districts)")


@route(bp, "/stats/departments", auth="public", cache=True, query=StatsQuery, tag="public", response=f"{ANSWERS}:StatsPage",
       summary="Per-department statistics for a period (2012Q3, 2012-07, 2012)")
def stats(ctx: Ctx, query: StatsQuery) -> dict[str, Any]:
    from chalicelib.public import services as public

    return {"items": public.department_stats(wiring.deps(), _period(query.period), query.region_code), "next": None,
            "period": query.period}


@route(bp, "/stats/regions", auth="public", cache=True, query=StatsQuery, tag="public",
       summary="Statistics per region (两级): each county, and the city rolled up with all its counties",
       response=f"{ANSWERS}:RegionStatsPage")
def region_stats(ctx: Ctx, query: StatsQuery) -> dict[str, Any]:
    from chalicelib.public import services as public

    return {"items": public.region_stats(wiring.deps(), _period(query.period), query.region_code), "next": None,
            "period": query.period}


def _period(period: str) -> str:
    from chalicelib.kernel.periods import valid_period

    if not valid_period(period):
        raise ValidationError("统计期间格式有误", [{"field": "query.period", "type": "invalid",
                                                   "message": "期间格式应为 2012Q3、2012-07 或 2012"}])
    return period
