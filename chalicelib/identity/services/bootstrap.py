"""Bootstrap (初始化): the first administrators of a deployed stack, once; the demo staff.

On AWS there is no static admin token: ``python -m chalicelib.identity.bootstrap`` (README,
"Bootstrapping a city") creates the first system administrator — and, recommended, the first
security administrator and audit administrator, three different people (三员分立) — each with a
random initial password printed once, to be changed at the first sign-in, where they also enrol
their second factor. It works once per stack: a marker record makes any later run refuse.
"""
from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.kernel.ports import ConditionFailedError, Stores

from ..domain import passwords
from ..domain import roles as R
from ..repositories import Settings, Users
from .audit import record
from .sessions import end_user_sessions, iso

if TYPE_CHECKING:
    from .config import IdentityConfig

MARKER = "bootstrap"
DEMO_ACCOUNTS = (
    ("demo-handler", ["handler"], True, "演示办理人"),
    ("demo-head", ["dept_head"], True, "演示部门负责人"),
    ("demo-supervisor", ["supervisor"], False, "演示监察局"),
    ("demo-legal", ["legal"], False, "演示法制办"),
    ("demo-admin", ["admin"], False, "演示管理员"),
    ("demo-auditor", ["audit_admin"], False, "演示安全审计员"),
)


def bootstrap_admins(stores: Stores, config: IdentityConfig, *, system_admin: str, security_admin: str | None = None,
                     audit_admin: str | None = None, now: float | None = None) -> dict[str, str]:
    """Create the first administrators; ``{username: initial password}``. Refuses a second time."""
    at = time.time() if now is None else now
    wanted = [(system_admin, R.SYSTEM_ADMIN), (security_admin, R.SECURITY_ADMIN), (audit_admin, R.AUDIT_ADMIN)]
    chosen = [(u.strip(), role) for u, role in wanted if u]
    names = [u for u, _ in chosen]
    if len(set(names)) != len(names):
        raise ValidationError("三员须由不同的人担任：用户名不能相同",
                              [{"field": "username", "type": "separation_of_duties", "message": "用户名重复"}])
    from .users import USERNAME_PATTERN

    for name in names:
        if not re.match(USERNAME_PATTERN, name):
            raise ValidationError("用户名无效", [{"field": "username", "type": "invalid", "message": name}])
    repo = Settings(stores)
    if Users(stores).any_with_role(set(R.ADMIN_ROLES)):
        raise ConflictError("已有管理员账户：初始化只能执行一次", code="ALREADY_BOOTSTRAPPED")
    try:
        repo.create(MARKER, {"at": iso(at), "admins": names})
    except ConditionFailedError:
        raise ConflictError("本系统已完成初始化：初始化只能执行一次", code="ALREADY_BOOTSTRAPPED") from None
    created: dict[str, str] = {}
    actor = R.Principal(kind="bootstrap", username="bootstrap", auth_method="bootstrap")
    for username, role in chosen:
        password = passwords.generate_password()
        try:
            Users(stores).create(username, _user(username, [role], None, password, at, must_change=True,
                                                 created_by="bootstrap"))
        except ConditionFailedError:
            raise ConflictError(f"用户名 {username} 已存在", code="ALREADY_EXISTS") from None
        created[username] = password
        record(stores, actor, "identity.bootstrap", {"username": username, "role": role}, 201)
    return created


def _user(username: str, roles: list[str], dept_code: str | None, password: str, now: float, *, must_change: bool,
          created_by: str, display_name: str | None = None) -> dict[str, Any]:
    return {"username": username, "roles": roles, "dept_code": dept_code, "region_code": None,
            "display_name": display_name, "active": True, "created_at": iso(now), "created_by": created_by,
            "password_hash": passwords.hash_password(password), "password_history": [],
            "must_change_password": must_change, "failed_logins": 0, "locked_until": None, "external_id": None,
            "mfa": None, "recovery_codes": []}


def ensure_demo_staff(stores: Stores, config: IdentityConfig, *, password: str, dept_code: str,
                      now: float | None = None) -> list[str]:
    """The demo city's staff accounts (docs/CONTRACT.md §8), local stage only: created, or put back to
    ``password``, active, unlocked and without a second factor on every start."""
    if not config.local_stage:
        raise ValidationError("演示账户只能在本地环境创建")
    at = time.time() if now is None else now
    repo = Users(stores)
    names = []
    for username, roles, in_dept, display in DEMO_ACCOUNTS:
        body = _user(username, roles, dept_code if in_dept else None, password, at, must_change=False,
                     created_by="demo", display_name=display)
        try:
            repo.create(username, body)
        except ConditionFailedError:
            repo.update(username, _overwrite({k: v for k, v in body.items() if k != "created_at"}))
            end_user_sessions(stores, username, "demo_restart", at)
        names.append(username)
    return names


def _overwrite(fresh: dict[str, Any]) -> Any:
    def change(body: dict[str, Any]) -> None:
        body.update(fresh)

    return change
