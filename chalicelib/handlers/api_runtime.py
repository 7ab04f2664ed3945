"""Routes of the operation platform (运行平台): online applications, penalty case intake, the
worklist, and staff actions on natively run cases (docs/CONTRACT.md §7, issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from ..domain.process import ActionName
from ..services import public, runtime
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
    body=runtime.ApplicationIn,
    status=201,
    tag="hall",
    summary="网上申办: submit an application and start its case (returns case number and query password)",
)
def submit_application(ctx: Ctx, body: runtime.ApplicationIn) -> dict[str, Any]:
    stores = wiring.stores()
    public.throttle(stores, "applications", ctx.source_ip)
    return runtime.submit_application(stores, ctx.principal, body, _now())


@route(
    bp,
    "/penalty-cases",
    "POST",
    roles=STAFF,
    body=runtime.PenaltyCaseIn,
    status=201,
    tag="runtime",
    summary="受案: register a penalty case of the own department and start its procedure",
)
def open_penalty_case(ctx: Ctx, body: runtime.PenaltyCaseIn) -> dict[str, Any]:
    return runtime.open_penalty_case(wiring.stores(), ctx.principal, body, _now())


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
    return runtime.worklist(
        wiring.stores(),
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
    return runtime.act(wiring.stores(), ctx.principal, case_no, body.model_dump(), _now())


@route(
    bp,
    "/cases/{case_no}/tasks",
    roles=CASE_READERS,
    tag="runtime",
    summary="The tasks of a natively run case, pending and done",
)
def case_tasks(ctx: Ctx, case_no: str) -> dict[str, Any]:
    return runtime.case_tasks(wiring.stores(), ctx.principal, case_no)
