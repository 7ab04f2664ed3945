"""The hall's progress query (办理状态查询) ``GET /cases/{case_no}?password=`` (docs/CONTRACT.md §7, issue 4):
the right password shows the case with its deadlines explained and personal data masked; a wrong
or missing password looks exactly like an unknown case.

Department codes 690–699 belong to this module.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

CODE = "320300690XK00100"
ID_NO = "320311198001011234"
MOBILE = "13912345678"
PASSWORD = "Qx7-pw-2012"
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    """Department 690 with the docs/DOMAIN.md §10 licence item: promised 5, statutory 20 working days."""
    creds = api.department("690", "测试生态环境局690")
    api.declare_and_confirm(license_item("690", "001"), api.user("cq-legal", ["legal"]))
    return creds


def post(api: Api, dept: DeptCreds, events: list[dict[str, Any]], settle: Any) -> None:
    r = api.post_events(dept, events)
    assert r.status_code == 200, r.text
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    settle()


def story(case_no: str, applicant: dict[str, Any], *extra: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        event(case_no, CODE, "submitted", "2012-06-01T10:00:00+08:00",
              {"applicant": applicant, "channel": "window", "materials": ["环境影响报告表"]}),
        event(case_no, CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": PASSWORD}),
        *extra,
    ]


PERSON = {"type": "person", "name": "张三丰", "id_type": "身份证", "id_no": ID_NO, "phone": MOBILE}


def test_the_right_password_shows_the_case_with_personal_data_masked(api: Api, dept: DeptCreds,
                                                                     settle: Any) -> None:
    # Given a concluded case of a natural person (docs/DOMAIN.md §10 example 1 dates)
    case_no = "3203006902012000001"
    post(api, dept, story(
        case_no, PERSON,
        event(case_no, CODE, "step", "2012-06-05T10:00:00+08:00",
              {"step_code": "1", "opinion": "内部意见：同意"}, event_id=f"{case_no}-s1"),
        event(case_no, CODE, "step", "2012-06-06T10:00:00+08:00", {"step_code": "2", "opinion": "同意"},
              event_id=f"{case_no}-s2"),
        event(case_no, CODE, "step", "2012-06-07T09:00:00+08:00", {"step_code": "3", "opinion": "批准"},
              event_id=f"{case_no}-s3"),
        event(case_no, CODE, "concluded", "2012-06-07T15:00:00+08:00",
              {"result_code": 0, "result_desc": "准予许可", "cert_name": "环评批复",
               "cert_no": "徐环审〔2012〕88号"}),
    ), settle)
    # When the applicant queries it with the password
    r = api.get(f"/cases/{case_no}", password=PASSWORD)
    # Then the contract's fields are there
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"case_no", "item_code", "item_name", "dept_code", "status", "submitted_at", "accepted_at", "due",
            "due_derivation", "statutory_due", "pauses", "timeline", "result", "applicant"} <= set(body)
    assert (body["case_no"], body["item_code"], body["dept_code"]) == (case_no, CODE, "690")
    assert body["item_name"] == license_item()["name"]
    assert body["status"] == "concluded"
    assert body["submitted_at"] == "2012-06-01T10:00:00+08:00"
    assert body["accepted_at"] == "2012-06-04T09:30:00+08:00"
    assert (body["due"], body["statutory_due"]) == ("2012-06-11", "2012-07-03")
    assert body["due_derivation"]["counted"] == ["2012-06-05", "2012-06-06", "2012-06-07", "2012-06-08",
                                                 "2012-06-11"]
    assert body["pauses"] == []
    assert [(t["type"], t["at"][:10]) for t in body["timeline"]] == [
        ("submitted", "2012-06-01"), ("accepted", "2012-06-04"), ("step", "2012-06-05"),
        ("step", "2012-06-06"), ("step", "2012-06-07"), ("concluded", "2012-06-07")]
    assert all(t["name"] for t in body["timeline"])
    assert body["result"]["code"] == 0
    assert body["result"]["cert_no"] == "徐环审〔2012〕88号"
    assert body["result"]["concluded_at"] == "2012-06-07T15:00:00+08:00"
    # And the person's name is masked, with no ID number, phone, password or internal opinion anywhere
    assert body["applicant"]["name"] == "张*"
    text = r.text
    assert not ID_PATTERN.search(text) and not MOBILE_PATTERN.search(text)
    for secret in (ID_NO, MOBILE, PASSWORD, "张三丰", "内部意见"):
        assert secret not in text


def test_an_organisation_may_be_named(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a case of a company
    case_no = "3203006902012000002"
    company = {"type": "org", "name": "徐州某机械有限公司", "id_no": "91320300MA1X00000X",
               "phone": "0516-83700000"}
    post(api, dept, story(case_no, company), settle)
    # When it is queried, then the company's name shows in full and its phone does not
    body = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    assert body["applicant"]["name"] == "徐州某机械有限公司"
    assert body["status"] == "accepted" and body["result"] is None
    assert "0516-83700000" not in str(body)


def test_a_wrong_or_missing_password_is_indistinguishable_from_an_unknown_case(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a case with a query password
    case_no = "3203006902012000003"
    post(api, dept, story(case_no, PERSON), settle)
    assert api.get(f"/cases/{case_no}", password=PASSWORD).status_code == 200
    # When it is queried with a wrong password, an empty one, none, or a near miss
    unknown = api.get("/cases/3203006902012999999", password=PASSWORD)
    answers = [api.get(f"/cases/{case_no}", password="wrong"), api.get(f"/cases/{case_no}", password=""),
               api.get(f"/cases/{case_no}"), api.get(f"/cases/{case_no}", password=PASSWORD.upper()),
               api.get(f"/cases/{case_no}", password=PASSWORD + " ")]
    # Then every answer is the same 404 as for a case that does not exist
    assert unknown.status_code == 404
    for r in answers:
        assert (r.status_code, r.json()) == (404, unknown.json())
        assert case_no not in r.text


def test_a_case_without_a_password_cannot_be_queried(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a case whose acceptance carried no query password
    case_no = "3203006902012000004"
    post(api, dept, [event(case_no, CODE, "accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted"})],
         settle)
    # Then no password opens it
    assert api.get(f"/cases/{case_no}", password="").status_code == 404
    assert api.get(f"/cases/{case_no}", password="None").status_code == 404


def test_a_type_b_pause_stops_the_clock_and_moves_both_deadlines(api: Api, dept: DeptCreds,
                                                                  settle: Any) -> None:
    # Given a case accepted Monday 2012-06-04 with an expert review (type B) starting Wednesday
    case_no = "3203006902012000005"
    start = event(case_no, CODE, "special_started", "2012-06-06T09:00:00+08:00",
                  {"seq": 1, "kind": "B", "name": "专家评审", "reason": "技术复杂",
                   "limit": {"value": 5, "unit": "working_day"}})
    post(api, dept, story(case_no, PERSON, start), settle)
    # When it is queried while the review runs
    during = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    # Then the case is suspended and the clock is stopped: no due date yet, one day counted
    assert during["status"] == "suspended"
    assert during["due"] is None
    assert during["due_derivation"]["paused"] is True
    assert during["due_derivation"]["remaining"] == 4
    assert during["pauses"] == [{"kind": "B", "name": "专家评审", "start": "2012-06-06", "end": None}]

    # When the review ends on Thursday
    post(api, dept, [event(case_no, CODE, "special_ended", "2012-06-07T17:00:00+08:00",
                           {"seq": 1, "result": "通过"})], settle)
    after = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    # Then both deadlines move by the two paused working days (06-06 and 06-07)
    assert after["status"] == "accepted"
    assert after["due"] == "2012-06-13"
    assert after["statutory_due"] == "2012-07-05"
    assert after["due_derivation"]["excluded"] == ["2012-06-06", "2012-06-07"]
    assert after["pauses"] == [{"kind": "B", "name": "专家评审", "start": "2012-06-06", "end": "2012-06-07"}]


def test_an_approved_extension_adds_working_days_to_both_deadlines(api: Api, dept: DeptCreds,
                                                                   settle: Any) -> None:
    # Given a case accepted 2012-06-04 (due 06-11, statutory 07-03)
    case_no = "3203006902012000006"
    extension = event(case_no, CODE, "special_started", "2012-06-08T09:00:00+08:00",
                      {"seq": 1, "kind": "A", "name": "延长审批", "approver": "李局长",
                       "reason": "需现场核查", "limit": {"value": 10, "unit": "working_day"}})
    # When a 10-working-day extension (type A) is approved
    post(api, dept, story(case_no, PERSON, extension), settle)
    body = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    # Then the clock keeps running (not suspended) and both deadlines move by 10 working days
    assert body["status"] == "accepted"
    assert body["due"] == "2012-06-26"
    assert body["statutory_due"] == "2012-07-17"
    assert body["due_derivation"]["extension_days"] == 10
    assert [p["kind"] for p in body["pauses"]] == ["A"]


def test_deadlines_follow_the_official_holidays(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given docs/DOMAIN.md §10 example 3: accepted Thursday 2012-09-27 before National Day
    case_no = "3203006902012000007"
    post(api, dept, [event(case_no, CODE, "accepted", "2012-09-27T10:00:00+08:00",
                           {"status": "accepted", "query_password": PASSWORD})], settle)
    # Then Saturday 09-29 counts, the holiday week does not, and the due date is 10-10
    body = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    assert body["due"] == "2012-10-10"
    assert body["due_derivation"]["counted"] == ["2012-09-28", "2012-09-29", "2012-10-08", "2012-10-09",
                                                 "2012-10-10"]


def test_a_rejected_application_shows_as_rejected(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given an application rejected at intake, with a reason
    case_no = "3203006902012000008"
    post(api, dept, [
        event(case_no, CODE, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
        event(case_no, CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "rejected", "reason": "不属于本机关职权范围", "query_password": PASSWORD}),
    ], settle)
    # Then the applicant sees it rejected, with no deadlines running
    body = api.get(f"/cases/{case_no}", password=PASSWORD).json()
    assert body["status"] == "rejected"
    assert body["due"] is None
    assert [t["name"] for t in body["timeline"]] == ["申办", "不予受理"]
