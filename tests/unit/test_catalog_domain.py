"""Power catalog (行政权力库) declarations: every bad field named, all at once, in Chinese."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.catalog.domain.items import (
    CATEGORIES,
    CATEGORY_FIELDS,
    InvalidCodeError,
    ItemVersion,
    Penalty,
    declaration_due,
    declaration_problems,
    display_code,
    normalize_code,
    review_due,
    review_overdue,
    version_in_force,
)
from chalicelib.catalog.domain.validation import validate_declaration

CJK = re.compile(r"[\u4e00-\u9fff]")
SHANGHAI = timezone(timedelta(hours=8))

# The docs/CONTRACT.md §4 example body.
LICENSE: dict[str, Any] = {
    "code": "320300015XK00400",
    "name": "建设项目环境影响评价文件审批",
    "category": "XK",
    "dept_code": "015",
    "legal_basis": [
        {"id": "EIA-LAW-22", "title": "《中华人民共和国环境影响评价法》", "article": "第二十二条"}
    ],
    "conditions": "依法应当编制环境影响报告表的建设项目",
    "materials": [{"name": "环境影响报告表", "required": True}],
    "statutory_limit": {"value": 20, "unit": "working_day"},
    "promised_limit": {"value": 5, "unit": "working_day"},
    "fee": {"charged": False},
    "steps": [
        {"code": "1", "name": "承办", "limit_days": 2},
        {"code": "2", "name": "审核", "limit_days": 1},
        {"code": "3", "name": "批准", "limit_days": 1},
    ],
    "place": "徐州市政务服务中心",
    "phone": "0516-00000000",
    "supervision_phone": "0516-11111111",
    "risk_points": [
        {"step_code": "1", "description": "故意刁难申请人", "level": 2, "controls": ["限时办结"]}
    ],
    "penalty": None,
}

PENALTY: dict[str, Any] = {
    "types": ["warning", "fine"],
    "fine_min": 1000,
    "fine_max": 10000,
    "tiers": [
        {"tier": "light", "min": 1000, "max": 3000},
        {"tier": "medium", "min": 3000, "max": 6000},
        {"tier": "heavy", "min": 6000, "max": 10000},
    ],
    "case_limit_days": 90,
}


def body(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(LICENSE)
    out.update(copy.deepcopy(changes))
    return out


def penalty_item(**penalty_changes: Any) -> dict[str, Any]:
    penalty = copy.deepcopy(PENALTY)
    penalty.update(penalty_changes)
    return body(code="320300-015-CF-021-00", category="CF", name="对未批先建的行政处罚", penalty=penalty)


def fields(raw: Any) -> list[str]:
    item, details = validate_declaration(raw)
    assert item is None
    return [d["field"] for d in details]


# --- codes ------------------------------------------------------------------------------------


def test_both_code_forms_are_accepted_and_the_plain_form_is_returned() -> None:
    assert normalize_code("320300-015-XK-004-00") == "320300015XK00400"
    assert normalize_code(" 320300015xk00400 ") == "320300015XK00400"
    assert display_code("320300015XK00400") == "320300-015-XK-004-00"


@pytest.mark.parametrize(
    "raw", ["", "320300015XK0040", "320300-015-XK00400", "320300015ZZ00400", None, 320300]
)
def test_malformed_codes_are_refused(raw: Any) -> None:
    with pytest.raises(InvalidCodeError):
        normalize_code(raw)


# --- a valid declaration ----------------------------------------------------------------------


def test_the_contract_example_is_valid_and_its_dashed_code_is_stored_plain() -> None:
    # Given the contract example sent with the dashed display code
    item, details = validate_declaration(body(code="320300-015-XK-004-00"))
    # Then it is accepted as is, with the plain code
    assert details == []
    assert item is not None and item.code == "320300015XK00400"
    assert declaration_problems(item) == []


def test_a_penalty_item_with_three_contiguous_tiers_is_valid() -> None:
    item, details = validate_declaration(penalty_item())
    assert details == []
    assert item is not None and item.penalty is not None
    assert [t.tier for t in item.penalty.tiers] == ["light", "medium", "heavy"]


def test_tiers_may_meet_at_a_shared_bound_or_one_fen_apart() -> None:
    tiers = [
        {"tier": "light", "min": 1000, "max": 3000},
        {"tier": "medium", "min": "3000.01", "max": 6000},
        {"tier": "heavy", "min": 6000, "max": 10000},
    ]
    assert validate_declaration(penalty_item(tiers=tiers))[1] == []


# --- each bad field named ---------------------------------------------------------------------


def test_a_bad_code_is_named() -> None:
    assert fields(body(code="32-0300-015")) == ["code"]


def test_a_promise_longer_than_the_law_allows_is_named() -> None:
    # Given a promised limit of 25 working days against a statutory 20
    item, details = validate_declaration(body(promised_limit={"value": 25, "unit": "working_day"}))
    # Then the promised limit is the bad field, explained in Chinese
    assert item is None
    assert details == [{"field": "promised_limit", "type": "invalid", "message": "承诺时限不得超过法定时限"}]


def test_a_calendar_day_promise_is_compared_with_working_days() -> None:
    # 30 calendar days are about 21 working days: more than the statutory 20
    assert fields(body(promised_limit={"value": 30, "unit": "calendar_day"})) == ["promised_limit"]
    assert validate_declaration(body(promised_limit={"value": 28, "unit": "calendar_day"}))[1] == []


@pytest.mark.parametrize("penalty", [None, "absent"])
def test_a_penalty_item_without_penalty_terms_is_named(penalty: Any) -> None:
    raw = penalty_item()
    if penalty == "absent":
        del raw["penalty"]
    else:
        raw["penalty"] = None
    assert fields(raw) == ["penalty"]


def test_penalty_terms_on_a_license_item_are_refused() -> None:
    assert fields(body(penalty=PENALTY)) == ["penalty"]


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        (
            [PENALTY["tiers"][0], {"tier": "heavy", "min": 3000, "max": 10000}],
            "至少应设轻、中、重三个档次",
        ),
        (
            [{"tier": "light", "min": 1000, "max": 4000}, *PENALTY["tiers"][1:]],
            "light 与 medium 重叠",
        ),
        (
            [{"tier": "light", "min": 1000, "max": 2000}, *PENALTY["tiers"][1:]],
            "light 与 medium 之间存在空档",
        ),
        (
            [*PENALTY["tiers"][:2], {"tier": "heavy", "min": 6000, "max": 9000}],
            "上端",
        ),
        (
            [{"tier": "light", "min": 1500, "max": 3000}, *PENALTY["tiers"][1:]],
            "下端",
        ),
    ],
    ids=["fewer-than-three", "overlap", "gap", "top-uncovered", "bottom-uncovered"],
)
def test_discretion_tiers_that_do_not_cover_the_range_exactly_are_named(
    tiers: list[dict[str, Any]], expected: str
) -> None:
    item, details = validate_declaration(penalty_item(tiers=tiers))
    assert item is None
    assert [d["field"] for d in details] == ["penalty.tiers"]
    assert expected in details[0]["message"]


def test_an_inverted_statutory_range_names_fine_max() -> None:
    item, details = validate_declaration(penalty_item(fine_min=20000))
    assert item is None
    assert "penalty.fine_max" in [d["field"] for d in details]


def test_a_fine_without_its_statutory_range_names_both_bounds() -> None:
    assert fields(penalty_item(fine_min=None, fine_max=None)) == ["penalty.fine_min", "penalty.fine_max"]


def test_a_tier_outside_the_statutory_range_and_an_inverted_tier_are_named_by_position() -> None:
    tiers = [*PENALTY["tiers"][:2], {"tier": "heavy", "min": 6000, "max": 20000}]
    assert "penalty.tiers.2.max" in fields(penalty_item(tiers=tiers))
    inverted = [PENALTY["tiers"][0], {"tier": "medium", "min": 6000, "max": 3000}, PENALTY["tiers"][2]]
    assert fields(penalty_item(tiers=inverted)) == ["penalty.tiers.1.max"]
    assert fields(
        penalty_item(tiers=[PENALTY["tiers"][0], {"tier": "medium", "max": 6000}, PENALTY["tiers"][2]])
    ) == ["penalty.tiers.1.min"]


def test_duplicate_tier_names_are_named() -> None:
    tiers = [PENALTY["tiers"][0], {**PENALTY["tiers"][1], "tier": "light"}, PENALTY["tiers"][2]]
    assert fields(penalty_item(tiers=tiers)) == ["penalty.tiers.1.tier"]


def test_a_penalty_model_built_directly_still_refuses_overlapping_tiers() -> None:
    with pytest.raises(ValidationError, match="重叠"):
        Penalty.model_validate(
            {**PENALTY, "tiers": [{"tier": "light", "min": 1000, "max": 4000}, *PENALTY["tiers"][1:]]}
        )


def test_a_warning_only_penalty_needs_no_tiers() -> None:
    raw = penalty_item()
    raw["penalty"] = {"types": ["warning"], "case_limit_days": 90}
    assert validate_declaration(raw)[1] == []


def test_missing_required_fields_are_each_named() -> None:
    raw = body()
    for key in ("name", "legal_basis", "statutory_limit", "fee", "steps"):
        del raw[key]
    assert sorted(fields(raw)) == ["fee", "legal_basis", "name", "statutory_limit", "steps"]


def test_empty_lists_and_blank_texts_count_as_missing() -> None:
    raw = body(legal_basis=[], steps=[], name="  ")
    assert sorted(fields(raw)) == ["legal_basis", "name", "steps"]


@pytest.mark.parametrize(
    ("fee", "expected"),
    [
        ({"charged": True}, ["fee.amount", "fee.basis"]),
        ({"charged": True, "amount": 100}, ["fee.basis"]),
        ({"charged": True, "basis": "苏价费〔2012〕1号"}, ["fee.amount"]),
        ({"charged": True, "amount": 0, "basis": "苏价费〔2012〕1号"}, ["fee.amount"]),
        ({"charged": False, "amount": 50}, ["fee.amount"]),
        ({"charged": True, "amount": "12.345", "basis": "x"}, ["fee.amount"]),
    ],
)
def test_a_fee_must_state_its_amount_and_basis_when_charged(fee: dict[str, Any], expected: list[str]) -> None:
    assert fields(body(fee=fee)) == expected


def test_a_charged_fee_with_amount_and_basis_is_valid() -> None:
    item, details = validate_declaration(
        body(fee={"charged": True, "amount": 100.00, "basis": "苏价费〔2012〕1号"})
    )
    assert details == [] and item is not None and item.fee.amount == 100


def test_a_risk_point_on_an_unknown_step_is_named() -> None:
    raw = body(
        risk_points=[LICENSE["risk_points"][0], {"step_code": "9", "description": "越权审批", "level": 1}]
    )
    assert fields(raw) == ["risk_points.1.step_code"]


def test_category_and_department_that_contradict_the_code_are_named() -> None:
    assert sorted(fields(body(category="SP", dept_code="016"))) == ["category", "dept_code"]


def test_bad_enumerations_are_named_with_the_allowed_values() -> None:
    raw = body(
        category="XX",
        promised_limit={"value": 5, "unit": "hour"},
        risk_points=[{"step_code": "1", "description": "x", "level": 5}],
    )
    item, details = validate_declaration(raw)
    assert item is None
    by_field = {d["field"]: d["message"] for d in details}
    assert set(by_field) == {"category", "promised_limit.unit", "risk_points.0.level"}
    assert "working_day" in by_field["promised_limit.unit"]


def test_unknown_fields_are_refused_by_name() -> None:
    assert fields(body(declared_by="zhangsan")) == ["declared_by"]


def test_every_problem_is_reported_at_once() -> None:
    # Given a penalty body with a field error, model-level errors and cross-field errors together
    raw = penalty_item(tiers=PENALTY["tiers"][:2])
    raw.update(
        dept_code="016",
        promised_limit={"value": 30, "unit": "working_day"},
        fee={"charged": True},
        risk_points=[{"step_code": "9", "description": "x", "level": 2}],
    )
    del raw["name"]
    # When it is validated
    item, details = validate_declaration(raw)
    # Then every bad field is named in one answer, each with a Chinese message
    assert item is None
    assert sorted(d["field"] for d in details) == sorted(
        [
            "name",
            "fee.amount",
            "fee.basis",
            "penalty.tiers",
            "penalty.tiers",
            "dept_code",
            "promised_limit",
            "risk_points.0.step_code",
        ]
    )
    assert all(CJK.search(d["message"]) for d in details)
    assert all(set(d) == {"field", "type", "message"} for d in details)


# --- category-specific fields -----------------------------------------------------------------


def _of_category(category: str) -> dict[str, Any]:
    return body(code=f"320300015{category}00100", category=category)


@pytest.mark.parametrize("category", sorted(CATEGORY_FIELDS))
def test_each_category_names_its_missing_specific_fields(category: str) -> None:
    # Given an item of the category with no category_fields at all
    item, details = validate_declaration(_of_category(category))
    # Then each required key is named, with its Chinese label in the message
    assert item is None
    required = CATEGORY_FIELDS[category]
    assert [d["field"] for d in details] == [f"category_fields.{k}" for k in required]
    for d, label in zip(details, required.values(), strict=True):
        assert label in d["message"]


@pytest.mark.parametrize("category", sorted(CATEGORY_FIELDS))
def test_filled_category_fields_make_the_item_valid_and_extra_keys_are_kept(category: str) -> None:
    raw = _of_category(category)
    raw["category_fields"] = {k: f"{label}说明" for k, label in CATEGORY_FIELDS[category].items()}
    raw["category_fields"]["preliminary_review"] = "true"
    item, details = validate_declaration(raw)
    assert details == []
    assert item is not None and item.category_fields["preliminary_review"] == "true"


def test_a_blank_category_field_counts_as_missing() -> None:
    raw = _of_category("ZS")
    raw["category_fields"] = {"levy_payer": "  ", "levy_standard": "按面积征收"}
    assert fields(raw) == ["category_fields.levy_payer"]


def test_the_category_field_table_stays_small_and_uses_known_categories() -> None:
    keys = {k for spec in CATEGORY_FIELDS.values() for k in spec}
    assert set(CATEGORY_FIELDS) <= set(CATEGORIES)
    assert 8 <= len(keys) <= 14
    assert all(CJK.search(label) for spec in CATEGORY_FIELDS.values() for label in spec.values())


# --- never raises -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [None, [], "x", 42, {}, {"code": 5, "steps": "x", "fee": []}, {"penalty": {"tiers": 3}}]
)
def test_garbage_is_answered_with_details_not_an_exception(raw: Any) -> None:
    item, details = validate_declaration(raw)
    assert item is None and details
    assert all(CJK.search(d["message"]) for d in details)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from([*LICENSE, "penalty_tiers", "fee_amount"]), value=JSON)
def test_any_single_field_replaced_by_any_json_never_raises(key: str, value: Any) -> None:
    raw = penalty_item()
    if key == "penalty_tiers":
        raw["penalty"]["tiers"][1] = value
    elif key == "fee_amount":
        raw["fee"] = {"charged": True, "amount": value, "basis": "x"}
    else:
        raw[key] = value
    item, details = validate_declaration(raw)
    assert (item is None) == bool(details)
    assert all(isinstance(d["field"], str) and d["message"] for d in details)


# --- versions and governance deadlines --------------------------------------------------------


def _version(
    version: int, status: str, effective: str | None, declared_at: str, confirmed_at: str | None = None
) -> ItemVersion:
    item, _ = validate_declaration(body())
    assert item is not None
    return ItemVersion(
        code=item.code,
        version=version,
        status=status,  # type: ignore[arg-type]
        declared_at=declared_at,
        declared_by="staff015",
        effective_from=date.fromisoformat(effective) if effective else None,
        confirmed_at=confirmed_at,
        item=item,
    )


def test_the_version_in_force_is_the_latest_confirmed_one_already_effective() -> None:
    v1 = _version(1, "confirmed", "2012-01-01", "2011-12-20T10:00:00+08:00")
    v2 = _version(2, "confirmed", "2012-07-01", "2012-06-20T10:00:00+08:00")
    v3 = _version(3, "declared", None, "2012-08-01T10:00:00+08:00")
    history = [v1, v2, v3]
    assert version_in_force(history, date(2012, 6, 29)) is v1
    assert version_in_force(history, date(2012, 7, 1)) is v2
    assert version_in_force(history, date(2011, 12, 31)) is None


def test_a_department_has_twenty_calendar_days_to_declare_after_a_law_changes() -> None:
    assert declaration_due(date(2012, 6, 1)) == date(2012, 6, 21)
    assert declaration_due(date(2012, 6, 1), days=5, unit="working_day") == date(2012, 6, 8)


def test_the_legal_office_reply_is_late_after_ten_days() -> None:
    # Given a version declared at 23:30 Shanghai time on 2012-06-01 (15:30 UTC)
    pending = _version(2, "declared", None, "2012-06-01T15:30:00+00:00")
    assert review_due(date(2012, 6, 1)) == date(2012, 6, 11)
    # Then it is on time through the end of 06-11 and late from 06-12 (Shanghai)
    assert not review_overdue(pending, datetime(2012, 6, 11, 23, 59, tzinfo=SHANGHAI))
    assert review_overdue(pending, datetime(2012, 6, 12, 0, 0, tzinfo=SHANGHAI))
    # And a confirmation is judged by when it happened, not by when we look
    late = _version(2, "confirmed", "2012-07-01", "2012-06-01T10:00:00+08:00", "2012-06-15T09:00:00+08:00")
    prompt = _version(2, "confirmed", "2012-07-01", "2012-06-01T10:00:00+08:00", "2012-06-05T09:00:00+08:00")
    assert review_overdue(late, datetime(2012, 6, 16, tzinfo=SHANGHAI))
    assert not review_overdue(prompt, datetime(2013, 1, 1, tzinfo=SHANGHAI))


def test_tiers_written_in_whole_yuan_are_contiguous_and_a_fraction_between_belongs_to_the_lower() -> None:
    # Given a benchmark written the way legal offices write them: 1000–3000, 3001–6000, 6001–10000
    tiers = [{"tier": "light", "min": 1000, "max": 3000}, {"tier": "medium", "min": 3001, "max": 6000},
             {"tier": "heavy", "min": 6001, "max": 10000}]
    item, details = validate_declaration(penalty_item(tiers=tiers))
    # Then it is valid
    assert details == [] and item is not None and item.penalty is not None
    terms = item.penalty
    light, medium = terms.tiers[0], terms.tiers[1]
    # And 3000.50 yuan is still the light tier, 3001 the medium one
    assert terms.tier_contains(light, Decimal("3000.50")) and not terms.tier_contains(medium, Decimal("3000.50"))
    assert terms.tier_contains(medium, Decimal("3001")) and not terms.tier_contains(light, Decimal("3001"))
    # While a two-yuan step, or a one-fen step after a fractional bound, is a gap
    for bad in ([{"tier": "light", "min": 1000, "max": 3000}, {"tier": "medium", "min": 3002, "max": 6000}],
                [{"tier": "light", "min": 1000, "max": 3000.5}, {"tier": "medium", "min": 3001, "max": 6000}]):
        _item, details = validate_declaration(penalty_item(tiers=[*bad, tiers[2]]))
        assert [d["field"] for d in details] == ["penalty.tiers"] and "空档" in details[0]["message"]
