"""Passwords (口令): the policy and the memory-hard hash (argon2id, OWASP parameters).

Policy (MLPS level 3 口令复杂度): 10–128 characters, at least three of the four classes
(lower case, upper case, digits, others), not containing the username, not a well-known password,
not one of the last five. ``argon2`` is imported on first use, never at import time.
"""
from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

MIN_LENGTH = 10
MAX_LENGTH = 128
HISTORY = 5
#: argon2id, OWASP's recommended minimum (19 MiB, two passes, one lane): ~20 ms on one core.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19456
ARGON2_PARALLELISM = 1

COMMON = frozenset({
    "password", "password1", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwertyuiop", "1qaz2wsx",
    "1qaz@wsx", "1q2w3e4r", "1q2w3e4r5t", "abc123456", "abcd1234", "admin123", "admin@123", "123456789a",
    "a123456789", "woaini1314", "iloveyou", "zxcvbnm123", "qwerty123", "welcome1", "12345678", "1234567890",
    "aa123456", "qq123456", "admin12345", "root123456", "sunlit123", "changeme",
})


@lru_cache(maxsize=1)
def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB,
                          parallelism=ARGON2_PARALLELISM)


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Constant work whatever the outcome: with no stored hash, a dummy one is checked."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored or _dummy_hash(), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return bool(_hasher().check_needs_rehash(stored))
    except Exception:  # noqa: BLE001 - an unreadable hash is replaced on the next sign-in
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def classes(password: str) -> int:
    kinds = [any(c.islower() and c.isascii() for c in password), any(c.isupper() and c.isascii() for c in password),
             any(c.isdigit() for c in password), any(not (c.isascii() and c.isalnum()) for c in password)]
    return sum(kinds)


def policy_problems(password: str, username: str, history: Iterable[str] = (),
                    verify: Callable[[str, str], bool] = verify_password) -> list[dict[str, Any]]:
    """Each rule the password breaks, as ``details`` entries naming the ``password`` field."""
    problems: list[dict[str, Any]] = []

    def bad(message: str, kind: str) -> None:
        problems.append({"field": "password", "type": kind, "message": message})

    if len(password) < MIN_LENGTH:
        bad(f"口令至少 {MIN_LENGTH} 个字符", "too_short")
    if len(password) > MAX_LENGTH:
        bad(f"口令最多 {MAX_LENGTH} 个字符", "too_long")
    if classes(password) < 3:
        bad("口令须包含大写字母、小写字母、数字、符号中的至少三类", "too_simple")
    if username and username.lower() in password.lower():
        bad("口令不能包含用户名", "contains_username")
    if password.lower() in COMMON:
        bad("口令过于常见", "common")
    if not problems and any(verify(old, password) for old in list(history)[:HISTORY]):
        bad(f"不能与最近 {HISTORY} 次使用过的口令相同", "reused")
    return problems


def generate_password(length: int = 16) -> str:
    """A random password that meets the policy (for initial and reset passwords)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if classes(candidate) == 4:
            return candidate
