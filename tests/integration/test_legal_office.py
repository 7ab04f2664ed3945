"""The legal office's own work through the API: normative-document filing and the quarterly list,
reconsideration and litigation records with their time limits and rates, and the catalog views
(pending confirmations, overdue declarations, repealed citations) with L12 findings.

Department codes 610–619 belong to this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, penalty_item

pytestmark = pytest.mark.integration

CITY, COUNTY, OTHER, RATED = "610", "611", "612", "613"
REGION = "320300"
ITEM_A = f"{REGION}{CITY}CF02100"
ITEM_B = f"{REGION}{CITY}CF02200"
BASIS = "LO610-LAW-1"
REPEALED = "LO610-LAW-R"
PARTS = {
    "filing_report": "关于报送规范性文件备案的报告",
    "official_text": "第一条 为了规范……",
    "explanatory_note": "起草说明",
    "legal_office_opinion": "本机关法制机构审核意见：合法",
}


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def t(day: str, hour: int = 9) -> str:
    return f"{day}T{hour:02d}:00:00+08:00"


@dataclass
class Office:
    api: Api
    city: DeptCreds
    legal: str
    handler: str
    head: str
    other_handler: str
    supervisor: str
    wait: Any

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        r = self.api.get(path, token=token or self.legal, **params)
        assert r.status_code == 200, r.text
        return r.json()

    def post(self, path: str, body: Any, token: str | None = None, status: int = 200) -> Any:
        r = self.api.post(path, body, token=token or self.legal)
        assert r.status_code == status, r.text
        return r.json()


@pytest.fixture(scope="module")
def office(api: Api, local_stack: Any) -> Office:
    city = api.department(CITY, "徐州市法制办测试局", level="city")
    api.department(COUNTY, "铜山县法制办测试局", level="county")
    api.department(OTHER, "徐州市另一测试局", level="city")
    legal = api.user("lo610-legal", ["legal"])
    handler = api.user("lo610-handler", ["handler"], CITY)
    head = api.user("lo610-head", ["dept_head"], CITY)
    other = api.user("lo612-handler", ["handler"], OTHER)
    supervisor = api.user("lo610-supervisor", ["supervisor"])
    bases = [
        {"id": BASIS, "title": "《测试处罚条例》", "article": "第十条"},
        {"id": REPEALED, "title": "《旧测试办法》", "article": "第五条"},
    ]
    api.declare_and_confirm(penalty_item(CITY, "021", legal_basis=bases), legal)
    api.declare_and_confirm(penalty_item(CITY, "022", legal_basis=bases[:1]), legal)
    for oid in ("O610A", "O610B"):
        r = api.post(
            "/legal/officers",
            {
                "officer_id": oid,
                "name": "执法员",
                "dept_code": CITY,
                "cert_no": f"JS-{oid}",
                "valid_from": "2010-01-01",
                "valid_to": "2030-12-31",
            },
            token=legal,
        )
        assert r.status_code == 201, r.text
    o = Office(api, city, legal, handler, head, other, supervisor, lambda: local_stack.wait_idle(60))
    # Four penalty decisions of the city department: three on item A, one on item B
    events = []
    for n, code in ((1, ITEM_A), (2, ITEM_A), (3, ITEM_A), (4, ITEM_B)):
        case_no = f"LO610-CASE-{n}"
        events += [
            event(
                case_no,
                code,
                "case_opened",
                t("2012-06-01"),
                {
                    "party": {"type": "org", "name": "徐州某公司", "in_business": False},
                    "officers": ["O610A", "O610B"],
                },
            ),
            event(
                case_no,
                code,
                "notice_served",
                t("2012-06-05"),
                {"proposed": {"types": ["fine"], "amount": 2000, "tier": "light"}, "hearing_notified": True},
            ),
            event(
                case_no,
                code,
                "decided",
                t("2012-06-12"),
                {
                    "decision_no": f"徐测罚〔2012〕61{n}号",
                    "types": ["fine"],
                    "amount": 2000,
                    "tier": "light",
                    "basis_ids": [BASIS],
                },
            ),
        ]
    r = api.post_events(city, events)
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    assert o.wait()
    return o


# --------------------------------------------------------------------------- normative documents


def normdoc(doc_no: str, dept: str = CITY, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "doc_no": doc_no,
        "title": f"徐州市某管理办法（{doc_no}）",
        "dept_code": dept,
        "published_on": "2012-06-20",
        "effective_on": "2012-08-01",
        "parts": dict(PARTS),
    }
    body.update(over)
    return body


def test_a_filing_missing_parts_is_refused_naming_each_part(office: Office) -> None:
    # Given a package with only the official text and a document taking effect 20 days after publication
    r = office.api.post(
        "/legal/normative-documents",
        normdoc("徐测规〔2012〕1号", parts={"official_text": "第一条"}, effective_on="2012-07-10"),
        token=office.handler,
    )
    # Then it is refused, naming each missing part, including the reason for the short gap
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {
        "parts.filing_report",
        "parts.explanatory_note",
        "parts.legal_office_opinion",
        "parts.effect_gap_reason",
    }


def test_a_department_files_its_own_document_and_the_late_filing_is_flagged(office: Office) -> None:
    # When the department's handler files today a document published in 2012
    doc = office.post("/legal/normative-documents", normdoc("徐测规〔2012〕2号"), office.handler, 201)
    # Then it waits for registration, received today, long past its 3-working-day deadline
    assert doc["status"] == "filed"
    assert doc["filed_on"] == today().isoformat()
    assert doc["filing_deadline"] == "2012-06-26"  # 06-21, 06-25, 06-26 (06-22 Dragon Boat holiday)
    assert doc["overdue_filing"] is True
    # And filing the same document number again is a conflict
    r = office.api.post("/legal/normative-documents", normdoc("徐测规〔2012〕2号"), token=office.handler)
    assert r.status_code == 409


def test_a_department_cannot_file_for_another_or_backdate_its_filing(office: Office) -> None:
    r = office.api.post(
        "/legal/normative-documents", normdoc("徐测规〔2012〕3号", dept=OTHER), token=office.handler
    )
    assert r.status_code == 403
    r = office.api.post(
        "/legal/normative-documents",
        normdoc("徐测规〔2012〕3号", filed_on="2012-06-21"),
        token=office.handler,
    )
    assert r.status_code == 403
    assert r.json()["error"]["details"][0]["field"] == "filed_on"


def test_the_filing_deadline_is_three_working_days_after_publication(office: Office) -> None:
    # Given documents published Thu 2012-09-27 (National Day follows), received on paper by the legal office
    on_time = office.post(
        "/legal/normative-documents",
        normdoc(
            "徐测规〔2012〕4号", published_on="2012-09-27", effective_on="2012-11-01", filed_on="2012-10-08"
        ),
        status=201,
    )
    late = office.post(
        "/legal/normative-documents",
        normdoc(
            "徐测规〔2012〕5号", published_on="2012-09-27", effective_on="2012-11-01", filed_on="2012-10-09"
        ),
        status=201,
    )
    # Then the deadline skips the holiday: 09-28, 09-29 (make-up day), 10-08
    assert on_time["filing_deadline"] == late["filing_deadline"] == "2012-10-08"
    assert (on_time["overdue_filing"], late["overdue_filing"]) == (False, True)


def test_the_filing_deadline_is_configurable(office: Office) -> None:
    before = office.get("/admin/legal-office-config")["overrides"]
    try:
        r = office.api.admin("PUT", "/admin/legal-office-config", {"normdoc_filing_wd": 5})
        assert r.status_code == 200, r.text
        doc = office.post(
            "/legal/normative-documents",
            normdoc(
                "徐测规〔2012〕6号",
                published_on="2012-09-27",
                effective_on="2012-11-01",
                filed_on="2012-10-09",
            ),
            status=201,
        )
        assert doc["filing_deadline"] == "2012-10-10"
        assert doc["overdue_filing"] is False
    finally:
        assert office.api.admin("PUT", "/admin/legal-office-config", before).status_code == 200


def test_hold_supplement_register_and_review(office: Office) -> None:
    doc = office.post(
        "/legal/normative-documents", normdoc("徐测规〔2012〕7号", filed_on="2012-07-02"), status=201
    )
    path = f"/legal/normative-documents/{doc['id']}"
    # When the legal office holds it for a better legal-office opinion, due 2012-07-20
    held = office.post(
        f"{path}/hold",
        {
            "missing": ["legal_office_opinion"],
            "deadline": "2012-07-20",
            "on": "2012-07-03",
            "note": "审核意见过于简单",
        },
    )
    assert held["status"] == "held"
    assert held["hold"]["missing_names"] == ["制定机关法制机构审核意见"]
    # Then it cannot be registered before it is supplemented
    assert office.api.post(f"{path}/register", {}, token=office.legal).status_code == 409
    # And a supplement without the missing part is refused, naming it
    r = office.api.post(
        f"{path}/supplement",
        {"parts": {"filing_report": "补充报告"}, "on": "2012-07-25"},
        token=office.handler,
    )
    assert r.status_code == 400
    assert [d["field"] for d in r.json()["error"]["details"]] == ["parts.legal_office_opinion"]
    # When the department supplements it after the deadline
    sup = office.post(
        f"{path}/supplement",
        {"parts": {"legal_office_opinion": "经审核：合法、必要"}, "on": "2012-07-25"},
        office.handler,
    )
    assert sup["status"] == "filed"
    assert sup["hold"]["supplement_late"] is True
    # Then the legal office registers it and reviews it
    reg = office.post(f"{path}/register", {"on": "2012-07-26"})
    assert (reg["status"], reg["registered_on"]) == ("registered", "2012-07-26")
    r = office.api.post(f"{path}/review", {"outcome": "revoked", "on": "2012-08-20"}, token=office.legal)
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "findings"
    rev = office.post(
        f"{path}/review",
        {
            "outcome": "revoked",
            "on": "2012-08-20",
            "findings": [{"point": "authority", "text": "无权设定行政许可"}],
        },
    )
    assert rev["status"] == "revoked"
    assert rev["review"]["findings"][0]["point_name"] == "制定机关超越权限"
    # And only the legal office reviews
    assert office.api.post(f"{path}/review", {"outcome": "ok"}, token=office.handler).status_code == 403


def test_a_correction_is_supplemented_and_reviewed_again(office: Office) -> None:
    doc = office.post(
        "/legal/normative-documents", normdoc("徐测规〔2012〕8号", filed_on="2012-07-02"), status=201
    )
    path = f"/legal/normative-documents/{doc['id']}"
    office.post(f"{path}/register", {"on": "2012-07-03"})
    office.post(
        f"{path}/review",
        {
            "outcome": "correction_requested",
            "on": "2012-07-20",
            "findings": [{"point": "conflict_law", "text": "第八条与上位法抵触"}],
        },
    )
    fixed = office.post(
        f"{path}/supplement",
        {"parts": {"official_text": "修改后的正式文本"}, "on": "2012-08-01"},
        office.head,
    )
    assert fixed["status"] == "registered"
    assert office.post(f"{path}/review", {"outcome": "ok", "on": "2012-08-10"})["status"] == "ok"


def test_department_roles_see_only_their_own_filings(office: Office) -> None:
    listed = office.get("/legal/normative-documents", office.other_handler)["items"]
    assert all(d["dept_code"] == OTHER for d in listed)
    mine = office.get("/legal/normative-documents", office.handler)["items"]
    assert mine and all(d["dept_code"] == CITY for d in mine)
    r = office.api.get(f"/legal/normative-documents/{mine[0]['id']}", token=office.other_handler)
    assert r.status_code == 404


def test_the_quarterly_list_publishes_last_quarters_registered_filings(office: Office) -> None:
    # Given filings received on 04-01, 06-30 (both registered), 06-29 (never registered) and 07-01
    ids = {}
    for n, filed, register in (
        (11, "2012-04-01", True),
        (12, "2012-06-30", True),
        (13, "2012-06-29", False),
        (14, "2012-07-01", True),
    ):
        doc = office.post(
            "/legal/normative-documents",
            normdoc(
                f"徐测规〔2012〕{n}号", published_on="2012-03-28", effective_on="2012-05-01", filed_on=filed
            ),
            status=201,
        )
        if register:
            office.post(f"/legal/normative-documents/{doc['id']}/register", {"on": filed})
        ids[n] = doc["id"]
    # When anyone reads the list published in 2012Q3
    r = office.api.get("/legal/normative-documents/published", quarter="2012Q3")
    assert r.status_code == 200, r.text
    body = r.json()
    # Then it covers filings received in 2012Q2 that were registered, published from 2012-08-01
    assert (body["filed_from"], body["filed_to"], body["publish_on"]) == (
        "2012-04-01",
        "2012-06-30",
        "2012-08-01",
    )
    assert body["published"] is True
    listed = {d["id"] for d in body["items"]}
    assert {ids[11], ids[12]} <= listed
    assert ids[13] not in listed and ids[14] not in listed
    assert all("parts" not in d and "filed_by" not in d for d in body["items"])
    # And the July filing appears in the 2012Q4 list
    q4 = {
        d["id"]
        for d in office.api.get("/legal/normative-documents/published", quarter="2012Q4").json()["items"]
    }
    assert ids[14] in q4 and ids[11] not in q4


def test_a_list_not_yet_due_is_not_published(office: Office) -> None:
    body = office.api.get("/legal/normative-documents/published", quarter=f"{today().year + 1}Q1").json()
    assert body["published"] is False and body["items"] == []
    assert office.api.get("/legal/normative-documents/published", quarter="2012Q5").status_code == 400


# --------------------------------------------------------------------------- reconsideration and litigation


def test_reconsideration_time_limits_and_decision(office: Office) -> None:
    # Given the party learned of the decision of case 1 on 2012-06-15: 60 days end on 2012-08-14
    rec = office.post(
        "/legal/reconsiderations",
        {
            "ref_no": "徐政复〔2012〕610号",
            "case_no": "LO610-CASE-1",
            "learned_on": "2012-06-15",
            "applied_on": "2012-08-14",
            "applicant": "徐州某公司",
        },
        status=201,
    )
    assert (rec["item_code"], rec["dept_code"], rec["act_on"]) == (ITEM_A, CITY, "2012-06-12")
    assert rec["limits"]["application_deadline"] == "2012-08-14"
    assert rec["limits"]["application_late"] is False
    # The acceptance decision is due in 5 working days: 08-15, 16, 17, 20, 21
    assert rec["limits"]["acceptance_due"] == "2012-08-21"
    path = f"/legal/reconsiderations/{rec['id']}"
    # A decision before acceptance is refused
    r = office.api.post(
        f"{path}/decision", {"outcome": "撤销", "decided_on": "2012-08-20"}, token=office.legal
    )
    assert r.status_code == 409
    acc = office.post(f"{path}/acceptance", {"decision": "accepted", "on": "2012-08-21"})
    assert acc["limits"]["acceptance_overdue"] is False
    # Then the decision is due 60 days later, 2012-10-20 (Saturday) moved to Monday 10-22
    assert acc["limits"]["decision_due"] == "2012-10-22"
    done = office.post(
        f"{path}/decision", {"outcome": "撤销", "decided_on": "2012-10-22", "follow_up": "部门已重新作出决定"}
    )
    assert done["decision"]["outcome"] == "revoke"
    assert done["decision"]["outcome_name"] == "撤销"
    assert done["limits"]["decision_overdue"] is False
    # And the record is found from the original case
    linked = office.get("/legal/reconsiderations", case_no="LO610-CASE-1")["items"]
    assert [x["id"] for x in linked] == [rec["id"]]


def test_a_late_application_and_an_extension(office: Office) -> None:
    rec = office.post(
        "/legal/reconsiderations",
        {
            "ref_no": "徐政复〔2012〕611号",
            "case_no": "LO610-CASE-2",
            "learned_on": "2012-06-15",
            "applied_on": "2012-08-15",
        },
        status=201,
    )
    assert rec["limits"]["application_late"] is True
    path = f"/legal/reconsiderations/{rec['id']}"
    office.post(f"{path}/acceptance", {"decision": "accepted", "on": "2012-08-23"})
    # When the limit is extended by 30 days: 08-23 + 90 = 11-21
    ext = office.post(
        f"{path}/extension", {"on": "2012-10-15", "approver": "复议机关负责人", "reason": "案情复杂"}
    )
    assert ext["limits"]["decision_due"] == "2012-11-21"
    # Then a second extension is refused
    r = office.api.post(
        f"{path}/extension",
        {"on": "2012-10-16", "approver": "负责人", "reason": "再次延长"},
        token=office.legal,
    )
    assert r.status_code == 409
    # And without a decision it is overdue once the day has ended
    assert office.get(path, as_of="2012-11-21")["limits"]["decision_overdue"] is False
    assert office.get(path, as_of="2012-11-22")["limits"]["decision_overdue"] is True
    office.post(f"{path}/decision", {"outcome": "uphold", "decided_on": "2012-11-20"})


def test_a_reconsideration_needs_a_known_case_and_the_legal_office(office: Office) -> None:
    r = office.api.post(
        "/legal/reconsiderations",
        {"ref_no": "X-1", "case_no": "NO-SUCH-CASE", "learned_on": "2012-06-15", "applied_on": "2012-06-20"},
        token=office.legal,
    )
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "case_no"
    r = office.api.post(
        "/legal/reconsiderations",
        {"ref_no": "X-2", "case_no": "LO610-CASE-3", "learned_on": "2012-06-15", "applied_on": "2012-06-20"},
        token=office.handler,
    )
    assert r.status_code == 403


def test_litigation_defence_deadline_and_judgment(office: Office) -> None:
    # Given the department is served the complaint on 2012-09-20: 15 days end 10-05, a holiday, so 10-08
    lit = office.post(
        "/legal/litigations",
        {
            "ref_no": "(2012)徐行初字第610号",
            "case_no": "LO610-CASE-4",
            "court": "徐州市中级人民法院",
            "served_on": "2012-09-20",
        },
        office.head,
        201,
    )
    assert lit["limits"]["defence_due"] == "2012-10-08"
    path = f"/legal/litigations/{lit['id']}"
    late = office.post(f"{path}/defence", {"on": "2012-10-09"}, office.head)
    assert late["limits"]["defence_late"] is True
    judged = office.post(
        f"{path}/decision", {"outcome": "变更", "decided_on": "2012-12-10", "appealed": False}, office.head
    )
    assert judged["decision"]["outcome"] == "vary"
    # Another department may not record a litigation on this case
    r = office.api.post(
        "/legal/litigations",
        {
            "ref_no": "(2012)徐行初字第699号",
            "case_no": "LO610-CASE-4",
            "court": "徐州市中级人民法院",
            "served_on": "2012-09-20",
        },
        token=office.other_handler,
    )
    assert r.status_code == 403


def test_rates_per_100_decisions_by_department_and_item(office: Office, api: Api) -> None:
    # Given a department with 4 penalty decisions: 3 on item A, 1 on item B
    dept = api.department(RATED, "徐州市复议率测试局")
    item_a, item_b = f"{REGION}{RATED}CF02100", f"{REGION}{RATED}CF02200"
    api.declare_and_confirm(penalty_item(RATED, "021"), office.legal)
    api.declare_and_confirm(penalty_item(RATED, "022"), office.legal)
    events = []
    for n, code in ((1, item_a), (2, item_a), (3, item_a), (4, item_b)):
        events += [
            event(f"LO613-CASE-{n}", code, "case_opened", t("2012-06-01"), {"officers": ["A", "B"]}),
            event(f"LO613-CASE-{n}", code, "decided", t("2012-06-12"), {"types": ["fine"], "amount": 2000}),
        ]
    r = api.post_events(dept, events)
    assert r.status_code == 200, r.text
    assert office.wait()
    # And case 1 revoked and case 2 upheld on reconsideration, case 4 varied in court
    for n, outcome in ((1, "撤销"), (2, "维持")):
        rec = office.post(
            "/legal/reconsiderations",
            {
                "ref_no": f"徐政复〔2012〕613-{n}号",
                "case_no": f"LO613-CASE-{n}",
                "learned_on": "2012-06-15",
                "applied_on": "2012-07-02",
            },
            status=201,
        )
        office.post(
            f"/legal/reconsiderations/{rec['id']}/acceptance", {"decision": "accepted", "on": "2012-07-03"}
        )
        office.post(
            f"/legal/reconsiderations/{rec['id']}/decision", {"outcome": outcome, "decided_on": "2012-08-20"}
        )
    lit = office.post(
        "/legal/litigations",
        {
            "ref_no": "(2012)徐行初字第613号",
            "case_no": "LO613-CASE-4",
            "court": "徐州市中级人民法院",
            "served_on": "2012-09-03",
        },
        status=201,
    )
    office.post(f"/legal/litigations/{lit['id']}/decision", {"outcome": "vary", "decided_on": "2012-12-10"})
    # When the legal office reads the rates by department
    row = {r["dept_code"]: r for r in office.get("/legal/reconsiderations/rates", by="dept")["items"]}[RATED]
    # Then 3 reviews per 4 decisions is 75 per 100, and 2 of the 3 decided were revoked or varied
    assert (row["decisions"], row["reconsiderations"], row["litigations"]) == (4, 2, 1)
    assert row["per_100_decisions"] == 75.0
    assert (row["decided"], row["revoked_or_varied"]) == (3, 2)
    assert row["revoked_or_varied_rate"] == pytest.approx(0.6667)
    assert row["revoked_or_varied_per_100_decisions"] == 50.0
    assert row["outcomes"] == {
        "uphold": 1,
        "revoke": 1,
        "vary": 1,
        "confirm_illegal": 0,
        "order_performance": 0,
    }
    # And by item
    by_item = {r["item_code"]: r for r in office.get("/legal/reconsiderations/rates", by="item")["items"]}
    assert by_item[item_a]["per_100_decisions"] == pytest.approx(66.6667)
    assert by_item[item_a]["revoked_or_varied_rate"] == 0.5
    assert by_item[item_b]["per_100_decisions"] == 100.0
    assert by_item[item_b]["revoked_or_varied_rate"] == 1.0
    # And a period without them counts none of these
    other_year = {
        r["dept_code"]: r
        for r in office.get("/legal/reconsiderations/rates", by="dept", period="2011")["items"]
    }
    assert RATED not in other_year
    # A department handler may not read the office's rates
    assert office.api.get("/legal/reconsiderations/rates", token=office.handler).status_code == 403


# --------------------------------------------------------------------------- catalog views and L12


def test_pending_declarations_show_days_waiting_and_the_ten_day_reply_limit(office: Office) -> None:
    # Given the county department declared an item today and nobody confirmed it
    code = f"{REGION}{COUNTY}CF03100"
    r = office.api.admin("POST", "/catalog/items", penalty_item(COUNTY, "031"))
    assert r.status_code == 201, r.text
    day = today()

    def pending(as_of: date) -> dict[str, Any]:
        body = office.get(
            "/legal/catalog/pending", office.supervisor, dept_code=COUNTY, as_of=as_of.isoformat()
        )
        rows = [x for x in body["items"] if x["code"] == code]
        assert len(rows) == 1
        return {**rows[0], "groups": body["groups"]}

    # Then on day 10 it is waiting but not overdue, and on day 11 it is overdue
    ten = pending(day + timedelta(days=10))
    assert (ten["days_waiting"], ten["overdue"], ten["level"]) == (10, False, "county")
    eleven = pending(day + timedelta(days=11))
    assert eleven["overdue"] is True
    assert eleven["groups"] == [
        {
            "level": "county",
            "level_name": "县级",
            "dept_code": COUNTY,
            "dept_name": "铜山县法制办测试局",
            "count": 1,
            "overdue": 1,
        }
    ]
    # When the governance check runs on day 11, Then the legal office gets a yellow L12 finding
    check = office.post(
        "/legal/catalog/governance-check",
        {"as_of": (day + timedelta(days=11)).isoformat(), "dept_code": COUNTY},
    )
    assert check["raised"] >= 1
    found = office.get("/legal/findings", case_no=code, check="L12")["items"]
    assert [(f["level"], f["dept_code"]) for f in found] == [("yellow", COUNTY)]
    assert "法制办" in found[0]["message"]
    # And running it again raises nothing twice
    again = office.post(
        "/legal/catalog/governance-check",
        {"as_of": (day + timedelta(days=11)).isoformat(), "dept_code": COUNTY},
    )
    assert again["raised"] == 0


def test_a_law_change_without_declaration_is_overdue_after_twenty_days(office: Office) -> None:
    # Given the legal office flagged a new regulation for the county department on 2012-03-01
    trig = office.post(
        "/legal/catalog/triggers",
        {"dept_code": COUNTY, "title": "《江苏省测试新条例》", "triggered_on": "2012-03-01"},
        status=201,
    )
    # And a change of a basis the city department's items cite, flagged 5 days ago and answered today
    recent = office.post(
        "/legal/catalog/triggers",
        {"dept_code": CITY, "basis_id": BASIS, "triggered_on": (today() - timedelta(days=5)).isoformat()},
        status=201,
    )
    r = office.api.admin(
        "POST",
        "/catalog/items",
        penalty_item(
            CITY, "023", legal_basis=[{"id": BASIS, "title": "《测试处罚条例》", "article": "第十一条"}]
        ),
    )
    assert r.status_code == 201, r.text

    # Then on 2012-03-21 (day 20) the county one is not yet overdue, on 03-22 it is
    def overdue(as_of: str, dept: str) -> list[dict[str, Any]]:
        return office.get("/legal/catalog/overdue-declarations", as_of=as_of, dept_code=dept)["items"]

    assert trig["id"] not in [x["trigger_id"] for x in overdue("2012-03-21", COUNTY)]
    rows = [x for x in overdue("2012-03-22", COUNTY) if x["trigger_id"] == trig["id"]]
    assert len(rows) == 1
    assert (rows[0]["state"], rows[0]["declare_due"], rows[0]["level"]) == ("missing", "2012-03-21", "county")
    # And the city trigger answered by today's declaration is never overdue
    later = (today() + timedelta(days=30)).isoformat()
    assert recent["id"] not in [x["trigger_id"] for x in overdue(later, CITY)]
    # When the governance check runs, Then the department gets a yellow L12 finding naming the law
    office.post("/legal/catalog/governance-check", {"as_of": "2012-03-22", "dept_code": COUNTY})
    found = office.get("/legal/findings", case_no=trig["id"], check="L12")["items"]
    assert len(found) == 1
    assert found[0]["level"] == "yellow"
    assert "《江苏省测试新条例》" in found[0]["message"]
    # And a trigger must name the law
    r = office.api.post(
        "/legal/catalog/triggers", {"dept_code": COUNTY, "triggered_on": "2012-03-01"}, token=office.legal
    )
    assert r.status_code == 400
    assert {d["field"] for d in r.json()["error"]["details"]} == {"basis_id", "title"}


def test_items_citing_a_repealed_basis(office: Office) -> None:
    # Given the basis is repealed with effect from 2012-06-12
    office.post(f"/legal/bases/{REPEALED}/repeal", {"effective": "2012-06-12"})

    def cited(as_of: str) -> list[str]:
        body = office.get("/legal/catalog/repealed-citations", office.supervisor, dept_code=CITY, as_of=as_of)
        return [x["code"] for x in body["items"] if x["basis_id"] == REPEALED]

    # Then from the repeal date item A is listed, the day before it is not; item B never cites it
    assert cited("2012-06-11") == []
    assert cited("2012-06-12") == [ITEM_A]
    body = office.get("/legal/catalog/repealed-citations", dept_code=CITY)
    assert [x["code"] for x in body["items"] if x["basis_id"] == REPEALED] == [ITEM_A]
    assert body["groups"][0]["level"] == "city"
    # And department roles cannot read the office's views
    assert office.api.get("/legal/catalog/repealed-citations", token=office.handler).status_code == 403
