"""Integrity-risk points (廉政风险点) through the API: a late step's signal names the risk point of that
step and its level, the statistics count signals by risk level per department and region, and a
county's supervision bureau sees only its county (docs/DOMAIN.md §3.6, docs/CONTRACT.md §2 v2, §6).

Department codes 955–959 belong to this module (955 in 新沂市 320381, 956 in 邳州市 320382). Cases live
in May 2011 and are all concluded and delivered, so no later sweep of another module adds to them.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

XINYI, PIZHOU, CITY = "320381", "320382", "320300"
PERIOD = "2011-05"

#: The item's internal flow (承办 2, 审核 1, 批准 1 working days) and a risk point on each step.
RISKS = [
    {"step_code": "1", "description": "承办环节：对符合条件的申请故意刁难、拖延受理", "level": 3,
     "controls": ["一次性告知需补正的全部材料", "电子监察时限预警"], "responsible_role": "窗口受理岗"},
    {"step_code": "1", "description": "承办环节：对符合条件的申请不予受理", "level": 2,
     "controls": ["不予受理须书面说明理由"], "linked_rule_ids": "R7"},
    {"step_code": "2", "description": "审核环节：擅自增设审查条件，审查把关不严", "level": 2,
     "controls": ["审查标准网上公开", "审查意见全程留痕"], "responsible_role": "业务科室负责人"},
    {"step_code": "3", "description": "批准环节：违规审批、以权谋私", "level": 1,
     "controls": ["重大事项集体研究决定", "审批结果网上公示"], "linked_rule_ids": ["R4", "R2", "r3"]},
]


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    legal = api.user("risk-legal", ["legal"])
    xinyi = api.department("955", "新沂市测试局", region_code=XINYI, level="county")
    pizhou = api.department("956", "邳州市测试局", region_code=PIZHOU, level="county")
    for dept in (xinyi, pizhou):
        api.declare_and_confirm(license_item(dept.code, "001", region=dept.region_code, risk_points=RISKS), legal)
    users = {"sup@xinyi": api.user("risk-sup-xinyi", ["supervisor"], region_code=XINYI),
             "sup@city": api.user("risk-sup-city", ["supervisor"], region_code=CITY),
             "head@955": api.user("risk-head-955", ["dept_head"], dept_code="955")}
    # 955-A: 审核 (1 working day from 05-10, due 05-11) done 05-13 → R4 on step 2
    run(api, xinyi, "RISK-955-A", step1="05-10", step2="05-13", step3="05-16")
    # 955-B: 批准 (1 working day from 05-11, due 05-12) done 05-13 → R4 on step 3
    run(api, xinyi, "RISK-955-B", step1="05-10", step2="05-11", step3="05-13")
    # 956-C: 承办 (2 working days from 05-09, due 05-11) done 05-12 → R4 on step 1
    run(api, pizhou, "RISK-956-C", step1="05-12", step2="05-13", step3="05-16")
    assert local_stack.wait_idle(60)
    return {"users": users, "legal": legal}


def run(api: Api, dept: DeptCreds, case_no: str, *, step1: str, step2: str, step3: str) -> None:
    code = f"{dept.region_code}{dept.code}XK00100"
    at = lambda day: f"2011-{day}T10:00:00+08:00"  # noqa: E731
    events = [
        event(case_no, code, "accepted", "2011-05-09T09:30:00+08:00", {"status": "accepted", "query_password": "pw-rp-1"}),
        *(event(case_no, code, "step", at(day), {"step_code": step}, event_id=f"{case_no}-s{step}")
          for step, day in (("1", step1), ("2", step2), ("3", step3))),
        event(case_no, code, "concluded", at(step3), {"result_code": 0, "cert_no": f"{case_no}-cert"}),
        event(case_no, code, "delivered", at(step3), {"mode": "window"}),
    ]
    r = api.post_events(dept, events)
    assert r.status_code == 200, r.text
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text


def signal_of(api: Api, token: str, case_no: str, rule: str = "R4") -> dict[str, Any]:
    r = api.get("/supervision/signals", token=token, case_no=case_no)
    assert r.status_code == 200, r.text
    found = [s for s in r.json()["items"] if s["rule"] == rule]
    assert len(found) == 1, r.text
    return found[0]


def test_a_late_steps_signal_names_its_risk_point_level_and_controls(api: Api, world: dict[str, Any]) -> None:
    sup = world["users"]["sup@xinyi"]
    # Given 审核 finished two days late: the R4 signal concerns step 2 and names its risk point
    r4 = signal_of(api, sup, "RISK-955-A")
    assert r4["step_code"] == "2" and r4["risk_level"] == 2
    (point,) = r4["risk_points"]
    assert point["description"] == "审核环节：擅自增设审查条件，审查把关不严"
    assert (point["level"], point["level_name"], point["step_name"]) == (2, "二级（中）", "审核")
    assert point["controls"] == ["审查标准网上公开", "审查意见全程留痕"]
    # A late 批准 names the first-level risk point linked to R4 on that step
    r4 = signal_of(api, sup, "RISK-955-B")
    assert [p["description"] for p in r4["risk_points"]] == ["批准环节：违规审批、以权谋私"]
    assert r4["risk_level"] == 1
    # A late 承办 names the unlinked 故意刁难 point, not the one only R7 names
    r4 = signal_of(api, world["users"]["sup@city"], "RISK-956-C")
    assert [p["level"] for p in r4["risk_points"]] == [3] and "故意刁难" in r4["risk_points"][0]["description"]
    # The department reads what its signal names too
    assert signal_of(api, world["users"]["head@955"], "RISK-955-A")["risk_points"][0]["level"] == 2


def test_signals_filter_by_the_risk_level_they_name(api: Api, world: dict[str, Any]) -> None:
    sup = world["users"]["sup@xinyi"]
    high = api.get("/supervision/signals", token=sup, dept_code="955", risk_level="1", limit=500).json()["items"]
    assert {s["case_no"] for s in high} == {"RISK-955-B"}
    medium = api.get("/supervision/signals", token=sup, dept_code="955", risk_level="2", limit=500).json()["items"]
    assert {s["case_no"] for s in medium} == {"RISK-955-A"}
    assert api.get("/supervision/signals", token=sup, risk_level="4").status_code == 400


def test_statistics_count_signals_by_risk_level_per_department_and_region(api: Api, world: dict[str, Any]) -> None:
    city = api.get("/supervision/statistics/risk", token=world["users"]["sup@city"], period=PERIOD)
    assert city.status_code == 200, city.text
    body = city.json()
    depts = {d["dept_code"]: d for d in body["items"]}
    # 955: one signal naming a 一级 point (批准), one naming a 二级 point (审核); 956: one 三级 (承办)
    assert depts["955"]["by_risk_level"] == {"1": 1, "2": 1, "3": 0, "none": 0}
    assert depts["955"]["signals"] == 2 and depts["955"]["high_risk_rate"] == 0.5
    assert depts["956"]["by_risk_level"] == {"1": 0, "2": 0, "3": 1, "none": 0}
    regions = {r["region_code"]: r for r in body["regions"]}
    assert regions[XINYI]["by_risk_level"] == depts["955"]["by_risk_level"]
    assert regions[PIZHOU]["by_risk_level"]["3"] == 1
    # the city rolls up its own departments and every county's
    assert regions[CITY]["by_risk_level"]["1"] >= 1 and regions[CITY]["by_risk_level"]["3"] >= 1
    assert regions[CITY]["signals"] == sum(d["signals"] for d in body["items"]
                                           if str(d.get("region_code", "")).startswith("3203"))
    assert body["levels"]["1"] == "一级（高）"


def test_a_county_supervisor_sees_only_its_county_in_the_risk_statistics(api: Api, world: dict[str, Any]) -> None:
    sup = world["users"]["sup@xinyi"]
    county = api.get("/supervision/statistics/risk", token=sup, period=PERIOD).json()
    # Other modules may own departments in 新沂 too (without signals in this module's period): this
    # module's department is there with its counts, the other county's is not.
    depts = {d["dept_code"]: d for d in county["items"]}
    assert "955" in depts and "956" not in depts
    assert depts["955"]["by_risk_level"] == {"1": 1, "2": 1, "3": 0, "none": 0}
    assert [r["region_code"] for r in county["regions"]] == [XINYI]
    assert county["totals"]["by_risk_level"] == {"1": 1, "2": 1, "3": 0, "none": 0}
    # another county's department is refused by name; a department head sees its own department only
    assert api.get("/supervision/statistics/risk", token=sup, period=PERIOD, dept_code="956").status_code == 403
    own = api.get("/supervision/statistics/risk", token=world["users"]["head@955"], period=PERIOD).json()
    assert [d["dept_code"] for d in own["items"]] == ["955"] and own["regions"] == []
    # and a malformed period is a 400 naming the field
    bad = api.get("/supervision/statistics/risk", token=sup, period="2011-13")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "period"


def test_the_hall_publishes_each_items_risk_points_and_controls(api: Api, world: dict[str, Any]) -> None:
    item = api.get("/catalog/items/320381955XK00100").json()
    points = {p["description"]: p for p in item["risk_points"]}
    assert points["批准环节：违规审批、以权谋私"]["level"] == 1
    assert points["批准环节：违规审批、以权谋私"]["linked_rule_ids"] == ["R4", "R2", "R3"]
    assert points["审核环节：擅自增设审查条件，审查把关不严"]["controls"] == ["审查标准网上公开", "审查意见全程留痕"]
