"""Performance evaluation (绩效评估): metrics from period counters and the quarterly grade."""
from __future__ import annotations

from datetime import date

import pytest

from chalicelib.supervision.domain.performance import (
    DEFAULT_THRESHOLDS,
    GradeBar,
    GradeThresholds,
    PeriodCounters,
    compute_metrics,
    grade,
    letter_no,
    quarter_end,
)


def counters(**values: int) -> PeriodCounters:
    return PeriodCounters.from_row(values)


def test_metrics_are_rates_of_the_counters() -> None:
    # Given a quarter with 100 cases received, 80 concluded of which 72 on time
    c = counters(received=100, concluded=80, on_time=72, yellow=4, red=2, complaints=3, evaluations=20,
                 satisfied=18, days_used=240, supplements=10, events=500, late_events=25)
    # When the metrics are computed
    m = compute_metrics(c)
    # Then each is the documented ratio
    assert m.on_time_rate == 0.9
    assert m.yellow_per_100 == 4.0 and m.red_per_100 == 2.0
    assert m.complaints_per_100 == 3.0
    assert m.satisfaction_rate == 0.9
    assert m.supplement_rate == 0.1
    assert m.avg_days_used == 3.0
    assert m.data_timeliness_rate == 0.95


def test_no_data_is_none_not_zero() -> None:
    # Given a department with no activity at all
    m = compute_metrics(counters())
    # Then no rate pretends to be good or bad
    assert (m.on_time_rate, m.red_per_100, m.satisfaction_rate, m.avg_days_used, m.data_timeliness_rate) == (
        None, None, None, None, None)
    # And it is not graded
    assert grade(m).grade is None


def test_per_hundred_uses_the_larger_of_received_and_concluded() -> None:
    # Given a department that only concluded old cases this quarter (received 0) and got 2 red cards
    m = compute_metrics(counters(received=0, concluded=10, on_time=10, red=2))
    # Then the red cards count against those 10 cases
    assert m.cases == 10
    assert m.red_per_100 == 20.0
    assert grade(m).grade == "不合格"


def test_counter_rows_tolerate_missing_and_extra_fields() -> None:
    c = PeriodCounters.from_row({"dept_code": "015", "received": "3", "concluded": None})
    assert c.received == 3 and c.concluded == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (dict(received=100, concluded=100, on_time=99, yellow=2), "优秀"),
        (dict(received=100, concluded=100, on_time=96, yellow=5, red=1), "良好"),
        (dict(received=100, concluded=100, on_time=91, yellow=20, red=3), "合格"),
        (dict(received=100, concluded=100, on_time=89), "不合格"),
        (dict(received=100, concluded=100, on_time=100, red=4), "不合格"),
        (dict(received=100, concluded=100, on_time=100, complaints=6), "不合格"),
        (dict(received=100, concluded=100, on_time=100, evaluations=10, satisfied=7), "不合格"),
    ],
)
def test_grade_is_the_best_bar_every_criterion_meets(values: dict[str, int], expected: str) -> None:
    assert grade(compute_metrics(counters(**values))).grade == expected


def test_boundaries_are_inclusive() -> None:
    # Exactly 90 % on time and exactly 3 red per 100 still pass
    m = compute_metrics(counters(received=100, concluded=100, on_time=90, red=3))
    assert grade(m).grade == "合格"


def test_few_ratings_do_not_decide_satisfaction() -> None:
    # Given a clean quarter where 2 of 4 applicants were dissatisfied (fewer than 5 ratings)
    m = compute_metrics(counters(received=50, concluded=50, on_time=50, evaluations=4, satisfied=2))
    # Then the satisfaction rate is shown but does not lower the grade
    assert m.satisfaction_rate == 0.5
    assert grade(m).grade == "优秀"


def test_shortfalls_explain_the_failure_in_chinese() -> None:
    m = compute_metrics(counters(received=100, concluded=100, on_time=80, red=5))
    result = grade(m)
    assert result.grade == "不合格"
    assert result.shortfalls == ["按时办结率 80.0% 低于 90.0%", "每百件红牌 5 张，超过 3 张"]


def test_shortfalls_of_a_good_grade_name_the_gap_to_excellent() -> None:
    m = compute_metrics(counters(received=100, concluded=100, on_time=96))
    result = grade(m)
    assert result.grade == "良好"
    assert result.shortfalls == ["按时办结率 96.0% 低于 98.0%"]


def test_thresholds_are_configurable() -> None:
    # Given a stricter city where anything under 95 % on time fails
    strict = GradeThresholds(passing=GradeBar(0.95, 3.0, None, 0.8, 5.0))
    m = compute_metrics(counters(received=100, concluded=100, on_time=92))
    # Then the same quarter passes by default but fails under the strict thresholds
    assert grade(m, DEFAULT_THRESHOLDS).grade == "合格"
    assert grade(m, strict).grade == "不合格"


def test_minimum_case_count_is_configurable() -> None:
    m = compute_metrics(counters(received=3, concluded=3, on_time=0))
    assert grade(m).grade == "不合格"
    assert grade(m, GradeThresholds(min_cases=5)).grade is None


@pytest.mark.parametrize(
    ("period", "end"),
    [("2012Q1", date(2012, 3, 31)), ("2012Q3", date(2012, 9, 30)), ("2012Q4", date(2012, 12, 31)),
     ("2012-07", None), ("2012", None), ("2012Q5", None)],
)
def test_quarter_end(period: str, end: date | None) -> None:
    assert quarter_end(period) == end


def test_letter_numbers_are_one_per_department_and_quarter() -> None:
    assert letter_no("2012Q3", "015") == "JCJY-2012Q3-015"
    assert letter_no("2012Q3", "015") != letter_no("2012Q4", "015")
