"""Evaluation thresholds as dated rule parameters (issue #18): a quarter is graded by the thresholds in
force on its last day, so a city that tightens its bar from a date does not re-grade earlier quarters."""
from __future__ import annotations

from datetime import date

import pytest

from chalicelib.kernel.errors import ValidationError
from chalicelib.kernel.periods import period_end
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.supervision.domain.performance import DEFAULT_THRESHOLDS, GradeThresholds, compute_metrics, grade
from tests.unit.test_performance import counters


def test_the_shipped_parameters_are_the_documented_defaults() -> None:
    assert GradeThresholds.from_config(RuleConfig.defaults(), date(2012, 9, 30)) == DEFAULT_THRESHOLDS


def test_a_tightened_bar_applies_from_its_date_only() -> None:
    # Given the city raises the on-time bar for 合格 to 95 % from 2013-01-01
    cfg = RuleConfig.from_dict({"grade_passing_on_time_rate": [{"effective_from": "2013-01-01", "value": 0.95}]})
    quarter = compute_metrics(counters(received=100, concluded=100, on_time=92))
    # Then 2012Q4 (judged on 2012-12-31) still passes and 2013Q1 does not
    assert grade(quarter, GradeThresholds.from_config(cfg, period_end("2012Q4"))).grade == "合格"
    assert grade(quarter, GradeThresholds.from_config(cfg, period_end("2013Q1"))).grade == "不合格"


def test_a_bad_threshold_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        RuleConfig.from_dict({"grade_good_on_time_rate": 1.5})
    assert "grade_good_on_time_rate" in str(err.value.details)


@pytest.mark.parametrize(("period", "end"), [("2012", date(2012, 12, 31)), ("2012Q1", date(2012, 3, 31)),
                                             ("2012-02", date(2012, 2, 29)), ("2013-12", date(2013, 12, 31))])
def test_period_end(period: str, end: date) -> None:
    assert period_end(period) == end
