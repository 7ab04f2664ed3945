"""Service points (基层延伸, docs/CONTRACT.md §11): the register's rules, which point takes an item,
nearest first, channels as departments write them, and the per-point counters a case contributes."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError as PydanticValidationError

from chalicelib.cases.domain import stats
from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.domain.channels import channel_name, normalize_channel, point_code
from chalicelib.cases.domain.events import parse_event
from chalicelib.servicepoints import domain
from chalicelib.servicepoints.domain import ServicePoint, ServicePointIn

NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
# 丰县: the county seat (凤城街道) and 欢口镇 about 30 km north; 沛县城 about 34 km east of 丰县城
FENGCHENG = (34.6960, 116.5950)
HUANKOU = (34.9270, 116.6180)
PEICHENG = (34.7210, 116.9370)


def point(code: str, at: tuple[float, float], **over: Any) -> ServicePoint:
    body = {"code": code, "name": f"{code}便民服务中心", "kind": "center", "region_code": "320321",
            "township": code, "address": "镇政府一楼", "location": {"lat": at[0], "lon": at[1]},
            "dept_codes": ["015"], **over}
    return ServicePoint.register(ServicePointIn.model_validate(body), NOW)


def test_nearest_first_from_the_citizens_position_with_distances() -> None:
    # Given three points, and a citizen in 凤城街道
    pts = [point("HK", HUANKOU), point("PC", PEICHENG, region_code="320322"), point("FC", FENGCHENG)]
    # When they are ranked from a position 1 km from the 凤城 centre
    ranked = domain.ranked(pts, (FENGCHENG[0] + 0.009, FENGCHENG[1]))
    # Then 凤城 comes first (about 1 km), then 欢口 (~25 km) and 沛县 (~30 km)
    assert [p.code for p, _ in ranked] == ["FC", "HK", "PC"]
    distances = [d for _, d in ranked]
    assert distances[0] == pytest.approx(1.0, abs=0.05)
    assert 24 < distances[1] < 27 and 29 < distances[2] < 33
    assert distances == sorted(distances)  # type: ignore[type-var]


def test_without_a_position_points_are_listed_by_region_and_township_centres_first() -> None:
    pts = [point("B-AGENT", HUANKOU, kind="agency", village="王庄村", township="欢口镇"),
           point("A-CENTRE", HUANKOU, township="欢口镇"), point("CC", PEICHENG, region_code="320322")]
    ranked = domain.ranked(pts, None)
    assert [p.code for p, _ in ranked] == ["A-CENTRE", "B-AGENT", "CC"]
    assert all(d is None for _, d in ranked)


def test_a_chosen_township_stands_at_its_service_centre() -> None:
    centre = point("HK", HUANKOU, township="欢口镇", township_code="320321104")
    agent = point("HK-WZ", (HUANKOU[0] + 0.05, HUANKOU[1]), kind="agency", village="王庄村", township="欢口镇",
                  township_code="320321104")
    assert domain.township_origin([centre, agent], "320321104") == HUANKOU
    assert domain.township_origin([centre, agent], "320321999") is None
    [area] = domain.areas([centre, agent])
    assert area["township"] == "欢口镇" and area["points"] == 2 and (area["lat"], area["lon"]) == HUANKOU


def test_a_point_takes_items_of_its_departments_categories_and_listed_items() -> None:
    p = point("HK", HUANKOU, dept_codes=["015"], categories=["FW"], item_codes=["320321-020-XK-001-00"])
    assert domain.takes(p, "320300015XK00400")  # a department it takes
    assert domain.takes(p, "320321033FW00100")  # a category it takes, any department
    assert domain.takes(p, "320321020XK00100")  # one listed item (entered dashed, stored plain)
    assert not domain.takes(p, "320321020XK00200")


@pytest.mark.parametrize(("field", "value"), [
    ("code", "欢口#1"), ("region_code", "320300"), ("region_code", "3203"), ("categories", ["XX"]),
    ("dept_codes", ["15"]), ("phone", "call me"), ("location", {"lat": 0.0, "lon": 116.6}),
    ("location", {"lat": 116.6, "lon": 34.7}), ("item_codes", ["not-a-code"]),
])
def test_the_register_refuses_a_malformed_point_naming_the_field(field: str, value: Any) -> None:
    body = {"code": "HK", "name": "欢口镇便民服务中心", "kind": "center", "region_code": "320321", "township": "欢口镇",
            "address": "镇政府一楼", "location": {"lat": HUANKOU[0], "lon": HUANKOU[1]}, "dept_codes": ["015"],
            field: value}
    with pytest.raises(PydanticValidationError) as err:
        ServicePointIn.model_validate(body)
    assert err.value.errors()[0]["loc"][0] == field


def test_rules_across_fields_name_their_field() -> None:
    body = ServicePointIn.model_validate({
        "code": "hk-01", "name": "王庄村代办点", "kind": "agency", "region_code": "320321", "township": "欢口镇",
        "township_code": "320322104", "address": "村委会", "location": {"lat": HUANKOU[0], "lon": HUANKOU[1]}})
    assert body.code == "HK-01"  # codes are case-insensitive
    assert {f for f, _ in domain.problems(body)} == {"township_code", "dept_codes", "village"}


def test_lifecycle_keeps_code_and_registration() -> None:
    p = point("HK", HUANKOU)
    later = datetime(2026, 12, 6, tzinfo=UTC)
    off = p.deactivate("撤并到镇中心", later)
    assert not off.active and off.deactivation_reason == "撤并到镇中心" and off.registered_at == NOW
    assert off.activate(later).active
    changed = p.replace(ServicePointIn.model_validate(
        {**p.model_dump(include=set(ServicePointIn.model_fields)), "name": "新名称", "code": "OTHER"}), later)
    assert changed.code == "HK" and changed.name == "新名称" and changed.registered_at == NOW


def test_the_public_view_holds_no_people() -> None:
    view = domain.public_view(point("HK", HUANKOU, phone="0516-89200000"), 1.234)
    assert view["distance_km"] == 1.23 and view["kind_name"] == "便民服务中心"
    assert set(view) >= {"name", "address", "phone", "hours", "location"}
    assert not {"registered_at", "deactivation_reason", "updated_at"} & set(view)


@pytest.mark.parametrize(("sent", "stored"), [
    ("window", "window"), ("窗口", "window"), (" 代办点 ", "agency"), ("便民服务中心", "service_center"),
    ("APP", "mobile"), ("移动端", "mobile"), ("网上申办", "online"), ("自助终端机", "自助终端机"), ("", None),
])
def test_channels_are_read_the_way_departments_write_them(sent: str, stored: str | None) -> None:
    assert normalize_channel(sent) == stored


def test_an_event_with_any_channel_and_an_unknown_point_is_stored_not_rejected() -> None:
    raw = {"event_id": "e1", "case_no": "3203210152026000001", "item_code": "320321015XK00100", "type": "submitted",
           "occurred_at": "2026-06-01T09:00:00+08:00", "data": {"channel": "代办点", "service_point": " fx-hk-01 "}}
    event, errors = parse_event(raw)
    assert errors == [] and event is not None
    data = event.model_dump(mode="json")["data"]
    assert data["channel"] == "agency" and data["service_point"] == "FX-HK-01"
    assert channel_name("agency") == "代办点" and channel_name("自助终端机") == "自助终端机"
    # a free-text place is kept as written, not upper-cased into a code
    assert point_code("欢口镇王庄村代办点") == "欢口镇王庄村代办点"


def _view(**over: Any) -> CaseView:
    base = {"case_no": "C1", "item_code": "320321015XK00100", "dept_code": "015", "region_code": "320321",
            "category": "XK", "status": "concluded", "submitted_at": "2026-06-01T09:00:00+08:00",
            "accepted_at": "2026-06-02T09:00:00+08:00", "concluded_at": "2026-07-10T09:00:00+08:00",
            "due": "2026-07-01", "service_point": "HK"}
    return CaseView.model_validate({**base, **over})


def test_a_case_at_a_point_counts_for_the_point_as_well_as_its_department() -> None:
    c = stats.contributions(_view())
    # the department's counters are what they were
    assert c["2026-06|015|received"] == 1 and c["2026-07|015|concluded"] == 1 and "2026-07|015|on_time" not in c
    # and the point (per department) took it in June, accepted it, concluded it in July — late
    assert c["2026-06|SP#HK#015|taken"] == 1 and c["2026Q2|SP#HK#015|received"] == 1
    assert c["2026-07|SP#HK#015|concluded"] == 1 and "2026-07|SP#HK#015|on_time" not in c
    assert not any("|SP#" in k for k in stats.contributions(_view(service_point=None)))
    assert not any("|SP#" in k for k in stats.contributions(_view(service_point="欢口镇王庄村代办点")))


def test_statistics_per_point_from_counter_rows() -> None:
    rows = domain.point_rows([
        {"dept_code": "015", "received": 9},
        {"dept_code": "SP#HK#015", "taken": 3, "received": 2, "concluded": 2, "on_time": 1},
        {"dept_code": "SP#HK#020", "taken": 1, "received": 1, "concluded": 1, "on_time": 1},
        {"dept_code": "SP#NOPE#015", "taken": 1},
    ], stats.POINT_ROW)
    register = {"HK": point("HK", HUANKOU), "FC": point("FC", FENGCHENG)}
    out = {s["code"]: s for s in domain.point_stats(rows, register, ["HK", "FC"])}
    assert (out["HK"]["taken"], out["HK"]["concluded"], out["HK"]["on_time"], out["HK"]["late"]) == (4, 3, 2, 1)
    assert out["HK"]["on_time_rate"] == pytest.approx(0.6667)
    assert [d["dept_code"] for d in out["HK"]["by_dept"]] == ["015", "020"]
    assert out["FC"]["taken"] == 0 and out["FC"]["on_time_rate"] is None  # a registered point with nothing yet
    assert out["NOPE"]["registered"] is False and out["NOPE"]["name"] is None


def test_the_demo_citys_points_are_valid_registrations_of_its_departments() -> None:
    from devstack.demo import data as ref
    from devstack.demo.generator import generate
    from devstack.demo.points import SERVICE_POINTS

    depts = {d.code for d in ref.DEPARTMENTS}
    regions = set()
    for raw in SERVICE_POINTS:
        body = ServicePointIn.model_validate(raw)
        assert domain.problems(body) == [] and set(body.dept_codes) <= depts, raw["code"]
        regions.add(body.region_code)
    assert len(regions) >= 5  # the city's districts and several counties
    # and some of the demo's cases were taken at them, as the departments would report it
    city = generate()
    taken = [e["data"] for e in city.all_events() if e["type"] == "submitted" and e["data"].get("service_point")]
    assert len(taken) > 20
    assert {d["channel"] for d in taken} == {"service_center", "agency"}
    assert {d["service_point"] for d in taken} <= {p["code"] for p in SERVICE_POINTS}
