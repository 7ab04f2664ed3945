"""Hostile input (恶意输入): property-based fuzzing of every documented operation, plus hand-written
attacks — no input may cause a 5xx, and every 4xx has the contract's error shape
``{"error": {"code", "message", "details"}}``.

The fuzzer runs as a caller each route admits — the administrator on administration routes, an
audit administrator on the audit trail, a staff user holding every business role elsewhere, a
department system (signing its requests) on the exchange — so that it reaches the validators and
services behind the access checks. That means it creates departments,
users and calendars at random: it gets a stack of its own (``python -m devstack`` in a child
process) so it cannot disturb the shared session stack. The hand-written attacks run against the
shared stack. Department codes 760–764 belong to this module.
"""
from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sunlit_client.signing import sign_request

from devstack.stack import ChildStack, free_port
from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

SEED = 20120604
MAX_EXAMPLES = 25
CODE = "320300761XK00100"


def assert_contract_error(r: requests.Response, context: str = "") -> dict[str, Any]:
    """A 4xx must be JSON ``{"error": {"code": str, "message": str, "details": [...]}}``."""
    where = f"{context} → {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), where
    try:
        body = r.json()
    except ValueError:
        pytest.fail(f"not JSON: {where}")
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), where
    err = body["error"]
    assert isinstance(err.get("code"), str) and err["code"], where
    assert isinstance(err.get("message"), str) and err["message"], where
    assert isinstance(err.get("details"), list), where
    return err


# ----- the fuzzer on a stack of its own --------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChildStack]:
    env = ChildStack.environment(free_port(), free_port(), secrets.token_urlsafe(24),
                                 secrets.token_urlsafe(32), external_aws=False, SUNLIT_PUBLIC_RATE_LIMIT="0")
    stack = ChildStack(env, str(tmp_path_factory.mktemp("fuzz") / "stack.log")).start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def fuzz_dept(fuzz_stack: ChildStack) -> DeptCreds:
    """Department 760 in the fuzzing stack, whose key signs the fuzzer's exchange requests."""
    admin = Api(fuzz_stack.api_url, fuzz_stack.env["SUNLIT_ADMIN_TOKEN"])
    return admin.department("760", "测试模糊测试局760")


@pytest.fixture(scope="module")
def hostile_schema(fuzz_stack: ChildStack) -> Any:
    """The fuzzing stack's own ``/openapi.json``, as schemathesis reads it."""
    config = schemathesis.Config.from_dict({"seed": SEED,
                                            "generation": {"mode": "all", "deterministic": True}})
    return schemathesis.openapi.from_url(f"{fuzz_stack.api_url}/openapi.json", config=config)


def _operations() -> list[tuple[str, str]]:
    """Every documented operation (the same routes ``/openapi.json`` publishes)."""
    import app  # noqa: F401 - registers every blueprint's routes
    from chalicelib.handlers.http import ROUTES

    return sorted({(spec.method, spec.path) for spec in ROUTES})


SESSION = requests.Session()


@pytest.mark.parametrize(("method", "path"), _operations(), ids=[f"{m} {p}" for m, p in _operations()])
def test_no_generated_input_causes_a_server_error_and_client_errors_have_the_contract_shape(
        method: str, path: str, hostile_schema: Any, fuzz_stack: ChildStack, fuzz_dept: DeptCreds) -> None:
    # Given inputs the OpenAPI document admits (positive) and violates (negative), at most
    # MAX_EXAMPLES of each, derandomized so every run sends the same ones
    operation = hostile_schema[path][method]
    headers = {"Authorization": f"Bearer {_token_for(fuzz_stack, method, path)}"}

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            _fuzz(operation, mode, headers, fuzz_stack, fuzz_dept)
        except Unsatisfiable:
            # Nothing can violate this operation's schema (e.g. only free-text path parameters)
            assert mode is GenerationMode.NEGATIVE, f"no valid input could be generated for {method} {path}"


BUSINESS = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")


def _token_for(stack: ChildStack, method: str, path: str) -> str:
    """A fresh token of a caller the route admits (fresh: an earlier operation may have rotated
    the signing key, logged its caller out or changed its roles)."""
    import app  # noqa: F401
    from chalicelib.handlers.http import ROUTES

    spec = next(s for s in ROUTES if (s.method, s.path) == (method, path))
    admin = Api(stack.api_url, stack.env["SUNLIT_ADMIN_TOKEN"])
    roles = set(spec.roles)
    if spec.self_service or roles & set(BUSINESS):
        wanted = ["handler"] if spec.self_service else list(BUSINESS)
    elif "audit_admin" in roles:
        wanted = ["audit_admin"]
    else:
        return stack.env["SUNLIT_ADMIN_TOKEN"]
    return admin.user(f"fuzz-{secrets.token_hex(5)}", wanted, "760")


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], stack: ChildStack,
          dept: DeptCreds) -> None:
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url=stack.api_url, headers=headers)
        if case.path == "/exchange/events":
            kwargs = _signed(kwargs, dept)
        # When it is sent
        r = SESSION.request(**kwargs, timeout=60)
        fresh = _new_log(stack)  # what the stack logged while answering this request
        # Then the server never fails, and a refusal names what was wrong in the contract's shape
        sent_path = urlsplit(r.request.url or "").path[:120]
        context = f"{mode.value} {case.method} {sent_path} body={str(case.body)[:200]}"
        assert r.status_code < 500, f"{context} → {r.status_code}: {r.text[:300]}\n{fresh[-3000:]}"
        if 400 <= r.status_code < 500:
            assert_contract_error(r, context)
        # And the stack logged no unhandled error for it (a 4xx must be a decision, not an accident)
        assert "Traceback" not in fresh, f"{context}\n{fresh[-3000:]}"

    send()


_log_seen = {"offset": 0}


def _new_log(stack: ChildStack) -> str:
    with open(stack.log_path, "rb") as f:
        f.seek(_log_seen["offset"])
        data = f.read()
    _log_seen["offset"] += len(data)
    return data.decode("utf-8", "replace")


def _signed(kwargs: dict[str, Any], dept: DeptCreds) -> dict[str, Any]:
    """Department requests carry an HMAC signature over the exact body bytes."""
    kwargs = dict(kwargs)
    if "json" in kwargs:
        body = json.dumps(kwargs.pop("json")).encode()
    else:
        raw = kwargs.pop("data", b"") or b""
        body = raw.encode() if isinstance(raw, str) else bytes(raw)
    ts = str(int(time.time()))
    headers = {k: v for k, v in dict(kwargs.get("headers") or {}).items() if k.lower() != "authorization"}
    headers.update({"X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": ts,
                    "X-Sunlit-Signature": sign_request(dept.secret, ts, "POST", "/exchange/events", body)})
    kwargs.update(data=body, headers=headers)
    return kwargs


# ----- hand-written attacks on the shared stack --------------------------------------------------


@pytest.fixture(scope="module")
def callers(api: Api, dept: DeptCreds) -> dict[str, str]:
    """A staff user with every business role (not an administrator: no administrator does
    business) and an audit administrator, to reach the handlers behind the access checks."""
    return {"business": api.user("hostile-all", list(BUSINESS), "761"),
            "audit": api.user("hostile-audit", ["audit_admin"])}


def _caller(api: Api, callers: dict[str, str], path: str) -> str:
    if path.startswith("/admin/audit"):
        return callers["audit"]
    return api.admin_token if path.startswith("/admin") else callers["business"]


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    """Department 761 with a confirmed licence item and one case (password ``s3cret``)."""
    creds = api.department("761", "测试恶意输入局761")
    api.declare_and_confirm(license_item("761", "001"), api.user("hostile-legal", ["legal"]))
    r = api.post_events(creds, [
        event("HOST-0001", CODE, "submitted", "2012-06-01T10:00:00+08:00"),
        event("HOST-0001", CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": "s3cret"}),
    ])
    assert r.status_code == 200, r.text
    return creds


INJECTIONS = [
    "' OR 1=1 --",
    "\" OR \"\"=\"",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "a\x00b",
    "%00",
    "${jndi:ldap://x/a}",
    "{{7*7}}",
    "CASE#HOST-0001",
    "HOST-0001\nX-Injected: 1",
    "9" * 5000,
    "办件" * 300,
    "😀" * 50,
]


def _injection_targets(api: Api) -> list[tuple[str, str, dict[str, str] | None, Any]]:
    """(method, path with the payload in it, query, body) — every kind of path/query parameter."""
    out: list[tuple[str, str, dict[str, str] | None, Any]] = []
    for payload in INJECTIONS:
        p = quote(payload, safe="")
        out += [
            ("GET", f"/cases/{p}", {"password": payload}, None),
            ("GET", "/cases/HOST-0001", {"password": payload}, None),
            ("GET", f"/catalog/items/{p}", {"at": payload}, None),
            ("GET", f"/catalog/items/{p}/versions", None, None),
            ("GET", "/catalog/items", {"q": payload, "dept_code": payload, "category": payload,
                                       "cursor": payload, "limit": payload}, None),
            ("GET", "/results", {"dept_code": payload, "category": payload, "cursor": payload}, None),
            ("GET", "/stats/departments", {"period": payload}, None),
            ("GET", "/calendar/deadline", {"from": payload, "working_days": payload}, None),
            ("GET", f"/staff/cases/{p}", None, None),
            ("GET", f"/staff/cases/{p}/verify", None, None),
            ("GET", "/supervision/signals", {"case_no": payload, "rule": payload, "cursor": payload}, None),
            ("GET", "/legal/findings", {"case_no": payload, "check": payload}, None),
            ("GET", "/admin/audit", {"month": payload}, None),
            ("POST", f"/catalog/items/{p}/versions/{p}/confirm", None, {"effective_from": payload}),
            ("POST", f"/supervision/signals/{p}/explanation", None, {"text": payload}),
            ("PUT", f"/admin/calendar/{p}", None, {"holidays": [payload]}),
            ("POST", f"/legal/bases/{p}/repeal", None, {"effective": payload}),
        ]
    return out


def test_injection_strings_in_paths_and_queries_never_cause_a_server_error_or_reflected_script(
        api: Api, dept: DeptCreds, callers: dict[str, str]) -> None:
    # Given SQL/NoSQL/path-traversal/template/header injections, NUL bytes and very long values
    failures = []
    for method, path, query, body in _injection_targets(api):
        # When each is sent in a path or query parameter (as a caller the route admits)
        r = api.call(method, path, body, token=_caller(api, callers, path), params=query)
        # Then the answer is never a server error; refusals have the contract's shape; the API
        # answers JSON only, so no raw markup is ever served as HTML
        if r.status_code >= 500:
            failures.append(f"{method} {path[:80]} {query} → {r.status_code} {r.text[:200]}")
            continue
        assert "text/html" not in r.headers.get("Content-Type", ""), (method, path)
        if r.status_code >= 400:
            assert_contract_error(r, f"{method} {path[:80]}")
        assert "<script>" not in r.text, f"{method} {path[:80]} reflects raw script: {r.text[:200]}"
    assert not failures, "\n".join(failures)


def test_a_password_injection_does_not_reveal_a_case(api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a case whose query password is s3cret (its own: the injections above locked HOST-0001's query)
    r = api.post_events(dept, [
        event("HOST-0002", CODE, "submitted", "2012-06-01T10:00:00+08:00"),
        event("HOST-0002", CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": "s3cret"}),
    ])
    assert r.status_code == 200, r.text
    settle()
    assert api.get("/cases/HOST-0002", password="s3cret").status_code == 200
    # When the public query is tried with injection strings instead of the password
    answers = []
    for payload in ("' OR 1=1 --", "*", "%", "s3cret' --", "s3cret\x00", " s3cret", "S3CRET", ""):
        r = api.get("/cases/HOST-0002", password=payload)
        answers.append(assert_contract_error(r)["code"])
    # Then each looks exactly like an unknown case, until five wrong guesses lock the case's query
    assert answers == ["NOT_FOUND"] * 5 + ["QUERY_LOCKED"] * 3


@pytest.mark.parametrize(("name", "raw", "content_type"), [
    ("oversize", b'{"events": [' + b'{"x": "' + b"a" * (2 * 1024 * 1024 + 10) + b'"}]}', "application/json"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("deeply nested object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    ("invalid utf-8", b'{"events": ["\xff\xfe\xfa"]}', "application/json"),
    ("lone surrogate escape", b'{"events": [{"event_id": "\\ud800"}]}', "application/json"),
    ("truncated json", b'{"events": [', "application/json"),
    ("empty body", b"", "application/json"),
    ("json array", b"[]", "application/json"),
    ("json string", b'"events"', "application/json"),
    ("json number", b"1e999999", "application/json"),
    ("json null", b"null", "application/json"),
    ("NaN", b'{"events": [NaN]}', "application/json"),
    ("duplicate keys", b'{"events": [], "events": {}}', "application/json"),
    ("form encoded", b"events=1", "application/x-www-form-urlencoded"),
    ("plain text", b"hello", "text/plain"),
    ("xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
     "application/xml"),
])
@pytest.mark.parametrize("target", ["/admin/departments", "/supervision/sweep", "/catalog/items",
                                    "/admin/calendar/2099", "/exchange/events"])
def test_hostile_bodies_are_refused_with_400_in_the_contract_shape(
        api: Api, dept: DeptCreds, target: str, name: str, raw: bytes, content_type: str) -> None:
    # Given a hostile request body
    method = "PUT" if target.startswith("/admin/calendar") else "POST"
    headers = {"Content-Type": content_type}
    if target == "/exchange/events":
        ts = str(int(time.time()))
        headers.update({"X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": ts,
                        "X-Sunlit-Signature": sign_request(dept.secret, ts, method, target, raw)})
        token = None
    else:
        token = api.admin_token
    # When it is sent to an endpoint that expects a JSON object
    r = api.call(method, target, raw=raw, token=token, headers=headers)
    # Then it is refused as invalid input (400; 415 for a media type the API does not speak)
    assert r.status_code in (400, 415), f"{name} → {r.status_code}: {r.text[:300]}"
    err = assert_contract_error(r, name)
    if name == "oversize":
        assert r.status_code == 400 and err["code"] == "BODY_TOO_LARGE"


def test_an_oversize_body_is_refused_before_any_signature_or_parsing_work(api: Api, dept: DeptCreds) -> None:
    # Given a 3 MiB body without valid credentials
    raw = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    # When it is posted to the public and the staff side
    for path, token in (("/supervision/sweep", api.admin_token), ("/admin/departments", api.admin_token)):
        r = api.call("POST", path, raw=raw, token=token)
        # Then it is a 400 naming the body, not a crash or a timeout
        assert r.status_code == 400, r.text[:200]
        assert assert_contract_error(r)["code"] == "BODY_TOO_LARGE"


def test_unknown_routes_and_methods_answer_in_the_contract_shape(api: Api, dept: DeptCreds) -> None:
    # Given requests to a path no route serves, and a method a route does not offer
    for method, path in (("GET", "/no/such/route"), ("DELETE", "/catalog/items"), ("PATCH", "/health"),
                         ("GET", "/cases/a/b/c"), ("GET", "/cases/" + "x" * 3000)):
        r = api.call(method, path, token=api.admin_token)
        # Then the answer is a 4xx in the contract's shape, never a server error
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text[:200])
        assert_contract_error(r, f"{method} {path[:60]}")


def test_a_case_number_of_any_length_is_just_unknown(api: Api, dept: DeptCreds) -> None:
    # Given case numbers from empty-ish to absurdly long
    for case_no in ("x", "A" * 64, "A" * 65, "9" * 1000, "9" * 7000):
        # When they are queried publicly and by staff
        public = api.get(f"/cases/{case_no}", password="x")
        staff = api.get(f"/staff/cases/{case_no}", token=api.reader)
        # Then both say "unknown" (404) or "invalid" (400), in the contract's shape
        for r in (public, staff):
            assert r.status_code in (400, 404), (len(case_no), r.status_code, r.text[:200])
            assert_contract_error(r)


def test_a_signed_request_cannot_be_replayed_with_a_different_body(api: Api, dept: DeptCreds) -> None:
    # Given a valid signature over one body
    ts = str(int(time.time()))
    ev = event("HOST-0002", CODE, "submitted", "2012-06-01T10:00:00+08:00")
    body = json.dumps({"events": [ev]}).encode()
    sig = sign_request(dept.secret, ts, "POST", "/exchange/events", body)
    tampered = body.replace(b"HOST-0002", b"HOST-0003")
    # When the same headers are sent with a tampered body
    r = api.call("POST", "/exchange/events", raw=tampered,
                 headers={"X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": ts, "X-Sunlit-Signature": sig})
    # Then it is refused as unauthenticated
    assert r.status_code == 401
    assert_contract_error(r)
