"""Service points (基层延伸, docs/CONTRACT.md §11, docs/DOMAIN.md §11) through the API: the system
administrator registers 便民服务中心 and 代办点; the hall lists the points that take an item nearest
first; departments report the channel and the point on their cases (in their own words, an unknown
point kept); the hall's applications name a point; staff read statistics per point in their scope.

Department codes 945–949 belong to this module (945 睢宁县, 946 新沂市: counties the region-scope matrix
does not use, so its counties keep only their own departments; test_risk_points_api has 955 in 新沂 too,
and neither module assumes the county holds only its own departments); its cases fall in May 2013.
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Api
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

FENG, PEI, CITY = "320324", "320381", "320300"  # 睢宁县 (FENG: the home county), 新沂市
ITEM = f"{FENG}945XK00100"
PEI_ITEM = f"{PEI}946XK00100"
HUANKOU, WANGZHUANG, FENGCHENG, PEICHENG = (33.8140, 117.7710), (33.8190, 117.7800), (33.9120, 117.9420), (34.3730, 118.3500)
PASSWORD = "Sp-945-pw"


def point(code: str, name: str, at: tuple[float, float], **over: Any) -> dict[str, Any]:
    return {"code": code, "name": name, "kind": "center", "region_code": FENG, "county": "睢宁县", "township": "双沟镇",
            "township_code": "320324104", "address": "睢宁县双沟镇人民政府一楼", "phone": "0516-89210000",
            "hours": "周一至周五 8:30-12:00 14:00-17:30", "location": {"lat": at[0], "lon": at[1]},
            "dept_codes": ["945"], **over}


POINTS = [
    point("SP945-HK", "睢宁县双沟镇便民服务中心", HUANKOU),
    point("SP945-WZ", "双沟镇东街社区代办点", WANGZHUANG, kind="agency", village="东街社区", address="东街社区服务站"),
    point("SP945-FC", "睢宁县睢城街道便民服务中心", FENGCHENG, township="睢城街道", township_code="320324001",
          address="睢宁县睢城街道办事处"),
    point("SP946-PC", "新沂市新安街道便民服务中心", PEICHENG, region_code=PEI, county="新沂市", township="新安街道",
          township_code="320381001", address="新沂市新安街道办事处", dept_codes=["946"]),
]


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    feng = api.department("945", "睢宁县测试局945", FENG, "county")
    pei = api.department("946", "新沂市测试局946", PEI, "county")
    users = {"handler": api.user("sp-handler-945", ["handler"], "945"),
             "handler@pei": api.user("sp-handler-946", ["handler"], "946"),
             "sup@feng": api.user("sp-sup-suining", ["supervisor"], region_code=FENG),
             "sup@pei": api.user("sp-sup-xinyi", ["supervisor"], region_code=PEI),
             "sup@city": api.user("sp-sup-city", ["supervisor"], region_code=CITY),
             "legal@feng": api.user("sp-legal-suining", ["legal"], region_code=FENG),
             "legal@pei": api.user("sp-legal-xinyi", ["legal"], region_code=PEI)}
    api.declare_and_confirm(license_item("945", "001", FENG), users["legal@feng"])
    api.declare_and_confirm(license_item("946", "001", PEI), users["legal@pei"])
    for p in POINTS:
        r = api.admin("POST", "/admin/service-points", p)
        assert r.status_code == 201, r.text
    # 睢宁县's department reports three May 2013 cases in its own words: one through 东街社区's 代办点 (on time),
    # one at 双沟's 便民服务中心 (late), one naming a point nobody registered
    r = api.post_events(feng, [
        event("SP945-0001", ITEM, "submitted", "2013-05-06T09:00:00+08:00",
              {"channel": "代办点", "service_point": "sp945-wz", "applicant": {"type": "person", "name": "张三"}}),
        event("SP945-0001", ITEM, "accepted", "2013-05-06T15:00:00+08:00",
              {"status": "accepted", "query_password": PASSWORD}),
        event("SP945-0001", ITEM, "concluded", "2013-05-08T10:00:00+08:00", {"result_code": 0, "cert_no": "睢945-1"}),
        event("SP945-0002", ITEM, "submitted", "2013-05-02T09:00:00+08:00",
              {"channel": "便民服务中心", "service_point": "SP945-HK", "applicant": {"type": "org", "name": "某厂"}}),
        event("SP945-0002", ITEM, "accepted", "2013-05-02T15:00:00+08:00", {"status": "accepted"}),
        event("SP945-0002", ITEM, "concluded", "2013-05-28T10:00:00+08:00", {"result_code": 0, "cert_no": "睢945-2"}),
        event("SP945-0003", ITEM, "submitted", "2013-05-10T09:00:00+08:00",
              {"channel": "自助终端机", "service_point": "XX-UNKNOWN-9"}),
    ])
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    # and 新沂市's one case at its own centre
    r = api.post_events(pei, [event("SP946-0001", PEI_ITEM, "submitted", "2013-05-06T09:00:00+08:00",
                                    {"channel": "window", "service_point": "SP946-PC"})])
    assert r.json()["results"][0]["status"] == "stored", r.text
    assert local_stack.wait_idle(60)
    return {"users": users}


def test_the_register_checks_what_an_administrator_enters(api: Api, world: dict[str, Any]) -> None:
    # A used code is a conflict; a city-level region, an 代办点 without its village and an unknown department
    # are refused naming each field
    assert api.admin("POST", "/admin/service-points", POINTS[0]).status_code == 409
    bad = point("SP945-BAD", "坏数据", HUANKOU, region_code=CITY)
    r = api.admin("POST", "/admin/service-points", bad)
    assert r.status_code == 400 and [d["field"] for d in r.json()["error"]["details"]] == ["region_code"]
    r = api.admin("POST", "/admin/service-points", point("SP945-BAD", "坏数据", HUANKOU, kind="agency",
                                                         dept_codes=["999"]))
    assert r.status_code == 400 and {d["field"] for d in r.json()["error"]["details"]} == {"village", "dept_codes"}
    # and only the system administrator registers: a department's handler is refused
    assert api.post("/admin/service-points", point("SP945-X", "某中心", HUANKOU),
                    token=world["users"]["handler"]).status_code == 403


def test_the_hall_lists_the_points_that_take_an_item_nearest_first(api: Api, world: dict[str, Any]) -> None:
    # Given a citizen standing in 东街社区
    r = api.get("/service-points", item_code="320321-945-XK-001-00", lat=WANGZHUANG[0] + 0.001, lon=WANGZHUANG[1])
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    # Then the community's 代办点 comes first, then 双沟's centre (~1 km), then 睢城 (~18 km); 新沂's does not take it
    assert [p["code"] for p in items] == ["SP945-WZ", "SP945-HK", "SP945-FC"]
    assert items[0]["distance_km"] < 0.2 and 0.5 < items[1]["distance_km"] < 1.5 and 15 < items[2]["distance_km"] < 21
    assert items[0]["kind_name"] == "代办点" and items[1]["address"] == "睢宁县双沟镇人民政府一楼"
    # A citizen who does not share a position chooses 睢城街道 instead: 睢城 first
    areas = {a["township"]: a for a in api.get("/service-points/areas").json()["items"]}
    assert areas["双沟镇"]["points"] == 2 and areas["睢城街道"]["county"] == "睢宁县"
    r = api.get("/service-points", item_code=ITEM, township_code=areas["睢城街道"]["township_code"])
    assert [p["code"] for p in r.json()["items"]][0] == "SP945-FC" and r.json()["items"][0]["distance_km"] == 0
    # Bad positions are named
    assert api.get("/service-points", item_code=ITEM, lat=34.9).json()["error"]["details"][0]["field"] == "lon"
    assert api.get("/service-points", township_code="999999999").status_code == 400
    assert api.get("/service-points", lat=95, lon=116).status_code == 400


def test_a_deactivated_point_leaves_the_hall_and_comes_back(api: Api, world: dict[str, Any]) -> None:
    r = api.admin("POST", "/admin/service-points/SP945-FC/deactivate", {"reason": "办公场所搬迁"})
    assert r.status_code == 200 and r.json()["active"] is False
    try:
        assert "SP945-FC" not in {p["code"] for p in api.get("/service-points", item_code=ITEM).json()["items"]}
        assert api.get("/service-points/SP945-FC").status_code == 404
        listed = api.get("/admin/service-points", token=world["users"]["handler"], include_inactive="true",
                         region_code=FENG).json()["items"]
        assert {p["code"]: p["deactivation_reason"] for p in listed}["SP945-FC"] == "办公场所搬迁"
    finally:
        assert api.admin("POST", "/admin/service-points/SP945-FC/activate").json()["active"] is True
    # and a replacement keeps the code: the new phone shows in the hall
    r = api.admin("PUT", "/admin/service-points/SP945-FC", {**POINTS[2], "phone": "0516-89219999"})
    assert r.status_code == 200, r.text
    assert api.get("/service-points/SP945-FC").json()["phone"] == "0516-89219999"


def test_channel_and_point_on_a_case_staff_see_them_the_public_the_name_only(api: Api, world: dict[str, Any]) -> None:
    handler = world["users"]["handler"]
    staff = api.get("/staff/cases/SP945-0001", token=handler).json()
    assert staff["channel"] == "agency" and staff["channel_name"] == "代办点"
    assert staff["service_point"] == "SP945-WZ"
    assert staff["service_point_info"]["name"] == "双沟镇东街社区代办点" and staff["service_point_info"]["registered"]
    # a department's own word and an unregistered point are kept, and shown as such
    odd = api.get("/staff/cases/SP945-0003", token=handler).json()
    assert odd["channel_name"] == "自助终端机"
    assert odd["service_point_info"] == {**odd["service_point_info"], "code": "XX-UNKNOWN-9", "registered": False}
    # the public progress query names the point, nothing more
    public = api.get("/cases/SP945-0001", password=PASSWORD).json()
    assert public["service_point"] == {"name": "双沟镇东街社区代办点", "kind": "agency", "kind_name": "代办点"}
    assert "SP945-WZ" not in str(public)


def test_an_application_from_the_hall_names_a_point_that_takes_the_item(api: Api, world: dict[str, Any]) -> None:
    applicant = {"type": "person", "name": "李四", "id_type": "居民身份证", "id_no": "320324199001011234"}
    r = api.post("/applications", {"item_code": ITEM, "applicant": applicant, "service_point": "sp945-hk"})
    assert r.status_code == 201, r.text
    staff = api.get(f"/staff/cases/{r.json()['case_no']}", token=world["users"]["handler"]).json()
    assert (staff["channel"], staff["service_point"]) == ("online", "SP945-HK")
    # A point that does not take the item, an unknown one, or a citizen claiming a window: refused, naming the field
    for body, field in (({"service_point": "SP946-PC"}, "service_point"), ({"service_point": "NOPE-1"}, "service_point"),
                        ({"channel": "window"}, "channel")):
        r = api.post("/applications", {"item_code": ITEM, "applicant": applicant, **body})
        assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == field, r.text


def _stats(api: Api, token: str, **params: str) -> dict[str, Any]:
    r = api.get("/staff/service-points/stats", token=token, period="2013-05", **params)
    assert r.status_code == 200, r.text
    return {p["code"]: p for p in r.json()["items"]}


def test_statistics_per_point_taken_concluded_on_time_and_late(api: Api, world: dict[str, Any]) -> None:
    users = world["users"]
    mine = _stats(api, users["handler"])
    wz, hk = mine["SP945-WZ"], mine["SP945-HK"]
    assert (wz["taken"], wz["received"], wz["concluded"], wz["on_time"], wz["late"]) == (1, 1, 1, 1, 0)
    assert (hk["taken"], hk["concluded"], hk["on_time"], hk["late"], hk["on_time_rate"]) == (1, 1, 0, 1, 0.0)
    assert mine["XX-UNKNOWN-9"]["registered"] is False and mine["XX-UNKNOWN-9"]["taken"] == 1
    # a department sees its own department's numbers only: 新沂's centre is not among 945's
    assert "SP946-PC" not in mine
    assert _stats(api, users["handler@pei"])["SP946-PC"]["taken"] == 1


def test_statistics_per_point_follow_region_scope(api: Api, world: dict[str, Any]) -> None:
    users = world["users"]
    # 睢宁's supervisor sees 睢宁's points; 新沂's sees its own and nothing of 945's cases
    feng = _stats(api, users["sup@feng"])
    assert feng["SP945-HK"]["late"] == 1 and "SP946-PC" not in feng
    pei = _stats(api, users["sup@pei"])
    assert pei["SP946-PC"]["taken"] == 1 and "SP945-HK" not in pei and "XX-UNKNOWN-9" not in pei
    assert api.get("/staff/service-points/stats", token=users["sup@pei"], period="2013-05",
                   dept_code="945").status_code == 403
    # the city sees both counties, and may narrow to one
    city = _stats(api, users["sup@city"])
    assert city["SP945-WZ"]["on_time"] == 1 and city["SP946-PC"]["taken"] == 1
    assert "SP946-PC" not in _stats(api, users["sup@city"], region_code=FENG)
    assert api.get("/staff/service-points/stats", token=users["sup@city"], period="2013-13").status_code == 400
