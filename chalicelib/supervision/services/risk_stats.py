"""Signals by integrity-risk level (廉政风险等级统计) for a period: per department and per region (两级),
rolled up to the city like the evaluation, within the principal's scope.

Read from the period counters the signals move when raised or withdrawn (``yellow``, ``red`` and
``risk_1``/``risk_2``/``risk_3`` — ``OversightRecord.counter_moves``): one read of the counters table,
whatever the number of signals. A signal naming several risk points counts once, at its highest level.
"""
from __future__ import annotations

from typing import Any

from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ValidationError, field_error
from chalicelib.kernel.periods import valid_period
from chalicelib.kernel.regions import region_covers, region_level, rollup

from ..domain.risk import RISK_COUNTERS, RISK_LEVEL_NAMES, level_figures
from .evaluation import sees_region

COUNTS = ("yellow", "red", *RISK_COUNTERS.values())


def risk_statistics(deps: Deps, principal: Principal, period: str, dept_code: str | None = None,
                    region_code: str | None = None) -> dict[str, Any]:
    """Signals raised in ``period`` by the highest risk level they name, per department the principal
    may see (a county's bureau its county, the city's the city and every county, a department itself),
    per region shown whole, and in total."""
    if not valid_period(period):
        raise ValidationError("统计期间格式有误", [field_error("period", "期间格式应为 2012Q3、2012-07 或 2012")])
    scope = principal.scope.narrow(dept_code)
    rows = {r["dept_code"]: r for r in deps.stores.counters().read(period)}
    items: list[dict[str, Any]] = []
    by_region: list[tuple[str | None, dict[str, int]]] = []
    for d in sorted(identity.list_departments(deps.stores), key=lambda d: d["code"]):
        if not scope.allows(d["code"]) or (region_code and not region_covers(region_code, d.get("region_code"))):
            continue
        counts = {k: int(rows.get(d["code"], {}).get(k, 0) or 0) for k in COUNTS}
        items.append({"dept_code": d["code"], "dept_name": d.get("name"), "level": d.get("level"),
                      "region_code": d.get("region_code"), "yellow": counts["yellow"], "red": counts["red"],
                      **level_figures(counts)})
        by_region.append((d.get("region_code"), counts))
    regions = []
    for code, totals in sorted(rollup(by_region).items()):
        # a region is shown whole or not at all: the city only to those who see all of it
        if (region_code and not region_covers(region_code, code)) or not sees_region(principal, code):
            continue
        regions.append({"region_code": code, "level": region_level(code), "departments": totals.get("departments", 0),
                        "yellow": totals.get("yellow", 0), "red": totals.get("red", 0), **level_figures(totals)})
    summed = {k: sum(counts[k] for _region, counts in by_region) for k in COUNTS}
    items.sort(key=lambda i: (-i["by_risk_level"]["1"], -i["by_risk_level"]["2"], -i["signals"], i["dept_code"]))
    return {"period": period, "items": items, "regions": regions,
            "totals": {"yellow": summed["yellow"], "red": summed["red"], **level_figures(summed)},
            "levels": {str(n): name for n, name in RISK_LEVEL_NAMES.items()}, "next": None}
