"""Composition root: builds adapters lazily and hands them to services (DESIGN §3)."""
from __future__ import annotations

import time
from datetime import date
from functools import lru_cache
from typing import Any

from chalicelib.kernel.calendar import Calendar, YearSchedule
from chalicelib.kernel.ports import Stores

_calendar_cache: tuple[float, Calendar] | None = None
CALENDAR_TTL_SECONDS = 60.0


@lru_cache(maxsize=1)
def stores() -> Stores:
    from .adapters.dynamo import DynamoStores

    return DynamoStores()


def calendar() -> Calendar:
    """The working-day calendar with admin overrides (cached briefly; overrides are rare)."""
    global _calendar_cache
    now = time.monotonic()
    if _calendar_cache and now - _calendar_cache[0] < CALENDAR_TTL_SECONDS:
        return _calendar_cache[1]
    overrides: dict[int, YearSchedule] = {}
    for item in stores().table("catalog").query("CALENDAR", limit=500).items:
        body = item.body
        overrides[int(body["year"])] = YearSchedule(
            holidays=frozenset(date.fromisoformat(d) for d in body.get("holidays", [])),
            workdays=frozenset(date.fromisoformat(d) for d in body.get("workdays", [])),
        )
    cal = Calendar(overrides)
    _calendar_cache = (now, cal)
    return cal


def invalidate_calendar() -> None:
    global _calendar_cache
    _calendar_cache = None


def aws(service: str) -> Any:
    from .adapters.aws import client

    return client(service)


def reset() -> None:
    """Forget every cached adapter (tests and the local stack call this after env changes)."""
    from .adapters import aws as aws_adapter
    from .settings import reset_settings

    reset_settings()
    stores.cache_clear()
    aws_adapter.reset_clients()
    invalidate_calendar()
    from .adapters import tables

    tables._configured = None
