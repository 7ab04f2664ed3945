"""Scheduled functions: the supervision sweep as of now, and the nightly catalog republication."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint, Cron, Rate

bp = Blueprint(__name__)
SWEEP_MINUTES = 15


@bp.schedule(Rate(SWEEP_MINUTES, unit=Rate.MINUTES), name="scheduled_sweep")
def scheduled_sweep(event: Any) -> dict[str, Any]:
    from chalicelib.supervision.services import rules

    from .. import wiring

    return rules.sweep(wiring.stores(), datetime.now(UTC))


@bp.schedule(Cron(5, 16, "*", "*", "?", "*"), name="nightly_publish")
def nightly_publish(event: Any) -> dict[str, Any]:
    """00:05 Asia/Shanghai: versions whose effective date has come appear in the hall."""
    from chalicelib.catalog import services as catalog

    from .. import wiring

    catalog.publish(wiring.stores())
    return {"published": True}
