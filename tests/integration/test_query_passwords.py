"""Query passwords (查询密码, docs/DOMAIN.md §8.2): stored only as a keyed hash, compared in constant
time, never shown (not even to staff) nor logged; a department-supplied password shorter than 6
characters rejects that event; repeated wrong guesses lock the case's query for a while — for any
case number, existing or not, so the lock is no oracle either.

Department codes 840–844 belong to this module.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

XK = "320300840XK00100"
PASSWORD = "Kq7-840-secret"
PERSON = {"type": "person", "name": "张三", "id_type": "身份证", "id_no": "320311198001011234"}


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("sunlit", "chalicelib", "app", "botocore", "pynamodb", "devstack")):
            return  # the test's own HTTP client logs the URLs it requests
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {record.levelname} {text}")


@pytest.fixture
def logs() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department("840", "测试市场监督管理局840")
    api.declare_and_confirm(license_item("840", "001"), api.user("pw-legal", ["legal"]))
    return creds


def story(case_no: str, password: str = PASSWORD) -> list[dict[str, Any]]:
    return [
        event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
        event(case_no, XK, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": password}),
    ]


def raw_items(local_stack: Any, table: str) -> str:
    """Everything a DynamoDB table holds, as text (what an operator with table access could read)."""
    ddb = local_stack.clients["dynamodb"]
    name = local_stack.stack.physical[f"{table.capitalize()}Table"]
    items: list[Any] = []
    kwargs: dict[str, Any] = {"TableName": name}
    while True:
        page = ddb.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return json.dumps(items, ensure_ascii=False)
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_the_password_is_stored_only_as_a_keyed_hash_and_never_shown_or_logged(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any, logs: Capture) -> None:
    # Given a case accepted with a query password
    r = api.post_events(dept, story("PWD-1"))
    assert [x["status"] for x in r.json()["results"]] == ["stored", "stored"]
    settle()
    # Then the password answers the public query, a wrong one does not
    assert api.get("/cases/PWD-1", password=PASSWORD).status_code == 200
    assert api.get("/cases/PWD-1", password=PASSWORD + "x").status_code == 404
    # And neither the event log nor the case view holds it, nor its plain SHA-256
    import hashlib

    plain_digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    for table in ("events", "cases"):
        text = raw_items(local_stack, table)
        assert "PWD-1" in text
        assert PASSWORD not in text and plain_digest not in text, table
    # And the staff case view shows neither the password nor its hash
    staff = api.get("/staff/cases/PWD-1", token=api.reader)
    assert staff.status_code == 200
    assert PASSWORD not in staff.text and "query_password" not in staff.text
    # And no log line carries it
    assert not [line for line in logs.lines if PASSWORD in line]


def test_a_department_password_shorter_than_6_characters_rejects_that_event(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    r = api.post_events(dept, story("PWD-2", password="12345"))
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["stored", "rejected"]
    assert [e["field"] for e in results[1]["errors"]] == ["data.query_password"]
    assert "6" in results[1]["errors"][0]["message"]
    # A six-character one is fine
    r = api.post_events(dept, [event("PWD-2", XK, "accepted", "2012-06-04T09:30:00+08:00",
                                     {"status": "accepted", "query_password": "123456"}, event_id="PWD-2-acc-2")])
    assert [x["status"] for x in r.json()["results"]] == ["stored"]
    settle()
    assert api.get("/cases/PWD-2", password="123456").status_code == 200


def test_repeated_wrong_passwords_lock_the_case_query_for_real_and_unknown_cases_alike(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a real case and a case number that does not exist
    api.post_events(dept, story("PWD-3"))
    settle()
    assert api.get("/cases/PWD-3", password=PASSWORD).status_code == 200
    answers: dict[str, list[int]] = {}
    for case_no in ("PWD-3", "PWD-NONE"):
        # When someone guesses five wrong passwords
        answers[case_no] = [api.get(f"/cases/{case_no}", password=f"guess-{n}").status_code for n in range(5)]
        # Then the next query is refused even with the right password, with a Chinese message
        locked = api.get(f"/cases/{case_no}", password=PASSWORD)
        answers[case_no].append(locked.status_code)
        assert locked.json()["error"]["code"] == "QUERY_LOCKED"
        assert "分钟" in locked.json()["error"]["message"]
    # And a real and an unknown case number answer exactly alike throughout
    assert answers["PWD-3"] == answers["PWD-NONE"] == [404] * 5 + [429]
    # And the lock covers the satisfaction rating with the password too
    rated = api.post("/cases/PWD-3/evaluation", {"password": PASSWORD, "rating": "satisfied"})
    assert rated.status_code == 429
