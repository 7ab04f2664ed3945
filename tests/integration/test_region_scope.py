"""The two levels (两级, docs/CONTRACT.md §2 v2, docs/DOMAIN.md §11): region scope on every route of the
supervision bureau (监察局) and the legal office (法制办), as a route × role matrix.

丰县 (320321) has department C; 沛县 (320322) has department D. Each county has its own supervisor and
legal office; the city (320300) has its own. The table walks every declared route that ``supervisor``
or ``legal`` may call (``chalicelib.handlers.http.ROUTES``, so a new route must be classified here) and
calls it against C's records: 沛县's officers get 403 (or 404, as the route answers for a department
that is not its own) for a single record, see nothing of C in a list, are refused a list filtered to
C, and are refused every action on C with a valid body (which then changes nothing); 丰县's own and
the city's read them.

Department codes 935–939 belong to this module.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.client import Api
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

C, D = "935", "936"  # 丰县, 沛县
FENG, PEI, CITY = "320321", "320322", "320300"
ITEM_C = f"{FENG}{C}XK00100"
PENDING_C = f"{FENG}{C}XK00200"  # declared, never confirmed: pending lists, confirm/reject, L12
UNKNOWN_C = f"{FENG}{C}XK09900"
CASE_C, REJECTED_C = "RGN-C-0001", "RGN-C-0002"
OFFICER_C = "RGN-C-OFFICER"
PARTS = {"filing_report": "关于报送规范性文件备案的报告", "official_text": "第一条 为了规范……",
         "explanatory_note": "起草说明", "legal_office_opinion": "本机关法制机构审核意见：合法"}


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> dict[str, Any]:
    keys = {C: api.department(C, "丰县测试局935", FENG, "county"), D: api.department(D, "沛县测试局936", PEI, "county")}
    users = {
        "sup@feng": api.user("rgn-sup-feng", ["supervisor"], region_code=FENG),
        "legal@feng": api.user("rgn-legal-feng", ["legal"], region_code=FENG),
        "sup@pei": api.user("rgn-sup-pei", ["supervisor"], region_code=PEI),
        "legal@pei": api.user("rgn-legal-pei", ["legal"], region_code=PEI),
        "sup@city": api.user("rgn-sup-city", ["supervisor"], region_code=CITY),
        "legal@city": api.user("rgn-legal-city", ["legal"], region_code=CITY),
        "handler@C": api.user("rgn-handler-c", ["handler"], C),
    }
    # 丰县's legal office confirms its own department's item (a county acts in its own region)
    api.declare_and_confirm(license_item(C, "001", FENG), users["legal@feng"])
    assert api.admin("POST", "/catalog/items", license_item(C, "002", FENG)).status_code == 201
    r = api.post_events(keys[C], [
        event(CASE_C, ITEM_C, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": {"type": "org", "name": "某厂"}}),
        event(CASE_C, ITEM_C, "accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted"}),
        event(REJECTED_C, ITEM_C, "submitted", "2012-07-10T09:00:00+08:00", {"applicant": {"type": "org", "name": "某店"}}),
        event(REJECTED_C, ITEM_C, "accepted", "2012-07-10T15:00:00+08:00", {"status": "rejected", "reason": "材料不齐"}),
        event("RGN-C-R13", UNKNOWN_C, "submitted", "2012-06-01T10:00:00+08:00"),
    ])
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    assert local_stack.wait_idle(60)
    sup, legal = users["sup@feng"], users["legal@feng"]
    signals = api.get("/supervision/signals", token=sup, case_no="RGN-C-R13").json()["items"]
    assert signals, "the unknown item raised no signal visible to its county"
    complaint = api.post("/complaints", {"dept_code": C, "category": "other", "content": "窗口推诿，要求说明",
                                         "case_no": CASE_C})
    consultation = api.post("/consultations", {"dept_code": C, "question": "办理需要哪些材料？"})
    normdoc = api.post("/legal/normative-documents", {
        "doc_no": "丰测规〔2012〕1号", "title": "丰县某管理办法", "dept_code": C, "published_on": "2012-06-20",
        "effective_on": "2012-08-01", "parts": PARTS}, token=users["handler@C"])
    recon = api.post("/legal/reconsiderations", {"ref_no": "丰政复〔2012〕935号", "case_no": CASE_C,
                                                  "learned_on": "2012-06-15", "applied_on": "2012-06-20"}, token=legal)
    litigation = api.post("/legal/litigations", {"ref_no": "（2012）丰行初字第935号", "case_no": CASE_C,
                                                  "court": "丰县人民法院", "served_on": "2012-06-20"}, token=legal)
    officer = api.post("/legal/officers", {"officer_id": OFFICER_C, "name": "李某", "dept_code": C, "cert_no": "苏935001",
                                           "valid_from": "2010-01-01", "valid_to": "2030-12-31"}, token=legal)
    spot = api.post("/supervision/spot-checks", {"dept_code": C, "period": "2012Q3"}, token=sup)
    check = api.post("/legal/catalog/governance-check", {"as_of": "2099-01-01", "dept_code": C}, token=legal)
    application = api.post("/applications", {"item_code": ITEM_C, "materials": ["申请书"], "applicant": {
        "type": "person", "name": "王某", "id_type": "居民身份证", "id_no": "320321199001011234",
        "phone": "13905160000"}})
    # 政府信息公开 and attachments: a request to C, and a complaint about C with evidence (the one kind of
    # file the supervision bureau downloads: a request's or a case's files are for the department alone)
    disclosure = api.post("/disclosure/requests", {
        "dept_code": C, "applicant": {"type": "person", "name": "孙某", "phone": "13905160001"},
        "description": "丰县测试局 2012 年度行政许可决定汇总"})
    evidence = _uploaded(api, "complaint", "录音文字稿.pdf")
    with_files = api.post("/complaints", {"dept_code": C, "category": "other", "content": "窗口人员推诿，附文字稿",
                                          "attachments": [evidence]})
    for made in (complaint, consultation, normdoc, recon, litigation, officer, spot, application, disclosure,
                 with_files):
        assert made.status_code == 201, made.text
    assert check.status_code == 200 and check.json()["raised"] >= 1, check.text
    findings = api.get("/legal/findings", token=legal, dept_code=C).json()["items"]
    assert findings, "the governance check raised no finding on C"
    return {"keys": keys, "users": users, "ids": {
        "signal_id": signals[0]["signal_id"], "finding_id": findings[0]["finding_id"],
        "complaint_no": complaint.json()["complaint_no"], "consultation_no": consultation.json()["consultation_no"],
        "doc_id": normdoc.json()["id"], "rid_recon": recon.json()["id"], "rid_lit": litigation.json()["id"],
        "officer_id": OFFICER_C, "no": spot.json()["spot_check_no"], "native_case": application.json()["case_no"],
        "case_no": CASE_C, "code": PENDING_C, "version": "1", "period": "2012Q3", "dept_c": C,
        "request_no": disclosure.json()["request_no"], "attachment_id": evidence,
        "complaint_with_files": with_files.json()["complaint_no"]}}


PDF = b"%PDF-1.4\n% region scope\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _uploaded(api: Api, purpose: str, name: str) -> str:
    """A file sent the way the hall's browser sends it: a ticket, then the presigned POST to the bucket."""
    import requests

    r = api.post("/attachments", {"purpose": purpose, "filename": name, "content_type": "application/pdf",
                                  "size": len(PDF)})
    assert r.status_code == 201, r.text
    ticket = r.json()
    sent = requests.post(ticket["upload"]["url"], data=ticket["upload"]["fields"], files={"file": (name, PDF)},
                         timeout=30)
    assert sent.status_code in (200, 201, 204), sent.text
    return str(ticket["attachment_id"])


@dataclass(frozen=True)
class Row:
    """How a route is called against C's records and what 沛县's officers must get."""

    kind: str  # one | list | act | create | batch | global
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    ids: dict[str, str] = field(default_factory=dict)  # path parameters overriding the world's
    query_ids: dict[str, str] = field(default_factory=dict)  # query parameters taken from the world's ids
    filter_by_dept: bool = True  # the list takes ?dept_code= (refused for C)
    c_listed: bool = True  # C has a record the list shows to its own county
    why: str = ""


TABLE: dict[tuple[str, str], Row] = {
    # supervision: signals, the board, spot checks, complaints, consultations, evaluation
    ("GET", "/supervision/signals"): Row("list"),
    ("POST", "/supervision/signals/{signal_id}/disposition"): Row("act", body={"decision": "accept", "reason": "已核实"}),
    ("GET", "/supervision/exceptions"): Row("list"),
    ("POST", "/supervision/spot-checks"): Row("create", body={"dept_code": C, "period": "2012Q3"}),
    ("GET", "/supervision/spot-checks"): Row("list"),
    ("GET", "/supervision/spot-checks/{no}"): Row("one"),
    ("POST", "/supervision/spot-checks/{no}/reviews"): Row(
        "act", body={"case_no": REJECTED_C, "finding": "compliant", "note": "材料确不齐全"}),
    ("GET", "/complaints"): Row("list"),
    ("GET", "/complaints/{complaint_no}"): Row("one"),
    ("POST", "/complaints/{complaint_no}/decision"): Row("act", body={"decision": "accept"}),
    ("POST", "/complaints/{complaint_no}/transfer"): Row("act", body={}),
    ("POST", "/complaints/{complaint_no}/result"): Row("act", body={"result": "已处理"}),
    ("POST", "/complaints/{complaint_no}/finding"): Row("act", body={"finding": "unfounded", "reason": "查无实据"}),
    ("GET", "/consultations"): Row("list"),
    ("GET", "/consultations/{consultation_no}"): Row("one"),
    ("GET", "/supervision/evaluation"): Row("list", params={"period": "2012Q3"}),
    ("GET", "/supervision/evaluation.xlsx"): Row("list", params={"period": "2012Q3"}),
    ("POST", "/supervision/evaluation/{period}/letters"): Row("batch", body={"issued_at": "2012-10-15T09:00:00+08:00"},
                                                              why="letters only for the region's departments"),
    ("POST", "/supervision/evaluation/{period}/publish"): Row("batch", why="publishes the region's departments only"),
    ("GET", "/supervision/letters"): Row("list", c_listed=False),
    # the console's real-time board (实时监控) and its drill-down
    ("GET", "/supervision/board"): Row("list", filter_by_dept=False),
    ("GET", "/supervision/statistics/risk"): Row("list", params={"period": "2012Q3"}),
    ("GET", "/supervision/board/{dept_code}"): Row("one", ids={"dept_code": "dept_c"}),
    # cases
    ("GET", "/staff/cases/{case_no}"): Row("one"),
    ("GET", "/staff/cases/{case_no}/verify"): Row("one"),
    ("GET", "/cases/{case_no}/tasks"): Row("one", ids={"case_no": "native_case"}),
    # legal office: findings, catalog, officers, normative documents, reconsideration, litigation
    ("GET", "/legal/findings"): Row("list"),
    ("POST", "/legal/findings/{finding_id}/disposition"): Row("act", body={"decision": "accept", "reason": "已核实"}),
    ("GET", "/catalog/pending"): Row("list", filter_by_dept=False),
    ("POST", "/catalog/items/{code}/versions/{version}/confirm"): Row("act", body={"effective_from": "2012-01-01"}),
    ("POST", "/catalog/items/{code}/versions/{version}/reject"): Row("act", body={"reason": "依据不充分"}),
    ("GET", "/legal/catalog/pending"): Row("list"),
    ("GET", "/legal/catalog/overdue-declarations"): Row("list", c_listed=False),
    ("GET", "/legal/catalog/repealed-citations"): Row("list", c_listed=False),
    ("POST", "/legal/catalog/triggers"): Row(
        "create", body={"dept_code": C, "triggered_on": "2012-03-01", "title": "《某条例》修订"}),
    ("POST", "/legal/catalog/governance-check"): Row("create", body={"as_of": "2099-01-01", "dept_code": C}),
    ("POST", "/legal/officers"): Row("create", body={"officer_id": "RGN-X", "name": "张某", "dept_code": C,
                                                     "cert_no": "苏935009", "valid_from": "2010-01-01",
                                                     "valid_to": "2030-12-31"}),
    ("GET", "/legal/officers"): Row("list"),
    ("GET", "/legal/officers/{officer_id}"): Row("one"),
    ("POST", "/legal/normative-documents"): Row("create", body={
        "doc_no": "丰测规〔2012〕9号", "title": "丰县某办法", "dept_code": C, "published_on": "2012-06-20",
        "effective_on": "2012-08-01", "parts": PARTS}),
    ("GET", "/legal/normative-documents"): Row("list"),
    ("GET", "/legal/normative-documents/{doc_id}"): Row("one"),
    ("POST", "/legal/normative-documents/{doc_id}/register"): Row("act", body={}),
    ("POST", "/legal/normative-documents/{doc_id}/hold"): Row("act", body={"missing": ["official_text"],
                                                                           "deadline": "2099-01-01"}),
    ("POST", "/legal/normative-documents/{doc_id}/supplement"): Row("act", body={"parts": {"official_text": "正文"}}),
    ("POST", "/legal/normative-documents/{doc_id}/review"): Row("act", body={"outcome": "ok"}),
    ("POST", "/legal/reconsiderations"): Row("create", body={"ref_no": "沛政复〔2012〕1号", "case_no": CASE_C,
                                                             "learned_on": "2012-06-15", "applied_on": "2012-06-20"}),
    ("GET", "/legal/reconsiderations"): Row("list"),
    ("GET", "/legal/reconsiderations/rates"): Row("list", params={"by": "dept"}, filter_by_dept=False),
    ("GET", "/legal/reconsiderations/{rid}"): Row("one", ids={"rid": "rid_recon"}),
    ("POST", "/legal/reconsiderations/{rid}/acceptance"): Row("act", body={"decision": "accepted", "on": "2012-06-21"},
                                                              ids={"rid": "rid_recon"}),
    ("POST", "/legal/reconsiderations/{rid}/extension"): Row("act", body={"on": "2012-07-01", "approver": "王某",
                                                                          "reason": "案情复杂"}, ids={"rid": "rid_recon"}),
    ("POST", "/legal/reconsiderations/{rid}/decision"): Row("act", body={"outcome": "uphold", "decided_on": "2012-08-01"},
                                                            ids={"rid": "rid_recon"}),
    ("POST", "/legal/litigations"): Row("create", body={"ref_no": "（2012）沛行初字第1号", "case_no": CASE_C,
                                                        "court": "沛县人民法院", "served_on": "2012-06-20"}),
    ("GET", "/legal/litigations"): Row("list"),
    ("GET", "/legal/litigations/{rid}"): Row("one", ids={"rid": "rid_lit"}),
    ("POST", "/legal/litigations/{rid}/defence"): Row("act", body={"on": "2012-06-25"}, ids={"rid": "rid_lit"}),
    ("POST", "/legal/litigations/{rid}/decision"): Row("act", body={"outcome": "uphold", "decided_on": "2012-09-01"},
                                                       ids={"rid": "rid_lit"}),
    # 政府信息公开: C's request (the staff view, the list); attachments: the evidence of a complaint about C
    ("GET", "/disclosure/requests"): Row("list"),
    ("GET", "/staff/disclosure/requests/{request_no}"): Row("one"),
    ("GET", "/staff/disclosure/departments/{dept_code}/documents"): Row("one", ids={"dept_code": "dept_c"}),
    ("GET", "/attachments"): Row("one", params={"owner_kind": "complaint"}, query_ids={"owner_id": "complaint_with_files"},
                                 why="the files of one owner: another region's is refused like a single record"),
    ("GET", "/attachments/{attachment_id}"): Row("one"),
    # 基层延伸: statistics per point (its rows carry no dept_code: the per-point matrix is in test_service_points)
    ("GET", "/staff/service-points/stats"): Row("list", params={"period": "2012-06"}, c_listed=False),
    # not about one department
    ("POST", "/supervision/sweep"): Row("global", why="an idempotent operational trigger: evaluates rules, decides nothing"),
    ("GET", "/admin/rules"): Row("global", why="the platform's rule parameters"),
    ("GET", "/admin/legal-office-config"): Row("global", why="the legal office's time limits"),
    ("POST", "/legal/bases/{basis_id}/repeal"): Row("global", why="laws and regulations are shared by both levels"),
    ("GET", "/legal/bases"): Row("global", why="the laws the published catalog cites, shared by both levels"),
    ("GET", "/admin/service-points"): Row("global", why="the register of public service points, no department's records"),
}
#: Public routes that show staff more (a complaint's, a consultation's staff view) are in TABLE as well.
PUBLIC_STAFF_VIEWS = {("GET", "/complaints/{complaint_no}"), ("GET", "/consultations/{consultation_no}")}


def _routes() -> list[Any]:
    import app  # noqa: F401 - registers every blueprint's routes
    from chalicelib.handlers.http import ROUTES

    return sorted(ROUTES, key=lambda s: (s.path, s.method))


def _role(spec: Any) -> str:
    return "supervisor" if "supervisor" in spec.roles or not spec.roles else "legal"


def _path(spec: Any, row: Row, ids: dict[str, str]) -> str:
    import re

    return re.sub(r"\{([^}]+)\}", lambda m: ids[row.ids.get(m.group(1), m.group(1))], spec.path)


def _depts_in(response: Any) -> set[str]:
    """The department codes a list answer shows (JSON rows, or an Excel sheet's cells)."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        rows = response.json().get("items", [])
        return {str(r.get("dept_code") or str(r.get("code") or r.get("item_code") or "")[6:9]) for r in rows}
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}


def test_every_route_of_the_bureau_and_the_legal_office_is_classified() -> None:
    regional = {(s.method, s.path) for s in _routes()
                if s.auth != "public" and set(s.roles) & {"supervisor", "legal"}} | PUBLIC_STAFF_VIEWS
    assert regional - set(TABLE) == set(), "classify these routes' region scope in TABLE"
    assert set(TABLE) - regional == set(), "routes in TABLE that no longer exist"
    kinds = {route: row.kind for route, row in TABLE.items()}
    assert {k for k in kinds.values()} <= {"one", "list", "act", "create", "batch", "global"}, \
        "every row is exercised: no route is left for later"


def test_the_legal_office_reads_disclosure_requests_of_its_region_only_and_without_personal_data(
        api: Api, world: dict[str, Any]) -> None:
    users, no = world["users"], world["ids"]["request_no"]
    # Given C's request (丰县): 沛县's legal office is refused the request and sees none of C's in its list
    assert api.get(f"/staff/disclosure/requests/{no}", token=users["legal@pei"]).status_code == 403
    assert api.get("/disclosure/requests", token=users["legal@pei"], dept_code=C).status_code == 403
    listed = api.get("/disclosure/requests", token=users["legal@pei"], limit=500).json()["items"]
    assert C not in {r["dept_code"] for r in listed}
    # 丰县's and the city's read it, with the applicant masked: they oversee, they do not handle it
    for who in ("legal@feng", "legal@city", "sup@feng"):
        r = api.get(f"/staff/disclosure/requests/{no}", token=users[who])
        assert r.status_code == 200, r.text
        view = r.json()
        assert view["may_act"] is False and view["applicant"]["masked"] is True
        assert view["applicant"]["name"] == "孙*" and view["applicant"]["phone"] == "1390***0001"
        assert "13905160001" not in r.text and "孙某" not in r.text
    # The department's handler sees the applicant in full and may act
    handler = api.get(f"/staff/disclosure/requests/{no}", token=users["handler@C"]).json()
    assert handler["may_act"] is True and handler["applicant"]["name"] == "孙某"
    rows = api.get("/disclosure/requests", token=users["sup@feng"], sort="due").json()["items"]
    assert [r["applicant_name"] for r in rows if r["request_no"] == no] == ["孙*"]


def test_another_countys_officers_get_nothing_of_c_on_every_route(api: Api, world: dict[str, Any]) -> None:
    users, ids = world["users"], world["ids"]
    wrong = []
    for spec in _routes():
        row = TABLE.get((spec.method, spec.path))
        if row is None or row.kind == "global":
            continue
        role = _role(spec)
        prefix = "sup" if role == "supervisor" else "legal"
        foreign, own, city = users[f"{prefix}@pei"], users[f"{prefix}@feng"], users[f"{prefix}@city"]
        path = _path(spec, row, ids)
        label = f"{spec.method} {spec.path} as {role}"
        if row.kind == "one":
            # Given one of C's records: 沛县 is refused, 丰县 and the city read it
            params = {**row.params, **{k: ids[v] for k, v in row.query_ids.items()}}
            got = api.get(path, token=foreign, **params).status_code
            if got not in (403, 404):
                wrong.append(f"{label}@沛县: {got}, want 403/404")
            for who, token in (("丰县", own), ("city", city)):
                r = api.get(path, token=token, **params)
                if r.status_code != 200:
                    wrong.append(f"{label}@{who}: {r.status_code} {r.text[:150]}")
        elif row.kind == "list":
            # A list shows 沛县 nothing of C, refuses to filter to C, and shows C to 丰县 and the city
            r = api.get(path, token=foreign, **row.params)
            if r.status_code != 200 or C in _depts_in(r):
                wrong.append(f"{label}@沛县: {r.status_code}, shows C: {r.text[:150]}")
            if row.filter_by_dept:
                got = api.get(path, token=foreign, **row.params, dept_code=C).status_code
                if got != 403:
                    wrong.append(f"{label}@沛县 ?dept_code={C}: {got}, want 403")
            # (filtered to C where the list can be: the whole suite's records would crowd C off page one)
            mine = {**row.params, "dept_code": C} if row.filter_by_dept else row.params
            for who, token in (("丰县", own), ("city", city)):
                r = api.get(path, token=token, **mine)
                if r.status_code != 200 or (row.c_listed and C not in _depts_in(r)):
                    wrong.append(f"{label}@{who}: {r.status_code}, C missing: {r.text[:150]}")
        else:
            # An action on C's record (or creating one for C), with a valid body: refused, nothing changes
            r = api.post(path, row.body, token=foreign)
            ok = (r.status_code in (200, 201) and C not in _depts_in(r)) if row.kind == "batch" \
                else r.status_code in (403, 404)
            if not ok:
                wrong.append(f"{label}@沛县: {r.status_code} {r.text[:150]}")
    assert not wrong, "\n".join(wrong)
    # And nothing 沛县 tried changed C's records
    sup = users["sup@feng"]
    assert api.get(f"/complaints/{ids['complaint_no']}", token=sup).json()["status"] == "received"
    signal = api.get("/supervision/signals", token=sup, case_no="RGN-C-R13").json()["items"][0]
    assert signal["status"] == "open"
    pending = {i["code"] for i in api.get("/catalog/pending", token=users["legal@feng"]).json()["items"]}
    assert PENDING_C in pending


def test_the_city_sees_every_county_and_a_platform_wide_office_everything(api: Api, world: dict[str, Any]) -> None:
    users = world["users"]
    # Given a signal on C (丰县); when each office lists signals
    def signal_depts(token: str, **params: str) -> set[str]:
        return {s["dept_code"] for s in api.get("/supervision/signals", token=token, limit=500, **params).json()["items"]}

    # Then 丰县 sees only its own departments; the city and the platform-wide bureau see C's too
    assert signal_depts(users["sup@feng"]) == {C}
    assert signal_depts(users["sup@city"], dept_code=C) == {C}
    assert signal_depts(api.reader, dept_code=C) == {C}
    # and 沛县 sees none of them, and may not ask for them
    assert C not in signal_depts(users["sup@pei"])
    assert api.get("/supervision/signals", token=users["sup@pei"], dept_code=C).status_code == 403


def test_evaluation_and_statistics_per_region_roll_up_to_the_city(api: Api, world: dict[str, Any]) -> None:
    users = world["users"]
    # Given C's counters for 2012Q3 (one intake refusal: no received) and June (one case accepted)
    public = api.get("/stats/regions", period="2012-06").json()["items"]
    by_region = {r["region_code"]: r for r in public}
    depts = {r["dept_code"]: r for r in api.get("/stats/departments", period="2012-06").json()["items"]}
    # Then 丰县's totals are C's, and the city's include 丰县's and every city department's
    assert by_region[FENG]["received"] == depts[C]["received"] == 1
    assert by_region[FENG]["departments"] == 1 and by_region[FENG]["level"] == "county"
    city_depts = [d for d in depts.values() if str(d.get("region_code", "")).startswith("3203")]
    assert by_region[CITY]["received"] == sum(d["received"] for d in city_depts)
    assert by_region[CITY]["departments"] == len(city_depts)
    # And a region filter keeps that region (a county) or the city with all its counties
    assert {r["region_code"] for r in api.get("/stats/regions", period="2012-06", region_code=FENG).json()["items"]} \
        == {FENG}
    only_feng = api.get("/stats/departments", period="2012-06", region_code=FENG).json()["items"]
    assert [d["dept_code"] for d in only_feng] == [C]
    # The county's evaluation shows its department and its region only; the city's the roll-up
    county = api.get("/supervision/evaluation", token=users["sup@feng"], period="2012-06").json()
    assert [i["dept_code"] for i in county["items"]] == [C]
    assert [r["region_code"] for r in county["regions"]] == [FENG]
    city = api.get("/supervision/evaluation", token=users["sup@city"], period="2012-06").json()
    regions = {r["region_code"]: r for r in city["regions"]}
    assert regions[CITY]["received"] == by_region[CITY]["received"]
    assert regions[FENG]["received"] == 1 and C in {i["dept_code"] for i in city["items"]}
    assert D in {i["dept_code"] for i in city["items"]}
    assert D not in {i["dept_code"] for i in county["items"]}


def test_only_region_roles_carry_a_region(api: Api, world: dict[str, Any]) -> None:
    # A region on a department role is refused by name; an unknown region code shape too
    r = api.admin("POST", "/admin/users", {"username": "rgn-bad-1", "roles": ["handler"], "dept_code": C,
                                           "region_code": FENG})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "region_code"
    r = api.admin("POST", "/admin/users", {"username": "rgn-bad-2", "roles": ["supervisor"], "region_code": "3203"})
    assert r.status_code == 400


def test_each_level_publishes_its_own_grades_in_the_hall(api: Api, world: dict[str, Any]) -> None:
    users = world["users"]
    # Given 2012Q3 not yet published by 丰县: the hall shows nothing of C
    before = api.get("/evaluation/grades", period="2012Q3").json()["items"]
    assert C not in {i["dept_code"] for i in before}
    # A quarter that has not ended cannot be published
    assert api.post("/supervision/evaluation/2099Q1/publish", None, token=users["sup@feng"]).status_code == 409
    # When 沛县 publishes, C is not among its departments; when 丰县 publishes, C is, and nothing else
    pei = api.post("/supervision/evaluation/2012Q3/publish", None, token=users["sup@pei"]).json()
    assert {i["dept_code"] for i in pei["items"]} == {D}
    feng = api.post("/supervision/evaluation/2012Q3/publish", None, token=users["sup@feng"]).json()
    assert {i["dept_code"] for i in feng["items"]} == {C}
    # Then the hall (no login) shows both counties' grades, with public figures only
    shown = {i["dept_code"]: i for i in api.get("/evaluation/grades", period="2012Q3").json()["items"]}
    assert {C, D} <= set(shown)
    assert set(shown[C]) == {"dept_code", "dept_name", "level", "region_code", "grade", "received", "concluded",
                             "on_time_rate", "satisfaction_rate", "complaints_per_100", "published_at"}
    only_feng = api.get("/evaluation/grades", period="2012Q3", region_code=FENG).json()["items"]
    assert [i["dept_code"] for i in only_feng] == [C]
    assert "2012Q3" in api.get("/evaluation/grades").json()["periods"]
