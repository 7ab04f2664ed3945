"""行政强制 (QZ) cases run natively on the real coercion state machine in moto (issue #18): the route
follows the item's QZ fields, each stage is a waiting task, and the checks the 行政强制法 fixes block
an unlawful act (an early 强制执行决定, enforcement on a holiday or at night, a seizure beyond 30
days, a second extension, a measure carried out by one officer, …). Dates are stated by each action
(``at``); nothing waits for time to pass except the machine's own timer in the timeout test.

Department codes 966–968 belong to this module.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.client import Api
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

DEPT = "966"
ENFORCE = f"320300{DEPT}QZ00100"
SEIZE = f"320300{DEPT}QZ00200"
ORG = {"type": "org", "name": "徐州某建材有限公司", "id_type": "统一社会信用代码", "id_no": "91320300MA1QZ0000X"}
POLL_SECONDS = 45.0


def qz_item(seq: str, name: str, measure_type: str, days: int) -> dict[str, Any]:
    item = license_item(DEPT, seq)
    item.update({
        "code": f"320300{DEPT}QZ{seq}00", "name": name, "category": "QZ",
        "legal_basis": [{"id": f"QZ-{DEPT}-{seq}", "title": "《中华人民共和国行政强制法》", "article": "第二十二条"}],
        "statutory_limit": {"value": days, "unit": "calendar_day"}, "promised_limit": {"value": days, "unit": "calendar_day"},
        "materials": [], "category_fields": {"measure_type": measure_type, "conditions_text": "依法实施",
                                             "duration": "依法确定"},
        "keywords": ["强制"],
    })
    return item


class Dept:
    def __init__(self, api: Api, legal: str):
        self.creds = api.department(DEPT, f"测试行政强制部门{DEPT}")
        self.handler = api.user(f"qz{DEPT}-handler", ["handler"], DEPT)
        self.head = api.user(f"qz{DEPT}-head", ["dept_head"], DEPT)
        api.declare_and_confirm(qz_item("001", "对逾期不拆除违法建设的强制拆除", "强制拆除", 90), legal)
        api.declare_and_confirm(qz_item("002", "查封、扣押不符合标准的产品", "查封、扣押", 30), legal)
        for officer_id, valid_to in (("qz-o1", "2015-12-31"), ("qz-o2", "2015-12-31"), ("qz-o3", "2012-01-31")):
            r = api.post("/legal/officers", {"officer_id": officer_id, "name": f"执法员{officer_id[-1]}",
                                             "dept_code": DEPT, "cert_no": f"JS-{officer_id}",
                                             "valid_from": "2010-01-01", "valid_to": valid_to}, token=legal)
            assert r.status_code in (200, 201), r.text


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("qz-legal", ["legal"])


@pytest.fixture(scope="module")
def d966(api: Api, legal: str) -> Dept:
    return Dept(api, legal)


def tasks(api: Api, case_no: str) -> list[dict[str, Any]]:
    r = api.get(f"/cases/{case_no}/tasks", token=api.reader)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def wait_task(api: Api, case_no: str, kind: str) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_SECONDS
    while time.monotonic() < deadline:
        for t in tasks(api, case_no):
            if t["status"] == "pending" and t["kind"] == kind:
                return t
        time.sleep(0.1)
    raise AssertionError(f"no pending {kind} task for {case_no}: {tasks(api, case_no)}")


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError("the execution did not get there in time")


def act(api: Api, token: str, case_no: str, action: str, **fields: Any) -> requests.Response:
    return api.post(f"/cases/{case_no}/actions", {"action": action, **fields}, token=token)


def ok(r: requests.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def blocked(r: requests.Response, field: str) -> str:
    """The action was refused by a blocking check naming ``field``; returns its message."""
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "BLOCKED", error
    hits = [d for d in error["details"] if d["field"] == field]
    assert hits, error
    return str(hits[0]["message"])


def staff_view(api: Api, case_no: str) -> dict[str, Any]:
    r = api.get(f"/staff/cases/{case_no}", token=api.reader)
    assert r.status_code == 200, r.text
    view: dict[str, Any] = r.json()
    return view


def execution_status(api: Api, local_stack: Any, case_no: str) -> str:
    arn = api.get(f"/cases/{case_no}/tasks", token=api.reader).json()["execution_arn"]
    sfn = local_stack.clients["stepfunctions"]
    return str(eventually(lambda: (s := sfn.describe_execution(executionArn=arn)["status"]) != "RUNNING" and s))


def open_case(api: Api, token: str, code: str, at: str) -> dict[str, Any]:
    r = api.post("/coercion-cases", {"item_code": code, "party": ORG, "cause": "逾期不履行行政决定",
                                     "decision_no": "徐规罚〔2012〕5号", "received_at": at}, token=token)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def test_enforcement_runs_demand_statement_decision_execution_and_refuses_an_early_decision(
    api: Api, local_stack: Any, d966: Dept, settle: Any
) -> None:
    # Given a 强制拆除 item: its QZ fields put it on the enforcement route (强制执行)
    opened = open_case(api, d966.handler, ENFORCE, "2012-06-01T09:00:00+08:00")
    case_no = opened["case_no"]
    assert opened["route"] == "enforcement"
    # Then the first task is 催告, due 10 working days later
    assert wait_task(api, case_no, "qz_demand")["due_at"] == "2012-06-15"
    # A demand that does not tell the party of the right to state and defend is blocked (art.35)
    blocked(act(api, d966.handler, case_no, "demand", at="2012-06-04T10:00:00+08:00", decision_no="徐规罚〔2012〕5号",
                period_days=10), "rights_notified")
    ok(act(api, d966.handler, case_no, "demand", at="2012-06-04T10:00:00+08:00", decision_no="徐规罚〔2012〕5号",
           period_days=10, method="自行拆除", rights_notified=True))
    wait_task(api, case_no, "qz_statement")
    ok(act(api, d966.handler, case_no, "hear_statement", at="2012-06-08T15:00:00+08:00", made=True,
           content="当事人称正在筹措拆除费用", adopted=False, opinion="理由不成立"))
    decide = wait_task(api, case_no, "qz_decide")
    assert decide["role"] == "dept_head"
    # When the head decides before the demand's period has run out (10 days = working days, art.69:
    # the 18th of June), Then the decision is refused and names the end of the period
    message = blocked(act(api, d966.head, case_no, "decide_enforcement", at="2012-06-12T10:00:00+08:00",
                          decision_no="徐规强执〔2012〕1号"), "at")
    assert "2012-06-18" in message and "第三十七条" in message
    # And a handler may not take the decision at all
    assert act(api, d966.handler, case_no, "decide_enforcement", at="2012-06-19T10:00:00+08:00",
               decision_no="徐规强执〔2012〕1号").status_code == 403
    ok(act(api, d966.head, case_no, "decide_enforcement", at="2012-06-19T10:00:00+08:00",
           decision_no="徐规强执〔2012〕1号", method="强制拆除"))
    wait_task(api, case_no, "qz_execute")
    # Enforcement on 端午节 (a statutory holiday) or at night is refused (art.43)
    assert "法定节假日" in blocked(act(api, d966.handler, case_no, "execute", at="2012-06-23T10:00:00+08:00",
                                     method="强制拆除"), "at")
    assert "夜间" in blocked(act(api, d966.handler, case_no, "execute", at="2012-06-25T23:00:00+08:00",
                               method="强制拆除"), "at")
    done = ok(act(api, d966.handler, case_no, "execute", at="2012-06-25T10:00:00+08:00", method="强制拆除",
                  officers=["qz-o1", "qz-o2"], result="违法建筑已拆除"))
    assert done["status"] == "concluded"
    # Then the execution has ended and the case shows every stage, concluded 执行完毕
    assert execution_status(api, local_stack, case_no) == "SUCCEEDED"
    settle()
    view = staff_view(api, case_no)
    assert [s["code"] for s in view["steps"]] == ["QZ-E0", "QZ-E1", "QZ-E2", "QZ-E3"]
    assert [s["name"] for s in view["steps"]][1:] == ["催告", "陈述申辩", "强制执行决定"]
    assert view["result"]["desc"] == "执行完毕" and view["applicant"]["name"] == ORG["name"]
    assert [t["name"] for t in view["timeline"] if t["type"] == "step"][1:] == ["催告", "陈述申辩", "强制执行决定"]


def test_a_seizure_needs_approval_two_officers_a_record_and_at_most_30_plus_30_days(
    api: Api, d966: Dept, local_stack: Any, settle: Any
) -> None:
    opened = open_case(api, d966.handler, SEIZE, "2012-06-01T09:00:00+08:00")
    case_no = opened["case_no"]
    assert opened["route"] == "measure"
    approve = wait_task(api, case_no, "qz_approve")
    assert approve["role"] == "dept_head"
    blocked(act(api, d966.head, case_no, "approve_measure", at="2012-06-01T09:30:00+08:00"), "reason")
    ok(act(api, d966.head, case_no, "approve_measure", at="2012-06-01T09:30:00+08:00", reason="抽检不合格，存在安全隐患"))
    wait_task(api, case_no, "qz_implement")
    on_spot = {"certificates_shown": True, "informed": True, "statement_heard": True, "record_made": True,
               "goods": ["不合格钢筋 20 吨"]}
    # One officer, or one whose certificate expired, may not carry out a measure (art.18(2))
    r = act(api, d966.handler, case_no, "implement_measure", at="2012-06-01T11:00:00+08:00", officers=["qz-o1"], **on_spot)
    assert "不得少于两名" in blocked(r, "officers")
    blocked(act(api, d966.handler, case_no, "implement_measure", at="2012-06-01T11:00:00+08:00",
                officers=["qz-o1", "qz-o3"], **on_spot), "officers.1")
    # Without an on-site record (现场笔录, art.18(7)) it is refused too
    blocked(act(api, d966.handler, case_no, "implement_measure", at="2012-06-01T11:00:00+08:00",
                officers=["qz-o1", "qz-o2"], **{**on_spot, "record_made": False}), "record_made")
    ok(act(api, d966.handler, case_no, "implement_measure", at="2012-06-01T11:00:00+08:00",
           officers=["qz-o1", "qz-o2"], **on_spot))
    wait_task(api, case_no, "qz_serve")
    # A term beyond 30 days is refused (art.25)
    blocked(act(api, d966.handler, case_no, "serve_measure", at="2012-06-01T11:30:00+08:00",
                decision_no="徐质封〔2012〕3号", term_days=40), "term_days")
    ok(act(api, d966.handler, case_no, "serve_measure", at="2012-06-01T11:30:00+08:00",
           decision_no="徐质封〔2012〕3号", term_days=30))
    dispose = wait_task(api, case_no, "qz_dispose")
    assert dispose["due_at"] == "2012-07-01"
    # One extension of at most 30 days, approved by the head, moves the due date; a second is refused
    blocked(act(api, d966.handler, case_no, "extend_measure", at="2012-06-20T10:00:00+08:00", days=30,
                reason="需送检"), "approver")
    ok(act(api, d966.handler, case_no, "extend_measure", at="2012-06-20T10:00:00+08:00", days=30,
           approver="李局长", reason="情况复杂，需送省级机构检验"))
    settle()
    assert staff_view(api, case_no)["due"] == "2012-07-31"
    blocked(act(api, d966.handler, case_no, "extend_measure", at="2012-06-21T10:00:00+08:00", days=5,
                approver="李局长", reason="再延"), "action")
    done = ok(act(api, d966.handler, case_no, "dispose_measure", at="2012-07-20T10:00:00+08:00", outcome="confiscate",
                  decision_no="徐质处〔2012〕9号", reason="检验不合格，依法没收"))
    assert done["status"] == "concluded"
    assert execution_status(api, local_stack, case_no) == "SUCCEEDED"
    settle()
    assert staff_view(api, case_no)["result"]["desc"] == "依法没收"


def test_suspension_stops_the_clock_and_the_head_terminates(
    api: Api, d966: Dept, local_stack: Any, settle: Any
) -> None:
    case_no = open_case(api, d966.handler, ENFORCE, "2012-06-01T09:00:00+08:00")["case_no"]
    wait_task(api, case_no, "qz_demand")
    ok(act(api, d966.handler, case_no, "suspend_enforcement", at="2012-06-05T10:00:00+08:00", ground="hardship",
           reason="当事人暂无履行能力"))
    settle()
    assert staff_view(api, case_no)["status"] == "suspended"
    ok(act(api, d966.handler, case_no, "resume_enforcement", at="2012-06-11T10:00:00+08:00"))
    settle()
    assert staff_view(api, case_no)["status"] != "suspended"
    # 终结执行 is the head's (art.40)
    assert act(api, d966.handler, case_no, "terminate_enforcement", ground="decision_revoked",
               reason="原处罚决定经复议撤销").status_code == 403
    ok(act(api, d966.head, case_no, "terminate_enforcement", at="2012-06-12T10:00:00+08:00", ground="decision_revoked",
           reason="原处罚决定经复议撤销"))
    assert execution_status(api, local_stack, case_no) == "SUCCEEDED"
    settle()
    view = staff_view(api, case_no)
    assert view["status"] == "concluded" and view["result"]["desc"] == "终结执行"
    assert [t["status"] for t in tasks(api, case_no) if t["kind"] == "qz_demand"] == ["voided"]


def test_a_coercion_stage_left_undone_raises_a_step_timeout_signal(api: Api, d966: Dept, local_stack: Any) -> None:
    # Given a running coercion case, and a copy of its execution whose clock allows two seconds
    case_no = open_case(api, d966.handler, SEIZE, "2012-06-01T09:00:00+08:00")["case_no"]
    wait_task(api, case_no, "qz_approve")
    sfn = local_stack.clients["stepfunctions"]
    arn = api.get(f"/cases/{case_no}/tasks", token=api.reader).json()["execution_arn"]
    real = sfn.describe_execution(executionArn=arn)
    given = json.loads(real["input"])
    assert given["route"] == "measure"
    given["clock"]["wait"] = {"heartbeat": 2, "timeout": 6}
    copy = sfn.start_execution(stateMachineArn=real["stateMachineArn"], name=f"{case_no}-timeout",
                               input=json.dumps(given, ensure_ascii=False))["executionArn"]
    try:
        # Then the stale 报告批准 task is retired and a red R4 signal names the stage
        eventually(lambda: [t for t in tasks(api, case_no) if t.get("execution") == copy and t["status"] == "expired"])

        def signalled() -> list[dict[str, Any]]:
            got = api.get("/supervision/signals", token=api.reader, case_no=case_no, rule="R4").json()["items"]
            return [s for s in got if "报告批准" in s["message"]]

        signal = eventually(signalled)[0]
        assert signal["level"] == "red" and signal["dept_code"] == DEPT
    finally:
        sfn.stop_execution(executionArn=copy)


def step(case_no: str, code: str, stage: str, at: str) -> dict[str, Any]:
    return event(case_no, code, "step", at, {"step_code": stage, "status": "done"}, event_id=f"{case_no}-{stage}")


def test_the_legal_office_sees_l13_on_a_department_systems_unlawful_coercion_case(
    api: Api, d966: Dept, legal: str, settle: Any
) -> None:
    # Given a department system reporting an enforcement decision with no demand or statement before it,
    # and a seizure kept past its 30 days
    opened = [event(c, code, t, "2012-06-01T09:00:00+08:00", data, event_id=f"{c}-{t}")
              for c, code in (("QZX-966-0001", ENFORCE), ("QZX-966-0002", SEIZE))
              for t, data in (("submitted", {"applicant": ORG}), ("accepted", {"status": "accepted"}))]
    events = opened + [
        step("QZX-966-0001", ENFORCE, "QZ-E0", "2012-06-01T09:00:00+08:00"),
        step("QZX-966-0001", ENFORCE, "QZ-E3", "2012-06-05T10:00:00+08:00"),
        step("QZX-966-0002", SEIZE, "QZ-M0", "2012-06-01T09:00:00+08:00"),
        step("QZX-966-0002", SEIZE, "QZ-M1", "2012-06-01T09:30:00+08:00"),
        step("QZX-966-0002", SEIZE, "QZ-M2", "2012-06-01T11:00:00+08:00"),
    ]
    r = api.post_events(d966.creds, events)
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    settle()
    # Then the legal office sees L13 on the decision at once
    found = api.get("/legal/findings", token=legal, case_no="QZX-966-0001").json()["items"]
    assert {(f["check"], f["level"]) for f in found} == {("L13", "red")}
    assert any("第三十五条" in f["message"] for f in found) and any("第三十六条" in f["message"] for f in found)
    # And on the seizure once its term has run out (the timer's sweep), not before
    assert api.get("/legal/findings", token=legal, case_no="QZX-966-0002").json()["items"] == []
    assert api.admin("POST", "/supervision/sweep", {"as_of": "2012-07-02T09:00:00+08:00"}).status_code == 200
    found = api.get("/legal/findings", token=legal, case_no="QZX-966-0002").json()["items"]
    assert [f["check"] for f in found] == ["L13"] and "2012-07-01" in found[0]["message"]
