"""A year without an official holiday schedule (docs/CONTRACT.md §3, docs/DOMAIN.md defaults): the bundled
calendar stops at 2026, so deadlines in a later year count Monday–Friday only. The platform says so —
``/health`` is ``degraded`` with the reason, staff views and the hall carry a warning — and when the
schedule is saved (``PUT /admin/calendar/{year}``) every case it affects gets its deadlines
recomputed and its signals re-evaluated: signals of a deadline that no longer exists are withdrawn,
new ones raised.

The bundled calendar also knows nothing before 2004, so these tests use 2003 (a past year that no
other module sweeps). The holidays below are a test fixture, not a claim about 2003's schedule.
Department codes 865–869 belong to this module.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

DEPT = "865"
XK = f"320300{DEPT}XK00100"
ORG = {"type": "org", "name": "徐州某机械有限公司"}
FIXTURE_2003 = {"holidays": ["2003-01-01", "2003-01-02", "2003-01-03"], "workdays": []}


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    def settle() -> None:
        assert local_stack.wait_idle(60)

    dept: DeptCreds = api.department(DEPT, "测试交通运输局865")
    legal = api.user("cal-legal", ["legal"])
    api.declare_and_confirm(license_item(DEPT, "001"), legal, effective_from="2002-01-01")
    # Two cases accepted Tue 2002-12-31 with 5 working days promised: one still open, one concluded
    # Wed 2003-01-08 (late by Monday–Friday counting, on time once New Year's holidays are known)
    events = []
    for case_no in ("CAL-OPEN", "CAL-DONE"):
        events += [event(case_no, XK, "submitted", "2002-12-26T10:00:00+08:00", {"applicant": ORG}),
                   event(case_no, XK, "accepted", "2002-12-31T09:30:00+08:00",
                         {"status": "accepted", "query_password": f"pw-{case_no}"})]
    events.append(event("CAL-DONE", XK, "concluded", "2003-01-08T15:00:00+08:00",
                        {"result_code": 0, "cert_no": "CAL-1"}))
    r = api.post_events(dept, events)
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    settle()
    supervisor = api.user("cal-sup", ["supervisor"])
    api.post("/supervision/sweep", {"as_of": "2003-01-08T09:00:00+08:00"}, token=supervisor)
    settle()
    return {"dept": dept, "sup": supervisor}


def signals(api: Api, token: str, case_no: str) -> list[dict[str, Any]]:
    r = api.get("/supervision/signals", token=token, case_no=case_no)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_a_year_without_a_schedule_is_reported_and_warned_about(api: Api, world: dict[str, Any]) -> None:
    # Given 2003 has no official schedule: deadlines count Monday–Friday (due Tue 2003-01-07)
    staff = api.get("/staff/cases/CAL-OPEN", token=api.reader).json()
    assert staff["due"] == "2003-01-07" and staff["due_derivation"]["source"] == "weekends-only"
    # Then health is degraded in a year the calendar does not know, with the reason
    health = api.get("/health", as_of="2003-01-08T09:00:00+08:00")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded"
    assert any("2003" in reason for reason in body["reasons"])
    # (and exactly ok in a year it knows, the next one known too)
    assert api.get("/health", as_of="2012-06-01T09:00:00+08:00").json() == {"status": "ok"}
    # And the calendar's own status names both years
    cal = api.get("/calendar/status", as_of="2002-12-31T09:00:00+08:00").json()
    assert cal["years"] == {"2002": "weekends-only", "2003": "weekends-only"} and cal["warnings"]
    # And the staff view and the public query both warn that the deadline is provisional
    assert any("2003" in w and "周一至周五" in w for w in staff["warnings"])
    public = api.get("/cases/CAL-OPEN", password="pw-CAL-OPEN").json()
    assert any("2003" in w for w in public["warnings"])
    assert "warnings" not in api.get("/calendar/deadline", **{"from": "2012-06-01", "working_days": 5}).json() or \
        not api.get("/calendar/deadline", **{"from": "2012-06-01", "working_days": 5}).json()["warnings"]
    assert api.get("/calendar/deadline", **{"from": "2002-12-31", "working_days": 5}).json()["warnings"]


def test_saving_the_schedule_recomputes_affected_cases_and_their_signals(api: Api, world: dict[str, Any],
                                                                          settle: Any) -> None:
    sup = world["sup"]
    # Given the open case is red R2 (overdue since the Monday–Friday due 2003-01-07) and the concluded
    # one was red R2 for concluding after it
    before_open = {s["rule"]: s for s in signals(api, sup, "CAL-OPEN") if s["status"] == "open"}
    before_done = {s["rule"]: s for s in signals(api, sup, "CAL-DONE") if s["status"] == "open"}
    assert "2003-01-07" in before_open["R2"]["message"] and "2003-01-07" in before_done["R2"]["message"]
    on_time_before = next(r for r in api.get("/stats/departments", period="2003").json()["items"]
                          if r["dept_code"] == DEPT)["on_time"]
    # When the administrator saves 2003's schedule (New Year's Day holidays 01-01 to 01-03)
    r = api.admin("PUT", "/admin/calendar/2003", FIXTURE_2003)
    assert r.status_code == 200, r.text
    report = r.json()["recomputed"]
    assert {"CAL-OPEN", "CAL-DONE"} <= set(report["changed"])
    settle()
    # Then the stored deadlines moved: due Fri 2003-01-10, no longer provisional
    staff = api.get("/staff/cases/CAL-OPEN", token=api.reader).json()
    assert staff["due"] == "2003-01-10" and staff["due_derivation"]["source"] == "override"
    assert not staff.get("warnings")
    # And the R2 of the old deadline is withdrawn on both; the open case, overdue still, has a new R2
    open_now = signals(api, sup, "CAL-OPEN")
    old = next(s for s in open_now if s["signal_id"] == before_open["R2"]["signal_id"])
    assert (old["status"], old["disposition"]) == ("closed", "withdrawn")
    new = [s for s in open_now if s["rule"] == "R2" and s["status"] == "open"]
    assert len(new) == 1 and "2003-01-10" in new[0]["message"]
    done_now = {s["signal_id"]: s for s in signals(api, sup, "CAL-DONE")}
    assert done_now[before_done["R2"]["signal_id"]]["disposition"] == "withdrawn"
    assert not [s for s in done_now.values() if s["rule"] == "R2" and s["status"] == "open"]
    # And the concluded case now counts as on time
    on_time_after = next(r for r in api.get("/stats/departments", period="2003").json()["items"]
                         if r["dept_code"] == DEPT)["on_time"]
    assert on_time_after == on_time_before + 1
    # And health is ok for that year now
    assert api.get("/health", as_of="2003-01-08T09:00:00+08:00").json()["status"] == "ok"
