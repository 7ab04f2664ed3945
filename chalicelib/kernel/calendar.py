"""Working-day calendar (工作日历) and explainable deadlines.

Working days exclude weekends and statutory holidays and include the adjusted make-up
working days (调休). Sources, in order: an admin override for the year, the bundled official
calendar (the ``chinese_calendar`` package), else Monday–Friday, which says so
(``source == "weekends-only"``). docs/DOMAIN.md §4.5, docs/CONTRACT.md §3.

Counting rule: the start day is not counted; the due date is the N-th working day after it.
Type-B special procedures (hearing, expert review …) exclude every working day from their
start to their end inclusive; type-A extensions add approved working days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

Source = Literal["override", "official", "weekends-only"]

MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class YearSchedule:
    """An admin-published schedule for one year (``PUT /admin/calendar/{year}``)."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def as_dict(self) -> dict[str, list[str]]:
        """The ``PUT /admin/calendar/{year}`` body shape, dates sorted."""
        return {
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "workdays": sorted(d.isoformat() for d in self.workdays),
        }


class OpenPauseError(ValueError):
    """No due date exists yet: an unfinished pause (``end`` None) stops the clock for good."""


@dataclass(frozen=True)
class Pause:
    """A span excluded from counting (type-B special procedure): start..end inclusive.

    ``end`` None means still running: every day from ``start`` on is excluded.
    """

    start: date
    end: date | None


def _paused(day: date, spans: list[Pause]) -> bool:
    return any(p.start <= day and (p.end is None or day <= p.end) for p in spans)


def _check_open(day: date, spans: list[Pause]) -> None:
    if any(p.end is None and p.start <= day for p in spans):
        raise OpenPauseError(f"clock stopped since {min(p.start for p in spans if p.end is None)}")


@dataclass(frozen=True)
class Deadline:
    due: date
    counted: list[date]
    source: str
    excluded: list[date] = field(default_factory=list)
    extension_days: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "due": self.due.isoformat(),
            "counted": [d.isoformat() for d in self.counted],
            "source": self.source,
            "excluded": [d.isoformat() for d in self.excluded],
            "extension_days": self.extension_days,
        }


@lru_cache(maxsize=8192)
def _official(day: date) -> bool | None:
    """The bundled official calendar's answer, or None for a year it does not know.

    Remembered per day: the library validates its whole table on every question (~15 µs), and a
    case's deadlines ask about the same few hundred days again and again."""
    try:
        import chinese_calendar  # type: ignore[import-untyped]

        return bool(chinese_calendar.is_workday(day))
    except (NotImplementedError, ImportError):
        return None


def _official_knows(year: int) -> bool:
    return _official(date(year, 1, 1)) is not None


class Calendar:
    """Pure working-day arithmetic over overrides, the official calendar and weekends."""

    def __init__(self, overrides: Mapping[int, YearSchedule] | None = None):
        self._overrides: dict[int, YearSchedule] = dict(overrides or {})
        self._known: dict[int, bool] = {}

    def source(self, year: int) -> Source:
        if year in self._overrides:
            return "override"
        if year not in self._known:
            self._known[year] = _official_knows(year)
        return "official" if self._known[year] else "weekends-only"

    def is_workday(self, day: date) -> bool:
        src = self.source(day.year)
        if src == "override":
            sched = self._overrides[day.year]
            if day in sched.workdays:
                return True
            if day in sched.holidays:
                return False
            return day.weekday() < 5
        if src == "official":
            answer = _official(day)
            return bool(answer)
        return day.weekday() < 5

    def sources_for(self, days: Iterable[date]) -> str:
        """The combined source label for a span: ``weekends-only`` if any year is unknown.

        Every year from the earliest to the latest of ``days`` is considered.
        """
        years = [d.year for d in days]
        if not years:
            return "official"
        labels = {self.source(y) for y in range(min(years), max(years) + 1)}
        if "weekends-only" in labels:
            return "weekends-only"
        if "override" in labels:
            return "override"
        return "official"

    def add_working_days(
        self,
        start: date,
        n: int,
        pauses: Iterable[Pause] = (),
        extension_days: int = 0,
    ) -> Deadline:
        """Due date of ``n`` working days (+ ``extension_days``) after ``start``.

        Working days inside a pause are not counted. ``start`` itself is never counted.
        Raises :class:`OpenPauseError` when an unfinished pause begins before the count is done.
        """
        if n < 0 or extension_days < 0:
            raise ValueError("working days must not be negative")
        spans = list(pauses)
        total = n + extension_days
        counted: list[date] = []
        excluded: list[date] = []
        day = start
        steps = 0
        while len(counted) < total:
            day += timedelta(days=1)
            steps += 1
            if steps > MAX_SPAN_DAYS:
                raise ValueError("deadline span too long")
            if not self.is_workday(day):
                continue
            if _paused(day, spans):
                _check_open(day, spans)
                excluded.append(day)
                continue
            counted.append(day)
        due = counted[-1] if counted else start
        return Deadline(
            due=due,
            counted=counted,
            # the start day is never counted: only the years of the days examined after it matter
            source=self.sources_for([start + timedelta(days=1), due] if counted else [start]),
            excluded=excluded,
            extension_days=extension_days,
        )

    def add_calendar_days(self, start: date, n: int, pauses: Iterable[Pause] = ()) -> Deadline:
        """Calendar-day limits: every day counts except paused ones (same rules as working days)."""
        if n < 0:
            raise ValueError("calendar days must not be negative")
        spans = list(pauses)
        counted: list[date] = []
        excluded: list[date] = []
        day = start
        while len(counted) < n:
            day += timedelta(days=1)
            if (day - start).days > MAX_SPAN_DAYS:
                raise ValueError("deadline span too long")
            if _paused(day, spans):
                _check_open(day, spans)
                excluded.append(day)
                continue
            counted.append(day)
        due = counted[-1] if counted else start
        return Deadline(due=due, counted=counted, source="calendar-days", excluded=excluded)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days ``end`` is after ``start``."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def previous_workday(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        d = day - timedelta(days=1)
        for _ in range(MAX_SPAN_DAYS):
            if self.is_workday(d):
                return d
            d -= timedelta(days=1)
        raise ValueError("no working day found")

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1).due


Light = Literal["green", "yellow", "red"]


def light(calendar: Calendar, due: date | None, as_of: date) -> Light:
    """The light of a deadline (红黄牌), shared by the worklist and the supervision board: red once
    the due day has ended, yellow from the start of the last working day before it (R1 临期),
    otherwise green. No deadline: green."""
    if due is None:
        return "green"
    if as_of > due:
        return "red"
    if as_of >= calendar.previous_workday(due):
        return "yellow"
    return "green"


def unknown_years(calendar: Calendar, days: Iterable[date]) -> list[int]:
    """The years among ``days`` (every year between the first and the last) that no official
    schedule or override covers: deadlines there count Monday–Friday only."""
    years = [d.year for d in days]
    if not years:
        return []
    return [y for y in range(min(years), max(years) + 1) if calendar.source(y) == "weekends-only"]


def provisional_warning(years: Sequence[int]) -> str | None:
    """The warning shown wherever a deadline counts a year without a published schedule."""
    if not years:
        return None
    named = "、".join(f"{y} 年" for y in years)
    return (f"{named}的法定节假日安排尚未录入，涉及该年的期限暂按周一至周五推算；"
            "国务院公布安排并由管理员录入后，期限将自动重新计算。")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_DATES = 366


def status(calendar: Calendar, today: date) -> dict[str, Any]:
    """What ``/health`` says about the calendar on a business day: ``degraded`` while the current year
    has no schedule; a warning when next year has none yet (deadlines may already reach into it)."""
    reasons: list[str] = []
    warnings: list[str] = []
    if calendar.source(today.year) == "weekends-only":
        reasons.append(f"{today.year} 年法定节假日安排缺失：期限暂按周一至周五推算，请录入 "
                       f"PUT /admin/calendar/{today.year}")
    if calendar.source(today.year + 1) == "weekends-only":
        warnings.append(f"{today.year + 1} 年法定节假日安排尚未录入：跨年的期限暂按周一至周五推算")
    return {"status": "degraded" if reasons else "ok", "reasons": reasons, "warnings": warnings,
            "years": {str(y): calendar.source(y) for y in (today.year, today.year + 1)}}


def _schedule_dates(year: int, key: str, value: Any, errors: list[dict[str, Any]]) -> dict[date, int]:
    """Parse one list of ``YYYY-MM-DD`` strings; returns date → first index, appending errors."""
    found: dict[date, int] = {}
    if not isinstance(value, list):
        errors.append({"field": key, "type": "list_type", "message": "应为日期列表（YYYY-MM-DD）"})
        return found
    if len(value) > _MAX_DATES:
        errors.append({"field": key, "type": "too_long", "message": f"最多 {_MAX_DATES} 个日期"})
        return found
    for i, raw in enumerate(value):
        where = f"{key}.{i}"
        if not isinstance(raw, str) or not _ISO_DATE.match(raw.strip()):
            errors.append({"field": where, "type": "date_parsing", "message": "日期格式应为 YYYY-MM-DD"})
            continue
        try:
            day = date.fromisoformat(raw.strip())
        except ValueError:
            errors.append({"field": where, "type": "date_parsing", "message": f"{raw} 不是有效日期"})
            continue
        if day.year != year:
            errors.append({"field": where, "type": "invalid", "message": f"{raw} 不在 {year} 年内"})
            continue
        found.setdefault(day, i)
    return found


def parse_year_schedule(year: int, raw: Any) -> tuple[YearSchedule | None, list[dict[str, Any]]]:
    """Validate a ``PUT /admin/calendar/{year}`` body; never raises.

    ``holidays`` (required) and ``workdays`` (make-up working days 调休, optional) are lists of
    ``YYYY-MM-DD`` strings within ``year``; no date may be in both. Errors name each bad entry
    (``holidays.3``) with a Chinese message. Returns ``(schedule, [])`` or ``(None, details)``.
    """
    errors: list[dict[str, Any]] = []
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        errors.append({"field": "year", "type": "invalid", "message": "年份应为 1900 至 2200 之间的整数"})
        return None, errors
    if not isinstance(raw, Mapping):
        return None, [{"field": "body", "type": "type", "message": "请求体应为 JSON 对象"}]
    for key in raw:
        if key not in ("holidays", "workdays"):
            errors.append({"field": str(key), "type": "extra_forbidden", "message": "不支持的字段"})
    if "holidays" not in raw:
        errors.append(
            {"field": "holidays", "type": "missing", "message": "缺少必填字段 holidays（节假日列表）"}
        )
        holidays: dict[date, int] = {}
    else:
        holidays = _schedule_dates(year, "holidays", raw["holidays"], errors)
    workdays = _schedule_dates(year, "workdays", raw.get("workdays", []), errors)
    for day, i in sorted(workdays.items(), key=lambda kv: kv[1]):
        if day in holidays:
            errors.append(
                {
                    "field": f"workdays.{i}",
                    "type": "invalid",
                    "message": f"{day.isoformat()} 不能同时是节假日和调休工作日",
                }
            )
    if errors:
        return None, errors
    return YearSchedule(holidays=frozenset(holidays), workdays=frozenset(workdays)), []
