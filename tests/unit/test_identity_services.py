"""Identity use cases on in-memory ports, with time as an input: sessions end within 60 s on
every instance, refresh tokens work once, lockout, the second factor, forced changes on deployed
stages, rotated keys valid only for their overlap."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.identity.domain import roles as R
from chalicelib.identity.domain import totp
from chalicelib.identity.domain.sessions import AccountLockedError
from chalicelib.identity.repositories import Users
from chalicelib.identity.services import departments, sessions, signin, users
from chalicelib.identity.services.audit import Auditor, entries
from chalicelib.identity.services.config import IdentityConfig
from chalicelib.kernel.errors import ForbiddenError, UnauthorizedError, ValidationError
from tests.support.memory import FakeSigningKeys, FakeVault, MemoryStores

T0 = 1_800_000_000.0
PASSWORD = "Xuzhou-Sunlit-2026"
LOCAL = IdentityConfig(stage="local", local_stage=True)
DEPLOYED = IdentityConfig(stage="sunlit-prod", local_stage=False)


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    sessions.forget()
    departments.forget()
    yield
    sessions.forget()
    departments.forget()


class World:
    def __init__(self, config: IdentityConfig = LOCAL):
        self.stores, self.vault, self.keys, self.config = MemoryStores(), FakeVault(), FakeSigningKeys(), config
        self.audit = Auditor(self.stores, "ip-hash-1", at=datetime.fromtimestamp(T0, UTC))

    def user(self, username: str, roles: list[str], dept: str | None = None, password: str = PASSWORD) -> None:
        if dept and departments.get_department(self.stores, dept) is None:
            departments.create_department(self.stores, self.vault, departments.DepartmentIn(
                code=dept, name=f"部门{dept}", region_code="320300", level="city"), now=T0)
        body = users.UserIn(username=username, roles=roles, dept_code=dept, password=password)  # type: ignore[arg-type]
        users.create_user(self.stores, self.keys, self.config, R.BOOTSTRAP, body, now=T0)

    def login(self, username: str, password: str = PASSWORD, now: float = T0, **more: Any) -> dict[str, Any]:
        return signin.login(self.stores, self.keys, self.vault, self.config,
                            signin.LoginIn(username=username, password=password, **more), now=now, audit=self.audit)

    def who(self, token: str, now: float = T0) -> R.Principal:
        return sessions.principal_from_token(self.stores, self.keys, self.config, token, now)

    def events(self) -> list[str]:
        month = "2027-01"  # T0 is 2027-01-15
        return [e["action"] for e in entries(self.stores, month)]


def test_a_deactivated_users_token_stops_within_60_seconds_on_every_instance() -> None:
    w = World()
    w.user("li.si", ["supervisor"])
    token = w.login("li.si")["access_token"]
    assert w.who(token).username == "li.si"
    # Given another instance deactivates the user (this instance's cache is not told)
    Users(w.stores).update("li.si", lambda b: b.update(active=False))
    # Then this instance may still accept the token for up to its 30 s cache, never 60 s
    assert w.who(token, T0 + 29).username == "li.si"
    assert w.who(token, T0 + 31).kind == "anonymous"


def test_deactivation_through_the_service_ends_the_session_at_once() -> None:
    w = World()
    w.user("li.si", ["supervisor"])
    token = w.login("li.si")["access_token"]
    users.deactivate(w.stores, R.BOOTSTRAP, "li.si", now=T0)
    assert w.who(token, T0 + 1).kind == "anonymous"
    with pytest.raises(ForbiddenError):
        w.login("li.si", now=T0 + 2)


def test_access_tokens_live_fifteen_minutes_and_carry_no_roles() -> None:
    w = World()
    w.user("wang.wu", ["handler"], "015")
    pair = w.login("wang.wu")
    assert pair["expires_in"] == 900
    from chalicelib.identity.domain.signing import unverified_parts

    parts = unverified_parts(pair["access_token"])
    assert parts is not None and "roles" not in parts[1] and parts[1]["exp"] - parts[1]["iat"] == 900
    assert w.who(pair["access_token"], T0 + 899).roles == {"handler"}
    assert w.who(pair["access_token"], T0 + 900).kind == "anonymous"


def test_a_role_change_is_seen_on_the_next_check_and_ends_the_sessions() -> None:
    w = World()
    w.user("zhao.liu", ["handler"], "015")
    token = w.login("zhao.liu")["access_token"]
    # Another instance changes the record: after the cache, the roles come from the record
    Users(w.stores).update("zhao.liu", lambda b: b.update(roles=["dept_head"]))
    assert w.who(token, T0 + 31).roles == {"dept_head"}
    # The security administrator's change ends the session at once
    users.set_roles(w.stores, w.config, R.BOOTSTRAP, "zhao.liu",
                    users.RolesIn(roles=["handler"], dept_code="015"), now=T0 + 40)  # type: ignore[list-item]
    assert w.who(token, T0 + 41).kind == "anonymous"


def test_a_refresh_token_works_once_and_a_replayed_one_ends_the_session() -> None:
    w = World()
    w.user("qian.qi", ["legal"])
    first = w.login("qian.qi")
    second = sessions.refresh(w.stores, w.keys, w.config, first["refresh_token"], now=T0 + 600, audit=w.audit)
    assert second["refresh_token"] != first["refresh_token"] and w.who(second["access_token"], T0 + 601).username
    # When the used refresh token comes back, it is refused and the whole session ends
    with pytest.raises(UnauthorizedError) as reused:
        sessions.refresh(w.stores, w.keys, w.config, first["refresh_token"], now=T0 + 700, audit=w.audit)
    assert reused.value.code == "REFRESH_TOKEN_REUSED"
    assert w.who(second["access_token"], T0 + 701).kind == "anonymous"
    with pytest.raises(UnauthorizedError):
        sessions.refresh(w.stores, w.keys, w.config, second["refresh_token"], now=T0 + 702, audit=w.audit)
    assert "auth.refresh_reuse" in w.events()


def test_a_session_ends_after_thirty_idle_minutes() -> None:
    w = World()
    w.user("qian.qi", ["legal"])
    first = w.login("qian.qi")
    with pytest.raises(UnauthorizedError) as idle:
        sessions.refresh(w.stores, w.keys, w.config, first["refresh_token"], now=T0 + 1801, audit=w.audit)
    assert idle.value.code == "SESSION_EXPIRED"


def test_unknown_user_and_wrong_password_look_alike_and_five_failures_lock() -> None:
    w = World()
    w.user("sun.ba", ["handler"], "015")
    for name in ("sun.ba", "no.such.user"):
        answers = []
        for i in range(5):
            with pytest.raises((UnauthorizedError, AccountLockedError)) as err:
                w.login(name, "Wrong-Password-1", now=T0 + i)
            answers.append((err.value.status, err.value.code, err.value.message if err.value.status == 401 else ""))
        # The same four 401s, then the lock (423, Chinese message), for the real and the unknown user
        assert answers[:4] == [(401, "INVALID_CREDENTIALS", "用户名或口令错误")] * 4, name
        assert answers[4][:2] == (423, "ACCOUNT_LOCKED"), name
    # While locked, even the right password is refused; after 15 minutes it works again
    with pytest.raises(AccountLockedError) as locked:
        w.login("sun.ba", now=T0 + 60)
    assert "锁定" in locked.value.message
    assert w.login("sun.ba", now=T0 + 15 * 60 + 5)["username"] == "sun.ba"
    assert {"auth.login_failed", "auth.lockout", "auth.login_locked", "auth.login"} <= set(w.events())


def test_the_security_administrator_unlocks_an_account() -> None:
    w = World()
    w.user("sun.ba", ["handler"], "015")
    for i in range(5):
        with pytest.raises((UnauthorizedError, AccountLockedError)):
            w.login("sun.ba", "Wrong-Password-1", now=T0 + i)
    users.unlock(w.stores, R.BOOTSTRAP, "sun.ba", now=T0 + 10)
    assert w.login("sun.ba", now=T0 + 11)["username"] == "sun.ba"


def _enrol(w: World, username: str, now: float = T0) -> tuple[str, list[str]]:
    token = w.login(username, now=now)["access_token"]
    principal = w.who(token, now)
    started = signin.begin_totp(w.stores, w.vault, principal, now=now, audit=w.audit)
    done = signin.confirm_totp(w.stores, w.keys, w.vault, w.config, principal,
                               signin.OtpIn(otp=totp.code_at(started["secret"], now)), now=now, audit=w.audit)
    return started["secret"], done["recovery_codes"]


def test_a_supervisor_with_totp_cannot_sign_in_without_the_code() -> None:
    w = World()
    w.user("zhou.jiu", ["supervisor"])
    secret, codes = _enrol(w, "zhou.jiu")
    later = T0 + 300
    with pytest.raises(UnauthorizedError) as missing:
        w.login("zhou.jiu", now=later)
    assert missing.value.code == "OTP_REQUIRED"
    with pytest.raises(UnauthorizedError) as wrong:
        w.login("zhou.jiu", now=later, otp="000000" if totp.code_at(secret, later) != "000000" else "111111")
    assert wrong.value.code == "OTP_INVALID"
    code = totp.code_at(secret, later)
    assert w.login("zhou.jiu", now=later, otp=code)["mfa_enrolled"] is True
    # The same code does not work twice (replay)
    with pytest.raises(UnauthorizedError):
        w.login("zhou.jiu", now=later + 1, otp=code)
    # A recovery code works once instead of the code
    assert w.login("zhou.jiu", now=later + 2, recovery_code=codes[0])["username"] == "zhou.jiu"
    with pytest.raises(UnauthorizedError):
        w.login("zhou.jiu", now=later + 3, recovery_code=codes[0])
    assert "mfa.enrolled" in w.events()


def test_the_totp_seed_is_stored_encrypted() -> None:
    w = World()
    w.user("zhou.jiu", ["supervisor"])
    secret, _ = _enrol(w, "zhou.jiu")
    stored = Users(w.stores).get("zhou.jiu")
    assert stored is not None and secret not in repr(stored.body)


def test_deployed_stages_force_a_password_change_then_mfa_enrolment() -> None:
    w = World(DEPLOYED)
    w.user("wu.shi", ["legal"])
    pair = w.login("wu.shi")
    assert pair["must_change_password"] is True and w.who(pair["access_token"]).restriction == "password_change"
    principal = w.who(pair["access_token"])
    # The new password must follow the policy, and not be the initial one
    with pytest.raises(ValidationError):
        signin.change_password(w.stores, w.keys, w.config, principal,
                               signin.PasswordChangeIn(current_password=PASSWORD, new_password=PASSWORD), now=T0,
                               audit=w.audit)
    changed = signin.change_password(w.stores, w.keys, w.config, principal, signin.PasswordChangeIn(
        current_password=PASSWORD, new_password="Another-Good-Pass-9"), now=T0, audit=w.audit)
    assert w.who(pair["access_token"], T0 + 1).kind == "anonymous"  # the old session ended
    assert w.who(changed["access_token"], T0 + 1).restriction == "mfa_enrolment"


def test_local_stage_accounts_need_no_change_and_the_bootstrap_token_is_local_only() -> None:
    w = World()
    w.user("wu.shi", ["legal"])
    assert w.login("wu.shi")["restriction"] is None
    local = IdentityConfig(stage="local", local_stage=True, admin_token="boot")
    deployed = IdentityConfig(stage="sunlit-prod", local_stage=False, admin_token="boot")
    assert sessions.principal_from_token(w.stores, w.keys, local, "boot", T0).kind == "bootstrap"
    assert sessions.principal_from_token(w.stores, w.keys, deployed, "boot", T0).kind == "anonymous"


def test_tokens_of_the_previous_signing_key_validate_until_a_second_rotation() -> None:
    w = World()
    w.user("zheng.yi", ["supervisor"])
    before = w.login("zheng.yi")["access_token"]
    sessions.rotate_signing_key(w.keys, T0)
    after = w.login("zheng.yi", now=T0 + 1)["access_token"]
    assert w.who(before, T0 + 2).username == "zheng.yi" and w.who(after, T0 + 2).username == "zheng.yi"
    sessions.rotate_signing_key(w.keys, T0 + 3)
    assert w.who(before, T0 + 4).kind == "anonymous" and w.who(after, T0 + 4).username == "zheng.yi"


def _signed(w: World, key_id: str, secret: str, now: float) -> R.Principal:
    from chalicelib.identity.domain.signing import sign_request

    ts = str(int(now))
    return departments.verify_department_request(
        w.stores, w.vault, key_id=key_id, timestamp=ts, signature=sign_request(secret, ts, "POST", "/exchange/events", b"{}"),
        method="POST", path="/exchange/events", body=b"{}", now=now)


def test_a_rotated_department_key_keeps_the_old_one_valid_only_for_the_overlap() -> None:
    w = World()
    old = departments.create_department(w.stores, w.vault, departments.DepartmentIn(
        code="015", name="徐州市生态环境局", region_code="320300", level="city"), now=T0)
    assert "secret" not in repr(departments.DepartmentKeys(w.stores).get(old["key_id"]).body)  # type: ignore[union-attr]
    new = departments.rotate_key(w.stores, w.vault, "015", departments.RotateKeyIn(overlap_minutes=60), now=T0)
    departments.forget()
    assert _signed(w, old["key_id"], old["secret"], T0 + 59 * 60).dept_code == "015"
    assert _signed(w, new["key_id"], new["secret"], T0 + 59 * 60).dept_code == "015"
    with pytest.raises(UnauthorizedError):
        _signed(w, old["key_id"], old["secret"], T0 + 61 * 60)
    assert _signed(w, new["key_id"], new["secret"], T0 + 61 * 60).dept_code == "015"
    statuses = {k["key_id"]: k["status"] for k in departments.list_keys(w.stores, "015", now=T0 + 61 * 60)["items"]}
    assert statuses == {old["key_id"]: "expired", new["key_id"]: "active"}


def test_a_third_key_ends_the_oldest_at_once_and_a_disabled_key_stops() -> None:
    w = World()
    first = departments.create_department(w.stores, w.vault, departments.DepartmentIn(
        code="016", name="徐州市交通运输局", region_code="320300", level="city"), now=T0)
    second = departments.rotate_key(w.stores, w.vault, "016", departments.RotateKeyIn(), now=T0 + 10)
    third = departments.rotate_key(w.stores, w.vault, "016", departments.RotateKeyIn(), now=T0 + 20)
    with pytest.raises(UnauthorizedError):
        _signed(w, first["key_id"], first["secret"], T0 + 30)
    assert _signed(w, second["key_id"], second["secret"], T0 + 30).dept_code == "016"
    departments.disable_key(w.stores, "016", second["key_id"], now=T0 + 40)
    with pytest.raises(UnauthorizedError):
        _signed(w, second["key_id"], second["secret"], T0 + 41)
    assert _signed(w, third["key_id"], third["secret"], T0 + 41).dept_code == "016"


def test_admin_duties_are_granted_by_the_security_administrator_only() -> None:
    w = World(DEPLOYED)
    system = R.Principal(kind="user", username="sys", roles=frozenset({"system_admin"}))
    security = R.Principal(kind="user", username="sec", roles=frozenset({"security_admin"}))
    with pytest.raises(ForbiddenError):
        users.create_user(w.stores, w.keys, w.config, system,
                          users.UserIn(username="newsec", roles=["security_admin"]), now=T0)  # type: ignore[list-item]
    made = users.create_user(w.stores, w.keys, w.config, system, users.UserIn(username="newsec"), now=T0)
    assert "token" not in made and made["initial_password"] and made["must_change_password"] is True
    users.set_roles(w.stores, w.config, security, "newsec", users.RolesIn(roles=["security_admin"]),  # type: ignore[list-item]
                    now=T0)
    with pytest.raises(ForbiddenError):  # nobody changes their own roles
        users.set_roles(w.stores, w.config, security, "sec", users.RolesIn(roles=["system_admin"]),  # type: ignore[list-item]
                        now=T0)
