"""The answer clock of a request for disclosure (政府信息公开条例 art. 30–33), on a calendar with a
National Day holiday, make-up working days and a New Year across the year end — all pure.

The calendar: 2026-10-01..08 are holidays, Sunday 2026-09-27 and Saturday 2026-10-10 are make-up
working days, 2027-01-01 is a holiday; otherwise Monday–Friday.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.disclosure.domain.clock import Act, compute, receipt_day
from chalicelib.kernel.calendar import Calendar, YearSchedule

CST = timezone(timedelta(hours=8))
CAL = Calendar({
    2026: YearSchedule(holidays=frozenset(date(2026, 10, d) for d in range(1, 9)),
                       workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)})),
    2027: YearSchedule(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset()),
})
MON = date(2026, 11, 2)


def test_a_request_received_on_a_rest_day_counts_from_the_next_working_day_across_national_day():
    # Given a request submitted on Saturday 26 September (the make-up Sunday is a working day)
    received = receipt_day(CAL, date(2026, 9, 26))
    # Then it counts as received on Sunday 27 September, and 20 working days skip the holiday week
    assert received == date(2026, 9, 27)
    clock = compute(CAL, received, [])
    assert clock.state == "running"
    assert clock.due == date(2026, 10, 30)
    assert clock.statutory_due == date(2026, 10, 30)


def test_a_working_day_receipt_is_that_day_and_the_count_crosses_new_year():
    assert receipt_day(CAL, date(2026, 12, 14)) == date(2026, 12, 14)
    assert compute(CAL, date(2026, 12, 14), []).due == date(2027, 1, 12)  # 1 January is a holiday


def test_clarification_stops_the_clock_and_the_count_restarts_from_the_day_it_arrives():
    # Given a request received Monday 2 November, sent back for clarification on 5 November
    asked = [Act("clarify_requested", date(2026, 11, 5))]
    clarifying = compute(CAL, MON, asked)
    # Then while the applicant clarifies there is no due date
    assert clarifying.state == "clarifying" and clarifying.due is None and clarifying.overdue_at is None
    # When the clarification arrives on Saturday 14 November (counts from Monday 16 November)
    clock = compute(CAL, MON, [*asked, Act("clarified", date(2026, 11, 14))])
    # Then 20 full working days run again from there, not from the first receipt
    assert clock.start_on == date(2026, 11, 16)
    assert clock.due == date(2026, 12, 14)
    assert clock.clarify_late is False


def test_consultation_days_are_not_counted_and_an_open_consultation_has_no_due_date():
    plain = compute(CAL, MON, [])
    assert plain.due == date(2026, 11, 30)
    open_consult = compute(CAL, MON, [Act("consult_started", date(2026, 11, 9))])
    assert open_consult.state == "consulting" and open_consult.due is None
    # Monday 9 to Friday 13 November (five working days, both ends included) are left out
    closed = compute(CAL, MON, [Act("consult_started", date(2026, 11, 9)), Act("consult_ended", date(2026, 11, 13))])
    assert closed.state == "running"
    assert closed.due == date(2026, 12, 7)


def test_an_extension_adds_its_working_days_to_the_running_count():
    clock = compute(CAL, MON, [Act("extended", date(2026, 11, 20), 10)])
    assert clock.due == date(2026, 12, 14)
    assert clock.statutory_due == date(2026, 11, 30)
    assert clock.extension_days == 10


def test_extension_and_consultation_together():
    acts = [Act("consult_started", date(2026, 11, 9)), Act("consult_ended", date(2026, 11, 13)),
            Act("extended", date(2026, 11, 27), 20)]
    # 7 December without the extension, then 20 more working days
    assert compute(CAL, MON, acts).due == date(2027, 1, 5)


def test_a_clarification_after_seven_working_days_is_late():
    assert compute(CAL, MON, []).clarify_deadline == date(2026, 11, 11)
    assert compute(CAL, MON, [Act("clarify_requested", date(2026, 11, 11))]).clarify_late is False
    assert compute(CAL, MON, [Act("clarify_requested", date(2026, 11, 12))]).clarify_late is True


def test_overdue_from_the_end_of_the_due_day():
    clock = compute(CAL, date(2026, 9, 27), [])
    assert clock.overdue_at == datetime(2026, 10, 31, 0, 0, tzinfo=CST)
    assert not clock.overdue(datetime(2026, 10, 30, 23, 59, tzinfo=CST))
    assert clock.overdue(datetime(2026, 10, 31, 0, 0, tzinfo=CST))
    assert clock.working_days_left(CAL, date(2026, 10, 28)) == 2
    assert clock.working_days_left(CAL, date(2026, 11, 3)) == -2


@pytest.mark.parametrize(("answered", "late"), [(date(2026, 11, 30), False), (date(2026, 12, 1), True)])
def test_an_answer_is_late_only_after_the_due_day(answered: date, late: bool):
    clock = compute(CAL, MON, [Act("answered", answered)])
    assert clock.state == "closed" and clock.overdue_at is None
    assert clock.due_when_closed == date(2026, 11, 30)
    assert clock.answered_late is late


def test_the_derivation_says_why_the_due_date_is_what_it_is():
    clock = compute(CAL, MON, [Act("consult_started", date(2026, 11, 9)), Act("consult_ended", date(2026, 11, 13)),
                               Act("extended", date(2026, 11, 27), 5)])
    text = "\n".join(clock.derivation)
    assert "2026-11-02 收到申请" in text
    assert "2026-11-09 至 2026-11-13 不计入" in text
    assert "延长答复期限 5 个工作日" in text
    assert text.endswith(f"答复期限：{clock.due.isoformat()}")
