"""Satisfaction ratings (满意度评价) and performance evaluation (绩效评估) through the API.

Departments 560–569. Every case is handled in July 2012 (quarter 2012Q3); the promised limit of
the fixture item is 5 working days, so a case accepted Mon 2012-07-02 is due Mon 2012-07-09.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration


def on_time_case(case_no: str, code: str, password: str) -> list[dict[str, Any]]:
    """Accepted 07-02, every step within its limit, concluded 07-05, delivered 07-06."""
    return [
        event(case_no, code, "submitted", "2012-07-02T09:00:00+08:00", {"channel": "online"}),
        event(
            case_no,
            code,
            "accepted",
            "2012-07-02T10:00:00+08:00",
            {"status": "accepted", "query_password": password},
        ),
        event(case_no, code, "step", "2012-07-03T10:00:00+08:00", {"step_code": "1", "status": "passed"}),
        event(
            case_no,
            code,
            "step",
            "2012-07-04T10:00:00+08:00",
            {"step_code": "2", "status": "passed"},
            event_id=f"{case_no}-step2",
        ),
        event(
            case_no,
            code,
            "step",
            "2012-07-05T10:00:00+08:00",
            {"step_code": "3", "status": "passed"},
            event_id=f"{case_no}-step3",
        ),
        event(
            case_no,
            code,
            "concluded",
            "2012-07-05T16:00:00+08:00",
            {"result_code": 0, "cert_name": "批复", "cert_no": f"C-{case_no[-4:]}"},
        ),
        event(case_no, code, "delivered", "2012-07-06T10:00:00+08:00", {"mode": "window"}),
    ]


def late_case(case_no: str, code: str) -> list[dict[str, Any]]:
    """Accepted 07-02 (due 07-09), concluded 07-20: late against the promise (R2 red)."""
    return [
        event(case_no, code, "submitted", "2012-07-02T09:00:00+08:00", {"channel": "online"}),
        event(case_no, code, "accepted", "2012-07-02T10:00:00+08:00", {"status": "accepted"}),
        event(
            case_no, code, "concluded", "2012-07-20T16:00:00+08:00", {"result_code": 0, "cert_no": "C-LATE"}
        ),
        event(case_no, code, "delivered", "2012-07-23T10:00:00+08:00", {"mode": "window"}),
    ]


class World:
    def __init__(self, api: Api, local_stack: Any) -> None:
        self.api = api
        self.sup = api.user("h8e-sup", ["supervisor"])
        legal = api.user("h8e-legal", ["legal"])
        self.depts: dict[str, DeptCreds] = {}
        for code in ("560", "561", "562", "563", "564"):
            self.depts[code] = api.department(code)
            api.declare_and_confirm(license_item(dept=code), legal)
        self.h561 = api.user("h8e-h561", ["dept_head"], "561")
        self.h562 = api.user("h8e-h562", ["handler"], "562")
        batches = {
            "560": [
                e
                for n in ("01", "02", "03")
                for e in on_time_case(f"32030056020120000{n}", self.item("560"), f"pw560{n}")
            ],
            "561": on_time_case("3203005612012000001", self.item("561"), "pw561-x")
            + late_case("3203005612012000002", self.item("561")),
            "562": on_time_case("3203005622012000001", self.item("562"), "pw562-x"),
            "563": on_time_case("3203005632012000001", self.item("563"), "pw563-x")[:2],  # still open
            "564": on_time_case("3203005642012000001", self.item("564"), "pw564-x"),
        }
        for dept, events in batches.items():
            r = api.post_events(self.depts[dept], events)
            assert r.status_code == 200, r.text
            assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
        assert local_stack.wait_idle(60)

    @staticmethod
    def item(dept: str) -> str:
        return f"320300{dept}XK00400"


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> World:
    return World(api, local_stack)


def stats_row(w: World, dept: str, period: str = "2012Q3") -> dict[str, Any]:
    r = w.api.get("/stats/departments", period=period)
    assert r.status_code == 200, r.text
    return dict(next(d for d in r.json()["items"] if d["dept_code"] == dept))


def present(row: dict[str, Any] | None) -> dict[str, Any]:
    """The row a listing must contain."""
    assert row is not None, "expected the record in the listing"
    return row


def evaluation_row(w: World, dept: str, token: str | None = None) -> dict[str, Any] | None:
    r = w.api.get("/supervision/evaluation", token=token or w.sup, period="2012Q3")
    assert r.status_code == 200, r.text
    return next((d for d in r.json()["items"] if d["dept_code"] == dept), None)


# --- satisfaction (满意度评价) -----------------------------------------------------------------------


def test_applicant_rates_a_concluded_case_once(world: World) -> None:
    case = "3203005602012000001"
    r = world.api.post(
        f"/cases/{case}/evaluation", {"password": "pw56001", "rating": "satisfied", "comment": "高效"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["case_no"] == case and r.json()["rating"] == "satisfied"
    again = world.api.post(f"/cases/{case}/evaluation", {"password": "pw56001", "rating": "dissatisfied"})
    assert again.status_code == 409


def test_satisfaction_rate_counts_satisfied_and_basic_in_the_quarter_of_conclusion(world: World) -> None:
    # Given department 560's cases concluded in July 2012 (one may already be rated by another test)
    before = stats_row(world, "560")
    # When the other two are rated 基本满意 and 不满意
    for case, password, rating in (
        ("3203005602012000002", "pw56002", "basic"),
        ("3203005602012000003", "pw56003", "dissatisfied"),
    ):
        r = world.api.post(f"/cases/{case}/evaluation", {"password": password, "rating": rating})
        assert r.status_code == 201, r.text
    # Then 2012Q3 (the quarter they were concluded in) counts two more ratings, one more satisfied
    after = stats_row(world, "560")
    assert after["evaluations"] == before["evaluations"] + 2
    satisfied_before = round((before["satisfaction_rate"] or 0) * before["evaluations"])
    assert round(after["satisfaction_rate"] * after["evaluations"]) == satisfied_before + 1
    assert stats_row(world, "560", "2012-07")["evaluations"] == after["evaluations"]
    assert stats_row(world, "560", "2012Q4")["evaluations"] == 0


def test_wrong_password_and_unknown_case_look_the_same(world: World) -> None:
    wrong = world.api.post(
        "/cases/3203005602012000001/evaluation", {"password": "nope", "rating": "satisfied"}
    )
    unknown = world.api.post(
        "/cases/3203005602099999999/evaluation", {"password": "pw56001", "rating": "satisfied"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json()["error"] == unknown.json()["error"]
    missing = world.api.post("/cases/3203005602012000001/evaluation", {"rating": "satisfied"})
    assert missing.status_code == 400 and missing.json()["error"]["details"][0]["field"] == "password"
    bad = world.api.post("/cases/3203005602012000001/evaluation", {"password": "pw56001", "rating": "great"})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "rating"


def test_a_case_still_in_progress_cannot_be_rated(world: World) -> None:
    r = world.api.post("/cases/3203005632012000001/evaluation", {"password": "pw563-x", "rating": "satisfied"})
    assert r.status_code == 409
    assert stats_row(world, "563")["evaluations"] == 0


def test_a_dissatisfied_rating_opens_a_yellow_signal_on_the_case(world: World) -> None:
    case = "3203005642012000001"
    r = world.api.get("/supervision/signals", token=world.sup, case_no=case)
    assert [s for s in r.json()["items"] if s["rule"] == "E1"] == []
    r = world.api.post(
        f"/cases/{case}/evaluation", {"password": "pw564-x", "rating": "dissatisfied", "comment": "窗口态度差"}
    )
    assert r.status_code == 201, r.text
    signals = world.api.get("/supervision/signals", token=world.sup, case_no=case).json()["items"]
    e1 = [s for s in signals if s["rule"] == "E1"]
    assert [(s["level"], s["dept_code"]) for s in e1] == [("yellow", "564")]
    assert "不满意" in e1[0]["message"]


# --- performance evaluation (绩效评估) ---------------------------------------------------------------


def test_quarterly_grades_follow_the_departments_counters(world: World) -> None:
    # Given 561 concluded one of its two cases late (R2 red) and 562 its only case on time
    failing = evaluation_row(world, "561")
    excellent = evaluation_row(world, "562")
    # Then 561 fails on both its on-time rate and its red cards, and 562 is excellent
    assert failing is not None and excellent is not None
    assert (failing["concluded"], failing["on_time"], failing["on_time_rate"]) == (2, 1, 0.5)
    assert failing["red"] >= 1 and failing["red_per_100"] >= 50
    assert failing["grade"] == "不合格"
    assert any("按时办结率 50.0%" in s for s in failing["shortfalls"])
    assert (excellent["on_time_rate"], excellent["red"], excellent["yellow"]) == (1.0, 0, 0)
    assert excellent["grade"] == "优秀"


def test_departments_see_only_their_own_evaluation(world: World) -> None:
    r = world.api.get("/supervision/evaluation", token=world.h562, period="2012Q3")
    assert r.status_code == 200
    assert [d["dept_code"] for d in r.json()["items"]] == ["562"]
    assert (
        world.api.get(
            "/supervision/evaluation", token=world.h562, period="2012Q3", dept_code="561"
        ).status_code
        == 403
    )
    assert world.api.get("/supervision/evaluation", period="2012Q3").status_code == 401


@pytest.mark.parametrize("period", ["2012Q5", "12Q3", "2012-13"])
def test_evaluation_period_must_be_valid(world: World, period: str) -> None:
    r = world.api.get("/supervision/evaluation", token=world.sup, period=period)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "period"


def test_letters_are_only_issued_for_a_finished_quarter(world: World) -> None:
    early = world.api.post(
        "/supervision/evaluation/2012Q3/letters", {"issued_at": "2012-09-28T09:00:00+08:00"}, token=world.sup
    )
    assert early.status_code == 409
    month = world.api.post("/supervision/evaluation/2012-07/letters", {}, token=world.sup)
    assert month.status_code == 400
    assert world.api.post("/supervision/evaluation/2012Q3/letters", {}, token=world.h561).status_code == 403


def test_a_failing_department_receives_one_letter_with_a_rectification_deadline(world: World) -> None:
    # When the supervisor issues letters for 2012Q3 on Mon 2012-10-15 with 10 working days to rectify
    body = {"issued_at": "2012-10-15T09:00:00+08:00", "rectify_working_days": 10}
    first = world.api.post("/supervision/evaluation/2012Q3/letters", body, token=world.sup)
    assert first.status_code == 200, first.text
    mine = {x["dept_code"]: x for x in first.json()["items"] if x["dept_code"] in ("561", "562")}
    # Then only the 不合格 department 561 gets one, due 10 working days later (Mon 2012-10-29)
    assert set(mine) == {"561"}
    letter = mine["561"]
    assert letter["letter_no"] == "JCJY-2012Q3-561" and letter["kind"] == "监察建议书"
    assert letter["rectify_deadline"] == "2012-10-29"
    assert "2012-10-29" in letter["content"] and "不合格" in letter["content"]
    # And issuing again issues nothing new: the same letter is returned
    second = world.api.post(
        "/supervision/evaluation/2012Q3/letters", {"issued_at": "2012-10-20T09:00:00+08:00"}, token=world.sup
    )
    assert second.status_code == 200
    again = next(x for x in second.json()["items"] if x["dept_code"] == "561")
    assert again == letter
    assert "JCJY-2012Q3-561" in first.json()["issued_letters"]
    assert "JCJY-2012Q3-561" not in second.json()["issued_letters"]
    # And the letter is listed once, for the supervisor and for the department itself
    listed = world.api.get("/supervision/letters", token=world.sup, period="2012Q3", dept_code="561").json()[
        "items"
    ]
    assert [x["letter_no"] for x in listed] == ["JCJY-2012Q3-561"]
    own = world.api.get("/supervision/letters", token=world.h561).json()["items"]
    assert [x["letter_no"] for x in own] == ["JCJY-2012Q3-561"]
    assert world.api.get("/supervision/letters", token=world.h562).json()["items"] == []
    assert world.api.get("/supervision/letters", token=world.h562, dept_code="561").status_code == 403
    # And the evaluation shows which department has a letter
    assert present(evaluation_row(world, "561"))["letter_no"] == "JCJY-2012Q3-561"
    assert present(evaluation_row(world, "562"))["letter_no"] is None


def test_the_applicant_can_rate_as_soon_as_the_conclusion_is_stored(world: World) -> None:
    # Given a case whose conclusion has just been pushed (the projection may not have caught up yet)
    dept = world.api.department("565")
    world.api.declare_and_confirm(license_item(dept="565"), world.api.user("h8e-legal565", ["legal"]))
    case = "3203005652012000001"
    r = world.api.post_events(dept, on_time_case(case, World.item("565"), "pw565-x"))
    assert r.status_code == 200, r.text
    # When the applicant rates it at once, without waiting for stream processing
    rated = world.api.post(f"/cases/{case}/evaluation", {"password": "pw565-x", "rating": "satisfied"})
    # Then the rating is accepted
    assert rated.status_code == 201, rated.text
