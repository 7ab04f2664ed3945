"""System routes: health, OpenAPI and the calendar (identities: ``api_identity``)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN
from chalicelib.kernel.errors import ValidationError

from .. import wiring
from .http import Ctx, json_response, route

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.system"
#: The local stack's readiness probe (``devstack`` sets it while it provisions and loads the demo
#: city). None in every deployment: a function is ready when it answers.
readiness: Callable[[], bool] | None = None


class HealthQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = Field(default=None, description="judge the calendar as of this instant")


@route(bp, "/health", auth="public", query=HealthQuery, tag="system", response=f"{ANSWERS}:Health",
       summary="200 once every part is ready: ok, or degraded with the reasons (e.g. this year's holidays missing)")
def health(ctx: Ctx, query: HealthQuery) -> Any:
    from chalicelib.kernel.calendar import status as calendar_status
    from chalicelib.kernel.periods import local_date

    if readiness is not None and not readiness():
        return json_response(503, {"status": "starting"})
    deps = wiring.deps()
    calendar = calendar_status(deps.calendar, local_date(query.as_of or deps.now()))
    if calendar["status"] == "ok":
        return {"status": "ok"}
    return {"status": calendar["status"], "reasons": calendar["reasons"]}


@route(bp, "/calendar/status", auth="public", query=HealthQuery, tag="calendar", response=f"{ANSWERS}:CalendarStatus",
       summary="Which years have an official holiday schedule; warnings when this or next year has none")
def get_calendar_status(ctx: Ctx, query: HealthQuery) -> dict[str, Any]:
    from chalicelib.kernel.calendar import status as calendar_status
    from chalicelib.kernel.periods import local_date

    deps = wiring.deps()
    return calendar_status(deps.calendar, local_date(query.as_of or deps.now()))


@route(bp, "/openapi.json", auth="public", cache=True, summary="This API as OpenAPI 3", tag="system",
       response=f"{ANSWERS}:OpenApiDocument")
def openapi(ctx: Ctx) -> dict[str, Any]:
    from .openapi import document

    return document()


class YearScheduleIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    holidays: list[str] = Field(default_factory=list, max_length=366)
    workdays: list[str] = Field(default_factory=list, max_length=366)


@route(bp, "/admin/calendar/{year}", "PUT", roles=(SYSTEM_ADMIN,), body=YearScheduleIn, response=f"{ANSWERS}:YearSchedule",
       summary="Replace a year's official schedule (holidays and make-up working days)", tag="calendar")
def put_calendar(ctx: Ctx, year: str, body: YearScheduleIn) -> dict[str, Any]:
    from chalicelib.kernel.calendar import parse_year_schedule
    from chalicelib.supervision.services import calendar_years

    if not year.isdigit() or not 1990 <= int(year) <= 2100:
        raise ValidationError("年份无效", [{"field": "year", "type": "invalid", "message": "年份应为 1990–2100"}])
    schedule, problems = parse_year_schedule(int(year), body.model_dump())
    if schedule is None or problems:
        raise ValidationError("日历数据有误", problems)
    return calendar_years.save_year(wiring.deps(), int(year), schedule)


class DeadlineQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    from_: str = Field(alias="from", pattern=r"^(19|20)\d{2}-\d{2}-\d{2}$")
    working_days: int = Field(ge=0, le=1000)


@route(bp, "/calendar/deadline", auth="public", cache=True, query=DeadlineQuery, response=f"{ANSWERS}:Deadline",
       summary="Due date of N working days after a date, with the days counted", tag="calendar")
def deadline(ctx: Ctx, query: DeadlineQuery) -> dict[str, Any]:
    from chalicelib.kernel.calendar import provisional_warning, unknown_years

    try:
        start = date.fromisoformat(query.from_)
    except ValueError:
        raise ValidationError("日期无效", [{"field": "query.from", "type": "invalid",
                                            "message": "日期格式应为 YYYY-MM-DD"}]) from None
    calendar = wiring.deps().calendar
    result = calendar.add_working_days(start, query.working_days)
    warning = provisional_warning(unknown_years(calendar, [start, result.due]))
    return {"due": result.due.isoformat(), "counted": [d.isoformat() for d in result.counted],
            "source": result.source, "from": start.isoformat(), "working_days": query.working_days,
            "warnings": [warning] if warning else []}
