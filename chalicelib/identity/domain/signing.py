"""Request signatures for department systems and bearer tokens for staff — pure crypto.

Department systems sign every request (docs/CONTRACT.md §2)::

    hex HMAC-SHA256(secret, timestamp + "\\n" + METHOD + "\\n" + path + "\\n" + hex sha256(body))

Staff access tokens are compact JWTs (HS256) whose header names the signing key (``kid``: the
Secrets Manager version that signed it), so the key can rotate while tokens signed by the
previous version still validate until they expire. Tokens of an external identity provider
(OIDC, RS256/ES256) are verified by ``identity.services.oidc`` with PyJWT.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

# The request signer is the client package's (clients/python, vendored into the Lambda package by
# `make package`): one implementation for the API, the demo loader, the tests and department systems.
from sunlit_client.signing import MAX_SKEW_SECONDS, sign_request, signature_problem, string_to_sign

__all__ = ["MAX_SKEW_SECONDS", "decode_token", "encode_token", "sign_request", "signature_problem", "string_to_sign",
           "unverified_parts"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_token(claims: dict[str, Any], secret: str, kid: str | None = None) -> str:
    head: dict[str, str] = {"alg": "HS256", "typ": "JWT"}
    if kid:
        head["kid"] = kid
    header = _b64(json.dumps(head, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    mac = hmac.new(secret.encode("utf-8"), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(mac)}"


def decode_token(token: str, secret: str, now: float) -> dict[str, Any] | None:
    """The verified claims, or None for a malformed, forged or expired token."""
    if not secret:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, payload, mac = parts
    try:
        expected = hmac.new(secret.encode("utf-8"), f"{header}.{payload}".encode("ascii"),
                            hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        if json.loads(_unb64(header)).get("alg") != "HS256":
            return None
        claims = json.loads(_unb64(payload))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(claims, dict):
        return None
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and now >= exp:
        return None
    return claims


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and claims of a JWT *before* any check (to choose the key or the issuer)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = json.loads(_unb64(parts[0])), json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims
