"""What real department systems and citizens send (docs/CONTRACT.md §4, §5, §7 v2): opaque event
ids with Chinese and punctuation, the provincial standard's extra fields inside ``data``, discretion
tiers written in whole yuan, and an application receipt that works at once.

Department codes 845–849 belong to this module.
"""
from __future__ import annotations

import json
import os
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item, penalty_item

pytestmark = pytest.mark.integration

XK = "320300845XK00100"
PERSON = {"type": "person", "name": "张三", "id_type": "身份证", "id_no": "320311198001011234"}


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("interop-legal", ["legal"])


@pytest.fixture(scope="module")
def dept(api: Api, legal: str) -> DeptCreds:
    creds = api.department("845", "测试卫生健康委员会845")
    api.declare_and_confirm(license_item("845", "001"), legal)
    return creds


def statuses(r: Any) -> list[str]:
    assert r.status_code == 200, r.text
    return [x["status"] for x in r.json()["results"]]


REAL_IDS = [
    "2012-06-04T08:30:00+08:00",                       # a timestamp as id
    "徐环审〔2012〕第 15 号/受理#1",                      # a document number with spaces and 〔〕
    "SBLSH:320300015:2012:000123+accepted",
    "申办 0001",
    "x" * 128,
]


def test_opaque_event_ids_from_real_systems_are_accepted_and_stay_idempotent(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given events whose ids are timestamps, document numbers, Chinese text with spaces (≤ 128 chars)
    evs = [event("INTEROP-1", XK, "step", f"2012-06-05T10:{n:02d}:00+08:00", {"step_code": "1"}, event_id=eid)
           for n, eid in enumerate(REAL_IDS)]
    evs.insert(0, event("INTEROP-1", XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}))
    # When they are sent, then sent again
    assert statuses(api.post_events(dept, evs)) == ["stored"] * len(evs)
    assert statuses(api.post_events(dept, evs)) == ["duplicate"] * len(evs)
    settle()
    # Then the case holds each once, and staff see the ids as sent
    view = api.get("/staff/cases/INTEROP-1", token=api.reader).json()
    assert {t["event_id"] for t in view["timeline"]} >= set(REAL_IDS)


@pytest.mark.parametrize("bad", ["", "x" * 129, "tab\there", "line\nbreak", "nul\x00"],
                         ids=["empty", "129-chars", "tab", "newline", "nul"])
def test_an_event_id_that_is_empty_too_long_or_has_control_characters_is_rejected(
        api: Api, dept: DeptCreds, bad: str) -> None:
    case_no = f"INTEROP-2-{len(bad)}-{ord(bad[-1]) if bad else 0}"
    evs = [event(case_no, XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": PERSON}),
           {**event(case_no, XK, "step", "2012-06-05T10:00:00+08:00", {"step_code": "1"}), "event_id": bad}]
    results = api.post_events(dept, evs).json()["results"]
    assert [x["status"] for x in results] == ["stored", "rejected"]
    assert [e["field"] for e in results[1]["errors"]] == ["event_id"]


def test_fields_beyond_the_contract_inside_data_are_kept_and_shown_to_staff_only(
        api: Api, dept: DeptCreds, settle: Any) -> None:
    # Given a submission carrying the provincial standard's fields (docs/DOMAIN.md §5.2) besides the contract's
    data = {
        "applicant": {**PERSON, "contact_email": "zhangsan@example.com"},
        "channel": "online",
        "biz_serial": "YW-2012-000123",          # 业务流水号 YWLSH
        "region_code": "320300",                 # 行政区划代码 XZQHDM
        "project_name": "某项目",
        "receipt_no": "SBHZH-1",
        "BYZDA": {"备用": [1, 2.5, None, True]},  # a spare field with any JSON
    }
    r = api.post_events(dept, [event("INTEROP-3", XK, "submitted", "2012-06-01T10:00:00+08:00", data),
                               event("INTEROP-3", XK, "accepted", "2012-06-04T10:00:00+08:00",
                                     {"status": "accepted", "query_password": "interop3",
                                      "jurisdiction_region": "320311", "queue_no": 17})])
    # Then the events are stored, not rejected
    assert statuses(r) == ["stored", "stored"]
    settle()
    # And staff see every extra field beside the event it came with
    view = api.get("/staff/cases/INTEROP-3", token=api.reader).json()
    extra = {t["type"]: t.get("extra") for t in view["timeline"]}
    assert extra["submitted"] == {"biz_serial": "YW-2012-000123", "region_code": "320300",
                                  "BYZDA": {"备用": [1, 2.5, None, True]},
                                  "applicant.contact_email": "zhangsan@example.com"}
    assert extra["accepted"] == {"jurisdiction_region": "320311", "queue_no": 17}
    # And the public query shows none of them
    public = api.get("/cases/INTEROP-3", password="interop3")
    assert public.status_code == 200
    for secret in ("YW-2012-000123", "zhangsan@example.com", "jurisdiction_region", "BYZDA"):
        assert secret not in public.text


def test_extra_fields_are_bounded_and_cannot_set_internal_fields(api: Api, dept: DeptCreds) -> None:
    huge = {"applicant": PERSON, "blob": "字" * 40_000}
    reserved = {"applicant": PERSON, "query_password_hash": "h1$forged"}
    results = api.post_events(dept, [
        event("INTEROP-4", XK, "submitted", "2012-06-01T10:00:00+08:00", huge),
        event("INTEROP-5", XK, "submitted", "2012-06-01T10:00:00+08:00", reserved),
    ]).json()["results"]
    assert [x["status"] for x in results] == ["rejected", "rejected"]
    assert results[0]["errors"][0]["field"] == "data"
    assert results[1]["errors"][0]["field"] == "data.query_password_hash"


def test_discretion_tiers_in_whole_yuan_are_contiguous_and_a_real_gap_is_named(api: Api, legal: str) -> None:
    whole_yuan = [{"tier": "light", "min": 1000, "max": 3000}, {"tier": "medium", "min": 3001, "max": 6000},
                  {"tier": "heavy", "min": 6001, "max": 10000}]
    item = penalty_item("845", "021")
    item["penalty"] = {**item["penalty"], "tiers": whole_yuan}
    r = api.admin("POST", "/catalog/items", item)
    assert r.status_code == 201, r.text
    gap = [{"tier": "light", "min": 1000, "max": 3000}, {"tier": "medium", "min": 3500, "max": 6000},
           {"tier": "heavy", "min": 6001, "max": 10000}]
    item = penalty_item("845", "022")
    item["penalty"] = {**item["penalty"], "tiers": gap}
    r = api.admin("POST", "/catalog/items", item)
    assert r.status_code in (400, 422), r.text
    details = r.json()["error"]["details"]
    assert any(d["field"] == "penalty.tiers" and "light" in d["message"] and "medium" in d["message"]
               for d in details), details


def test_the_application_receipt_answers_the_progress_query_at_once(api: Api, dept: DeptCreds,
                                                                   local_stack: Any) -> None:
    # Given the stream consumers that project cases are failing (so nothing comes from them)
    os.environ["SUNLIT_FAULTS"] = json.dumps({"project": {"rate": 1.0}})
    try:
        # When a citizen applies online and queries with the receipt right away
        r = api.post("/applications", {"item_code": XK, "applicant": PERSON, "materials": []})
        assert r.status_code == 201, r.text
        receipt = r.json()
        q = api.get(f"/cases/{receipt['case_no']}", password=receipt["query_password"])
    finally:
        os.environ.pop("SUNLIT_FAULTS", None)
        local_stack.wait_idle(60)
        local_stack.replay_dlq()
    # Then the case is there, submitted
    assert q.status_code == 200, q.text
    assert q.json()["status"] == "submitted"
    assert q.json()["item_code"] == XK
