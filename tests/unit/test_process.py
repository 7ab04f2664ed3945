"""Process rules of the operation platform (运行平台): plans, deadlines, worklist colours, and the
blocking checks that stop an unlawful act before anything is written (docs/DOMAIN.md §4.1, §7.3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.cases.domain.case_view import CaseView, Party, PauseSpan, PenaltyRecord, SupplementRecord
from chalicelib.catalog.domain.items import ItemDeclaration, ItemVersion
from chalicelib.kernel.calendar import Calendar, Pause, YearSchedule
from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.legal.domain.checks import Officer
from chalicelib.runtime.domain import process
from tests.support.fixtures import license_item, penalty_item

CST = timezone(timedelta(hours=8))
#: docs/DOMAIN.md §10 fixture calendar.
CAL = Calendar(
    {
        2012: YearSchedule(
            holidays=frozenset(
                [date(2012, 6, 22)] + [date(2012, 9, 30) + timedelta(days=i) for i in range(8)]
            ),
            workdays=frozenset({date(2012, 9, 29)}),
        )
    }
)
CASE = "3203000152012W0000001"


def at(text: str) -> datetime:
    return (
        datetime.fromisoformat(text).replace(tzinfo=CST) if "+" not in text else datetime.fromisoformat(text)
    )


def version(raw: dict[str, Any]) -> ItemVersion:
    return ItemVersion(
        code=raw["code"],
        version=1,
        status="confirmed",
        declared_at="2012-01-01T00:00:00+08:00",
        declared_by="t",
        effective_from=date(2010, 1, 1),
        item=ItemDeclaration.model_validate(raw),
    )


LICENSE = version(license_item(fee={"charged": True, "amount": 100, "basis": "苏价费〔2012〕1号"}))
PENALTY = version(penalty_item())


def view(item: ItemVersion, **over: Any) -> CaseView:
    base: dict[str, Any] = {
        "case_no": CASE,
        "item_code": item.code,
        "dept_code": item.item.dept_code,
        "region_code": item.code[:6],
        "category": item.item.category,
        "status": "in_progress",
        "accepted_at": at("2012-06-04T09:30:00"),
    }
    base.update(over)
    return CaseView(**base)


def ctx(
    item: ItemVersion, case: CaseView | None = None, when: str = "2012-06-07T10:00:00", **over: Any
) -> process.ActionContext:
    values: dict[str, Any] = {
        "case_no": CASE,
        "item": item,
        "at": at(when),
        "actor": {"name": "王某"},
        "view": case,
        "task": None,
        "calendar": CAL,
        "cfg": RuleConfig.defaults(),
    }
    values.update(over)
    return process.ActionContext(**values)


def run(raw: dict[str, Any], context: process.ActionContext) -> process.Outcome:
    return process.apply_action(process.parse_action(raw), context)


def blocked(raw: dict[str, Any], context: process.ActionContext) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        run(raw, context)
    return caught.value


def fields(err: ValidationError) -> list[str]:
    return [d["field"] for d in err.details]


# ----------------------------------------------------------------------------- plan and deadlines


def test_plan_carries_the_confirmed_steps_in_order_with_the_head_approving_last() -> None:
    steps = process.plan_steps(LICENSE)
    assert [(s["code"], s["name"], s["limit_days"], s["role"]) for s in steps] == [
        ("1", "承办", 2, "handler"),
        ("2", "审核", 1, "handler"),
        ("3", "批准", 1, "dept_head"),
    ]
    single = version(license_item(steps=[{"code": "1", "name": "办理", "limit_days": 1}]))
    assert [s["role"] for s in process.plan_steps(single)] == ["handler"]


def test_execution_input_binds_the_version_and_names_the_co_departments() -> None:
    item = version(license_item(co_departments=["016", "017"]))
    steps = process.plan_steps(item)
    payload = process.execution_input(
        case_no=CASE, version=item, steps=steps, task_limits={"accept": 5}, clock={"at": "x"}
    )
    assert (payload["item_code"], payload["item_version"], payload["co_departments"]) == (
        item.code,
        1,
        ["016", "017"],
    )
    assert payload["steps"] == steps and payload["clock"] == {"at": "x"}
    assert (
        process.execution_input(case_no=CASE, version=PENALTY, steps=[], task_limits={}, clock={})[
            "co_departments"
        ]
        == []
    )


def test_the_ladder_gives_the_due_date_of_every_working_day_limit() -> None:
    # Given acceptance on Thursday 2012-09-27 (docs/DOMAIN.md §10 example 3, National Day holiday)
    ladder = process.workday_ladder(CAL, date(2012, 9, 27), 6)
    # Then rung 5 is the promised deadline 2012-10-10, rung 0 the day itself
    assert ladder == ["2012-09-27", "2012-09-28", "2012-09-29", "2012-10-08", "2012-10-09", "2012-10-10"]
    assert ladder[5] == CAL.add_working_days(date(2012, 9, 27), 5).due.isoformat()


def test_the_ladder_skips_a_closed_pause_and_stops_at_an_open_one() -> None:
    closed = process.workday_ladder(CAL, date(2012, 6, 4), 3, [Pause(date(2012, 6, 5), date(2012, 6, 6))])
    assert closed == ["2012-06-04", "2012-06-07", "2012-06-08"]
    assert process.workday_ladder(CAL, date(2012, 6, 4), 3, [Pause(date(2012, 6, 6), None)]) == [
        "2012-06-04",
        "2012-06-05",
        None,
    ]


def test_ladder_length_covers_the_longest_limit() -> None:
    steps = [{"limit_days": 2}, {"limit_days": 30}]
    assert process.ladder_length(steps, {"accept": 5, "deliver": 10}) == 31


def test_limits_follow_the_rule_configuration() -> None:
    cfg = RuleConfig.defaults().with_threshold("delivery_wd", date(2012, 1, 1), 7)
    assert process.limits(cfg, date(2012, 6, 1))["deliver"] == 7
    assert process.limits(cfg, date(2011, 6, 1))["deliver"] == 10


@pytest.mark.parametrize(
    ("as_of", "colour", "remaining"),
    [
        ("2012-06-04", "green", 2),
        ("2012-06-05", "yellow", 1),  # the last working day before the deadline (R1)
        ("2012-06-06", "yellow", 0),  # the deadline itself, still on time
        ("2012-06-07", "red", -1),  # the deadline has ended
        ("2012-06-11", "red", -3),
    ],
)
def test_worklist_colour_matches_the_supervision_board(as_of: str, colour: str, remaining: int) -> None:
    due, day = date(2012, 6, 6), date.fromisoformat(as_of)
    assert process.colour(CAL, due, day) == colour
    assert process.remaining_working_days(CAL, due, day) == remaining


def test_a_task_without_deadline_is_green_and_sorts_last() -> None:
    assert process.colour(CAL, None, date(2012, 6, 4)) == "green"
    assert process.remaining_working_days(CAL, None, date(2012, 6, 4)) is None
    tasks: list[dict[str, Any]] = [
        {"case_no": "a", "due_at": None, "started_at": "1"},
        {"case_no": "b", "due_at": "2012-06-08"},
        {"case_no": "c", "due_at": "2012-06-06", "started_at": "2"},
        {"case_no": "d", "due_at": "2012-06-06", "started_at": "1"},
    ]
    assert [t["case_no"] for t in process.worklist_order(tasks)] == ["d", "c", "b", "a"]


def test_lateness_counts_working_days_past_the_deadline() -> None:
    assert process.lateness(CAL, date(2012, 6, 6), date(2012, 6, 6)) == 0
    assert process.lateness(CAL, date(2012, 6, 8), date(2012, 6, 11)) == 1  # over a weekend
    assert process.lateness(CAL, None, date(2012, 6, 11)) == 0


def test_task_deadlines_are_recomputed_around_pauses() -> None:
    started = at("2012-06-04T09:30:00")
    assert process.task_due(
        CAL,
        due_rule="limit",
        started_at=started,
        limit_days=2,
        case_due=None,
        pauses=[Pause(date(2012, 6, 5), date(2012, 6, 6))],
    ) == date(2012, 6, 8)
    assert (
        process.task_due(
            CAL,
            due_rule="limit",
            started_at=started,
            limit_days=2,
            case_due=None,
            pauses=[Pause(date(2012, 6, 5), None)],
        )
        is None
    )
    assert process.task_due(
        CAL, due_rule="case_due", started_at=started, limit_days=None, case_due=date(2012, 6, 20)
    ) == date(2012, 6, 20)
    assert process.task_due(CAL, due_rule="none", started_at=started, limit_days=3, case_due=None) is None


def test_task_messages_are_parsed_and_identified_without_exposing_the_token() -> None:
    msg = process.TaskMessage.model_validate(
        {
            "task_token": "secret-token",
            "case_no": CASE,
            "dept_code": "015",
            "owner_dept": "015",
            "item_code": LICENSE.code,
            "kind": "step",
            "role": "dept_head",
            "actions": ["complete_step"],
            "step": {"code": "3", "name": "批准", "limit_days": 1},
            "step_index": 2,
            "started_at": "2012-06-06T10:00:00+08:00",
            "due_at": "2012-06-07",
            "unknown": 1,
        }
    )
    assert (msg.due_at, msg.step.code) == (date(2012, 6, 7), "3")
    assert process.task_id("secret-token") == process.task_id("secret-token") != process.task_id("other")
    assert "secret" not in process.task_id("secret-token")


def test_the_clock_tells_the_execution_whether_the_task_ran_late() -> None:
    out = process.clock(
        action="complete_step",
        at=at("2012-06-07T10:00:00"),
        ladder=["2012-06-07"],
        case_due=date(2012, 6, 11),
        due_at=date(2012, 6, 6),
        late_days=1,
        extra={"x": 1},
    )
    assert (out["late"], out["late_days"], out["due_at"], out["case_due"], out["x"]) == (
        True,
        1,
        "2012-06-06",
        "2012-06-11",
        1,
    )


# ----------------------------------------------------------------------------- parsing actions


def test_actions_are_validated_per_action_naming_each_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        process.parse_action({"action": "conclude", "result_code": 9, "surprise": True})
    assert sorted(fields(caught.value)) == ["result_code", "surprise"]
    with pytest.raises(ValidationError) as caught:
        process.parse_action({"action": "fly"})
    assert fields(caught.value) == ["action"]
    with pytest.raises(ValidationError):
        process.parse_action(["accept"])
    with pytest.raises(ValidationError) as caught:
        process.parse_action({"action": "accept", "at": "2012-06-04T09:30:00"})  # no offset
    assert fields(caught.value) == ["at"]


def test_an_act_cannot_be_recorded_before_its_task_began_or_in_the_future() -> None:
    now = at("2012-06-07T10:00:00")
    process.check_time(now, not_before=at("2012-06-04T09:30:00"), now=now)
    with pytest.raises(ValidationError):
        process.check_time(at("2012-06-04T09:00:00"), not_before=at("2012-06-04T09:30:00"), now=now)
    with pytest.raises(ValidationError):
        process.check_time(now + timedelta(hours=1), not_before=None, now=now)


# ----------------------------------------------------------------------------- licensing actions


def test_acceptance_writes_the_accepted_event_with_the_promised_limit() -> None:
    out = run({"action": "accept"}, ctx(LICENSE, when="2012-06-04T09:30:00", type_counts={"submitted": 1}))
    (event,) = out.events
    assert (event.event_id, event.type, event.data_dict()["status"]) == (
        f"{CASE}-accepted-1",
        "accepted",
        "accepted",
    )
    assert event.data_dict()["limit"] == {"value": 5, "unit": "working_day"}
    assert event.actor is not None and event.actor.name == "王某"


def test_a_refusal_without_a_reason_is_blocked() -> None:
    err = blocked({"action": "reject", "reason": "  "}, ctx(LICENSE))
    assert err.message == "不予受理必须说明理由" and fields(err) == ["reason"]
    out = run({"action": "reject", "reason": "不属于本部门职权"}, ctx(LICENSE))
    assert [(e.type, e.data_dict().get("result_code")) for e in out.events] == [
        ("accepted", None),
        ("concluded", 6),
    ]
    assert out.extra == {"result_code": 6}


def test_supplements_are_requested_once_and_list_every_material() -> None:
    err = blocked({"action": "request_supplement", "reason": "缺材料"}, ctx(LICENSE, view(LICENSE)))
    assert fields(err) == ["missing_materials"]
    earlier = view(
        LICENSE,
        supplements=[
            SupplementRecord(requested_at=at("2012-06-02T10:00:00"), missing_materials=["营业执照"])
        ],
    )
    err = blocked({"action": "request_supplement", "missing_materials": ["身份证明"]}, ctx(LICENSE, earlier))
    assert err.message == "补正材料应一次性告知" and fields(err) == ["action"]
    out = run(
        {"action": "request_supplement", "missing_materials": ["营业执照"]}, ctx(LICENSE, view(LICENSE))
    )
    assert out.events[0].data_dict()["missing_materials"] == ["营业执照"]


@pytest.mark.parametrize(
    ("item", "fee", "code", "ok"),
    [
        (LICENSE, 100, 0, True),
        (LICENSE, 80, 0, False),  # different from the catalog standard
        (LICENSE, None, 0, False),  # a charged item concluded without its fee
        (LICENSE, None, 1, True),  # a refusal charges nothing
        (version(license_item()), 50, 0, False),  # a no-fee item
        (version(license_item()), 0, 0, True),
    ],
)
def test_the_fee_must_be_the_catalog_standard(
    item: ItemVersion, fee: int | None, code: int, ok: bool
) -> None:
    raw: dict[str, Any] = {
        "action": "conclude",
        "result_code": code,
        "reason": "不符合条件" if code else None,
    }
    if fee is not None:
        raw["fee_amount"] = fee
    if ok:
        (event,) = run(raw, ctx(item, view(item))).events
        assert event.data_dict()["result_code"] == code
    else:
        err = blocked(raw, ctx(item, view(item)))
        assert err.message == "收费与目录标准不一致" and fields(err) == ["fee_amount"]


def test_a_refusing_conclusion_needs_a_reason() -> None:
    err = blocked({"action": "conclude", "result_code": 1}, ctx(LICENSE, view(LICENSE)))
    assert fields(err) == ["reason"] and "不予许可" in err.message


def test_completing_a_step_records_the_step_of_the_task_with_its_opinion() -> None:
    task = {"step": {"code": "2", "name": "审核"}, "step_index": 1}
    err = blocked({"action": "complete_step"}, ctx(LICENSE, view(LICENSE), task=task))
    assert fields(err) == ["opinion"]
    with pytest.raises(ConflictError):
        run(
            {"action": "complete_step", "opinion": "同意", "step_code": "3"},
            ctx(LICENSE, view(LICENSE), task=task),
        )
    (event,) = run(
        {"action": "complete_step", "opinion": "同意"}, ctx(LICENSE, view(LICENSE), task=task)
    ).events
    assert event.data_dict() == {
        "step_code": "2",
        "step_name": "审核",
        "opinion": "同意",
        "status": "approved",
        "step_seq": 2,
    }


def test_a_type_a_extension_needs_approver_reason_and_stays_within_the_cap() -> None:
    case = view(LICENSE)
    err = blocked({"action": "start_special", "kind": "A", "limit": {"value": 5}}, ctx(LICENSE, case))
    assert err.message == "延长审批不符合规定" and fields(err) == ["approver", "reason"]
    extended = view(
        LICENSE,
        pauses=[
            PauseSpan(
                seq="1",
                kind="A",
                name="延长审批",
                start=date(2012, 6, 5),
                declared_limit={"value": 6, "unit": "working_day"},
            )
        ],
    )
    good = {"action": "start_special", "kind": "A", "approver": "李局长", "reason": "需现场核查"}
    err = blocked({**good, "limit": {"value": 5}}, ctx(LICENSE, extended))
    assert fields(err) == ["limit.value"] and "法定时限 20 个工作日 + 10" in err.details[0]["message"]
    (event,) = run({**good, "limit": {"value": 4}}, ctx(LICENSE, extended)).events
    assert event.data_dict() == {
        "seq": "2",
        "kind": "A",
        "name": "延长审批",
        "approver": "李局长",
        "reason": "需现场核查",
        "limit": {"value": 4, "unit": "working_day"},
    }


def test_a_type_b_procedure_states_its_expected_duration() -> None:
    err = blocked({"action": "start_special", "kind": "B", "name": "专家评审"}, ctx(LICENSE, view(LICENSE)))
    assert fields(err) == ["limit"]
    (event,) = run(
        {"action": "start_special", "kind": "B", "name": "专家评审", "limit": {"value": 3}},
        ctx(LICENSE, view(LICENSE)),
    ).events
    assert event.data_dict()["kind"] == "B"


def test_special_procedures_need_an_open_accepted_case_and_end_only_when_running() -> None:
    with pytest.raises(ConflictError):
        run(
            {"action": "start_special", "kind": "B", "limit": {"value": 3}},
            ctx(LICENSE, view(LICENSE, status="concluded")),
        )
    with pytest.raises(ConflictError):
        run({"action": "end_special", "seq": "1"}, ctx(LICENSE, view(LICENSE)))
    running = view(LICENSE, pauses=[PauseSpan(seq="1", kind="B", name="专家评审", start=date(2012, 6, 5))])
    (event,) = run({"action": "end_special", "seq": "1", "result": "通过"}, ctx(LICENSE, running)).events
    assert (event.type, event.data_dict()["seq"]) == ("special_ended", "1")


# ----------------------------------------------------------------------------- penalty actions


def officer(officer_id: str, valid_to: str = "2015-12-31", dept: str = "015") -> Officer:
    return Officer(
        officer_id=officer_id,
        name=f"执法员{officer_id}",
        dept_code=dept,
        cert_no=f"JS-{officer_id}",
        valid_from=date(2010, 1, 1),
        valid_to=date.fromisoformat(valid_to),
    )


OFFICERS = {
    "o1": officer("o1"),
    "o2": officer("o2"),
    "old": officer("old", "2012-01-31"),
    "far": officer("far", dept="016"),
    "ghost": None,
}
PARTY = {"type": "person", "name": "张三", "id_no": "320311198001011234"}


@pytest.mark.parametrize(
    ("ids", "where"),
    [
        (["o1"], "officers"),
        (["o1", "o1"], "officers"),
        (["o1", "old"], "officers.1"),
        (["far", "o2"], "officers.0"),
        (["o1", "ghost"], "officers.1"),
    ],
)
def test_opening_a_case_needs_two_officers_with_valid_certificates(ids: list[str], where: str) -> None:
    err = blocked(
        {"action": "open_case", "party": PARTY, "cause": "未批先建", "officers": ids},
        ctx(PENALTY, officers=OFFICERS),
    )
    assert err.message == "执法人员资格不符" and where in fields(err)


def test_opening_a_case_writes_case_opened() -> None:
    (event,) = run(
        {"action": "open_case", "party": PARTY, "cause": "未批先建", "officers": ["o1", "o2"]},
        ctx(PENALTY, officers=OFFICERS),
    ).events
    assert (event.type, event.data_dict()["officers"]) == ("case_opened", ["o1", "o2"])


def penalty_view(**over: Any) -> CaseView:
    values: dict[str, Any] = {
        "status": "in_progress",
        "applicant": Party(type="person", name="张三"),
        "penalty": PenaltyRecord(opened_at=at("2012-06-04T09:00:00"), officers=["o1", "o2"]),
    }
    return view(PENALTY, **{**values, **over})


def test_a_notice_of_a_large_fine_must_tell_the_party_of_the_hearing_right() -> None:
    raw = {"action": "notify", "proposed": {"types": ["fine"], "amount": 5000, "tier": "medium"}}
    err = blocked(raw, ctx(PENALTY, penalty_view()))
    assert fields(err) == ["hearing_notified"] and "500" in err.details[0]["message"]
    out = run({**raw, "hearing_notified": True}, ctx(PENALTY, penalty_view()))
    assert out.extra == {"hearing_notified": True}
    small = run({"action": "notify", "proposed": {"types": ["warning"]}}, ctx(PENALTY, penalty_view()))
    assert small.extra == {"hearing_notified": False}


DECISION = {
    "action": "decide",
    "decision_no": "徐环罚〔2012〕1号",
    "types": ["fine"],
    "basis_ids": ["EIA-LAW-31"],
}


@pytest.mark.parametrize(
    ("over", "where"),
    [
        ({"amount": 20000, "tier": "heavy"}, "amount"),  # docs/DOMAIN.md §10 example 10
        ({"amount": 500, "tier": "light"}, "amount"),
        ({"types": ["revocation"], "amount": None}, "types"),  # a type the item does not list
    ],
)
def test_a_decision_outside_the_statutory_range_is_blocked(over: dict[str, Any], where: str) -> None:
    err = blocked({**DECISION, **over}, ctx(PENALTY, penalty_view(), officers=OFFICERS))
    assert err.message == "超出法定处罚幅度" and err.code == "BLOCKED"
    assert where in fields(err)


@pytest.mark.parametrize(
    ("over", "ok"),
    [
        ({"tier": "light"}, False),
        ({"tier": "light", "tier_reason": "初次违法"}, False),
        ({"tier": "light", "collective_discussion": True}, False),
        ({"tier": None}, False),
        ({"tier": "light", "tier_reason": "情节特殊", "collective_discussion": True}, True),
        ({"tier": "medium"}, True),
    ],
)
def test_a_tier_mismatch_needs_a_written_reason_and_collective_discussion(
    over: dict[str, Any], ok: bool
) -> None:
    raw = {**DECISION, "amount": 5000, **over}
    context = ctx(PENALTY, penalty_view(), officers=OFFICERS)
    if ok:
        (event,) = run(raw, context).events
        assert (event.type, event.data_dict()["amount"]) == ("decided", "5000")
    else:
        err = blocked(raw, context)
        assert err.message.startswith("裁量档次不符") and fields(err) == ["tier"]


def test_a_decision_needs_valid_officers_and_a_basis_of_the_item_in_force() -> None:
    expired = ctx(PENALTY, penalty_view(penalty=PenaltyRecord(officers=["o1", "old"])), officers=OFFICERS)
    assert "officers.1" in fields(blocked({**DECISION, "amount": 5000, "tier": "medium"}, expired))
    context = ctx(PENALTY, penalty_view(), officers=OFFICERS)
    assert fields(
        blocked({**DECISION, "amount": 5000, "tier": "medium", "basis_ids": ["OTHER"]}, context)
    ) == ["basis_ids.0"]
    repealed = ctx(PENALTY, penalty_view(), officers=OFFICERS, repealed={"EIA-LAW-31": date(2012, 6, 1)})
    assert fields(blocked({**DECISION, "amount": 5000, "tier": "medium"}, repealed)) == ["basis_ids.0"]


def test_a_hearing_is_noticed_seven_days_ahead_and_not_chaired_by_an_investigator() -> None:
    raw = {
        "action": "hold_hearing",
        "requested": True,
        "requested_at": "2012-06-15T10:00:00+08:00",
        "noticed_at": "2012-06-18T10:00:00+08:00",
        "hearing_at": "2012-06-26T09:00:00+08:00",
        "chair": "c1",
    }
    context = ctx(PENALTY, penalty_view(), when="2012-06-26T12:00:00")
    assert fields(blocked({**raw, "chair": "o1"}, context)) == ["chair"]
    assert fields(blocked({**raw, "hearing_at": "2012-06-24T09:00:00+08:00"}, context)) == ["hearing_at"]
    assert "chair" in fields(blocked({**raw, "chair": None}, context))
    out = run(raw, context)
    assert [(e.type, e.occurred_at.date().isoformat()) for e in out.events] == [
        ("hearing_requested", "2012-06-15"),
        ("hearing_noticed", "2012-06-18"),
        ("hearing_held", "2012-06-26"),
    ]
    assert run({"action": "hold_hearing", "requested": False}, context).events == []


def test_penalty_steps_write_no_licensing_event_and_other_penalty_acts_do() -> None:
    task = {"step": {"code": "1", "name": "调查取证"}, "step_index": 0}
    assert (
        run(
            {"action": "complete_step", "opinion": "事实清楚"}, ctx(PENALTY, penalty_view(), task=task)
        ).events
        == []
    )
    counts = {"served": 1}
    for raw, etype in (
        ({"action": "serve"}, "served"),
        ({"action": "enforce", "paid_amount": 5000}, "enforced"),
        ({"action": "close", "archive_no": "A-1"}, "closed"),
    ):
        (event,) = run(raw, ctx(PENALTY, penalty_view(), type_counts=counts)).events
        assert event.type == etype
    assert run({"action": "serve"}, ctx(PENALTY, penalty_view(), type_counts=counts)).events[0].event_id == (
        f"{CASE}-served-2"
    )


def test_penalty_actions_on_a_licence_item_are_a_conflict() -> None:
    with pytest.raises(ConflictError):
        run({"action": "serve"}, ctx(LICENSE, view(LICENSE)))


def test_money_is_kept_exact() -> None:
    (event,) = run(
        {"action": "conclude", "result_code": 0, "fee_amount": "100.00"}, ctx(LICENSE, view(LICENSE))
    ).events
    assert Decimal(event.data_dict()["fee_amount"]) == Decimal("100")


def test_a_jointly_handled_license_may_extend_by_up_to_15_working_days() -> None:
    # Given a license handled with a co-department, already extended by 6 working days
    joint = version(license_item(co_departments=["016"]))
    extended = view(joint, pauses=[PauseSpan(seq="1", kind="A", name="延长审批", start=date(2012, 6, 5),
                                             declared_limit={"value": 6, "unit": "working_day"})])
    good = {"action": "start_special", "kind": "A", "approver": "李局长", "reason": "需两部门会商"}
    # Then 9 more working days are allowed (15 in all), 10 more are blocked naming the cap
    (event,) = run({**good, "limit": {"value": 9}}, ctx(joint, extended)).events
    assert event.data_dict()["limit"] == {"value": 9, "unit": "working_day"}
    err = blocked({**good, "limit": {"value": 10}}, ctx(joint, extended))
    assert fields(err) == ["limit.value"] and "+ 15 个工作日" in err.details[0]["message"]
