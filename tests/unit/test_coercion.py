"""行政强制 (QZ) run natively (issue #18): the route an item runs, the plan, and the checks the
行政强制法 fixes — as a user of the console would meet them: an act refused with the article and the
field it concerns, or the events the act writes. Pure: no AWS, no clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.cases.domain.case_view import CaseView, PauseSpan, StepRecord
from chalicelib.catalog.domain.items import ItemDeclaration, ItemVersion
from chalicelib.kernel.calendar import Calendar, YearSchedule
from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.legal.domain.checks import Officer
from chalicelib.runtime.domain import coercion, process
from tests.support.fixtures import license_item

CST = timezone(timedelta(hours=8))
#: 2012: 端午节 Fri 22 June; 国庆 30 Sep–7 Oct with Saturday 29 Sep worked (docs/DOMAIN.md §4.5).
CAL = Calendar({2012: YearSchedule(
    holidays=frozenset([date(2012, 6, 22)] + [date(2012, 9, 30) + timedelta(days=i) for i in range(8)]),
    workdays=frozenset({date(2012, 9, 29)}))})
CASE = "3203000152012W0000009"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def qz(name: str = "对逾期不拆除违法建设的强制拆除", **fields: str) -> ItemVersion:
    raw = license_item("015", "031")
    raw.update({"code": "320300015QZ03100", "name": name, "category": "QZ", "materials": [],
                "statutory_limit": {"value": 30, "unit": "calendar_day"},
                "promised_limit": {"value": 30, "unit": "calendar_day"},
                "category_fields": {"conditions_text": "依法", "duration": "30日", **fields}})
    return ItemVersion(code=raw["code"], version=1, status="confirmed", declared_at="2012-01-01T00:00:00+08:00",
                       declared_by="t", effective_from=date(2010, 1, 1), item=ItemDeclaration.model_validate(raw))


ENFORCE = qz(measure_type="强制拆除")
SEIZE = qz("查封、扣押不合格产品", measure_type="查封、扣押")


def stage(code: str, when: str, **data: Any) -> dict[str, Any]:
    return {"type": "step", "occurred_at": at(when).isoformat(), "data": {"step_code": code, **data}}


def case(item: ItemVersion, records: list[dict[str, Any]], pauses: list[PauseSpan] | None = None,
         status: str = "in_progress") -> CaseView:
    steps = [StepRecord(code=r["data"]["step_code"], name=r["data"]["step_code"],
                        at=datetime.fromisoformat(r["occurred_at"])) for r in records]
    return CaseView(case_no=CASE, item_code=item.code, dept_code="015", region_code="320300", category="QZ",
                    status=status, accepted_at=at("2012-06-01T09:00:00"), steps=steps, pauses=pauses or [])


def officer(officer_id: str, valid_to: str = "2015-12-31") -> Officer:
    return Officer(officer_id=officer_id, name=f"执法员{officer_id}", dept_code="015", cert_no=f"JS-{officer_id}",
                   valid_from=date(2010, 1, 1), valid_to=date.fromisoformat(valid_to))


def act(raw: dict[str, Any], item: ItemVersion, records: list[dict[str, Any]], when: str,
        pauses: list[PauseSpan] | None = None, status: str = "in_progress") -> process.Outcome:
    ctx = process.ActionContext(
        case_no=CASE, item=item, at=at(when), actor={"name": "王某"}, view=case(item, records, pauses, status),
        task=None, calendar=CAL, cfg=RuleConfig.defaults(), records=records,
        officers={"o1": officer("o1"), "o2": officer("o2"), "old": officer("old", "2012-01-31")})
    return process.apply_action(process.parse_action(raw), ctx)


def refused(raw: dict[str, Any], item: ItemVersion, records: list[dict[str, Any]], when: str,
            pauses: list[PauseSpan] | None = None) -> dict[str, str]:
    """The blocking check's answer: field → message."""
    with pytest.raises(ValidationError) as caught:
        act(raw, item, records, when, pauses)
    assert caught.value.code == "BLOCKED"
    return {d["field"]: d["message"] for d in caught.value.details}


# ----------------------------------------------------------------------------- route and plan


@pytest.mark.parametrize(("fields", "name", "route"), [
    ({"measure_type": "查封、扣押"}, "查封、扣押不合格产品", "measure"),
    ({"measure_type": "扣留"}, "扣留机动车", "measure"),
    ({"measure_type": "冻结存款、汇款"}, "冻结", "measure"),
    ({"measure_type": "强制拆除"}, "限期拆除违法建设", "enforcement"),
    ({"measure_type": "代履行"}, "对拒不履行整改决定的代履行", "enforcement"),
    ({"measure_type": "加处罚款或者滞纳金"}, "加处罚款", "enforcement"),
    # lenient: an explicit route in any of the spellings wins; the name decides when the type says nothing
    ({"measure_type": "查封", "route": "强制执行"}, "某强制", "enforcement"),
    ({"measure_type": "依法处理", "coercion_route": "Measure"}, "强制拆除", "measure"),
    ({"measure_type": "依法处理"}, "对违法建筑的强制拆除", "enforcement"),
    ({"measure_type": "—"}, "某行政强制", "measure"),
])
def test_the_route_follows_the_items_qz_fields(fields: dict[str, str], name: str, route: str) -> None:
    assert coercion.route_for(qz(name, **fields)) == route


def test_qz_items_run_the_coercion_machine_with_limits_for_every_stage() -> None:
    assert process.machine_for("QZ") == "coercion"
    limits = process.limits(RuleConfig.defaults(), date(2012, 6, 1))
    # every waiting stage except the disposal (due with the case, its term) has a working-day limit
    assert {k for k in process.TASK_KINDS if k.startswith("qz_")} - set(limits) == {"qz_dispose"}
    assert limits["qz_demand"] == 10 and limits["qz_approve"] == 1
    assert {"extend_measure", "suspend_enforcement", "resume_enforcement", "terminate_enforcement"} <= \
        process.SIDE_ACTIONS


def test_periods_of_ten_days_or_less_are_working_days() -> None:
    # art.69: 十日以内期限 are working days (the Dragon Boat Festival does not count); longer ones calendar days
    assert coercion.period_end(CAL, date(2012, 6, 15), 5) == date(2012, 6, 25)
    assert coercion.period_end(CAL, date(2012, 6, 1), 30) == date(2012, 7, 1)


# ----------------------------------------------------------------------------- 强制执行


OPENED = stage("QZ-E0", "2012-06-01T09:00:00")
DEMANDED = stage("QZ-E1", "2012-06-04T10:00:00", period_days=10, period_end="2012-06-18")
HEARD = stage("QZ-E2", "2012-06-08T10:00:00", made=True, adopted=False)
DECIDE = {"action": "decide_enforcement", "decision_no": "徐强执〔2012〕1号"}


def test_a_demand_states_the_period_and_the_right_to_state_and_defend() -> None:
    problems = refused({"action": "demand", "decision_no": "徐罚〔2012〕5号", "period_days": 0}, ENFORCE, [OPENED],
                       "2012-06-04T10:00:00")
    assert set(problems) == {"period_days", "rights_notified"} and "第三十五条" in problems["rights_notified"]
    out = act({"action": "demand", "decision_no": "徐罚〔2012〕5号", "period_days": 10, "rights_notified": True},
              ENFORCE, [OPENED], "2012-06-04T10:00:00")
    (event,) = out.events
    data = event.data_dict()
    # the period's end is written with the demand: 10 working days after 4 June (art.69)
    assert (event.type, data["step_code"], data["step_name"], data["period_end"]) == \
        ("step", "QZ-E1", "催告", "2012-06-18")


def test_the_decision_waits_for_the_demands_period_and_the_statement() -> None:
    # no demand at all
    assert "第三十五条" in refused(DECIDE, ENFORCE, [OPENED], "2012-06-20T10:00:00")["action"]
    # demanded, not yet heard, and still inside the period
    problems = refused(DECIDE, ENFORCE, [OPENED, DEMANDED], "2012-06-12T10:00:00")
    assert "第三十六条" in problems["action"] and "2012-06-18" in problems["at"]
    # heard, but on the last day of the period the party may still perform
    assert "第三十七条" in refused(DECIDE, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-18T16:00:00")["at"]
    # the day after, the decision is taken
    (event,) = act(DECIDE, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-19T09:00:00").events
    assert event.data_dict()["step_code"] == "QZ-E3"


def test_goods_being_moved_allow_an_immediate_decision_with_the_reason() -> None:
    early = {**DECIDE, "immediate": True}
    assert "reason" in refused(early, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-12T10:00:00")
    act({**early, "reason": "发现当事人正在转移设备"}, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-12T10:00:00")


def test_an_upheld_objection_or_performance_stops_the_decision() -> None:
    upheld = stage("QZ-E2", "2012-06-08T10:00:00", made=True, adopted=True)
    assert "采纳" in refused(DECIDE, ENFORCE, [OPENED, DEMANDED, upheld], "2012-06-20T10:00:00")["action"]
    performed = stage("QZ-E2", "2012-06-08T10:00:00", made=False, performed=True)
    assert "已履行" in refused(DECIDE, ENFORCE, [OPENED, DEMANDED, performed], "2012-06-20T10:00:00")["action"]


SUSPENDED = PauseSpan(seq="1", kind="B", name="中止执行", start=date(2012, 6, 10))


def test_a_suspended_enforcement_can_neither_be_decided_nor_executed_until_resumed() -> None:
    assert "第三十九条" in refused(DECIDE, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-20T10:00:00",
                                 [SUSPENDED])["action"]
    resumed = act({"action": "resume_enforcement"}, ENFORCE, [OPENED, DEMANDED, HEARD], "2012-06-20T10:00:00",
                  [SUSPENDED])
    assert [(e.type, e.data_dict()["seq"]) for e in resumed.events] == [("special_ended", "1")]
    with pytest.raises(ConflictError):
        act({"action": "resume_enforcement"}, ENFORCE, [OPENED], "2012-06-20T10:00:00")


DECIDED = stage("QZ-E3", "2012-06-19T09:00:00")
EXECUTE = {"action": "execute", "method": "强制拆除"}


@pytest.mark.parametrize(("when", "why"), [
    ("2012-06-22T10:00:00", "法定节假日"),   # 端午节
    ("2012-06-24T10:00:00", "法定节假日"),   # a Sunday
    ("2012-06-25T22:30:00", "夜间"),
    ("2012-06-26T05:59:00", "夜间"),
])
def test_no_enforcement_at_night_or_on_statutory_holidays(when: str, why: str) -> None:
    assert why in refused(EXECUTE, ENFORCE, [OPENED, DEMANDED, HEARD, DECIDED], when)["at"]


def test_enforcement_on_a_worked_saturday_in_the_daytime_or_in_an_emergency_goes_ahead() -> None:
    # 29 September 2012 is a Saturday made a working day (调休)
    out = act(EXECUTE, ENFORCE, [OPENED, DEMANDED, HEARD, DECIDED], "2012-09-29T10:00:00")
    assert [(e.type, e.data_dict()["result_desc"]) for e in out.events] == [("concluded", "执行完毕")]
    urgent = {**EXECUTE, "emergency": True}
    assert "reason" in refused(urgent, ENFORCE, [OPENED, DEMANDED, HEARD, DECIDED], "2012-10-01T23:00:00")
    act({**urgent, "reason": "危房即将倒塌"}, ENFORCE, [OPENED, DEMANDED, HEARD, DECIDED], "2012-10-01T23:00:00")


def test_cutting_a_homes_water_or_power_is_never_a_way_to_enforce() -> None:
    assert "第四十三条第二款" in refused({**EXECUTE, "method": "停止供水供电"}, ENFORCE,
                                     [OPENED, DEMANDED, HEARD, DECIDED], "2012-06-25T10:00:00")["method"]


def test_termination_ends_the_case_with_the_laws_ground() -> None:
    out = act({"action": "terminate_enforcement", "ground": "object_lost", "reason": "违法建筑已被洪水冲毁"},
              ENFORCE, [OPENED, DEMANDED], "2012-06-20T10:00:00")
    (event,) = out.events
    data = event.data_dict()
    assert (data["result_code"], data["result_desc"]) == (2, "终结执行") and data["reason"].startswith("执行标的灭失")
    assert out.extra["result_code"] == 2


# ----------------------------------------------------------------------------- 强制措施


M_OPENED = stage("QZ-M0", "2012-06-01T09:00:00")
APPROVED = stage("QZ-M1", "2012-06-01T09:30:00")
TAKEN = stage("QZ-M2", "2012-06-01T11:00:00")
SERVED = stage("QZ-M3", "2012-06-01T11:30:00", term_days=30, term_end="2012-07-01")
ON_SPOT = {"action": "implement_measure", "officers": ["o1", "o2"], "certificates_shown": True, "informed": True,
           "statement_heard": True, "record_made": True}


def test_an_emergency_measure_is_approved_within_24_hours() -> None:
    late = {"action": "approve_measure", "reason": "有毒食品", "emergency": True,
            "implemented_at": "2012-06-01T08:00:00+08:00"}
    assert "第十九条" in refused(late, SEIZE, [M_OPENED], "2012-06-02T09:00:00")["at"]
    act(late, SEIZE, [M_OPENED], "2012-06-02T07:00:00")


@pytest.mark.parametrize(("over", "field"), [
    ({"officers": ["o1"]}, "officers"),
    ({"officers": ["o1", "old"]}, "officers.1"),
    ({"certificates_shown": False}, "certificates_shown"),
    ({"informed": False}, "informed"),
    ({"record_made": False}, "record_made"),
    ({"party_present": False}, "witness"),
])
def test_a_measure_is_carried_out_as_article_18_says(over: dict[str, Any], field: str) -> None:
    assert field in refused({**ON_SPOT, **over}, SEIZE, [M_OPENED, APPROVED], "2012-06-01T11:00:00")


def test_the_term_is_at_most_30_days_counted_from_the_day_the_measure_was_taken() -> None:
    serve = {"action": "serve_measure", "decision_no": "徐封〔2012〕3号"}
    assert "30" in refused({**serve, "term_days": 31}, SEIZE, [M_OPENED, APPROVED, TAKEN],
                           "2012-06-01T11:30:00")["term_days"]
    out = act({**serve, "term_days": 30}, SEIZE, [M_OPENED, APPROVED, TAKEN], "2012-06-02T09:00:00")
    assert out.events[0].data_dict()["term_end"] == "2012-07-01" and out.extra["term_end"] == "2012-07-01"


EXTENDED = PauseSpan(seq="1", kind="A", name="延长查封、扣押期限", start=date(2012, 6, 20), approver="李局长",
                     reason="情况复杂", declared_limit={"value": 30, "unit": "calendar_day"})
EXTEND = {"action": "extend_measure", "days": 30, "approver": "李局长", "reason": "需送检"}


def test_one_extension_of_at_most_30_days_with_the_heads_approval() -> None:
    served = [M_OPENED, APPROVED, TAKEN, SERVED]
    assert "approver" in refused({**EXTEND, "approver": None}, SEIZE, served, "2012-06-20T10:00:00")
    assert "days" in refused({**EXTEND, "days": 31}, SEIZE, served, "2012-06-20T10:00:00")
    # not once the term has run out, not before the measure was served, not twice
    assert "第二十八条" in refused(EXTEND, SEIZE, served, "2012-07-02T10:00:00")["at"]
    assert "action" in refused(EXTEND, SEIZE, [M_OPENED, APPROVED, TAKEN], "2012-06-20T10:00:00")
    assert "action" in refused({**EXTEND, "days": 5}, SEIZE, served, "2012-06-25T10:00:00", [EXTENDED])
    (event,) = act(EXTEND, SEIZE, served, "2012-06-20T10:00:00").events
    assert event.data_dict()["limit"] == {"value": 30, "unit": "calendar_day"} and event.data_dict()["kind"] == "A"


def test_after_the_term_the_goods_are_released_not_confiscated() -> None:
    served = [M_OPENED, APPROVED, TAKEN, SERVED]
    confiscate = {"action": "dispose_measure", "outcome": "confiscate", "decision_no": "徐处〔2012〕9号",
                  "reason": "检验不合格"}
    assert "第二十八条" in refused(confiscate, SEIZE, served, "2012-07-02T10:00:00")["outcome"]
    # within the extended term it may be confiscated
    (event,) = act(confiscate, SEIZE, served, "2012-07-20T10:00:00", [EXTENDED]).events
    assert event.data_dict()["result_desc"] == "依法没收"
    (released,) = act({"action": "dispose_measure", "outcome": "release"}, SEIZE, served, "2012-07-02T10:00:00").events
    assert released.data_dict()["result_desc"] == "解除查封、扣押"


def test_qz_actions_need_a_qz_item_and_an_open_case() -> None:
    from tests.support.fixtures import penalty_item

    raw = penalty_item()
    penalty = ItemVersion(code=raw["code"], version=1, status="confirmed", declared_at="2012-01-01T00:00:00+08:00",
                          declared_by="t", effective_from=date(2010, 1, 1), item=ItemDeclaration.model_validate(raw))
    with pytest.raises(ConflictError):
        act({"action": "hear_statement"}, penalty, [], "2012-06-20T10:00:00")
    with pytest.raises(ConflictError):
        act({"action": "hear_statement"}, ENFORCE, [OPENED], "2012-06-20T10:00:00", status="concluded")


# ----------------------------------------------------------------------------- L13 for the legal office


def qz_view(steps: list[tuple[str, str]], pauses: list[PauseSpan] | None = None,
            concluded: str | None = None) -> CaseView:
    return CaseView(case_no=CASE, item_code=ENFORCE.code, dept_code="015", region_code="320300", category="QZ",
                    status="concluded" if concluded else "in_progress", accepted_at=at("2012-06-01T09:00:00"),
                    concluded_at=at(concluded) if concluded else None, pauses=pauses or [],
                    steps=[StepRecord(code=c, name=c, at=at(w)) for c, w in steps])


def findings(view: CaseView, as_of: str | None = None) -> dict[str, str]:
    from chalicelib.legal.domain import checks as legal

    cfg = RuleConfig.defaults()
    got = legal.time_findings(view, None, cfg, at(as_of)) if as_of else legal.event_findings(
        view, None, legal.InMemoryRegistry(), CAL, cfg)
    assert all(f.rule == "L13" and f.level == "red" for f in got)
    return {f.cause: f.message for f in got}


def test_l13_a_reported_enforcement_decision_without_demand_or_statement_is_red() -> None:
    lawful = [("QZ-E0", "2012-06-01T09:00:00"), ("QZ-E1", "2012-06-04T10:00:00"), ("QZ-E2", "2012-06-08T10:00:00"),
              ("QZ-E3", "2012-06-19T10:00:00")]
    assert findings(qz_view(lawful)) == {}
    skipped = findings(qz_view([("QZ-E0", "2012-06-01T09:00:00"), ("QZ-E3", "2012-06-05T10:00:00")]))
    assert set(skipped) == {"L13:no_demand", "L13:no_statement"} and "第三十五条" in skipped["L13:no_demand"]


def test_l13_a_seizure_kept_past_30_days_plus_its_extension_is_red_until_released() -> None:
    taken = [("QZ-M0", "2012-06-01T09:00:00"), ("QZ-M1", "2012-06-01T09:30:00"), ("QZ-M2", "2012-06-01T11:00:00")]
    running = qz_view(taken)
    # the approval came first: nothing about it; the term ends on 1 July
    assert findings(running, "2012-07-01T23:00:00") == {}
    late = findings(running, "2012-07-02T00:30:00")
    assert list(late) == ["L13:term:2012-07-01"] and "至今未解除" in late["L13:term:2012-07-01"]
    # an approved extension of 30 days moves the end to 31 July
    assert findings(qz_view(taken, [EXTENDED]), "2012-07-20T10:00:00") == {}
    # released within the term: nothing; released late: the event shows it at once
    assert findings(qz_view(taken, concluded="2012-06-28T10:00:00")) == {}
    assert "实际于 2012-07-05" in findings(qz_view(taken, concluded="2012-07-05T10:00:00"))["L13:term:2012-07-01"]


def test_l13_a_measure_without_approval_within_24_hours_and_a_second_extension_are_red() -> None:
    unapproved = qz_view([("QZ-M0", "2012-06-01T09:00:00"), ("QZ-M2", "2012-06-01T11:00:00")])
    assert findings(unapproved, "2012-06-02T10:59:00") == {}
    assert "第十九条" in findings(unapproved, "2012-06-02T11:01:00")["L13:unapproved"]
    twice = [EXTENDED, PauseSpan(seq="2", kind="A", name="延长", start=date(2012, 7, 20),
                                 declared_limit={"value": 10, "unit": "calendar_day"})]
    taken = [("QZ-M0", "2012-06-01T09:00:00"), ("QZ-M1", "2012-06-01T09:30:00"), ("QZ-M2", "2012-06-01T11:00:00")]
    assert "L13:extension" in findings(qz_view(taken, twice))


def test_a_concluded_coercion_case_is_not_published_as_a_licence_in_the_hall() -> None:
    from chalicelib.cases.domain.case_view import CaseResult
    from chalicelib.public.domain import public_result

    done = qz_view([("QZ-M0", "2012-06-01T09:00:00")], concluded="2012-06-20T10:00:00")
    done = done.model_copy(update={"result": CaseResult(code=0, desc="解除查封、扣押", concluded_at=at("2012-06-20T10:00:00"))})
    assert public_result(done) is None
