"""Session rules (会话管理): lifetimes, refresh tokens, the session check, lockout.

* An access token lives at most 15 minutes and names only its user and session (``sub``,
  ``sid``): roles are read from the user record on use, so no role outlives a change.
* A refresh token is one-time: each use rotates it; presenting an already-used one ends the
  session (a stolen token replayed after the user refreshed, OAuth 2.0 security BCP §4.14).
  It expires after 30 minutes without use (idle timeout); a session ends after 12 hours.
* Every use of an access token checks its session and user records, cached for 30 seconds, so
  logout, deactivation, password reset and role change end every session within 60 seconds.
* Five failed sign-ins in a row lock the account for 15 minutes (登录失败处理).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from chalicelib.kernel.errors import SunlitError

ACCESS_TTL_SECONDS = 15 * 60
REFRESH_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 12 * 3600
#: Tokens ``POST /admin/users`` returns on the local stage (tests and demos): a session of their own.
ISSUED_TTL_SECONDS = 12 * 3600
SESSION_CHECK_CACHE_SECONDS = 30
LOCKOUT_THRESHOLD = 5
LOCKOUT_SECONDS = 15 * 60
AUDIENCE = "sunlit-staff"


def new_session_id() -> str:
    return secrets.token_urlsafe(18)


def new_refresh_token(session_id: str) -> tuple[str, str]:
    """``(token, digest)``: the token goes to the client, only the digest is stored."""
    secret = secrets.token_urlsafe(32)
    token = f"{session_id}.{secret}"
    return token, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_refresh_token(token: str) -> tuple[str, str] | None:
    """``(session_id, secret)`` or None for something that is not a refresh token."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 200:
        return None
    sid, secret = token.split(".")
    if not sid or not secret:
        return None
    return sid, secret


def refresh_matches(stored_digest: str | None, secret: str) -> bool:
    return bool(stored_digest) and hmac.compare_digest(str(stored_digest), digest(secret))


def after_failure(failures: int, now: float) -> tuple[int, float | None]:
    """``(failures in a row, locked until)`` after one more failure."""
    failures += 1
    return failures, (now + LOCKOUT_SECONDS if failures >= LOCKOUT_THRESHOLD else None)


def lockout_message(until: float, now: float) -> str:
    from zoneinfo import ZoneInfo

    when = datetime.fromtimestamp(until, UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    minutes = max(1, int((until - now + 59) // 60))
    return (f"连续登录失败次数过多，账户已锁定，请约 {minutes} 分钟后（{when:%H:%M}）再试，"
            "或联系安全管理员解锁")


class AccountLockedError(SunlitError):
    """Too many failed sign-ins: the account is locked for a while (423, docs/CONTRACT.md §8)."""

    status = 423
    code = "ACCOUNT_LOCKED"
