"""Keys for one purpose each (the audit's address hashing, the keyed hashes of query passwords):
32 random bytes made once per stage, kept in the identity table encrypted by the key vault (KMS,
with the purpose bound as encryption context), cached per Lambda instance. They never rotate with
the token signing key, so hashes made with them stay comparable.
"""
from __future__ import annotations

import contextlib
import secrets
import threading
from datetime import UTC, datetime

from ...kernel.ports import ConditionFailedError, Stores
from ..ports import KeyVault
from ..repositories import Settings

_cache: dict[str, bytes] = {}
_lock = threading.Lock()


def purpose_key(stores: Stores, vault: KeyVault, purpose: str) -> bytes:
    """The stage's key for ``purpose`` (made on first use; concurrent first uses agree on one)."""
    key = _cache.get(purpose)
    if key is None:
        with _lock:
            key = _cache.get(purpose) or _load(stores, vault, purpose)
            _cache[purpose] = key
    return key


def _load(stores: Stores, vault: KeyVault, purpose: str) -> bytes:
    repo = Settings(stores)
    context = {"purpose": purpose}
    found = repo.get(purpose)
    if found is None:
        with contextlib.suppress(ConditionFailedError):  # made concurrently elsewhere: use that one
            repo.create(purpose, {"envelope": vault.encrypt(secrets.token_bytes(32), context),
                                  "created_at": datetime.now(UTC).isoformat()})
        found = repo.get(purpose)
    assert found is not None
    return vault.decrypt(found.body["envelope"], context)


def forget() -> None:
    _cache.clear()
