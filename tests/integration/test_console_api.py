"""The read routes the staff console needs beyond the contract: the worklist's scope and kind, the
real-time board (实时监控) with its drill-down, enforcement officers and legal bases as lists.

Department codes 730–739 belong to this module. Lights are judged ``as_of`` a given instant.
"""
from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.client import Api
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

D, OTHER = "730", "731"
ITEM = f"320300{D}XK00100"


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    creds = api.department(D, "测试工作台部门730")
    api.department(OTHER, "测试工作台部门731")
    legal = api.user("con-legal", ["legal"])
    basis = [{"id": "CON-730-LAW-9", "title": "《测试条例》", "article": "第九条"}]
    api.declare_and_confirm(license_item(D, "001", legal_basis=basis), legal)
    tokens = {"handler": api.user("con-handler", ["handler"], D), "head": api.user("con-head", ["dept_head"], D),
              "other_head": api.user("con-other-head", ["dept_head"], OTHER), "supervisor": api.user("con-sup", ["supervisor"]),
              "legal": legal}
    # Three cases of the department's own system, accepted on 2012-06-04 with a 5-working-day promise (due 06-11)
    events = []
    for n in ("1", "2", "3"):
        case = f"CON-730-{n}"
        events += [event(case, ITEM, "submitted", "2012-06-01T10:00:00+08:00"),
                   event(case, ITEM, "accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted"})]
    events.append(event("CON-730-3", ITEM, "concluded", "2012-06-05T09:30:00+08:00", {"result_code": 0}))
    r = api.post_events(creds, events)
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    assert local_stack.wait_idle(60)
    return {"tokens": tokens, "creds": creds}


def test_the_board_counts_each_departments_open_cases_by_light(api: Api, world: dict[str, Any]) -> None:
    sup = world["tokens"]["supervisor"]
    # Given two open cases due 2012-06-11 and one concluded
    def row(as_of: str) -> dict[str, Any]:
        r = api.get("/supervision/board", token=sup, as_of=as_of)
        assert r.status_code == 200, r.text
        return next(x for x in r.json()["items"] if x["dept_code"] == D)

    # When the board is read well before, on the last working day before, and after the due date
    early, eve, late = row("2012-06-05T10:00:00+08:00"), row("2012-06-08T10:00:00+08:00"), row("2012-06-13T10:00:00+08:00")
    # Then the two open cases are green, then yellow (临期), then red; the concluded one never counts
    assert (early["open"], early["green"], early["yellow"], early["red"]) == (2, 2, 0, 0)
    assert (eve["open"], eve["yellow"]) == (2, 2)
    assert (late["open"], late["red"]) == (2, 2)
    assert row("2012-06-13T10:00:00+08:00")["dept_name"] == "测试工作台部门730"


def test_the_drill_down_lists_the_red_cases_most_overdue_first_and_only_for_those_who_may_see(
        api: Api, world: dict[str, Any]) -> None:
    t = world["tokens"]
    r = api.get(f"/supervision/board/{D}", token=t["supervisor"], as_of="2012-06-15T10:00:00+08:00", light="red")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["case_no"] for c in body["items"]] == ["CON-730-1", "CON-730-2"]
    assert all(c["colour"] == "red" and c["due"] == "2012-06-11" and c["overdue_working_days"] == 4 for c in body["items"])
    # The department's own head sees the same; another department's head does not; an unknown department is 404
    assert api.get(f"/supervision/board/{D}", token=t["head"], as_of="2012-06-15T10:00:00+08:00").json()["total"] == 2
    assert api.get(f"/supervision/board/{D}", token=t["other_head"]).status_code == 403
    assert api.get("/supervision/board/739", token=t["supervisor"]).status_code == 404
    # And the head's board shows only the head's department
    assert [x["dept_code"] for x in api.get("/supervision/board", token=t["head"]).json()["items"]] == [D]


def test_the_worklist_shows_my_tasks_or_the_whole_departments_and_one_kind(api: Api, world: dict[str, Any]) -> None:
    t = world["tokens"]
    # Given an online application waiting for acceptance (a handler's task)
    r = api.post("/applications", {"item_code": ITEM, "applicant": {"type": "person", "name": "张三"}, "materials": []})
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]

    def cases(token: str, **params: str) -> list[str]:
        got = api.get("/worklist", token=token, **params)
        assert got.status_code == 200, got.text
        return [x["case_no"] for x in got.json()["items"]]

    deadline = time.monotonic() + 45
    while case_no not in cases(t["handler"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    # Then it is the handler's; the head sees it only in the department's list, with its role
    assert case_no in cases(t["handler"])
    assert case_no not in cases(t["head"])
    dept = api.get("/worklist", token=t["head"], scope="dept").json()
    assert case_no in [x["case_no"] for x in dept["items"]] and dept["scope"] == "dept"
    assert next(x for x in dept["items"] if x["case_no"] == case_no)["role"] == "handler"
    # And filtering by kind keeps acceptances, not review steps
    assert case_no in cases(t["handler"], kind="accept")
    assert case_no not in cases(t["handler"], kind="step")
    assert api.get("/worklist", token=t["handler"], scope="everyone").status_code == 400


def test_officers_are_listed_with_their_certificate_status_expiring_first(api: Api, world: dict[str, Any]) -> None:
    t = world["tokens"]
    for oid, valid_to in (("CON730A", "2012-12-31"), ("CON730B", "2012-06-20"), ("CON730C", "2012-05-31")):
        r = api.post("/legal/officers", {"officer_id": oid, "name": f"执法员{oid[-1]}", "dept_code": D,
                                         "cert_no": f"苏{oid}", "valid_from": "2011-01-01", "valid_to": valid_to},
                     token=t["legal"])
        assert r.status_code == 201, r.text
    got = api.get("/legal/officers", token=t["legal"], dept_code=D, as_of="2012-06-10").json()["items"]
    assert {o["officer_id"]: o["status"] for o in got} == {"CON730A": "valid", "CON730B": "expiring", "CON730C": "expired"}
    soon = api.get("/legal/officers", token=t["legal"], dept_code=D, as_of="2012-06-10", expiring_within="30").json()["items"]
    assert [o["officer_id"] for o in soon] == ["CON730C", "CON730B"]
    # A department sees its own officers and no one else's
    assert {o["dept_code"] for o in api.get("/legal/officers", token=t["head"]).json()["items"]} == {D}
    assert api.get("/legal/officers", token=t["other_head"], dept_code=D).status_code == 403


def test_legal_bases_list_the_items_citing_them_and_their_repeal(api: Api, world: dict[str, Any]) -> None:
    legal = world["tokens"]["legal"]
    before = {b["id"]: b for b in api.get("/legal/bases", token=legal, q="CON-730-LAW-9").json()["items"]}
    assert ITEM in [i["code"] for i in before["CON-730-LAW-9"]["items"]]
    assert api.post("/legal/bases/CON-730-LAW-9/repeal", {"effective": "2099-01-01"}, token=legal).status_code == 200
    repealed = api.get("/legal/bases", token=legal, repealed="true").json()["items"]
    assert next(b for b in repealed if b["id"] == "CON-730-LAW-9")["repealed_on"] == "2099-01-01"
    assert api.get("/legal/bases", token=world["tokens"]["head"]).status_code == 403


def test_the_rule_parameters_say_what_they_mean_in_chinese_with_their_unit(api: Api, world: dict[str, Any]) -> None:
    # Given the rules page of the console, as the legal office reads it
    r = api.get("/admin/rules", token=world["tokens"]["legal"])
    assert r.status_code == 200, r.text
    body = r.json()
    # Then every parameter of the schedule is explained, with its unit and (for a choice) its options
    assert set(body["params"]) == set(body["config"])
    late = body["params"]["late_report_hours"]
    assert late["unit"] == "hour" and "R8" in late["description"] and "小时" in late["description"]
    assert body["params"]["r1_mode"]["choices"] == ["last_working_day", "ratio"]
