"""Identities (CONTRACT §2): departments and their system keys, staff users and roles.

Staff carry bearer tokens (JWT claims ``sub``, ``roles``, ``dept``); department systems sign
requests with HMAC. Department-scoped roles see and act on their own department only.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import ConflictError, ForbiddenError, UnauthorizedError
from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from ..domain.signing import decode_token, encode_token, signature_problem
from ..settings import get_settings

ROLES = ("handler", "dept_head", "dept_supervision", "supervisor", "legal", "admin")
DEPT_ROLES = frozenset({"handler", "dept_head", "dept_supervision"})
TOKEN_TTL_SECONDS = 30 * 24 * 3600
KEY_CACHE_SECONDS = 60.0

Role = Literal["handler", "dept_head", "dept_supervision", "supervisor", "legal", "admin"]


@dataclass(frozen=True)
class Principal:
    kind: Literal["anonymous", "admin", "user", "department"]
    username: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    dept_code: str | None = None
    region_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_department_scoped(self) -> bool:
        """True when this principal may only see its own department."""
        if self.kind == "department":
            return True
        return not (self.roles - DEPT_ROLES) and bool(self.roles)

    def may_see_dept(self, dept_code: str | None) -> bool:
        if not self.is_department_scoped:
            return True
        return dept_code is not None and dept_code == self.dept_code

    @property
    def actor_name(self) -> str:
        return self.username or (f"dept:{self.dept_code}" if self.dept_code else "anonymous")


ANONYMOUS = Principal(kind="anonymous")


class DepartmentIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^\d{3}$", description="3-digit department code, unique platform-wide")
    name: str = Field(min_length=2, max_length=100)
    region_code: str = Field(pattern=r"^\d{6}$")
    level: Literal["city", "county"]


class UserIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=r"^[A-Za-z0-9_.\-]{2,64}$")
    roles: list[Role] = Field(min_length=1, max_length=6)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    display_name: str | None = Field(default=None, max_length=50)


def _now() -> float:
    return time.time()


def create_department(stores: Stores, body: DepartmentIn) -> dict[str, Any]:
    table = stores.table("identity")
    key_id = "AK" + secrets.token_hex(8).upper()
    secret = secrets.token_urlsafe(32)
    dept = {**body.model_dump(), "key_id": key_id, "created_at": datetime.now(UTC).isoformat()}
    try:
        table.put(Item(pk=f"DEPT#{body.code}", sk="META", body=dept, gsi1pk="DEPTS", gsi1sk=body.code),
                  if_absent=True)
    except ConditionFailedError:
        raise ConflictError(f"部门代码 {body.code} 已存在",
                            [{"field": "code", "type": "duplicate", "message": "部门代码在全平台唯一"}]) from None
    table.put(Item(pk=f"KEY#{key_id}", sk="META",
                   body={"key_id": key_id, "dept_code": body.code, "region_code": body.region_code,
                         "secret": secret, "active": True}), if_absent=True)
    return {"code": body.code, "key_id": key_id, "secret": secret}


def get_department(stores: Stores, code: str) -> dict[str, Any] | None:
    item = stores.table("identity").get(f"DEPT#{code}", "META")
    return item.body if item else None


def list_departments(stores: Stores) -> list[dict[str, Any]]:
    items = stores.table("identity").query("DEPTS", index="gsi1", limit=500).items
    return [{k: v for k, v in i.body.items() if k != "key_id"} for i in items]


def create_user(stores: Stores, body: UserIn) -> dict[str, Any]:
    from chalicelib.kernel.errors import ValidationError

    roles = set(body.roles)
    if roles & DEPT_ROLES and not body.dept_code:
        raise ValidationError("部门角色必须指定所属部门", [{"field": "dept_code", "type": "missing",
                                                            "message": "handler/dept_head/dept_supervision 需要 dept_code"}])
    if body.dept_code and get_department(stores, body.dept_code) is None:
        raise ValidationError("部门不存在", [{"field": "dept_code", "type": "unknown", "message": "未知部门代码"}])
    user = {**body.model_dump(), "created_at": datetime.now(UTC).isoformat(), "active": True}
    try:
        stores.table("identity").put(Item(pk=f"USER#{body.username}", sk="META", body=user), if_absent=True)
    except ConditionFailedError:
        raise ConflictError(f"用户名 {body.username} 已存在",
                            [{"field": "username", "type": "duplicate", "message": "用户名已存在"}]) from None
    return {"username": body.username, "token": issue_token(body.username, sorted(roles), body.dept_code)}


def issue_token(username: str, roles: list[str], dept_code: str | None) -> str:
    now = int(_now())
    claims = {"sub": username, "roles": roles, "dept": dept_code, "iat": now, "exp": now + TOKEN_TTL_SECONDS,
              "jti": secrets.token_hex(8), "iss": f"sunlit-{get_settings().stage}"}
    return encode_token(claims, get_settings().token_secret)


def principal_from_token(token: str) -> Principal:
    settings = get_settings()
    if settings.admin_token and secrets.compare_digest(token, settings.admin_token):
        return Principal(kind="admin", username="admin", roles=frozenset({"admin"}))
    claims = decode_token(token, settings.token_secret, _now())
    if not claims or not isinstance(claims.get("sub"), str):
        return ANONYMOUS
    roles = frozenset(r for r in claims.get("roles") or [] if r in ROLES)
    if not roles:
        return ANONYMOUS
    return Principal(kind="user", username=claims["sub"], roles=roles, dept_code=claims.get("dept"))


def require_roles(principal: Principal, roles: tuple[str, ...] | list[str]) -> None:
    if not roles or principal.is_admin:
        return
    if principal.kind == "department":
        if "department" in roles:
            return
        raise ForbiddenError("部门系统密钥无权访问该接口")
    if not principal.roles & set(roles):
        raise ForbiddenError("当前角色无权执行此操作", [{"field": "roles", "type": "forbidden",
                                                     "message": f"需要角色之一：{', '.join(roles)}"}])


_key_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}


def _department_key(stores: Stores, key_id: str) -> dict[str, Any] | None:
    hit = _key_cache.get(key_id)
    now = time.monotonic()
    if hit and now - hit[0] < KEY_CACHE_SECONDS:
        return hit[1]
    item = stores.table("identity").get(f"KEY#{key_id}", "META") if key_id else None
    value = item.body if item and item.body.get("active", True) else None
    _key_cache[key_id] = (now, value)
    return value


def verify_department_request(*, key_id: str, timestamp: str, signature: str, method: str, path: str,
                              body: bytes, stores: Stores | None = None) -> Principal:
    from .. import wiring

    key = _department_key(stores or wiring.stores(), key_id.strip())
    if key is None:
        raise UnauthorizedError("未知的部门密钥", [{"field": "X-Sunlit-Key", "type": "unknown",
                                                   "message": "密钥不存在或已停用"}])
    problem = signature_problem(key["secret"], timestamp, method, path, body, signature, _now())
    if problem:
        raise UnauthorizedError(problem, [{"field": "X-Sunlit-Signature", "type": "invalid", "message": problem}])
    return Principal(kind="department", username=f"dept:{key['dept_code']}", roles=frozenset({"department"}),
                     dept_code=key["dept_code"], region_code=key.get("region_code"))
