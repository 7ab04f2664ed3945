"""Exchange event schemas (交换事件): what a department system may push, and what it is told back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.cases.domain.events import (
    EVENT_TYPES,
    LICENSING_TYPES,
    PENALTY_TYPES,
    TYPE_NAMES,
    ConcludedData,
    parse_event,
    prefix_errors,
    unknown_fields,
)

XK = "320300015XK00400"
CF = "320300015CF02100"


def raw_event(type_: str, data: Any = None, **over: Any) -> dict[str, Any]:
    item = CF if type_ in PENALTY_TYPES else XK
    event: dict[str, Any] = {
        "event_id": f"015-2012-000123-{type_}",
        "case_no": "3203000152012000123",
        "item_code": item,
        "type": type_,
        "occurred_at": "2012-06-04T09:30:00+08:00",
        "data_version": 1,
        "actor": {"name": "王某", "staff_no": "E0123", "title": "科员"},
        "data": {} if data is None else data,
    }
    event.update(over)
    return event


def fields(errors: list[dict[str, Any]]) -> list[str]:
    return [e["field"] for e in errors]


VALID: dict[str, dict[str, Any]] = {
    "submitted": {
        "applicant": {
            "type": "org",
            "name": "徐州某机械有限公司",
            "id_type": "USCC",
            "id_no": "91320300X",
            "phone": "0516",
        },
        "channel": "online",
        "materials": ["环境影响报告表", "申请书"],
    },
    "pre_accepted": {"status": "supplement", "reason": "缺少报告表"},
    "accepted": {"status": "accepted", "query_password": "k3x9m2"},
    "step": {"step_code": "1", "step_name": "承办", "opinion": "同意", "status": "passed"},
    "supplement_requested": {"reason": "材料不全", "missing_materials": ["环境影响报告表"]},
    "supplement_received": {"materials": ["环境影响报告表"]},
    "special_started": {
        "seq": 1,
        "kind": "B",
        "name": "专家评审",
        "approver": "李某",
        "reason": "需专家论证",
        "limit": {"value": 5, "unit": "working_day"},
    },
    "special_ended": {"seq": "1", "result": "通过"},
    "concluded": {
        "result_code": 0,
        "result_desc": "准予许可",
        "cert_name": "批复",
        "cert_no": "徐环审[2012]1号",
        "fee_amount": "0.00",
    },
    "delivered": {"mode": "window"},
    "case_opened": {
        "party": {"type": "person", "name": "张三", "id_no": "320300199001011234", "in_business": False},
        "cause": "未批先建",
        "officers": ["OF-1", "OF-2"],
    },
    "notice_served": {
        "proposed": {"types": ["fine"], "amount": 800, "tier": "light"},
        "hearing_notified": True,
    },
    "hearing_requested": {},
    "hearing_noticed": {"hearing_at": "2012-07-20T09:00:00+08:00"},
    "hearing_held": {"chair": "OF-9", "result": "维持"},
    "decided": {
        "decision_no": "徐环罚[2012]7号",
        "types": ["fine"],
        "amount": "800.00",
        "tier": "light",
        "tier_reason": "初次违法",
        "collective_discussion": False,
        "basis_ids": ["EIA-LAW-31"],
    },
    "served": {},
    "enforced": {"paid_amount": 800},
    "closed": {},
    "filed": {"filing_no": "徐法备〔2012〕15号"},
}


def test_every_event_type_has_a_valid_example_and_a_chinese_name() -> None:
    assert set(VALID) == set(EVENT_TYPES) == set(TYPE_NAMES)
    assert TYPE_NAMES["submitted"] == "申办"
    assert TYPE_NAMES["accepted"] == "受理"
    assert TYPE_NAMES["decided"] == "处罚决定"


@pytest.mark.parametrize("type_", EVENT_TYPES)
def test_a_well_formed_event_of_each_type_is_accepted_and_stored_json_safe(type_: str) -> None:
    # Given a well-formed event of this type for an item of the right family
    # When it is parsed
    event, errors = parse_event(raw_event(type_, VALID[type_]))
    # Then it is accepted, typed, and its data can be stored as JSON
    assert errors == []
    assert event is not None and event.type == type_
    stored = event.to_record()
    assert json.loads(json.dumps(stored, ensure_ascii=False)) == stored
    assert stored["occurred_at"] == "2012-06-04T09:30:00+08:00"


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("submitted", {"applicant": {"type": "robot"}}, "data.applicant.type"),
    ("submitted", {"channel": ["window"]}, "data.channel"),  # any word is kept (§11); a list is no channel
    ("submitted", {"materials": "申请书"}, "data.materials"),
    ("pre_accepted", {}, "data.status"),
    ("pre_accepted", {"status": "maybe"}, "data.status"),
    ("accepted", {"status": "ok"}, "data.status"),
    ("step", {"step_name": "承办"}, "data.step_code"),
    ("supplement_requested", {"missing_materials": [1]}, "data.missing_materials.0"),
    ("supplement_received", {"materials": {"a": 1}}, "data.materials"),
    ("special_started", {"seq": 1, "kind": "C"}, "data.kind"),
    ("special_started", {"kind": "A"}, "data.seq"),
    ("special_started", {"seq": 1, "kind": "A", "limit": {"value": 3, "unit": "hour"}}, "data.limit.unit"),
    ("special_ended", {"result": "通过"}, "data.seq"),
    ("concluded", {"result_code": 7}, "data.result_code"),
    ("concluded", {}, "data.result_code"),
    ("concluded", {"result_code": 0, "fee_amount": -1}, "data.fee_amount"),
    ("case_opened", {"party": {"type": "alien"}}, "data.party.type"),
    ("notice_served", {"proposed": {"amount": -5}}, "data.proposed.amount"),
    ("notice_served", {"hearing_notified": "perhaps"}, "data.hearing_notified"),
    ("hearing_noticed", {"hearing_at": "2012-07-20T09:00:00"}, "data.hearing_at"),
    ("hearing_held", {"chair": 123}, "data.chair"),
    ("decided", {}, "data"),
    ("decided", {"types": ["beheading"]}, "data.types.0"),
    ("enforced", {"paid_amount": "abc"}, "data.paid_amount"),
]


@pytest.mark.parametrize(("type_", "data", "field"), INVALID, ids=[f"{t}-{f}" for t, _, f in INVALID])
def test_a_malformed_data_field_is_rejected_and_named(type_: str, data: dict[str, Any], field: str) -> None:
    # Given an event whose data breaks the schema of its type
    event, errors = parse_event(raw_event(type_, data))
    # Then nothing is accepted and the bad field is named with a Chinese message
    assert event is None
    assert field in fields(errors)
    assert all(isinstance(e["message"], str) and e["message"] for e in errors)


def test_a_time_without_offset_is_rejected() -> None:
    event, errors = parse_event(
        raw_event("accepted", {"status": "accepted"}, occurred_at="2012-06-04T09:30:00")
    )
    assert event is None
    assert errors == [
        {"field": "occurred_at", "type": "timezone_aware", "message": "时间必须带时区偏移（如 +08:00）"}
    ]


def test_a_unix_timestamp_is_not_taken_for_a_time() -> None:
    event, errors = parse_event(raw_event("accepted", {}, occurred_at=1338773400))
    assert event is None and fields(errors) == ["occurred_at"]


def test_semantically_odd_events_are_not_schema_errors() -> None:
    # Given a rejection without a reason and a conclusion refusing the licence without a reason
    rejection = raw_event("accepted", {"status": "rejected"})
    refusal = raw_event("concluded", {"result_code": 1})
    # Then both are structurally fine: they are stored and raise signals later
    assert parse_event(rejection)[1] == []
    assert parse_event(refusal)[1] == []


def test_an_accepted_event_without_status_means_accepted() -> None:
    event, _ = parse_event(raw_event("accepted", {}))
    assert event is not None and event.data_dict()["status"] == "accepted"


@pytest.mark.parametrize("type_", PENALTY_TYPES)
def test_penalty_events_are_refused_for_licence_items(type_: str) -> None:
    event, errors = parse_event(raw_event(type_, VALID[type_], item_code=XK))
    assert event is None
    assert {"field": "type", "type": "family_mismatch"}.items() <= errors[-1].items()


@pytest.mark.parametrize("type_", LICENSING_TYPES)
def test_licensing_events_are_refused_for_penalty_items(type_: str) -> None:
    event, errors = parse_event(raw_event(type_, VALID[type_], item_code=CF))
    assert event is None
    assert "type" in fields(errors)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"event_id": "has\ttab"}, "event_id"),
        ({"event_id": ""}, "event_id"),
        ({"event_id": "x" * 129}, "event_id"),
        ({"case_no": "12"}, "case_no"),
        ({"case_no": "3203/0001"}, "case_no"),
        ({"item_code": "320300015XX00400"}, "item_code"),
        ({"item_code": 320300015}, "item_code"),
        ({"type": "approved"}, "type"),
        ({"data_version": 0}, "data_version"),
        ({"data_version": True}, "data_version"),
        ({"data_version": "one"}, "data_version"),
        ({"actor": {"name": "王某", "mobile": "138"}}, "actor.mobile"),
        ({"actor": {"name": "王" * 101}}, "actor.name"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "1900-01-01T00:00:00+08:00"}, "occurred_at"),
        ({"unexpected": 1}, "unexpected"),
        ({"data": [1, 2]}, "data"),
    ],
)
def test_a_malformed_envelope_field_is_rejected_and_named(override: dict[str, Any], field: str) -> None:
    raw = {**raw_event("accepted", {"status": "accepted"}), **override}
    event, errors = parse_event(raw)
    assert event is None
    assert field in fields(errors)


def test_dashed_item_codes_are_accepted_and_returned_plain() -> None:
    event, errors = parse_event(raw_event("accepted", {}, item_code="320300-015-XK-004-00"))
    assert errors == [] and event is not None
    assert event.item_code == XK


def test_data_version_defaults_to_one_and_actor_is_optional() -> None:
    raw = raw_event("accepted", {})
    del raw["data_version"], raw["actor"]
    event, errors = parse_event(raw)
    assert errors == [] and event is not None
    assert event.data_version == 1 and event.actor is None


def test_all_problems_of_one_event_are_reported_together() -> None:
    # Given an event with a naive time and a bad status
    raw = raw_event("accepted", {"status": "nope", "query_password": "12345"}, occurred_at="2012-06-04 09:30")
    # Then every bad field is listed at once
    assert sorted(fields(parse_event(raw)[1])) == ["data.query_password", "data.status", "occurred_at"]


@pytest.mark.parametrize("event_id", ["2012-06-04T08:30:00+08:00", "徐环审〔2012〕第 15 号/受理#1",
                                      "SBLSH:0001+accepted", "x" * 128])
def test_an_opaque_event_id_of_up_to_128_printable_characters_is_accepted(event_id: str) -> None:
    event, errors = parse_event({**raw_event("delivered", {}), "event_id": event_id})
    assert errors == [] and event is not None and event.event_id == event_id


def test_fields_beyond_the_contract_inside_data_are_kept_and_listed_for_staff() -> None:
    data = {"mode": "post", "courier": "EMS", "applicant": {"name": "张三"}, "receiver": {"id_no": "x"}}
    event, errors = parse_event(raw_event("delivered", data))
    assert errors == [] and event is not None
    assert event.data_dict() == data
    submitted = {"applicant": {"type": "person", "name": "张三", "contact_email": "a@example.com"},
                 "biz_serial": "YW-1", "channel": "online"}
    event, errors = parse_event(raw_event("submitted", submitted))
    assert errors == [] and event is not None
    assert unknown_fields("submitted", event.data_dict()) == {"biz_serial": "YW-1",
                                                              "applicant.contact_email": "a@example.com"}


def test_extra_fields_are_bounded_and_platform_fields_cannot_be_sent() -> None:
    assert fields(parse_event(raw_event("delivered", {"blob": "字" * 20_000}))[1]) == ["data"]
    assert fields(parse_event(raw_event("delivered", {f"f{i}": i for i in range(101)}))[1]) == ["data"]
    assert fields(parse_event(raw_event("delivered", {"query_password_hash": "h1$x"}))[1]) == [
        "data.query_password_hash"]
    assert fields(parse_event(raw_event("delivered", {"x": float("inf")}))[1]) == ["data"]


def test_money_is_kept_exact_and_stored_as_text() -> None:
    event, _ = parse_event(raw_event("concluded", {"result_code": 0, "fee_amount": 100.5}))
    assert event is not None and isinstance(event.data, ConcludedData)
    assert str(event.data.fee_amount) == "100.5"
    assert event.data_dict() == {"result_code": 0, "fee_amount": "100.5"}
    too_fine, errors = parse_event(raw_event("concluded", {"result_code": 0, "fee_amount": "1.234"}))
    assert too_fine is None and fields(errors) == ["data.fee_amount"]


def test_special_procedure_serial_numbers_are_text() -> None:
    event, _ = parse_event(raw_event("special_ended", {"seq": 2}))
    assert event is not None and event.data_dict()["seq"] == "2"


def test_errors_can_be_rerooted_under_a_batch_index() -> None:
    errors = [
        {"field": "data.status", "type": "x", "message": "m"},
        {"field": "", "type": "y", "message": "n"},
    ]
    assert fields(prefix_errors(errors, "events.3")) == ["events.3.data.status", "events.3"]


GARBAGE: list[Any] = [
    None,
    0,
    1.5,
    True,
    "event",
    b"bytes",
    [],
    [raw_event("accepted", {})],
    {},
    {"type": None},
    {"type": "accepted", "data": None},
    {"type": ["accepted"]},
    {"type": "accepted", "item_code": None},
    {"type": "decided", "item_code": XK, "data": "x"},
    {1: 2, None: 3},
    {"event_id": "x" * 1_000_000},
    raw_event("accepted", {"status": "accepted", "reason": "长" * 100_000}),
    raw_event("step", {"step_code": {"nested": [{"deep": None}]}}),
    raw_event("accepted", {}, occurred_at="9999-12-31T23:59:59+14:00"),
    raw_event("accepted", {}, occurred_at=float("nan")),
    raw_event("concluded", {"result_code": float("inf")}),
    raw_event("concluded", {"result_code": 0, "fee_amount": "NaN"}),
]


@pytest.mark.parametrize("raw", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises_and_is_always_explained(raw: Any) -> None:
    event, errors = parse_event(raw)
    assert event is None
    assert errors and all(set(e) == {"field", "type", "message"} for e in errors)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    type_=st.sampled_from([*EVENT_TYPES, "bogus"]),
    mutations=st.dictionaries(
        st.sampled_from(
            ["event_id", "case_no", "item_code", "occurred_at", "data_version", "actor", "data", "extra"]
        ),
        json_values,
        max_size=3,
    ),
)
def test_any_mutation_of_a_valid_event_yields_an_event_or_explanations(
    type_: str, mutations: dict[str, Any]
) -> None:
    raw = {**raw_event(type_, VALID.get(type_, {})), **mutations}
    event, errors = parse_event(raw)
    assert (event is None) == bool(errors)
    for e in errors:
        assert isinstance(e["field"], str) and isinstance(e["message"], str) and e["message"]
