"""Operation platform (运行平台), issue #18: tasks of a named person (认领, 分派, 改派, 退回待领, 我的待办),
退回 to the previous approval step and 作废 of a case, through the API on the real state machines.

Department codes 940–944 belong to this module.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_runtime import act, apply, execution, ok, tasks, wait_task
from tests.support.client import Api
from tests.support.fixtures import license_item

pytestmark = pytest.mark.integration

P, Q = "940", "941"
ITEM = f"320300{P}XK00100"


@pytest.fixture(scope="module")
def office(api: Api) -> dict[str, str]:
    api.department(P, "测试承办人部门940")
    api.department(Q, "测试承办人部门941")
    tokens = {
        "wang": api.user("tp-wang", ["handler"], P),
        "li": api.user("tp-li", ["handler"], P),
        "head": api.user("tp-head", ["dept_head"], P),
        "other": api.user("tp-other", ["handler"], Q),
    }
    api.declare_and_confirm(license_item(P, "001"), api.user("tp-legal", ["legal"]))
    return tokens


def post(api: Api, token: str, case_no: str, task: dict[str, Any], verb: str,
         body: dict[str, Any] | None = None) -> Any:
    return api.call("POST", f"/cases/{case_no}/tasks/{task['task_id']}/{verb}", body, token=token)


def worklist(api: Api, token: str, **params: Any) -> list[dict[str, Any]]:
    r = api.get("/worklist", token=token, **params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def test_a_task_is_claimed_assigned_and_reassigned_and_only_its_person_acts(api: Api, office: dict[str, str]) -> None:
    case_no = apply(api, office["wang"], ITEM)["case_no"]
    task = wait_task(api, case_no, "accept")
    # Given an unassigned task in the department's pool: everyone of the role sees it, nobody has it
    assert task.get("assignee") is None
    assert task["task_id"] in {t["task_id"] for t in worklist(api, office["li"])}
    # When 王 claims it (认领)
    claimed = ok(post(api, office["wang"], case_no, task, "claim"))
    # Then it is his: in his own worklist (我的待办), not in 李's, and 李 can neither claim nor act on it
    assert (claimed["assignee"], claimed["change"]) == ("tp-wang", "claim")
    assert task["task_id"] in {t["task_id"] for t in worklist(api, office["wang"], mine="true")}
    assert task["task_id"] not in {t["task_id"] for t in worklist(api, office["li"], mine="true")}
    shared = {t["task_id"]: t for t in worklist(api, office["li"])}
    assert shared[task["task_id"]]["assignee"] == "tp-wang"
    assert post(api, office["li"], case_no, task, "claim").status_code == 409
    refused = act(api, office["li"], case_no, "accept")
    assert refused.status_code == 403 and "tp-wang" in refused.json()["error"]["message"]
    # Claiming again is harmless; a handler of another department cannot touch it
    assert ok(post(api, office["wang"], case_no, task, "claim"))["change"] == "unchanged"
    assert post(api, office["other"], case_no, task, "claim").status_code == 403
    # When the head reassigns it (改派): a reason is required, the assignee must hold the role in the department
    assert post(api, office["wang"], case_no, task, "assign", {"assignee": "tp-li", "reason": "x"}).status_code == 403
    assert post(api, office["head"], case_no, task, "assign", {"assignee": "tp-li"}).status_code == 400
    for wrong in ("tp-other", "tp-head", "tp-nobody"):
        r = post(api, office["head"], case_no, task, "assign", {"assignee": wrong, "reason": "调整分工"})
        assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "assignee", (wrong, r.text)
    moved = ok(post(api, office["head"], case_no, task, "assign", {"assignee": "tp-li", "reason": "王某出差"}))
    # Then 李 holds it, the history names both changes, and now only 李 may act
    assert (moved["assignee"], moved["change"]) == ("tp-li", "reassign")
    assert [(h["kind"], h["from"], h["to"], h["by"]) for h in moved["assignments"]] == [
        ("claim", None, "tp-wang", "tp-wang"), ("reassign", "tp-wang", "tp-li", "tp-head")]
    assert moved["assignments"][1]["reason"] == "王某出差"
    assert act(api, office["wang"], case_no, "accept").status_code == 403
    done = ok(act(api, office["li"], case_no, "accept"))
    assert done["status"] == "accepted"
    finished = {t["task_id"]: t for t in tasks(api, case_no)}[task["task_id"]]
    assert (finished["status"], finished["completed_by"]) == ("done", "tp-li")
    # A done task changes hands no more
    assert post(api, office["head"], case_no, task, "assign", {"assignee": "tp-wang", "reason": "x"}).status_code == 409


def test_my_worklist_is_one_filter_spelled_scope_mine_or_mine_true(api: Api, office: dict[str, str]) -> None:
    # Given two applications waiting in the pool, one of them claimed by 王
    held, pooled = (wait_task(api, apply(api, office["wang"], ITEM)["case_no"], "accept") for _ in range(2))
    ok(post(api, office["wang"], held["case_no"], held, "claim"))

    def ids(token: str, **params: Any) -> tuple[set[str], dict[str, Any]]:
        r = api.get("/worklist", token=token, limit=500, **params)
        assert r.status_code == 200, r.text
        return {t["task_id"] for t in r.json()["items"]}, r.json()

    # When 王 asks for 我的待办 in either spelling (and as browsers and scripts write them)
    spellings = [{"scope": "mine"}, {"mine": "true"}, {"mine": "1"}, {"scope": " Mine "}, {"scope": "dept", "mine": "true"}]
    answers = [ids(office["wang"], **params) for params in spellings]
    # Then every spelling is the same filter: the task he holds, not the pool's
    mine, _ = answers[0]
    assert held["task_id"] in mine and pooled["task_id"] not in mine
    for (got, answer), params in zip(answers, spellings, strict=True):
        assert got == mine, params
        assert (answer["scope"], answer["mine"]) == ("mine", True), params
    # And 李 holds nothing; without a scope (or scope=role) each sees the role's pool and what colleagues hold
    assert ids(office["li"], scope="mine")[0] == ids(office["li"], mine="true")[0] == set()
    default, answer = ids(office["li"])
    assert {held["task_id"], pooled["task_id"]} <= default and (answer["scope"], answer["mine"]) == ("role", False)
    assert ids(office["li"], scope="role")[0] == default and ids(office["wang"], mine="false")[0] == ids(office["wang"])[0]
    # A scope or a flag that means nothing is refused, naming the parameter
    for params, name in (({"scope": "everyone"}, "query.scope"), ({"mine": "perhaps"}, "query.mine")):
        r = api.get("/worklist", token=office["wang"], **params)
        assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == name, r.text


def test_the_assignee_or_the_head_puts_a_task_back_into_the_pool(api: Api, office: dict[str, str]) -> None:
    case_no = apply(api, office["wang"], ITEM)["case_no"]
    task = wait_task(api, case_no, "accept")
    ok(post(api, office["head"], case_no, task, "assign", {"assignee": "tp-wang"}))
    # 李 may not release 王's task; 王 may (退回待领), and then anyone of the role may act
    assert post(api, office["li"], case_no, task, "release").status_code == 403
    back = ok(post(api, office["wang"], case_no, task, "release", {"reason": "另有急件"}))
    assert back["assignee"] is None and back["change"] == "release"
    assert [h["kind"] for h in back["assignments"]] == ["assign", "release"]
    assert ok(act(api, office["li"], case_no, "accept"))["status"] == "accepted"


def test_the_head_chooses_among_the_departments_active_staff_by_role(api: Api, office: dict[str, str]) -> None:
    # Given 940's two handlers and its head, and 941's handler
    def people(token: str, **params: Any) -> dict[str, list[str]]:
        r = api.get("/worklist/colleagues", token=token, **params)
        assert r.status_code == 200, r.text
        assert r.json()["dept_code"] == P
        return {p["username"]: p["roles"] for p in r.json()["items"]}

    # When the head asks whom a handler's task can go to: the department's handlers, nobody of 941
    assert people(office["head"], role="handler") == {"tp-wang": ["handler"], "tp-li": ["handler"]}
    # Without a role every member of staff is listed with their roles; a handler may read it too (the names
    # beside the tasks), but the list carries no contact details
    everyone = api.get("/worklist/colleagues", token=office["wang"])
    assert {p["username"] for p in everyone.json()["items"]} == {"tp-wang", "tp-li", "tp-head"}
    assert {k for p in everyone.json()["items"] for k in p} <= {"username", "display_name", "roles"}
    # The bureau and the legal office have no such list; a role that is not a task's is refused by name
    assert api.get("/worklist/colleagues", token=api.reader).status_code == 403
    bad = api.get("/worklist/colleagues", token=office["head"], role="legal")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "query.role", bad.text
    # A deactivated colleague is no longer offered
    api.user("tp-gone", ["handler"], P)
    assert "tp-gone" in people(office["head"], role="handler")
    assert api.admin("POST", "/admin/users/tp-gone/deactivate", None).status_code == 200
    assert "tp-gone" not in people(office["head"], role="handler")


def test_a_step_is_returned_to_the_previous_one_with_a_reason(api: Api, office: dict[str, str],
                                                             local_stack: Any) -> None:
    case_no = apply(api, office["wang"], ITEM)["case_no"]
    wait_task(api, case_no, "accept")
    ok(act(api, office["wang"], case_no, "accept", at="2012-06-01T11:00:00+08:00"))
    first = wait_task(api, case_no, "step")
    assert first["step"]["code"] == "1" and "return_step" in first["actions"]
    # The first step has nothing before it
    r = act(api, office["wang"], case_no, "return_step", reason="材料有误")
    assert r.status_code == 409, r.text
    ok(act(api, office["wang"], case_no, "complete_step", opinion="同意", at="2012-06-01T15:00:00+08:00"))
    second = wait_task(api, case_no, "step")
    assert second["step"]["code"] == "2"
    # A return needs a reason
    assert act(api, office["li"], case_no, "return_step").status_code == 400
    # When 审核 returns the case (退回) to 承办
    ok(act(api, office["li"], case_no, "return_step", reason="承办意见不完整，请补充现场核查情况",
           at="2012-06-04T10:00:00+08:00"))
    # Then the step before waits again, and the log records the return with its reason
    again = wait_task(api, case_no, "step")
    assert again["step"]["code"] == "1" and again["task_id"] != first["task_id"]
    assert local_stack.wait_idle(60)
    view = api.get(f"/staff/cases/{case_no}", token=api.reader).json()
    returned = [e for e in view["timeline"] if e["type"] == "step" and e.get("status") == "returned"]
    assert len(returned) == 1 and returned[0]["step_code"] == "2"
    done = {t["task_id"]: t for t in tasks(api, case_no)}[second["task_id"]]
    assert (done["status"], done["action"], done["opinion"]) == ("done", "return_step", "承办意见不完整，请补充现场核查情况")
    # And the case goes on from there: 承办 again, then 审核
    ok(act(api, office["wang"], case_no, "complete_step", opinion="已补充现场核查", at="2012-06-04T15:00:00+08:00"))
    assert wait_task(api, case_no, "step")["step"]["code"] == "2"


def test_the_head_voids_a_case_and_its_procedure_ends(api: Api, office: dict[str, str], local_stack: Any) -> None:
    case_no = apply(api, office["wang"], ITEM)["case_no"]
    wait_task(api, case_no, "accept")
    ok(act(api, office["wang"], case_no, "accept", at="2012-06-01T11:00:00+08:00"))
    wait_task(api, case_no, "step")
    # Only the head of the department decides 作废, and only with a reason
    assert act(api, office["wang"], case_no, "void", reason="申请人撤回").status_code == 403
    assert act(api, office["head"], case_no, "void").status_code == 400
    # When the head voids it
    done = ok(act(api, office["head"], case_no, "void", reason="申请人书面撤回申请", at="2012-06-02T09:00:00+08:00"))
    # Then the execution ends in its Voided state, no task is pending, the case is concluded as 作废 with the reason
    assert done["status"] == "concluded"
    ended = execution(api, local_stack, case_no)
    history = local_stack.clients["stepfunctions"].get_execution_history(
        executionArn=ended["executionArn"], maxResults=1000)["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
    assert ended["status"] == "SUCCEEDED" and entered[-1] == "Voided", entered[-5:]
    states = {t["status"] for t in tasks(api, case_no)}
    assert "pending" not in states and "voided" in states
    assert local_stack.wait_idle(60)
    view = api.get(f"/staff/cases/{case_no}", token=api.reader).json()
    assert view["result"]["code"] == 2
    concluded = [e for e in view["timeline"] if e["type"] == "concluded"]
    assert len(concluded) == 1 and concluded[0]["status"] == "作废"
    # And nothing more can be done: no task to act on, and a second void is a conflict
    assert act(api, office["wang"], case_no, "complete_step", opinion="同意").status_code == 409
    assert act(api, office["head"], case_no, "void", reason="再次作废").status_code == 409
