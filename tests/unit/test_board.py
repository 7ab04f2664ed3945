"""The real-time board (实时监控) as pure rules: lights of open cases, signal counts, overdue
explanations, worst department first, and who sees which department."""
from __future__ import annotations

from datetime import date

from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.domain.scope import departments_in
from chalicelib.kernel.calendar import Calendar
from chalicelib.supervision.domain.board import board, department_cases, explanation_overdue, visible

CAL = Calendar()  # the official schedule (2012 is known to it)
DEPTS = [{"code": "015", "name": "环保局", "level": "city", "region_code": "320300"},
         {"code": "031", "name": "铜山区市场监管局", "level": "county", "region_code": "320312"}]


def view(no: str, dept: str, due: str | None, status: str = "in_progress") -> dict[str, object]:
    return {"case_no": no, "dept_code": dept, "due": due, "status": status, "item_code": "x"}


def test_open_cases_take_the_worklist_light_and_closed_ones_do_not_count() -> None:
    views = [view("a", "015", "2012-06-11"), view("b", "015", "2012-06-20"), view("c", "015", "2012-06-01", "concluded"),
             view("d", "031", None, "submitted")]
    got = {r["dept_code"]: r for r in board(DEPTS, views, [], CAL, date(2012, 6, 12))["items"]}
    assert (got["015"]["open"], got["015"]["red"], got["015"]["green"]) == (2, 1, 1)
    assert (got["031"]["open"], got["031"]["green"]) == (1, 1)  # not accepted yet: no due date, green


def test_signals_are_counted_while_not_closed_and_late_explanations_flagged() -> None:
    signals = [
        {"dept_code": "031", "level": "red", "status": "open", "raised_at": "2012-06-01T09:00:00+08:00"},
        {"dept_code": "031", "level": "yellow", "status": "open", "raised_at": "2012-06-11T09:00:00+08:00"},
        {"dept_code": "031", "level": "red", "status": "explained", "raised_at": "2012-06-01T09:00:00+08:00",
         "reply_deadline": "2012-06-08"},
        {"dept_code": "015", "level": "red", "status": "closed", "raised_at": "2012-06-01T09:00:00+08:00"},
    ]
    result = board(DEPTS, [], signals, CAL, date(2012, 6, 12))
    first = result["items"][0]
    # The county department has the open red signal: it comes first
    assert first["dept_code"] == "031"
    assert (first["signals_red"], first["signals_yellow"], first["explained"]) == (1, 1, 1)
    assert (first["explanations_overdue"], first["replies_overdue"]) == (1, 1)
    assert result["totals"]["signals_red"] == 1


def test_an_explanation_deadline_named_on_the_signal_wins() -> None:
    signal = {"level": "red", "status": "open", "raised_at": "2012-06-01T09:00:00+08:00", "explain_by": "2012-06-20"}
    assert not explanation_overdue(CAL, signal, date(2012, 6, 12))
    assert explanation_overdue(CAL, signal, date(2012, 6, 21))


def test_the_drill_down_puts_red_first_then_by_due_date() -> None:
    views = [view("g", "015", "2012-06-30"), view("r2", "015", "2012-06-08"), view("r1", "015", "2012-06-05")]
    rows = department_cases(views, CAL, date(2012, 6, 12))
    assert [r["case_no"] for r in rows] == ["r1", "r2", "g"]
    assert rows[0]["overdue_working_days"] == 5
    assert [r["case_no"] for r in department_cases(views, CAL, date(2012, 6, 12), "green")] == ["g"]


def test_who_sees_which_department() -> None:
    city, county = DEPTS
    head = Principal(kind="user", roles=frozenset({"dept_head"}), dept_code="015")
    assert visible(head, city) and not visible(head, county)
    assert visible(Principal(kind="user", roles=frozenset({"supervisor"})), county)
    # A region's officers: the departments of their region, as the edge resolves them for each request
    def region_user(region: str) -> Principal:
        return Principal(kind="user", roles=frozenset({"supervisor"}), region_code=region,
                         region_depts=departments_in(region, DEPTS))

    city_sup, county_sup = region_user("320300"), region_user("320312")
    assert visible(city_sup, county) and visible(city_sup, city)
    assert visible(county_sup, county) and not visible(county_sup, city)
    # And a region user whose departments could not be resolved sees nothing (fail closed)
    unresolved = Principal(kind="user", roles=frozenset({"supervisor"}), region_code="320300")
    assert not visible(unresolved, city) and not visible(unresolved, county)
