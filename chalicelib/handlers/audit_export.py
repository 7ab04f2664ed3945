"""The monthly audit digest export (scheduled by ``infra/functions.py``; invoke it by hand with
``{"month": "2026-11"}`` to export or re-check one month)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

bp = Blueprint(__name__)


@bp.lambda_function(name="export_audit_digests")
def export_audit_digests(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.identity.services import audit_export

    from .. import wiring

    month = event.get("month") if isinstance(event, dict) else None
    return audit_export.run(wiring.stores(), wiring.audit_archive(), datetime.now(UTC), month=month)
