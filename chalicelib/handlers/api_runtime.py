"""Routes of the operation platform (运行平台): online applications, penalty case intake, the
worklist, and staff actions on natively run cases (docs/CONTRACT.md §7, issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.public import services as public
from chalicelib.runtime.domain.process import ActionName
from chalicelib.runtime.services import actions, intake, tasks

from .. import wiring
from .http import Ctx, route

bp = Blueprint(__name__)

STAFF = ("handler", "dept_head")
CASE_READERS = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")


def _now() -> datetime:
    return datetime.now(UTC)


@route(
    bp,
    "/applications",
    "POST",
    auth="public",
    body=intake.ApplicationIn,
    status=201,
    tag="hall",
    summary="网上申办: submit an application and start its case (returns case number and query password)",
)
def submit_application(ctx: Ctx, body: intake.ApplicationIn) -> dict[str, Any]:
    deps = wiring.deps()
    public.throttle(deps, "applications", ctx.source_ip)
    return intake.submit_application(deps, ctx.principal, body, _now())


@route(
    bp,
    "/penalty-cases",
    "POST",
    roles=STAFF,
    body=intake.PenaltyCaseIn,
    status=201,
    tag="runtime",
    summary="受案: register a penalty case of the own department and start its procedure",
)
def open_penalty_case(ctx: Ctx, body: intake.PenaltyCaseIn) -> dict[str, Any]:
    return intake.open_penalty_case(wiring.deps(), ctx.principal, body, _now())


class WorklistQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=20)


@route(
    bp,
    "/worklist",
    roles=STAFF,
    query=WorklistQuery,
    tag="runtime",
    summary="My pending tasks (待办): own department and role, least remaining working time first, "
    "with the supervision board colour",
)
def worklist(ctx: Ctx, query: WorklistQuery) -> dict[str, Any]:
    return tasks.worklist(
        wiring.deps(),
        ctx.principal,
        as_of=query.as_of or _now(),
        dept_code=query.dept_code,
        limit=query.limit,
        cursor=query.cursor,
    )


class ActionIn(BaseModel):
    """An action; its other fields are validated per action (see ``domain.process``)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    action: ActionName


@route(
    bp,
    "/cases/{case_no}/actions",
    "POST",
    roles=STAFF,
    body=ActionIn,
    tag="runtime",
    summary="Act on a natively run case: accept, reject, supplements, steps, special procedures, "
    "conclusion, delivery, and the penalty procedure; blocked when it would break the law",
)
def act(ctx: Ctx, case_no: str, body: ActionIn) -> dict[str, Any]:
    return actions.act(wiring.deps(), ctx.principal, case_no, body.model_dump(), _now())


@route(
    bp,
    "/cases/{case_no}/tasks",
    roles=CASE_READERS,
    tag="runtime",
    summary="The tasks of a natively run case, pending and done",
)
def case_tasks(ctx: Ctx, case_no: str) -> dict[str, Any]:
    return tasks.case_tasks(wiring.deps(), ctx.principal, case_no)
