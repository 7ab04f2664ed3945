"""Waiting tasks do not wait forever (issue 16): every human step of the state machines has a
heartbeat and a timeout from the item's limits (``$.clock.wait``); a wait that ends undone is
reported — the stale worklist record is retired and a red R4 signal (环节超时) raised — and the
task is issued again, so the case can still be handled.

The real machine runs in moto. The limits are days, so the second execution here is a copy of a
real one whose clock allows seconds: the test waits for the machine's own timer, never for a
business deadline. Department code 885 belongs to this module.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.client import Api
from tests.support.fixtures import license_item

pytestmark = pytest.mark.integration
DAY = 86_400


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError("the execution did not get there in time")


def tasks(api: Api, case_no: str) -> list[dict[str, Any]]:
    r = api.get(f"/cases/{case_no}/tasks", token=api.reader)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def test_a_wait_that_ends_undone_raises_a_signal_and_issues_the_task_again(api: Api, local_stack: Any) -> None:
    # Given an online application whose execution waits for acceptance
    api.department("885", "测试超时部门885")
    handler = api.user("to885-handler", ["handler"], "885")
    item = license_item("885", "001")
    api.declare_and_confirm(item, api.user("to885-legal", ["legal"]))
    r = api.post("/applications", {"item_code": item["code"], "applicant": {"type": "org", "name": "某公司"},
                                   "submitted_at": "2012-06-01T10:00:00+08:00"}, token=handler)
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]
    eventually(lambda: [t for t in tasks(api, case_no) if t["status"] == "pending"])
    sfn = local_stack.clients["stepfunctions"]
    arn = api.get(f"/cases/{case_no}/tasks", token=api.reader).json()["execution_arn"]
    real = sfn.describe_execution(executionArn=arn)
    given = json.loads(real["input"])
    # Then its waits come from the item's limits: days, the timeout beyond the heartbeat
    wait = given["clock"]["wait"]
    assert DAY < wait["heartbeat"] < wait["timeout"] <= 360 * DAY
    # When the same machine waits with a clock that allows two seconds
    given["clock"]["wait"] = {"heartbeat": 2, "timeout": 6}
    copy = sfn.start_execution(stateMachineArn=real["stateMachineArn"], name=f"{case_no}-timeout",
                               input=json.dumps(given, ensure_ascii=False))["executionArn"]
    try:
        # Then its acceptance task is retired once the wait ends undone
        def retired() -> list[dict[str, Any]]:
            return [t for t in tasks(api, case_no) if t.get("execution") == copy and t["status"] == "expired"]

        stale = eventually(retired)
        assert stale[0]["kind"] == "accept" and stale[0]["expired_by"] in ("States.HeartbeatTimeout", "States.Timeout")
        # And a red R4 signal tells the department and its supervisors
        def signalled() -> list[dict[str, Any]]:
            got = api.get("/supervision/signals", token=api.reader, case_no=case_no, rule="R4").json()["items"]
            return [s for s in got if "重新派发" in s["message"]]

        signal = eventually(signalled)[0]
        assert signal["level"] == "red" and signal["dept_code"] == "885"
        # And the task is issued again: the case can still be accepted
        eventually(lambda: [t for t in tasks(api, case_no) if t.get("execution") == copy and t["status"] == "pending"
                            and t["task_id"] != stale[0]["task_id"]])
        assert sfn.describe_execution(executionArn=copy)["status"] == "RUNNING"
        # And the real execution's own task was left alone
        assert [t for t in tasks(api, case_no) if t.get("execution") == arn and t["status"] == "pending"]
    finally:
        sfn.stop_execution(executionArn=copy)
