"""Roles, administrator duties (三员分立) and the principal a request acts as.

Business roles (docs/CONTRACT.md §2): ``handler`` 办理人, ``dept_head`` 部门负责人, ``dept_supervision`` 部门监察,
``supervisor`` 监察局, ``legal`` 法制办. Administrator duties (MLPS level 3, 三员分立):

* ``system_admin`` 系统管理员 — departments, users' existence (create, deactivate), calendar, operations;
* ``security_admin`` 安全管理员 — roles, department keys, the token signing key, unlocks, MFA and
  password resets;
* ``audit_admin`` 安全审计员 — reads and verifies the audit trail, nothing else.

``admin`` is the contract's name for the administrator duties: a holder of ``admin`` holds the
system and security duties (as the local stage's bootstrap token does). Deployed stages split
them: there ``admin`` cannot be granted and no user holds two duties. No duty grants a business
role: an administrator cannot handle a case, confirm an item or close a signal.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

BUSINESS_ROLES = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")
DEPT_ROLES = frozenset({"handler", "dept_head", "dept_supervision"})
REGION_ROLES = frozenset({"supervisor", "legal"})
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"
ADMIN = "admin"
ADMIN_DUTIES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)
ADMIN_ROLES = frozenset({ADMIN, *ADMIN_DUTIES})
ROLES = (*BUSINESS_ROLES, ADMIN, *ADMIN_DUTIES)
#: Roles that must present a second factor once enrolled, and enrol at first sign-in on deployed stages.
MFA_ROLES = frozenset({"supervisor", "legal", *ADMIN_ROLES})

Role = Literal["handler", "dept_head", "dept_supervision", "supervisor", "legal", "admin", "system_admin",
               "security_admin", "audit_admin"]

ROLE_NAMES = {
    "handler": "办理人", "dept_head": "部门负责人", "dept_supervision": "部门监察", "supervisor": "监察局",
    "legal": "法制办", ADMIN: "管理员（系统与安全）", SYSTEM_ADMIN: "系统管理员", SECURITY_ADMIN: "安全管理员",
    AUDIT_ADMIN: "安全审计员",
}


def grants(roles: Iterable[str]) -> frozenset[str]:
    """What the held roles allow: ``admin`` stands for the system and security duties."""
    held = frozenset(roles)
    if ADMIN in held:
        held |= {SYSTEM_ADMIN, SECURITY_ADMIN}
    return held


def duties(roles: Iterable[str]) -> list[str]:
    return sorted(grants(roles) & set(ADMIN_DUTIES))


def role_problems(roles: Iterable[str], dept_code: str | None, region_code: str | None, *,
                  local_stage: bool) -> list[dict[str, Any]]:
    """Why this combination of roles may not be held (empty when it may)."""
    held = set(roles)
    problems: list[dict[str, Any]] = []

    def bad(field_name: str, message: str, kind: str = "invalid") -> None:
        problems.append({"field": field_name, "type": kind, "message": message})

    unknown = held - set(ROLES)
    if unknown:
        bad("roles", f"未知角色：{', '.join(sorted(unknown))}", "unknown")
    admin = held & ADMIN_ROLES
    business = held & set(BUSINESS_ROLES)
    if admin and business:
        bad("roles", "管理员职责不能与业务角色兼任（管理员不得办理业务）", "separation_of_duties")
    if AUDIT_ADMIN in held and len(held) > 1:
        bad("roles", "安全审计员不能兼任其他角色", "separation_of_duties")
    if not local_stage:
        if ADMIN in held:
            bad("roles", "部署环境须三员分立：请分别授予 system_admin、security_admin 或 audit_admin",
                "separation_of_duties")
        elif len(held & set(ADMIN_DUTIES)) > 1:
            bad("roles", "部署环境须三员分立：一人只能担任一种管理员职责", "separation_of_duties")
    if held & DEPT_ROLES and not dept_code:
        bad("dept_code", "handler/dept_head/dept_supervision 需要 dept_code", "missing")
    if region_code and not held & REGION_ROLES:
        bad("region_code", "只有 supervisor 和 legal 可以限定行政区划", "invalid")
    return problems


@dataclass(frozen=True)
class Principal:
    """Who a request acts as.

    ``kind``: ``anonymous``; ``bootstrap`` (the local stage's static admin token); ``user`` (a staff
    session or an external OIDC token); ``department`` (a department system's signed request).
    ``restriction`` is set while a user must first change the password (``password_change``) or
    enrol a second factor (``mfa_enrolment``): only the self-service routes answer then.
    """

    kind: Literal["anonymous", "bootstrap", "user", "department"]
    username: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    dept_code: str | None = None
    region_code: str | None = None
    session_id: str | None = None
    auth_method: str | None = None
    expires_at: int | None = None
    restriction: str | None = None

    @property
    def grants(self) -> frozenset[str]:
        return grants(self.roles)

    def holds(self, role: str) -> bool:
        return role in self.grants

    @property
    def is_department_scoped(self) -> bool:
        """True when this principal may only see its own department."""
        if self.kind == "department":
            return True
        return not (self.grants - DEPT_ROLES) and bool(self.grants)

    def may_see_dept(self, dept_code: str | None) -> bool:
        if not self.is_department_scoped:
            return True
        return dept_code is not None and dept_code == self.dept_code

    @property
    def actor_name(self) -> str:
        return self.username or (f"dept:{self.dept_code}" if self.dept_code else "anonymous")


ANONYMOUS = Principal(kind="anonymous")
BOOTSTRAP = Principal(kind="bootstrap", username="admin", roles=frozenset({ADMIN}), auth_method="bootstrap")
