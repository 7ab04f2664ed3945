"""Waiting tasks that wait too long (运行平台待办超时).

Every ``.waitForTaskToken`` state of the state machines has ``HeartbeatSecondsPath`` and
``TimeoutSecondsPath`` from the item's limits (``runtime/domain/task_waits.py``). The task worker sends
one heartbeat when a task reaches the worklist (``acknowledge``). When a wait ends without the
task being done, the machine sends a ``timeout`` message to the tasks queue and issues the task
again; ``report_timeout`` then retires the stale worklist record (its token is dead) and raises
a red R4 signal (环节超时) — unless the wait was the applicant's (补正: the applicant's time is
not the department's delay).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from chalicelib.cases.repositories import CaseViews
from chalicelib.catalog import services as catalog
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.periods import local_date
from chalicelib.kernel.ports import ConditionFailedError, TaskGoneError
from chalicelib.supervision.domain.records import SignalDraft
from chalicelib.supervision.domain.risk import link
from chalicelib.supervision.domain.rules import RECIPIENTS
from chalicelib.supervision.services import oversight

from ..domain import process
from ..domain.plan import DueRule
from ..repositories import Tasks

log = logging.getLogger("sunlit.task_timeouts")


class TimeoutMessage(BaseModel):
    """What a ``Report … Timeout`` state sends (``state_machines/*.asl.json``)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")
    kind: Literal["timeout"]
    task_kind: str
    state: str
    execution: str | None = None
    case_no: str
    dept_code: str
    owner_dept: str
    item_code: str
    item_name: str | None = None
    step: dict[str, Any] | None = None
    due_rule: DueRule = "limit"
    error: str = "States.Timeout"
    at: AwareDatetime


def is_timeout(message: dict[str, Any]) -> bool:
    return message.get("kind") == "timeout"


def acknowledge(deps: Deps, message: dict[str, Any]) -> None:
    """The task reached the worklist: tell the execution (the first heartbeat)."""
    try:
        deps.runner.heartbeat(message["task_token"])
    except TaskGoneError as exc:  # already done, or the wait ended: nothing is waiting for this token
        log.info("task of %s is no longer waiting (%s)", message.get("case_no"), exc)


def report_timeout(deps: Deps, message: dict[str, Any]) -> dict[str, Any]:
    """Retire the stale worklist record of a timed-out wait and raise its signal (idempotent)."""
    msg = TimeoutMessage.model_validate(message)
    tasks = Tasks(deps.stores)
    stale = [it for it in tasks.of_case(msg.case_no)
             if it.body.get("status") == "pending" and it.body.get("state") == msg.state
             and it.body.get("dept_code") == msg.dept_code
             and (msg.execution is None or it.body.get("execution") == msg.execution)
             and datetime.fromisoformat(it.body["created_at"]) <= msg.at]
    for it in stale:
        body = {**it.body, "status": "expired", "expired_at": msg.at.isoformat(), "expired_by": msg.error}
        try:
            tasks.save(body, it.version)
        except ConditionFailedError:
            log.info("task %s changed meanwhile", body.get("task_id"))
    raised = False
    if msg.due_rule != "none":
        step = (msg.step or {}).get("name") or msg.task_kind
        what = ("待办超过本事项的全部时限仍未办理" if stale else "待办未送达工作台")
        draft = SignalDraft(
            rule="R4", level="red", case_no=msg.case_no, dept_code=msg.dept_code,
            cause=f"task-timeout:{msg.state}:{msg.dept_code}:{process.business_day(msg.at).isoformat()}",
            message=f"运行平台环节「{step}」{what}（{msg.error}），流程已重新派发该待办",
            recipients=list(RECIPIENTS["R4"]), raised_at=msg.at, step_code=(msg.step or {}).get("code"))
        raised = oversight.raise_record(deps, link(draft, _bound_item(deps, msg)))
    log.warning("task %s of %s timed out (%s): %d stale record(s) retired", msg.state, msg.case_no, msg.error,
                len(stale))
    return {"case_no": msg.case_no, "retired": len(stale), "signal": raised}


def _bound_item(deps: Deps, msg: TimeoutMessage) -> ItemVersion | None:
    """The item version the case is bound to (in force on its acceptance day), whose risk points
    (廉政风险点) the step's signal names — a rare path: one read of the case's view."""
    stored = CaseViews(deps.stores).get(msg.case_no)
    at = (stored.body.get("accepted_at") or stored.body.get("submitted_at")) if stored else None
    day = local_date(datetime.fromisoformat(str(at))) if at else process.business_day(msg.at)
    return catalog.in_force(deps, msg.item_code, day)
