"""The second factor (双因素认证): TOTP (RFC 6238 over RFC 4226 HOTP) and recovery codes.

Codes are six digits over 30-second steps, HMAC-SHA1 (what every authenticator app speaks).
A code is accepted one step either side of now, and never twice: the step of the last accepted
code is kept and a code of that step or an earlier one is refused (RFC 6238 §5.2).
Recovery codes are 80 random bits each, stored only as SHA-256 digests, usable once.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_secret() -> str:
    """160 random bits, base32 without padding (RFC 4226 §4 recommends 160)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret_b32: str) -> bytes:
    text = secret_b32.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def step_of(at: float) -> int:
    return int(at // STEP_SECONDS)


def code_at(secret_b32: str, at: float) -> str:
    return hotp(_key(secret_b32), step_of(at))


def verify(secret_b32: str, code: str, at: float, last_step: int | None = None) -> int | None:
    """The step the code belongs to when it is valid and unused, else None."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret_b32)
    now = step_of(at)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if hmac.compare_digest(hotp(key, step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


def provisioning_uri(secret_b32: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` URI authenticator apps scan (Google Authenticator key-uri format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(data: str) -> str:
    """The URI as a QR code in SVG (drawn server-side by ``segno``, pure Python, imported on use)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(data, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                     title="TOTP", dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")


def new_recovery_codes(n: int = RECOVERY_CODES) -> list[str]:
    codes = []
    for _ in range(n):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode("ascii", "ignore")).hexdigest()
