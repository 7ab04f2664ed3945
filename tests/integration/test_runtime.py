"""Operation platform (运行平台): cases run natively on the real state machines in moto, with
human steps waiting on SQS task tokens, a worklist and blocking checks (issue 5).

Department codes 500–549 belong to this module. Deadlines come from the dates each action
states (``at``); nothing here waits for time to pass, only for the execution to move on.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from tests.support.client import Api
from tests.support.fixtures import license_item, penalty_item

pytestmark = pytest.mark.integration

PERSON = {
    "type": "person",
    "name": "张三",
    "id_type": "身份证",
    "id_no": "320311198001011234",
    "phone": "13912345678",
}
ORG = {
    "type": "org",
    "name": "徐州某机械有限公司",
    "id_type": "统一社会信用代码",
    "id_no": "91320300MA1XXXXX0X",
}
POLL_SECONDS = 45.0


# ----------------------------------------------------------------------------- helpers


class Dept:
    """One test department with its staff tokens and confirmed items."""

    def __init__(self, api: Api, code: str):
        self.code = code
        api.department(code, f"测试运行平台部门{code}")
        self.handler = api.user(f"rt{code}-handler", ["handler"], code)
        self.head = api.user(f"rt{code}-head", ["dept_head"], code)


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("rt-legal", ["legal"])


def apply(
    api: Api,
    token: str | None,
    code: str,
    at: str | None = "2012-06-01T10:00:00+08:00",
    applicant: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"item_code": code, "applicant": applicant or ORG, "materials": ["环境影响报告表"]}
    if at is not None:
        body["submitted_at"] = at
    r = api.post("/applications", body, token=token)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def act(api: Api, token: str, case_no: str, action: str, **fields: Any) -> requests.Response:
    return api.post(f"/cases/{case_no}/actions", {"action": action, **fields}, token=token)


def ok(r: requests.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def tasks(api: Api, case_no: str) -> list[dict[str, Any]]:
    r = api.get(f"/cases/{case_no}/tasks", token=api.reader)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def wait_task(api: Api, case_no: str, kind: str, dept: str | None = None) -> dict[str, Any]:
    """Poll (bounded) until the execution has sent a waiting task of ``kind`` and it is stored."""
    deadline = time.monotonic() + POLL_SECONDS
    while time.monotonic() < deadline:
        for t in tasks(api, case_no):
            if t["status"] == "pending" and t["kind"] == kind and (dept is None or t["dept_code"] == dept):
                return t
        time.sleep(0.1)
    raise AssertionError(f"no pending {kind} task for {case_no}: {tasks(api, case_no)}")


def pending_kinds(api: Api, case_no: str) -> list[str]:
    return sorted(t["kind"] for t in tasks(api, case_no) if t["status"] == "pending")


def sfn(local_stack: Any) -> Any:
    return local_stack.clients["stepfunctions"]


def execution(api: Api, local_stack: Any, case_no: str, until_done: bool = True) -> dict[str, Any]:
    arn = api.get(f"/cases/{case_no}/tasks", token=api.reader).json()["execution_arn"]
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        desc: dict[str, Any] = sfn(local_stack).describe_execution(executionArn=arn)
        if not until_done or desc["status"] != "RUNNING" or time.monotonic() > deadline:
            return desc
        time.sleep(0.1)


def task_outputs(local_stack: Any, arn: str) -> list[dict[str, Any]]:
    """What each resumed task handed back to the execution (recorded in its history)."""
    history = sfn(local_stack).get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [
        json.loads(e["taskSucceededEventDetails"]["output"])
        for e in history
        if e["type"] == "TaskSucceeded" and "taskSucceededEventDetails" in e
    ]


def exited_states(local_stack: Any, arn: str) -> list[str]:
    history = sfn(local_stack).get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["stateExitedEventDetails"]["name"] for e in history if "stateExitedEventDetails" in e]


def wait_state_exited(local_stack: Any, arn: str, state: str) -> None:
    deadline = time.monotonic() + POLL_SECONDS
    while state not in exited_states(local_stack, arn):
        assert time.monotonic() < deadline, f"{state} never exited"
        time.sleep(0.1)


def staff_view(api: Api, case_no: str) -> dict[str, Any]:
    r = api.get(f"/staff/cases/{case_no}", token=api.reader)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def run_steps(api: Api, d: Dept, case_no: str, days: list[str]) -> None:
    """Complete the three fixture steps 承办/审核 (handler) and 批准 (department head)."""
    for i, day in enumerate(days):
        task = wait_task(api, case_no, "step")
        who = d.head if task["role"] == "dept_head" else d.handler
        assert task["role"] == ("dept_head" if i == len(days) - 1 else "handler")
        ok(
            act(
                api,
                who,
                case_no,
                "complete_step",
                opinion=f"同意（{task['step']['name']}）",
                at=f"{day}T10:00:00+08:00",
            )
        )


# ----------------------------------------------------------------------------- licences


@pytest.fixture(scope="module")
def d501(api: Api, legal: str) -> Dept:
    d = Dept(api, "501")
    api.declare_and_confirm(license_item("501", "004"), legal)
    return d


def test_license_runs_from_application_to_delivery(
    api: Api, local_stack: Any, d501: Dept, settle: Any
) -> None:
    # Given an application entered at the window on Friday 2012-06-01 (docs/DOMAIN.md §10 example 1)
    code = "320300501XK00400"
    sub = apply(api, d501.handler, code)
    case_no, password = sub["case_no"], sub["query_password"]
    # Then the case waits for acceptance, due 5 working days after submission
    accept = wait_task(api, case_no, "accept")
    assert (accept["due_at"], accept["role"], accept["dept_code"]) == ("2012-06-08", "handler", "501")
    assert "task_token" not in accept  # the token resumes the execution: it never leaves the server

    # When it is accepted on Monday 06-04 and each step is completed on the following days
    ok(act(api, d501.handler, case_no, "accept", at="2012-06-04T09:30:00+08:00"))
    first = wait_task(api, case_no, "step")
    assert (first["step"]["code"], first["due_at"]) == ("1", "2012-06-06")  # 承办: 2 working days
    run_steps(api, d501, case_no, ["2012-06-05", "2012-06-06", "2012-06-07"])
    conclude = wait_task(api, case_no, "conclude")
    assert conclude["due_at"] == "2012-06-11"  # promised 5 working days from acceptance

    # Then a fee on a no-fee item is blocked before anything is written
    r = act(
        api,
        d501.handler,
        case_no,
        "conclude",
        result_code=0,
        fee_amount=100,
        cert_no="环审〔2012〕1号",
        at="2012-06-07T16:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["message"] == "收费与目录标准不一致"
    ok(
        act(
            api,
            d501.handler,
            case_no,
            "conclude",
            result_code=0,
            cert_name="环评批复",
            cert_no="环审〔2012〕1号",
            at="2012-06-07T16:00:00+08:00",
        )
    )
    deliver = wait_task(api, case_no, "deliver")
    assert deliver["due_at"] == "2012-06-21"  # 10 working days after the conclusion
    ok(act(api, d501.handler, case_no, "deliver", mode="window", at="2012-06-08T10:00:00+08:00"))

    # Then the execution ends, and the case shows what happened, step by step, to the public
    assert execution(api, local_stack, case_no)["status"] == "SUCCEEDED"
    settle()
    r = api.get(f"/cases/{case_no}", password=password)
    assert r.status_code == 200, r.text
    case = r.json()
    assert case["status"] == "concluded" and case["due"] == "2012-06-11"
    assert case["result"]["cert_no"] == "环审〔2012〕1号"
    assert [t["type"] for t in case["timeline"]] == [
        "submitted",
        "accepted",
        "step",
        "step",
        "step",
        "concluded",
        "delivered",
    ]
    view = staff_view(api, case_no)
    assert [s["code"] for s in view["steps"]] == ["1", "2", "3"]


def test_an_anonymous_application_is_online_and_cannot_choose_its_time(api: Api, d501: Dept) -> None:
    code = "320300501XK00400"
    r = api.post(
        "/applications",
        {
            "item_code": code,
            "applicant": PERSON,
            "materials": [],
            "submitted_at": "2012-06-01T10:00:00+08:00",
        },
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "submitted_at"
    sub = apply(api, None, code, at=None)
    assert len(sub["query_password"]) == 8
    assert wait_task(api, sub["case_no"], "accept")["started_at"] == sub["submitted_at"]


def test_applications_name_the_item_that_cannot_be_applied_for(api: Api, d501: Dept, legal: str) -> None:
    r = api.post("/applications", {"item_code": "320300501XK09900", "applicant": PERSON})
    assert r.status_code == 404 and r.json()["error"]["details"][0]["field"] == "item_code"
    declared = api.admin("POST", "/catalog/items", license_item("501", "005"))
    assert declared.status_code == 201, declared.text
    r = api.post("/applications", {"item_code": "320300-501-XK-005-00", "applicant": PERSON})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "item_code"
    r = api.post("/applications", {"item_code": "not-a-code", "applicant": PERSON})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "item_code"


@pytest.fixture(scope="module")
def d502(api: Api, legal: str) -> Dept:
    d = Dept(api, "502")
    api.declare_and_confirm(license_item("502", "004"), legal)
    return d


def test_rejection_needs_a_reason_and_ends_the_case(
    api: Api, local_stack: Any, d502: Dept, settle: Any
) -> None:
    case_no = apply(api, d502.handler, "320300502XK00400")["case_no"]
    wait_task(api, case_no, "accept")
    # When the handler refuses without a reason, nothing happens
    r = act(api, d502.handler, case_no, "reject", at="2012-06-04T10:00:00+08:00")
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "不予受理必须说明理由"
    assert r.json()["error"]["details"][0]["field"] == "reason"
    # With a reason the case is rejected and the execution ends
    ok(
        act(
            api,
            d502.handler,
            case_no,
            "reject",
            reason="申请事项不属于本部门职权范围",
            at="2012-06-04T10:00:00+08:00",
        )
    )
    assert execution(api, local_stack, case_no)["status"] == "SUCCEEDED"
    settle()
    view = staff_view(api, case_no)
    assert view["status"] == "rejected" and view["result"]["code"] == 6


@pytest.fixture(scope="module")
def d503(api: Api, legal: str) -> Dept:
    d = Dept(api, "503")
    api.declare_and_confirm(license_item("503", "004"), legal)
    return d


def test_supplements_are_requested_once_listing_every_material(api: Api, d503: Dept, settle: Any) -> None:
    case_no = apply(api, d503.handler, "320300503XK00400")["case_no"]
    wait_task(api, case_no, "accept")
    r = act(
        api, d503.handler, case_no, "request_supplement", reason="材料不全", at="2012-06-04T10:00:00+08:00"
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "missing_materials"
    ok(
        act(
            api,
            d503.handler,
            case_no,
            "request_supplement",
            reason="材料不全",
            missing_materials=["营业执照副本"],
            at="2012-06-04T10:00:00+08:00",
        )
    )
    supplement = wait_task(api, case_no, "supplement")
    assert supplement["due_at"] is None
    ok(
        act(
            api,
            d503.handler,
            case_no,
            "receive_supplement",
            materials=["营业执照副本"],
            at="2012-06-06T10:00:00+08:00",
        )
    )
    # Then acceptance is due 5 working days after the supplements arrived
    assert wait_task(api, case_no, "accept")["due_at"] == "2012-06-13"
    r = act(
        api,
        d503.handler,
        case_no,
        "request_supplement",
        missing_materials=["法人身份证明"],
        at="2012-06-07T10:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["message"] == "补正材料应一次性告知"
    ok(act(api, d503.handler, case_no, "accept", at="2012-06-07T10:00:00+08:00"))
    assert wait_task(api, case_no, "step")["due_at"] == "2012-06-11"
    settle()
    assert [s["missing_materials"] for s in staff_view(api, case_no)["supplements"]] == [["营业执照副本"]]


def test_special_procedures_move_the_deadlines_within_their_rules(api: Api, d503: Dept, settle: Any) -> None:
    case_no = apply(api, d503.handler, "320300503XK00400")["case_no"]
    wait_task(api, case_no, "accept")
    ok(act(api, d503.handler, case_no, "accept", at="2012-06-04T09:30:00+08:00"))
    assert wait_task(api, case_no, "step")["due_at"] == "2012-06-06"

    # A type-B procedure must state its expected duration
    r = act(
        api, d503.handler, case_no, "start_special", kind="B", name="专家评审", at="2012-06-05T09:00:00+08:00"
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "limit"
    ok(
        act(
            api,
            d503.handler,
            case_no,
            "start_special",
            kind="B",
            name="专家评审",
            limit={"value": 3},
            at="2012-06-05T09:00:00+08:00",
        )
    )
    # While it runs the clock is stopped: the running step has no deadline
    assert wait_task(api, case_no, "step")["due_at"] is None
    ok(
        act(
            api,
            d503.handler,
            case_no,
            "end_special",
            seq="1",
            result="评审通过",
            at="2012-06-06T17:00:00+08:00",
        )
    )
    # 06-05 and 06-06 are excluded: the step is now due two working days later
    assert wait_task(api, case_no, "step")["due_at"] == "2012-06-08"

    # A type-A extension needs an approver and a reason, and stays within statutory + 10 working days
    r = act(
        api,
        d503.handler,
        case_no,
        "start_special",
        kind="A",
        limit={"value": 5},
        at="2012-06-07T09:00:00+08:00",
    )
    assert r.status_code == 400 and {d["field"] for d in r.json()["error"]["details"]} == {
        "approver",
        "reason",
    }
    r = act(
        api,
        d503.handler,
        case_no,
        "start_special",
        kind="A",
        approver="李局长",
        reason="需现场核查",
        limit={"value": 11},
        at="2012-06-07T09:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "limit.value"
    answer = ok(
        act(
            api,
            d503.handler,
            case_no,
            "start_special",
            kind="A",
            approver="李局长",
            reason="需现场核查",
            limit={"value": 5},
            at="2012-06-07T09:00:00+08:00",
        )
    )
    # 06-11 promised + 2 paused days + 5 extension days
    assert answer["due"] == "2012-06-20"
    settle()
    assert staff_view(api, case_no)["due"] == "2012-06-20"


# ----------------------------------------------------------------------------- joint handling


@pytest.fixture(scope="module")
def joint(api: Api, legal: str) -> tuple[Dept, Dept, Dept]:
    lead, co1, co2 = Dept(api, "505"), Dept(api, "506"), Dept(api, "507")
    api.declare_and_confirm(license_item("505", "010", co_departments=["506", "507"]), legal)
    return lead, co1, co2


def test_joint_handling_concludes_only_when_every_co_department_answered(
    api: Api, local_stack: Any, joint: tuple[Dept, Dept, Dept]
) -> None:
    lead, co1, co2 = joint
    case_no = apply(api, lead.handler, "320300505XK01000")["case_no"]
    wait_task(api, case_no, "accept")
    ok(act(api, lead.handler, case_no, "accept", at="2012-06-04T09:30:00+08:00"))
    # Then each co-department finds its review in its own worklist, due with the case
    review = wait_task(api, case_no, "co_review", "506")
    wait_task(api, case_no, "co_review", "507")
    listed = ok(api.get("/worklist", token=co1.handler, as_of="2012-06-05T09:00:00+08:00"))["items"]
    assert [(t["case_no"], t["kind"], t["due_at"]) for t in listed] == [(case_no, "co_review", "2012-06-11")]
    assert review["step"]["code"] == "C506"

    # When one co-department answers while the lead department is on its first step
    ok(act(api, co1.handler, case_no, "complete_step", opinion="同意", at="2012-06-05T10:00:00+08:00"))
    # Then it answered its own review, not the lead department's step
    assert wait_task(api, case_no, "step")["step"]["code"] == "1"
    # When the lead department finishes its steps
    run_steps(api, lead, case_no, ["2012-06-05", "2012-06-06", "2012-06-07"])
    arn = api.get(f"/cases/{case_no}/tasks", token=api.reader).json()["execution_arn"]
    wait_state_exited(local_stack, arn, "Steps Complete")
    # Then the joint handling still waits for the other co-department: no conclusion yet
    assert "Joint Handling" not in exited_states(local_stack, arn)
    assert pending_kinds(api, case_no) == ["co_review"]
    r = act(api, co2.handler, case_no, "conclude", result_code=0, at="2012-06-08T10:00:00+08:00")
    assert r.status_code == 409
    ok(
        act(
            api, co2.handler, case_no, "complete_step", opinion="同意，附条件", at="2012-06-08T10:00:00+08:00"
        )
    )
    wait_task(api, case_no, "conclude")
    ok(
        act(
            api,
            lead.handler,
            case_no,
            "conclude",
            result_code=0,
            cert_no="联审〔2012〕1号",
            at="2012-06-08T15:00:00+08:00",
        )
    )
    wait_task(api, case_no, "deliver")
    assert execution(api, local_stack, case_no, until_done=False)["status"] == "RUNNING"


# ----------------------------------------------------------------------------- penalties


@pytest.fixture(scope="module")
def d510(api: Api, legal: str) -> Dept:
    d = Dept(api, "510")
    item = penalty_item(
        "510",
        "021",
        steps=[
            {"code": "1", "name": "调查取证", "limit_days": 10},
            {"code": "2", "name": "审查", "limit_days": 5},
        ],
    )
    api.declare_and_confirm(item, legal)
    for officer_id, valid_to in (
        ("rt510-o1", "2015-12-31"),
        ("rt510-o2", "2015-12-31"),
        ("rt510-o3", "2012-01-31"),
        ("rt510-chair", "2015-12-31"),
    ):
        r = api.post(
            "/legal/officers",
            {
                "officer_id": officer_id,
                "name": f"执法员{officer_id[-2:]}",
                "dept_code": "510",
                "cert_no": f"JS-{officer_id}",
                "valid_from": "2010-01-01",
                "valid_to": valid_to,
            },
            token=legal,
        )
        assert r.status_code in (200, 201), r.text
    return d


def test_penalty_with_a_hearing_runs_to_closing_and_blocks_unlawful_acts(
    api: Api, local_stack: Any, d510: Dept, settle: Any
) -> None:
    code = "320300510CF02100"
    r = api.post(
        "/penalty-cases",
        {"item_code": code, "received_at": "2012-06-01T09:00:00+08:00", "source": "inspection"},
        token=d510.handler,
    )
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]
    assert wait_task(api, case_no, "open_case")["due_at"] == "2012-06-12"  # 7 working days

    party = {"type": "person", "name": "张三", "id_no": "320311198001011234", "in_business": False}
    # Fewer than two officers, or one whose certificate expired, is blocked
    r = act(
        api,
        d510.handler,
        case_no,
        "open_case",
        party=party,
        cause="未批先建",
        officers=["rt510-o1"],
        at="2012-06-04T09:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["message"] == "执法人员资格不符"
    r = act(
        api,
        d510.handler,
        case_no,
        "open_case",
        party=party,
        cause="未批先建",
        officers=["rt510-o1", "rt510-o3"],
        at="2012-06-04T09:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "officers.1"
    ok(
        act(
            api,
            d510.handler,
            case_no,
            "open_case",
            party=party,
            cause="未批先建",
            officers=["rt510-o1", "rt510-o2"],
            at="2012-06-04T09:00:00+08:00",
        )
    )
    for name, day, who in (("调查取证", "2012-06-11", d510.handler), ("审查", "2012-06-13", d510.head)):
        task = wait_task(api, case_no, "step")
        assert task["step"]["name"] == name
        ok(act(api, who, case_no, "complete_step", opinion="事实清楚", at=f"{day}T10:00:00+08:00"))

    wait_task(api, case_no, "notify")
    # A 5,000 yuan fine on a person needs the hearing right to be notified
    r = act(
        api,
        d510.handler,
        case_no,
        "notify",
        proposed={"types": ["fine"], "amount": 5000, "tier": "medium"},
        at="2012-06-14T10:00:00+08:00",
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "hearing_notified"
    ok(
        act(
            api,
            d510.handler,
            case_no,
            "notify",
            proposed={"types": ["fine"], "amount": 5000, "tier": "medium"},
            hearing_notified=True,
            at="2012-06-14T10:00:00+08:00",
        )
    )

    wait_task(api, case_no, "hearing")
    hearing = {
        "requested": True,
        "requested_at": "2012-06-15T10:00:00+08:00",
        "noticed_at": "2012-06-18T10:00:00+08:00",
        "hearing_at": "2012-06-26T09:00:00+08:00",
        "result": "当事人陈述申辩",
        "at": "2012-06-26T12:00:00+08:00",
    }
    r = act(api, d510.handler, case_no, "hold_hearing", chair="rt510-o1", **hearing)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "chair"
    ok(act(api, d510.handler, case_no, "hold_hearing", chair="rt510-chair", **hearing))

    decide = wait_task(api, case_no, "decide")
    assert decide["role"] == "dept_head"
    assert (
        act(
            api,
            d510.handler,
            case_no,
            "decide",
            decision_no="徐环罚〔2012〕1号",
            types=["fine"],
            amount=5000,
            tier="medium",
            basis_ids=["EIA-LAW-31"],
            at="2012-06-28T10:00:00+08:00",
        ).status_code
        == 403
    )  # the decision is the department head's
    decision = {
        "decision_no": "徐环罚〔2012〕1号",
        "types": ["fine"],
        "basis_ids": ["EIA-LAW-31"],
        "at": "2012-06-28T10:00:00+08:00",
    }
    # docs/DOMAIN.md §10 example 10: 20,000 yuan is outside the statutory 1,000–10,000
    r = act(api, d510.head, case_no, "decide", amount=20000, tier="heavy", **decision)
    assert r.status_code == 400 and r.json()["error"]["message"] == "超出法定处罚幅度"
    # 5,000 is lawful but not in the light tier: a reason and collective discussion are required
    r = act(api, d510.head, case_no, "decide", amount=5000, tier="light", tier_reason="初次违法", **decision)
    assert r.status_code == 400 and "集体讨论" in r.json()["error"]["details"][0]["message"]
    ok(act(api, d510.head, case_no, "decide", amount=5000, tier="medium", **decision))

    for kind, action, day, fields in (
        ("serve", "serve", "2012-06-29", {"mode": "direct"}),
        ("enforce", "enforce", "2012-07-10", {"paid_amount": 5000}),
        ("close", "close", "2012-07-12", {"archive_no": "2012-CF-001"}),
    ):
        wait_task(api, case_no, kind)
        ok(act(api, d510.handler, case_no, action, at=f"{day}T10:00:00+08:00", **fields))
    assert execution(api, local_stack, case_no)["status"] == "SUCCEEDED"
    settle()
    penalty = staff_view(api, case_no)["penalty"]
    assert penalty["hearing_chair"] == "rt510-chair" and penalty["decision"]["amount"] in (
        "5000",
        5000,
        "5000.00",
    )
    assert penalty["closed_at"] is not None


# ----------------------------------------------------------------------------- the worklist


@pytest.fixture(scope="module")
def d520(api: Api, legal: str) -> Dept:
    d = Dept(api, "520")
    api.declare_and_confirm(license_item("520", "004"), legal)
    return d


def test_worklist_orders_by_remaining_working_time_with_board_colours(
    api: Api, local_stack: Any, d520: Dept
) -> None:
    code = "320300520XK00400"
    early, late = apply(api, d520.handler, code)["case_no"], apply(api, d520.handler, code)["case_no"]
    wait_task(api, early, "accept")
    wait_task(api, late, "accept")
    ok(act(api, d520.handler, late, "accept", at="2012-06-06T09:00:00+08:00"))  # 承办 due 06-08
    ok(act(api, d520.handler, early, "accept", at="2012-06-04T09:00:00+08:00"))  # 承办 due 06-06
    wait_task(api, early, "step")
    wait_task(api, late, "step")

    def board(as_of: str) -> list[tuple[str, str, int]]:
        items = ok(api.get("/worklist", token=d520.handler, as_of=as_of))["items"]
        return [(t["case_no"], t["colour"], t["remaining_working_days"]) for t in items]

    assert board("2012-06-04T12:00:00+08:00") == [(early, "green", 2), (late, "green", 4)]
    # The last working day before the deadline is yellow (R1); past the deadline is red
    assert board("2012-06-05T08:00:00+08:00") == [(early, "yellow", 1), (late, "green", 3)]
    assert board("2012-06-07T10:00:00+08:00") == [(early, "red", -1), (late, "yellow", 1)]
    # The department head's worklist holds only the head's tasks
    assert ok(api.get("/worklist", token=d520.head, as_of="2012-06-07T10:00:00+08:00"))["items"] == []
    # Paging keeps the order
    first = ok(api.get("/worklist", token=d520.handler, as_of="2012-06-07T10:00:00+08:00", limit=1))
    second = ok(
        api.get(
            "/worklist", token=d520.handler, as_of="2012-06-07T10:00:00+08:00", limit=1, cursor=first["next"]
        )
    )
    assert [first["items"][0]["case_no"], second["items"][0]["case_no"]] == [early, late]
    assert second["next"] is None

    # When the early step is completed a day late, the execution itself records it
    answer = ok(
        act(api, d520.handler, early, "complete_step", opinion="同意", at="2012-06-07T11:00:00+08:00")
    )
    assert (answer["late"], answer["late_days"]) == (True, 1)
    wait_task(api, early, "step")
    arn = api.get(f"/cases/{early}/tasks", token=api.reader).json()["execution_arn"]
    recorded = [(o["action"], o["due_at"], o["late_days"]) for o in task_outputs(local_stack, arn)]
    assert recorded == [("accept", "2012-06-08", 0), ("complete_step", "2012-06-06", 1)]


@pytest.fixture(scope="module")
def d530(api: Api, legal: str) -> tuple[Dept, Dept]:
    mine, other = Dept(api, "530"), Dept(api, "531")
    api.declare_and_confirm(license_item("530", "004"), legal)
    return mine, other


def test_another_departments_staff_can_neither_see_nor_act(api: Api, d530: tuple[Dept, Dept]) -> None:
    mine, other = d530
    case_no = apply(api, mine.handler, "320300530XK00400")["case_no"]
    wait_task(api, case_no, "accept")
    r = act(api, other.handler, case_no, "accept", at="2012-06-04T09:30:00+08:00")
    assert r.status_code == 403
    assert api.get(f"/cases/{case_no}/tasks", token=other.handler).status_code == 403
    assert ok(api.get("/worklist", token=other.handler))["items"] == []
    assert api.get("/worklist", token=other.handler, dept_code="530").status_code == 403
    assert (
        api.post("/penalty-cases", {"item_code": "320300530CF02100"}, token=other.handler).status_code == 403
    )
    # The department head of the owning department may not take the handler's acceptance either
    assert act(api, mine.head, case_no, "accept", at="2012-06-04T09:30:00+08:00").status_code == 403
    # An action before the task began, or in the future, is refused
    r = act(api, mine.handler, case_no, "accept", at="2012-05-31T09:30:00+08:00")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "at"
    r = act(api, mine.handler, case_no, "accept", at="2999-01-01T09:30:00+08:00")
    assert r.status_code == 400
    # A badly formed action names its field; an unknown case is 404
    r = act(api, mine.handler, case_no, "conclude", result_code=9)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "result_code"
    assert act(api, mine.handler, "NOPE0000", "accept").status_code == 404
    # Supervisors may not act
    supervisor = api.user("rt530-supervisor", ["supervisor"])
    assert act(api, supervisor, case_no, "accept").status_code == 403
