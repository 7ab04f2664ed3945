"""Case ownership (办件归属, docs/CONTRACT.md §2 v2): a case belongs to the department that first
reported it. A request that touches another department's case is refused whole (403) and nothing of
it is stored — decided inside the conditional write of the case's HEAD record, so two departments
racing for one new case number cannot both win. Native runs and the admin import obey the same rule.

Department codes 830–839 belong to this module (A = 830, B = 831).
"""
from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

XK_A = "320300830XK00100"
XK_B = "320300831XK00100"
PERSON = {"type": "person", "name": "张三", "id_type": "身份证", "id_no": "320311198001011234",
          "phone": "13912345678"}


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("own-legal", ["legal"])


@pytest.fixture(scope="module")
def dept_a(api: Api, legal: str) -> DeptCreds:
    creds = api.department("830", "测试生态环境局830")
    api.declare_and_confirm(license_item("830", "001"), legal)
    return creds


@pytest.fixture(scope="module")
def dept_b(api: Api, legal: str) -> DeptCreds:
    creds = api.department("831", "测试住房和城乡建设局831")
    api.declare_and_confirm(license_item("831", "001"), legal)
    return creds


def story(case_no: str, code: str, password: str = "pw1234") -> list[dict[str, Any]]:
    return [
        event(case_no, code, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
        event(case_no, code, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": password}),
    ]


def log_length(api: Api, case_no: str) -> int:
    """How many records the case's append-only log holds (0: no case at all)."""
    r = api.get(f"/staff/cases/{case_no}/verify", token=api.reader)
    if r.status_code == 404:
        return 0
    assert r.status_code == 200, r.text
    return int(r.json()["length"])


def staff_view(api: Api, case_no: str) -> dict[str, Any]:
    r = api.get(f"/staff/cases/{case_no}", token=api.reader)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def assert_forbidden(r: requests.Response, case_no: str) -> None:
    assert r.status_code == 403, r.text
    err = r.json()["error"]
    assert err["code"] == "FORBIDDEN"
    assert any("case_no" in d["field"] for d in err["details"]), err
    assert case_no in err["message"] + " ".join(d["message"] for d in err["details"])


def test_another_departments_key_cannot_append_to_a_case(api: Api, dept_a: DeptCreds, dept_b: DeptCreds,
                                                          settle: Any) -> None:
    # Given case OWN-1 reported by department A
    assert [x["status"] for x in api.post_events(dept_a, story("OWN-1", XK_A)).json()["results"]] == [
        "stored", "stored"]
    settle()
    before = staff_view(api, "OWN-1")
    # When department B sends, in one request, an event of its own new case and a conclusion of OWN-1
    r = api.post_events(dept_b, [
        *story("OWN-1B", XK_B),
        event("OWN-1", XK_B, "concluded", "2012-06-05T10:00:00+08:00",
              {"result_code": 0, "cert_no": "HIJACK"}, event_id="own-1-hijack"),
    ])
    # Then the whole request is refused, naming the case
    assert_forbidden(r, "OWN-1")
    settle()
    # And nothing of it was stored: A's case is unchanged and B's own new case does not exist
    after = staff_view(api, "OWN-1")
    assert (after["item_code"], after["status"], after["event_count"]) == (
        before["item_code"], before["status"], before["event_count"])
    assert log_length(api, "OWN-1") == 2
    assert log_length(api, "OWN-1B") == 0


def test_another_department_cannot_supersede_an_event_or_change_the_password(
        api: Api, dept_a: DeptCreds, dept_b: DeptCreds, settle: Any) -> None:
    # Given case OWN-2 of department A, queryable with A's password
    api.post_events(dept_a, story("OWN-2", XK_A, password="secret-a"))
    settle()
    # When department B re-sends A's acceptance with a higher data version and its own password
    hijack = event("OWN-2", XK_B, "accepted", "2012-06-04T09:30:00+08:00",
                   {"status": "accepted", "query_password": "secret-b"}, event_id="OWN-2-accepted", version=2)
    r = api.post_events(dept_b, [hijack])
    # Then it is refused and the case still answers A's password only
    assert_forbidden(r, "OWN-2")
    settle()
    assert api.get("/cases/OWN-2", password="secret-a").status_code == 200
    assert api.get("/cases/OWN-2", password="secret-b").status_code == 404
    assert log_length(api, "OWN-2") == 2


def test_the_owner_keeps_reporting_its_own_case(api: Api, dept_a: DeptCreds, settle: Any) -> None:
    api.post_events(dept_a, story("OWN-3", XK_A))
    r = api.post_events(dept_a, [event("OWN-3", XK_A, "concluded", "2012-06-05T10:00:00+08:00",
                                       {"result_code": 0, "cert_no": "C-1"})])
    assert [x["status"] for x in r.json()["results"]] == ["stored"]
    settle()
    assert staff_view(api, "OWN-3")["status"] == "concluded"


def _race(api: Api, deliveries: list[tuple[DeptCreds, list[dict[str, Any]]]]) -> list[requests.Response]:
    responses: list[requests.Response | None] = [None] * len(deliveries)
    start = threading.Barrier(len(deliveries))

    def deliver(i: int) -> None:
        client = Api(api.base, api.admin_token)
        dept, events = deliveries[i]
        start.wait()
        responses[i] = client.post_events(dept, events)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(deliveries))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None for r in responses)
    return [r for r in responses if r is not None]


def test_two_departments_racing_for_a_new_case_number_cannot_both_win(
        api: Api, dept_a: DeptCreds, dept_b: DeptCreds, settle: Any) -> None:
    for n in range(8):
        case_no = f"OWN-RACE-{n}"
        # When A and B report the same new case number at the same instant
        ra, rb = _race(api, [(dept_a, story(case_no, XK_A)), (dept_b, story(case_no, XK_B))])
        # Then exactly one wins; the other is refused whole
        assert sorted([ra.status_code, rb.status_code]) == [200, 403], (ra.text, rb.text)
        winner = XK_A if ra.status_code == 200 else XK_B
        assert [x["status"] for x in (ra if ra.status_code == 200 else rb).json()["results"]] == [
            "stored", "stored"]
        settle()
        # And the log holds the winner's two events only
        assert log_length(api, case_no) == 2
        assert staff_view(api, case_no)["item_code"] == winner


def test_a_many_case_batch_losing_one_race_stores_none_of_its_cases(
        api: Api, dept_a: DeptCreds, dept_b: DeptCreds, settle: Any) -> None:
    # Given B's batch of 40 new cases (more than one transaction's worth), the last of which A reports too
    cases = [f"OWN-BIG-{i}" for i in range(40)]
    big = [e for c in cases for e in story(c, XK_B)]
    for _round in range(3):
        contested = cases[-1]
        # When A reports the contested case at the same moment
        ra, rb = _race(api, [(dept_a, story(contested, XK_A)), (dept_b, big)])
        if ra.status_code == 200:
            # Then, A having won, B's whole batch is refused: none of its 40 cases exists
            assert rb.status_code == 403, rb.text
            settle()
            assert [log_length(api, c) for c in cases[:-1]] == [0] * 39
            assert staff_view(api, contested)["item_code"] == XK_A
            return
        # (B won this round: every case is B's; try again with fresh numbers)
        assert ra.status_code == 403, ra.text
        cases = [f"OWN-BIG-{_round + 1}-{i}" for i in range(40)]
        big = [e for c in cases for e in story(c, XK_B)]
    settle()
    # B won every round: still exactly one owner per case, and A stored nothing
    assert log_length(api, cases[-1]) == 0 or staff_view(api, cases[-1])["item_code"] == XK_B


def test_a_batch_naming_a_foreign_case_among_many_is_refused_before_anything_is_stored(
        api: Api, dept_a: DeptCreds, dept_b: DeptCreds, settle: Any) -> None:
    # Given A's case OWN-4
    api.post_events(dept_a, story("OWN-4", XK_A))
    settle()
    # When B sends 60 events of 30 new cases of its own plus one event of OWN-4 at the end
    cases = [f"OWN-4B-{i}" for i in range(30)]
    evs = [e for c in cases for e in story(c, XK_B)]
    evs.append(event("OWN-4", XK_B, "step", "2012-06-05T10:00:00+08:00", {"step_code": "1"},
                     event_id="own-4-step"))
    r = api.post_events(dept_b, evs)
    # Then nothing is stored
    assert_forbidden(r, "OWN-4")
    settle()
    assert [log_length(api, c) for c in cases] == [0] * 30
    assert log_length(api, "OWN-4") == 2


def test_the_admin_import_obeys_the_same_rule(api: Api, dept_a: DeptCreds, dept_b: DeptCreds,
                                              settle: Any) -> None:
    # Given A's case OWN-5
    api.post_events(dept_a, story("OWN-5", XK_A))
    settle()
    # When an administrator imports a historical event of B's item for OWN-5
    hist = event("OWN-5", XK_B, "concluded", "2012-06-05T10:00:00+08:00", {"result_code": 0},
                 event_id="own-5-import")
    hist["received_at"] = "2012-06-05T10:05:00+08:00"
    r = api.admin("POST", "/admin/import/events", {"events": [hist]})
    # Then it is refused and nothing is stored
    assert_forbidden(r, "OWN-5")
    settle()
    assert log_length(api, "OWN-5") == 2
    # And an import naming two departments' items for one new case is refused too
    mixed = [event("OWN-6", XK_A, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
             event("OWN-6", XK_B, "accepted", "2012-06-04T10:00:00+08:00", {"status": "accepted"})]
    for e in mixed:
        e["received_at"] = "2012-06-05T10:05:00+08:00"
    assert_forbidden(api.admin("POST", "/admin/import/events", {"events": mixed}), "OWN-6")
    assert log_length(api, "OWN-6") == 0


def test_a_natively_run_case_belongs_to_its_department(api: Api, dept_a: DeptCreds, dept_b: DeptCreds,
                                                       settle: Any) -> None:
    # Given an online application for A's item (run natively on the operation platform)
    r = api.post("/applications", {"item_code": XK_A, "applicant": PERSON, "materials": []})
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]
    settle()
    # When B's system sends an event for that case number
    r = api.post_events(dept_b, [event(case_no, XK_B, "concluded", "2012-06-05T10:00:00+08:00",
                                       {"result_code": 0}, event_id=f"{case_no}-hijack")])
    # Then it is refused and the case keeps its single submission
    assert_forbidden(r, case_no)
    settle()
    assert log_length(api, case_no) == 1
