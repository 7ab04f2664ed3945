"""Spot checks (抽查, docs/DOMAIN.md §6.2 R7): the supervision bureau samples a department's decided cases and
reviews them; a confirmed wrongful rejection (违法不予受理) raises a red R7 signal.

Department codes 780–784 belong to this module.
"""
from __future__ import annotations

import random
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

DEPT = "780"
CODE = f"320300{DEPT}XK00100"
REJECTED_Q3 = [f"SPC-R{i}" for i in range(1, 5)]


def rejected(case_no: str, day: str) -> list[dict[str, Any]]:
    return [event(case_no, CODE, "submitted", f"{day}T09:00:00+08:00", {"applicant": {"type": "org", "name": "某公司"}}),
            event(case_no, CODE, "accepted", f"{day}T15:00:00+08:00",
                  {"status": "rejected", "reason": "申请材料不齐全"})]


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    """Four cases refused at intake in 2012Q3, one in Q4, one approved in Q3."""
    creds: DeptCreds = api.department(DEPT, "测试市场监督管理局780")
    api.declare_and_confirm(license_item(DEPT, "001"), api.user("spc-legal", ["legal"]))
    events = [e for i, c in enumerate(REJECTED_Q3) for e in rejected(c, f"2012-07-{10 + i:02d}")]
    events += rejected("SPC-Q4", "2012-10-09")
    events += [event("SPC-OK", CODE, "submitted", "2012-07-02T09:00:00+08:00", {"applicant": {"type": "org", "name": "某厂"}}),
               event("SPC-OK", CODE, "accepted", "2012-07-02T10:00:00+08:00", {"status": "accepted"}),
               event("SPC-OK", CODE, "concluded", "2012-07-05T10:00:00+08:00",
                     {"result_code": 0, "cert_name": "批复", "cert_no": "SPC-001"})]
    r = api.post_events(creds, events)
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    assert local_stack.wait_idle(60)
    return {"supervisor": api.user("spc-supervisor", ["supervisor"]),
            "handler": api.user("spc-handler", ["handler"], DEPT)}


def test_a_spot_check_samples_only_the_chosen_population_and_period(api: Api, world: dict[str, Any]) -> None:
    # When the supervision bureau draws 3 of the department's intake refusals of 2012Q3
    r = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012Q3", "size": 3},
                 token=world["supervisor"])
    assert r.status_code == 201, r.text
    check = r.json()
    # Then 3 distinct cases come from the four Q3 refusals (not Q4's, not the approved one)
    sampled = [c["case_no"] for c in check["cases"]]
    assert len(set(sampled)) == 3 and set(sampled) <= set(REJECTED_Q3)
    assert check["draw"]["eligible"] == 4 and check["status"] == "open"
    # And the draw can be re-done by anyone from the seed and the eligible cases
    assert sampled == random.Random(check["draw"]["seed"]).sample(sorted(REJECTED_Q3), 3)
    # And asking for more than exist samples all of them; an empty period is a named 400
    everything = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012-07", "size": 50},
                          token=world["supervisor"]).json()
    assert sorted(c["case_no"] for c in everything["cases"]) == REJECTED_Q3
    empty = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2011Q1"}, token=world["supervisor"])
    assert empty.status_code == 400 and empty.json()["error"]["details"][0]["field"] == "period"
    concluded = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012Q3", "population": "concluded"},
                         token=world["supervisor"]).json()
    assert [c["case_no"] for c in concluded["cases"]] == ["SPC-OK"]
    q4 = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012Q4"}, token=world["supervisor"]).json()
    assert [c["case_no"] for c in q4["cases"]] == ["SPC-Q4"]


def test_a_confirmed_wrongful_rejection_raises_red_r7_once(api: Api, world: dict[str, Any], settle: Any) -> None:
    sup = world["supervisor"]
    check = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012Q3", "size": 2}, token=sup).json()
    no = check["spot_check_no"]
    first, second = (c["case_no"] for c in check["cases"])
    # When the reviewer finds the first refusal wrongful and the second in order
    r = api.post(f"/supervision/spot-checks/{no}/reviews",
                 {"case_no": first, "finding": "wrongful_rejection", "note": "申请材料齐全，符合法定形式"}, token=sup)
    assert r.status_code == 200, r.text
    signal_id = next(c for c in r.json()["cases"] if c["case_no"] == first)["review"]["signal_id"]
    done = api.post(f"/supervision/spot-checks/{no}/reviews",
                    {"case_no": second, "finding": "compliant", "note": "材料确不齐全"}, token=sup)
    # Then the check is completed and a red R7 signal names the first case and the spot check
    assert done.json()["status"] == "completed"
    settle()
    signals = api.get("/supervision/signals", token=sup, case_no=first, rule="R7").json()["items"]
    assert [(s["signal_id"], s["level"], s["dept_code"]) for s in signals] == [(signal_id, "red", DEPT)]
    assert no in signals[0]["message"]
    assert api.get("/supervision/signals", token=sup, case_no=second, rule="R7").json()["items"] == []
    # And repeating the same conclusion is harmless (one signal), while changing it is a conflict
    repeat = api.post(f"/supervision/spot-checks/{no}/reviews",
                      {"case_no": first, "finding": "wrongful_rejection", "note": "申请材料齐全，符合法定形式"}, token=sup)
    assert repeat.status_code == 200
    settle()
    assert len(api.get("/supervision/signals", token=sup, case_no=first, rule="R7").json()["items"]) == 1
    again = api.post(f"/supervision/spot-checks/{no}/reviews",
                     {"case_no": first, "finding": "compliant", "note": "改判"}, token=sup)
    assert again.status_code == 409
    outside = next(c for c in REJECTED_Q3 if c not in (first, second))
    stray = api.post(f"/supervision/spot-checks/{no}/reviews",
                     {"case_no": outside, "finding": "compliant", "note": "无问题"}, token=sup)
    assert stray.status_code == 400 and stray.json()["error"]["details"][0]["field"] == "case_no"
    # And the list shows the tally
    listed = api.get("/supervision/spot-checks", token=sup, dept_code=DEPT).json()["items"]
    mine = next(x for x in listed if x["spot_check_no"] == no)
    assert (mine["sampled"], mine["reviewed"], mine["wrongful_rejections"]) == (2, 2, 1)


def test_an_approved_case_cannot_be_a_wrongful_rejection(api: Api, world: dict[str, Any]) -> None:
    sup = world["supervisor"]
    check = api.post("/supervision/spot-checks", {"dept_code": DEPT, "period": "2012Q3", "population": "concluded"},
                     token=sup).json()
    r = api.post(f"/supervision/spot-checks/{check['spot_check_no']}/reviews",
                 {"case_no": "SPC-OK", "finding": "wrongful_rejection", "note": "误选"}, token=sup)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "finding"


def test_only_the_supervision_bureau_runs_spot_checks(api: Api, world: dict[str, Any]) -> None:
    body = {"dept_code": DEPT, "period": "2012Q3"}
    assert api.post("/supervision/spot-checks", body, token=world["handler"]).status_code == 403
    assert api.post("/supervision/spot-checks", body).status_code == 401
    assert api.get("/supervision/spot-checks", token=world["handler"]).status_code == 403
    assert api.get("/supervision/spot-checks/SPC-NONE", token=world["supervisor"]).status_code == 404
