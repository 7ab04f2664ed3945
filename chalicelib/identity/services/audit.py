"""Audit trail (操作留痕): who did what, when, from where — hash-chained like case events.

Every state-changing request by staff or a department system is recorded at the HTTP edge once it
succeeds, so coverage does not depend on each feature remembering to log; identity records its
own events (sign-in, failure, lockout, logout, refresh reuse, MFA changes, key rotations) and the
edge records every read of a case's personal data. Records hold the route or event, the target
identifiers, a digest of the body (never the body: no personal data) and the source address as a
keyed hash (HMAC-SHA256 with a key kept encrypted in the identity table), so one address can be
followed through the trail without the trail holding addresses.
Layout (audit table): ``AUDIT#{yyyy-mm} / {seq:010d}``, one chain per month.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import random
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel import chain
from chalicelib.kernel.errors import NotFoundError
from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from ..domain.roles import Principal
from ..ports import KeyVault
from ..repositories import Settings

MAX_ATTEMPTS = 40
#: Back-off between attempts to append to the month's chain: full jitter, doubling from
#: ``BACKOFF_BASE`` up to ``BACKOFF_CAP`` seconds (about 3 s in all at worst), so concurrent writers
#: spread out instead of colliding again on the same next sequence number.
BACKOFF_BASE = 0.004
BACKOFF_CAP = 0.128


class AuditQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    limit: int = Field(default=200, ge=1, le=1000)
    cursor: str | None = Field(default=None, max_length=2000)
    actor: str | None = Field(default=None, max_length=128)
    action: str | None = Field(default=None, max_length=128, description="Prefix, e.g. auth. or POST /admin")
IP_KEY = "audit-ip-key"
_ip_key: dict[str, bytes] = {}
_ip_lock = threading.Lock()


def _month(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m")


def ip_hash(stores: Stores, vault: KeyVault, address: str | None) -> str | None:
    """The keyed hash of a source address (the key is made once, kept encrypted, cached)."""
    if not address:
        return None
    key = _ip_key.get("key")
    if key is None:
        with _ip_lock:
            key = _ip_key.get("key") or _load_ip_key(stores, vault)
            _ip_key["key"] = key
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _load_ip_key(stores: Stores, vault: KeyVault) -> bytes:
    repo = Settings(stores)
    context = {"purpose": IP_KEY}
    found = repo.get(IP_KEY)
    if found is None:
        with contextlib.suppress(ConditionFailedError):  # made concurrently elsewhere: use that one
            repo.create(IP_KEY, {"envelope": vault.encrypt(secrets.token_bytes(32), context),
                                 "created_at": datetime.now(UTC).isoformat()})
        found = repo.get(IP_KEY)
    assert found is not None
    return vault.decrypt(found.body["envelope"], context)


def forget_cached_keys() -> None:
    _ip_key.clear()


def record(stores: Stores, principal: Principal, action: str, target: dict[str, str], status: int,
           body: bytes = b"", at: datetime | None = None, *, ip_hash: str | None = None,
           detail: dict[str, Any] | None = None) -> dict[str, Any]:
    when = at or datetime.now(UTC)
    table = stores.table("audit")
    pk = f"AUDIT#{_month(when)}"
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt)))
        last = table.query(pk, limit=1, forward=False).items
        seq = int(last[0].sk) + 1 if last else 1
        prev = str(last[0].body["hash"]) if last else chain.GENESIS
        entry: dict[str, Any] = {
            "seq": seq, "prev_hash": prev, "at": when.isoformat(), "actor": principal.actor_name,
            "actor_kind": principal.kind, "roles": sorted(principal.roles), "dept_code": principal.dept_code,
            "action": action, "target": target, "status": status,
            "body_sha256": hashlib.sha256(body).hexdigest() if body else None,
            "ip_hash": ip_hash, "session": _short(principal.session_id),
        }
        if detail:
            entry["detail"] = detail
        entry["hash"] = chain.link_hash(prev, entry)
        try:
            table.put(Item(pk=pk, sk=f"{seq:010d}", body=entry), if_absent=True)
            return entry
        except ConditionFailedError:
            continue
    raise ConditionFailedError("audit chain contention")


class Auditor:
    """Records identity events of one request (its source address already hashed)."""

    def __init__(self, stores: Stores, ip_hash: str | None = None, at: datetime | None = None):
        self.stores, self.ip_hash, self.at = stores, ip_hash, at

    def __call__(self, principal: Principal, action: str, target: dict[str, str], status: int,
                 detail: dict[str, Any] | None = None) -> None:
        record(self.stores, principal, action, target, status, at=self.at, ip_hash=self.ip_hash, detail=detail)


def _short(session_id: str | None) -> str | None:
    """A session's reference in the trail: enough to group its records, useless as a credential."""
    if not session_id:
        return None
    return base64.b32encode(hashlib.sha256(session_id.encode()).digest()[:5]).decode().lower()


def entries(stores: Stores, month: str) -> list[dict[str, Any]]:
    return [i.body for i in stores.table("audit").query_all(f"AUDIT#{month}")]


def page(stores: Stores, month: str, *, limit: int = 50, cursor: str | None = None, actor: str | None = None,
         action: str | None = None, newest_first: bool = True) -> dict[str, Any]:
    """A page of a month's trail, newest first; ``actor``/``action`` filter within the page read."""
    got = stores.table("audit").query(f"AUDIT#{month}", limit=limit, cursor=cursor, forward=not newest_first)
    items = [i.body for i in got.items
             if (actor is None or i.body.get("actor") == actor)
             and (action is None or str(i.body.get("action", "")).startswith(action))]
    return {"items": items, "next": got.next}


def verify(stores: Stores, month: str) -> dict[str, Any]:
    records = entries(stores, month)
    if not records:
        raise NotFoundError("该月没有审计记录")
    report = chain.verify_chain(records)
    return {"month": month, "ok": report.ok, "length": report.length,
            "first_broken_seq": report.first_broken_seq, "reason": report.reason}


# ----- answers (the routes' response models) ------------------------------------------------------------


class AuditEntry(BaseModel):
    """One record of the hash-chained audit trail: who, when, what, on what, from where (keyed hash)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    seq: int
    at: datetime
    actor: str | None
    actor_kind: str | None = None
    roles: list[str] = []
    dept_code: str | None = None
    session: str | None = None
    action: str
    target: dict[str, Any]
    status: int
    body_sha256: str | None = None
    ip_hash: str | None = None
    detail: dict[str, Any] | None = None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    model_config = ConfigDict(defer_build=True)
    items: list[AuditEntry]
    next: str | None


class AuditVerified(BaseModel):
    """The month's chain recomputed: ``first_broken_seq`` names the first record that does not hold."""

    model_config = ConfigDict(defer_build=True)
    month: str
    ok: bool
    length: int
    first_broken_seq: int | None
    reason: str | None
