"""Departments (部门) and the keys of their own systems (部门系统密钥), docs/CONTRACT.md §2.

A department's HMAC secret is shown once, when it is made, and kept only encrypted (KMS envelope
encryption, bound to the department and key id). Rotation (security administrator) makes a new
key and leaves the previous one valid for an overlap, so a department can switch its system over
without a gap; at most two keys are active at once. A key can be disabled at once. Each
instance caches a decrypted key for ``KEY_CACHE_SECONDS``; a disabled key stops working within
that time everywhere, and at once on the instance that disabled it.
"""
from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import ConflictError, NotFoundError, UnauthorizedError
from chalicelib.kernel.ports import ConditionFailedError, Stores

from ..domain.roles import Principal
from ..domain.signing import signature_problem
from ..ports import KeyVault
from ..repositories import DepartmentKeys, Departments

KEY_CACHE_SECONDS = 60.0
DEFAULT_OVERLAP_MINUTES = 24 * 60
MAX_OVERLAP_MINUTES = 30 * 24 * 60
_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
_lock = threading.Lock()


class DepartmentIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^\d{3}$", description="3-digit department code, unique platform-wide")
    name: str = Field(min_length=2, max_length=100)
    region_code: str = Field(pattern=r"^\d{6}$")
    level: Literal["city", "county"]


class RotateKeyIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    overlap_minutes: int = Field(default=DEFAULT_OVERLAP_MINUTES, ge=0, le=MAX_OVERLAP_MINUTES,
                                 description="How long the previous key stays valid (0: ends now)")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _context(dept_code: str, key_id: str) -> dict[str, str]:
    return {"purpose": "department-key", "dept_code": dept_code, "key_id": key_id}


def _new_key(stores: Stores, vault: KeyVault, dept: dict[str, Any], now: float) -> dict[str, str]:
    key_id = "AK" + secrets.token_hex(8).upper()
    secret = secrets.token_urlsafe(32)
    DepartmentKeys(stores).create(key_id, {
        "key_id": key_id, "dept_code": dept["code"], "region_code": dept["region_code"],
        "envelope": vault.encrypt(secret.encode("utf-8"), _context(dept["code"], key_id)),
        "status": "active", "created_at": _iso(now), "expires_at": None,
    })
    return {"key_id": key_id, "secret": secret}


def create_department(stores: Stores, vault: KeyVault, body: DepartmentIn, *, now: float | None = None) -> dict[str, Any]:
    at = time.time() if now is None else now
    dept = {**body.model_dump(), "created_at": _iso(at)}
    try:
        Departments(stores).create(body.code, dept)
    except ConditionFailedError:
        raise ConflictError(f"部门代码 {body.code} 已存在",
                            [{"field": "code", "type": "duplicate", "message": "部门代码在全平台唯一"}]) from None
    key = _new_key(stores, vault, dept, at)
    return {"code": body.code, **key}


def get_department(stores: Stores, code: str) -> dict[str, Any] | None:
    found = Departments(stores).get(code)
    return found.body if found else None


def list_departments(stores: Stores) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k != "key_id"} for d in Departments(stores).all()]


def _status(key: dict[str, Any], now: float) -> str:
    if key.get("status") == "disabled":
        return "disabled"
    expires = key.get("expires_at")
    if expires is not None:
        return "expired" if now >= float(expires) else "expiring"
    return "active"


def _key_view(key: dict[str, Any], now: float) -> dict[str, Any]:
    expires = key.get("expires_at")
    return {"key_id": key["key_id"], "dept_code": key["dept_code"], "status": _status(key, now),
            "created_at": key.get("created_at"), "expires_at": _iso(float(expires)) if expires is not None else None,
            "disabled_at": key.get("disabled_at")}


def list_keys(stores: Stores, code: str, *, now: float) -> dict[str, Any]:
    if get_department(stores, code) is None:
        raise NotFoundError("部门不存在")
    keys = [_key_view(k.body, now) for k in DepartmentKeys(stores).of_department(code)]
    return {"items": sorted(keys, key=lambda k: str(k["created_at"]), reverse=True), "next": None}


def rotate_key(stores: Stores, vault: KeyVault, code: str, body: RotateKeyIn, *, now: float) -> dict[str, Any]:
    """A new key for the department; the newest previous key stays valid for the overlap, any
    older one ends now (never more than two active keys)."""
    dept = get_department(stores, code)
    if dept is None:
        raise NotFoundError("部门不存在")
    repo = DepartmentKeys(stores)
    live = sorted((k for k in repo.of_department(code) if _status(k.body, now) in ("active", "expiring")),
                  key=lambda k: str(k.body["created_at"]), reverse=True)
    key = _new_key(stores, vault, dept, now)
    previous = []
    for i, k in enumerate(live):
        until = now + body.overlap_minutes * 60 if i == 0 else now

        def limit(b: dict[str, Any], until: float = until) -> None:
            current = b.get("expires_at")
            b["expires_at"] = until if current is None else min(float(current), until)

        got = repo.update(str(k.body["key_id"]), limit)
        if got is not None:
            previous.append(_key_view(got[0].body, now))
        forget(str(k.body["key_id"]))
    return {"code": code, **key, "previous": previous}


def disable_key(stores: Stores, code: str, key_id: str, *, now: float) -> dict[str, Any]:
    repo = DepartmentKeys(stores)
    found = repo.get(key_id)
    if found is None or found.body.get("dept_code") != code:
        raise NotFoundError("密钥不存在")
    got = repo.update(key_id, lambda b: b.update(status="disabled", disabled_at=_iso(now)))
    forget(key_id)
    assert got is not None
    return _key_view(got[0].body, now)


def forget(key_id: str | None = None) -> None:
    with _lock:
        if key_id is None:
            _cache.clear()
        else:
            _cache.pop(key_id, None)


def _department_key(stores: Stores, vault: KeyVault, key_id: str) -> dict[str, Any] | None:
    hit = _cache.get(key_id)
    mono = time.monotonic()
    if hit and mono - hit[0] < KEY_CACHE_SECONDS:
        return hit[1]
    found = DepartmentKeys(stores).get(key_id) if key_id and len(key_id) <= 64 else None
    value: dict[str, Any] | None = None
    if found is not None and found.body.get("status") != "disabled":
        b = found.body
        secret = vault.decrypt(b["envelope"], _context(str(b["dept_code"]), key_id)).decode("utf-8")
        value = {"key_id": key_id, "dept_code": b["dept_code"], "region_code": b.get("region_code"),
                 "secret": secret, "expires_at": b.get("expires_at")}
    with _lock:
        _cache[key_id] = (mono, value)
    return value


#: One answer for an unknown (disabled, expired) key and a bad signature, so neither tells which key ids exist.
BAD_SIGNATURE = ("部门系统签名无效", [{"field": "X-Sunlit-Signature", "type": "invalid",
                                      "message": "密钥不存在、已停用、已过期或签名不正确"}])


def verify_department_request(stores: Stores, vault: KeyVault, *, key_id: str, timestamp: str, signature: str,
                              method: str, path: str, body: bytes, now: float) -> Principal:
    key_id, signature = key_id.strip(), signature.strip()
    if not (key_id.isascii() and signature.isascii() and timestamp.isascii()):
        raise UnauthorizedError(*BAD_SIGNATURE)
    key = _department_key(stores, vault, key_id)
    if key is not None and key.get("expires_at") is not None and now >= float(key["expires_at"]):
        key = None
    # An unknown key is checked against a throw-away secret: same work, same answer as a bad signature.
    secret = key["secret"] if key is not None else secrets.token_urlsafe(32)
    problem = signature_problem(secret, timestamp, method, path, body, signature, now)
    if problem and ("X-Sunlit-Timestamp" in problem or "时间戳" in problem):
        raise UnauthorizedError(problem, [{"field": "X-Sunlit-Timestamp", "type": "invalid", "message": problem}])
    if problem or key is None:
        raise UnauthorizedError(*BAD_SIGNATURE)
    return Principal(kind="department", username=f"dept:{key['dept_code']}", roles=frozenset({"department"}),
                     dept_code=key["dept_code"], region_code=key.get("region_code"))
