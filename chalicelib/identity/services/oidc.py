"""External single sign-on (统一身份认证): OIDC ID or access tokens from a configured issuer.

A bearer token whose ``iss`` is the configured issuer is verified with the issuer's JWKS
(signature, ``iss``, ``aud``, ``exp``/``nbf``) by PyJWT, imported on first use. The configured
claim (``preferred_username`` by default; ``cognito:username``, ``sub``, a 统一身份认证 staff
number…) names the Sunlit user: a user whose ``external_id`` is that value, else the user of that
username. Roles, department and ``active`` still come from Sunlit's own user record, checked on
every use (cached 30 s): the identity provider proves who someone is, Sunlit decides what they
may do. Optionally the token must show a second factor (``amr``) for roles that need one.
"""
from __future__ import annotations

import hashlib
import threading
from typing import Any

from chalicelib.kernel.ports import Stores

from ..domain import roles as R
from ..domain import sessions as S
from ..repositories import ExternalIds, Users
from . import sessions as sessions_service
from .config import IdentityConfig, OidcConfig

MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "fpt", "face"})
LEEWAY_SECONDS = 30
_clients: dict[str, Any] = {}
_cache: dict[str, tuple[float, R.Principal | None, str]] = {}
_lock = threading.Lock()


def _jwks_client(url: str) -> Any:
    with _lock:
        client = _clients.get(url)
        if client is None:
            from jwt import PyJWKClient

            client = PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)
            _clients[url] = client
        return client


def verify(cfg: OidcConfig, token: str, now: float) -> dict[str, Any] | None:
    """The token's verified claims, or None."""
    import jwt

    try:
        key = _jwks_client(cfg.jwks_url).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token, key.key, algorithms=list(cfg.algorithms), audience=cfg.audience, issuer=cfg.issuer,
            options={"require": ["exp", "iss", "aud"], "verify_exp": False, "verify_nbf": False, "verify_iat": False})
    except jwt.PyJWTError:
        return None
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or now >= exp + LEEWAY_SECONDS:
        return None
    if isinstance(nbf, (int, float)) and now < nbf - LEEWAY_SECONDS:
        return None
    return claims


def principal_from_oidc(stores: Stores, config: IdentityConfig, token: str, now: float) -> R.Principal:
    cfg = config.oidc
    assert cfg is not None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    hit = _cache.get(digest)
    if hit is not None and 0 <= now - hit[0] < S.SESSION_CHECK_CACHE_SECONDS:
        principal = hit[1]
    else:
        principal = _resolve(stores, config, cfg, token, now)
        with _lock:
            if len(_cache) > 20_000:
                _cache.clear()
            _cache[digest] = (now, principal, principal.username if principal and principal.username else "")
    return principal or R.ANONYMOUS


def _resolve(stores: Stores, config: IdentityConfig, cfg: OidcConfig, token: str, now: float) -> R.Principal | None:
    claims = verify(cfg, token, now)
    if claims is None:
        return None
    value = claims.get(cfg.user_claim)
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    mapped = ExternalIds(stores).get(value)
    username = str(mapped.body["username"]) if mapped else value
    found = Users(stores).get(username)
    if found is None or not found.body.get("active", True):
        return None
    user = found.body
    if mapped is None and user.get("external_id") not in (None, value):
        return None  # the user is bound to another external identity
    if cfg.require_mfa_amr and sessions_service.mfa_required(user):
        amr = claims.get("amr") or []
        if not (isinstance(amr, list) and MFA_AMR & {str(a).lower() for a in amr}):
            return None
    principal = sessions_service.user_principal(config, user, auth_method="oidc")
    exp = claims.get("exp")
    from dataclasses import replace

    return replace(principal, expires_at=int(exp) if isinstance(exp, (int, float)) else None)


def forget(username: str | None = None) -> None:
    with _lock:
        if username is None:
            _cache.clear()
        else:
            for k in [k for k, v in _cache.items() if v[2] == username]:
                _cache.pop(k, None)
