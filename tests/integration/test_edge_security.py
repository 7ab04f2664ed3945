"""The HTTP edge against hostile or careless callers (docs/CONTRACT.md §1–§2): credentials with
characters no real credential has → 401, never 500; an unknown key and a bad signature answer
exactly alike; pagination cursors are signed, so a forged one or one taken from another list → 400;
CORS names the hall's origin on public routes only; responses that may carry personal data are
never cached.

Department codes 850–854 belong to this module.
"""
from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
import requests
from sunlit_client.signing import sign_request

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

XK = "320300850XK00100"
PERSON = {"type": "person", "name": "张三", "id_type": "身份证", "id_no": "320311198001011234"}


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department("850", "测试生态环境局850")
    api.declare_and_confirm(license_item("850", "001"), api.user("edge-legal", ["legal"]))
    return creds


@pytest.fixture(scope="module")
def hall_origin(local_stack: Any) -> str:
    return str(local_stack.aws_url)


def raw_headers(api: Api, method: str, path: str, headers: dict[str, bytes | str], body: bytes | None = None
                ) -> requests.Response:
    """Send header values as raw UTF-8 bytes (what a careless client or a proxy may pass on)."""
    return api.http.request(method, api.base + path, headers=headers, data=body, timeout=30)


@pytest.mark.parametrize("token", ["令牌", "abc.déf.ghi", "x" * 10 + "\u00e9"], ids=["chinese", "latin", "accent"])
def test_a_bearer_token_with_non_ascii_characters_is_401(api: Api, token: str) -> None:
    for path in ("/supervision/signals", "/staff/cases/ANY-1", "/admin/audit?month=2012-06"):
        r = raw_headers(api, "GET", path, {"Authorization": f"Bearer {token}".encode()})
        assert r.status_code == 401, (path, r.status_code, r.text)
        assert r.json()["error"]["code"] == "UNAUTHORIZED"
    # And on a public route it is simply not a login
    r = raw_headers(api, "GET", "/departments", {"Authorization": f"Bearer {token}".encode()})
    assert r.status_code == 200


def _signed_headers(dept: DeptCreds, body: bytes, *, key: str | bytes | None = None,
                    signature: str | bytes | None = None) -> dict[str, bytes | str]:
    ts = str(int(time.time()))
    sig = signature if signature is not None else sign_request(dept.secret, ts, "POST", "/exchange/events", body)
    return {"X-Sunlit-Key": key if key is not None else dept.key_id, "X-Sunlit-Timestamp": ts,
            "X-Sunlit-Signature": sig, "Content-Type": "application/json"}


def test_a_signature_or_key_with_non_ascii_characters_is_401(api: Api, dept: DeptCreds) -> None:
    body = json.dumps({"events": [event("EDGE-1", XK, "submitted", "2012-06-01T10:00:00+08:00",
                                        {"applicant": PERSON})]}).encode()
    for headers in (_signed_headers(dept, body, signature="签名".encode()),
                    _signed_headers(dept, body, signature="é" * 64),
                    _signed_headers(dept, body, key="密钥".encode())):
        r = raw_headers(api, "POST", "/exchange/events", headers, body)
        assert r.status_code == 401, r.text


def test_an_unknown_key_and_a_bad_signature_get_the_same_answer(api: Api, dept: DeptCreds) -> None:
    body = json.dumps({"events": [event("EDGE-2", XK, "submitted", "2012-06-01T10:00:00+08:00",
                                        {"applicant": PERSON})]}).encode()
    unknown = raw_headers(api, "POST", "/exchange/events", _signed_headers(dept, body, key="AKDOESNOTEXIST00"), body)
    forged = raw_headers(api, "POST", "/exchange/events", _signed_headers(dept, body, signature="0" * 64), body)
    assert unknown.status_code == forged.status_code == 401
    assert unknown.json() == forged.json()


def _signals_page(api: Api, **params: Any) -> requests.Response:
    return api.get("/supervision/signals", token=api.reader, **params)


def _forge(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize("cursor", [
    _forge({"pk": {"S": "SIG#x"}, "sk": {"S": "SIG"}}),          # a plausible key, unsigned
    _forge({"gsi2pk": {"N": "not-a-number"}}),                   # a key of the wrong shape
    _forge([1, 2, 3]),                                            # not even an object
    "!!!not-base64!!!",
    "a" * 1500,
], ids=["plausible", "wrong-shape", "list", "garbage", "long"])
def test_a_forged_cursor_is_400(api: Api, cursor: str) -> None:
    for path, token in (("/supervision/signals", api.reader), ("/results", None)):
        r = api.get(path, token=token, cursor=cursor)
        assert r.status_code == 400, (path, r.status_code, r.text)
        assert r.json()["error"]["details"][0]["field"] == "query.cursor"


def test_a_cursor_taken_from_another_list_is_400_and_its_own_list_follows_it(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given two published results (so the public results list has a second page at limit 1)
    evs = []
    for n in (1, 2):
        case_no = f"EDGE-RES-{n}"
        evs += [event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
                event(case_no, XK, "accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted"}),
                event(case_no, XK, "concluded", "2012-06-05T10:00:00+08:00",
                      {"result_code": 0, "cert_no": f"C-{n}"})]
    assert api.post_events(dept, evs).status_code == 200
    settle()
    first = api.get("/results", dept_code="850", limit=1).json()
    assert first["next"]
    # When the results cursor is used on another list, or on the same list for another department
    elsewhere = _signals_page(api, cursor=first["next"])
    other_dept = api.get("/results", dept_code="851", limit=1, cursor=first["next"])
    # Then both are refused
    assert elsewhere.status_code == 400 and other_dept.status_code == 400
    # While on its own list it gives the next page
    second = api.get("/results", dept_code="850", limit=1, cursor=first["next"])
    assert second.status_code == 200
    assert second.json()["items"][0]["case_no"] != first["items"][0]["case_no"]


def test_cors_names_the_hall_origin_on_public_routes_only(api: Api, hall_origin: str) -> None:
    def preflight(path: str, origin: str, method: str = "POST") -> requests.Response:
        return api.http.options(api.base + path, timeout=30, headers={
            "Origin": origin, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type"})

    # A preflight from the hall for a route the hall calls is allowed, for the hall's origin
    ok = preflight("/applications", hall_origin)
    assert ok.status_code in (200, 204)
    assert ok.headers.get("Access-Control-Allow-Origin") == hall_origin
    assert "POST" in ok.headers.get("Access-Control-Allow-Methods", "")
    # The same from another origin names no origin at all (never "*")
    evil = preflight("/applications", "https://evil.example")
    assert "Access-Control-Allow-Origin" not in evil.headers
    # Public answers carry the hall's origin; staff and admin answers carry no CORS header
    public = api.call("GET", "/departments", headers={"Origin": hall_origin})
    assert public.headers.get("Access-Control-Allow-Origin") == hall_origin
    for path in ("/supervision/signals", "/admin/audit?month=2012-06"):
        staff = api.call("GET", path, token=api.admin_token, headers={"Origin": hall_origin})
        assert "Access-Control-Allow-Origin" not in staff.headers, path
        assert "Access-Control-Allow-Origin" not in preflight(path.split("?")[0], hall_origin, "GET").headers
    # A path shared by a public and a staff method allows only the public one
    shared = preflight("/complaints", hall_origin, "GET")
    assert shared.headers.get("Access-Control-Allow-Methods", "").replace(" ", "").split(",") == ["POST"]


def test_answers_that_may_carry_personal_data_are_never_cached(api: Api, dept: DeptCreds, settle: Any) -> None:
    r = api.post("/applications", {"item_code": XK, "applicant": PERSON, "materials": []})
    assert r.status_code == 201 and r.headers.get("Cache-Control") == "no-store"
    receipt = r.json()
    q = api.get(f"/cases/{receipt['case_no']}", password=receipt["query_password"])
    assert q.status_code == 200 and q.headers.get("Cache-Control") == "no-store"
    assert api.get(f"/cases/{receipt['case_no']}", password="wrong-1").headers.get("Cache-Control") == "no-store"
    staff = api.get(f"/staff/cases/{receipt['case_no']}", token=api.reader)
    assert staff.status_code == 200 and staff.headers.get("Cache-Control") == "no-store"
    c = api.post("/complaints", {"dept_code": "850", "category": "attitude", "content": "窗口态度差",
                                 "real_name": True, "name": "李四", "phone": "13900001111"})
    assert c.status_code == 201 and c.headers.get("Cache-Control") == "no-store"
    got = api.get(f"/complaints/{c.json()['complaint_no']}", code=c.json()["query_code"])
    assert got.status_code == 200 and got.headers.get("Cache-Control") == "no-store"
    # While the public catalog may be cached
    assert "no-store" not in api.get("/departments").headers.get("Cache-Control", "")
