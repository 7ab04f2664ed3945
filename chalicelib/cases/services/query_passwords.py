"""Query passwords (查询密码, docs/DOMAIN.md §8.2): with the case number, the citizen's key to a case.

* Stored only as a keyed hash: HMAC-SHA256 with a key derived from the platform secret
  (``deps.keys.key("query-password")``, ``identity.services.platform``), bound to the case number,
  computed when the event is stored — the event log, the case view and the stream never hold the
  password, and without the platform secret the hashes cannot be tested offline.
* Compared in constant time; never returned (staff views included) nor logged.
* A department-supplied password shorter than :data:`MIN_LENGTH` rejects its event (schema,
  ``cases/domain/events.py``).
* Repeated wrong guesses lock the case's password query for :data:`LOCK_MINUTES`, besides the
  per-client rate limit. Failures are counted per case number whether the case exists or not, so
  neither a wrong password nor a lock tells anyone whether a case exists.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import RateLimitedError
from chalicelib.kernel.ports import Stores

from ..repositories import QueryLocks

MIN_LENGTH = 6
MAX_FAILURES = 5
WINDOW_MINUTES = 15
LOCK_MINUTES = 15
HASH_FIELD = "query_password_hash"
PLAIN_FIELD = "query_password"
_PREFIX = "h1$"
KEY_PURPOSE = "query-password"


def key(deps: Deps) -> bytes:
    """The key query passwords are hashed with (derived from the platform secret)."""
    return deps.keys.key(KEY_PURPOSE)


def hash_password(case_no: str, password: str, key: bytes) -> str:
    """The stored form of a case's query password."""
    mac = hmac.new(key, f"{case_no}\n{password}".encode("utf-8", "surrogatepass"), hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def matches(case_no: str, stored_hash: str | None, candidate: str | None, key: bytes) -> bool:
    """Constant-time check of a candidate against the stored hash (False when either is missing)."""
    if not stored_hash or not candidate:
        return False
    return hmac.compare_digest(stored_hash.encode(), hash_password(case_no, candidate, key).encode())


def protect(data: Mapping[str, Any], case_no: str, key: bytes | None) -> dict[str, Any]:
    """An event's ``data`` as it may be stored: a plain ``query_password`` replaced by its hash
    (``key`` None: the caller has no key, so data holding a password is refused, never stored)."""
    out = dict(data)
    plain = out.pop(PLAIN_FIELD, None)
    if isinstance(plain, str) and plain:
        if key is None:
            raise ValueError("a query password cannot be stored without the platform's key")
        out[HASH_FIELD] = hash_password(case_no, plain, key)
    return out


def _subject(case_no: str) -> str:
    return hashlib.sha256(case_no.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _window(at: datetime) -> str:
    at = at.astimezone(UTC)
    return f"{at:%Y%m%d%H}-{at.minute // WINDOW_MINUTES}"


def check_lock(stores: Stores, case_no: str, now: datetime, what: str = "办件") -> None:
    """Refuse (429) while the number's password query is locked. Any numbered record a citizen reads
    with a password uses this lock (``what``: 办件, or 申请 for a request for disclosure)."""
    until = QueryLocks(stores).locked_until(_subject(case_no))
    if until and datetime.fromisoformat(until) > now:
        minutes = max(1, int((datetime.fromisoformat(until) - now).total_seconds() // 60) + 1)
        raise RateLimitedError(f"该{what}查询密码错误次数过多，已暂停查询，请 {minutes} 分钟后再试",
                               code="QUERY_LOCKED")


def record_failure(stores: Stores, case_no: str, now: datetime) -> None:
    """Count a wrong password for a case number; the :data:`MAX_FAILURES`-th in a window locks it."""
    subject = _subject(case_no)
    failures = stores.counters().hit(f"PWFAIL#{subject}", _window(now))
    if failures >= MAX_FAILURES:
        QueryLocks(stores).lock(subject, (now + timedelta(minutes=LOCK_MINUTES)).isoformat())


def verify(deps: Deps, case_no: str, stored_hash: str | None, candidate: str | None,
           now: datetime | None = None) -> bool:
    """The whole public check: lock first (429), then the password; a failure is counted."""
    at = now or deps.now()
    check_lock(deps.stores, case_no, at)
    if matches(case_no, stored_hash, candidate, key(deps)):
        return True
    if candidate:  # a query without a password guesses nothing
        record_failure(deps.stores, case_no, at)
    return False
