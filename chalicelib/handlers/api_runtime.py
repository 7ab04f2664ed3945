"""Routes of the operation platform (运行平台): online applications, penalty case intake, the
worklist, and staff actions on natively run cases (docs/CONTRACT.md §7, issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.runtime.services import actions, intake, tasks

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
ACTIONS = "chalicelib.runtime.services.actions"
INTAKE = "chalicelib.runtime.services.intake"
TASKS = "chalicelib.runtime.services.tasks"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.runtime"

STAFF = ("handler", "dept_head")
CASE_READERS = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")


def _now() -> datetime:
    return datetime.now(UTC)


# ----- answers (docs/CONTRACT.md §7, §10) ---------------------------------------------------------


@route(
    bp,
    "/applications",
    "POST",
    auth="public",
    body=f"{INTAKE}:ApplicationIn",
    status=201,
    tag="hall",
    summary="网上申办: submit an application and start its case (returns case number and query password)",
    response=f"{ANSWERS}:ApplicationReceipt",
)
def submit_application(ctx: Ctx, body: intake.ApplicationIn) -> dict[str, Any]:
    from chalicelib.public import services as public
    from chalicelib.runtime.services import intake

    deps = wiring.deps()
    public.throttle(deps, "applications", ctx.source_ip)
    return intake.submit_application(deps, ctx.principal, body, _now())


@route(
    bp,
    "/penalty-cases",
    "POST",
    roles=STAFF,
    body=f"{INTAKE}:PenaltyCaseIn",
    status=201,
    tag="runtime",
    summary="受案: register a penalty case of the own department and start its procedure",
    response=f"{ANSWERS}:PenaltyCaseOpened",
)
def open_penalty_case(ctx: Ctx, body: intake.PenaltyCaseIn) -> dict[str, Any]:
    from chalicelib.runtime.services import intake

    return intake.open_penalty_case(wiring.deps(), ctx.principal, body, _now())


@route(
    bp,
    "/coercion-cases",
    "POST",
    roles=STAFF,
    body=f"{INTAKE}:CoercionCaseIn",
    status=201,
    tag="runtime",
    summary="行政强制立案: register a coercion case of the own department and start the 行政强制法's process "
    "(强制措施 or 强制执行, as the item's QZ fields say)",
    response=f"{ANSWERS}:CoercionCaseOpened",
)
def open_coercion_case(ctx: Ctx, body: intake.CoercionCaseIn) -> dict[str, Any]:
    from chalicelib.runtime.services import intake

    return intake.open_coercion_case(wiring.deps(), ctx.principal, body, _now())


class WorklistQuery(BaseModel):
    """Whose tasks: ``scope=role`` (the default: my roles' tasks, the pool and what colleagues hold),
    ``scope=mine`` (我的待办: only the tasks I hold, claimed or assigned to me) or ``scope=dept`` (the whole
    department). ``mine=true`` is accepted as ``scope=mine`` (docs/CONTRACT.md §10)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=20)
    scope: Literal["role", "mine", "dept"] = Field(
        default="role", description="role: my roles' tasks; mine: the tasks I hold (我的待办); dept: the department's")
    kind: str | None = Field(default=None, pattern=r"^[a-z_]{1,20}$", description="one task kind (accept, step, …)")
    mine: bool = Field(default=False, description="the same as scope=mine: only the tasks I hold (我的待办)")

    @model_validator(mode="before")
    @classmethod
    def _one_filter(cls, data: Any) -> Any:
        """Lenient: ``Mine``, `` dept `` and an empty scope are read as meant; ``mine=true`` is ``scope=mine``."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        scope = data.get("scope")
        if isinstance(scope, str):
            data["scope"] = scope.strip().lower() or "role"
        mine = data.get("mine")
        if mine is True or (isinstance(mine, str) and mine.strip().lower() in ("true", "1", "yes", "on", "y", "t")):
            data["scope"] = "mine"
        return data


@route(
    bp,
    "/worklist",
    roles=STAFF,
    query=WorklistQuery,
    tag="runtime",
    summary="Pending tasks (待办) of the own department: my roles' (scope=role), the ones I hold (scope=mine or "
    "mine=true: 我的待办) or the whole department's (scope=dept), least remaining working time first, with the "
    "supervision board colour",
    response=f"{ANSWERS}:Worklist",
)
def worklist(ctx: Ctx, query: WorklistQuery) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.worklist(
        wiring.deps(),
        ctx.principal,
        as_of=query.as_of or _now(),
        dept_code=query.dept_code,
        limit=query.limit,
        cursor=query.cursor,
        scope=query.scope,
        kind=query.kind,
    )


class ColleaguesQuery(BaseModel):
    """Keep the colleagues holding one role (the task's: ``handler`` or ``dept_head``)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")
    role: Literal["handler", "dept_head"] | None = None


@route(
    bp,
    "/worklist/colleagues",
    roles=STAFF,
    query=ColleaguesQuery,
    tag="runtime",
    summary="The active staff of the own department with their roles: whom a task can be given to (分派/改派), "
    "and the names of the 办理人 shown beside tasks; names and roles only",
    response=f"{ANSWERS}:Colleagues",
)
def worklist_colleagues(ctx: Ctx, query: ColleaguesQuery) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.colleagues(wiring.deps(), ctx.principal, query.role)


@route(
    bp,
    "/cases/{case_no}/actions",
    "POST",
    roles=STAFF,
    body=f"{ACTIONS}:ActionIn",
    tag="runtime",
    summary="Act on a natively run case: accept, reject, supplements, steps, special procedures, "
    "conclusion, delivery, and the penalty procedure; blocked when it would break the law",
    response=f"{ANSWERS}:ActionDone",
)
def act(ctx: Ctx, case_no: str, body: actions.ActionIn) -> dict[str, Any]:
    from chalicelib.runtime.services import actions

    return actions.act(wiring.deps(), ctx.principal, case_no, body.model_dump(), _now())


@route(
    bp,
    "/cases/{case_no}/tasks",
    roles=CASE_READERS,
    tag="runtime",
    summary="The tasks of a natively run case, pending and done",
    response=f"{ANSWERS}:CaseTasks",
)
def case_tasks(ctx: Ctx, case_no: str) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.case_tasks(wiring.deps(), ctx.principal, case_no)


@route(
    bp,
    "/cases/{case_no}/tasks/{task_id}/claim",
    "POST",
    roles=STAFF,
    tag="runtime",
    summary="认领: take an unassigned task of the own department and role as its named handler",
    response=f"{ANSWERS}:TaskAssigned",
)
def claim_task(ctx: Ctx, case_no: str, task_id: str) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.claim(wiring.deps(), ctx.principal, case_no, task_id, _now())


@route(
    bp,
    "/cases/{case_no}/tasks/{task_id}/assign",
    "POST",
    roles=("dept_head",),
    body=f"{TASKS}:AssignIn",
    tag="runtime",
    summary="分派/改派: the department head gives a task to a colleague holding its role (改派 with a reason)",
    response=f"{ANSWERS}:TaskAssigned",
)
def assign_task(ctx: Ctx, case_no: str, task_id: str, body: tasks.AssignIn) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.assign(wiring.deps(), ctx.principal, case_no, task_id, body, _now())


@route(
    bp,
    "/cases/{case_no}/tasks/{task_id}/release",
    "POST",
    roles=STAFF,
    body=f"{TASKS}:ReleaseIn",
    optional_body=True,
    tag="runtime",
    summary="退回待领: the assignee or the head puts a task back into the department's pool",
    response=f"{ANSWERS}:TaskAssigned",
)
def release_task(ctx: Ctx, case_no: str, task_id: str, body: tasks.ReleaseIn | None) -> dict[str, Any]:
    from chalicelib.runtime.services import tasks

    return tasks.release(wiring.deps(), ctx.principal, case_no, task_id, body or tasks.ReleaseIn(), _now())
