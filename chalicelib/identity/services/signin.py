"""Sign-in (登录), password change, second-factor enrolment and recovery codes, "who am I".

Unknown user and wrong password answer alike (401 ``INVALID_CREDENTIALS``) and take the same
time (a dummy hash is checked for unknown users). Five failures in a row lock the account for
15 minutes (423 ``ACCOUNT_LOCKED``, message in Chinese); unknown usernames lock alike, counted
in a 15-minute window, so the lock tells nothing about which accounts exist.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.kernel.errors import ConflictError, ForbiddenError, UnauthorizedError, ValidationError
from chalicelib.kernel.ports import Stores

from ..domain import passwords, totp
from ..domain import roles as R
from ..domain import sessions as S
from ..ports import KeyVault, SigningKeys
from ..repositories import Users
from . import sessions as sessions_service
from .audit import Auditor

if TYPE_CHECKING:
    from .config import IdentityConfig

TOTP_ISSUER = "阳光政务 Sunlit"
PENDING_TOTP_SECONDS = 15 * 60
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@")


class LoginIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=256)
    otp: str | None = Field(default=None, max_length=16, description="TOTP code (RFC 6238) once enrolled")
    recovery_code: str | None = Field(default=None, max_length=40, description="A one-time recovery code instead of otp")


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class MfaStartIn(BaseModel):
    """``POST /auth/mfa/totp`` takes no fields (an empty object or no body)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")


class OtpIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    otp: str = Field(min_length=6, max_length=16)


def _invalid() -> UnauthorizedError:
    return UnauthorizedError("用户名或口令错误", code="INVALID_CREDENTIALS")


def _window(now: float) -> str:
    return str(int(now // S.LOCKOUT_SECONDS))


def _name_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:24]


def _totp_context(username: str) -> dict[str, str]:
    return {"purpose": "totp", "username": username}


def login(stores: Stores, keys: SigningKeys, vault: KeyVault, config: IdentityConfig, body: LoginIn, *,
          now: float, audit: Auditor) -> dict[str, Any]:
    username = body.username.strip()
    users = Users(stores)
    found = users.get(username) if username and set(username) <= USERNAME_CHARS else None
    if found is None:
        passwords.verify_password(None, body.password)  # the same work as for a real account
        failures = stores.counters().hit(f"LOGINFAIL#{_name_key(username)}", _window(now))
        target = {"username_sha256": _name_key(username)}
        if failures >= S.LOCKOUT_THRESHOLD:
            until = (int(now // S.LOCKOUT_SECONDS) + 1) * S.LOCKOUT_SECONDS
            audit(R.ANONYMOUS, "auth.login_locked", target, 423)
            raise S.AccountLockedError(S.lockout_message(until, now))
        audit(R.ANONYMOUS, "auth.login_failed", target, 401, {"reason": "credentials"})
        raise _invalid()
    user = found.body
    actor = R.Principal(kind="user", username=username, roles=frozenset(user.get("roles") or []),
                        dept_code=user.get("dept_code"))
    locked_until = user.get("locked_until")
    if locked_until and now < float(locked_until):
        passwords.verify_password(None, body.password)
        audit(actor, "auth.login_locked", {"username": username}, 423)
        raise S.AccountLockedError(S.lockout_message(float(locked_until), now))
    if not passwords.verify_password(user.get("password_hash"), body.password):
        _fail(stores, actor, username, "credentials", now, audit)
        raise _invalid()
    if not user.get("active", True):
        audit(actor, "auth.login_failed", {"username": username}, 403, {"reason": "deactivated"})
        raise ForbiddenError("账户已停用，请联系系统管理员", code="ACCOUNT_DISABLED")
    method = "password"
    mfa = user.get("mfa") or {}
    step: int | None = None
    used_code: str | None = None
    if mfa.get("enrolled"):
        if body.recovery_code:
            used_code = totp.hash_recovery_code(body.recovery_code)
            if used_code not in (user.get("recovery_codes") or []):
                _fail(stores, actor, username, "recovery_code", now, audit)
                raise UnauthorizedError("恢复码无效或已使用", code="OTP_INVALID")
            method = "password+recovery_code"
        elif body.otp:
            secret = vault.decrypt(mfa["secret"], _totp_context(username)).decode("ascii")
            step = totp.verify(secret, body.otp, now, mfa.get("last_step"))
            if step is None:
                _fail(stores, actor, username, "otp", now, audit)
                raise UnauthorizedError("动态验证码错误或已使用", code="OTP_INVALID")
            method = "password+totp"
        else:
            raise UnauthorizedError("请输入动态验证码（身份验证器 App 中的 6 位数字）", code="OTP_REQUIRED",
                                    details=[{"field": "otp", "type": "missing", "message": "需要动态验证码"}])
    rehash = passwords.needs_rehash(str(user.get("password_hash")))

    new_hash = passwords.hash_password(body.password) if rehash else None

    def succeed(b: dict[str, Any]) -> bool:
        # Re-checked on the record being written: a code or recovery code used by a concurrent
        # sign-in in the meantime does not work twice.
        if step is not None and int((b.get("mfa") or {}).get("last_step") or -1) >= step:
            return False
        if used_code is not None and used_code not in (b.get("recovery_codes") or []):
            return False
        b.update(failed_logins=0, locked_until=None, last_login_at=now)
        if step is not None:
            b["mfa"] = {**(b.get("mfa") or {}), "last_step": step}
        if used_code is not None:
            b["recovery_codes"] = [c for c in b.get("recovery_codes") or [] if c != used_code]
        if new_hash:
            b["password_hash"] = new_hash
        return True

    got = users.update(username, succeed)
    assert got is not None
    if not got[1]:
        raise UnauthorizedError("动态验证码错误或已使用", code="OTP_INVALID")
    user = got[0].body
    pair = sessions_service.issue(stores, keys, config, user, now=now, ip_hash=audit.ip_hash)
    audit(actor, "auth.login", {"username": username}, 200, {"method": method})
    return {**pair, **sessions_service.sign_in_view(config, user)}


def _fail(stores: Stores, actor: R.Principal, username: str, reason: str, now: float, audit: Auditor) -> None:
    def count(b: dict[str, Any]) -> float | None:
        failures, locked_until = S.after_failure(int(b.get("failed_logins") or 0), now)
        b["failed_logins"] = failures
        if locked_until:
            b.update(locked_until=locked_until, failed_logins=0)
        return locked_until

    got = Users(stores).update(username, count)
    locked_until = got[1] if got else None
    if locked_until:
        audit(actor, "auth.lockout", {"username": username}, 423, {"reason": reason})
        raise S.AccountLockedError(S.lockout_message(locked_until, now))
    audit(actor, "auth.login_failed", {"username": username}, 401, {"reason": reason})


def _self(stores: Stores, principal: R.Principal) -> dict[str, Any]:
    if principal.kind != "user" or not principal.username:
        raise ForbiddenError("引导令牌不是用户账户，不能执行此操作", code="NOT_A_USER")
    if principal.auth_method == "oidc":
        raise ForbiddenError("统一身份认证登录的用户请在身份认证平台管理口令和动态验证码", code="EXTERNAL_IDENTITY")
    found = Users(stores).get(principal.username)
    if found is None:
        raise UnauthorizedError("用户不存在")
    return found.body


def change_password(stores: Stores, keys: SigningKeys, config: IdentityConfig, principal: R.Principal,
                    body: PasswordChangeIn, *, now: float, audit: Auditor) -> dict[str, Any]:
    """Change one's own password; every other session ends and a fresh token pair is returned."""
    user = _self(stores, principal)
    username = str(user["username"])
    if not passwords.verify_password(user.get("password_hash"), body.current_password):
        _fail(stores, principal, username, "password_change", now, audit)
        raise ValidationError("当前口令不正确", [{"field": "current_password", "type": "invalid",
                                                  "message": "当前口令不正确"}])
    history = [user.get("password_hash"), *(user.get("password_history") or [])]
    problems = passwords.policy_problems(body.new_password, username, [h for h in history if h])
    if problems:
        for p in problems:
            p["field"] = "new_password"
        raise ValidationError("新口令不符合口令策略", problems)
    new_hash = passwords.hash_password(body.new_password)

    def change(b: dict[str, Any]) -> None:
        old = [h for h in [b.get("password_hash"), *(b.get("password_history") or [])] if h]
        b.update(password_hash=new_hash, password_history=old[:passwords.HISTORY - 1], must_change_password=False,
                 password_changed_at=now, failed_logins=0)

    got = Users(stores).update(username, change)
    assert got is not None
    sessions_service.end_user_sessions(stores, username, "password_changed", now)
    audit(principal, "auth.password_changed", {"username": username}, 200)
    pair = sessions_service.issue(stores, keys, config, got[0].body, now=now, ip_hash=audit.ip_hash)
    return {**pair, **sessions_service.sign_in_view(config, got[0].body)}


def begin_totp(stores: Stores, vault: KeyVault, principal: R.Principal, *, now: float,
               audit: Auditor) -> dict[str, Any]:
    """Start enrolling an authenticator app: a new secret, its otpauth URI and a QR code (SVG)."""
    user = _self(stores, principal)
    username = str(user["username"])
    if (user.get("mfa") or {}).get("enrolled"):
        raise ConflictError("已启用动态验证码；如需更换设备，请联系安全管理员重置", code="MFA_ALREADY_ENROLLED")
    secret = totp.new_secret()
    envelope = vault.encrypt(secret.encode("ascii"), _totp_context(username))

    def pend(b: dict[str, Any]) -> None:
        b["mfa_pending"] = {"secret": envelope, "started_at": now}

    Users(stores).update(username, pend)
    uri = totp.provisioning_uri(secret, username, TOTP_ISSUER)
    audit(principal, "mfa.enrolment_started", {"username": username}, 200)
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": totp.qr_svg(uri), "issuer": TOTP_ISSUER,
            "account": username, "digits": totp.DIGITS, "period": totp.STEP_SECONDS,
            "expires_at": sessions_service.iso(now + PENDING_TOTP_SECONDS)}


def confirm_totp(stores: Stores, keys: SigningKeys, vault: KeyVault, config: IdentityConfig,
                 principal: R.Principal, body: OtpIn, *, now: float, audit: Auditor) -> dict[str, Any]:
    """Finish enrolment with a code from the app: returns the recovery codes (shown once) and a
    fresh token pair (other sessions end)."""
    user = _self(stores, principal)
    username = str(user["username"])
    pending = user.get("mfa_pending") or {}
    if (user.get("mfa") or {}).get("enrolled"):
        raise ConflictError("已启用动态验证码", code="MFA_ALREADY_ENROLLED")
    if not pending or now - float(pending["started_at"]) > PENDING_TOTP_SECONDS:
        raise ConflictError("请先开始绑定（POST /auth/mfa/totp），绑定须在 15 分钟内完成", code="MFA_NOT_STARTED")
    secret = vault.decrypt(pending["secret"], _totp_context(username)).decode("ascii")
    step = totp.verify(secret, body.otp, now)
    if step is None:
        audit(principal, "mfa.enrolment_failed", {"username": username}, 400)
        raise ValidationError("动态验证码不正确，请核对手机时间后重试", [{"field": "otp", "type": "invalid",
                                                                "message": "动态验证码不正确"}])
    codes = totp.new_recovery_codes()

    def enrol(b: dict[str, Any]) -> None:
        b["mfa"] = {"enrolled": True, "secret": pending["secret"], "enrolled_at": now, "last_step": step}
        b["mfa_pending"] = None
        b["recovery_codes"] = [totp.hash_recovery_code(c) for c in codes]

    got = Users(stores).update(username, enrol)
    assert got is not None
    sessions_service.end_user_sessions(stores, username, "mfa_enrolled", now)
    audit(principal, "mfa.enrolled", {"username": username}, 200)
    pair = sessions_service.issue(stores, keys, config, got[0].body, now=now, ip_hash=audit.ip_hash)
    return {"recovery_codes": codes, **pair, **sessions_service.sign_in_view(config, got[0].body)}


def regenerate_recovery_codes(stores: Stores, vault: KeyVault, principal: R.Principal, body: OtpIn, *,
                              now: float, audit: Auditor) -> dict[str, Any]:
    user = _self(stores, principal)
    username = str(user["username"])
    mfa = user.get("mfa") or {}
    if not mfa.get("enrolled"):
        raise ConflictError("尚未启用动态验证码", code="MFA_NOT_ENROLLED")
    secret = vault.decrypt(mfa["secret"], _totp_context(username)).decode("ascii")
    step = totp.verify(secret, body.otp, now, mfa.get("last_step"))
    if step is None:
        raise ValidationError("动态验证码错误或已使用", [{"field": "otp", "type": "invalid", "message": "动态验证码不正确"}])
    codes = totp.new_recovery_codes()

    def renew(b: dict[str, Any]) -> None:
        b["mfa"] = {**(b.get("mfa") or {}), "last_step": step}
        b["recovery_codes"] = [totp.hash_recovery_code(c) for c in codes]

    Users(stores).update(username, renew)
    audit(principal, "mfa.recovery_codes_renewed", {"username": username}, 200)
    return {"recovery_codes": codes}


def whoami(stores: Stores, config: IdentityConfig, principal: R.Principal, *, now: float) -> dict[str, Any]:
    """Who the bearer is: roles, duties, department/region, what must be done first, MFA state,
    when the token and the session expire."""
    base: dict[str, Any] = {"username": principal.username, "kind": principal.kind, "auth_method": principal.auth_method,
                            "roles": sorted(principal.roles), "duties": R.duties(principal.roles),
                            "role_names": [R.ROLE_NAMES.get(r, r) for r in sorted(principal.roles)],
                            "dept_code": principal.dept_code, "region_code": principal.region_code,
                            "restriction": principal.restriction,
                            "access_expires_at": sessions_service.iso(principal.expires_at) if principal.expires_at else None}
    if principal.kind != "user" or not principal.username:
        return {**base, "display_name": "本地引导管理员", "must_change_password": False,
                "mfa": {"enrolled": False, "required": False, "enrolment_required": False}, "session": None}
    found = Users(stores).get(principal.username)
    user = found.body if found else {}
    session: dict[str, Any] | None = None
    if principal.session_id:
        from ..repositories import Sessions

        s = Sessions(stores).get(principal.session_id)
        if s is not None:
            b = s.body
            session = {"kind": b.get("kind"), "created_at": sessions_service.iso(float(b["created_at"])),
                       "expires_at": sessions_service.iso(float(b["expires_at"])),
                       "idle_expires_at": (sessions_service.iso(float(b["refresh_expires_at"]))
                                           if b.get("refresh_expires_at") else None)}
    mfa = user.get("mfa") or {}
    return {**base, "display_name": user.get("display_name"),
            "must_change_password": bool(user.get("must_change_password")),
            "mfa": {"enrolled": bool(mfa.get("enrolled")), "required": sessions_service.mfa_required(user),
                    "enrolment_required": sessions_service.mfa_enrolment_required(config, user),
                    "recovery_codes_left": len(user.get("recovery_codes") or [])},
            "session": session, "last_login_at": sessions_service.iso(float(user["last_login_at"]))
            if user.get("last_login_at") else None}
