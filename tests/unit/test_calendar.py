"""Working-day calendar (工作日历): counting rules, sources, pauses and the admin schedule body."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.kernel.calendar import Calendar, OpenPauseError, Pause, YearSchedule, parse_year_schedule

D = date.fromisoformat

# docs/DOMAIN.md §10 general fixture: holidays 2012-06-22 and 2012-09-30..10-07, make-up workday Sat 2012-09-29.
FIXTURE_2012 = YearSchedule(
    holidays=frozenset({D("2012-06-22")} | {D("2012-09-30") + timedelta(days=i) for i in range(8)}),
    workdays=frozenset({D("2012-09-29")}),
)


def overridden() -> Calendar:
    return Calendar({2012: FIXTURE_2012})


# The same 2012 answers must come from an admin override and from the bundled official calendar.
BOTH_2012 = pytest.mark.parametrize(
    ("calendar", "source"),
    [(overridden(), "override"), (Calendar(), "official")],
    ids=["override", "official"],
)


@BOTH_2012
def test_worked_example_1_deadline_is_five_working_days_after_acceptance(
    calendar: Calendar, source: str
) -> None:
    # Given an item promising 5 working days, accepted on Monday 2012-06-04
    # When the deadline is computed
    deadline = calendar.add_working_days(D("2012-06-04"), 5)
    # Then the acceptance day is not counted and the due date is Monday 2012-06-11
    assert deadline.due == D("2012-06-11")
    assert deadline.counted == [
        D(x) for x in ("2012-06-05", "2012-06-06", "2012-06-07", "2012-06-08", "2012-06-11")
    ]
    assert deadline.source == source


@BOTH_2012
def test_national_day_2012_skips_the_holiday_and_counts_the_make_up_saturday(
    calendar: Calendar, source: str
) -> None:
    # Given acceptance on Thursday 2012-09-27 with 5 working days promised
    deadline = calendar.add_working_days(D("2012-09-27"), 5)
    # Then Saturday 09-29 counts, 09-30..10-07 do not, and the case is due on 10-10 (worked example 3)
    assert [d.isoformat() for d in deadline.counted] == [
        "2012-09-28",
        "2012-09-29",
        "2012-10-08",
        "2012-10-09",
        "2012-10-10",
    ]
    assert deadline.due == D("2012-10-10")
    assert deadline.as_dict()["source"] == source


@BOTH_2012
def test_dragon_boat_holiday_friday_is_not_a_working_day(calendar: Calendar, source: str) -> None:
    # Given acceptance on Wednesday 2012-06-20 and 3 working days
    deadline = calendar.add_working_days(D("2012-06-20"), 3)
    # Then Friday 06-22 (holiday) and the weekend are skipped
    assert deadline.counted == [D("2012-06-21"), D("2012-06-25"), D("2012-06-26")]
    assert not calendar.is_workday(D("2012-06-22"))
    assert calendar.is_workday(D("2012-09-29"))


@pytest.mark.parametrize("year", [2027, 2030])
def test_a_year_unknown_to_the_official_calendar_falls_back_to_weekends_and_says_so(year: int) -> None:
    # Given no override and a year the bundled calendar does not know
    calendar = Calendar()
    # When a deadline inside that year is computed
    friday = next(date(year, 1, d) for d in range(1, 8) if date(year, 1, d).weekday() == 4)
    deadline = calendar.add_working_days(friday, 1)
    # Then Monday to Friday are the only working days and the source says so
    assert calendar.source(year) == "weekends-only"
    assert deadline.due == friday + timedelta(days=3)
    assert deadline.source == "weekends-only"
    assert calendar.is_workday(date(year, 1, 1)) == (date(year, 1, 1).weekday() < 5)


def test_a_deadline_reaching_into_an_unknown_year_is_marked_weekends_only() -> None:
    # Given acceptance late in 2026 (known) with a deadline in 2027 (unknown)
    deadline = Calendar().add_working_days(D("2026-12-28"), 10)
    # Then the whole deadline carries the weaker source
    assert deadline.due.year == 2027
    assert deadline.source == "weekends-only"


def test_an_override_replaces_the_official_schedule_for_its_year_only() -> None:
    # Given an admin override for 2024 that declares no holidays and no make-up days
    calendar = Calendar({2024: YearSchedule()})
    # Then National Day 2024 becomes an ordinary Tuesday, and the official make-up Sunday is a rest day
    assert calendar.source(2024) == "override"
    assert calendar.is_workday(D("2024-10-01"))
    assert not calendar.is_workday(D("2024-02-04"))
    # And 2025 still follows the official calendar
    assert calendar.source(2025) == "official"
    assert not calendar.is_workday(D("2025-10-01"))
    assert Calendar().is_workday(D("2024-02-04")) and not Calendar().is_workday(D("2024-10-01"))


def test_a_type_b_pause_excludes_every_working_day_from_start_to_end_inclusive() -> None:
    # Given acceptance on 2012-06-04 and an expert review from Wednesday 06-06 to Thursday 06-07
    deadline = overridden().add_working_days(
        D("2012-06-04"), 5, pauses=[Pause(D("2012-06-06"), D("2012-06-07"))]
    )
    # Then both days are excluded and the due date moves two working days later
    assert deadline.excluded == [D("2012-06-06"), D("2012-06-07")]
    assert deadline.counted == [
        D(x) for x in ("2012-06-05", "2012-06-08", "2012-06-11", "2012-06-12", "2012-06-13")
    ]
    assert deadline.due == D("2012-06-13")


def test_a_pause_over_a_weekend_only_excludes_its_working_days() -> None:
    # Given a pause from Friday 06-08 to Monday 06-11
    deadline = overridden().add_working_days(
        D("2012-06-04"), 5, pauses=[Pause(D("2012-06-08"), D("2012-06-11"))]
    )
    # Then the weekend is not listed as excluded: it never counted anyway
    assert deadline.excluded == [D("2012-06-08"), D("2012-06-11")]
    assert deadline.due == D("2012-06-13")


def test_an_unfinished_pause_before_the_due_date_means_there_is_no_due_date_yet() -> None:
    calendar = overridden()
    with pytest.raises(OpenPauseError):
        calendar.add_working_days(D("2012-06-04"), 5, pauses=[Pause(D("2012-06-06"), None)])
    with pytest.raises(OpenPauseError):
        calendar.add_calendar_days(D("2012-06-04"), 5, pauses=[Pause(D("2012-06-06"), None)])
    # But an unfinished pause that starts after the due date changes nothing
    later = calendar.add_working_days(D("2012-06-04"), 5, pauses=[Pause(D("2012-06-20"), None)])
    assert later.due == D("2012-06-11")


def test_a_type_a_extension_adds_the_approved_working_days() -> None:
    # Given 5 promised working days from 2012-09-27 and an approved extension of 3 working days
    deadline = overridden().add_working_days(D("2012-09-27"), 5, extension_days=3)
    # Then the due date moves from 10-10 to 10-15 (10-11, 10-12, then Monday 10-15)
    assert deadline.due == D("2012-10-15")
    assert deadline.extension_days == 3
    assert len(deadline.counted) == 8


def test_calendar_day_limits_count_every_day_but_paused_ones() -> None:
    deadline = overridden().add_calendar_days(
        D("2012-09-27"), 10, pauses=[Pause(D("2012-10-01"), D("2012-10-02"))]
    )
    assert deadline.due == D("2012-10-09")
    assert deadline.excluded == [D("2012-10-01"), D("2012-10-02")]


def test_negative_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        overridden().add_working_days(D("2012-06-04"), -1)
    with pytest.raises(ValueError, match="negative"):
        overridden().add_calendar_days(D("2012-06-04"), -1)


def test_working_days_between_counts_the_half_open_span() -> None:
    calendar = overridden()
    # (09-27, 10-10] holds exactly the five counted days of worked example 3
    assert calendar.working_days_between(D("2012-09-27"), D("2012-10-10")) == 5
    assert calendar.working_days_between(D("2012-09-29"), D("2012-10-08")) == 1
    assert calendar.working_days_between(D("2012-06-04"), D("2012-06-04")) == 0
    assert calendar.working_days_between(D("2012-06-11"), D("2012-06-04")) == 0


def test_previous_workday_across_spring_festival_2024() -> None:
    calendar = Calendar()
    # The make-up Sunday 2024-02-18 is the working day before Monday 02-19
    assert calendar.previous_workday(D("2024-02-19")) == D("2024-02-18")
    # Before that Sunday comes the whole holiday 02-10..02-17, so the previous one is Friday 02-09
    assert calendar.previous_workday(D("2024-02-18")) == D("2024-02-09")


def test_previous_workday_across_national_day_2025() -> None:
    calendar = Calendar()
    assert calendar.previous_workday(D("2025-10-09")) == D("2025-09-30")
    assert calendar.previous_workday(D("2025-09-29")) == D("2025-09-28")
    assert calendar.next_workday(D("2025-09-30")) == D("2025-10-09")


def test_next_and_previous_workday_with_the_2012_fixture() -> None:
    calendar = overridden()
    assert calendar.next_workday(D("2012-09-28")) == D("2012-09-29")
    assert calendar.next_workday(D("2012-09-29")) == D("2012-10-08")
    assert calendar.previous_workday(D("2012-10-08")) == D("2012-09-29")


# --- PUT /admin/calendar/{year} body ---------------------------------------------------------


def test_a_valid_schedule_body_becomes_the_override_for_that_year() -> None:
    # Given the 2012 fixture as an admin would send it
    body = {"holidays": ["2012-06-22", "2012-09-30", "2012-10-01"], "workdays": ["2012-09-29"]}
    # When it is parsed
    schedule, errors = parse_year_schedule(2012, body)
    # Then there are no errors and the schedule answers as sent
    assert errors == []
    assert schedule is not None
    assert schedule.as_dict() == body
    assert not Calendar({2012: schedule}).is_workday(D("2012-06-22"))


def test_workdays_may_be_omitted_but_holidays_may_not() -> None:
    schedule, errors = parse_year_schedule(2027, {"holidays": ["2027-01-01"]})
    assert errors == [] and schedule is not None and schedule.workdays == frozenset()
    schedule, errors = parse_year_schedule(2027, {"workdays": []})
    assert schedule is None
    assert [e["field"] for e in errors] == ["holidays"]


def test_every_bad_date_is_named_by_its_position() -> None:
    # Given a body with a wrong format, an impossible date, a date of another year and a clash
    body = {
        "holidays": ["2012-06-22", "2012/06/23", "2012-02-30", "2013-01-01", "2012-09-29"],
        "workdays": ["2012-09-29", 20120930],
    }
    schedule, errors = parse_year_schedule(2012, body)
    # Then nothing is accepted and each bad entry is named, with a Chinese message
    assert schedule is None
    assert [e["field"] for e in errors] == [
        "holidays.1",
        "holidays.2",
        "holidays.3",
        "workdays.1",
        "workdays.0",
    ]
    assert "同时" in errors[-1]["message"]
    assert "不在 2012 年内" in errors[2]["message"]


def test_a_schedule_body_that_is_not_an_object_or_has_unknown_keys_is_refused() -> None:
    assert parse_year_schedule(2012, ["2012-06-22"])[1][0]["field"] == "body"
    _, errors = parse_year_schedule(2012, {"holidays": "2012-06-22", "holiday": []})
    assert {e["field"] for e in errors} == {"holiday", "holidays"}
    _, errors = parse_year_schedule(99999, {"holidays": []})
    assert errors[0]["field"] == "year"
