"""Real answers fit the published document (issue 19, API docs): a sample of routes across the
platforms is called on the running stack and each 2xx body is validated against the schema its route
publishes in ``/openapi.json`` (JSON Schema 2020-12, as a client's generator or validator reads it).
Every other test checks answers against the pydantic models too (``SUNLIT_CHECK_RESPONSES``, tests/
conftest.py); this one checks the document a vendor downloads.

Department codes 890–891 belong to this module.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

CODE = "320300890XK00100"
CASE = "3203008902026000001"


@pytest.fixture(scope="module")
def doc(api: Api) -> dict[str, Any]:
    r = api.get("/openapi.json")
    assert r.status_code == 200, r.text
    return dict(r.json())


def assert_fits(doc: dict[str, Any], method: str, path: str, r: requests.Response) -> None:
    """The answer's status is the documented 2xx one and its body fits that status's schema."""
    assert r.status_code < 300, f"{method} {path} → {r.status_code}: {r.text[:300]}"
    answers = doc["paths"][path][method.lower()]["responses"]
    assert str(r.status_code) in answers, f"{method} {path}: {r.status_code} is not documented"
    schema = answers[str(r.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": doc["components"]})
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(r.json())]
    assert errors == [], f"{method} {path} does not fit its published schema:\n" + "\n".join(errors[:10])


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department("890", "测试文档局890")
    api.declare_and_confirm(license_item("890", "001"), api.user("doc-legal", ["legal"]))
    return creds


def test_public_answers_fit_the_document(api: Api, doc: dict[str, Any], dept: DeptCreds) -> None:
    calls = [
        ("/health", {}), ("/calendar/status", {}), ("/calendar/deadline", {"from": "2026-09-30", "working_days": 5}),
        ("/catalog/items", {"dept_code": "890"}), (f"/catalog/items/{CODE}", {}),
        (f"/catalog/items/{CODE}/versions", {}), ("/departments", {}),
        ("/stats/departments", {"period": "2026Q3"}), ("/results", {}),
    ]
    for path, params in calls:
        template = "/catalog/items/{code}" + path.removeprefix(f"/catalog/items/{CODE}") if CODE in path else path
        assert_fits(doc, "GET", template, api.get(path, **params))


def test_exchange_case_and_staff_answers_fit_the_document(api: Api, doc: dict[str, Any], dept: DeptCreds,
                                                          settle: Any) -> None:
    # Given a case pushed by the department's system (one event rejected, to show its errors)
    events = [event(CASE, CODE, "submitted", "2026-06-01T09:00:00+08:00",
                    {"applicant": {"type": "person", "name": "李四", "id_type": "身份证", "id_no": "320311198001011234",
                                   "phone": "13900000000"}, "channel": "window", "materials": ["申请表"]}),
              event(CASE, CODE, "accepted", "2026-06-01T10:00:00+08:00",
                    {"status": "accepted", "query_password": "pw-890-01"}),
              {**event(CASE, CODE, "concluded", "2026-06-02T10:00:00+08:00"), "occurred_at": "yesterday"}]
    assert_fits(doc, "POST", "/exchange/events", api.post_events(dept, events))
    settle()
    reader = api.reader
    # Then the public progress query, the staff view, the chain check and the oversight lists fit
    assert_fits(doc, "GET", "/cases/{case_no}", api.get(f"/cases/{CASE}", password="pw-890-01"))
    assert_fits(doc, "GET", "/staff/cases/{case_no}", api.get(f"/staff/cases/{CASE}", token=reader))
    assert_fits(doc, "GET", "/staff/cases/{case_no}/verify", api.get(f"/staff/cases/{CASE}/verify", token=reader))
    assert_fits(doc, "GET", "/supervision/signals", api.get("/supervision/signals", token=reader, dept_code="890"))
    assert_fits(doc, "GET", "/legal/findings", api.get("/legal/findings", token=reader, dept_code="890"))
    assert_fits(doc, "GET", "/supervision/evaluation",
                api.get("/supervision/evaluation", token=reader, period="2026Q2", dept_code="890"))


def test_identity_and_admin_answers_fit_the_document(api: Api, doc: dict[str, Any], dept: DeptCreds) -> None:
    made = api.admin("POST", "/admin/users", {"username": "doc-handler", "roles": ["handler"], "dept_code": "890"})
    assert_fits(doc, "POST", "/admin/users", made)
    token = made.json()["token"]
    assert_fits(doc, "GET", "/auth/me", api.get("/auth/me", token=token))
    assert_fits(doc, "GET", "/admin/users", api.admin("GET", "/admin/users"))
    assert_fits(doc, "GET", "/admin/users/{username}", api.admin("GET", "/admin/users/doc-handler"))
    assert_fits(doc, "GET", "/admin/departments/{code}/keys", api.admin("GET", "/admin/departments/890/keys"))
    assert_fits(doc, "GET", "/admin/rules", api.admin("GET", "/admin/rules"))
    assert_fits(doc, "GET", "/worklist", api.get("/worklist", token=token))
    assert_fits(doc, "POST", "/admin/users/{username}/deactivate",
                api.admin("POST", "/admin/users/doc-handler/deactivate"))


def test_a_body_that_breaks_the_document_is_caught(doc: dict[str, Any]) -> None:
    # Given an answer shaped as the old, untyped documents allowed (a catalog page without its total)
    old = requests.Response()
    old.status_code = 200
    old._content = json.dumps({"items": [], "next": None}).encode()
    # Then the check names what is missing
    with pytest.raises(AssertionError, match="total"):
        assert_fits(doc, "GET", "/catalog/items", old)
