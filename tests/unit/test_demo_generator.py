"""The demo city (演示城市): deterministic, contract-shaped, and telling the stories it promises.

Given a seed and an anchor date, when the city is generated, then what the loader would send is
exactly what the public API accepts (docs/CONTRACT.md §2, §4, §5), and the case histories contain the
situations supervision and legal oversight are meant to catch.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import requests
from sunlit_client.signing import sign_request, signature_problem

from chalicelib.cases.domain.events import family_error, parse_event
from chalicelib.catalog.domain.items import CATEGORIES, ItemDeclaration, declaration_problems
from chalicelib.kernel.calendar import Calendar, Pause
from devstack.demo.generator import DemoCity, generate, id_card_number
from devstack.demo.loader import MAX_BATCH, DemoLoadError, load

ANCHOR = date(2012, 11, 30)
SEED = 20121

ENVELOPE_KEYS = {"event_id", "case_no", "item_code", "type", "occurred_at", "data_version", "actor", "data"}
# docs/CONTRACT.md §5: the data keys of each event type.
CONTRACT_DATA_KEYS: dict[str, set[str]] = {
    "submitted": {"applicant", "channel", "materials", "service_point"},  # service_point: docs/CONTRACT.md §11
    "pre_accepted": {"status", "reason"},
    "accepted": {"status", "reason", "query_password"},
    "step": {"step_code", "step_name", "opinion", "status"},
    "supplement_requested": {"reason", "missing_materials"},
    "supplement_received": {"materials"},
    "special_started": {"seq", "kind", "name", "approver", "reason", "limit"},
    "special_ended": {"seq", "result"},
    "concluded": {"result_code", "result_desc", "reason", "cert_name", "cert_no", "fee_amount"},
    "delivered": {"mode"},
    "case_opened": {"party", "cause", "officers"},
    "notice_served": {"proposed", "hearing_notified"},
    "hearing_requested": set(),
    "hearing_noticed": {"hearing_at"},
    "hearing_held": {"chair", "result"},
    "decided": {
        "decision_no",
        "types",
        "amount",
        "tier",
        "tier_reason",
        "collective_discussion",
        "basis_ids",
    },
    "served": set(),
    "enforced": {"paid_amount"},
    "closed": set(),
}


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate(SEED, ANCHOR)


def events_by_case(city: DemoCity) -> dict[str, list[dict[str, Any]]]:
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in city.all_events():
        cases[event["case_no"]].append(event)
    for events in cases.values():
        events.sort(key=lambda e: e["occurred_at"])
    return cases


def declarations(city: DemoCity) -> dict[tuple[str, int], dict[str, Any]]:
    """Each declaration keyed by (code, version ordinal)."""
    seen: Counter[str] = Counter()
    out = {}
    for item in city.items:
        seen[item["code"]] += 1
        out[(item["code"], seen[item["code"]])] = item
    return out


def in_force(city: DemoCity, code: str, day: date) -> dict[str, Any]:
    decls = declarations(city)
    confirmed = sorted(
        (date.fromisoformat(c["effective_from"]), c["version"])
        for c in city.confirmations
        if c["code"] == code
    )
    version = [v for eff, v in confirmed if eff <= day][-1]
    return decls[(code, version)]


def day_of(event: dict[str, Any]) -> date:
    return date.fromisoformat(event["occurred_at"][:10])


def first(events: list[dict[str, Any]], etype: str) -> dict[str, Any]:
    return next(e for e in events if e["type"] == etype)


def scenario_cases(city: DemoCity, scenario: str) -> list[list[dict[str, Any]]]:
    cases = events_by_case(city)
    return [cases[no] for no, s in city.scenarios.items() if s == scenario]


# --- determinism ----------------------------------------------------------------------------------


def test_the_same_seed_and_anchor_give_the_identical_city(city: DemoCity) -> None:
    # Given the seed and anchor used for the fixture, when generated again
    again = generate(SEED, ANCHOR)
    # Then everything, down to the serialised bytes, is the same
    assert again == city
    assert json.dumps(again.__dict__, default=str, ensure_ascii=False) == json.dumps(
        city.__dict__, default=str, ensure_ascii=False
    )


def test_another_seed_tells_other_stories(city: DemoCity) -> None:
    other = generate(SEED + 1, ANCHOR)
    assert other.events_by_dept != city.events_by_dept
    assert [d["code"] for d in other.departments] == [d["code"] for d in city.departments]


def test_a_smaller_city_still_tells_every_named_story() -> None:
    # Given a quarter-size city (for slow machines), when generated
    small = generate(SEED, ANCHOR, scale=0.25)
    # Then it has fewer cases, the same catalog, and every named scenario
    assert len(small.scenarios) < 200
    assert len(small.items) >= 80
    wanted = {
        "pause_b",
        "extension_a",
        "rejected_no_reason",
        "refused_no_reason",
        "illegal_fee_free",
        "penalty_outside_range",
        "penalty_expired_officer",
        "supplement",
        "overdue",
        "on_time",
    }
    assert wanted <= set(small.scenarios.values())
    assert all(parse_event(e)[1] == [] for e in small.all_events())


def test_without_an_anchor_the_fixed_default_is_used() -> None:
    # The caller normally passes today's Asia/Shanghai date; without one the city is still reproducible.
    assert generate(SEED).anchor == generate(SEED).anchor


# --- departments, officers, bases -------------------------------------------------------------------


def test_departments_cover_city_and_counties_with_unique_codes(city: DemoCity) -> None:
    codes = [d["code"] for d in city.departments]
    assert len(codes) >= 12
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 3 and c.isdigit() for c in codes)
    levels = {d["level"] for d in city.departments}
    assert levels == {"city", "county"}
    assert all(d["region_code"] == "320300" for d in city.departments if d["level"] == "city")
    assert all(d["region_code"] != "320300" for d in city.departments if d["level"] == "county")
    names = {d["code"]: d["name"] for d in city.departments}
    assert names["015"] == "徐州市生态环境局"
    assert names["011"] == "徐州市市场监督管理局"


#: Institutions that the 2018 reform (深化党和国家机构改革) merged or renamed: a demo showing them looks dated.
PRE_2018 = re.compile(r"卫生局|卫生和计划生育|环境保护局|环保局|食品药品监督管理局|国土资源局|(?<!自然资源和)规划局|"
                      r"文化广电新闻出版局|工商行政管理局|质量技术监督局|安全生产监督管理局|人口和计划生育")


def test_departments_carry_the_names_of_today_after_the_2018_reform(city: DemoCity) -> None:
    names = {d["code"]: d["name"] for d in city.departments}
    assert not [n for n in names.values() if PRE_2018.search(n)], names
    assert {"徐州市卫生健康委员会", "徐州市生态环境局", "徐州市自然资源和规划局", "徐州市文化广电和旅游局"} <= set(names.values())
    # the items and windows follow the departments they now belong to
    assert not [i["place"] for i in city.items if PRE_2018.search(i["place"]) or "环保窗口" in i["place"]]
    by_name = {(i["dept_code"], i["name"]) for i in city.items}
    assert ("011", "药品经营许可证（零售）核发") in by_name  # drug retail went to market regulation
    assert ("023", "建设工程规划许可证核发") in by_name or any(d == "023" and "规划" in n for d, n in by_name)


def test_one_or_two_legal_bases_are_repealed_before_the_anchor(city: DemoCity) -> None:
    repealed = [b for b in city.bases if b["repealed_on"]]
    assert 1 <= len(repealed) <= 2
    assert all(date.fromisoformat(b["repealed_on"]) < ANCHOR for b in repealed)
    assert "《中华人民共和国环境影响评价法》" in {b["title"] for b in city.bases}


def test_a_few_officers_hold_expired_certificates(city: DemoCity) -> None:
    expired = [o for o in city.officers if date.fromisoformat(o["valid_to"]) < ANCHOR]
    assert 1 <= len(expired) <= 5
    assert len(city.officers) - len(expired) >= 2 * len({o["dept_code"] for o in city.officers})
    assert {o["dept_code"] for o in city.officers} <= {d["code"] for d in city.departments}


# --- catalog --------------------------------------------------------------------------------------


def test_every_declaration_is_a_valid_catalog_item(city: DemoCity) -> None:
    for body in city.items:
        item = ItemDeclaration.model_validate(body)
        assert declaration_problems(item) == [], body["code"]
        assert item.code == body["code"]


def test_at_least_80_confirmed_items_across_all_12_categories(city: DemoCity) -> None:
    confirmed_codes = {c["code"] for c in city.confirmations}
    assert len(confirmed_codes) >= 80
    assert {code[9:11] for code in confirmed_codes} == set(CATEGORIES)
    dept_codes = {d["code"] for d in city.departments}
    assert all(code[6:9] in dept_codes for code in confirmed_codes)


def test_each_item_code_lies_in_its_departments_region_and_segment(city: DemoCity) -> None:
    region = {d["code"]: d["region_code"] for d in city.departments}
    for body in city.items:
        assert body["code"][:6] == region[body["dept_code"]]
        assert body["code"][6:9] == body["dept_code"]


def test_the_named_items_are_there_as_specified(city: DemoCity) -> None:
    names = {(i["dept_code"], i["name"]) for i in city.items}
    assert ("011", "小餐饮经营许可证核发") in names

    eia = in_force(city, "320300015XK00400", ANCHOR)
    assert eia["name"] == "建设项目环境影响评价文件审批"
    assert eia["statutory_limit"] == {"value": 20, "unit": "working_day"}
    assert eia["promised_limit"] == {"value": 5, "unit": "working_day"}

    cf = in_force(city, "320300015CF02100", ANCHOR)
    assert (cf["penalty"]["fine_min"], cf["penalty"]["fine_max"]) == (1000, 10000)
    assert [t["tier"] for t in cf["penalty"]["tiers"]] == ["light", "medium", "heavy"]
    assert cf["penalty"]["case_limit_days"] == 90


def test_items_carry_the_fields_a_citizen_reads(city: DemoCity) -> None:
    items = city.items
    assert all(i["place"] and i["phone"] and i["supervision_phone"] and i["keywords"] for i in items)
    assert all(
        [s["name"] for s in i["steps"]] == ["承办", "审核", "批准"] for i in items if i["category"] == "XK"
    )
    charged = [i for i in items if i["fee"]["charged"]]
    assert charged and all(i["fee"]["basis"] for i in charged)
    assert len(charged) < len(items) / 4  # mostly free
    assert {r["level"] for i in items for r in i["risk_points"]} == {1, 2, 3}
    assert sum(1 for i in items if i["co_departments"]) >= 2


def test_non_license_categories_carry_their_own_fields(city: DemoCity) -> None:
    wanted = {
        "ZS": {"levy_payer", "levy_standard"},
        "QZ": {"measure_type", "conditions_text", "duration"},
        "GF": {"recipients", "standard", "cycle"},
        "JL": {"conditions_text", "standard"},
        "QR": {"result_form"},
        "ZY": {"target", "compensation"},
        "CJ": {"scope"},
    }
    for body in city.items:
        if body["category"] in wanted:
            assert wanted[body["category"]] <= set(body["category_fields"]), body["code"]


def test_some_items_have_two_versions_and_some_declarations_await_confirmation(city: DemoCity) -> None:
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in city.confirmations:
        by_code[c["code"]].append(c)
    twice = {code: sorted(cs, key=lambda c: c["version"]) for code, cs in by_code.items() if len(cs) == 2}
    assert len(twice) >= 3
    for v1, v2 in twice.values():
        assert date.fromisoformat(v1["effective_from"]) == ANCHOR - timedelta(days=365)
        assert (
            ANCHOR - timedelta(days=120)
            < date.fromisoformat(v2["effective_from"])
            < ANCHOR - timedelta(days=60)
        )
    pending = city.pending()
    assert len(pending) >= 2
    decls = declarations(city)
    assert all((p["code"], p["version"]) in decls for p in pending)


# --- events ---------------------------------------------------------------------------------------


def test_every_event_has_exactly_the_contract_shape(city: DemoCity) -> None:
    cutoff = datetime.fromisoformat(f"{ANCHOR.isoformat()}T00:00:00+08:00")
    ids = set()
    for event in city.all_events():
        assert set(event) == ENVELOPE_KEYS
        assert set(event["data"]) <= CONTRACT_DATA_KEYS[event["type"]], event["event_id"]
        assert set(event["actor"]) == {"name", "staff_no", "title"}
        assert event["data_version"] == 1
        assert event["occurred_at"].endswith("+08:00")
        assert datetime.fromisoformat(event["occurred_at"]) < cutoff  # nothing in the future
        parsed, errors = parse_event(event)
        assert errors == [] and parsed is not None, (event["event_id"], errors)
        assert family_error(event["item_code"], event["type"]) is None
        ids.add(event["event_id"])
    assert len(ids) == len(city.all_events())


def test_events_are_grouped_per_department_and_stay_in_its_segment(city: DemoCity) -> None:
    region = {d["code"]: d["region_code"] for d in city.departments}
    owner: dict[str, str] = {}
    for dept, events in city.events_by_dept.items():
        assert [e["occurred_at"] for e in events] == sorted(e["occurred_at"] for e in events)
        for e in events:
            assert e["item_code"][6:9] == dept and e["item_code"][:6] == region[dept]
            assert owner.setdefault(e["case_no"], dept) == dept


def test_case_numbers_are_unique_and_read_region_dept_year_serial(city: DemoCity) -> None:
    cases = events_by_case(city)
    region = {d["code"]: d["region_code"] for d in city.departments}
    for case_no, events in cases.items():
        assert len(case_no) >= 19 and case_no.isdigit()
        dept = events[0]["item_code"][6:9]
        assert case_no.startswith(region[dept] + dept)
        assert case_no[9:13] == events[0]["occurred_at"][:4]
        assert {e["case_no"] for e in events} == {case_no}
    # Case numbers of one department grow with time.
    for dept, events in city.events_by_dept.items():
        starts: dict[str, str] = {}
        for e in events:
            starts.setdefault(e["case_no"], e["occurred_at"])
        ordered = [no for no, _ in sorted(starts.items(), key=lambda kv: kv[1])]
        assert ordered == sorted(ordered), dept


def test_a_few_months_of_cases_in_the_expected_volume(city: DemoCity) -> None:
    cases = events_by_case(city)
    assert 300 <= len(cases) <= 600
    firsts = [day_of(events[0]) for events in cases.values()]
    assert min(firsts) >= ANCHOR - timedelta(days=120)
    assert max(firsts) >= ANCHOR - timedelta(days=7)


def test_the_case_mix_matches_a_real_citys_quarter(city: DemoCity) -> None:
    cases = events_by_case(city)
    applications = [evs for evs in cases.values() if evs[0]["item_code"][9:11] != "CF"]
    mix = Counter(city.scenarios[evs[0]["case_no"]] for evs in applications)
    total = len(applications)
    assert 0.65 <= (mix["on_time"] + mix["supplement"]) / total <= 0.85
    assert 0.05 <= (mix["overdue"] + mix["overdue_statutory"]) / total <= 0.11
    assert mix["open"] + mix["stalled"] >= 10  # some still open: some past due, some due soon
    assert 0.02 <= mix["supplement"] / total <= 0.06
    assert 0.02 <= (mix["rejected"] + mix["refused"]) / total <= 0.05
    assert 2 <= mix["rejected_no_reason"] + mix["refused_no_reason"] <= 3
    assert 1 <= mix["illegal_fee_free"] + mix["illegal_fee_wrong"] <= 2


def test_on_time_cases_conclude_by_the_platforms_due_date_and_overdue_ones_after_it(city: DemoCity) -> None:
    cal = Calendar()
    seen: Counter[str] = Counter()
    for no, events in events_by_case(city).items():
        scenario = city.scenarios[no]
        if scenario not in ("on_time", "supplement", "overdue", "pause_b", "extension_a"):
            continue
        accepted = first(events, "accepted")
        concluded = first(events, "concluded")
        decl = in_force(city, events[0]["item_code"], day_of(accepted))
        limit = decl["promised_limit"]
        pauses: list[Pause] = []
        extension = 0
        for e in events:
            if e["type"] == "special_started" and e["data"]["kind"] == "B":
                pauses.append(Pause(day_of(e), day_of(first(events, "special_ended"))))
            if e["type"] == "special_started" and e["data"]["kind"] == "A":
                extension = e["data"]["limit"]["value"]
        if limit["unit"] == "working_day":
            due = cal.add_working_days(day_of(accepted), limit["value"], pauses, extension).due
        else:
            due = cal.add_calendar_days(day_of(accepted), limit["value"], pauses).due
        on_time = day_of(concluded) <= due
        assert on_time == (scenario != "overdue"), no
        seen[scenario] += 1
    assert seen["on_time"] > 200 and seen["overdue"] > 10


def test_a_typical_case_runs_submit_accept_three_steps_conclude_deliver(city: DemoCity) -> None:
    events = scenario_cases(city, "on_time")[0]
    assert [e["type"] for e in events if e["type"] not in ("pre_accepted",)] == [
        "submitted",
        "accepted",
        "step",
        "step",
        "step",
        "concluded",
        "delivered",
    ]
    steps = [e["data"]["step_code"] for e in events if e["type"] == "step"]
    assert steps == ["1", "2", "3"]
    cal = Calendar()
    assert all(cal.is_workday(day_of(e)) for e in events)
    concluded = first(events, "concluded")["data"]
    assert concluded["result_code"] == 0 and concluded["cert_no"]
    decl = in_force(city, events[0]["item_code"], day_of(first(events, "accepted")))
    assert concluded["fee_amount"] == (decl["fee"].get("amount") or 0)
    assert len(first(events, "accepted")["data"]["query_password"]) == 6


def test_rejections_come_with_and_without_a_reason(city: DemoCity) -> None:
    with_reason = scenario_cases(city, "rejected")
    assert with_reason and all(first(evs, "accepted")["data"]["reason"] for evs in with_reason)
    without = scenario_cases(city, "rejected_no_reason") + scenario_cases(city, "refused_no_reason")
    assert 2 <= len(without) <= 3
    assert all(first(evs, "concluded")["data"]["reason"] == "" for evs in without)


def test_special_procedures_expert_review_pauses_and_an_approved_extension(city: DemoCity) -> None:
    pauses = scenario_cases(city, "pause_b")
    started = [first(evs, "special_started")["data"] for evs in pauses]
    assert len(pauses) >= 3 and all(s["kind"] == "B" for s in started)
    assert "专家评审" in {s["name"] for s in started}
    assert all(any(e["type"] == "special_ended" for e in evs) for evs in pauses)
    extensions = [first(evs, "special_started")["data"] for evs in scenario_cases(city, "extension_a")]
    assert extensions and all(x["kind"] == "A" and x["approver"] and x["reason"] for x in extensions)


def test_supplements_happen_before_acceptance(city: DemoCity) -> None:
    for events in scenario_cases(city, "supplement"):
        types = [e["type"] for e in events]
        assert (
            types.index("supplement_requested") < types.index("supplement_received") < types.index("accepted")
        )
        missing = first(events, "supplement_requested")["data"]["missing_materials"]
        assert missing and missing == first(events, "supplement_received")["data"]["materials"]


def test_illegal_fees_differ_from_the_catalog(city: DemoCity) -> None:
    cases = scenario_cases(city, "illegal_fee_free") + scenario_cases(city, "illegal_fee_wrong")
    assert cases
    for events in cases:
        charged = first(events, "concluded")["data"]["fee_amount"]
        decl = in_force(city, events[0]["item_code"], day_of(first(events, "accepted")))
        assert charged != (decl["fee"].get("amount") or 0)


def test_applicants_look_real_and_carry_data_the_platform_must_mask(city: DemoCity) -> None:
    applicants = [e["data"]["applicant"] for e in city.all_events() if e["type"] == "submitted"]
    people = [a for a in applicants if a["type"] == "person"]
    orgs = [a for a in applicants if a["type"] == "org"]
    assert people and orgs
    for p in people:
        body = p["id_no"][:17]
        assert (
            len(p["id_no"]) == 18
            and id_card_number(
                body[:6], date.fromisoformat(f"{body[6:10]}-{body[10:12]}-{body[12:14]}"), int(body[14:17])
            )
            == p["id_no"]
        )
        assert len(p["phone"]) == 11 and p["phone"].startswith("1") and p["phone"].isdigit()
    assert all(o["name"].endswith("有限公司") and len(o["id_no"]) == 18 for o in orgs)


# --- penalty cases ----------------------------------------------------------------------------------


def test_penalty_cases_follow_the_procedure_with_two_officers_and_a_tiered_amount(city: DemoCity) -> None:
    cases = scenario_cases(city, "penalty")
    assert len(cases) >= 15
    for events in cases:
        types = [e["type"] for e in events]
        assert types[:2] == ["case_opened", "notice_served"]
        assert types[-4:] == ["decided", "served", "enforced", "closed"]
        assert len(first(events, "case_opened")["data"]["officers"]) == 2
        assert isinstance(first(events, "notice_served")["data"]["hearing_notified"], bool)
        decision = first(events, "decided")["data"]
        decl = in_force(city, events[0]["item_code"], day_of(events[0]))
        tier = next(t for t in decl["penalty"]["tiers"] if t["tier"] == decision["tier"])
        assert tier["min"] <= decision["amount"] <= tier["max"]
        assert set(decision["basis_ids"]) <= {b["id"] for b in decl["legal_basis"]}
        assert day_of(first(events, "decided")) - day_of(events[0]) <= timedelta(days=90)


def test_one_penalty_exceeds_the_statutory_range(city: DemoCity) -> None:
    (events,) = scenario_cases(city, "penalty_outside_range")
    assert events[0]["item_code"] == "320300015CF02100"
    assert first(events, "decided")["data"]["amount"] > 10000


def test_one_penalty_is_handled_by_an_officer_whose_certificate_expired(city: DemoCity) -> None:
    (events,) = scenario_cases(city, "penalty_expired_officer")
    officers = {o["officer_id"]: o for o in city.officers}
    opened = first(events, "case_opened")
    assert any(
        date.fromisoformat(officers[o]["valid_to"]) < day_of(opened) for o in opened["data"]["officers"]
    )


def test_hearings_when_held_follow_request_notice_and_a_neutral_chair(city: DemoCity) -> None:
    held = [evs for evs in events_by_case(city).values() if any(e["type"] == "hearing_held" for e in evs)]
    for events in held:
        types = [e["type"] for e in events]
        assert types.index("hearing_requested") < types.index("hearing_noticed") < types.index("hearing_held")
        chair = first(events, "hearing_held")["data"]["chair"]
        assert chair not in first(events, "case_opened")["data"]["officers"]
        hearing_at = datetime.fromisoformat(first(events, "hearing_noticed")["data"]["hearing_at"])
        assert hearing_at.date() - day_of(first(events, "hearing_noticed")) >= timedelta(days=7)


# --- the public side ------------------------------------------------------------------------------------


def test_complaints_and_evaluations_point_at_real_cases(city: DemoCity) -> None:
    cases = events_by_case(city)
    assert 8 <= len(city.complaints) <= 15
    for c in city.complaints:
        assert {"dept_code", "category", "content", "real_name", "name"} <= set(c)
        assert "case_no" not in c or c["case_no"] in cases
        assert not c["real_name"] or c["name"]
    assert city.evaluations
    for ev in city.evaluations:
        accepted = first(cases[ev["case_no"]], "accepted")
        assert ev["password"] == accepted["data"]["query_password"]
        assert ev["rating"] in ("satisfied", "basic", "dissatisfied")


# --- signing and loading --------------------------------------------------------------------------------


def test_signature_matches_a_hand_computed_example() -> None:
    # Computed independently with: printf '1349050000\nPOST\n/exchange/events\n<sha256 of body>' |
    #   openssl dgst -sha256 -hmac s3cr3t-015
    body = b'{"events":[]}'
    expected = "115ca0fbecd88e1af8d056a4441ed733246eba3a0e3f99150ef5837b6f470406"
    assert sign_request("s3cr3t-015", 1349050000, "POST", "/exchange/events", body) == expected
    assert sign_request("s3cr3t-015", "1349050000", "post", "/exchange/events", body) == expected
    assert sign_request("s3cr3t-015", 1349050001, "POST", "/exchange/events", body) != expected


class FakeApi(requests.Session):
    """Stands in for the running API: checks credentials and signatures, records every call."""

    def __init__(self, fail_on: str | None = None, now: int = 1_700_000_000):
        super().__init__()
        self.calls: list[tuple[str, str, Any]] = []
        self.secrets: dict[str, str] = {}
        self.versions: Counter[str] = Counter()
        self.fail_on = fail_on
        self.now = now

    def request(self, method: str, url: str, data: Any = None, headers: Any = None, **_: Any) -> Any:  # type: ignore[override]
        if url.startswith("http://bucket.test"):  # a browser-style upload with a presigned POST
            self.calls.append((method, url, dict(data or {})))
            return self.answer(204, {})
        path = url.removeprefix("http://api.test")
        body: Any = json.loads(data) if data else {}
        self.calls.append((method, path, body))
        if self.fail_on and path.startswith(self.fail_on):
            return self.answer(409, {"error": {"code": "CONFLICT", "message": "已存在", "details": []}})
        if path == "/admin/departments":
            self.secrets[f"k{body['code']}"] = f"secret-{body['code']}"
            return self.answer(
                201, {"code": body["code"], "key_id": f"k{body['code']}", "secret": f"secret-{body['code']}"}
            )
        if path == "/admin/users":
            return self.answer(201, {"username": body["username"], "token": f"t-{body['username']}"})
        if path == "/catalog/items":
            self.versions[body["code"]] += 1
            return self.answer(
                201, {"code": body["code"], "version": self.versions[body["code"]], "status": "declared"}
            )
        if path == "/admin/import/events":
            assert headers.get("Authorization") == "Bearer admin-token"
            return self.answer(
                200, {"results": [{"event_id": e["event_id"], "status": "stored", "errors": []} for e in body["events"]]}
            )
        if path == "/exchange/events":
            secret = self.secrets.get(headers.get("X-Sunlit-Key", ""), "")
            # verified exactly as the API does (the one signer, sunlit_client.signing)
            if signature_problem(secret, headers["X-Sunlit-Timestamp"], "POST", path, data,
                                 headers.get("X-Sunlit-Signature", ""), self.now):
                return self.answer(
                    401, {"error": {"code": "UNAUTHORIZED", "message": "签名无效", "details": []}}
                )
            return self.answer(
                200,
                {
                    "results": [
                        {"event_id": e["event_id"], "status": "stored", "errors": []} for e in body["events"]
                    ]
                },
            )
        return self.disclosure(method, path, body) or self.answer(201, {})

    def disclosure(self, method: str, path: str, body: Any) -> requests.Response | None:
        """政府信息公开 and attachments, as the API answers them."""
        if path == "/attachments":
            n = len(self.calls)
            return self.answer(201, {"attachment_id": f"att-{n:026d}", "upload": {
                "url": "http://bucket.test/att", "fields": {"key": f"incoming/att-{n}", "policy": "p"}}})
        if path == "/disclosure/requests":
            return self.answer(201, {"request_no": f"GK{len(self.calls):015d}", "query_password": "ABCDEFGH"})
        if path == "/applications":
            return self.answer(201, {"case_no": f"W{len(self.calls)}", "query_password": "pw"})
        if method == "PUT" or path.endswith("/actions"):
            return self.answer(200, {})
        return None

    @staticmethod
    def answer(status: int, payload: Any) -> requests.Response:
        resp = requests.Response()
        resp.status_code = status
        resp._content = json.dumps(payload, ensure_ascii=False).encode()
        return resp


def test_the_loader_sends_everything_through_the_public_api_signed_and_batched(city: DemoCity) -> None:
    # Given a fake API that verifies signatures, when the city is loaded
    fake = FakeApi()
    summary = load(
        "http://api.test/", "admin-token", city, log=lambda _: None, session=fake, clock=lambda: fake.now
    )
    # Then every event was stored, in signed batches of at most 500
    assert summary["events"]["stored"] == summary["events"]["sent"] == len(city.all_events())
    batches = [b for m, p, b in fake.calls if p == "/exchange/events"]
    assert all(len(b["events"]) <= MAX_BATCH for b in batches)
    # And each confirmation used the version the API returned, confirmed as the legal office
    confirms = [p for m, p, b in fake.calls if p.endswith("/confirm")]
    assert len(confirms) == len(city.confirmations) == summary["items_confirmed"]
    assert "/catalog/items/320300015XK00400/versions/2/confirm" in confirms
    assert summary["users"]["fazhiban"] == "t-fazhiban"
    assert {u for u in summary["users"] if u.startswith("handler")} == {
        f"handler{d['code']}" for d in city.departments
    }
    assert summary["credentials"]["015"]["key_id"] == "k015"
    paths = [p for m, p, b in fake.calls]
    assert paths.index("/legal/officers") < paths.index("/exchange/events")
    assert any(p.endswith("/repeal") for p in paths)
    assert paths.count("/complaints") == len(city.complaints)
    # Anonymous complaints are sent without an empty name
    assert all(b.get("name", "x") for m, p, b in fake.calls if p == "/complaints")
    # 政府信息公开: directories, requests in every state with their acts, files uploaded to the bucket
    assert {"open-online", "extended", "clarifying", "consulting", "withheld", "overdue", "carried_over"} <= set(
        summary["disclosure_requests"])
    acts = [b["action"] for m, p, b in fake.calls if p.endswith("/actions")]
    assert {"answer", "extend", "clarify", "clarified", "consult_start"} <= set(acts)
    answers = {b["type"] for m, p, b in fake.calls if p.endswith("/actions") and b["action"] == "answer"}
    assert {"disclosed", "already_public", "partly_disclosed", "withheld", "not_exist", "not_ours", "duplicate"} <= answers
    uploads = [p for m, p, b in fake.calls if p.startswith("http://bucket.test")]
    assert len(uploads) == len([p for m, p, b in fake.calls if p == "/attachments"]) >= 4
    assert any(b.get("attachments") for m, p, b in fake.calls if p in ("/complaints", "/applications"))


def test_a_timed_out_exchange_batch_is_sent_again_and_counted_once(city: DemoCity) -> None:
    # Given an API whose first exchange request times out (re-sending events is harmless by contract)
    class Flaky(FakeApi):
        timed_out = False

        def request(self, method: str, url: str, data: Any = None, headers: Any = None, **kw: Any) -> Any:  # type: ignore[override]
            if url.endswith("/exchange/events") and not self.timed_out:
                self.timed_out = True
                raise requests.ReadTimeout("slow")
            return super().request(method, url, data=data, headers=headers, **kw)

    fake = Flaky()
    # When the city is loaded in batches of 250
    summary = load(
        "http://api.test", "t", city, log=lambda _: None, session=fake, clock=lambda: fake.now, batch_size=250
    )
    # Then every event was stored once, in batches of at most 250
    assert summary["events"]["stored"] == len(city.all_events())
    assert max(len(b["events"]) for m, p, b in fake.calls if p == "/exchange/events") == 250


def test_the_loader_stops_with_a_clear_message_when_the_api_refuses(city: DemoCity) -> None:
    fake = FakeApi(fail_on="/admin/users")
    with pytest.raises(DemoLoadError, match=r"/admin/users.*409"):
        load("http://api.test", "admin-token", city, log=lambda _: None, session=fake, clock=lambda: fake.now)


def test_a_stale_clock_makes_the_signed_exchange_fail_loudly(city: DemoCity) -> None:
    fake = FakeApi()
    with pytest.raises(DemoLoadError, match=r"/exchange/events.*401"):
        load("http://api.test", "t", city, log=lambda _: None, session=fake, clock=lambda: fake.now - 3600)


def test_history_is_imported_with_its_original_receipt_times_and_recent_events_pushed_signed(city: DemoCity) -> None:
    # Given a cut-off two days before the anchor
    from datetime import UTC, datetime, timedelta

    fake = FakeApi()
    cutoff = datetime.combine(city.anchor, datetime.min.time(), UTC) - timedelta(days=2)
    load("http://api.test", "admin-token", city, log=lambda _: None, session=fake, clock=lambda: fake.now,
         history_before=cutoff)
    imported = [e for m, p, b in fake.calls if p == "/admin/import/events" for e in b["events"]]
    live = [e for m, p, b in fake.calls if p == "/exchange/events" for e in b["events"]]
    # Then every event went exactly one way, old ones with a receipt time after they happened
    assert len(imported) + len(live) == len(city.all_events())
    assert imported and all(datetime.fromisoformat(e["received_at"]) >= datetime.fromisoformat(e["occurred_at"])
                            for e in imported)
    assert all(datetime.fromisoformat(e["occurred_at"]) >= cutoff for e in live)
    # And a few old events were reported late, so the timeliness rule has real examples
    late = [e for e in imported
            if datetime.fromisoformat(e["received_at"]) - datetime.fromisoformat(e["occurred_at"]) > timedelta(hours=24)]
    assert 0 < len(late) < len(imported) / 10
