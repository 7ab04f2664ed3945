"""Business dates and reporting periods (统计期间): the month ``2012-07``, the quarter ``2012Q3``
and the year ``2012`` a date falls in, in the platform's time zone (Asia/Shanghai)."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
PERIOD_RE = re.compile(r"^((?:19|20)\d{2})(?:-(0[1-9]|1[0-2])|Q([1-4]))?$")


def local_date(at: datetime) -> date:
    return at.astimezone(TZ).date()


def periods_of(day: date) -> list[str]:
    quarter = (day.month - 1) // 3 + 1
    return [f"{day.year}-{day.month:02d}", f"{day.year}Q{quarter}", f"{day.year}"]


def valid_period(period: str) -> bool:
    return bool(PERIOD_RE.match(period))


def period_start(period: str) -> date:
    """The first day of ``2012``, ``2012Q3`` or ``2012-07``."""
    m = PERIOD_RE.match(period)
    if not m:
        raise ValueError(f"not a period: {period}")
    year, month, quarter = m.groups()
    first_month = int(month) if month else (int(quarter) - 1) * 3 + 1 if quarter else 1
    return date(int(year), first_month, 1)
