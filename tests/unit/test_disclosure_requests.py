"""A request for disclosure's lifecycle (what the law lets a department do, and when), rule R15 on
its summary, and the annual report's table — pure, no AWS."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.disclosure.domain.report import Fact, annual_table
from chalicelib.disclosure.domain.requests import DisclosureRequest, mask_applicant, masked_view
from chalicelib.disclosure.domain.summary import summarize
from chalicelib.kernel.calendar import Calendar, YearSchedule
from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.supervision.domain.disclosure_rules import r15_signals

CST = timezone(timedelta(hours=8))
CAL = Calendar({2026: YearSchedule(holidays=frozenset(), workdays=frozenset())})
RECEIVED = date(2026, 11, 2)  # a Monday; due 30 November


def received(applicant: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"seq": 1, "type": "received", "on": RECEIVED.isoformat(), "at": "2026-11-02T09:00:00+08:00",
            "by": {"kind": "applicant"},
            "data": {"request_no": "GK202611020150001", "dept_code": "015", "received_on": RECEIVED.isoformat(),
                     "applicant": applicant or {"type": "person", "name": "张三"}, "description": "某项目环评批复",
                     "password_hash": "h1$x"}}


def request(*acts: tuple[str, date, dict[str, Any]]) -> DisclosureRequest:
    """A request after ``acts`` (each planned through the lifecycle, as the service does)."""
    req = DisclosureRequest.fold([received()])
    for action, on, fields in acts:
        kind, day, data = req.plan({"action": action, "on": on, **fields}, on, CAL)
        req = DisclosureRequest.fold([*req.records, {"seq": len(req.records) + 1, "type": kind, "on": day.isoformat(),
                                                     "at": f"{day.isoformat()}T10:00:00+08:00", "data": data}])
    return req


def plan(req: DisclosureRequest, action: str, on: date, **fields: Any) -> tuple[str, date, dict[str, Any]]:
    return req.plan({"action": action, "on": on, **fields}, on, CAL)


EXTEND = {"working_days": 10, "approver": "李主任", "reason": "涉及多个处室，需要检索档案"}


def test_an_extension_is_granted_once_and_only_before_the_due_date():
    extended = request(("extend", date(2026, 11, 20), EXTEND))
    assert extended.status(extended.clock(CAL)) == "extended"
    assert extended.clock(CAL).due == date(2026, 12, 14)
    with pytest.raises(ConflictError, match="只能延长一次"):
        plan(extended, "extend", date(2026, 11, 23), **EXTEND)
    with pytest.raises(ConflictError, match="已届满"):
        plan(request(), "extend", date(2026, 12, 1), **EXTEND)


def test_clarification_is_asked_once_and_answers_wait_for_it():
    asked = request(("clarify", date(2026, 11, 4), {"text": "请明确项目名称和年份"}))
    assert asked.status(asked.clock(CAL)) == "clarifying"
    with pytest.raises(ConflictError, match="一次性告知"):
        plan(asked, "clarify", date(2026, 11, 5), text="再补一次")
    with pytest.raises(ConflictError, match="等待申请人补正"):
        plan(asked, "answer", date(2026, 11, 5), type="disclosed", text="见附件")
    done = request(("clarify", date(2026, 11, 4), {"text": "请明确"}), ("clarified", date(2026, 11, 9), {}))
    assert done.status(done.clock(CAL)) == "open"
    assert done.clock(CAL).due == date(2026, 12, 7)


def test_an_answer_during_a_consultation_must_wait_for_its_end():
    consulting = request(("consult_start", date(2026, 11, 9), {"third_party": "某公司"}))
    assert consulting.status(consulting.clock(CAL)) == "consulting"
    with pytest.raises(ConflictError, match="征求第三方意见尚未结束"):
        plan(consulting, "answer", date(2026, 11, 10), type="disclosed", text="见附件")


def test_withholding_needs_a_reason_and_its_kind_is_read_from_the_words():
    with pytest.raises(ValidationError) as missing:
        plan(request(), "answer", date(2026, 11, 10), type="withheld", text="不予公开")
    assert missing.value.details[0]["field"] == "reason"
    _, _, data = plan(request(), "answer", date(2026, 11, 10), type="withheld", text="不予公开",
                      reason="该信息涉及第三方商业秘密，第三方不同意公开")
    assert data["reason_code"] == "third_party"
    with pytest.raises(ValidationError) as unclear:
        plan(request(), "answer", date(2026, 11, 10), type="withheld", text="不予公开", reason="不宜公开")
    assert unclear.value.details[0]["field"] == "reason_code"
    _, _, told = plan(request(), "answer", date(2026, 11, 10), type="withheld", text="不予公开", reason="不宜公开",
                      reason_code="process_info")
    assert told["reason_code"] == "process_info"


def test_disclosing_needs_no_reason_and_an_answered_request_takes_no_more_acts():
    answered = request(("answer", date(2026, 11, 10), {"type": "disclosed", "text": "已通过电子邮件提供"}))
    assert answered.status(answered.clock(CAL)) == "answered"
    with pytest.raises(ConflictError):
        plan(answered, "extend", date(2026, 11, 11), **EXTEND)


def test_acts_are_dated_today_or_earlier_but_never_before_the_previous_one():
    with pytest.raises(ValidationError) as future:
        request().plan({"action": "consult_start", "on": date(2026, 11, 10)}, date(2026, 11, 9), CAL)
    assert future.value.details[0]["field"] == "on"
    later = request(("consult_start", date(2026, 11, 9), {}))
    with pytest.raises(ValidationError, match="不能早于上一环节"):
        plan(later, "consult_end", date(2026, 11, 6))


# --- R15 -------------------------------------------------------------------------------------------


def test_r15_red_once_the_due_day_has_ended_without_an_answer():
    summary = summarize(request(), CAL)
    assert r15_signals(summary, datetime(2026, 11, 30, 23, 59, tzinfo=CST)) == []
    [red] = r15_signals(summary, datetime(2026, 12, 1, 0, 0, tzinfo=CST))
    assert (red.rule, red.level, red.cause) == ("R15", "red", "R15:overdue")
    assert red.raised_at == datetime(2026, 12, 1, tzinfo=CST)
    assert red.case_no == "GK202611020150001" and red.dept_code == "015"


def test_r15_red_for_a_late_answer_at_the_breach_instant_and_none_for_one_in_time():
    late = summarize(request(("answer", date(2026, 12, 2), {"type": "disclosed", "text": "见附件"})), CAL)
    [red] = r15_signals(late, datetime(2026, 12, 2, 12, tzinfo=CST))
    assert red.level == "red" and red.raised_at == datetime(2026, 12, 1, tzinfo=CST)
    in_time = summarize(request(("answer", date(2026, 11, 30), {"type": "disclosed", "text": "见附件"})), CAL)
    assert r15_signals(in_time, datetime(2027, 1, 1, tzinfo=CST)) == []


def test_r15_yellow_for_a_clarification_sent_after_seven_working_days():
    late = summarize(request(("clarify", date(2026, 11, 12), {"text": "请明确"})), CAL)
    [yellow] = r15_signals(late, datetime(2026, 11, 12, 12, tzinfo=CST))
    assert (yellow.level, yellow.cause) == ("yellow", "R15:clarify_late")
    on_time = summarize(request(("clarify", date(2026, 11, 11), {"text": "请明确"})), CAL)
    assert r15_signals(on_time, datetime(2026, 12, 31, tzinfo=CST)) == []  # clarifying: the clock stands still


# --- the annual report ----------------------------------------------------------------------------


def test_the_annual_table_balances_and_counts_each_request_in_its_rows():
    facts = [
        Fact(date(2025, 12, 20), "person", date(2026, 1, 10), "disclosed", None, "disclosed"),   # carried over
        Fact(date(2025, 11, 1), "commercial", date(2025, 12, 1), "disclosed", None, "disclosed"),  # closed before
        Fact(date(2026, 3, 1), "person", date(2026, 3, 20), "withheld", "third_party", "withheld"),
        Fact(date(2026, 4, 1), "research", date(2026, 4, 20), "unavailable", "not_held", "not_ours"),
        Fact(date(2026, 5, 1), "commercial", date(2026, 5, 8), "other", "not_clarified", None),
        Fact(date(2026, 12, 20), "person"),                                                      # carried forward
        Fact(date(2026, 12, 28), "legal_service", date(2027, 1, 5), "disclosed", None, "disclosed"),
        Fact(date(2027, 1, 3), "person"),                                                        # next year's
    ]
    table = annual_table(facts, 2026)
    rows = {r["key"]: r["values"] for r in table["rows"]}
    assert rows["received"]["total"] == 5 and rows["received"]["person"] == 2
    assert rows["carried_over"]["total"] == 1
    assert rows["withheld.third_party"]["person"] == 1
    assert rows["unavailable.not_held"]["research"] == 1
    assert rows["other.not_clarified"]["commercial"] == 1
    assert rows["closed_total"]["total"] == 4
    assert rows["carried_forward"]["total"] == 2
    for column in ("person", "commercial", "research", "public_interest", "legal_service", "other", "total"):
        assert rows["received"][column] + rows["carried_over"][column] == (
            rows["closed_total"][column] + rows["carried_forward"][column])
    assert table["received"] == {"person": 2, "org": 3, "total": 5, "commercial": 1, "research": 1,
                                 "public_interest": 0, "legal_service": 1, "other": 0}
    assert table["answered"]["withheld"] == 1 and table["answered"]["disclosed"] == 1
    assert table["still_open"] == 2


def test_those_who_oversee_a_request_see_its_applicant_masked_in_the_view_and_in_the_log():
    person = {"type": "person", "name": "王小明", "id_type": "居民身份证", "id_no": "320302199001011234",
              "phone": "13905160000", "address": "徐州市鼓楼区中山北路 1 号", "email": "wxm@example.com"}
    assert mask_applicant(person) == {"type": "person", "masked": True, "name": "王*", "id_type": "居民身份证",
                                      "id_no": "3203**********1234", "phone": "1390***0000"}
    org = {"type": "org", "org_kind": "commercial", "name": "徐州润泽置业有限公司", "contact": "周敏", "phone": "85551234"}
    assert mask_applicant(org) == {"type": "org", "masked": True, "org_kind": "commercial", "name": "徐州润泽置业有限公司",
                                   "contact": "周*", "phone": "********"}
    req = DisclosureRequest.fold([received(person)])
    view = masked_view(req.staff_view(CAL, datetime(2026, 11, 3, 9, tzinfo=CST), with_log=True))
    text = repr(view)
    assert "王小明" not in text and "13905160000" not in text and "中山北路" not in text and "wxm@" not in text
    assert view["log"][0]["data"]["applicant"]["name"] == "王*" and view["description"] == "某项目环评批复"


def test_a_list_row_shows_what_is_asked_without_the_phone_or_id_number_typed_into_it():
    typed = ("申请公开本人房屋征收补偿协议，联系电话13812345678，身份证号320302198001011234，"
             "住鼓楼区中山北路100号3栋2单元501室" + "补充说明" * 40)
    req = DisclosureRequest.fold([{**received(), "data": {**received()["data"], "description": typed}}])
    row = summarize(req, CAL).list_item(datetime(2026, 11, 3, tzinfo=CST))
    assert row["description"].startswith("申请公开本人房屋征收补偿协议")
    for secret in ("13812345678", "320302198001011234", "中山北路100号"):
        assert secret not in row["description"]
    assert len(row["description"]) <= 120
    # A summary stored before the scrub existed is scrubbed as it is read.
    old = summarize(req, CAL).model_copy(update={"description": typed[:120]})
    assert "13812345678" not in old.list_item(datetime(2026, 11, 3, tzinfo=CST))["description"]
