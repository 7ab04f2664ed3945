"""Staff users (用户管理) under the separated administrator duties (三员分立).

* The system administrator creates accounts (with business roles) and deactivates/reactivates
  them; granting an administrator duty at creation needs the security duty too.
* The security administrator changes roles (administrator duties included), unlocks accounts,
  resets second factors and passwords, and ends a user's sessions.
* Nobody changes their own roles, resets their own second factor or deactivates themselves.
Every change that affects what a user may do ends that user's sessions.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from chalicelib.kernel.ports import ConditionFailedError, Stores

from ..domain import passwords
from ..domain import roles as R
from ..ports import SigningKeys
from ..repositories import Departments, ExternalIds, Users
from . import sessions as sessions_service

if TYPE_CHECKING:
    from .config import IdentityConfig

USERNAME_PATTERN = r"^[A-Za-z0-9_.\-@]{2,64}$"


class UserIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN)
    roles: list[R.Role] = Field(default_factory=list, max_length=9)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    display_name: str | None = Field(default=None, max_length=50)
    password: str | None = Field(default=None, max_length=256,
                                 description="Initial password; generated (and returned once) when absent")
    external_id: str | None = Field(default=None, max_length=200,
                                    description="The value of the SSO claim that signs in as this user")


class RolesIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    roles: list[R.Role] = Field(max_length=9)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    password: str | None = Field(default=None, max_length=256,
                                 description="The temporary password; generated (and returned once) when absent")


class UserQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    role: R.Role | None = None
    q: str | None = Field(default=None, max_length=64)
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


def _get(stores: Stores, username: str) -> dict[str, Any]:
    found = Users(stores).get(username)
    if found is None:
        raise NotFoundError("用户不存在")
    return found.body


def _check_roles(stores: Stores, config: IdentityConfig, roles: Sequence[str], dept_code: str | None,
                 region_code: str | None) -> None:
    problems = R.role_problems(roles, dept_code, region_code, local_stage=config.local_stage)
    if problems:
        raise ValidationError("角色设置不符合权限规则", problems)
    if dept_code and Departments(stores).get(dept_code) is None:
        raise ValidationError("部门不存在", [{"field": "dept_code", "type": "unknown", "message": "未知部门代码"}])


def summary(user: dict[str, Any], now: float) -> dict[str, Any]:
    """A user as administrators see it: never a hash, a secret or a recovery code."""
    mfa = user.get("mfa") or {}
    locked = user.get("locked_until")
    return {
        "username": user["username"], "display_name": user.get("display_name"), "roles": sorted(user.get("roles") or []),
        "duties": R.duties(user.get("roles") or []), "dept_code": user.get("dept_code"),
        "region_code": user.get("region_code"), "active": bool(user.get("active", True)),
        "locked_until": sessions_service.iso(float(locked)) if locked and float(locked) > now else None,
        "must_change_password": bool(user.get("must_change_password")), "mfa_enrolled": bool(mfa.get("enrolled")),
        "mfa_required": sessions_service.mfa_required(user), "external_id": user.get("external_id"),
        "created_at": user.get("created_at"),
        "last_login_at": sessions_service.iso(float(user["last_login_at"])) if user.get("last_login_at") else None,
    }


def create_user(stores: Stores, keys: SigningKeys, config: IdentityConfig, actor: R.Principal, body: UserIn, *,
                now: float, check_policy: bool = True) -> dict[str, Any]:
    roles = sorted(set(body.roles))
    if set(roles) & R.ADMIN_ROLES and not actor.holds(R.SECURITY_ADMIN):
        raise ForbiddenError("管理员职责只能由安全管理员授予：请先创建账户，再由安全管理员设置角色",
                             [{"field": "roles", "type": "forbidden", "message": "需要安全管理员授予管理员职责"}])
    _check_roles(stores, config, roles, body.dept_code, body.region_code)
    generated = body.password is None
    password = body.password if body.password is not None else passwords.generate_password()
    if check_policy and not generated:
        problems = passwords.policy_problems(password, body.username)
        if problems:
            raise ValidationError("初始口令不符合口令策略", problems)
    user = {
        "username": body.username, "roles": roles, "dept_code": body.dept_code, "region_code": body.region_code,
        "display_name": body.display_name, "active": True, "created_at": sessions_service.iso(now),
        "created_by": actor.actor_name, "password_hash": passwords.hash_password(password), "password_history": [],
        "must_change_password": not config.local_stage, "failed_logins": 0, "locked_until": None,
        "external_id": body.external_id, "mfa": None, "recovery_codes": [],
    }
    if body.external_id:
        _claim_external_id(stores, body.external_id, body.username)
    try:
        Users(stores).create(body.username, user)
    except ConditionFailedError:
        raise ConflictError(f"用户名 {body.username} 已存在",
                            [{"field": "username", "type": "duplicate", "message": "用户名已存在"}]) from None
    out: dict[str, Any] = {"username": body.username, "roles": roles, "dept_code": body.dept_code,
                           "region_code": body.region_code, "must_change_password": user["must_change_password"]}
    if generated:
        out["initial_password"] = password
    if config.local_stage:  # docs/CONTRACT.md §2 v2: tokens for tests and demos, on the local stage only
        out["token"] = sessions_service.issue(stores, keys, config, user, now=now, kind="issued")["access_token"]
    return out


def _claim_external_id(stores: Stores, external_id: str, username: str) -> None:
    try:
        ExternalIds(stores).create(external_id, {"external_id": external_id, "username": username})
    except ConditionFailedError:
        owner = ExternalIds(stores).get(external_id)
        if owner is None or owner.body.get("username") != username:
            raise ConflictError("该统一身份认证标识已绑定其他用户",
                                [{"field": "external_id", "type": "duplicate", "message": "标识已被使用"}]) from None


def list_users(stores: Stores, query: UserQuery, now: float) -> dict[str, Any]:
    items, nxt = Users(stores).page(query.limit, query.cursor)
    q = (query.q or "").lower()
    out = [summary(u, now) for u in items
           if (query.dept_code is None or u.get("dept_code") == query.dept_code)
           and (query.role is None or query.role in (u.get("roles") or []))
           and (not q or q in str(u["username"]).lower() or q in str(u.get("display_name") or "").lower())]
    return {"items": out, "next": nxt}


def get_user(stores: Stores, username: str, now: float) -> dict[str, Any]:
    user = _get(stores, username)
    return {**summary(user, now), "sessions": sessions_service.live_sessions(stores, username, now)}


def _not_self(actor: R.Principal, username: str, what: str) -> None:
    if actor.username == username and actor.kind == "user":
        raise ForbiddenError(f"不能{what}自己的账户（须由另一名管理员操作）", code="SELF_ADMINISTRATION")


def _change(stores: Stores, username: str, fn: Any) -> dict[str, Any]:
    got = Users(stores).update(username, fn)
    if got is None:
        raise NotFoundError("用户不存在")
    return got[0].body


def set_roles(stores: Stores, config: IdentityConfig, actor: R.Principal, username: str, body: RolesIn, *,
              now: float) -> dict[str, Any]:
    _not_self(actor, username, "修改")
    roles = sorted(set(body.roles))
    _check_roles(stores, config, roles, body.dept_code, body.region_code)
    user = _change(stores, username, lambda b: b.update(roles=roles, dept_code=body.dept_code,
                                                        region_code=body.region_code, roles_changed_at=now))
    ended = sessions_service.end_user_sessions(stores, username, "roles_changed", now)
    return {**summary(user, now), "sessions_ended": ended}


def deactivate(stores: Stores, actor: R.Principal, username: str, *, now: float) -> dict[str, Any]:
    _not_self(actor, username, "停用")
    user = _change(stores, username, lambda b: b.update(active=False, deactivated_at=now,
                                                        deactivated_by=actor.actor_name))
    ended = sessions_service.end_user_sessions(stores, username, "deactivated", now)
    return {**summary(user, now), "sessions_ended": ended}


def activate(stores: Stores, actor: R.Principal, username: str, *, now: float) -> dict[str, Any]:
    user = _change(stores, username, lambda b: b.update(active=True, deactivated_at=None))
    return summary(user, now)


def unlock(stores: Stores, actor: R.Principal, username: str, *, now: float) -> dict[str, Any]:
    user = _change(stores, username, lambda b: b.update(failed_logins=0, locked_until=None))
    return summary(user, now)


def end_sessions(stores: Stores, actor: R.Principal, username: str, *, now: float) -> dict[str, Any]:
    _get(stores, username)
    return {"username": username, "sessions_ended": sessions_service.end_user_sessions(stores, username, "ended_by_admin", now)}


def reset_mfa(stores: Stores, actor: R.Principal, username: str, *, now: float) -> dict[str, Any]:
    """Remove the second factor (a lost phone): the user enrols again at the next sign-in."""
    _not_self(actor, username, "重置")
    user = _change(stores, username, lambda b: b.update(mfa=None, mfa_pending=None, recovery_codes=[],
                                                        mfa_reset_at=now))
    ended = sessions_service.end_user_sessions(stores, username, "mfa_reset", now)
    return {**summary(user, now), "sessions_ended": ended}


def reset_password(stores: Stores, actor: R.Principal, username: str, body: PasswordResetIn | None, *,
                   now: float) -> dict[str, Any]:
    """A temporary password the user must change at the next sign-in; every session ends."""
    _not_self(actor, username, "重置")
    user = _get(stores, username)
    password = body.password if body is not None and body.password else None
    if password is not None:
        problems = passwords.policy_problems(password, username)
        if problems:
            raise ValidationError("临时口令不符合口令策略", problems)
    temporary = password or passwords.generate_password()
    new_hash = passwords.hash_password(temporary)

    def reset(b: dict[str, Any]) -> None:
        old = [h for h in [b.get("password_hash"), *(b.get("password_history") or [])] if h]
        b.update(password_hash=new_hash, password_history=old[:passwords.HISTORY - 1], must_change_password=True,
                 failed_logins=0, locked_until=None, password_reset_at=now)

    user = _change(stores, username, reset)
    ended = sessions_service.end_user_sessions(stores, username, "password_reset", now)
    out = {**summary(user, now), "sessions_ended": ended}
    if password is None:
        out["temporary_password"] = temporary
    return out
