"""Request signing for department systems (部门业务系统签名), docs/CONTRACT.md §2 — the one signer.

Every request a department's own system sends carries three headers::

    X-Sunlit-Key:       <key_id>
    X-Sunlit-Timestamp: <unix seconds>
    X-Sunlit-Signature: <hex HMAC-SHA256(secret, string_to_sign)>

    string_to_sign = timestamp + "\\n" + METHOD + "\\n" + path + "\\n" + hex sha256(body)

``path`` is the request path without the query string and without an API Gateway stage prefix
(``/exchange/events``); ``body`` is the exact bytes sent (an empty body hashes the empty string).
The platform accepts a timestamp at most ``MAX_SKEW_SECONDS`` away from its clock.

This module is the only implementation in the repository: the API verifies with it, the demo
loader and the tests sign with it, and ``make package`` vendors it into the Lambda package. It
imports nothing outside the standard library.
"""
from __future__ import annotations

import hashlib
import hmac
import time

MAX_SKEW_SECONDS = 300
KEY_HEADER = "X-Sunlit-Key"
TIMESTAMP_HEADER = "X-Sunlit-Timestamp"
SIGNATURE_HEADER = "X-Sunlit-Signature"


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of the raw request body."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(timestamp: int | str, method: str, path: str, body: bytes) -> str:
    """The exact text that is signed (UTF-8 encoded before the HMAC)."""
    return f"{timestamp}\n{method.upper()}\n{path}\n{body_digest(body)}"


def sign_request(secret: str, timestamp: int | str, method: str, path: str, body: bytes) -> str:
    """The lower-case hex ``X-Sunlit-Signature`` of one request."""
    message = string_to_sign(timestamp, method, path, body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(key_id: str, secret: str, method: str, path: str, body: bytes,
                   timestamp: int | None = None) -> dict[str, str]:
    """The three ``X-Sunlit-*`` headers for a request sent now (or at ``timestamp``)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {KEY_HEADER: key_id, TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign_request(secret, ts, method, path, body)}


def signature_problem(secret: str, timestamp: str, method: str, path: str, body: bytes, signature: str,
                      now: float) -> str | None:
    """Why a signed request is not acceptable (a Chinese message for the caller), or None when it is."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return "X-Sunlit-Timestamp 必须是 Unix 秒"
    if abs(now - ts) > MAX_SKEW_SECONDS:
        return f"请求时间戳与服务器时间相差超过 {MAX_SKEW_SECONDS} 秒"
    expected = sign_request(secret, timestamp, method, path, body)
    if not hmac.compare_digest(expected, (signature or "").strip().lower()):
        return "签名不正确"
    return None
