"""Identity rules (身份与权限), pure: TOTP against the RFCs' own vectors, recovery codes, the
password policy and hash, the separated administrator duties, signatures with a key id."""
from __future__ import annotations

import base64

import pytest

from chalicelib.identity.domain import passwords, totp
from chalicelib.identity.domain import roles as R
from chalicelib.identity.domain import sessions as S
from chalicelib.identity.domain.signing import decode_token, encode_token, unverified_parts

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


# ----- TOTP -----------------------------------------------------------------------------------

def test_hotp_matches_rfc_4226_appendix_d() -> None:
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(b"12345678901234567890", c) for c in range(10)] == expected


@pytest.mark.parametrize(("at", "code"), [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
                                          (1234567890, "89005924"), (2000000000, "69279037"),
                                          (20000000000, "65353130")])
def test_totp_matches_rfc_6238_appendix_b_sha1(at: int, code: str) -> None:
    assert totp.hotp(b"12345678901234567890", totp.step_of(at), digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_never_twice() -> None:
    now = 1_800_000_000.0
    code = totp.code_at(RFC_SECRET, now)
    # Given a code of now, when checked 30 s later or 30 s earlier, then it still counts
    assert totp.verify(RFC_SECRET, code, now + 30) == totp.step_of(now)
    assert totp.verify(RFC_SECRET, code, now - 30) == totp.step_of(now)
    # but not 90 s later
    assert totp.verify(RFC_SECRET, code, now + 90) is None
    # When it was already used (its step recorded), then it is refused, and so is an older one
    assert totp.verify(RFC_SECRET, code, now, last_step=totp.step_of(now)) is None
    older = totp.code_at(RFC_SECRET, now - 30)
    assert totp.verify(RFC_SECRET, older, now, last_step=totp.step_of(now)) is None
    # Garbage is refused without error
    for bad in ("", "12345", "abcdef", "1234567", None):
        assert totp.verify(RFC_SECRET, bad, now) is None  # type: ignore[arg-type]


def test_enrolment_gives_a_uri_authenticator_apps_read_and_a_qr_code() -> None:
    secret = totp.new_secret()
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20
    uri = totp.provisioning_uri(secret, "zhang.san", "阳光政务 Sunlit")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "period=30" in uri
    svg = totp.qr_svg(uri)
    assert svg.lstrip().startswith("<svg") and "<path" in svg


def test_recovery_codes_are_random_and_match_however_typed() -> None:
    codes = totp.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)
    digest = totp.hash_recovery_code(codes[0])
    assert totp.hash_recovery_code(codes[0].lower().replace("-", " ")) == digest
    assert totp.hash_recovery_code(codes[1]) != digest


# ----- passwords ----------------------------------------------------------------------------------

def test_the_password_policy_names_each_broken_rule() -> None:
    def kinds(pw: str, user: str = "zhangsan", history: tuple[str, ...] = ()) -> set[str]:
        return {p["type"] for p in passwords.policy_problems(pw, user, history)}

    assert kinds("Sh0rt!") == {"too_short"}
    assert kinds("alllowercaseletters") == {"too_simple"}
    assert kinds("Zhangsan-2026-ok") == {"contains_username"}
    assert kinds("P@ssw0rd") >= {"too_short", "common"}
    assert kinds("Jiangsu-Xuzhou-2026") == set()
    old = passwords.hash_password("Jiangsu-Xuzhou-2026")
    assert kinds("Jiangsu-Xuzhou-2026", history=(old,)) == {"reused"}
    assert all(p["field"] == "password" for p in passwords.policy_problems("x", "u"))


def test_passwords_are_stored_as_argon2id_and_verified() -> None:
    stored = passwords.hash_password("Jiangsu-Xuzhou-2026")
    assert stored.startswith("$argon2id$") and "m=19456,t=2,p=1" in stored
    assert passwords.verify_password(stored, "Jiangsu-Xuzhou-2026")
    assert not passwords.verify_password(stored, "jiangsu-xuzhou-2026")
    assert not passwords.verify_password(None, "anything")
    assert not passwords.verify_password("not-a-hash", "anything")


def test_generated_passwords_meet_the_policy() -> None:
    for _ in range(20):
        pw = passwords.generate_password()
        assert passwords.policy_problems(pw, "someone") == []


# ----- roles and duties (三员分立) -------------------------------------------------------------------

def test_admin_means_the_system_and_security_duties_and_no_business_role() -> None:
    admin = R.Principal(kind="user", username="a", roles=frozenset({"admin"}))
    assert admin.holds(R.SYSTEM_ADMIN) and admin.holds(R.SECURITY_ADMIN)
    assert not admin.holds(R.AUDIT_ADMIN) and not admin.holds("handler") and not admin.holds("legal")
    auditor = R.Principal(kind="user", username="b", roles=frozenset({"audit_admin"}))
    assert auditor.grants == {"audit_admin"} and not auditor.is_department_scoped


@pytest.mark.parametrize(("roles", "dept", "region", "local", "problem"), [
    (["handler"], None, None, True, "missing"),
    (["handler", "system_admin"], "015", None, True, "separation_of_duties"),
    (["audit_admin", "security_admin"], None, None, True, "separation_of_duties"),
    (["admin"], None, None, False, "separation_of_duties"),
    (["system_admin", "security_admin"], None, None, False, "separation_of_duties"),
    (["handler"], "015", "320321", True, "invalid"),
])
def test_role_combinations_that_may_not_be_held(roles: list[str], dept: str | None, region: str | None,
                                                local: bool, problem: str) -> None:
    assert problem in {p["type"] for p in R.role_problems(roles, dept, region, local_stage=local)}


@pytest.mark.parametrize(("roles", "dept", "region", "local"), [
    (["handler", "dept_head"], "015", None, False),
    (["supervisor"], None, "320321", False),
    (["admin"], None, None, True),
    (["security_admin"], None, None, False),
    ([], None, None, False),
])
def test_role_combinations_that_may_be_held(roles: list[str], dept: str | None, region: str | None,
                                            local: bool) -> None:
    assert R.role_problems(roles, dept, region, local_stage=local) == []


# ----- tokens and sessions ---------------------------------------------------------------------------

def test_a_token_names_its_key_and_validates_only_with_it() -> None:
    token = encode_token({"sub": "u", "exp": 2_000_000_000}, "key-one", kid="v7")
    parts = unverified_parts(token)
    assert parts is not None and parts[0]["kid"] == "v7" and parts[1]["sub"] == "u"
    assert decode_token(token, "key-one", 1_900_000_000) == {"sub": "u", "exp": 2_000_000_000}
    assert decode_token(token, "key-two", 1_900_000_000) is None
    assert decode_token(token, "key-one", 2_000_000_000) is None  # expired
    assert unverified_parts("not.a.token") is None and unverified_parts("garbage") is None


def test_refresh_tokens_keep_only_a_digest() -> None:
    token, digest = S.new_refresh_token("sid123")
    parsed = S.parse_refresh_token(token)
    assert parsed is not None and parsed[0] == "sid123"
    assert S.refresh_matches(digest, parsed[1]) and parsed[1] not in digest
    assert not S.refresh_matches(digest, "other") and S.parse_refresh_token("nodot") is None


def test_the_fifth_failure_in_a_row_locks_for_fifteen_minutes() -> None:
    failures, now = 0, 1000.0
    for _ in range(4):
        failures, until = S.after_failure(failures, now)
        assert until is None
    failures, until = S.after_failure(failures, now)
    assert until == now + 15 * 60
    assert until is not None and "锁定" in S.lockout_message(until, now) and "15 分钟" in S.lockout_message(until, now)
