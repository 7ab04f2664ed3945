"""Waiting tasks of natively run cases and the worklist (待办).

Human steps wait on SQS ``.waitForTaskToken``; the task worker (:func:`store_task`) keeps each
waiting task as a pending record for the worklist. Deadlines: the state machines cannot do
calendar arithmetic, so every action hands back a working-day ladder and the case deadline, and a
waiting task picks its ``due_at`` from them (``domain.plan``). Records: ``runtime.repositories``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.services import projection
from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.repositories import Users
from chalicelib.kernel.calendar import Calendar, Pause, provisional_warning, unknown_years
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.ports import ConditionFailedError, Item

from ..domain import process
from ..domain.plan import Task
from ..repositories import Runs, Tasks
from .intake import STAFF_ROLES

log = logging.getLogger("sunlit.runtime")
MAX_WORKLIST = 5000


def pauses(view: CaseView | None) -> list[Pause]:
    return [Pause(p.start, p.end) for p in (view.pauses if view else []) if p.kind == "B"]


def get_run(deps: Deps, case_no: str) -> Item:
    run = Runs(deps.stores).get(case_no)
    if run is None:
        raise NotFoundError("办件不存在或不在运行平台办理")
    return run


def store_task(deps: Deps, message: dict[str, Any]) -> None:
    """Keep one waiting task (from its SQS message) as a pending record for the worklist.

    Idempotent: a redelivered message finds its record and changes nothing. A deadline that
    follows the case (``due_rule`` ``case_due``) is read from the event log, since a special
    procedure may have moved it after the execution composed the message.
    """
    msg = process.TaskMessage.model_validate(message)
    due = msg.due_at
    if msg.due_rule == "case_due":
        view = projection.build_view(deps, msg.case_no)
        due = view.due if view is not None else due
    body = msg.model_dump(mode="json")
    body.update({"task_id": process.task_id(msg.task_token), "status": "pending",
                 "started_at": msg.started_at.isoformat(), "due_at": due.isoformat() if due else None,
                 "created_at": deps.now().isoformat()})
    try:
        Tasks(deps.stores).add(body)
    except ConditionFailedError:
        log.info("task %s of %s already stored", body["task_id"], msg.case_no)


def refresh_dues(deps: Deps, case_no: str, view: CaseView | None, calendar: Calendar) -> None:
    """After a special procedure moved the clock, recompute every pending task's deadline."""
    tasks = Tasks(deps.stores)
    held = pauses(view)
    for it in tasks.of_case(case_no):
        body = it.body
        if body.get("status") != "pending":
            continue
        due = process.task_due(calendar, due_rule=str(body.get("due_rule")),
                               started_at=datetime.fromisoformat(body["started_at"]),
                               limit_days=(body.get("step") or {}).get("limit_days"),
                               case_due=view.due if view else None, pauses=held)
        new = due.isoformat() if due else None
        if new == body.get("due_at"):
            continue
        body["due_at"] = new
        try:
            tasks.save(body, it.version)
        except ConditionFailedError:
            log.info("task %s changed meanwhile; its deadline is refreshed by its own action", body["task_id"])


def _worklist_scope(principal: Principal, dept_code: str | None) -> tuple[str, frozenset[str]]:
    dept, roles = principal.dept_code, frozenset(principal.roles & STAFF_ROLES)
    if dept_code is not None and dept_code != dept:
        raise ForbiddenError("只能查看本部门的待办", [field_error("query.dept_code", "不是本部门", "forbidden")])
    if not dept:
        raise ValidationError("请指定部门", [field_error("query.dept_code", "管理员查看待办须指定 dept_code", "missing")])
    return dept, roles


def worklist(deps: Deps, principal: Principal, *, as_of: datetime, dept_code: str | None = None, limit: int = 50,
             cursor: str | None = None, scope: Literal["role", "mine", "dept"] = "role",
             kind: str | None = None) -> dict[str, Any]:
    """A user's pending tasks in their department, least remaining time first: those of their
    roles (``scope="role"``: the pool and what colleagues hold), only those the user holds — claimed
    or assigned to them (``"mine"``, 我的待办) —, or every pending task of the department (``"dept"``,
    本部门全部); ``kind`` keeps one task kind (受理, 审批环节, 立案…)."""
    dept, roles = _worklist_scope(principal, dept_code)
    if scope == "dept":
        roles = STAFF_ROLES
    try:
        offset = int(cursor) if cursor else 0
        if offset < 0:
            raise ValueError
    except ValueError:
        raise ValidationError("分页游标无效", [field_error("query.cursor", "游标无效", "invalid")]) from None
    found = Tasks(deps.stores).pending_in(dept, roles, MAX_WORKLIST, kind)
    if scope == "mine":
        found = [t for t in found if t.get("assignee") == principal.username]
    calendar = deps.calendar
    day = process.business_day(as_of)
    ordered = process.worklist_order(found)
    window = ordered[offset: offset + limit]
    items = []
    for body in window:
        due = date.fromisoformat(body["due_at"]) if body.get("due_at") else None
        items.append({**Task(dict(body)).public(), "kind_name": process.TASK_KINDS.get(str(body.get("kind")), ""),
                      "remaining_working_days": process.remaining_working_days(calendar, due, day),
                      "colour": process.colour(calendar, due, day)})
    nxt = str(offset + limit) if offset + limit < len(ordered) else None
    dues = [date.fromisoformat(b["due_at"]) for b in window if b.get("due_at")]
    warning = provisional_warning([y for y in unknown_years(calendar, [day, *dues]) if y >= day.year])
    return {"items": items, "next": nxt, "as_of": as_of.isoformat(), "dept_code": dept, "scope": scope,
            "mine": scope == "mine", "total": len(ordered), "warnings": [warning] if warning else []}


def case_tasks(deps: Deps, principal: Principal, case_no: str) -> dict[str, Any]:
    """Every task of a natively run case, pending and done, in the order they began."""
    run = get_run(deps, case_no).body
    depts = {run["dept_code"], *run.get("co_departments", [])}
    if not any(principal.may_see_dept(d) for d in depts):
        raise ForbiddenError(principal.scope.denial)
    tasks = sorted((Task(i.body).public() for i in Tasks(deps.stores).of_case(case_no)),
                   key=lambda t: (str(t.get("started_at")), str(t.get("created_at"))))
    return {"case_no": case_no, "machine": run["machine"], "item_code": run["item_code"],
            "item_version": run["item_version"], "execution_arn": run.get("execution_arn"), "items": tasks,
            "next": None}


# --------------------------------------------------------------------------- the named person (承办人)


class AssignIn(BaseModel):
    """``POST /cases/{case_no}/tasks/{task_id}/assign``: the department head gives a task to a person."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    assignee: str = Field(min_length=1, max_length=64)
    reason: str | None = Field(default=None, max_length=500)


class ReleaseIn(BaseModel):
    """``POST /cases/{case_no}/tasks/{task_id}/release``: back to the department's pool."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    reason: str | None = Field(default=None, max_length=500)


def _task(deps: Deps, principal: Principal, case_no: str, task_id: str) -> tuple[Task, Item]:
    item = Tasks(deps.stores).get(case_no, task_id)
    if item is None:
        raise NotFoundError("待办任务不存在")
    if item.body.get("dept_code") != principal.dept_code:
        raise ForbiddenError("只能处理本部门的待办", [field_error("task_id", "不是本部门的待办", "forbidden")])
    if item.body.get("status") != "pending":
        raise ConflictError("该待办已办理或正在办理，不能再分派", [field_error("task_id", "待办不在待办状态", "conflict")])
    return Task(dict(item.body)), item


def _change(deps: Deps, task: Task, item: Item, to: str | None, by: str, at: datetime,
            reason: str | None) -> dict[str, Any]:
    kind = task.assign(to, by, at, reason)
    if kind != "unchanged":
        try:
            Tasks(deps.stores).save(task.body, item.version)
        except ConditionFailedError:
            raise ConflictError("该待办刚被他人认领或分派，请刷新后重试") from None
    return {**task.public(), "change": kind}


def claim(deps: Deps, principal: Principal, case_no: str, task_id: str, now: datetime) -> dict[str, Any]:
    """认领: a handler (or head) of the task's department and role takes an unassigned task."""
    task, item = _task(deps, principal, case_no, task_id)
    if task.body.get("role") not in principal.roles:
        raise ForbiddenError("当前角色不能认领该环节", [field_error("task_id", f"该环节须由 {task.body.get('role')} 办理",
                                                                   "forbidden")])
    if task.assignee not in (None, principal.username):
        raise ConflictError(f"该待办已由 {task.assignee} 承办，如需调整请部门负责人改派",
                            [field_error("task_id", f"承办人为 {task.assignee}", "assigned")])
    return _change(deps, task, item, principal.username, principal.actor_name, now, None)


def assign(deps: Deps, principal: Principal, case_no: str, task_id: str, body: AssignIn,
           now: datetime) -> dict[str, Any]:
    """分派 / 改派: the department head gives the task to an active colleague holding its role;
    changing a person who holds it already needs a reason."""
    task, item = _task(deps, principal, case_no, task_id)
    if "dept_head" not in principal.roles:
        raise ForbiddenError("只有部门负责人可以分派或改派待办")
    user = Users(deps.stores).get(body.assignee)
    role = str(task.body.get("role"))
    problem = None
    if user is None or not user.body.get("active", True):
        problem = "用户不存在或已停用"
    elif user.body.get("dept_code") != task.body.get("dept_code"):
        problem = "不是本部门的工作人员"
    elif role not in (user.body.get("roles") or []):
        problem = f"不具有该环节的角色（{role}）"
    if problem:
        raise ValidationError(f"不能分派给 {body.assignee}：{problem}", [field_error("assignee", problem, "invalid")])
    if task.assignee not in (None, body.assignee) and not body.reason:
        raise ValidationError("改派须说明理由", [field_error("reason", "改派须说明理由", "missing")])
    return _change(deps, task, item, body.assignee, principal.actor_name, now, body.reason)


def colleagues(deps: Deps, principal: Principal, role: str | None = None) -> dict[str, Any]:
    """The people a task of the caller's department can go to (分派/改派 and the 办理人 shown beside a task):
    the active staff of the own department with their staff roles (``role`` keeps those holding it).
    Names and roles only: no contact details or credentials."""
    if not principal.dept_code:
        raise ForbiddenError("只有部门工作人员可以查看本部门人员")
    people = []
    for body in Users(deps.stores).of_dept(principal.dept_code):
        roles = sorted(r for r in (body.get("roles") or []) if r in STAFF_ROLES)
        if not roles or not body.get("active", True) or (role and role not in roles):
            continue
        people.append({"username": str(body["username"]), "display_name": body.get("display_name") or None,
                       "roles": roles})
    people.sort(key=lambda p: (str(p["display_name"] or p["username"]), p["username"]))
    return {"dept_code": principal.dept_code, "items": people, "next": None}


def release(deps: Deps, principal: Principal, case_no: str, task_id: str, body: ReleaseIn,
            now: datetime) -> dict[str, Any]:
    """退回待领: the assignee (or the department head) puts the task back into the department's pool."""
    task, item = _task(deps, principal, case_no, task_id)
    if task.assignee is None:
        return {**task.public(), "change": "unchanged"}
    if task.assignee != principal.username and "dept_head" not in principal.roles:
        raise ForbiddenError("只有承办人或部门负责人可以退回待领")
    return _change(deps, task, item, None, principal.actor_name, now, body.reason)
