"""Sessions (会话): token pairs, the bearer token → principal check, refresh, logout, ending a
user's sessions, the token signing key.

A session record (``SESSION#{sid}``) is the server side of a sign-in: it holds the digest of the
one current refresh token, its idle and absolute expiry, and whether it was revoked. Access
tokens carry only ``sub`` and ``sid``; each use reads the session and the user in one
``BatchGetItem``, cached for ``SESSION_CHECK_CACHE_SECONDS`` per instance, so roles and
revocation take effect within 60 s everywhere and at once on the instance that made the change.
"""
from __future__ import annotations

import secrets
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import ForbiddenError, UnauthorizedError
from chalicelib.kernel.ports import ConditionFailedError, Stores

from ..domain import roles as R
from ..domain import sessions as S
from ..domain.signing import decode_token, encode_token, unverified_parts
from ..ports import SigningKeys
from ..repositories import Sessions, Users, Versioned
from .audit import Auditor

if TYPE_CHECKING:
    from .config import IdentityConfig

MAX_CACHED = 20_000
_cache: dict[str, tuple[float, R.Principal | None, str]] = {}
_lock = threading.Lock()


class RefreshIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    refresh_token: str = Field(min_length=10, max_length=200)


class LogoutIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    everywhere: bool = Field(default=False, description="End every session of this user, not only this one")


class RotateSigningIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    reason: str = Field(min_length=2, max_length=200, description="Why (kept in the audit trail)")


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


# ----- issuing ---------------------------------------------------------------------------------------

def issue(stores: Stores, keys: SigningKeys, config: IdentityConfig, user: dict[str, Any], *, now: float,
          kind: str = "password", ip_hash: str | None = None) -> dict[str, Any]:
    """Start a session for ``user`` and return its token pair (``kind`` ``issued``: the local
    stage's long-lived test token, without a refresh token)."""
    sid = S.new_session_id()
    issued = kind == "issued"
    refresh, refresh_digest = (None, None) if issued else S.new_refresh_token(sid)
    expires = now + (S.ISSUED_TTL_SECONDS if issued else S.SESSION_MAX_SECONDS)
    username = str(user["username"])
    Sessions(stores).create(sid, {
        "sid": sid, "username": username, "kind": kind, "created_at": now, "expires_at": expires,
        "refresh_digest": refresh_digest, "refresh_expires_at": None if issued else min(expires, now + S.REFRESH_IDLE_SECONDS),
        "revoked": False, "ip_hash": ip_hash, "refreshes": 0,
    })
    exp = expires if issued else min(expires, now + S.ACCESS_TTL_SECONDS)
    pair: dict[str, Any] = {
        "access_token": access_token(keys, config, username, sid, now, exp), "token_type": "Bearer",
        "expires_in": int(exp - now), "refresh_token": refresh, "session_expires_at": iso(expires),
    }
    return pair


def access_token(keys: SigningKeys, config: IdentityConfig, username: str, sid: str, now: float, exp: float) -> str:
    kid, secret = keys.current()
    claims = {"iss": config.issuer, "aud": S.AUDIENCE, "sub": username, "sid": sid, "typ": "access",
              "iat": int(now), "exp": int(exp), "jti": secrets.token_hex(8)}
    return encode_token(claims, secret, kid)


# ----- checking ------------------------------------------------------------------------------------

def principal_from_token(stores: Stores, keys: SigningKeys, config: IdentityConfig, token: str,
                         now: float) -> R.Principal:
    """The principal a bearer token stands for, or ``ANONYMOUS`` when it stands for nobody."""
    if not token.isascii():  # no token we issue has other characters (and compare_digest refuses them)
        return R.ANONYMOUS
    if config.local_stage and config.admin_token and secrets.compare_digest(token, config.admin_token):
        return R.BOOTSTRAP
    parts = unverified_parts(token)
    if parts is None:
        return R.ANONYMOUS
    header, unverified = parts
    if config.oidc is not None and unverified.get("iss") == config.oidc.issuer:
        from .oidc import principal_from_oidc

        return principal_from_oidc(stores, config, token, now)
    kid = header.get("kid")
    secret = keys.secret(kid if isinstance(kid, str) else None)
    claims = decode_token(token, secret, now) if secret else None
    if (not claims or claims.get("typ") != "access" or claims.get("aud") != S.AUDIENCE
            or claims.get("iss") != config.issuer):
        return R.ANONYMOUS
    sid, username = claims.get("sid"), claims.get("sub")
    if not isinstance(sid, str) or not isinstance(username, str):
        return R.ANONYMOUS
    principal = session_principal(stores, config, sid, username, now)
    if principal is None:
        return R.ANONYMOUS
    return replace(principal, expires_at=int(claims["exp"]))


def session_principal(stores: Stores, config: IdentityConfig, sid: str, username: str,
                      now: float) -> R.Principal | None:
    hit = _cache.get(sid)
    if hit is not None and hit[2] == username and 0 <= now - hit[0] < S.SESSION_CHECK_CACHE_SECONDS:
        return hit[1]
    session, user = Sessions(stores).with_user(sid, username)
    principal = principal_of(config, session, user, now)
    with _lock:
        if len(_cache) >= MAX_CACHED:
            _cache.clear()
        _cache[sid] = (now, principal, username)
    return principal


def principal_of(config: IdentityConfig, session: dict[str, Any] | None, user: dict[str, Any] | None,
                 now: float) -> R.Principal | None:
    if session is None or user is None or session.get("username") != user.get("username"):
        return None
    if session.get("revoked") or now >= float(session["expires_at"]) or not user.get("active", True):
        return None
    return user_principal(config, user, auth_method=str(session.get("kind") or "password"),
                          session_id=str(session["sid"]))


def user_principal(config: IdentityConfig, user: dict[str, Any], *, auth_method: str,
                   session_id: str | None = None) -> R.Principal:
    return R.Principal(kind="user", username=str(user["username"]), roles=frozenset(user.get("roles") or []),
                       dept_code=user.get("dept_code"), region_code=user.get("region_code"), session_id=session_id,
                       auth_method=auth_method, restriction=restriction(config, user, auth_method))


def restriction(config: IdentityConfig, user: dict[str, Any], auth_method: str) -> str | None:
    """What the user must do before anything else: change the initial/reset password, or (on
    deployed stages) enrol a second factor when a role needs one."""
    if auth_method == "oidc":
        return None
    if user.get("must_change_password"):
        return "password_change"
    if mfa_enrolment_required(config, user):
        return "mfa_enrolment"
    return None


def mfa_required(user: dict[str, Any]) -> bool:
    return bool(set(user.get("roles") or []) & R.MFA_ROLES)


def mfa_enrolment_required(config: IdentityConfig, user: dict[str, Any]) -> bool:
    return not config.local_stage and mfa_required(user) and not (user.get("mfa") or {}).get("enrolled")


def forget(username: str | None = None) -> None:
    """Drop cached checks (of one user, or all): the change is seen at once on this instance."""
    with _lock:
        if username is None:
            _cache.clear()
        else:
            for sid in [k for k, v in _cache.items() if v[2] == username]:
                _cache.pop(sid, None)
    oidc = sys.modules.get(f"{__package__}.oidc")  # only when external tokens were ever seen here
    if oidc is not None:
        oidc.forget(username)


def require_roles(principal: R.Principal, roles: tuple[str, ...] | list[str]) -> None:
    """403 unless the principal holds one of ``roles`` (no role bypasses this, admin included)."""
    if not roles:
        if principal.kind == "department":
            raise ForbiddenError("部门系统密钥无权访问该接口")
        return
    if principal.kind == "department":
        if "department" in roles:
            return
        raise ForbiddenError("部门系统密钥无权访问该接口")
    if not principal.grants & set(roles):
        raise ForbiddenError("当前角色无权执行此操作", [{"field": "roles", "type": "forbidden",
                                                     "message": f"需要角色之一：{', '.join(roles)}"}])


# ----- refresh and logout ----------------------------------------------------------------------------

def refresh(stores: Stores, keys: SigningKeys, config: IdentityConfig, token: str, *, now: float,
            audit: Auditor) -> dict[str, Any]:
    """A new token pair for a valid refresh token, which is used up; a used one ends its session."""
    invalid = UnauthorizedError("刷新令牌无效或已过期，请重新登录", code="INVALID_REFRESH_TOKEN")
    parsed = S.parse_refresh_token(token)
    if parsed is None:
        raise invalid
    sid, secret = parsed
    repo = Sessions(stores)
    current = repo.get(sid)
    if current is None or current.body.get("revoked") or current.body.get("kind") == "issued":
        raise invalid
    body = dict(current.body)
    if not S.refresh_matches(body.get("refresh_digest"), secret):
        # A used (rotated) refresh token came back: someone holds a copy. End the session.
        revoke(stores, sid, "refresh_reuse", now)
        audit(R.Principal(kind="user", username=str(body["username"]), session_id=sid), "auth.refresh_reuse",
              {"username": str(body["username"])}, 401)
        raise UnauthorizedError("刷新令牌已使用过，会话已终止，请重新登录", code="REFRESH_TOKEN_REUSED")
    if now >= float(body.get("refresh_expires_at") or 0) or now >= float(body["expires_at"]):
        raise UnauthorizedError("会话已超时，请重新登录", code="SESSION_EXPIRED")
    found = Users(stores).get(str(body["username"]))
    if found is None or not found.body.get("active", True):
        raise invalid
    new_token, new_digest = S.new_refresh_token(sid)
    body.update(refresh_digest=new_digest, refresh_expires_at=min(float(body["expires_at"]), now + S.REFRESH_IDLE_SECONDS),
                last_refresh_at=now, refreshes=int(body.get("refreshes") or 0) + 1)
    try:
        repo.save(sid, Versioned(body, current.version))
    except ConditionFailedError:  # a concurrent refresh with the same token won
        raise invalid from None
    exp = min(float(body["expires_at"]), now + S.ACCESS_TTL_SECONDS)
    user = found.body
    pair = {"access_token": access_token(keys, config, str(user["username"]), sid, now, exp), "token_type": "Bearer",
            "expires_in": int(exp - now), "refresh_token": new_token, "session_expires_at": iso(float(body["expires_at"]))}
    return {**pair, **sign_in_view(config, user)}


def revoke(stores: Stores, sid: str, reason: str, now: float) -> bool:
    def change(body: dict[str, Any]) -> bool:
        if body.get("revoked"):
            return False
        body.update(revoked=True, revoked_at=now, revoked_reason=reason)
        return True

    got = Sessions(stores).update(sid, change)
    if got is None:
        return False
    forget(str(got[0].body.get("username")))
    return bool(got[1])


def end_user_sessions(stores: Stores, username: str, reason: str, now: float, *, keep: str | None = None) -> int:
    """Revoke every live session of ``username`` (but ``keep``); returns how many ended."""
    ended = 0
    for s in Sessions(stores).of_user(username):
        sid = str(s.body["sid"])
        if sid != keep and not s.body.get("revoked") and now < float(s.body["expires_at"]):
            ended += int(revoke(stores, sid, reason, now))
    forget(username)
    return ended


def logout(stores: Stores, principal: R.Principal, body: LogoutIn | None, now: float) -> int:
    if principal.kind != "user" or not principal.username:
        return 0
    if body is not None and body.everywhere:
        return end_user_sessions(stores, principal.username, "logout_everywhere", now)
    if principal.session_id:
        return int(revoke(stores, principal.session_id, "logout", now))
    return 0


def sign_in_view(config: IdentityConfig, user: dict[str, Any]) -> dict[str, Any]:
    """What a sign-in or refresh tells the console about the user (docs/CONTRACT.md §8 fields first)."""
    mfa = user.get("mfa") or {}
    return {"username": user["username"], "roles": sorted(user.get("roles") or []), "dept_code": user.get("dept_code"),
            "region_code": user.get("region_code"), "display_name": user.get("display_name"),
            "duties": R.duties(user.get("roles") or []),
            "must_change_password": bool(user.get("must_change_password")),
            "mfa_enrolled": bool(mfa.get("enrolled")), "mfa_required": mfa_required(user),
            "mfa_enrolment_required": mfa_enrolment_required(config, user),
            "restriction": restriction(config, user, "password")}


def live_sessions(stores: Stores, username: str, now: float) -> list[dict[str, Any]]:
    from .audit import _short

    out = []
    for s in Sessions(stores).of_user(username):
        b = s.body
        if b.get("revoked") or now >= float(b["expires_at"]):
            continue
        out.append({"session": _short(str(b["sid"])), "kind": b.get("kind"), "created_at": iso(float(b["created_at"])),
                    "expires_at": iso(float(b["expires_at"])),
                    "last_refresh_at": iso(float(b["last_refresh_at"])) if b.get("last_refresh_at") else None,
                    "ip_hash": b.get("ip_hash")})
    return out


# ----- the signing key -----------------------------------------------------------------------------

def rotate_signing_key(keys: SigningKeys, now: float) -> dict[str, Any]:
    """A new signing key: new tokens use it; tokens signed by the previous one validate until they
    expire (≤ 15 min). Rotating twice within that time ends them at once."""
    kid = keys.rotate()
    return {"kid": kid, "rotated_at": iso(now)}


def signing_key_status(keys: SigningKeys) -> dict[str, Any]:
    kid, _ = keys.current()
    return {"kid": kid, "access_token_ttl_seconds": S.ACCESS_TTL_SECONDS}
