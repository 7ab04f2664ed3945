"""Audit trail (操作留痕): who did what, when — hash-chained like case events.

Every state-changing request by staff or a department system is recorded at the HTTP edge once it
succeeds, so coverage does not depend on each feature remembering to log. Records hold the route,
the target identifiers and a digest of the body, never the body itself (no personal data).
Layout (audit table): ``AUDIT#{yyyy-mm} / {seq:010d}``, one chain per month.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from chalicelib.kernel import chain
from chalicelib.kernel.errors import NotFoundError
from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from .identity import Principal

MAX_ATTEMPTS = 20


def _month(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m")


def record(stores: Stores, principal: Principal, action: str, target: dict[str, str], status: int,
           body: bytes = b"", at: datetime | None = None) -> dict[str, Any]:
    when = at or datetime.now(UTC)
    table = stores.table("audit")
    pk = f"AUDIT#{_month(when)}"
    for _ in range(MAX_ATTEMPTS):
        last = table.query(pk, limit=1, forward=False).items
        seq = int(last[0].sk) + 1 if last else 1
        prev = str(last[0].body["hash"]) if last else chain.GENESIS
        entry: dict[str, Any] = {
            "seq": seq, "prev_hash": prev, "at": when.isoformat(), "actor": principal.actor_name,
            "actor_kind": principal.kind, "roles": sorted(principal.roles), "dept_code": principal.dept_code,
            "action": action, "target": target, "status": status,
            "body_sha256": hashlib.sha256(body).hexdigest() if body else None,
        }
        entry["hash"] = chain.link_hash(prev, entry)
        try:
            table.put(Item(pk=pk, sk=f"{seq:010d}", body=entry), if_absent=True)
            return entry
        except ConditionFailedError:
            continue
    raise ConditionFailedError("audit chain contention")


def entries(stores: Stores, month: str) -> list[dict[str, Any]]:
    return [i.body for i in stores.table("audit").query_all(f"AUDIT#{month}")]


def verify(stores: Stores, month: str) -> dict[str, Any]:
    records = entries(stores, month)
    if not records:
        raise NotFoundError("该月没有审计记录")
    report = chain.verify_chain(records)
    return {"month": month, "ok": report.ok, "length": report.length,
            "first_broken_seq": report.first_broken_seq, "reason": report.reason}
