"""Calendar administration: per-year overrides of the official schedule."""
from __future__ import annotations

from typing import Any

from chalicelib import wiring

from .calendar import YearSchedule
from .ports import Item, Stores


def save_year(stores: Stores, year: int, schedule: YearSchedule) -> dict[str, Any]:
    body = {"year": year, "holidays": sorted(d.isoformat() for d in schedule.holidays),
            "workdays": sorted(d.isoformat() for d in schedule.workdays)}
    stores.table("catalog").put(Item(pk="CALENDAR", sk=f"{year:04d}", body=body))
    wiring.invalidate_calendar()
    return {**body, "source": "override"}
