"""The query password of a request (查询密码): shown once on the receipt, stored only as a keyed hash.

HMAC-SHA256 with the platform's key for this purpose (never stored beside the hashes), bound to
the request number, so a stolen table cannot be tested offline and a hash copied to another
request does not match. Compared in constant time; a wrong password looks like an unknown request.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

#: No 0/O, 1/I/L: easy to read back from a printed receipt.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
PREFIX = "h1$"


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def password_hash(key: bytes, request_no: str, password: str) -> str:
    normal = password.strip().upper()
    mac = hmac.new(key, f"{request_no}\n{normal}".encode("utf-8", "surrogatepass"), hashlib.sha256)
    return PREFIX + mac.hexdigest()


def password_ok(key: bytes, request_no: str, stored: str | None, candidate: str | None) -> bool:
    if not stored or not candidate:
        return False
    return hmac.compare_digest(stored.encode(), password_hash(key, request_no, candidate).encode())
