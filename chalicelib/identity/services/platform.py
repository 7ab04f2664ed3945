"""The platform's own secret (平台密钥) and the keys derived from it (``kernel.ports.Keys``).

Query-password hashes and pagination cursors are keyed from it, so it must never change (unlike the
token signing key, which rotates): 32 random bytes made once, kept in the identity table encrypted
with the identity KMS key (like the audit's address key), decrypted once per process. Everything
keyed by the platform derives its own key from it (HMAC-SHA256(secret, purpose)), so a value keyed
for one use can never be replayed as another.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from chalicelib.kernel.ports import ConditionFailedError, Stores

from ..ports import KeyVault
from ..repositories import Settings

PLATFORM_SECRET = "platform-secret"


def load_secret(stores: Stores, vault: KeyVault) -> bytes:
    """The platform secret, made (once, by whichever process comes first) when there is none."""
    repo, context = Settings(stores), {"purpose": PLATFORM_SECRET}
    found = repo.get(PLATFORM_SECRET)
    if found is None:
        with contextlib.suppress(ConditionFailedError):  # made concurrently elsewhere: use that one
            repo.create(PLATFORM_SECRET, {"envelope": vault.encrypt(secrets.token_bytes(32), context),
                                          "created_at": datetime.now(UTC).isoformat()})
        found = repo.get(PLATFORM_SECRET)
    if found is None:
        raise RuntimeError("the platform secret could not be made")
    return bytes(vault.decrypt(found.body["envelope"], context))


def derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"sunlit/{purpose}".encode(), hashlib.sha256).digest()


class PlatformKeys:
    """``kernel.ports.Keys`` over the platform secret, read on first use and kept for the process."""

    def __init__(self, stores: Callable[[], Stores], vault: Callable[[], KeyVault]):
        self._stores = stores
        self._vault = vault
        self._secret: bytes | None = None

    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = load_secret(self._stores(), self._vault())
        return self._secret

    def key(self, purpose: str) -> bytes:
        return derive(self.secret(), purpose)
