"""Performance evaluation (绩效评估), docs/DOMAIN.md §6.3: metrics from period counters and a grade.

Pure: the input is one department's period counters (统计计数, maintained from the event stream
and by the hall's complaints and evaluations), the output is the computed metrics and a grade
优秀 (excellent) / 良好 (good) / 合格 (pass) / 不合格 (fail). A 不合格 department receives a
监察建议书 (supervision recommendation letter) with a rectification deadline [S-ES-Q].

The sources name the nine evaluation items and the four grades but give no numbers, so every
threshold below is [inferred] and configurable through :class:`GradeThresholds`.

Metric definitions (each ``None`` when its denominator is zero, so "no data" never counts as
good or bad):

* ``cases`` = max(received, concluded) + disclosure_received: the period's workload, the base of
  every "per 100 cases" figure. Using the larger of the two keeps a department that only concludes
  old cases in a quarter (received 0) from dividing by zero and escaping its red cards; requests
  for disclosure are work too, and their R15 signals count among the yellow and red.
* ``on_time_rate`` = on_time / concluded (concluded within the 承诺 promised deadline).
* ``yellow_per_100`` / ``red_per_100`` = signals raised in the period per 100 cases.
* ``supplement_rate`` = cases with a supplement request (补正) / received.
* ``complaints_per_100`` = complaints received in the period per 100 cases.
* ``satisfaction_rate`` = satisfied / evaluations, where ``satisfied`` counts both 满意 and
  基本满意 (the hall's counters add one to ``satisfied`` for either).
* ``avg_days_used`` = days_used / concluded (calendar days from acceptance to conclusion, as the
  case projection counts them).
* ``data_timeliness_rate`` = 1 − late_events / events (events reported within 24 h).
* ``disclosure_on_time_rate`` = requests for disclosure answered by their due date / answered
  (政府信息公开, R15's red is the other side of the same fact).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal

Grade = Literal["优秀", "良好", "合格", "不合格"]
GRADES: tuple[Grade, ...] = ("优秀", "良好", "合格", "不合格")
_QUARTER_RE = re.compile(r"^((?:19|20)\d{2})Q([1-4])$")


@dataclass(frozen=True)
class PeriodCounters:
    """One department's counters for one period (month, quarter or year)."""

    received: int = 0
    concluded: int = 0
    on_time: int = 0
    yellow: int = 0
    red: int = 0
    complaints: int = 0
    evaluations: int = 0
    satisfied: int = 0
    days_used: int = 0
    supplements: int = 0
    events: int = 0
    late_events: int = 0
    disclosure_received: int = 0
    disclosure_answered: int = 0
    disclosure_on_time: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PeriodCounters:
        """Build from a counters row; missing or empty fields count as 0."""
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = row.get(f.name)
            values[f.name] = max(0, int(raw)) if raw is not None else 0
        return cls(**values)


@dataclass(frozen=True)
class Metrics:
    """The computable indicators of docs/DOMAIN.md §6.3 for one department and period."""

    counters: PeriodCounters
    cases: int
    on_time_rate: float | None
    yellow_per_100: float | None
    red_per_100: float | None
    supplement_rate: float | None
    complaints_per_100: float | None
    satisfaction_rate: float | None
    avg_days_used: float | None
    data_timeliness_rate: float | None
    disclosure_on_time_rate: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self.counters)
        out.update({k: v for k, v in asdict(self).items() if k != "counters"})
        return out


def _ratio(num: int, den: int, digits: int = 4) -> float | None:
    return round(num / den, digits) if den > 0 else None


def _per_100(num: int, den: int) -> float | None:
    return round(num * 100 / den, 2) if den > 0 else None


def compute_metrics(c: PeriodCounters) -> Metrics:
    cases = max(c.received, c.concluded) + c.disclosure_received
    timeliness = None if c.events <= 0 else round(1 - min(c.late_events, c.events) / c.events, 4)
    return Metrics(
        counters=c,
        cases=cases,
        on_time_rate=_ratio(min(c.on_time, c.concluded), c.concluded),
        yellow_per_100=_per_100(c.yellow, cases),
        red_per_100=_per_100(c.red, cases),
        supplement_rate=_ratio(c.supplements, c.received),
        complaints_per_100=_per_100(c.complaints, cases),
        satisfaction_rate=_ratio(min(c.satisfied, c.evaluations), c.evaluations),
        avg_days_used=_ratio(c.days_used, c.concluded, 2),
        data_timeliness_rate=timeliness,
        disclosure_on_time_rate=_ratio(min(c.disclosure_on_time, c.disclosure_answered), c.disclosure_answered),
    )


@dataclass(frozen=True)
class GradeBar:
    """What a department must meet for one grade. ``None`` disables a criterion."""

    min_on_time_rate: float | None
    max_red_per_100: float | None
    max_yellow_per_100: float | None
    min_satisfaction_rate: float | None
    max_complaints_per_100: float | None
    #: Requests for disclosure answered in time (skipped below ``min_disclosure_answers``).
    min_disclosure_on_time_rate: float | None = None


@dataclass(frozen=True)
class GradeThresholds:
    """Configurable grading rules [inferred; S-ES-Q names the grades but no numbers].

    Defaults and why:

    * 优秀: on time ≥ 98 %, no red card, ≤ 3 yellow per 100 cases, satisfaction ≥ 95 %,
      ≤ 1 complaint per 100 cases: essentially a clean quarter.
    * 良好: on time ≥ 95 %, ≤ 1 red and ≤ 8 yellow per 100, satisfaction ≥ 90 %, ≤ 3 complaints
      per 100: occasional slips that were caught by warnings.
    * 合格: on time ≥ 90 %, ≤ 3 red per 100, satisfaction ≥ 80 %, ≤ 5 complaints per 100; yellow
      cards alone never fail a department (they are warnings, not breaches).
    * Below 合格 is 不合格. The on-time rate counts against the 承诺 promised limit, the
      standard supervision measures (docs/DOMAIN.md §4.5), so 90 % already tolerates one late case in ten.
    * ``min_cases`` = 1: a department with no case in the period is not graded (grade ``None``).
    * ``min_evaluations`` = 5: fewer ratings than this are too few to judge satisfaction; the
      criterion is then skipped (one unhappy applicant must not fail a whole department).
    * 政府信息公开 answered in time: 优秀 all, 良好 ≥ 90 %, 合格 ≥ 80 %, judged from
      ``min_disclosure_answers`` = 3 answers in the period (fewer are too few to judge).
    """

    excellent: GradeBar = field(default_factory=lambda: GradeBar(0.98, 0.0, 3.0, 0.95, 1.0, 1.0))
    good: GradeBar = field(default_factory=lambda: GradeBar(0.95, 1.0, 8.0, 0.90, 3.0, 0.9))
    passing: GradeBar = field(default_factory=lambda: GradeBar(0.90, 3.0, None, 0.80, 5.0, 0.8))
    min_cases: int = 1
    min_evaluations: int = 5
    min_disclosure_answers: int = 3

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_THRESHOLDS = GradeThresholds()


@dataclass(frozen=True)
class Assessment:
    """A grade and, in Chinese, what kept the department from the next better grade."""

    grade: Grade | None
    shortfalls: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "shortfalls": list(self.shortfalls)}


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def shortfalls(m: Metrics, bar: GradeBar, thresholds: GradeThresholds) -> list[str]:
    """The criteria of ``bar`` that ``m`` misses, as messages shown to people (Chinese)."""
    out: list[str] = []
    if (bar.min_on_time_rate is not None and m.on_time_rate is not None
            and m.on_time_rate < bar.min_on_time_rate):
        out.append(f"按时办结率 {_pct(m.on_time_rate)} 低于 {_pct(bar.min_on_time_rate)}")
    if bar.max_red_per_100 is not None and m.red_per_100 is not None and m.red_per_100 > bar.max_red_per_100:
        out.append(f"每百件红牌 {m.red_per_100:g} 张，超过 {bar.max_red_per_100:g} 张")
    if (bar.max_yellow_per_100 is not None and m.yellow_per_100 is not None
            and m.yellow_per_100 > bar.max_yellow_per_100):
        out.append(f"每百件黄牌 {m.yellow_per_100:g} 张，超过 {bar.max_yellow_per_100:g} 张")
    if (bar.min_satisfaction_rate is not None and m.satisfaction_rate is not None
            and m.counters.evaluations >= thresholds.min_evaluations
            and m.satisfaction_rate < bar.min_satisfaction_rate):
        out.append(f"满意率 {_pct(m.satisfaction_rate)} 低于 {_pct(bar.min_satisfaction_rate)}")
    if (bar.max_complaints_per_100 is not None and m.complaints_per_100 is not None
            and m.complaints_per_100 > bar.max_complaints_per_100):
        out.append(f"每百件投诉 {m.complaints_per_100:g} 件，超过 {bar.max_complaints_per_100:g} 件")
    if (bar.min_disclosure_on_time_rate is not None and m.disclosure_on_time_rate is not None
            and m.counters.disclosure_answered >= thresholds.min_disclosure_answers
            and m.disclosure_on_time_rate < bar.min_disclosure_on_time_rate):
        out.append(f"政府信息公开申请按时答复率 {_pct(m.disclosure_on_time_rate)} 低于 "
                   f"{_pct(bar.min_disclosure_on_time_rate)}")
    return out


def grade(m: Metrics, thresholds: GradeThresholds = DEFAULT_THRESHOLDS) -> Assessment:
    """The best grade whose every criterion ``m`` meets; 不合格 when it meets none.

    ``shortfalls`` explains the gap to the next better grade (for 不合格: to 合格), which is
    what a 监察建议书 asks the department to rectify.
    """
    if m.cases < max(1, thresholds.min_cases):
        return Assessment(None, ["本期办件数不足，不予评级"])
    ladder: tuple[tuple[Grade, GradeBar], ...] = (
        ("优秀", thresholds.excellent), ("良好", thresholds.good), ("合格", thresholds.passing))
    missed: list[str] = []
    for name, bar in ladder:
        gaps = shortfalls(m, bar, thresholds)
        if not gaps:
            return Assessment(name, missed)
        missed = gaps
    return Assessment("不合格", missed)


def quarter_end(period: str) -> date | None:
    """The last day of a quarter period ``2012Q3`` (None for anything that is not a quarter)."""
    match = _QUARTER_RE.match(period)
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    month = quarter * 3
    next_month_first = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(next_month_first.toordinal() - 1)


def letter_no(period: str, dept_code: str) -> str:
    """The 监察建议书 number: one letter per department and quarter (``JCJY-2012Q3-015``)."""
    return f"JCJY-{period}-{dept_code}"
