"""Staff identity over HTTP (docs/CONTRACT.md §2, §8; issue 14): sign-in, refresh, logout, deactivation,
the second factor, the separated administrator duties, keys, the audit trail, OIDC and the
first sign-in on a deployed stage.

Department codes 781–789 belong to this module.
"""
from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chalicelib.identity.domain import totp
from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

D = "781"
ITEM = f"320300{D}XK00100"
PASSWORD = "Xuzhou-Sunlit-2026"


def _month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def _user(api: Api, username: str, roles: list[str], dept: str | None = None, **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"username": username, "roles": roles, "password": PASSWORD, **more}
    if dept:
        body["dept_code"] = dept
    r = api.admin("POST", "/admin/users", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _login(api: Api, username: str, password: str = PASSWORD, **more: Any) -> Any:
    return api.post("/auth/login", {"username": username, "password": password, **more})


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    dept = api.department(D, "测试身份局781")
    _user(api, "idt-legal", ["legal"])
    _user(api, "idt-handler", ["handler"], D)
    _user(api, "idt-auditor", ["audit_admin"])
    _user(api, "idt-sysadmin", ["system_admin"])
    _user(api, "idt-secadmin", ["security_admin"])
    legal = _login(api, "idt-legal").json()["access_token"]
    api.declare_and_confirm(license_item(D, "001"), legal)
    r = api.post_events(dept, [event("IDT-0001", ITEM, "submitted", "2012-06-01T10:00:00+08:00",
                                     {"applicant": {"type": "person", "name": "张三", "id_no": "320302199001011234",
                                                    "phone": "13800000000"}}),
                               event("IDT-R13", f"320300{D}XK09900", "submitted", "2012-06-01T10:00:00+08:00")])
    assert r.status_code == 200, r.text
    assert local_stack.wait_idle(60)
    return {"dept": dept, "legal": legal}


def test_sign_in_answers_the_contract_and_the_token_works(api: Api, world: dict[str, Any]) -> None:
    # When a handler signs in with username and password
    r = _login(api, "idt-handler")
    # Then the contract's fields come back, with a short-lived access token that works
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"access_token", "token_type", "expires_in", "refresh_token", "username", "roles", "dept_code"} <= set(body)
    assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 900
    assert (body["username"], body["roles"], body["dept_code"]) == ("idt-handler", ["handler"], D)
    assert api.get("/staff/cases/IDT-0001", token=body["access_token"]).status_code == 200
    me = api.get("/auth/me", token=body["access_token"]).json()
    assert me["roles"] == ["handler"] and me["dept_code"] == D and me["session"]["expires_at"]


def test_unknown_user_and_wrong_password_get_the_same_401(api: Api, world: dict[str, Any]) -> None:
    wrong = _login(api, "idt-handler", "Not-The-Password-1")
    unknown = _login(api, "idt-nobody-at-all", "Not-The-Password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_repeated_failures_lock_the_account_with_a_chinese_message(api: Api, world: dict[str, Any]) -> None:
    _user(api, "idt-locked", ["handler"], D)
    answers = [_login(api, "idt-locked", "Not-The-Password-1").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 423]
    locked = _login(api, "idt-locked")  # even the right password, while locked
    assert locked.status_code == 423 and "锁定" in locked.json()["error"]["message"]
    # The security administrator unlocks it
    sec = _login(api, "idt-secadmin").json()["access_token"]
    assert api.post("/admin/users/idt-locked/unlock", {}, token=sec).status_code == 200
    assert _login(api, "idt-locked").status_code == 200


def test_a_refresh_token_works_once(api: Api, world: dict[str, Any]) -> None:
    first = _login(api, "idt-handler").json()
    again = api.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert again.status_code == 200 and again.json()["refresh_token"] != first["refresh_token"]
    replayed = api.post("/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401
    # The replay ended the session: the tokens of the refresh stop too
    assert api.get("/auth/me", token=again.json()["access_token"]).status_code == 401


def test_logout_ends_that_session_only(api: Api, world: dict[str, Any]) -> None:
    one = _login(api, "idt-handler").json()["access_token"]
    two = _login(api, "idt-handler").json()["access_token"]
    r = api.call("POST", "/auth/logout", token=one)
    assert r.status_code == 204
    assert api.get("/auth/me", token=one).status_code == 401
    assert api.get("/auth/me", token=two).status_code == 200


def test_deactivation_stops_every_token_of_the_user(api: Api, world: dict[str, Any]) -> None:
    issued = _user(api, "idt-leaving", ["handler"], D)["token"]
    signed_in = _login(api, "idt-leaving").json()["access_token"]
    assert api.get("/auth/me", token=issued).status_code == 200
    r = api.admin("POST", "/admin/users/idt-leaving/deactivate")
    assert r.status_code == 200, r.text
    assert api.get("/auth/me", token=issued).status_code == 401
    assert api.get("/auth/me", token=signed_in).status_code == 401
    assert _login(api, "idt-leaving").status_code == 403


def test_no_administrator_does_business(api: Api, world: dict[str, Any]) -> None:
    sysadmin = _login(api, "idt-sysadmin").json()["access_token"]
    secadmin = _login(api, "idt-secadmin").json()["access_token"]
    signal = api.get("/supervision/signals", token=sysadmin, case_no="IDT-R13").json()["items"][0]
    r = api.post("/catalog/items", license_item(D, "002"), token=sysadmin)  # declaring is allowed (§4)
    assert r.status_code == 201, r.text
    for token in (api.admin_token, sysadmin, secadmin):
        # confirm an item, close a signal, handle a case, read a case's personal data
        version = r.json()["version"]
        assert api.post(f"/catalog/items/320300{D}XK00200/versions/{version}/confirm", {"effective_from": "2012-01-01"},
                        token=token).status_code == 403
        assert api.post(f"/supervision/signals/{signal['signal_id']}/disposition",
                        {"decision": "accept", "reason": "关闭信号"}, token=token).status_code == 403
        assert api.post("/cases/IDT-0001/actions", {"action": "accept"}, token=token).status_code == 403
        assert api.get("/staff/cases/IDT-0001", token=token).status_code == 403


def _enrol(api: Api, token: str) -> tuple[str, dict[str, Any]]:
    started = api.post("/auth/mfa/totp", {}, token=token)
    assert started.status_code == 200, started.text
    s = started.json()
    assert s["otpauth_uri"].startswith("otpauth://totp/") and s["qr_svg"].lstrip().startswith("<svg")
    done = api.post("/auth/mfa/totp/confirm", {"otp": totp.code_at(s["secret"], time.time())}, token=token)
    assert done.status_code == 200, done.text
    return s["secret"], done.json()


def test_a_supervisor_with_totp_cannot_sign_in_without_the_code(api: Api, world: dict[str, Any]) -> None:
    _user(api, "idt-sup", ["supervisor"])
    secret, done = _enrol(api, _login(api, "idt-sup").json()["access_token"])
    assert len(done["recovery_codes"]) == 10
    missing = _login(api, "idt-sup")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "OTP_REQUIRED"
    # a code of the next step (the enrolment used this one)
    later = _login(api, "idt-sup", otp=totp.code_at(secret, time.time() + 30))
    assert later.status_code == 200, later.text
    assert _login(api, "idt-sup", recovery_code=done["recovery_codes"][0]).status_code == 200
    # The security administrator resets the lost phone: the code is no longer asked
    sec = _login(api, "idt-secadmin").json()["access_token"]
    assert api.post("/admin/users/idt-sup/mfa/reset", {}, token=sec).status_code == 200
    assert _login(api, "idt-sup").status_code == 200


def test_the_audit_administrator_reads_and_verifies_the_trail_and_nothing_else(api: Api, world: dict[str, Any]) -> None:
    handler = _login(api, "idt-handler").json()["access_token"]
    assert api.get("/staff/cases/IDT-0001", token=handler).status_code == 200
    _login(api, "idt-handler", "Not-The-Password-1")
    auditor = _login(api, "idt-auditor").json()["access_token"]
    verify = api.get("/admin/audit/verify", token=auditor, month=_month())
    assert verify.status_code == 200 and verify.json()["ok"] is True, verify.text
    trail = api.get("/admin/audit", token=auditor, month=_month(), limit="1000").json()["items"]
    actions = {(e["actor"], e["action"]) for e in trail}
    assert ("idt-handler", "auth.login") in actions and ("idt-handler", "auth.login_failed") in actions
    reads = [e for e in trail if e["action"] == "GET /staff/cases/{case_no}" and e["actor"] == "idt-handler"]
    assert reads and reads[0]["target"] == {"case_no": "IDT-0001"}
    # The source address is kept as a keyed hash, never as such
    assert all(e.get("ip_hash") for e in reads) and "127.0.0.1" not in json.dumps(trail)
    # And the audit administrator can do nothing else
    for method, path in (("GET", "/supervision/signals"), ("GET", "/staff/cases/IDT-0001"), ("GET", "/admin/users"),
                         ("POST", "/admin/departments")):
        assert api.call(method, path, {} if method == "POST" else None, token=auditor).status_code == 403, path


def test_a_rotated_department_key_overlaps_and_a_disabled_one_stops(api: Api, world: dict[str, Any]) -> None:
    dept: DeptCreds = api.department("782", "测试身份局782")
    sec = _login(api, "idt-secadmin").json()["access_token"]
    r = api.post("/admin/departments/782/keys/rotate", {"overlap_minutes": 60}, token=sec)
    assert r.status_code == 201, r.text
    new = DeptCreds(code="782", key_id=r.json()["key_id"], secret=r.json()["secret"])
    ev = event("IDT-K-1", "320300782XK09900", "submitted", "2012-06-01T10:00:00+08:00")
    assert api.post_events(dept, [ev]).status_code == 200  # the old key, within its overlap
    assert api.post_events(new, [ev]).status_code == 200
    keys = api.get("/admin/departments/782/keys", token=sec).json()["items"]
    assert {k["status"] for k in keys} == {"active", "expiring"} and all("secret" not in k for k in keys)
    assert api.post(f"/admin/departments/782/keys/{dept.key_id}/disable", {}, token=sec).status_code == 200
    assert api.post_events(dept, [ev]).status_code == 401
    assert api.post_events(new, [ev]).status_code == 200


def test_the_signing_key_rotates_without_a_deploy(api: Api, world: dict[str, Any]) -> None:
    before = _login(api, "idt-handler").json()["access_token"]
    sec = _login(api, "idt-secadmin").json()["access_token"]
    old_kid = api.get("/admin/keys/signing", token=sec).json()["kid"]
    r = api.post("/admin/keys/signing/rotate", {"reason": "年度轮换"}, token=sec)
    assert r.status_code == 200 and r.json()["kid"] != old_kid
    after = _login(api, "idt-handler").json()["access_token"]
    assert api.get("/auth/me", token=before).status_code == 200  # valid until it expires
    assert api.get("/auth/me", token=after).status_code == 200


def test_the_historical_import_can_be_switched_off_and_is_always_audited(
        api: Api, world: dict[str, Any]) -> None:
    from chalicelib.settings import reset_settings

    os.environ["SUNLIT_IMPORT_ENABLED"] = "0"
    reset_settings()
    try:
        legacy = {**event("IDT-IMP-1", ITEM, "submitted", "2012-06-01T10:00:00+08:00"),
                  "received_at": "2012-06-01T10:05:00+08:00"}
        r = api.admin("POST", "/admin/import/events", {"events": [legacy]})
    finally:
        os.environ.pop("SUNLIT_IMPORT_ENABLED", None)
        reset_settings()
    assert r.status_code == 403 and r.json()["error"]["code"] == "IMPORT_DISABLED"
    auditor = _login(api, "idt-auditor").json()["access_token"]
    trail = api.get("/admin/audit", token=auditor, month=_month(), action="POST /admin/import").json()["items"]
    assert any(e["status"] == 403 for e in trail)


# ----- a deployed stage ------------------------------------------------------------------------------

@pytest.fixture
def deployed(world: dict[str, Any]) -> Iterator[None]:
    """The in-process API behaves as a deployed stage for the duration of a test."""
    from chalicelib.settings import reset_settings

    before = os.environ.get("SUNLIT_STAGE")
    os.environ["SUNLIT_STAGE"] = "sunlit-itest"
    reset_settings()
    try:
        yield
    finally:
        os.environ["SUNLIT_STAGE"] = before or "local"
        reset_settings()


def test_a_deployed_stage_has_no_bootstrap_token_and_returns_no_user_token(api: Api, deployed: None) -> None:
    assert api.admin("GET", "/auth/me").status_code == 401
    from chalicelib import wiring
    from chalicelib.identity.domain.roles import Principal
    from chalicelib.identity.services import users

    sysadmin = Principal(kind="user", username="idt-sysadmin", roles=frozenset({"system_admin"}))
    made = users.create_user(wiring.stores(), wiring.signing_keys(), wiring.identity_config(), sysadmin,
                             users.UserIn(username="idt-deployed-legal", roles=["legal"]), now=time.time())  # type: ignore[list-item]
    assert "token" not in made and made["must_change_password"] is True
    # First sign-in: only the password change is open
    first = _login(api, "idt-deployed-legal", made["initial_password"]).json()
    assert first["must_change_password"] is True
    blocked = api.get("/legal/findings", token=first["access_token"])
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    weak = api.post("/auth/password", {"current_password": made["initial_password"], "new_password": "abc"},
                    token=first["access_token"])
    assert weak.status_code == 400 and {d["field"] for d in weak.json()["error"]["details"]} == {"new_password"}
    changed = api.post("/auth/password", {"current_password": made["initial_password"],
                                          "new_password": "Another-Good-Pass-9"}, token=first["access_token"])
    assert changed.status_code == 200, changed.text
    # Then the legal office must enrol a second factor before anything else
    token = changed.json()["access_token"]
    assert api.get("/legal/findings", token=token).json()["error"]["code"] == "MFA_ENROLMENT_REQUIRED"
    _, done = _enrol(api, token)
    assert api.get("/legal/findings", token=done["access_token"]).status_code == 200


def test_the_bootstrap_command_creates_the_first_administrators_once(local_stack: Any, capsys: Any) -> None:
    from chalicelib import wiring
    from chalicelib.handlers.bootstrap import main
    from devstack.provision import provision

    provision(local_stack.clients, "sunlit-boot", "us-east-1")  # the tables of a freshly deployed stack
    env = dict(os.environ)
    try:
        args = ["--stack", "sunlit-boot", "--region", "us-east-1", "--system-admin", "wang.sys",
                "--security-admin", "li.sec", "--audit-admin", "zhao.audit", "--endpoint-url", local_stack.aws_url]
        assert main(args) == 0
        out = capsys.readouterr().out
        passwords = dict(line.removeprefix("INITIAL PASSWORD ").split(": ") for line in out.splitlines()
                         if line.startswith("INITIAL PASSWORD "))
        assert set(passwords) == {"wang.sys", "li.sec", "zhao.audit"}
        from chalicelib.identity.repositories import Users

        stored = Users(wiring.stores()).get("wang.sys")
        assert stored is not None and stored.body["roles"] == ["system_admin"] and stored.body["must_change_password"]
        assert passwords["wang.sys"] not in json.dumps(stored.body)
        assert main(args) == 1  # once only
    finally:
        os.environ.clear()
        os.environ.update(env)
        wiring.reset()


# ----- external SSO (OIDC) ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def idp() -> Iterator[dict[str, Any]]:
    """A local identity provider: a generated RSA key pair and its JWKS served over HTTP."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="idp-1", use="sig", alg="RS256")
    body = json.dumps({"keys": [jwk]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    issuer = "https://sso.example.gov.cn/realms/xuzhou"

    def token(**claims: Any) -> str:
        now = int(time.time())
        base = {"iss": issuer, "aud": "sunlit", "exp": now + 300, "iat": now, "preferred_username": "ext-zhang"}
        return str(jwt.encode({**base, **claims}, key, algorithm="RS256", headers={"kid": "idp-1"}))

    yield {"issuer": issuer, "jwks": f"http://127.0.0.1:{server.server_port}/jwks", "token": token}
    server.shutdown()


@pytest.fixture
def sso(idp: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from chalicelib.settings import reset_settings

    os.environ.update(SUNLIT_OIDC_ISSUER=idp["issuer"], SUNLIT_OIDC_AUDIENCE="sunlit", SUNLIT_OIDC_JWKS_URL=idp["jwks"])
    reset_settings()
    try:
        yield idp
    finally:
        for k in ("SUNLIT_OIDC_ISSUER", "SUNLIT_OIDC_AUDIENCE", "SUNLIT_OIDC_JWKS_URL"):
            os.environ.pop(k, None)
        reset_settings()


def test_an_oidc_token_of_the_configured_issuer_signs_in_as_the_mapped_user(
        api: Api, world: dict[str, Any], sso: dict[str, Any]) -> None:
    _user(api, "idt-oidc", ["handler"], D, external_id="ext-zhang")
    good = sso["token"]()
    me = api.get("/auth/me", token=good)
    assert me.status_code == 200, me.text
    assert (me.json()["username"], me.json()["auth_method"], me.json()["roles"]) == ("idt-oidc", "oidc", ["handler"])
    assert api.get("/staff/cases/IDT-0001", token=good).status_code == 200
    # Wrong audience, expired, unknown user, and a token signed by another key are all refused
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode({"iss": sso["issuer"], "aud": "sunlit", "exp": int(time.time()) + 300,
                         "preferred_username": "ext-zhang"}, other, algorithm="RS256", headers={"kid": "idp-1"})
    for bad in (sso["token"](aud="another-app"), sso["token"](exp=int(time.time()) - 120),
                sso["token"](preferred_username="ext-nobody"), forged):
        assert api.get("/auth/me", token=bad).status_code == 401
    # Deactivating the Sunlit user stops the external token too
    assert api.admin("POST", "/admin/users/idt-oidc/deactivate").status_code == 200
    assert api.get("/auth/me", token=good).status_code == 401


def test_the_cli_bootstraps_a_stack_once(local_stack: Any) -> None:
    from click.testing import CliRunner
    from sunlit_client.cli import main as cli

    from chalicelib import wiring
    from devstack.provision import provision

    provision(local_stack.clients, "sunlit-boot-cli", "us-east-1")  # the tables of a freshly deployed stack
    env = dict(os.environ)
    try:
        args = ["admin", "bootstrap", "--stack", "sunlit-boot-cli", "--region", "us-east-1", "--system-admin", "sun.sys",
                "--security-admin", "qian.sec", "--audit-admin", "zhou.audit", "--endpoint-url", local_stack.aws_url]
        first = CliRunner().invoke(cli, args)
        assert first.exit_code == 0, first.output
        created = {line.removeprefix("INITIAL PASSWORD ").split(": ")[0] for line in first.output.splitlines()
                   if line.startswith("INITIAL PASSWORD ")}
        assert created == {"sun.sys", "qian.sec", "zhou.audit"}
        again = CliRunner().invoke(cli, args)
        assert again.exit_code == 1  # once only
    finally:
        os.environ.clear()
        os.environ.update(env)
        wiring.reset()
