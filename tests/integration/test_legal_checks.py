"""Legal-oversight checks L1–L8, L10, L11 (法制监督) end to end: a department system posts penalty
events through the exchange, the stream runs the checks, the legal office reads ``/legal/findings``.

Each check has a case that raises it and one on the lawful side of its boundary (docs/DOMAIN.md §4.3, §7.3,
defaults table). Department codes 600–604 belong to this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, penalty_item

pytestmark = pytest.mark.integration

DEPT = "600"
REGION = "320300"
ITEM = f"{REGION}{DEPT}CF02100"  # fine 1,000–10,000; tiers light/medium/heavy
WIDE = f"{REGION}{DEPT}CF02200"  # fine 100–50,000, may suspend: the hearing thresholds
LATER = f"{REGION}{DEPT}CF02300"  # in force only from 2012-07-01
UNKNOWN = f"{REGION}{DEPT}CF09900"  # never declared
BASIS = "LO600-LAW-1"
REPEALED = "LO600-LAW-R"  # repealed with effect from 2012-06-12
FOREIGN = "LO600-OTHER"  # not a basis of the items

ORG = {"type": "org", "name": "徐州某化工有限公司", "in_business": False}
PERSON = {"type": "person", "name": "张三", "id_no": "320302198001011234", "in_business": False}
BUSINESS = {"type": "org", "name": "徐州某商贸有限公司", "in_business": True}


def t(day: str, hour: int = 9) -> str:
    return f"{day}T{hour:02d}:00:00+08:00"


@dataclass
class World:
    api: Api
    dept: DeptCreds
    legal: str
    wait: Any


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> World:
    dept = api.department(DEPT, "徐州市法制检查测试局")
    legal = api.user("lo600-legal", ["legal"])
    bases = [
        {"id": BASIS, "title": "《测试处罚条例》", "article": "第十条"},
        {"id": REPEALED, "title": "《旧测试办法》", "article": "第五条"},
    ]
    api.declare_and_confirm(penalty_item(DEPT, "021", legal_basis=bases), legal)
    wide_terms = {
        "types": ["warning", "fine", "suspension"],
        "fine_min": 100,
        "fine_max": 50000,
        "case_limit_days": 90,
        "tiers": [
            {"tier": "light", "min": 100, "max": 1000},
            {"tier": "medium", "min": 1000, "max": 20000},
            {"tier": "heavy", "min": 20000, "max": 50000},
        ],
    }
    api.declare_and_confirm(penalty_item(DEPT, "022", legal_basis=bases, penalty=wide_terms), legal)
    api.declare_and_confirm(penalty_item(DEPT, "023", legal_basis=bases), legal, effective_from="2012-07-01")
    for officer_id, valid_to in (
        ("O600A", "2030-12-31"),
        ("O600B", "2030-12-31"),
        ("O600EXP", "2012-06-12"),
        ("O600OLD", "2012-06-11"),
    ):
        r = api.post(
            "/legal/officers",
            {
                "officer_id": officer_id,
                "name": f"执法员{officer_id[-1]}",
                "dept_code": DEPT,
                "cert_no": f"JS-{officer_id}",
                "valid_from": "2010-01-01",
                "valid_to": valid_to,
            },
            token=legal,
        )
        assert r.status_code == 201, r.text
    r = api.post(f"/legal/bases/{REPEALED}/repeal", {"effective": "2012-06-12"}, token=legal)
    assert r.status_code == 200, r.text
    return World(api, dept, legal, lambda: local_stack.wait_idle(60))


def lawful(case_no: str, code: str = ITEM, **over: Any) -> list[dict[str, Any]]:
    """A lawful penalty case: opened 06-01 with two certified officers, prior notice with the hearing
    right on 06-05, decision on 06-12 within the statutory range and the chosen tier."""
    party = over.pop("party", ORG)
    officers = over.pop("officers", ["O600A", "O600B"])
    amount = over.pop("amount", 2000)
    proposed = over.pop("proposed", {"types": ["fine"], "amount": amount, "tier": "light"})
    decision = {
        "decision_no": f"徐测罚〔2012〕{case_no[-3:]}号",
        "types": ["fine"],
        "amount": amount,
        "tier": "light",
        "basis_ids": [BASIS],
        **over.pop("decision", {}),
    }
    steps: list[tuple[str, str, dict[str, Any]]] = [
        (
            "case_opened",
            over.pop("opened_at", t("2012-06-01")),
            {"party": party, "cause": "未批先建", "officers": officers},
        ),
    ]
    notice_at = over.pop("notice_at", t("2012-06-05"))
    if notice_at is not None:
        steps.append(
            (
                "notice_served",
                notice_at,
                {"proposed": proposed, "hearing_notified": over.pop("hearing_notified", True)},
            )
        )
    steps.extend(over.pop("extra", []))
    decided_at = over.pop("decided_at", t("2012-06-12"))
    if decided_at is not None:
        steps.append(("decided", decided_at, decision))
    assert not over, f"unknown overrides {over}"
    return [event(case_no, code, kind, at, data) for kind, at, data in steps]


def findings(w: World, case_no: str, events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Post the case through the exchange, let the stream settle, read the case's findings by check."""
    r = w.api.post_events(w.dept, events)
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["stored"] * len(events), r.text
    assert w.wait(), "stream processing did not settle"
    r = w.api.get("/legal/findings", token=w.legal, case_no=case_no)
    assert r.status_code == 200, r.text
    out: dict[str, list[dict[str, Any]]] = {}
    for f in r.json()["items"]:
        assert f["case_no"] == case_no and f["dept_code"] == DEPT
        out.setdefault(f["check"], []).append(f)
    return out


def levels(found: dict[str, list[dict[str, Any]]], check: str) -> list[str]:
    return sorted(f["level"] for f in found.get(check, []))


# --------------------------------------------------------------------------- the lawful baseline


def test_a_lawful_penalty_case_raises_no_finding(world: World) -> None:
    # Given a case that respects every rule, When it arrives through the exchange
    found = findings(world, "LO600-OK-001", lawful("LO600-OK-001"))
    # Then the legal office sees nothing against it
    assert found == {}


# --------------------------------------------------------------------------- L1 statutory range


def test_l1_a_fine_above_the_statutory_maximum_is_red(world: World) -> None:
    found = findings(world, "LO600-L1-001", lawful("LO600-L1-001", amount=20000, decision={"tier": "heavy"}))
    assert levels(found, "L1") == ["red"]
    assert "超出法定处罚幅度" in found["L1"][0]["message"]


def test_l1_a_fine_at_exactly_the_maximum_is_within_range(world: World) -> None:
    found = findings(world, "LO600-L1-002", lawful("LO600-L1-002", amount=10000, decision={"tier": "heavy"}))
    assert "L1" not in found


def test_l1_a_penalty_type_the_item_does_not_list_is_red(world: World) -> None:
    found = findings(
        world,
        "LO600-L1-003",
        lawful("LO600-L1-003", decision={"types": ["fine", "revocation"]}, hearing_notified=True),
    )
    assert levels(found, "L1") == ["red"]


# --------------------------------------------------------------------------- L2 discretion tier


def test_l2_an_amount_outside_the_chosen_tier_without_reason_is_red(world: World) -> None:
    found = findings(world, "LO600-L2-001", lawful("LO600-L2-001", amount=5000))
    assert levels(found, "L2") == ["red"]
    assert "L1" not in found


def test_l2_a_reasoned_collectively_discussed_departure_is_only_a_warning(world: World) -> None:
    found = findings(
        world,
        "LO600-L2-002",
        lawful(
            "LO600-L2-002",
            amount=5000,
            decision={"tier_reason": "当事人拒不改正，情节较重", "collective_discussion": True},
        ),
    )
    assert levels(found, "L2") == ["yellow"]


def test_l2_an_amount_inside_the_chosen_tier_is_silent(world: World) -> None:
    found = findings(world, "LO600-L2-003", lawful("LO600-L2-003", amount=3000))
    assert "L2" not in found


# --------------------------------------------------------------------------- L3 officers


def test_l3_a_single_officer_is_red(world: World) -> None:
    found = findings(world, "LO600-L3-001", lawful("LO600-L3-001", officers=["O600A"]))
    assert levels(found, "L3") == ["red"]


def test_l3_a_certificate_expiring_on_the_act_date_is_valid(world: World) -> None:
    # Given officer O600EXP whose certificate is valid through 2012-06-12, the decision date
    found = findings(world, "LO600-L3-002", lawful("LO600-L3-002", officers=["O600A", "O600EXP"]))
    assert "L3" not in found


def test_l3_a_certificate_expired_the_day_before_the_act_is_red(world: World) -> None:
    found = findings(world, "LO600-L3-003", lawful("LO600-L3-003", officers=["O600A", "O600OLD"]))
    assert levels(found, "L3") == ["red"]
    assert "2012-06-11" in found["L3"][0]["message"]


def test_l3_an_unregistered_officer_is_red(world: World) -> None:
    found = findings(world, "LO600-L3-004", lawful("LO600-L3-004", officers=["O600A", "NOBODY"]))
    assert levels(found, "L3") == ["red"]


# --------------------------------------------------------------------------- L4 legal basis


def test_l4_a_basis_repealed_on_the_decision_date_is_invalid(world: World) -> None:
    # Given the basis is repealed with effect from 2012-06-12, When the decision of 06-12 cites it
    found = findings(world, "LO600-L4-001", lawful("LO600-L4-001", decision={"basis_ids": [REPEALED]}))
    assert levels(found, "L4") == ["red"]
    assert "2012-06-12" in found["L4"][0]["message"]


def test_l4_the_day_before_the_repeal_the_basis_is_valid(world: World) -> None:
    found = findings(
        world,
        "LO600-L4-002",
        lawful("LO600-L4-002", decided_at=t("2012-06-11"), decision={"basis_ids": [REPEALED]}),
    )
    assert "L4" not in found


def test_l4_a_basis_that_is_not_the_items_is_red(world: World) -> None:
    found = findings(world, "LO600-L4-003", lawful("LO600-L4-003", decision={"basis_ids": [FOREIGN]}))
    assert levels(found, "L4") == ["red"]


# --------------------------------------------------------------------------- L5 hearing notice


@pytest.mark.parametrize(
    ("n", "party", "amount", "required"),
    [
        (1, PERSON, 499, False),
        (2, PERSON, 500, True),
        (3, ORG, 999, False),
        (4, ORG, 1000, True),
        (5, BUSINESS, 19999, False),
        (6, BUSINESS, 20000, True),
    ],
)
def test_l5_hearing_notice_thresholds(
    world: World, n: int, party: dict[str, Any], amount: int, required: bool
) -> None:
    # Given a prior notice that did not tell the party of the right to a hearing
    case_no = f"LO600-L5-00{n}"
    found = findings(
        world,
        case_no,
        lawful(
            case_no, WIDE, party=party, amount=amount, hearing_notified=False, decision={"tier": "medium"}
        ),
    )
    # Then a hearing notice was required exactly from the threshold up
    assert levels(found, "L5") == (["red"] if required else [])


def test_l5_a_suspension_always_needs_the_hearing_notice(world: World) -> None:
    found = findings(
        world,
        "LO600-L5-007",
        lawful(
            "LO600-L5-007",
            WIDE,
            party=PERSON,
            hearing_notified=False,
            proposed={"types": ["suspension"]},
            decision={"types": ["suspension"], "amount": None, "tier": None},
        ),
    )
    assert levels(found, "L5") == ["red"]


# --------------------------------------------------------------------------- L6 request window / pending


def test_l6_deciding_on_the_last_day_of_the_request_window_is_red(world: World) -> None:
    # Given the hearing right notified on 06-05: the party may ask until 06-08
    found = findings(world, "LO600-L6-001", lawful("LO600-L6-001", decided_at=t("2012-06-08", 16)))
    assert levels(found, "L6") == ["red"]


def test_l6_deciding_after_the_window_is_lawful(world: World) -> None:
    found = findings(world, "LO600-L6-002", lawful("LO600-L6-002", decided_at=t("2012-06-09")))
    assert "L6" not in found


def test_l6_deciding_while_a_requested_hearing_is_pending_is_red(world: World) -> None:
    found = findings(
        world,
        "LO600-L6-003",
        lawful(
            "LO600-L6-003",
            extra=[
                ("hearing_requested", t("2012-06-06"), {}),
                ("hearing_noticed", t("2012-06-07"), {"hearing_at": t("2012-06-20")}),
            ],
        ),
    )
    assert levels(found, "L6") == ["red"]


# --------------------------------------------------------------------------- L7 hearing notice period / chair


def hearing(noticed: str, held: str, chair: str = "O600X") -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("hearing_requested", t("2012-06-06"), {}),
        ("hearing_noticed", t(noticed), {"hearing_at": t(held)}),
        ("hearing_held", t(held), {"chair": chair, "result": "维持拟处罚意见"}),
    ]


def test_l7_a_hearing_six_days_after_its_notice_is_red(world: World) -> None:
    found = findings(
        world,
        "LO600-L7-001",
        lawful("LO600-L7-001", extra=hearing("2012-06-07", "2012-06-13"), decided_at=t("2012-06-20")),
    )
    assert levels(found, "L7") == ["red"]


def test_l7_a_hearing_seven_days_after_its_notice_is_lawful(world: World) -> None:
    found = findings(
        world,
        "LO600-L7-002",
        lawful("LO600-L7-002", extra=hearing("2012-06-07", "2012-06-14"), decided_at=t("2012-06-20")),
    )
    assert "L7" not in found
    assert "L6" not in found


def test_l7_an_investigator_chairing_the_hearing_is_red(world: World) -> None:
    found = findings(
        world,
        "LO600-L7-003",
        lawful(
            "LO600-L7-003", extra=hearing("2012-06-07", "2012-06-14", "O600B"), decided_at=t("2012-06-20")
        ),
    )
    assert levels(found, "L7") == ["red"]
    assert "回避" in found["L7"][0]["message"]


# --------------------------------------------------------------------------- L8 prior notice


def test_l8_a_decision_without_prior_notice_is_red(world: World) -> None:
    found = findings(world, "LO600-L8-001", lawful("LO600-L8-001", notice_at=None))
    assert levels(found, "L8") == ["red"]


def test_l8_a_notice_served_after_the_decision_does_not_count(world: World) -> None:
    found = findings(world, "LO600-L8-002", lawful("LO600-L8-002", notice_at=t("2012-06-13")))
    assert levels(found, "L8") == ["red"]


# --------------------------------------------------------------------------- L10 authority / catalog


def test_l10_a_penalty_on_an_item_not_in_the_catalog_is_red(world: World) -> None:
    found = findings(world, "LO600-L10-001", lawful("LO600-L10-001", UNKNOWN))
    assert levels(found, "L10") == ["red"]


def test_l10_an_item_not_yet_in_force_when_the_case_was_opened_is_red(world: World) -> None:
    found = findings(world, "LO600-L10-002", lawful("LO600-L10-002", LATER))
    assert levels(found, "L10") == ["red"]


def test_l10_the_same_item_once_in_force_is_lawful(world: World) -> None:
    found = findings(
        world,
        "LO600-L10-003",
        lawful(
            "LO600-L10-003",
            LATER,
            opened_at=t("2012-07-02"),
            notice_at=t("2012-07-05"),
            decided_at=t("2012-07-12"),
        ),
    )
    assert "L10" not in found


# --------------------------------------------------------------------------- L11 case time limit


def test_l11_a_decision_after_the_90_day_limit_is_red(world: World) -> None:
    # Given a case opened 2012-01-05: 90 days end on 2012-04-04
    found = findings(
        world,
        "LO600-L11-001",
        lawful(
            "LO600-L11-001", opened_at=t("2012-01-05"), notice_at=t("2012-03-30"), decided_at=t("2012-04-05")
        ),
    )
    assert "red" in levels(found, "L11")


def test_l11_a_decision_on_the_last_day_is_in_time(world: World) -> None:
    found = findings(
        world,
        "LO600-L11-002",
        lawful(
            "LO600-L11-002", opened_at=t("2012-01-05"), notice_at=t("2012-03-30"), decided_at=t("2012-04-04")
        ),
    )
    assert "L11" not in found


def test_l11_the_sweep_raises_an_undecided_case_past_its_limit(world: World) -> None:
    # Given a case opened 2011-02-01 and never decided (limit 2011-05-02)
    case_no = "LO600-L11-003"
    found = findings(
        world, case_no, lawful(case_no, opened_at=t("2011-02-01"), notice_at=None, decided_at=None)
    )
    assert "L11" not in found
    # When the sweep runs as of a day before the limit ends, then as of a day after it
    for as_of, expect_red in (("2011-05-02T12:00:00+08:00", False), ("2011-05-03T09:00:00+08:00", True)):
        r = world.api.admin("POST", "/supervision/sweep", {"as_of": as_of})
        assert r.status_code == 200, r.text
        assert world.wait()
        items = world.api.get("/legal/findings", token=world.legal, case_no=case_no, check="L11").json()[
            "items"
        ]
        assert ("red" in [f["level"] for f in items]) == expect_red
    # Then sweeping again raises nothing twice
    world.api.admin("POST", "/supervision/sweep", {"as_of": "2011-05-03T09:00:00+08:00"})
    assert world.wait()
    again = world.api.get("/legal/findings", token=world.legal, case_no=case_no, check="L11").json()["items"]
    assert len(again) == len(items)


# --------------------------------------------------------------------------- thresholds with effective dates


@pytest.fixture
def rules_restored(world: World) -> Iterator[None]:
    legal = world.legal
    r = world.api.get("/admin/rules", token=legal)
    assert r.status_code == 200, r.text
    before = r.json()["overrides"]
    yield
    assert world.api.admin("PUT", "/admin/rules", before).status_code == 200


def test_a_threshold_change_applies_only_to_acts_after_its_effective_date(
    world: World, rules_restored: None
) -> None:
    # Given the person threshold raised from 500 to 5,000 yuan with effect from 2019-03-01
    r = world.api.admin(
        "PUT",
        "/admin/rules",
        {"hearing_threshold_person_non_business": [{"effective_from": "2019-03-01", "value": 5000}]},
    )
    assert r.status_code == 200, r.text
    schedule = r.json()["config"]["hearing_threshold_person_non_business"]
    assert [e["effective_from"] for e in schedule] == [None, "2019-03-01"]

    def case(case_no: str, notice_day: str, amount: int) -> dict[str, list[dict[str, Any]]]:
        return findings(
            world,
            case_no,
            lawful(
                case_no,
                WIDE,
                party=PERSON,
                amount=amount,
                hearing_notified=False,
                opened_at=t("2019-02-20"),
                notice_at=t(notice_day),
                decided_at=t("2019-03-15"),
                decision={"tier": "light"},
            ),
        )

    # When an 800-yuan fine is noticed the day before the change, Then the old threshold applies
    assert levels(case("LO600-TH-001", "2019-02-28", 800), "L5") == ["red"]
    # When the same fine is noticed on the effective date, Then no hearing notice was needed
    assert "L5" not in case("LO600-TH-002", "2019-03-01", 800)
    # And the new threshold itself requires it
    assert levels(case("LO600-TH-003", "2019-03-01", 5000), "L5") == ["red"]


def test_rule_changes_are_admin_only_and_validated(world: World) -> None:
    r = world.api.call("PUT", "/admin/rules", {"hearing_threshold_business": 1}, token=world.legal)
    assert r.status_code == 403
    r = world.api.admin(
        "PUT",
        "/admin/rules",
        {"hearing_threshold_business": [{"effective_from": "x", "value": 1}], "no_such_rule": 3},
    )
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {
        "hearing_threshold_business.0.effective_from",
        "no_such_rule",
    }
