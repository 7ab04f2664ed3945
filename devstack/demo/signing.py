"""Request signing for department systems (部门业务系统签名), docs/CONTRACT.md §2.

``X-Sunlit-Signature`` is the hex HMAC-SHA256, keyed with the department's secret, of::

    timestamp + "\\n" + METHOD + "\\n" + path + "\\n" + hex(sha256(body))

``path`` is the request path without the query string (e.g. ``/exchange/events``).
"""

from __future__ import annotations

import hashlib
import hmac


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of the raw request body (an empty body hashes the empty string)."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(timestamp: int | str, method: str, path: str, body: bytes) -> str:
    return f"{timestamp}\n{method.upper()}\n{path}\n{body_digest(body)}"


def sign(secret: str, timestamp: int | str, method: str, path: str, body: bytes) -> str:
    """The contract signature of one request."""
    message = string_to_sign(timestamp, method, path, body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(
    key_id: str, secret: str, timestamp: int, method: str, path: str, body: bytes
) -> dict[str, str]:
    """The three ``X-Sunlit-*`` headers for a signed request."""
    return {
        "X-Sunlit-Key": key_id,
        "X-Sunlit-Timestamp": str(timestamp),
        "X-Sunlit-Signature": sign(secret, timestamp, method, path, body),
    }
