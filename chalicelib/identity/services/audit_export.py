"""Monthly audit digests (审计摘要) kept outside the database.

The audit trail is a hash chain per month (``identity/services/audit.py``): each record's hash covers its
content and the previous hash, so the month's last hash commits to every record before it. A
chain can still be rewritten whole by someone able to write the table; the digest of each month
— record count, first and last sequence number, the head hash — is therefore exported to an S3
bucket with Object Lock (``infra/data.py``), where nobody can change or delete it during its
retention. Each monthly run exports the month just ended and re-checks the digests of the
months before it: a table that no longer matches its archived digest fails the run (a function
error, which alarms the ops topic).
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.kernel import chain
from chalicelib.kernel.errors import SunlitError
from chalicelib.kernel.ports import Stores

from ..ports import Archive
from . import audit

PREFIX = "audit-digests/"
RECHECK_MONTHS = 12


class AuditDigestMismatchError(SunlitError):
    status = 409
    code = "AUDIT_DIGEST_MISMATCH"


def previous_month(now: datetime) -> str:
    day = now.astimezone(UTC).date().replace(day=1)
    last = date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)
    return last.strftime("%Y-%m")


def months_before(month: str, count: int) -> list[str]:
    year, mon = (int(p) for p in month.split("-"))
    out = []
    for _ in range(count):
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
        out.append(f"{year:04d}-{mon:02d}")
    return out


def digest(month: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    report = chain.verify_chain(records)
    return {
        "month": month,
        "count": len(records),
        "first_seq": int(records[0]["seq"]) if records else None,
        "last_seq": int(records[-1]["seq"]) if records else None,
        "head_hash": str(records[-1]["hash"]) if records else chain.GENESIS,
        "chain_ok": report.ok,
        "first_broken_seq": report.first_broken_seq,
    }


COMPARED = ("month", "count", "first_seq", "last_seq", "head_hash")


def key_of(month: str) -> str:
    return f"{PREFIX}{month}.json"


def check(stores: Stores, archive: Archive, month: str) -> dict[str, Any] | None:
    """Compare the table with the archived digest of ``month``: None when nothing is archived."""
    raw = archive.read(key_of(month))
    if raw is None:
        return None
    stored = json.loads(raw)
    current = digest(month, audit.entries(stores, month))
    differences = {k: {"archived": stored.get(k), "table": current[k]} for k in COMPARED if stored.get(k) != current[k]}
    return {"month": month, "ok": not differences and current["chain_ok"], "differences": differences,
            "chain_ok": current["chain_ok"]}


def export(stores: Stores, archive: Archive, month: str, now: datetime) -> dict[str, Any]:
    """Archive the digest of ``month`` once; if it is archived already, compare instead."""
    checked = check(stores, archive, month)
    if checked is not None:
        return {**checked, "status": "verified"}
    current = digest(month, audit.entries(stores, month))
    body = {**current, "exported_at": now.astimezone(UTC).isoformat(),
            "algorithm": "sha256 hash chain (chalicelib/kernel/chain.py); head_hash commits to every record"}
    archive.write(key_of(month), json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return {"month": month, "ok": current["chain_ok"], "differences": {}, "chain_ok": current["chain_ok"],
            "status": "exported", "count": current["count"]}


def run(stores: Stores, archive: Archive, now: datetime, month: str | None = None) -> dict[str, Any]:
    """The monthly job: export ``month`` (default: the month just ended, UTC, as the audit trail is
    partitioned) and re-check the archived digests of the months before it."""
    target = month or previous_month(now)
    results = [export(stores, archive, target, now)]
    for earlier in months_before(target, RECHECK_MONTHS):
        checked = check(stores, archive, earlier)
        if checked is not None:
            results.append({**checked, "status": "verified"})
    bad = [r for r in results if not r["ok"]]
    if bad:
        raise AuditDigestMismatchError(
            "审计记录与归档摘要不符：" + "、".join(r["month"] for r in bad),
            [{"field": r["month"], "type": "mismatch", "message": json.dumps(r["differences"], ensure_ascii=False)[:500]}
             for r in bad])
    return {"month": target, "results": results}
