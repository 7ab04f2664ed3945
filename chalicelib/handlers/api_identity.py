"""Identity routes (身份与权限): sign-in and sessions (docs/CONTRACT.md §8), the user's own account
(password, second factor), user and department administration under the separated duties
(三员分立: system, security, audit administrators), the signing key and the audit trail."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.kernel.errors import ValidationError

from .. import wiring
from ..identity.domain.roles import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN
from .http import Ctx, route

if TYPE_CHECKING:
    from ..identity.services import audit, departments, sessions, signin, users

# Models are named, not imported: the identity services load with the first request that needs
# them, so a cold start pays nothing for them (bench/cold_start.py).
SIGNIN = "chalicelib.identity.services.signin"
SESSIONS = "chalicelib.identity.services.sessions"
USERS = "chalicelib.identity.services.users"
DEPTS = "chalicelib.identity.services.departments"
AUDIT = "chalicelib.identity.services.audit"

bp = Blueprint(__name__)
SYSTEM = (SYSTEM_ADMIN,)
SECURITY = (SECURITY_ADMIN,)
USER_ADMINS = (SYSTEM_ADMIN, SECURITY_ADMIN)


def _now() -> float:
    return time.time()


# ----- sign-in and sessions (docs/CONTRACT.md §8) ------------------------------------------------------------

@route(bp, "/auth/login", "POST", auth="public", body=f"{SIGNIN}:LoginIn", audit="off", tag="auth",
       summary="Sign in with username and password (and the TOTP code once enrolled): a token pair")
def login(ctx: Ctx, body: signin.LoginIn) -> dict[str, Any]:
    from chalicelib.public import services as public

    from ..identity.services import signin

    deps = wiring.deps()
    public.throttle(deps, "login", ctx.source_ip)
    return signin.login(deps.stores, wiring.signing_keys(), wiring.key_vault(), wiring.identity_config(), body,
                        now=_now(), audit=ctx.auditor)


@route(bp, "/auth/refresh", "POST", auth="public", body=f"{SESSIONS}:RefreshIn", audit="off", tag="auth",
       summary="A new token pair for a refresh token (each refresh token works once)")
def refresh(ctx: Ctx, body: sessions.RefreshIn) -> dict[str, Any]:
    from ..identity.services import sessions

    return sessions.refresh(wiring.stores(), wiring.signing_keys(), wiring.identity_config(), body.refresh_token,
                            now=_now(), audit=ctx.auditor)


@route(bp, "/auth/logout", "POST", body=f"{SESSIONS}:LogoutIn", optional_body=True, self_service=True, status=204,
       tag="auth", summary="End this session (or, with {\"everywhere\": true}, every session of this user)")
def logout(ctx: Ctx, body: sessions.LogoutIn | None) -> Response:
    from ..identity.services import sessions

    sessions.logout(wiring.stores(), ctx.principal, body, _now())
    return Response(body="", status_code=204, headers={"Cache-Control": "no-store"})


@route(bp, "/auth/me", self_service=True, tag="auth",
       summary="Who am I: roles, duties, department/region, what must be done first, MFA state, expiry")
def me(ctx: Ctx) -> dict[str, Any]:
    from ..identity.services import signin

    return signin.whoami(wiring.stores(), wiring.identity_config(), ctx.principal, now=_now())


@route(bp, "/auth/password", "POST", body=f"{SIGNIN}:PasswordChangeIn", self_service=True, audit="off", tag="auth",
       summary="Change one's own password (policy applies); other sessions end, a new token pair is returned")
def change_password(ctx: Ctx, body: signin.PasswordChangeIn) -> dict[str, Any]:
    from ..identity.services import signin

    return signin.change_password(wiring.stores(), wiring.signing_keys(), wiring.identity_config(), ctx.principal,
                                  body, now=_now(), audit=ctx.auditor)


@route(bp, "/auth/mfa/totp", "POST", body=f"{SIGNIN}:MfaStartIn", optional_body=True, self_service=True, audit="off", tag="auth",
       summary="Start TOTP enrolment: the secret, its otpauth:// URI and a QR code as SVG")
def begin_totp(ctx: Ctx, body: signin.MfaStartIn | None) -> dict[str, Any]:
    from ..identity.services import signin

    return signin.begin_totp(wiring.stores(), wiring.key_vault(), ctx.principal, now=_now(), audit=ctx.auditor)


@route(bp, "/auth/mfa/totp/confirm", "POST", body=f"{SIGNIN}:OtpIn", self_service=True, audit="off", tag="auth",
       summary="Finish TOTP enrolment with a code: recovery codes (shown once) and a new token pair")
def confirm_totp(ctx: Ctx, body: signin.OtpIn) -> dict[str, Any]:
    from ..identity.services import signin

    return signin.confirm_totp(wiring.stores(), wiring.signing_keys(), wiring.key_vault(), wiring.identity_config(),
                               ctx.principal, body, now=_now(), audit=ctx.auditor)


@route(bp, "/auth/mfa/recovery-codes", "POST", body=f"{SIGNIN}:OtpIn", self_service=True, audit="off", tag="auth",
       summary="New recovery codes (the old ones stop working), confirmed with a TOTP code")
def recovery_codes(ctx: Ctx, body: signin.OtpIn) -> dict[str, Any]:
    from ..identity.services import signin

    return signin.regenerate_recovery_codes(wiring.stores(), wiring.key_vault(), ctx.principal, body, now=_now(),
                                            audit=ctx.auditor)


# ----- users (system administrator: existence; security administrator: roles and credentials) ---------

@route(bp, "/admin/users", roles=USER_ADMINS, query=f"{USERS}:UserQuery", tag="identity",
       summary="Staff users (filter by dept_code, role, q)")
def list_users(ctx: Ctx, query: users.UserQuery) -> dict[str, Any]:
    from ..identity.services import users

    return users.list_users(wiring.stores(), query, _now())


@route(bp, "/admin/users", "POST", roles=SYSTEM, body=f"{USERS}:UserIn", status=201, tag="identity",
       summary="Create a staff user; the initial password is returned once when generated; a token on the local stage only")
def create_user(ctx: Ctx, body: users.UserIn) -> dict[str, Any]:
    from ..identity.services import users

    return users.create_user(wiring.stores(), wiring.signing_keys(), wiring.identity_config(), ctx.principal, body,
                             now=_now())


@route(bp, "/admin/users/{username}", roles=USER_ADMINS, tag="identity",
       summary="One user with its live sessions")
def get_user(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.get_user(wiring.stores(), username, _now())


@route(bp, "/admin/users/{username}/roles", "PUT", roles=SECURITY, body=f"{USERS}:RolesIn", tag="identity",
       summary="Set a user's roles, department and region (security administrator); the user's sessions end")
def set_roles(ctx: Ctx, username: str, body: users.RolesIn) -> dict[str, Any]:
    from ..identity.services import users

    return users.set_roles(wiring.stores(), wiring.identity_config(), ctx.principal, username, body, now=_now())


@route(bp, "/admin/users/{username}/deactivate", "POST", roles=USER_ADMINS, tag="identity",
       summary="Deactivate a user: every token of that user stops working within 60 s")
def deactivate(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.deactivate(wiring.stores(), ctx.principal, username, now=_now())


@route(bp, "/admin/users/{username}/activate", "POST", roles=SYSTEM, tag="identity",
       summary="Reactivate a deactivated user")
def activate(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.activate(wiring.stores(), ctx.principal, username, now=_now())


@route(bp, "/admin/users/{username}/unlock", "POST", roles=SECURITY, tag="identity",
       summary="Unlock an account locked after failed sign-ins")
def unlock(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.unlock(wiring.stores(), ctx.principal, username, now=_now())


@route(bp, "/admin/users/{username}/mfa/reset", "POST", roles=SECURITY, tag="identity",
       summary="Remove a user's second factor and recovery codes (the user enrols again); sessions end")
def reset_mfa(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.reset_mfa(wiring.stores(), ctx.principal, username, now=_now())


@route(bp, "/admin/users/{username}/password/reset", "POST", roles=SECURITY, body=f"{USERS}:PasswordResetIn",
       optional_body=True, tag="identity",
       summary="A temporary password (returned once when generated) to change at next sign-in; sessions end")
def reset_password(ctx: Ctx, username: str, body: users.PasswordResetIn | None) -> dict[str, Any]:
    from ..identity.services import users

    return users.reset_password(wiring.stores(), ctx.principal, username, body, now=_now())


@route(bp, "/admin/users/{username}/sessions/revoke", "POST", roles=SECURITY, tag="identity",
       summary="End every session of a user without deactivating the account")
def revoke_sessions(ctx: Ctx, username: str) -> dict[str, Any]:
    from ..identity.services import users

    return users.end_sessions(wiring.stores(), ctx.principal, username, now=_now())


# ----- departments and their keys -------------------------------------------------------------------

@route(bp, "/admin/departments", "POST", roles=SYSTEM, body=f"{DEPTS}:DepartmentIn", status=201, tag="identity",
       summary="Register a department and issue its system's signing credentials (the secret is shown once)")
def create_department(ctx: Ctx, body: departments.DepartmentIn) -> dict[str, Any]:
    from ..identity.services import departments

    return departments.create_department(wiring.stores(), wiring.key_vault(), body, now=_now())


@route(bp, "/departments", auth="public", cache=True, summary="Departments (public directory)", tag="identity")
def list_departments(ctx: Ctx) -> dict[str, Any]:
    from ..identity.services import departments

    return {"items": departments.list_departments(wiring.stores()), "next": None}


@route(bp, "/admin/departments/{code}/keys", roles=USER_ADMINS, tag="identity",
       summary="A department's system keys and their status (never the secrets)")
def list_keys(ctx: Ctx, code: str) -> dict[str, Any]:
    from ..identity.services import departments

    return departments.list_keys(wiring.stores(), code, now=_now())


@route(bp, "/admin/departments/{code}/keys/rotate", "POST", roles=SECURITY, body=f"{DEPTS}:RotateKeyIn",
       optional_body=True, status=201, tag="identity",
       summary="A new key for the department (secret shown once); the previous key stays valid for the overlap")
def rotate_key(ctx: Ctx, code: str, body: departments.RotateKeyIn | None) -> dict[str, Any]:
    from ..identity.services import departments

    return departments.rotate_key(wiring.stores(), wiring.key_vault(), code, body or departments.RotateKeyIn(),
                                  now=_now())


@route(bp, "/admin/departments/{code}/keys/{key_id}/disable", "POST", roles=SECURITY, tag="identity",
       summary="Disable a department key at once")
def disable_key(ctx: Ctx, code: str, key_id: str) -> dict[str, Any]:
    from ..identity.services import departments

    return departments.disable_key(wiring.stores(), code, key_id, now=_now())


# ----- the token signing key ---------------------------------------------------------------------------

@route(bp, "/admin/keys/signing", roles=SECURITY, tag="identity",
       summary="The current token signing key's id")
def signing_key(ctx: Ctx) -> dict[str, Any]:
    from ..identity.services import sessions

    return sessions.signing_key_status(wiring.signing_keys())


@route(bp, "/admin/keys/signing/rotate", "POST", roles=SECURITY, body=f"{SESSIONS}:RotateSigningIn", audit="off", tag="identity",
       summary="Rotate the token signing key without a deploy (tokens of the previous key expire by themselves)")
def rotate_signing_key(ctx: Ctx, body: sessions.RotateSigningIn) -> dict[str, Any]:
    from ..identity.services import sessions

    try:
        result = sessions.rotate_signing_key(wiring.signing_keys(), _now())
    except RuntimeError as exc:
        raise ValidationError("签名密钥不可轮换", [{"field": "key", "type": "static", "message": str(exc)}]) from None
    ctx.auditor(ctx.principal, "key.signing_rotated", {"kid": result["kid"]}, 200, {"reason": body.reason})
    return result


# ----- the audit trail (audit administrator) -------------------------------------------------------------

@route(bp, "/admin/audit", roles=(AUDIT_ADMIN,), query=f"{AUDIT}:AuditQuery", tag="audit",
       summary="The audit trail of a month, newest first: who did what, when, from where (hash-chained)")
def audit_entries(ctx: Ctx, query: audit.AuditQuery) -> dict[str, Any]:
    from ..identity.services import audit

    return audit.page(wiring.stores(), query.month, limit=query.limit, cursor=query.cursor, actor=query.actor,
                      action=query.action)


@route(bp, "/admin/audit/verify", roles=(AUDIT_ADMIN,), query=f"{AUDIT}:AuditQuery", tag="audit",
       summary="Recompute a month's audit chain and name the first broken link")
def audit_verify(ctx: Ctx, query: audit.AuditQuery) -> dict[str, Any]:
    from ..identity.services import audit

    return audit.verify(wiring.stores(), query.month)
