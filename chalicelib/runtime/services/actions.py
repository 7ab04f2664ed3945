"""Staff actions on natively run cases (``POST /cases/{case_no}/actions``).

An action passes the blocking checks of ``domain.process``, writes the same exchange events a
department system would send (``cases.services.exchange.append``, source ``runtime``) and resumes
the execution (``deps.runner``). The action that completes a task reports ``late``/``late_days``
against its ``due_at`` in the task output, so the execution history itself records every step that
ran past its limit.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from chalicelib.attachments import services as attachments
from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.domain.events import AttachmentRef, ExchangeEvent
from chalicelib.cases.repositories import EventLog
from chalicelib.cases.services import exchange, projection, query_passwords
from chalicelib.catalog import services as catalog
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, field_error
from chalicelib.kernel.ports import ConditionFailedError, Item, TaskGoneError
from chalicelib.legal.domain.checks import Officer
from chalicelib.legal.services.registers import Registry

from ..domain import process, task_waits
from ..domain.plan import Task
from ..domain.process import ActionName
from ..repositories import Tasks
from .tasks import get_run, pauses, refresh_dues

log = logging.getLogger("sunlit.runtime")
#: Actions that end the whole procedure: 作废, and 终结执行 of a coercion case (行政强制法 art.40).
ENDING_ACTIONS = frozenset({"void", "terminate_enforcement"})


class ActionIn(BaseModel):
    """An action; its other fields are validated per action (see ``domain.process``)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    action: ActionName


def _bound_version(deps: Deps, run: dict[str, Any]) -> ItemVersion:
    for v in catalog.versions_of(deps, run["item_code"]):
        if v.version == int(run["item_version"]):
            return v
    raise NotFoundError(f"办件绑定的事项版本 {run['item_code']} 第 {run['item_version']} 版不存在")


def _actor(principal: Principal, action: process.Action) -> dict[str, Any]:
    given = action.actor.model_dump(exclude_none=True) if action.actor else {}
    return {"name": principal.username or principal.actor_name, **given}


def _pick_task(deps: Deps, principal: Principal, run: dict[str, Any], action: process.Action) -> Item:
    candidates = [i for i in Tasks(deps.stores).of_case(run["case_no"])
                  if i.body.get("status") == "pending" and action.action in (i.body.get("actions") or [])]
    if action.task_id:
        candidates = [i for i in candidates if i.body.get("task_id") == action.task_id]
    candidates = [i for i in candidates if i.body.get("dept_code") == principal.dept_code]
    others = [i for i in candidates if not Task(i.body).may_be_done_by(principal.username)]
    candidates = [i for i in candidates if Task(i.body).may_be_done_by(principal.username)]
    if others and not candidates:
        who = Task(others[0].body).assignee
        raise ForbiddenError(f"该待办已由 {who} 承办，请由承办人办理或请部门负责人改派",
                             [field_error("action", f"承办人为 {who}", "assigned")])
    if not candidates:
        raise ConflictError(f"办件当前没有可以执行「{action.action}」的待办任务",
                            [field_error("action", "当前环节不能执行该操作（或上一步尚在流转，请稍后刷新待办）", "conflict")])
    mine = [i for i in candidates if i.body.get("role") in principal.roles]
    if not mine:
        role = candidates[0].body.get("role")
        raise ForbiddenError("当前角色不能办理该环节", [field_error("action", f"该环节须由 {role} 办理", "forbidden")])
    mine.sort(key=lambda i: (i.body.get("dept_code") != run["dept_code"], str(i.body.get("started_at"))))
    return mine[0]


def _registries(deps: Deps, action: process.Action,
                view: CaseView | None) -> tuple[dict[str, Officer | None], dict[str, date | None]]:
    registry = Registry(deps)
    ids: list[str] = []
    if isinstance(action, process.OpenCaseAction):
        ids = list(action.officers)
    elif isinstance(action, process.DecideAction) and view is not None and view.penalty is not None:
        ids = list(view.penalty.officers)
    elif isinstance(action, process.ImplementMeasureAction | process.ExecuteAction):
        ids = list(action.officers)  # 行政强制法 art.18(2): two officers with valid certificates
    officers = {i: registry.officer(i) for i in dict.fromkeys(ids) if i}
    repealed: dict[str, date | None] = {}
    if isinstance(action, process.DecideAction):
        for basis_id in action.basis_ids:
            basis = registry.basis(basis_id)
            repealed[basis_id] = basis.repealed_on if basis else None
    return officers, repealed


def _type_counts(deps: Deps, case_no: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    prefix = f"{case_no}-"
    for event_id in EventLog(deps.stores).marker_ids(case_no):
        if event_id.startswith(prefix):
            etype = event_id[len(prefix):].rsplit("-", 1)[0]
            counts[etype] = counts.get(etype, 0) + 1
    return counts


def _context(deps: Deps, principal: Principal, case_no: str, run: dict[str, Any], action: process.Action,
             now: datetime) -> tuple[process.ActionContext, Item | None]:
    """Check who may act and when, and gather what the blocking checks need."""
    depts = {run["dept_code"], *run.get("co_departments", [])}
    if principal.dept_code not in depts:
        raise ForbiddenError("只能办理本部门的办件", [field_error("case_no", "办件不属于本部门", "forbidden")])
    version = _bound_version(deps, run)
    view = projection.build_view(deps, case_no)
    at = action.at or now
    task_item: Item | None = None
    if action.action in process.SIDE_ACTIONS:
        if principal.dept_code != run["dept_code"]:
            raise ForbiddenError("特别程序只能由主办部门启动或结束")
        not_before = view.accepted_at if view else None
    else:
        task_item = _pick_task(deps, principal, run, action)
        not_before = datetime.fromisoformat(task_item.body["started_at"])
    process.check_time(at, not_before=not_before, now=now)
    officers, repealed = _registries(deps, action, view)
    ctx = process.ActionContext(
        case_no=case_no, item=version, at=at, actor=_actor(principal, action), view=view,
        task=task_item.body if task_item else None, calendar=deps.calendar, cfg=deps.rule_config,
        type_counts=_type_counts(deps, case_no), officers=officers, repealed=repealed,
        records=EventLog(deps.stores).records(case_no) if version.item.category == "QZ" else ())
    return ctx, task_item


def act(deps: Deps, principal: Principal, case_no: str, raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Take one action on a natively run case (``POST /cases/{case_no}/actions``)."""
    run = get_run(deps, case_no).body
    action = process.parse_action(raw)
    ends = action.action in ENDING_ACTIONS
    if ends and not (principal.dept_code == run["dept_code"] and "dept_head" in principal.roles):
        raise ForbiddenError("作废、终结执行须由主办部门的部门负责人决定",
                             [field_error("action", "仅主办部门负责人可作废办件或终结执行", "forbidden")])
    ctx, task_item = _context(deps, principal, case_no, run, action, now)
    outcome = process.apply_action(action, ctx)
    files = attachments.verify(deps, principal, list(dict.fromkeys(action.attachments)), "action")
    if files and outcome.events:  # the act's (first) event names its documents
        first = outcome.events[0]
        outcome.events[0] = first.model_copy(update={"data": first.data.model_copy(update={"attachments": [
            AttachmentRef.model_validate(f) for f in files]})})
    if ends:
        answer = _void(deps, principal, run, action, outcome.events, ctx, now)
        attachments.bind(deps, files, owner_kind="case", owner_id=case_no, dept_code=run["dept_code"])
        return answer
    if task_item is None:
        _append(deps, run, outcome.events, now)
        attachments.bind(deps, files, owner_kind="case", owner_id=case_no, dept_code=run["dept_code"])
        after = projection.build_view(deps, case_no)
        refresh_dues(deps, case_no, after, ctx.calendar)
        return _answer(case_no, action, outcome.events, None, after)
    claimed = _claim(deps, task_item)
    try:
        _append(deps, run, outcome.events, now)
        attachments.bind(deps, files, owner_kind="case", owner_id=case_no, dept_code=run["dept_code"])
        after = projection.build_view(deps, case_no)
        due = date.fromisoformat(claimed.body["due_at"]) if claimed.body.get("due_at") else None
        day = process.business_day(ctx.at)
        late_days = process.lateness(ctx.calendar, due, day)
        ladder = process.workday_ladder(ctx.calendar, day, int(run.get("ladder_len") or 1), pauses(after))
        output = process.clock(action=action.action, at=ctx.at, ladder=ladder, case_due=after.due if after else None,
                               due_at=due, late_days=late_days, extra=outcome.extra)
        output["wait"] = task_waits.for_clock(output, now)
        _resume(deps, claimed.body["task_token"], output)
    except Exception:
        _release(deps, claimed)
        raise
    task = Task(claimed.body)
    task.complete(action.action, ctx.at, late_days, principal.actor_name,
                  getattr(action, "opinion", None) or getattr(action, "reason", None))
    Tasks(deps.stores).save(task.body, claimed.version)
    answer = _answer(case_no, action, outcome.events, task.body, after)
    answer.update({"late": late_days > 0, "late_days": late_days})
    return answer


def _void(deps: Deps, principal: Principal, run: dict[str, Any], action: process.Action,
          events: list[ExchangeEvent], ctx: process.ActionContext, now: datetime) -> dict[str, Any]:
    """作废: fail the execution's waiting tasks with ``Sunlit.Voided`` (the state machine ends in its
    ``Voided`` state), record 办结 with result 2 and the reason in the case's log, and end every
    pending task as voided. Safe to retry: a token that has ended is skipped, and a case already
    voided answers 409."""
    reason = str(getattr(action, "reason", ""))
    tasks = Tasks(deps.stores)
    waiting = [i for i in tasks.of_case(run["case_no"]) if i.body.get("status") in ("pending", "resuming")]
    deps.runner.void([str(i.body["task_token"]) for i in waiting if i.body.get("task_token")], f"作废：{reason}")
    _append(deps, run, events, now)
    for item in waiting:
        if item.body.get("status") in ("pending", "resuming"):
            task = Task(dict(item.body))
            task.void(ctx.at, principal.actor_name, reason)
            try:
                tasks.save(task.body, item.version)
            except ConditionFailedError:
                log.info("task %s changed while the case was voided", item.body.get("task_id"))
    after = projection.build_view(deps, run["case_no"])
    return _answer(run["case_no"], action, events, None, after)


def _append(deps: Deps, run: dict[str, Any], events: list[ExchangeEvent], now: datetime) -> None:
    """The action's events go into the case's log under the lead department's ownership (co-handling
    departments act on the lead department's case)."""
    if events:
        exchange.append(deps.stores, run["case_no"], list(enumerate(events)), now, "runtime",
                        owner=run["dept_code"], key=query_passwords.key(deps))


def _claim(deps: Deps, task_item: Item) -> Item:
    """Take the task so that two people cannot resume it twice."""
    body = Task(task_item.body).claimed()
    try:
        stored = Tasks(deps.stores).save(body, task_item.version)
    except ConditionFailedError:
        raise ConflictError("该待办任务已被他人处理") from None
    return Item(pk=stored.pk, sk=stored.sk, body=body, gsi1pk=stored.gsi1pk, gsi1sk=stored.gsi1sk,
                version=stored.version)


def _release(deps: Deps, claimed: Item) -> None:
    try:
        Tasks(deps.stores).save(Task(claimed.body).released(), claimed.version)
    except ConditionFailedError:
        log.warning("could not release task %s", claimed.body.get("task_id"))


def _resume(deps: Deps, token: str, output: dict[str, Any]) -> None:
    try:
        deps.runner.resume(token, output)
    except TaskGoneError:
        raise ConflictError("流程任务已失效，请刷新待办后重试") from None


def _answer(case_no: str, action: process.Action, events: list[ExchangeEvent], task: dict[str, Any] | None,
            view: CaseView | None) -> dict[str, Any]:
    return {"case_no": case_no, "action": action.action, "event_ids": [e.event_id for e in events],
            "task_id": task.get("task_id") if task else None, "due_at": task.get("due_at") if task else None,
            "status": view.status if view else None, "due": view.due.isoformat() if view and view.due else None}
