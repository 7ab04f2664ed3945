"""Waiting tasks of natively run cases and the worklist (待办).

Human steps wait on SQS ``.waitForTaskToken``; the task worker (:func:`store_task`) keeps each
waiting task as a pending record for the worklist. Deadlines: the state machines cannot do
calendar arithmetic, so every action hands back a working-day ladder and the case deadline, and a
waiting task picks its ``due_at`` from them (``domain.plan``). Records: ``runtime.repositories``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.services import projection
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.calendar import Calendar, Pause, provisional_warning, unknown_years
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, NotFoundError, ValidationError, field_error
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
             cursor: str | None = None) -> dict[str, Any]:
    """A user's pending tasks in their department for their roles, least remaining time first."""
    dept, roles = _worklist_scope(principal, dept_code)
    try:
        offset = int(cursor) if cursor else 0
        if offset < 0:
            raise ValueError
    except ValueError:
        raise ValidationError("分页游标无效", [field_error("query.cursor", "游标无效", "invalid")]) from None
    found = Tasks(deps.stores).pending_in(dept, roles, MAX_WORKLIST)
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
    return {"items": items, "next": nxt, "as_of": as_of.isoformat(), "dept_code": dept,
            "warnings": [warning] if warning else []}


def case_tasks(deps: Deps, principal: Principal, case_no: str) -> dict[str, Any]:
    """Every task of a natively run case, pending and done, in the order they began."""
    run = get_run(deps, case_no).body
    depts = {run["dept_code"], *run.get("co_departments", [])}
    if principal.is_department_scoped and principal.dept_code not in depts:
        raise ForbiddenError("只能查看本部门的办件")
    tasks = sorted((Task(i.body).public() for i in Tasks(deps.stores).of_case(case_no)),
                   key=lambda t: (str(t.get("started_at")), str(t.get("created_at"))))
    return {"case_no": case_no, "machine": run["machine"], "item_code": run["item_code"],
            "item_version": run["item_version"], "execution_arn": run.get("execution_arn"), "items": tasks,
            "next": None}
