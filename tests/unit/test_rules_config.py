"""Rule configuration (规则参数): defaults, dated thresholds, and validated overrides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.kernel.errors import ValidationError
from chalicelib.kernel.rules_config import PARAMS, RuleConfig, Threshold

DAY = date(2012, 6, 4)


def test_the_shipped_defaults_are_the_domain_defaults_table() -> None:
    cfg = RuleConfig.defaults()
    expected: dict[str, Any] = {
        "late_report_hours": 24,
        "supplement_first_notice_wd": 5,
        "delivery_wd": 10,
        "extension_cap_wd": 10,
        "extension_cap_joint_wd": 15,
        "preliminary_review_days": 20,
        "hearing_threshold_person_non_business": Decimal(500),
        "hearing_threshold_org_non_business": Decimal(1000),
        "hearing_threshold_business": Decimal(20000),
        "hearing_request_days": 3,
        "hearing_notice_days": 7,
        "hearing_filing_days": 15,
        "declare_days": 20,
        "legal_reply_days": 10,
        "r1_mode": "last_working_day",
    }
    assert {name: cfg.value(name, DAY) for name in expected} == expected
    # and they hold for any date an act could have
    assert cfg.value("late_report_hours", date(1990, 1, 1)) == 24


def test_a_threshold_change_applies_only_on_and_after_its_effective_date() -> None:
    # Given the person hearing threshold raised to 5,000 yuan from 2021-07-15
    cfg = RuleConfig.from_dict(
        {"hearing_threshold_person_non_business": [{"effective_from": "2021-07-15", "value": 5000}]}
    )
    # Then an act the day before still uses 500, an act on the day and later uses 5,000
    assert cfg.decimal_value("hearing_threshold_person_non_business", date(2021, 7, 14)) == Decimal(500)
    assert cfg.decimal_value("hearing_threshold_person_non_business", date(2021, 7, 15)) == Decimal(5000)
    assert cfg.decimal_value("hearing_threshold_person_non_business", date(2025, 1, 1)) == Decimal(5000)
    # and the other thresholds are untouched
    assert cfg.decimal_value("hearing_threshold_business", date(2025, 1, 1)) == Decimal(20000)


def test_several_dated_values_form_a_history() -> None:
    cfg = RuleConfig.from_dict(
        {
            "late_report_hours": [
                {"effective_from": "2013-01-01", "value": 12},
                {"effective_from": "2012-07-01", "value": 48},
            ]
        }
    )
    assert [
        cfg.int_value("late_report_hours", date.fromisoformat(x))
        for x in ("2012-06-30", "2012-07-01", "2012-12-31", "2013-01-01")
    ] == [24, 48, 48, 12]
    assert [e.effective_from for e in cfg.schedule("late_report_hours")] == [
        date.min,
        date(2012, 7, 1),
        date(2013, 1, 1),
    ]


def test_a_bare_value_replaces_the_default_from_the_beginning() -> None:
    cfg = RuleConfig.from_dict({"delivery_wd": 15, "r1_mode": "ratio"})
    assert cfg.int_value("delivery_wd", date(2000, 1, 1)) == 15
    assert cfg.str_value("r1_mode", DAY) == "ratio"


def test_overrides_merge_onto_a_base_configuration() -> None:
    base = RuleConfig.from_dict({"delivery_wd": 15})
    cfg = RuleConfig.from_dict({"declare_days": [{"effective_from": "2012-07-01", "value": 30}]}, base=base)
    assert cfg.int_value("delivery_wd", DAY) == 15
    assert cfg.int_value("declare_days", date(2012, 7, 1)) == 30


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"no_such_rule": 3}, "no_such_rule"),
        ({"late_report_hours": "many"}, "late_report_hours"),
        ({"late_report_hours": 0}, "late_report_hours"),
        ({"late_report_hours": True}, "late_report_hours"),
        (
            {"late_report_hours": [{"effective_from": "2012-13-01", "value": 5}]},
            "late_report_hours.0.effective_from",
        ),
        ({"late_report_hours": [{"effective_from": "2012-07-01"}]}, "late_report_hours.0"),
        (
            {
                "late_report_hours": [
                    {"effective_from": "2012-07-01", "value": 5},
                    {"effective_from": "2012-07-01", "value": 6},
                ]
            },
            "late_report_hours.1.effective_from",
        ),
        (
            {"hearing_threshold_business": [{"effective_from": "2012-07-01", "value": -1}]},
            "hearing_threshold_business.0.value",
        ),
        (
            {"hearing_threshold_business": [{"effective_from": "2012-07-01", "value": "abc"}]},
            "hearing_threshold_business.0.value",
        ),
        ({"r1_mode": "whenever"}, "r1_mode"),
        ({"r1_ratio": 1.5}, "r1_ratio"),
        ({"declare_days": {"effective_from": "2012-07-01", "value": 30, "note": "x"}}, "declare_days.note"),
    ],
)
def test_bad_overrides_are_rejected_naming_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RuleConfig.from_dict(raw)
    assert field in [d["field"] for d in caught.value.details]
    assert all(d["message"] for d in caught.value.details)


def test_a_non_object_override_is_rejected() -> None:
    with pytest.raises(ValidationError):
        RuleConfig.from_dict(["late_report_hours", 3])


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        RuleConfig.from_dict({"late_report_hours": "x", "delivery_wd": -2, "bogus": 1})
    assert {d["field"] for d in caught.value.details} == {"late_report_hours", "delivery_wd", "bogus"}


def test_to_dict_round_trips() -> None:
    cfg = RuleConfig.from_dict(
        {
            "hearing_threshold_org_non_business": [{"effective_from": "2021-07-15", "value": "10000.50"}],
            "late_report_hours": [{"effective_from": "2012-07-01", "value": 48}],
        }
    )
    data = cfg.to_dict()
    assert data["late_report_hours"] == [
        {"effective_from": None, "value": 24},
        {"effective_from": "2012-07-01", "value": 48},
    ]
    assert RuleConfig.from_dict(data) == cfg
    assert set(data) == set(PARAMS)


def test_with_threshold_returns_a_new_configuration_and_leaves_the_old_one_alone() -> None:
    base = RuleConfig.defaults()
    changed = base.with_threshold("hearing_request_days", date(2021, 7, 15), 5)
    assert changed.int_value("hearing_request_days", date(2021, 7, 15)) == 5
    assert base.int_value("hearing_request_days", date(2021, 7, 15)) == 3
    assert changed != base


def test_unknown_names_are_programming_errors() -> None:
    with pytest.raises(KeyError):
        RuleConfig.defaults().value("nope", DAY)
    with pytest.raises(KeyError):
        RuleConfig({"nope": [Threshold(DAY, 1)]})
