"""Composition root: builds adapters lazily and hands them to services (docs/DESIGN.md §3)."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from .domain.calendar import Calendar, YearSchedule
from .services.ports import Stores

_calendar_cache: tuple[float, Calendar] | None = None
CALENDAR_TTL_SECONDS = 60.0


@lru_cache(maxsize=1)
def stores() -> Stores:
    from .adapters.dynamo import DynamoStores

    return DynamoStores(cursor_key=lambda: platform_key("cursor"))


def calendar() -> Calendar:
    """The working-day calendar with admin overrides (cached briefly; overrides are rare)."""
    global _calendar_cache
    now = time.monotonic()
    if _calendar_cache and now - _calendar_cache[0] < CALENDAR_TTL_SECONDS:
        return _calendar_cache[1]
    overrides: dict[int, YearSchedule] = {}
    for item in stores().table("catalog").query("CALENDAR", limit=500).items:
        body = item.body
        overrides[int(body["year"])] = YearSchedule(
            holidays=frozenset(date.fromisoformat(d) for d in body.get("holidays", [])),
            workdays=frozenset(date.fromisoformat(d) for d in body.get("workdays", [])),
        )
    cal = Calendar(overrides)
    _calendar_cache = (now, cal)
    return cal


def invalidate_calendar() -> None:
    global _calendar_cache
    _calendar_cache = None


_platform_secret: dict[str, bytes] = {}
PLATFORM_SECRET = "platform-secret"


def platform_secret() -> bytes:
    """The platform's own secret key material — the one place that knows where it comes from.

    Query-password hashes and pagination cursors are keyed from it, so it must never change (unlike
    the token signing key, which rotates): 32 random bytes made once, kept in the identity table
    encrypted with the identity KMS key (like the audit's address key), decrypted once per process.
    Everything keyed by the platform derives its own key from it with :func:`platform_key`.
    """
    key = _platform_secret.get("key")
    if key is not None:
        return key
    import contextlib
    import secrets
    from datetime import UTC, datetime

    from .identity.repositories import Settings
    from .services.ports import ConditionFailedError

    repo, vault, context = Settings(stores()), key_vault(), {"purpose": PLATFORM_SECRET}
    found = repo.get(PLATFORM_SECRET)
    if found is None:
        with contextlib.suppress(ConditionFailedError):  # made concurrently elsewhere: use that one
            repo.create(PLATFORM_SECRET, {"envelope": vault.encrypt(secrets.token_bytes(32), context),
                                          "created_at": datetime.now(UTC).isoformat()})
        found = repo.get(PLATFORM_SECRET)
    if found is None:
        raise RuntimeError("the platform secret could not be made")
    key = bytes(vault.decrypt(found.body["envelope"], context))
    _platform_secret["key"] = key
    return key


def platform_key(purpose: str) -> bytes:
    """A key for one purpose, derived from the platform secret (HMAC-SHA256(secret, purpose)), so a
    value keyed for one use can never be replayed as another."""
    import hashlib
    import hmac

    return hmac.new(platform_secret(), f"sunlit/{purpose}".encode(), hashlib.sha256).digest()


def aws(service: str) -> Any:
    from .adapters.aws import client

    return client(service)


#: Runs one of the app's functions by name with an event. In AWS (``SUNLIT_CONSUMER_FUNCTIONS``)
#: a synchronous Lambda invocation, so the target runs with its own role; the local stack installs
#: an in-process invoker that does the same under the target's local credentials.
FunctionInvoker = Callable[[str, dict[str, Any]], Any]
local_invoker: FunctionInvoker | None = None


def invoke_function(name: str, event: dict[str, Any], fallback: Callable[[dict[str, Any], Any], Any]) -> Any:
    from .settings import get_settings

    target = get_settings().consumer_functions.get(name)
    if target:
        response = aws("lambda").invoke(FunctionName=target, InvocationType="RequestResponse",
                                        Payload=json.dumps(event).encode("utf-8"))
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise RuntimeError(f"{name} failed: {str(payload)[:500]}")
        return payload
    if local_invoker is not None:
        return local_invoker(name, event)
    return fallback(event, None)


def audit_archive() -> Any:
    """The Object Lock bucket of monthly audit digests."""
    from .adapters.archive import S3Archive
    from .settings import get_settings

    return S3Archive(get_settings().audit_archive_bucket)


def reset() -> None:
    """Forget every cached adapter (tests and the local stack call this after env changes)."""
    from .adapters import aws as aws_adapter
    from .settings import reset_settings

    reset_settings()
    stores.cache_clear()
    _platform_secret.clear()
    key_vault.cache_clear()
    signing_keys.cache_clear()
    from .identity.services import audit, departments, sessions

    sessions.forget()
    departments.forget()
    audit.forget_cached_keys()
    aws_adapter.reset_clients()
    invalidate_calendar()
    from .adapters import tables

    tables._configured = None


# ----- identity (身份与权限): its configuration and key adapters -------------------------------------

def identity_config() -> Any:
    """Built from the (cached) settings on each call: cheap, and follows ``reset_settings``."""
    from .identity.services.config import IdentityConfig, OidcConfig
    from .settings import get_settings

    s = get_settings()
    oidc = None
    if s.oidc_issuer:
        oidc = OidcConfig(issuer=s.oidc_issuer, audience=s.oidc_audience or "sunlit",
                          jwks_url=s.oidc_jwks_url or s.oidc_issuer.rstrip("/") + "/.well-known/jwks.json",
                          user_claim=s.oidc_user_claim, require_mfa_amr=s.oidc_require_mfa)
    local = s.local_stage
    return IdentityConfig(stage=s.stage, local_stage=local, admin_token=s.admin_token if local else None, oidc=oidc,
                          import_enabled=local if s.import_enabled is None else s.import_enabled)


@lru_cache(maxsize=1)
def key_vault() -> Any:
    from .adapters.keys import KmsKeyVault
    from .settings import get_settings

    return KmsKeyVault(get_settings().kms_key_id)


@lru_cache(maxsize=1)
def signing_keys() -> Any:
    from .adapters.keys import SecretsManagerSigningKeys, StaticSigningKeys
    from .settings import get_settings

    s = get_settings()
    return SecretsManagerSigningKeys(s.token_secret_arn) if s.token_secret_arn else StaticSigningKeys(s.token_secret)
