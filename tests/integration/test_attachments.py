"""Attachments (附件) through the API and the private bucket: tickets with presigned POSTs whose
policy limits size and type, the checksum in the owner's hash-chained record, downloads for the
owning department only, and nothing for the public.

Department codes 810–814 belong to this module.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.support.client import Api
from tests.support.fixtures import license_item

pytestmark = pytest.mark.integration

A, B = "810", "811"
PDF = b"%PDF-1.4\n% Sunlit test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class World:
    def __init__(self, api: Api) -> None:
        self.api = api
        api.department(A, "附件测试局")
        api.department(B, "附件测试乙局")
        self.handler = api.user("att-h810", ["handler"], A)
        self.head = api.user("att-head810", ["dept_head"], A)
        self.other = api.user("att-h811", ["handler"], B)
        self.sup = api.user("att-sup", ["supervisor"])
        legal = api.user("att-legal", ["legal"])
        self.item = license_item(A, "101")
        api.declare_and_confirm(self.item, legal)


@pytest.fixture(scope="module")
def world(api: Api) -> World:
    return World(api)


def ticket(w: World, purpose: str = "disclosure", content: bytes = PDF, name: str = "申请书.pdf",
           ctype: str = "application/pdf", token: str | None = None) -> dict[str, Any]:
    r = w.api.post("/attachments", {"purpose": purpose, "filename": name, "content_type": ctype, "size": len(content)},
                   token=token)
    assert r.status_code == 201, r.text
    return dict(r.json())


def send(t: dict[str, Any], content: bytes, **fields: str) -> requests.Response:
    """What the hall's browser does: the policy's fields, then the file."""
    form = {**t["upload"]["fields"], **fields}
    return requests.post(t["upload"]["url"], data=form, files={"file": ("f", content)}, timeout=30)


def uploaded(w: World, purpose: str = "disclosure", content: bytes = PDF, **kw: Any) -> str:
    t = ticket(w, purpose, content, **kw)
    r = send(t, content)
    assert r.status_code in (200, 201, 204), r.text
    return str(t["attachment_id"])


def disclosure(w: World, files: list[str]) -> Any:
    return w.api.post("/disclosure/requests", {
        "dept_code": A, "applicant": {"type": "person", "name": "赵六", "phone": "13700000000"},
        "description": "本局 2025 年度行政处罚决定书目录", "attachments": files})


def test_a_citizen_attaches_a_file_whose_checksum_the_hash_chain_covers(world: World) -> None:
    # Given a file uploaded straight to the bucket with the ticket's presigned POST
    t = ticket(world)
    policy = json.loads(base64.b64decode(t["upload"]["fields"]["policy"]))
    assert ["content-length-range", 1, t["max_bytes"]] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert send(t, PDF).status_code == 204
    # When the request names it
    r = disclosure(world, [t["attachment_id"]])
    assert r.status_code == 201, r.text
    no = r.json()["request_no"]
    # Then the department sees the file with its SHA-256, in the hash-chained first record
    view = world.api.get(f"/staff/disclosure/requests/{no}", token=world.handler).json()
    [att] = view["attachments"]
    assert att["sha256"] == hashlib.sha256(PDF).hexdigest() and att["size"] == len(PDF)
    assert att["name"] == "申请书.pdf"
    assert view["log"][0]["data"]["attachments"][0]["sha256"] == att["sha256"]
    assert view["chain"]["verified"] is True
    # And the applicant's view says nothing of it
    public = world.api.get(f"/disclosure/requests/{no}", password=r.json()["query_password"]).json()
    assert t["attachment_id"] not in json.dumps(public) and "attachments" not in public


def test_the_owning_department_downloads_with_a_short_lived_link_and_nobody_else(world: World) -> None:
    att = uploaded(world)
    assert disclosure(world, [att]).status_code == 201
    r = world.api.get(f"/attachments/{att}", token=world.handler)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["expires_in"] <= 300
    got = requests.get(body["url"], timeout=30)
    assert got.status_code == 200 and got.content == PDF
    assert "attachment" in got.headers.get("Content-Disposition", "")
    assert world.api.get(f"/attachments/{att}", token=world.other).status_code == 403
    assert world.api.get(f"/attachments/{att}", token=world.sup).status_code == 403
    assert world.api.get(f"/attachments/{att}").status_code == 401
    # The object itself is not readable without a signature
    bucket_url = body["url"].split("?", 1)[0]
    assert requests.get(bucket_url, timeout=30).status_code == 403
    # And every download is in the audit trail: who, which file
    auditor = world.api.user("att-auditor", ["audit_admin"])
    month = datetime.now(UTC).strftime("%Y-%m")
    trail = world.api.get("/admin/audit", token=auditor, month=month, limit="1000").json()["items"]
    reads = [e for e in trail if e["action"] == "GET /attachments/{attachment_id}" and e["actor"] == "att-h810"]
    assert {"attachment_id": att} in [e["target"] for e in reads]


def test_the_policy_refuses_a_file_too_large_or_of_another_type(world: World) -> None:
    t = ticket(world)
    too_large = send(t, PDF + b"x" * (t["max_bytes"]))  # one byte more than the policy allows … and more
    assert too_large.status_code == 400 and "EntityTooLarge" in too_large.text
    other_type = send(t, PDF, **{"Content-Type": "text/html"})
    assert other_type.status_code == 403 and "Policy Condition failed" in other_type.text


def test_stock_moto_would_store_what_the_policy_forbids(world: World) -> None:
    """Why the local stack applies the ``post_policy`` fix: without it the limits go unchecked."""
    from devstack import moto_fixes

    t = ticket(world)
    moto_fixes.remove(["post_policy"])
    try:
        assert send(t, PDF, **{"Content-Type": "text/html"}).status_code == 204
    finally:
        moto_fixes.apply(["post_policy"])
    # … and the submission still refuses the stored object, whose type is not the declared one
    r = disclosure(world, [t["attachment_id"]])
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "attachments[0]"


def test_a_file_whose_content_is_not_its_type_is_refused_at_submission(world: World) -> None:
    t = ticket(world, content=b"<html><script>alert(1)</script></html>")
    assert send(t, b"<html><script>alert(1)</script></html>").status_code == 204
    r = disclosure(world, [t["attachment_id"]])
    assert r.status_code == 400
    detail = r.json()["error"]["details"][0]
    assert detail["field"] == "attachments[0]" and "PDF" in detail["message"]


def test_missing_unknown_and_reused_files_are_named(world: World) -> None:
    not_sent = ticket(world)["attachment_id"]
    used = uploaded(world)
    assert disclosure(world, [used]).status_code == 201
    r = disclosure(world, [not_sent, "att-aaaaaaaaaaaaaaaaaaaaaaaaaa", used])
    assert r.status_code == 400
    details = {d["field"]: d["type"] for d in r.json()["error"]["details"]}
    assert details == {"attachments[0]": "not_uploaded", "attachments[1]": "not_found", "attachments[2]": "used"}


def test_declared_files_outside_the_limits_get_no_ticket(world: World) -> None:
    big = world.api.post("/attachments", {"purpose": "complaint", "filename": "a.pdf", "content_type": "application/pdf",
                                          "size": 200 * 1024 * 1024})
    assert big.status_code == 400 and big.json()["error"]["details"][0]["field"] == "size"
    exe = world.api.post("/attachments", {"purpose": "complaint", "filename": "a.exe",
                                          "content_type": "application/x-msdownload", "size": 10})
    assert exe.status_code == 400 and exe.json()["error"]["details"][0]["field"] == "content_type"
    staff_only = world.api.post("/attachments", {"purpose": "action", "filename": "答复书.pdf",
                                                 "content_type": "application/pdf", "size": 10})
    assert staff_only.status_code == 401


def test_an_application_carries_its_files_in_the_submitted_event(world: World) -> None:
    from chalicelib import wiring
    from chalicelib.cases.repositories import EventLog

    att = uploaded(world, "application", PNG, name="身份证.png", ctype="image/png")
    r = world.api.post("/applications", {"item_code": world.item["code"], "applicant": {"type": "person", "name": "孙七"},
                                         "materials": ["环境影响报告表"], "attachments": [att]})
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]
    [submitted] = [e for e in EventLog(wiring.stores()).records(case_no) if e["type"] == "submitted"]
    assert submitted["data"]["attachments"][0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    listed = world.api.get("/attachments", token=world.handler, owner_kind="case", owner_id=case_no).json()["items"]
    assert [a["attachment_id"] for a in listed] == [att]
    assert world.api.get("/attachments", token=world.other, owner_kind="case", owner_id=case_no).status_code == 403
    public = world.api.get(f"/cases/{case_no}", password=r.json()["query_password"]).json()
    assert att not in json.dumps(public)


def test_staff_attach_their_answer_letter_to_the_act(world: World) -> None:
    r = disclosure(world, [])
    no = r.json()["request_no"]
    letter = uploaded(world, "action", PDF, name="政府信息公开申请答复书.pdf", token=world.handler)
    # Another department's staff cannot use this department's upload
    foreign = world.api.post(f"/disclosure/requests/{no}/actions",
                             {"action": "answer", "type": "disclosed", "text": "见答复书", "attachments": [letter]},
                             token=world.other)
    assert foreign.status_code == 403
    answered = world.api.post(f"/disclosure/requests/{no}/actions",
                              {"action": "answer", "type": "disclosed", "text": "见答复书", "attachments": [letter]},
                              token=world.head)
    assert answered.status_code == 200, answered.text
    assert [a["attachment_id"] for a in answered.json()["attachments"]] == [letter]
    assert answered.json()["attachments"][0]["record"] == "answered"


def test_complaint_evidence_is_for_the_supervision_bureau_only(world: World) -> None:
    att = uploaded(world, "complaint", PNG, name="现场照片.png", ctype="image/png")
    r = world.api.post("/complaints", {"dept_code": A, "category": "attitude", "content": "窗口人员态度恶劣",
                                       "attachments": [att]})
    assert r.status_code == 201, r.text
    assert world.api.get(f"/attachments/{att}", token=world.sup).status_code == 200
    assert world.api.get(f"/attachments/{att}", token=world.handler).status_code == 403
    staff = world.api.get(f"/complaints/{r.json()['complaint_no']}", token=world.sup).json()
    assert staff["attachments"][0]["sha256"] == hashlib.sha256(PNG).hexdigest()
