"""Data exchange (数据交换) through the HTTP API: signed event batches in, one truthful case view
out, tamper-evident storage (docs/CONTRACT.md §2 and §5, issue 4).

Department codes 670–689 belong to this module.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any

import boto3
import pytest
import requests

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item, penalty_item

pytestmark = pytest.mark.integration

XK = "320300670XK00100"
CF = "320300670CF02100"
PERSON = {"type": "person", "name": "张三", "id_type": "身份证", "id_no": "320311198001011234",
          "phone": "13912345678"}


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    """Department 670 with a licence item (5/20 working days) and a penalty item, both confirmed."""
    creds = api.department("670", "测试生态环境局670")
    legal = api.user("exc-legal", ["legal"])
    api.declare_and_confirm(license_item("670", "001"), legal)
    api.declare_and_confirm(penalty_item("670", "021"), legal)
    return creds


@pytest.fixture(scope="module")
def other(api: Api) -> DeptCreds:
    creds = api.department("671", "测试住房城乡建设局671")
    api.declare_and_confirm(license_item("671", "001"), api.user("exc-legal-671", ["legal"]))
    return creds


def statuses(r: requests.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [x["status"] for x in r.json()["results"]]


def staff_view(api: Api, case_no: str) -> dict[str, Any]:
    r = api.get(f"/staff/cases/{case_no}", token=api.reader)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def licence_story(case_no: str, code: str = XK) -> list[dict[str, Any]]:
    """docs/DOMAIN.md §10 example 1 with a type-B pause: submitted → accepted → steps → concluded."""
    return [
        event(case_no, code, "submitted", "2012-06-01T10:00:00+08:00",
              {"applicant": PERSON, "channel": "online"}),
        event(case_no, code, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": "a1b2c3"}),
        event(case_no, code, "step", "2012-06-05T10:00:00+08:00", {"step_code": "1", "opinion": "同意"},
              event_id=f"{case_no}-step1"),
        event(case_no, code, "special_started", "2012-06-06T10:00:00+08:00",
              {"seq": 1, "kind": "B", "name": "专家评审", "limit": {"value": 2, "unit": "working_day"}}),
        event(case_no, code, "special_ended", "2012-06-07T16:00:00+08:00", {"seq": 1, "result": "通过"}),
        event(case_no, code, "step", "2012-06-08T10:00:00+08:00", {"step_code": "2", "opinion": "同意"},
              event_id=f"{case_no}-step2"),
        event(case_no, code, "step", "2012-06-11T10:00:00+08:00", {"step_code": "3", "opinion": "批准"},
              event_id=f"{case_no}-step3"),
        event(case_no, code, "concluded", "2012-06-11T15:00:00+08:00",
              {"result_code": 0, "cert_name": "批复", "cert_no": "XZHP-2012-001"}),
    ]


# ----- each event type -------------------------------------------------------------------------

LICENCE_EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("submitted", {"applicant": PERSON, "channel": "window", "materials": ["申请书"]}),
    ("pre_accepted", {"status": "passed"}),
    ("accepted", {"status": "accepted", "query_password": "x1y2z3"}),
    ("step", {"step_code": "1", "step_name": "承办", "opinion": "同意", "status": "done"}),
    ("supplement_requested", {"reason": "材料不全", "missing_materials": ["营业执照"]}),
    ("supplement_received", {"materials": ["营业执照"]}),
    ("special_started", {"seq": "1", "kind": "A", "name": "延长审批", "approver": "李局长",
                         "reason": "情况复杂", "limit": {"value": 10, "unit": "working_day"}}),
    ("special_ended", {"seq": "1", "result": "完成"}),
    ("concluded", {"result_code": 1, "result_desc": "不予许可", "reason": "不符合条件"}),
    ("delivered", {"mode": "window"}),
]
PENALTY_EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("case_opened", {"party": {"type": "org", "name": "某化工有限公司", "in_business": True},
                     "cause": "未批先建", "officers": ["OF-1", "OF-2"]}),
    ("notice_served", {"proposed": {"types": ["fine"], "amount": 5000, "tier": "medium"},
                       "hearing_notified": True}),
    ("hearing_requested", {}),
    ("hearing_noticed", {"hearing_at": "2012-07-20T09:00:00+08:00"}),
    ("hearing_held", {"chair": "OF-9", "result": "维持"}),
    ("decided", {"decision_no": "徐环罚〔2012〕1号", "types": ["fine"], "amount": 5000, "tier": "medium",
                 "tier_reason": "情节一般", "collective_discussion": True, "basis_ids": ["EIA-LAW-31"]}),
    ("served", {}),
    ("enforced", {"paid_amount": 5000}),
    ("closed", {}),
]


@pytest.mark.parametrize(("etype", "data"), LICENCE_EVENTS + PENALTY_EVENTS,
                         ids=[t for t, _ in LICENCE_EVENTS + PENALTY_EVENTS])
def test_each_event_type_is_accepted(api: Api, dept: DeptCreds, settle: Any, etype: str,
                                     data: dict[str, Any]) -> None:
    # Given a well-formed event of this type for its own family of item
    code = CF if (etype, data) in PENALTY_EVENTS else XK
    case_no = f"EXT-{etype.replace('_', '')}-1"
    # When the department system sends it
    r = api.post_events(dept, [event(case_no, code, etype, "2012-07-02T10:00:00+08:00", data)])
    # Then it is stored and shows in the case's timeline
    assert statuses(r) == ["stored"]
    assert r.json()["results"][0]["event_id"] == f"{case_no}-{etype}"
    settle()
    assert [t["type"] for t in staff_view(api, case_no)["timeline"]] == [etype]


@pytest.mark.parametrize(("code", "etype", "data", "bad_field"), [
    (XK, "accepted", {"status": "maybe"}, "data.status"),
    (XK, "concluded", {"result_code": 9}, "data.result_code"),
    (XK, "concluded", {}, "data.result_code"),
    (XK, "special_started", {"seq": "1", "kind": "C"}, "data.kind"),
    (XK, "step", {"opinion": "同意"}, "data.step_code"),
    (XK, "submitted", {"applicant": {"type": "alien"}}, "data.applicant.type"),
    (XK, "concluded", {"result_code": 0, "fee_amount": -5}, "data.fee_amount"),
    (XK, "accepted", {"status": "accepted", "query_password": "12345"}, "data.query_password"),
    (CF, "decided", {"decision_no": "X-1"}, "data"),
    (XK, "decided", {"types": ["fine"], "amount": 100}, "type"),
    (CF, "accepted", {"status": "accepted"}, "type"),
], ids=["accept-status", "result-code-range", "result-code-missing", "special-kind", "step-code-missing",
        "applicant-type", "negative-fee", "short-password", "decision-empty", "penalty-on-licence",
        "licence-on-penalty"])
def test_a_malformed_event_is_rejected_naming_the_field(api: Api, dept: DeptCreds, code: str, etype: str,
                                                        data: dict[str, Any], bad_field: str) -> None:
    # Given an event whose data does not fit its type's schema
    ev = event("EXR-1", code, etype, "2012-07-02T10:00:00+08:00", data, event_id=f"EXR-{etype}-{bad_field}")
    # When it is sent, then it is rejected and the error names the field
    r = api.post_events(dept, [ev])
    result = r.json()["results"][0]
    assert result["status"] == "rejected"
    assert bad_field in {e["field"] for e in result["errors"]}, result


def test_envelope_errors_are_named(api: Api, dept: DeptCreds) -> None:
    # Given events with a naive time, an unknown type and no case number
    naive = event("EXE-1", XK, "submitted", "2012-07-02T10:00:00", event_id="EXE-1-a")
    unknown = event("EXE-1", XK, "teleported", "2012-07-02T10:00:00+08:00", event_id="EXE-1-b")
    no_case = event("EXE-1", XK, "submitted", "2012-07-02T10:00:00+08:00", event_id="EXE-1-c")
    del no_case["case_no"]
    # When they are sent, then each is rejected naming its field
    results = api.post_events(dept, [naive, unknown, no_case]).json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "occurred_at" in {e["field"] for e in results[0]["errors"]}
    assert "type" in {e["field"] for e in results[1]["errors"]}
    assert "case_no" in {e["field"] for e in results[2]["errors"]}


def test_a_bad_event_does_not_stop_the_good_ones(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a batch with a malformed event between two good ones
    good1 = event("EXM-1", XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON})
    bad = event("EXM-1", XK, "accepted", "yesterday", {"status": "accepted"})
    good2 = event("EXM-1", XK, "accepted", "2012-06-04T10:00:00+08:00", {"status": "accepted"},
                  event_id="EXM-1-accepted-ok")
    # When it is sent
    r = api.post_events(dept, [good1, bad, good2])
    # Then results come in request order, only the bad one rejected, and the case holds the two good ones
    assert statuses(r) == ["stored", "rejected", "stored"]
    assert [x["event_id"] for x in r.json()["results"]] == ["EXM-1-submitted", "EXM-1-accepted",
                                                            "EXM-1-accepted-ok"]
    settle()
    view = staff_view(api, "EXM-1")
    assert view["event_count"] == 2
    assert view["status"] == "accepted"


# ----- authentication and scope ----------------------------------------------------------------

def _body(case_no: str) -> dict[str, Any]:
    return {"events": [event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00")]}


def _not_stored(api: Api, case_no: str) -> bool:
    return api.get(f"/staff/cases/{case_no}", token=api.reader).status_code == 404


@pytest.mark.parametrize("problem", ["missing", "wrong-secret", "stale", "future", "unknown-key",
                                     "tampered-body", "garbage-timestamp"])
def test_a_badly_signed_request_is_401_and_stores_nothing(api: Api, dept: DeptCreds, settle: Any,
                                                          problem: str) -> None:
    # Given a request whose signature is missing, wrong, too old or made with an unknown key
    case_no = f"EXS-{problem}"
    body = _body(case_no)
    now = int(time.time())
    if problem == "missing":
        r = api.post("/exchange/events", body)
    elif problem == "wrong-secret":
        r = api.signed(dept, "POST", "/exchange/events", body, secret="not-the-secret")
    elif problem == "stale":
        r = api.signed(dept, "POST", "/exchange/events", body, timestamp=now - 301)
    elif problem == "future":
        r = api.signed(dept, "POST", "/exchange/events", body, timestamp=now + 400)
    elif problem == "unknown-key":
        r = api.signed(dept, "POST", "/exchange/events", body, key_id="AKDOESNOTEXIST00")
    elif problem == "garbage-timestamp":
        from sunlit_client.signing import sign_request

        data = json.dumps(body).encode()
        r = api.call("POST", "/exchange/events", raw=data, headers={
            "X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": "soon",
            "X-Sunlit-Signature": sign_request(dept.secret, "soon", "POST", "/exchange/events", data)})
    else:  # a valid signature over a different body
        from sunlit_client.signing import sign_request

        signed_for = json.dumps(_body("EXS-other")).encode()
        ts = str(now)
        r = api.call("POST", "/exchange/events", raw=json.dumps(body).encode(), headers={
            "X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": ts,
            "X-Sunlit-Signature": sign_request(dept.secret, ts, "POST", "/exchange/events", signed_for)})
    # Then it is 401 in the contract's error shape and nothing is stored
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] and r.json()["error"]["message"]
    settle()
    assert _not_stored(api, case_no)


def test_a_timestamp_within_the_window_is_accepted(api: Api, dept: DeptCreds) -> None:
    # Given a clock 250 s behind the server (within the 300 s window)
    r = api.signed(dept, "POST", "/exchange/events", _body("EXS-skew"), timestamp=int(time.time()) - 250)
    # Then the request is accepted
    assert statuses(r) == ["stored"]


def test_staff_tokens_cannot_push_events(api: Api, dept: DeptCreds) -> None:
    # Given a bearer token of a handler of the department itself
    token = api.user("exc-handler-670", ["handler"], "670")
    # When it posts events without a signature, then it is not authenticated as a department system
    assert api.post("/exchange/events", _body("EXS-token"), token=token).status_code == 401


def test_another_departments_item_forbids_the_whole_request(api: Api, dept: DeptCreds, other: DeptCreds,
                                                            settle: Any) -> None:
    # Given a batch of department 670 with one good own event and one for department 671's item
    own = event("EXF-1", XK, "submitted", "2012-06-01T10:00:00+08:00")
    foreign = event("EXF-2", "320300-671-XK-001-00", "submitted", "2012-06-01T10:00:00+08:00")
    # When it is sent
    r = api.post_events(dept, [own, foreign])
    # Then the whole request is 403, naming the offending event, and nothing was stored
    assert r.status_code == 403
    assert "events.1.item_code" in {d["field"] for d in r.json()["error"]["details"]}
    settle()
    assert _not_stored(api, "EXF-1") and _not_stored(api, "EXF-2")


def test_another_regions_item_with_the_same_department_code_is_forbidden(api: Api, dept: DeptCreds) -> None:
    # Given an item code of region 320100 (another city) with department segment 670
    ev = event("EXF-3", "320100670XK00100", "submitted", "2012-06-01T10:00:00+08:00")
    # Then department 670 of 320300 may not report it
    assert api.post_events(dept, [ev]).status_code == 403


def test_an_unknown_item_in_the_own_segment_is_stored_and_raises_r13(api: Api, dept: DeptCreds,
                                                                     settle: Any) -> None:
    # Given an item code in department 670's segment that is not in the catalog
    code = "320300670XK09900"
    # When the department reports a case under it
    r = api.post_events(dept, [event("EXU-1", code, "submitted", "2012-06-01T10:00:00+08:00"),
                               event("EXU-1", code, "accepted", "2012-06-04T10:00:00+08:00",
                                     {"status": "accepted"})])
    # Then the events are stored
    assert statuses(r) == ["stored", "stored"]
    settle()
    # And a red R13 (事项不符) is raised for the case, and the exceptions queue lists it
    sig = api.get("/supervision/signals", token=api.admin_token, case_no="EXU-1", rule="R13").json()["items"]
    assert [(s["rule"], s["level"], s["dept_code"]) for s in sig] == [("R13", "red", "670")]
    exc = api.get("/supervision/exceptions", token=api.reader, dept_code="670").json()["items"]
    assert any(e["case_no"] == "EXU-1" and e["code"] == "unknown_item" for e in exc)


# ----- idempotency, supersession, order ----------------------------------------------------------

def test_a_repeated_event_is_a_duplicate_with_no_effect(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a stored case of two events
    evs = licence_story("EXD-1")[:2]
    assert statuses(api.post_events(dept, evs)) == ["stored", "stored"]
    # When the same batch is delivered again, and the same event twice within one batch
    again = api.post_events(dept, evs)
    twice = api.post_events(dept, [evs[0], evs[0]])
    # Then all are duplicates and the case still has two events in a two-link chain
    assert statuses(again) == ["duplicate", "duplicate"]
    assert statuses(twice) == ["duplicate", "duplicate"]
    settle()
    assert staff_view(api, "EXD-1")["event_count"] == 2
    assert api.get("/staff/cases/EXD-1/verify", token=api.reader).json()["length"] == 2


def test_a_higher_data_version_supersedes_and_the_view_uses_it(api: Api, dept: DeptCreds,
                                                               settle: Any) -> None:
    # Given a concluded case whose certificate number was reported wrongly
    evs = licence_story("EXV-1")
    assert set(statuses(api.post_events(dept, evs))) == {"stored"}
    settle()
    assert staff_view(api, "EXV-1")["result"]["cert_no"] == "XZHP-2012-001"
    # When the department re-sends the conclusion with data_version 2
    fixed = dict(evs[-1], data_version=2,
                 data={"result_code": 0, "cert_name": "批复", "cert_no": "XZHP-2012-009"})
    r = api.post_events(dept, [fixed])
    # Then it supersedes the earlier version, and the view uses the new data
    assert statuses(r) == ["superseded"]
    settle()
    view = staff_view(api, "EXV-1")
    assert view["result"]["cert_no"] == "XZHP-2012-009"
    assert view["event_count"] == len(evs)
    # And an older version arriving late is a duplicate that changes nothing
    assert statuses(api.post_events(dept, [evs[-1]])) == ["duplicate"]
    settle()
    assert staff_view(api, "EXV-1")["result"]["cert_no"] == "XZHP-2012-009"
    # And the history of versions is kept in the chain
    assert api.get("/staff/cases/EXV-1/verify", token=api.reader).json()["length"] == len(evs) + 1


def test_two_versions_of_one_event_in_one_batch_store_both_and_the_higher_wins(api: Api, dept: DeptCreds,
                                                                               settle: Any) -> None:
    # Given a case whose conclusion is sent twice in one batch, first version 1 then its correction
    evs = licence_story("EXV-2")
    fixed = dict(evs[-1], data_version=2, data={"result_code": 0, "cert_name": "批复", "cert_no": "XZHP-2012-077"})
    # Then version 1 is stored and version 2 supersedes it within the same request
    assert statuses(api.post_events(dept, [*evs, fixed])) == ["stored"] * len(evs) + ["superseded"]
    # And for another case, a correction followed by the older version: the older one is a duplicate
    late = licence_story("EXV-3")
    newer = dict(late[-1], data_version=2)
    assert statuses(api.post_events(dept, [*late[:-1], newer, late[-1]])) == ["stored"] * len(late) + ["duplicate"]
    settle()
    assert staff_view(api, "EXV-2")["result"]["cert_no"] == "XZHP-2012-077"
    report = api.get("/staff/cases/EXV-2/verify", token=api.reader).json()
    assert (report["ok"], report["length"]) == (True, len(evs) + 1)


def test_a_batch_mixing_new_and_repeated_cases_stores_only_the_new(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given one stored case
    first = licence_story("EXK-1")[:3]
    assert statuses(api.post_events(dept, first)) == ["stored"] * 3
    # When a batch re-sends it with one new event, amid two new cases
    fresh_a, fresh_b = licence_story("EXK-2")[:4], licence_story("EXK-3")[:2]
    batch = [*fresh_a[:2], *first, licence_story("EXK-1")[3], *fresh_a[2:], *fresh_b]
    got = statuses(api.post_events(dept, batch))
    # Then only the repeated events are duplicates; everything else is stored once
    assert got == ["stored"] * 2 + ["duplicate"] * 3 + ["stored"] * 5
    settle()
    for case_no, length in (("EXK-1", 4), ("EXK-2", 4), ("EXK-3", 2)):
        report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
        assert (report["ok"], report["length"]) == (True, length), case_no
        assert staff_view(api, case_no)["event_count"] == length


ARRIVAL_ONLY = {"last_event_at"}


def comparable(view: dict[str, Any], case_no: str) -> Any:
    """The view without what depends on arrival (receipt times) and with the case number neutral."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in ARRIVAL_ONLY and not k.endswith("received_at")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str):
            return value.replace(case_no, "CASE")
        return value

    out = strip(view)
    # Late-report anomalies quote the receipt minute; keep what they are about, not when.
    out["anomalies"] = sorted((a["code"], a["event_id"]) for a in out["anomalies"])
    return out


def test_out_of_order_arrival_gives_the_same_view_as_ordered(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given the same story for two cases
    ordered, shuffled = licence_story("EXO-1"), licence_story("EXO-2")
    # When one arrives in business order in one batch, the other reversed, one event per request
    assert set(statuses(api.post_events(dept, ordered))) == {"stored"}
    for ev in reversed(shuffled):
        assert statuses(api.post_events(dept, [ev])) == ["stored"]
    settle()
    # Then both case views are the same apart from arrival-only fields
    a, b = staff_view(api, "EXO-1"), staff_view(api, "EXO-2")
    assert a["status"] == "concluded" and a["due"] == "2012-06-13"
    assert [t["type"] for t in b["timeline"]] == [e["type"] for e in shuffled]
    assert comparable(a, "EXO-1") == comparable(b, "EXO-2")


def test_more_than_500_events_is_400_and_stores_nothing(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given 501 events
    evs = [event("EXB-1", XK, "step", "2012-06-05T10:00:00+08:00", {"step_code": "1"}, event_id=f"EXB-1-{i}")
           for i in range(501)]
    # When they are sent in one request, then it is 400 naming the events field and nothing is stored
    r = api.post_events(dept, evs)
    assert r.status_code == 400
    assert "events" in {d["field"] for d in r.json()["error"]["details"]}
    assert api.post_events(dept, []).status_code == 400
    settle()
    assert _not_stored(api, "EXB-1")


def test_a_case_with_hundreds_of_events_in_one_batch_is_stored_whole(api: Api, dept: DeptCreds,
                                                                      settle: Any) -> None:
    # Given 450 events of one case in one request (more than one transaction can hold)
    case_no = "EXL-1"
    evs = [event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON})] + [
        event(case_no, XK, "step", f"2012-06-05T{10 + i // 60:02d}:{i % 60:02d}:00+08:00", {"step_code": "1"},
              event_id=f"{case_no}-s{i}")
        for i in range(449)]
    # Then every event is stored, and sending it again reports every one a duplicate
    assert set(statuses(api.post_events(dept, evs))) == {"stored"}
    assert set(statuses(api.post_events(dept, evs))) == {"duplicate"}
    settle()
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert (report["ok"], report["length"]) == (True, 450)


def test_concurrent_deliveries_store_each_event_exactly_once(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a batch of 40 events of one case
    case_no = "EXC-1"
    evs = [event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON})] + [
        event(case_no, XK, "step", f"2012-06-05T10:{i:02d}:00+08:00", {"step_code": "1"},
              event_id=f"{case_no}-s{i}")
        for i in range(39)]
    results: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def deliver() -> None:
        client = Api(api.base, api.admin_token)
        start.wait()
        try:
            results.append(statuses(client.post_events(dept, evs)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    # When three deliveries of the same batch race each other
    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors and len(results) == 3
    # Then every event was stored by exactly one delivery and reported duplicate by the others
    for i in range(len(evs)):
        assert sorted(r[i] for r in results) == ["duplicate", "duplicate", "stored"]
    settle()
    # And the case has 40 events in an intact 40-link chain
    assert staff_view(api, case_no)["event_count"] == 40
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert (report["ok"], report["length"]) == (True, 40)


def test_concurrent_deliveries_of_a_many_case_batch_store_each_event_once(api: Api, dept: DeptCreds,
                                                                          settle: Any) -> None:
    # Given a batch of six whole stories (several cases share one transaction on the write path)
    cases = [f"EXCM-{i}" for i in range(6)]
    evs = [e for c in cases for e in licence_story(c)]
    results: list[list[str]] = []
    start = threading.Barrier(3)

    def deliver() -> None:
        client = Api(api.base, api.admin_token)
        start.wait()
        results.append(statuses(client.post_events(dept, evs)))

    # When three deliveries of it race each other
    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 3
    # Then each event was stored exactly once, and every case's chain is whole
    for i in range(len(evs)):
        assert sorted(r[i] for r in results) == ["duplicate", "duplicate", "stored"], evs[i]["event_id"]
    settle()
    for case_no in cases:
        report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
        assert (report["ok"], report["length"]) == (True, len(licence_story(case_no))), case_no


# ----- tamper evidence -----------------------------------------------------------------------------

def test_editing_a_stored_record_breaks_the_chain_at_that_record(api: Api, dept: DeptCreds, local_stack: Any,
                                                                 settle: Any) -> None:
    # Given a stored case whose chain verifies
    case_no = "EXH-1"
    assert set(statuses(api.post_events(dept, licence_story(case_no)[:4]))) == {"stored"}
    settle()
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert (report["ok"], report["length"], report["first_broken_seq"]) == (True, 4, None)
    # When someone edits the second record directly in the database
    ddb = boto3.client("dynamodb", endpoint_url=local_stack.aws_url, region_name="us-east-1")
    key = {"pk": {"S": f"CASE#{case_no}"}, "sk": {"S": "LOG#00000002"}}
    stored = ddb.get_item(TableName="sunlit-local-events", Key=key)["Item"]
    body = json.loads(stored["body"]["S"])
    body["occurred_at"] = "2012-06-01T10:30:00+08:00"
    ddb.update_item(TableName="sunlit-local-events", Key=key, UpdateExpression="SET body = :b",
                    ExpressionAttributeValues={":b": {"S": json.dumps(body, ensure_ascii=False)}})
    settle()
    # Then verification names record 2 as the first broken link
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert report["ok"] is False
    assert report["first_broken_seq"] == 2
    assert report["reason"]


def test_verify_is_scoped_like_the_case(api: Api, dept: DeptCreds, other: DeptCreds, settle: Any) -> None:
    # Given a case of department 670
    assert statuses(api.post_events(dept, licence_story("EXH-2")[:1])) == ["stored"]
    settle()
    # Then a handler of department 671 may neither read nor verify it, and an unknown case is 404
    token = api.user("exc-handler-671", ["handler"], "671")
    assert api.get("/staff/cases/EXH-2", token=token).status_code == 403
    assert api.get("/staff/cases/EXH-2/verify", token=token).status_code == 403
    assert api.get("/staff/cases/EXH-NONE/verify", token=api.reader).status_code == 404


def test_deleting_the_last_records_is_detected(api: Api, dept: DeptCreds, local_stack: Any, settle: Any) -> None:
    # Given a stored case of five events
    case_no = "EXH-3"
    assert set(statuses(api.post_events(dept, licence_story(case_no)[:5]))) == {"stored"}
    settle()
    # When someone deletes its last two records directly in the database
    ddb = boto3.client("dynamodb", endpoint_url=local_stack.aws_url, region_name="us-east-1")
    for seq in (4, 5):
        ddb.delete_item(TableName="sunlit-local-events",
                        Key={"pk": {"S": f"CASE#{case_no}"}, "sk": {"S": f"LOG#{seq:08d}"}})
    # Then the remaining, internally intact chain still fails verification at the first missing record
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert (report["ok"], report["length"], report["first_broken_seq"]) == (False, 3, 4)
    assert "缺失" in report["reason"]


def test_a_log_without_a_head_record_is_continued_not_restarted(api: Api, dept: DeptCreds, local_stack: Any,
                                                                settle: Any) -> None:
    # Given a case stored before the log kept a HEAD record (simulated by removing it)
    case_no = "EXH-4"
    story = licence_story(case_no)
    assert set(statuses(api.post_events(dept, story[:3]))) == {"stored"}
    ddb = boto3.client("dynamodb", endpoint_url=local_stack.aws_url, region_name="us-east-1")
    ddb.delete_item(TableName="sunlit-local-events", Key={"pk": {"S": f"CASE#{case_no}"}, "sk": {"S": "HEAD"}})
    # When the department sends the rest of the story
    assert set(statuses(api.post_events(dept, story[3:]))) == {"stored"}
    settle()
    # Then the new records continue the same chain
    report = api.get(f"/staff/cases/{case_no}/verify", token=api.reader).json()
    assert (report["ok"], report["length"]) == (True, len(story))
    assert staff_view(api, case_no)["status"] == "concluded"
