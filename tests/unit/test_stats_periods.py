"""Statistics periods (2012, 2012Q3, 2012-07): which periods a day counts in, and where each starts."""
from __future__ import annotations

from datetime import date

import pytest

from chalicelib.kernel.periods import period_start, periods_of, valid_period


@pytest.mark.parametrize(("period", "start"), [("2012", date(2012, 1, 1)), ("2012Q1", date(2012, 1, 1)),
                                               ("2012Q3", date(2012, 7, 1)), ("2012Q4", date(2012, 10, 1)),
                                               ("2012-07", date(2012, 7, 1)), ("2012-12", date(2012, 12, 1))])
def test_each_period_starts_on_its_first_day(period: str, start: date) -> None:
    assert period_start(period) == start
    assert period in periods_of(start)


def test_a_day_counts_in_its_month_quarter_and_year_only() -> None:
    assert periods_of(date(2012, 9, 30)) == ["2012-09", "2012Q3", "2012"]
    assert not valid_period("2012Q5") and not valid_period("2012-13")
    with pytest.raises(ValueError):
        period_start("2012Q5")
