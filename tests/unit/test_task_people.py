"""Operation platform (运行平台), issue #18, the pure rules: a task's named person (认领, 分派, 改派,
退回待领), 退回 to the previous approval step and 作废, and the events each writes."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.runtime.domain.plan import Task
from tests.unit.test_process import LICENSE, PENALTY, ctx, run, view

AT = datetime.fromisoformat("2012-06-05T09:00:00+08:00")


def pending(**over: Any) -> Task:
    return Task({"task_id": "t1", "status": "pending", "role": "handler", "dept_code": "015", **over})


def test_a_task_changes_hands_claim_assign_reassign_release() -> None:
    task = pending()
    # Anyone of the role may do an unassigned task
    assert task.assignee is None and task.may_be_done_by("wang") and task.may_be_done_by("li")
    assert task.assign("wang", "wang", AT) == "claim"
    assert task.may_be_done_by("wang") and not task.may_be_done_by("li")
    assert task.assign("wang", "wang", AT) == "unchanged"
    assert task.assign("li", "head", AT, "王某出差") == "reassign"
    assert task.assign(None, "li", AT) == "release"
    assert task.assign("zhao", "head", AT) == "assign"
    assert [(h["kind"], h["from"], h["to"], h["by"]) for h in task.body["assignments"]] == [
        ("claim", None, "wang", "wang"), ("reassign", "wang", "li", "head"), ("release", "li", None, "li"),
        ("assign", None, "zhao", "head")]
    assert task.body["assignments"][1]["reason"] == "王某出差"
    assert [h["kind_name"] for h in task.body["assignments"]] == ["认领", "改派", "退回待领", "分派"]
    # A task being done or done changes hands no more
    with pytest.raises(ValueError):
        pending(status="done").assign("wang", "wang", AT)


def test_a_voided_task_ends_without_being_done() -> None:
    task = pending(assignee="wang")
    task.void(AT, "head", "申请人撤回")
    assert (task.body["status"], task.body["action"], task.body["opinion"]) == ("voided", "void", "申请人撤回")


def step_task(index: int) -> dict[str, Any]:
    return {"kind": "step", "step": {"code": str(index + 1), "name": ["承办", "审核", "批准"][index]},
            "step_index": index}


def test_a_return_goes_to_the_previous_step_with_its_reason_in_the_log() -> None:
    # Given the case at its second step (审核)
    outcome = run({"action": "return_step", "reason": "承办意见不完整"}, ctx(LICENSE, view(LICENSE), task=step_task(1)))
    # Then one step event records the return and its reason
    (event,) = outcome.events
    assert event.type == "step"
    assert (event.data.step_code, event.data.status, event.data.opinion) == ("2", "returned", "承办意见不完整")
    # The first step has nothing to return to, and a return needs its reason
    with pytest.raises(ConflictError):
        run({"action": "return_step", "reason": "x"}, ctx(LICENSE, view(LICENSE), task=step_task(0)))
    with pytest.raises(ValidationError):
        run({"action": "return_step", "reason": "  "}, ctx(LICENSE, view(LICENSE), task=step_task(1)))


def test_a_void_concludes_the_case_as_voided_with_its_reason() -> None:
    outcome = run({"action": "void", "reason": "申请人书面撤回"}, ctx(LICENSE, view(LICENSE)))
    (event,) = outcome.events
    assert event.type == "concluded"
    assert (event.data.result_code, event.data.result_desc, event.data.reason) == (2, "作废", "申请人书面撤回")
    assert outcome.extra["result_code"] == 2
    # Not a case that has ended, not without a reason, not a penalty case (which ends by its own decision)
    with pytest.raises(ConflictError):
        run({"action": "void", "reason": "x"}, ctx(LICENSE, view(LICENSE, status="concluded")))
    with pytest.raises(ValidationError):
        run({"action": "void"}, ctx(LICENSE, view(LICENSE)))
    with pytest.raises(ConflictError):
        run({"action": "void", "reason": "x"}, ctx(PENALTY, view(PENALTY)))
