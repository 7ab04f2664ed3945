"""Complaints (投诉) and consultations (咨询) through the API (docs/DOMAIN.md §6.4, §8.1).

Departments 550–559. The fixed 2012 dates use the staff registration path (a letter registered
by the supervision bureau with its receipt time), so deadlines fall around National Day:
received Thu 2012-09-27 → decide by Wed 2012-10-10 (09-28, Sat 09-29, 10-08, 10-09, 10-10).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

NATIONAL_DAY_RECEIPT = "2012-09-27T10:00:00+08:00"


class World:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.depts: dict[str, DeptCreds] = {c: api.department(c) for c in ("550", "551", "552", "553")}
        self.sup = api.user("h8c-sup", ["supervisor"])
        self.legal = api.user("h8c-legal", ["legal"])
        self.h550 = api.user("h8c-h550", ["handler"], "550")
        self.h551 = api.user("h8c-h551", ["dept_head"], "551")


@pytest.fixture(scope="module")
def world(api: Api) -> World:
    return World(api)


def complaint(dept: str = "550", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dept_code": dept,
        "category": "efficiency",
        "content": "网上申报后一直没有受理反馈",
        "real_name": True,
        "name": "李四",
        "phone": "13800000000",
    }
    body.update(over)
    return body


def registered(
    w: World, dept: str = "550", received_at: str = NATIONAL_DAY_RECEIPT, **over: Any
) -> dict[str, Any]:
    """A complaint letter registered by the supervision bureau with its receipt time."""
    r = w.api.post(
        "/complaints", complaint(dept, channel="letter", received_at=received_at, **over), token=w.sup
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def listed(w: World, no: str, token: str, **params: Any) -> dict[str, Any] | None:
    r = w.api.get("/complaints", token=token, limit=500, **params)
    assert r.status_code == 200, r.text
    return next((c for c in r.json()["items"] if c["complaint_no"] == no), None)


def present(row: dict[str, Any] | None) -> dict[str, Any]:
    """The row a listing must contain."""
    assert row is not None, "expected the record in the listing"
    return row


def signals_for(w: World, case_no: str) -> list[dict[str, Any]]:
    r = w.api.get("/supervision/signals", token=w.sup, case_no=case_no)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


# --- submission and the public progress query --------------------------------------------------


def test_citizen_submits_a_complaint_and_follows_it_with_the_query_code(world: World) -> None:
    # Given a citizen in the hall
    # When they complain about department 550
    r = world.api.post("/complaints", complaint())
    # Then they get a number, a decision deadline 5 working days out and a query code
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["complaint_no"].startswith("TS") and len(out["query_code"]) == 8
    received = date.fromisoformat(out["received_at"][:10])
    assert (date.fromisoformat(out["accept_deadline"]) - received).days >= 5
    # And with the code they see progress but never who complained nor what was written
    view = world.api.get(f"/complaints/{out['complaint_no']}", code=out["query_code"])
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["status"] == "received" and body["accept_deadline"] == out["accept_deadline"]
    text = view.text
    assert "李四" not in text and "13800000000" not in text and "没有受理反馈" not in text


def test_wrong_or_missing_code_looks_exactly_like_an_unknown_complaint(world: World) -> None:
    out = world.api.post("/complaints", complaint()).json()
    wrong = world.api.get(f"/complaints/{out['complaint_no']}", code="ZZZZZZZZ")
    missing = world.api.get(f"/complaints/{out['complaint_no']}")
    unknown = world.api.get("/complaints/TS20120101000000", code=out["query_code"])
    assert wrong.status_code == missing.status_code == unknown.status_code == 404
    assert wrong.json()["error"] == unknown.json()["error"]


def test_code_is_case_insensitive(world: World) -> None:
    out = world.api.post("/complaints", complaint()).json()
    r = world.api.get(f"/complaints/{out['complaint_no']}", code=out["query_code"].lower())
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (complaint(name=None), "name"),
        (complaint(dept="599"), "dept_code"),
        (complaint(category="rude"), "category"),
        (complaint(content=""), "content"),
        (complaint(phone="12345"), "phone"),
        (complaint(case_no="x" * 100), "case_no"),
    ],
)
def test_invalid_complaints_name_the_bad_field(world: World, body: dict[str, Any], field: str) -> None:
    body = {k: v for k, v in body.items() if v is not None}
    r = world.api.post("/complaints", body)
    assert r.status_code == 400, r.text
    assert field in [d["field"] for d in r.json()["error"]["details"]]


def test_anonymous_complaint_needs_no_name_and_keeps_none(world: World) -> None:
    r = world.api.post("/complaints", complaint(real_name=False, name="王五", phone=None))
    assert r.status_code == 201, r.text
    staff = world.api.get(f"/complaints/{r.json()['complaint_no']}", token=world.sup)
    assert staff.status_code == 200 and staff.json()["name"] is None and staff.json()["real_name"] is False


def test_only_the_supervision_bureau_may_register_a_back_dated_complaint(world: World) -> None:
    body = complaint(channel="letter", received_at=NATIONAL_DAY_RECEIPT)
    assert world.api.post("/complaints", body).status_code == 401
    assert world.api.post("/complaints", body, token=world.h550).status_code == 403
    future = complaint(channel="phone", received_at="2099-01-01T09:00:00+08:00")
    r = world.api.post("/complaints", future, token=world.sup)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "received_at"


# --- the acceptance deadline and overdue flags -----------------------------------------------------


def test_acceptance_deadline_skips_the_national_day_holiday(world: World) -> None:
    out = registered(world)
    assert out["accept_deadline"] == "2012-10-10"


def test_undecided_complaint_becomes_overdue_after_its_deadline_day(world: World) -> None:
    # Given a complaint received 2012-09-27, to be decided by 2012-10-10
    no = registered(world)["complaint_no"]
    # When staff look at the list on the deadline day, and on the next morning
    on_time = listed(world, no, world.sup, dept_code="550", as_of="2012-10-10T23:00:00+08:00")
    late = listed(world, no, world.sup, dept_code="550", as_of="2012-10-11T08:00:00+08:00")
    # Then it is flagged only once the deadline day has ended
    assert on_time is not None and on_time["accept_overdue"] is False
    assert late is not None and late["accept_overdue"] is True and late["overdue"] is True
    # And the overdue filter finds it
    assert listed(world, no, world.sup, overdue="true", as_of="2012-10-11T08:00:00+08:00") is not None
    assert listed(world, no, world.sup, overdue="true", as_of="2012-10-09T08:00:00+08:00") is None


def test_a_late_decision_stays_flagged_and_a_timely_one_does_not(world: World) -> None:
    late_no = registered(world)["complaint_no"]
    timely_no = registered(world)["complaint_no"]
    r = world.api.post(
        f"/complaints/{late_no}/decision",
        {"decision": "accept", "at": "2012-10-11T09:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["late"] is True
    r = world.api.post(
        f"/complaints/{timely_no}/decision",
        {"decision": "accept", "at": "2012-10-10T17:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200 and r.json()["decision"]["late"] is False
    as_of = "2013-01-01T00:00:00+08:00"
    assert present(listed(world, late_no, world.sup, as_of=as_of))["accept_overdue"] is True
    assert present(listed(world, timely_no, world.sup, as_of=as_of))["accept_overdue"] is False


def test_rejection_needs_a_reason_and_the_complainant_sees_it(world: World) -> None:
    out = registered(world)
    no = out["complaint_no"]
    r = world.api.post(f"/complaints/{no}/decision", {"decision": "reject"}, token=world.sup)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "reason"
    r = world.api.post(
        f"/complaints/{no}/decision",
        {"decision": "reject", "reason": "不属于本机关受理范围", "at": "2012-09-28T10:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200, r.text
    public = world.api.get(f"/complaints/{no}", code=out["query_code"]).json()
    assert public["status"] == "rejected" and public["decision"]["reason"] == "不属于本机关受理范围"
    # A second decision conflicts, and a rejected complaint cannot be rated
    assert (
        world.api.post(f"/complaints/{no}/decision", {"decision": "accept"}, token=world.sup).status_code
        == 409
    )
    rating = world.api.post(f"/complaints/{no}/rating", {"code": out["query_code"], "rating": "satisfied"})
    assert rating.status_code == 409


def test_a_decision_cannot_predate_the_complaint(world: World) -> None:
    no = registered(world)["complaint_no"]
    r = world.api.post(
        f"/complaints/{no}/decision",
        {"decision": "accept", "at": "2012-09-01T09:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "at"


def test_only_the_supervision_bureau_decides(world: World) -> None:
    no = registered(world)["complaint_no"]
    assert (
        world.api.post(f"/complaints/{no}/decision", {"decision": "accept"}, token=world.h550).status_code
        == 403
    )
    assert world.api.post(f"/complaints/{no}/decision", {"decision": "accept"}).status_code == 401
    assert (
        world.api.post(
            "/complaints/TS20990101000000/decision", {"decision": "accept"}, token=world.sup
        ).status_code
        == 404
    )


# --- transfer, reply, result, rating ---------------------------------------------------------------


def test_full_lifecycle_from_complaint_to_the_complainants_rating(world: World) -> None:
    # Given a complaint letter about department 550, accepted on time
    out = registered(world)
    no, code = out["complaint_no"], out["query_code"]
    assert (
        world.api.post(
            f"/complaints/{no}/decision",
            {"decision": "accept", "at": "2012-10-09T09:00:00+08:00"},
            token=world.sup,
        ).status_code
        == 200
    )
    # And before the transfer the department does not see it
    assert listed(world, no, world.h550) is None
    assert world.api.get(f"/complaints/{no}", token=world.h550).status_code == 404
    # When it is transferred with 3 working days to reply (Thu 10-11 → Tue 10-16)
    r = world.api.post(
        f"/complaints/{no}/transfer",
        {"reply_working_days": 3, "note": "请核查并答复", "at": "2012-10-11T09:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200, r.text
    assert r.json()["transfer"]["reply_deadline"] == "2012-10-16" and r.json()["status"] == "transferred"
    # Then the department sees it, without the complainant's identity
    seen = listed(world, no, world.h550)
    assert seen is not None and seen["name"] is None and seen["phone"] is None
    # And it is overdue for a reply once 10-16 has passed unanswered
    assert present(listed(world, no, world.sup, as_of="2012-10-17T09:00:00+08:00"))["reply_overdue"] is True
    # And the supervisor cannot conclude before the department replies
    assert (
        world.api.post(f"/complaints/{no}/result", {"result": "已处理"}, token=world.sup).status_code == 409
    )
    # When another department tries to reply it is refused; the department itself replies on time
    assert world.api.post(f"/complaints/{no}/reply", {"reply": "已核查"}, token=world.h551).status_code == 403
    r = world.api.post(
        f"/complaints/{no}/reply",
        {"reply": "经核查，已于当日完成受理并致歉", "at": "2012-10-16T15:00:00+08:00"},
        token=world.h550,
    )
    assert r.status_code == 200, r.text
    assert r.json()["reply"]["late"] is False and r.json()["reply_overdue"] is False
    # When the supervisor concludes
    r = world.api.post(
        f"/complaints/{no}/result",
        {"result": "投诉属实，已责令整改并向投诉人致歉", "at": "2012-10-18T10:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200 and r.json()["status"] == "concluded"
    # Then the complainant reads the result with the code
    public = world.api.get(f"/complaints/{no}", code=code).json()
    assert (
        public["status"] == "concluded" and public["result"]["text"] == "投诉属实，已责令整改并向投诉人致歉"
    )
    # And rates it once: a wrong code is 404, a second rating 409
    assert (
        world.api.post(f"/complaints/{no}/rating", {"code": "WRONGCOD", "rating": "satisfied"}).status_code
        == 404
    )
    r = world.api.post(f"/complaints/{no}/rating", {"code": code, "rating": "satisfied"})
    assert r.status_code == 201 and r.json()["rating"]["rating"] == "satisfied"
    assert world.api.post(f"/complaints/{no}/rating", {"code": code, "rating": "basic"}).status_code == 409
    # And a satisfied rating opens no signal
    assert signals_for(world, no) == []


def test_a_dissatisfied_complainant_opens_a_supervision_signal(world: World) -> None:
    out = registered(world, dept="552")
    no, code = out["complaint_no"], out["query_code"]
    world.api.post(
        f"/complaints/{no}/decision",
        {"decision": "accept", "at": "2012-09-28T09:00:00+08:00"},
        token=world.sup,
    )
    r = world.api.post(
        f"/complaints/{no}/result",
        {"result": "经调查，投诉不属实", "at": "2012-10-12T09:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200, r.text
    r = world.api.post(
        f"/complaints/{no}/rating", {"code": code, "rating": "dissatisfied", "comment": "调查走过场"}
    )
    assert r.status_code == 201, r.text
    signals = signals_for(world, no)
    assert [(s["rule"], s["level"], s["dept_code"]) for s in signals] == [("C2", "yellow", "552")]
    assert "不满意" in signals[0]["message"]


def test_department_staff_only_see_their_own_department(world: World) -> None:
    r = world.api.get("/complaints", token=world.h550, dept_code="551")
    assert r.status_code == 403
    assert world.api.get("/complaints", token=world.legal).status_code == 403
    assert world.api.get("/complaints").status_code == 401


# --- complaints about a case open signals -------------------------------------------------------


@pytest.fixture(scope="module")
def cases(world: World, local_stack: Any) -> dict[str, str]:
    """Department 551: one case accepted and in progress, one rejected at intake."""
    api = world.api
    api.declare_and_confirm(license_item(dept="551"), world.legal)
    code = "320300551XK00400"
    open_case, rejected_case = "3203005512012000001", "3203005512012000002"
    events = [
        event(open_case, code, "submitted", "2012-07-02T09:00:00+08:00", {"channel": "online"}),
        event(
            open_case,
            code,
            "accepted",
            "2012-07-02T10:00:00+08:00",
            {"status": "accepted", "query_password": "pw551a"},
        ),
        event(rejected_case, code, "submitted", "2012-07-03T09:00:00+08:00", {"channel": "window"}),
        event(
            rejected_case,
            code,
            "accepted",
            "2012-07-03T10:00:00+08:00",
            {"status": "rejected", "reason": "材料不全", "query_password": "pw551b"},
        ),
    ]
    r = api.post_events(world.depts["551"], events)
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    assert local_stack.wait_idle(60)
    return {"open": open_case, "rejected": rejected_case}


def test_an_accepted_complaint_about_a_case_opens_a_yellow_signal_on_it(
    world: World, cases: dict[str, str]
) -> None:
    no = registered(world, dept="551", case_no=cases["open"], category="attitude")["complaint_no"]
    # Receiving it raises nothing; accepting it does
    assert [s for s in signals_for(world, cases["open"]) if s["rule"] == "C1"] == []
    r = world.api.post(
        f"/complaints/{no}/decision",
        {"decision": "accept", "at": "2012-09-28T09:00:00+08:00"},
        token=world.sup,
    )
    assert r.status_code == 200, r.text
    c1 = [s for s in signals_for(world, cases["open"]) if s["rule"] == "C1"]
    assert [(s["level"], s["dept_code"]) for s in c1] == [("yellow", "551")]
    assert no in c1[0]["message"] and c1[0]["signal_id"] in r.json()["signals"]


def test_a_complaint_about_a_case_rejected_at_intake_opens_r7_only_once_confirmed(
        world: World, cases: dict[str, str]) -> None:
    no = registered(world, dept="551", case_no=cases["rejected"], category="violation")["complaint_no"]
    world.api.post(
        f"/complaints/{no}/decision",
        {"decision": "accept", "at": "2012-09-28T09:00:00+08:00"},
        token=world.sup,
    )
    # accepting the complaint only starts the check (issue 13): no red yet
    assert [s for s in signals_for(world, cases["rejected"]) if s["rule"] == "R7"] == []
    world.api.post(f"/complaints/{no}/result", {"result": "经核查，材料齐全却不予受理",
                                                "finding": "wrongful_rejection", "at": "2012-10-08T09:00:00+08:00"},
                   token=world.sup)
    r7 = [s for s in signals_for(world, cases["rejected"]) if s["rule"] == "R7"]
    assert [(s["level"], s["dept_code"]) for s in r7] == [("red", "551")]


def test_a_rejected_complaint_about_a_case_opens_nothing(world: World, cases: dict[str, str]) -> None:
    before = len(signals_for(world, cases["open"]))
    no = registered(world, dept="551", case_no=cases["open"])["complaint_no"]
    world.api.post(
        f"/complaints/{no}/decision", {"decision": "reject", "reason": "重复投诉"}, token=world.sup
    )
    assert len(signals_for(world, cases["open"])) == before


# --- complaint counters --------------------------------------------------------------------------


def test_complaints_count_in_the_period_they_were_received(world: World) -> None:
    # Given two complaints about department 553 received in August and one in October 2012
    for at in ("2012-08-06T09:00:00+08:00", "2012-08-20T09:00:00+08:00", "2012-10-15T09:00:00+08:00"):
        registered(world, dept="553", received_at=at)

    def complaints(period: str) -> int:
        r = world.api.get("/stats/departments", period=period)
        assert r.status_code == 200, r.text
        return int(next(d for d in r.json()["items"] if d["dept_code"] == "553")["complaints"])

    # Then the public statistics count them by the period of receipt
    assert (complaints("2012-08"), complaints("2012Q3"), complaints("2012Q4"), complaints("2012")) == (
        2,
        2,
        1,
        3,
    )


# --- consultations ----------------------------------------------------------------------------------


def test_citizen_asks_and_reads_the_answer_with_the_code(world: World) -> None:
    r = world.api.post(
        "/consultations",
        {
            "dept_code": "550",
            "item_code": "320300-550-XK-004-00",
            "question": "办理环评审批需要哪些材料？",
            "name": "赵六",
            "phone": "13900000000",
        },
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["consultation_no"].startswith("ZX") and out["answer_deadline"]
    no, code = out["consultation_no"], out["query_code"]
    r = world.api.post(
        f"/consultations/{no}/answer", {"answer": "需提交环境影响报告表一份"}, token=world.h550
    )
    assert r.status_code == 200, r.text
    public = world.api.get(f"/consultations/{no}", code=code)
    assert public.status_code == 200
    body = public.json()
    assert body["status"] == "answered" and body["answer"] == "需提交环境影响报告表一份"
    assert body["item_code"] == "320300550XK00400"
    assert "赵六" not in public.text and "13900000000" not in public.text
    assert world.api.get(f"/consultations/{no}", code="WRONGCOD").status_code == 404
    assert (
        world.api.post(f"/consultations/{no}/answer", {"answer": "再次答复"}, token=world.h550).status_code
        == 409
    )


def test_consultation_item_must_belong_to_the_department(world: World) -> None:
    r = world.api.post(
        "/consultations", {"dept_code": "550", "item_code": "320300551XK00400", "question": "请问?"}
    )
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "item_code"
    r = world.api.post("/consultations", {"dept_code": "550", "item_code": "not-a-code", "question": "请问?"})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "item_code"


def test_unanswered_consultation_is_flagged_overdue_and_a_late_answer_stays_late(world: World) -> None:
    # Given a phone consultation registered on 2012-09-27 (answer due 2012-10-10)
    r = world.api.post(
        "/consultations",
        {
            "dept_code": "550",
            "question": "周末是否可以办理？",
            "channel": "phone",
            "received_at": NATIONAL_DAY_RECEIPT,
        },
        token=world.sup,
    )
    assert r.status_code == 201, r.text
    no = r.json()["consultation_no"]
    assert r.json()["answer_deadline"] == "2012-10-10"

    def row(**params: Any) -> dict[str, Any] | None:
        res = world.api.get("/consultations", token=world.h550, limit=500, **params)
        assert res.status_code == 200, res.text
        return next((c for c in res.json()["items"] if c["consultation_no"] == no), None)

    # Then it is overdue only after the deadline day
    assert present(row(as_of="2012-10-10T18:00:00+08:00"))["answer_overdue"] is False
    assert row(as_of="2012-10-11T09:00:00+08:00", overdue="true") is not None
    # And another department cannot answer; a late answer is recorded as late
    assert (
        world.api.post(f"/consultations/{no}/answer", {"answer": "可以"}, token=world.h551).status_code == 403
    )
    r = world.api.post(
        f"/consultations/{no}/answer",
        {"answer": "周末不办理", "at": "2012-10-12T09:00:00+08:00"},
        token=world.h550,
    )
    assert r.status_code == 200 and r.json()["answer"]["late"] is True
    assert present(row(status="answered", as_of="2013-01-01T00:00:00+08:00"))["answer_overdue"] is True


def test_department_sees_only_its_own_consultations(world: World) -> None:
    r = world.api.post("/consultations", {"dept_code": "551", "question": "请问办理时间？"})
    no = r.json()["consultation_no"]
    mine = world.api.get("/consultations", token=world.h550, limit=500).json()["items"]
    assert no not in [c["consultation_no"] for c in mine]
    assert world.api.get("/consultations", token=world.h550, dept_code="551").status_code == 403
    assert world.api.get(f"/consultations/{no}", token=world.h550).status_code == 404
    assert world.api.get(f"/consultations/{no}", token=world.h551).status_code == 200


def test_the_staff_list_pages_through_every_complaint_once(world: World) -> None:
    # Given three complaints about department 554
    world.api.department("554")
    made = {registered(world, dept="554")["complaint_no"] for _ in range(3)}
    # When the supervisor pages through them two at a time
    first = world.api.get("/complaints", token=world.sup, dept_code="554", limit=2).json()
    assert len(first["items"]) == 2 and first["next"]
    second = world.api.get(
        "/complaints", token=world.sup, dept_code="554", limit=2, cursor=first["next"]
    ).json()
    # Then every complaint appears exactly once
    seen = [c["complaint_no"] for c in first["items"] + second["items"]]
    assert sorted(seen) == sorted(made)
