"""Scheduled functions: the supervision sweep as of now, and the nightly catalog republication."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint, Cron, Rate

from .. import wiring

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)
SWEEP_MINUTES = 15


@bp.schedule(Rate(SWEEP_MINUTES, unit=Rate.MINUTES), name="scheduled_sweep")
def scheduled_sweep(event: Any) -> dict[str, Any]:
    from chalicelib.cases.services import sweep as timer

    deps = wiring.deps()
    return timer.sweep(deps, deps.now())


@bp.schedule(Cron(5, 16, "*", "*", "?", "*"), name="nightly_publish")
def nightly_publish(event: Any) -> dict[str, Any]:
    """00:05 Asia/Shanghai: versions whose effective date has come appear in the hall."""
    from chalicelib.catalog import services as catalog

    catalog.publish(wiring.deps())
    return {"published": True}
