"""The city-size data set (SUNLIT_DEMO_SCALE=city, issue 20): a Xuzhou-sized government generated
with a fixed seed — 40 departments at two levels, 3,000+ items, 50,000+ cases with the demo's mix."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from chalicelib.catalog.domain.validation import validate_declaration
from devstack.demo.city import generate_city
from devstack.demo.generator import DemoCity, generate

ANCHOR = date(2026, 11, 30)


@pytest.fixture(scope="module")
def catalog() -> DemoCity:
    return generate_city(anchor=ANCHOR, cases=False)


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(anchor=ANCHOR)


@pytest.fixture(scope="module")
def demo() -> DemoCity:
    return generate(anchor=ANCHOR)


def test_forty_departments_at_city_and_county_level_with_unique_codes_and_names(catalog: DemoCity) -> None:
    depts = catalog.departments
    assert len(depts) == 40
    assert len({d["code"] for d in depts}) == 40 and len({d["name"] for d in depts}) == 40
    levels = Counter(d["level"] for d in depts)
    assert levels["city"] >= 25 and levels["county"] >= 8
    assert all((d["region_code"] == "320300") == (d["level"] == "city") for d in depts)


def test_three_thousand_valid_items_in_every_department_and_category(catalog: DemoCity) -> None:
    codes = {i["code"] for i in catalog.items}
    assert len(codes) >= 3000
    problems = {i["code"]: p for i in catalog.items for _, p in [validate_declaration(i)] if p}
    assert problems == {}
    per_dept = Counter(i["dept_code"] for i in catalog.items if i["code"] in codes)
    assert set(per_dept) == {d["code"] for d in catalog.departments}
    assert min(per_dept.values()) >= 70
    categories = Counter(c[9:11] for c in codes)
    assert set(categories) == {"XK", "CF", "ZS", "QZ", "SP", "GF", "JL", "QR", "ZY", "CJ", "QT", "FW"}
    assert categories["CF"] == max(categories.values())  # a real catalog is mostly penalties
    region = {d["code"]: d["region_code"] for d in catalog.departments}
    assert all(c[:6] == region[c[6:9]] for c in codes)


def test_names_are_unique_within_a_department_and_carry_their_legal_basis(catalog: DemoCity) -> None:
    latest = {i["code"]: i for i in catalog.items}
    names = Counter((i["dept_code"], i["name"]) for i in latest.values())
    assert [k for k, n in names.items() if n > 1] == []
    assert all(b["title"].startswith("《") and b["article"].startswith("第") for i in catalog.items
               for b in i["legal_basis"])


def test_the_demo_city_is_inside_the_city_size_one(catalog: DemoCity, demo: DemoCity) -> None:
    assert catalog.items[:len(demo.items)] == demo.items
    assert {d["code"] for d in demo.departments} < {d["code"] for d in catalog.departments}


def test_the_same_seed_gives_the_same_catalog() -> None:
    a = generate_city(anchor=ANCHOR, cases=False)
    b = generate_city(anchor=ANCHOR, cases=False, application_scale=1.0)
    assert a.items == b.items and a.officers == b.officers


def test_fifty_thousand_cases_with_the_demos_mix_of_stories(city: DemoCity, demo: DemoCity) -> None:
    counts = city.counts()
    assert counts["cases"] >= 50_000 and counts["events"] >= 300_000
    mix = Counter(city.scenarios.values())
    demo_mix = Counter(demo.scenarios.values())
    for story in ("on_time", "overdue", "open", "penalty", "supplement", "stalled", "rejected", "refused"):
        city_share = mix[story] / counts["cases"]
        demo_share = demo_mix[story] / len(demo.scenarios)
        assert demo_share / 2 < city_share < demo_share * 2, story
    # And every named story of the demo is told (illegal fees, the out-of-range penalty …)
    assert set(demo_mix) <= set(mix)


def test_cases_are_unique_spread_over_departments_and_never_in_the_future(city: DemoCity) -> None:
    events = [e for evs in city.events_by_dept.values() for e in evs]
    cases = {e["case_no"] for e in events}
    assert len(cases) == city.counts()["cases"]
    assert len({e["event_id"] for e in events}) == len(events)
    busy = [dept for dept, evs in city.events_by_dept.items() if evs]
    assert len(busy) == 40
    assert max(e["occurred_at"] for e in events) < ANCHOR.isoformat()
    assert all(e["item_code"][6:9] == dept for dept, evs in city.events_by_dept.items() for e in evs)
