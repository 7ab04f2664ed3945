"""Region codes (行政区划代码, GB/T 2260) and the two levels (市、县(市、区)两级, docs/DOMAIN.md §11).

A code is six digits ``PPCCDD``: province, prefecture-level city, county-level division. A city ends in
``00`` (320300 徐州市), a province in ``0000`` (320000); every other code is a county, county-level city
or district (320321 丰县, 320382 邳州市, 320302 鼓楼区). An office of a region oversees the departments
of every region it covers; statistics of a region roll up into the city above it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

Level = Literal["province", "city", "county"]
_CODE = re.compile(r"^\d{6}$")


def is_region_code(code: object) -> bool:
    return isinstance(code, str) and bool(_CODE.match(code)) and code[:2] != "00"


def region_level(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_covers(scope_region: str, region: str | None) -> bool:
    """True when an office of ``scope_region`` oversees departments of ``region``.

    ``320300`` covers itself and every ``3203xx``; ``320321`` only itself; a province ``320000``
    every ``32xxxx``. A missing or malformed region is covered by nobody's region.
    """
    if not is_region_code(scope_region) or not is_region_code(region):
        return False
    assert region is not None
    level = region_level(scope_region)
    if level == "province":
        return region[:2] == scope_region[:2]
    if level == "city":
        return region[:4] == scope_region[:4]
    return region == scope_region


def parent_region(region: str) -> str | None:
    """The level above: a county's city (``320321`` → ``320300``), a city's province; None at the top."""
    if not is_region_code(region):
        return None
    level = region_level(region)
    if level == "county":
        return region[:4] + "00"
    if level == "city":
        return region[:2] + "0000"
    return None


def rollup_chain(region: str, top: str | None = None) -> list[str]:
    """``region`` and every level above it (up to ``top`` when given): where its numbers count."""
    chain: list[str] = []
    current: str | None = region
    while current is not None:
        chain.append(current)
        if current == top:
            break
        current = parent_region(current)
    return chain


def rollup(rows: Iterable[tuple[str | None, Mapping[str, int]]], top_level: Level = "city") -> dict[str, dict[str, int]]:
    """Sum each row's numbers into its region and every region above it, up to ``top_level``.

    ``rows`` are ``(region_code, {name: number})`` — one per department, say. A county's totals are its
    own rows'; the city's are its own departments' plus all its counties' (roll-up to the city). Rows
    without a valid region count nowhere. ``departments`` counts the rows summed into each region.
    """
    out: dict[str, dict[str, int]] = {}
    for region, numbers in rows:
        if not is_region_code(region):
            continue
        assert region is not None
        for code in rollup_chain(region):
            totals = out.setdefault(code, {"departments": 0})
            totals["departments"] += 1
            for name, value in numbers.items():
                totals[name] = totals.get(name, 0) + int(value or 0)
            if region_level(code) == top_level:
                break
    return out
