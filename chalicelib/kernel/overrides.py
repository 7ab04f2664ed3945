"""Admin overrides kept in the catalog table: the official calendar per year (``CALENDAR /
{yyyy}``) and the dated rule parameters (``CONFIG / RULES``), each with a cached source.

The sources are long-lived (one per Lambda instance, built by ``wiring``): a value is re-read at
most once a minute, and at once after this instance saved a change. Other instances see a change
within the minute.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

from .calendar import Calendar, YearSchedule
from .ports import Item, Stores
from .rules_config import RuleConfig

TTL_SECONDS = 60.0
T = TypeVar("T")
TABLE = "catalog"


class CalendarOverrides:
    """The official schedule of each year an administrator replaced (holidays, make-up days)."""

    PK = "CALENDAR"

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def load(self) -> Calendar:
        overrides: dict[int, YearSchedule] = {}
        for item in self.table.query(self.PK, limit=500).items:
            body = item.body
            overrides[int(body["year"])] = YearSchedule(
                holidays=frozenset(date.fromisoformat(d) for d in body.get("holidays", [])),
                workdays=frozenset(date.fromisoformat(d) for d in body.get("workdays", [])),
            )
        return Calendar(overrides)

    def save_year(self, year: int, schedule: YearSchedule) -> dict[str, Any]:
        body = {"year": year, "holidays": sorted(d.isoformat() for d in schedule.holidays),
                "workdays": sorted(d.isoformat() for d in schedule.workdays)}
        self.table.put(Item(pk=self.PK, sk=f"{year:04d}", body=body))
        return body


class RuleOverrides:
    """The administrator's overrides of the rule parameters, each value with an effective date."""

    KEY = ("CONFIG", "RULES")

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def raw(self) -> dict[str, Any]:
        item = self.table.get(*self.KEY)
        return dict(item.body.get("overrides", {})) if item else {}

    def load(self) -> RuleConfig:
        item = self.table.get(*self.KEY)
        return RuleConfig.from_dict(item.body.get("overrides", {})) if item else RuleConfig.defaults()

    def save(self, raw: Any) -> RuleConfig:
        """Validate and store; raises ``ValidationError`` naming each bad parameter."""
        cfg = RuleConfig.from_dict(raw)
        self.table.put(Item(pk=self.KEY[0], sk=self.KEY[1], body={"overrides": raw}))
        return cfg


class Cached(Generic[T]):
    """A value read through ``load`` at most once per ``ttl`` seconds (``invalidate`` forgets it)."""

    def __init__(self, load: Callable[[], T], ttl: float = TTL_SECONDS):
        self._load = load
        self._ttl = ttl
        self._value: tuple[float, T] | None = None

    def current(self) -> T:
        now = time.monotonic()
        cached = self._value
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        value = self._load()
        self._value = (now, value)
        return value

    def invalidate(self) -> None:
        self._value = None
