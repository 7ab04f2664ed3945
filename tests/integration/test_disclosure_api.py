"""政府信息公开 through the API (docs/CONTRACT.md §9, docs/DOMAIN.md §11): the hall's request, receipt and progress
query, the department's handling and its clock, R15 through the stream and the sweep, statistics,
evaluation, the annual report and the 主动公开 directory.

Department codes 800–809 belong to this module. Requests registered by staff carry receipt days in
2013 (a request made at the window, entered later), so sweeps ``as_of`` 2013 instants reach only
this module's requests among those still open.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.support.client import Api

pytestmark = pytest.mark.integration

A, B = "800", "801"
CST = timezone(timedelta(hours=8))


class World:
    def __init__(self, api: Api) -> None:
        self.api = api
        for code in (A, B, "802"):
            api.department(code, f"测试公开机关{code}")
        self.handler = api.user("gk-h800", ["handler"], A)
        self.head = api.user("gk-head800", ["dept_head"], A)
        self.dept_sup = api.user("gk-ds800", ["dept_supervision"], A)
        self.other = api.user("gk-h801", ["handler"], B)
        self.sup = api.user("gk-sup", ["supervisor"])
        self.legal = api.user("gk-legal", ["legal"])


@pytest.fixture(scope="module")
def world(api: Api) -> World:
    return World(api)


def request_body(dept: str = A, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dept_code": dept,
        "applicant": {"type": "person", "name": "王五", "id_type": "身份证", "id_no": "320302199001011234",
                      "phone": "13900000000", "address": "徐州市鼓楼区中山北路 1 号"},
        "description": "2012 年度本市建设项目环境影响评价审批结果汇总表",
        "purpose": "学术研究",
        "format": "electronic",
    }
    body.update(over)
    return body


def submitted(w: World, **over: Any) -> dict[str, Any]:
    r = w.api.post("/disclosure/requests", request_body(**over))
    assert r.status_code == 201, r.text
    return dict(r.json())


def registered(w: World, received_on: str, dept: str = A, token: str | None = None, **over: Any) -> str:
    """A request made at the window, entered by the department's handler with its receipt day."""
    r = w.api.post("/disclosure/requests", request_body(dept, channel="window", received_on=received_on, **over),
                   token=token or w.handler)
    assert r.status_code == 201, r.text
    return str(r.json()["request_no"])


def act(w: World, no: str, body: dict[str, Any], token: str | None = None) -> Any:
    return w.api.post(f"/disclosure/requests/{no}/actions", body, token=token or w.handler)


def acted(w: World, no: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    r = act(w, no, body, token)
    assert r.status_code == 200, r.text
    return dict(r.json())


def staff_view(w: World, no: str, token: str | None = None) -> dict[str, Any]:
    r = w.api.get(f"/staff/disclosure/requests/{no}", token=token or w.handler)
    assert r.status_code == 200, r.text
    return dict(r.json())


def working_days_after(api: Api, day: str, n: int) -> str:
    r = api.get("/calendar/deadline", **{"from": day, "working_days": n})
    assert r.status_code == 200, r.text
    return str(r.json()["due"])


def r15(w: World, no: str) -> list[dict[str, Any]]:
    r = w.api.get("/supervision/signals", token=w.sup, case_no=no, rule="R15")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


# --- the hall: request, receipt, progress ------------------------------------------------------------


def test_a_citizen_requests_disclosure_and_follows_it_with_number_and_password(world: World) -> None:
    # When a citizen submits the form
    receipt = submitted(world)
    # Then the receipt names the number, a password, the receipt day and the 20th working day after it
    assert receipt["request_no"].startswith("GK") and len(receipt["query_password"]) >= 6
    assert receipt["due"] == working_days_after(world.api, receipt["received_on"], 20)
    # And the number with the password shows the progress (docs/CONTRACT.md §9's fields)
    r = world.api.get(f"/disclosure/requests/{receipt['request_no']}", password=receipt["query_password"])
    assert r.status_code == 200, r.text
    view = r.json()
    assert {k: view[k] for k in ("request_no", "dept_code", "status", "received_on", "due", "answer")} == {
        "request_no": receipt["request_no"], "dept_code": A, "status": "open", "received_on": receipt["received_on"],
        "due": receipt["due"], "answer": None}
    # And nothing personal is in it
    text = json.dumps(view, ensure_ascii=False)
    assert "王五" not in text and "320302199001011234" not in text and "13900000000" not in text


def test_a_wrong_or_missing_password_is_an_unknown_request(world: World) -> None:
    receipt = submitted(world)
    no = receipt["request_no"]
    for params in ({"password": "WRONGPW2"}, {}):
        r = world.api.get(f"/disclosure/requests/{no}", **params)
        assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    assert world.api.get("/disclosure/requests/GK201301010000000", password="ABCDEFGH").status_code == 404
    # The password is accepted in lower case as printed
    assert world.api.get(f"/disclosure/requests/{no}", password=receipt["query_password"].lower()).status_code == 200


def test_repeated_wrong_passwords_lock_the_query_for_a_while(world: World) -> None:
    receipt = submitted(world)
    no = receipt["request_no"]
    codes = [world.api.get(f"/disclosure/requests/{no}", password=f"WRONG{i:03d}").status_code for i in range(6)]
    assert codes[:5] == [404] * 5 and codes[5] == 429
    assert world.api.get(f"/disclosure/requests/{no}", password=receipt["query_password"]).status_code == 429


def test_bad_input_names_each_field_and_stores_nothing(world: World) -> None:
    r = world.api.post("/disclosure/requests", {"dept_code": "8", "applicant": {"type": "person"}, "description": "x"})
    assert r.status_code == 400
    fields = {d["field"] for d in r.json()["error"]["details"]}
    assert {"dept_code", "applicant.name", "description"} <= fields
    unknown = world.api.post("/disclosure/requests", request_body("809"))
    assert unknown.status_code == 400 and unknown.json()["error"]["details"][0]["field"] == "dept_code"


def test_what_real_clients_send_is_understood(world: World) -> None:
    body = request_body(format="纸质", applicant={"type": "法人", "org_kind": "commercial", "name": "某某科技有限公司",
                                                 "id_type": "统一社会信用代码", "id_no": "91320300MA1XXXXXX1"})
    r = world.api.post("/disclosure/requests", body)
    assert r.status_code == 201, r.text
    view = staff_view(world, r.json()["request_no"])
    assert view["format"] == "paper" and view["applicant"]["type"] == "org"


def test_only_staff_of_the_department_register_a_request_received_another_way(world: World) -> None:
    body = request_body(channel="letter", received_on="2013-03-01")
    assert world.api.post("/disclosure/requests", body).status_code == 401
    assert world.api.post("/disclosure/requests", body, token=world.other).status_code == 403
    future = (datetime.now(CST).date() + timedelta(days=3)).isoformat()
    r = world.api.post("/disclosure/requests", request_body(channel="letter", received_on=future), token=world.handler)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "received_on"


# --- the department: handling and the clock -----------------------------------------------------------


def test_extension_clarification_and_consultation_move_the_due_date(world: World) -> None:
    no = registered(world, "2013-03-04")  # a Monday
    base = working_days_after(world.api, "2013-03-04", 20)
    assert staff_view(world, no)["due"] == base
    # A consultation from Monday 11 to Wednesday 13 March leaves three working days out
    acted(world, no, {"action": "consult_start", "on": "2013-03-11", "third_party": "某某置业有限公司"})
    assert staff_view(world, no)["status"] == "consulting" and staff_view(world, no)["due"] is None
    view = acted(world, no, {"action": "consult_end", "on": "2013-03-13"})
    assert view["due"] == working_days_after(world.api, base, 3)
    # An extension of 15 working days, approved, once
    extended = acted(world, no, {"action": "extend", "on": "2013-03-20", "working_days": 15, "approver": "张主任",
                                 "reason": "需要调取多年档案"})
    assert extended["status"] == "extended"
    assert extended["due"] == working_days_after(world.api, view["due"], 15)
    again = act(world, no, {"action": "extend", "on": "2013-03-21", "working_days": 5, "approver": "张主任",
                            "reason": "再延"})
    assert again.status_code == 409
    # The answer ends it; the applicant sees it
    answered = acted(world, no, {"action": "answer", "on": "2013-04-10", "type": "partly_disclosed",
                                 "text": "部分信息已通过电子邮件提供", "reason": "其余部分涉及个人隐私，依法不予公开"})
    assert answered["status"] == "answered" and answered["answer"]["reason_code"] == "third_party"
    assert answered["answered_late"] is False


def test_a_clarification_restarts_the_count_from_the_day_it_arrives(world: World) -> None:
    no = registered(world, "2013-05-06")
    asked = acted(world, no, {"action": "clarify", "on": "2013-05-08", "text": "请写明所需文件的名称或文号"})
    assert asked["status"] == "clarifying" and asked["due"] is None
    assert act(world, no, {"action": "clarify", "on": "2013-05-09", "text": "再次补正"}).status_code == 409
    back = acted(world, no, {"action": "clarified", "on": "2013-05-20"})
    assert back["status"] == "open"
    assert back["due"] == working_days_after(world.api, "2013-05-20", 20)


def test_each_action_says_what_is_missing_or_not_allowed(world: World) -> None:
    no = registered(world, "2013-06-03")
    missing = act(world, no, {"action": "extend", "on": "2013-06-04"})
    assert missing.status_code == 400
    assert {d["field"] for d in missing.json()["error"]["details"]} == {"working_days", "approver", "reason"}
    withheld = act(world, no, {"action": "answer", "on": "2013-06-04", "type": "withheld", "text": "不予公开"})
    assert withheld.status_code == 400 and withheld.json()["error"]["details"][0]["field"] == "reason"
    bad_type = act(world, no, {"action": "answer", "type": "maybe", "text": "?"})
    assert bad_type.status_code == 400 and bad_type.json()["error"]["details"][0]["field"] == "type"
    assert act(world, no, {"action": "clarified", "on": "2013-06-04"}).status_code == 409
    too_long = act(world, no, {"action": "extend", "working_days": 30, "approver": "张", "reason": "多"})
    assert too_long.status_code == 400 and too_long.json()["error"]["details"][0]["field"] == "working_days"


def test_only_the_departments_handlers_act_and_only_its_staff_read(world: World) -> None:
    no = registered(world, "2013-06-17")
    body = {"action": "consult_start", "on": "2013-06-18"}
    assert world.api.post(f"/disclosure/requests/{no}/actions", body).status_code == 401
    assert act(world, no, body, token=world.other).status_code == 403
    assert act(world, no, body, token=world.dept_sup).status_code == 403
    assert act(world, no, body, token=world.sup).status_code == 403
    assert act(world, no, body, token=world.head).status_code == 200
    assert world.api.get(f"/staff/disclosure/requests/{no}", token=world.other).status_code == 403
    assert world.api.get(f"/staff/disclosure/requests/{no}", token=world.dept_sup).status_code == 200
    assert world.api.get(f"/staff/disclosure/requests/{no}", token=world.sup).status_code == 200
    # The department's list holds it; another department's list does not, nor may it ask for A's
    mine = world.api.get("/disclosure/requests", token=world.handler, limit=500).json()["items"]
    assert any(row["request_no"] == no for row in mine)
    theirs = world.api.get("/disclosure/requests", token=world.other, limit=500).json()["items"]
    assert not any(row["request_no"] == no for row in theirs)
    assert world.api.get("/disclosure/requests", token=world.other, dept_code=A).status_code == 403


def test_the_staff_view_holds_a_verified_hash_chain_and_never_the_password(world: World) -> None:
    receipt = submitted(world)
    no = receipt["request_no"]
    acted(world, no, {"action": "consult_start", "third_party": "某公司"})
    view = staff_view(world, no)
    assert view["chain"]["verified"] is True and view["chain"]["records"] == 2
    assert [r["seq"] for r in view["log"]] == [1, 2]
    assert view["log"][1]["prev_hash"] == view["log"][0]["hash"]
    text = json.dumps(view, ensure_ascii=False)
    assert receipt["query_password"] not in text and "password_hash" not in text and "h1$" not in text
    assert view["applicant"]["name"] == "王五"  # the department needs to reach the applicant


def test_the_departments_list_puts_the_earliest_due_date_first_with_the_working_days_left(world: World) -> None:
    # Given four requests of department 803: two running, one awaiting clarification, one answered
    world.api.department("803", "测试公开机关803")
    h803 = world.api.user("gk-h803", ["handler"], "803")
    later = registered(world, "2013-07-15", dept="803", token=h803)
    first = registered(world, "2013-07-01", dept="803", token=h803)
    stopped = registered(world, "2013-07-08", dept="803", token=h803)
    acted(world, stopped, {"action": "clarify", "on": "2013-07-09", "text": "请写明文件名称"}, token=h803)
    done = registered(world, "2013-06-03", dept="803", token=h803)
    acted(world, done, {"action": "answer", "on": "2013-06-20", "type": "disclosed", "text": "已提供"}, token=h803)
    friday = "2013-07-19T10:00:00+08:00"
    # When the department lists them by due date
    r = world.api.get("/disclosure/requests", token=h803, sort="due", as_of=friday)
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    # Then running clocks come by due date, the stopped clock after them, the answered one last
    assert [x["request_no"] for x in rows] == [first, later, stopped, done] and r.json()["total"] == 4
    by_no = {x["request_no"]: x for x in rows}
    # And each running clock says how many working days are left (none while it stands still or once closed)
    for no in (first, later):
        left = by_no[no]["working_days_left"]
        assert left > 0 and working_days_after(world.api, "2013-07-19", left) == by_no[no]["due"]
    assert by_no[stopped]["working_days_left"] is None and by_no[stopped]["clock_state"] == "clarifying"
    assert by_no[done]["working_days_left"] is None
    # Only those still open, as of a day past the first due date: it is overdue by working days
    late = world.api.get("/disclosure/requests", token=h803, sort="due", status="pending",
                         as_of="2013-09-02T10:00:00+08:00").json()
    assert [x["request_no"] for x in late["items"]] == [first, later, stopped]
    assert late["items"][0]["overdue"] is True and late["items"][0]["working_days_left"] < 0
    # A limit keeps the most urgent; the total says how many matched
    top = world.api.get("/disclosure/requests", token=h803, sort="due", limit=1, as_of=friday).json()
    assert [x["request_no"] for x in top["items"]] == [first] and top["total"] == 4 and top["next"] is None


def test_a_forms_mistakes_are_explained_in_chinese_beside_their_fields(world: World) -> None:
    no = registered(world, "2013-08-05")
    r = act(world, no, {"action": "extend", "working_days": 30, "approver": "张", "reason": "多"})
    assert r.status_code == 400
    assert r.json()["error"]["details"] == [{"field": "working_days", "type": "less_than_equal", "message": "不能大于 20"}]
    bad = act(world, no, {"action": "answer", "type": "maybe", "text": "?"}).json()["error"]["details"][0]
    assert bad["field"] == "type" and bad["message"].startswith("取值无效，可选：already_public、disclosed")
    day = act(world, no, {"action": "consult_start", "on": "2013-13-01"}).json()["error"]["details"][0]
    assert day == {"field": "on", "type": "date_from_datetime_parsing", "message": "日期格式应为 YYYY-MM-DD"}


# --- R15 ---------------------------------------------------------------------------------------------


def sweep(w: World, as_of: str) -> dict[str, Any]:
    r = w.api.post("/supervision/sweep", {"as_of": as_of}, token=w.sup)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_an_unanswered_request_turns_red_when_its_due_day_ends_through_the_sweep(world: World, settle: Any) -> None:
    # Given a request from the hall today, not answered
    no = submitted(world)["request_no"]
    due = staff_view(world, no)["due"]
    settle()
    # When the timer sweeps on its due day, nothing; once the day has ended, red R15
    sweep(world, f"{due}T23:00:00+08:00")
    assert r15(world, no) == []
    next_day = (date.fromisoformat(due) + timedelta(days=1)).isoformat()
    sweep(world, f"{next_day}T08:00:00+08:00")
    [red] = r15(world, no)
    assert red["level"] == "red" and red["dept_code"] == A and red["status"] == "open"
    assert red["raised_at"].startswith(next_day)
    # And the department's list flags it as of that instant
    rows = world.api.get("/disclosure/requests", token=world.handler, overdue="true",
                         as_of=f"{next_day}T09:00:00+08:00", limit=500).json()["items"]
    assert any(row["request_no"] == no and row["overdue"] for row in rows)
    # Sweeping again raises nothing twice
    sweep(world, f"{next_day}T09:00:00+08:00")
    assert len(r15(world, no)) == 1


def test_a_late_answer_and_a_late_clarification_raise_r15_from_the_stream(world: World, settle: Any) -> None:
    # Given requests received in 2013 (entered later from the window's register)
    late = registered(world, "2013-08-01")
    due = staff_view(world, late)["due"]
    after = (date.fromisoformat(due) + timedelta(days=5)).isoformat()
    answered = acted(world, late, {"action": "answer", "on": after, "type": "not_exist",
                                   "text": "经检索，本机关未制作该信息", "reason": "本机关不掌握相关政府信息"})
    assert answered["answered_late"] is True
    slow = registered(world, "2013-08-01")
    eight = working_days_after(world.api, "2013-08-01", 8)
    acted(world, slow, {"action": "clarify", "on": eight, "text": "请说明所需信息的时间范围"})
    settle()  # no sweep: the cases stream carries each summary to supervision
    [red] = r15(world, late)
    assert red["level"] == "red" and "逾期答复" in red["message"]
    [yellow] = r15(world, slow)
    assert yellow["level"] == "yellow" and "补正" in yellow["message"]


def test_r15_counts_in_statistics_and_evaluation(world: World, settle: Any) -> None:
    # Department 802: one request answered in time, one late (red R15)
    on_time = registered(world, "2013-09-02", dept="802", token=world.api.user("gk-h802", ["handler"], "802"))
    h802 = world.api.user("gk-h802b", ["handler"], "802")
    acted(world, on_time, {"action": "answer", "on": "2013-09-05", "type": "disclosed", "text": "已提供"}, token=h802)
    late = registered(world, "2013-09-02", dept="802", token=h802)
    acted(world, late, {"action": "answer", "on": "2013-12-02", "type": "disclosed", "text": "已提供"}, token=h802)
    settle()
    stats = {r["dept_code"]: r for r in world.api.get("/stats/departments", period="2013").json()["items"]}
    row = stats["802"]
    assert row["disclosure_received"] == 2 and row["disclosure_answered"] == 2
    assert row["disclosure_on_time_rate"] == 0.5 and row["red"] == 1
    r = world.api.get("/supervision/evaluation", token=world.sup, period="2013Q4", dept_code="802")
    assert r.status_code == 200, r.text
    evaluation = r.json()
    metrics = evaluation["items"][0] if "items" in evaluation else evaluation
    text = json.dumps(metrics, ensure_ascii=False)
    assert '"red": 1' in text and "disclosure_on_time_rate" in text


# --- the annual report --------------------------------------------------------------------------------


def test_the_annual_report_counts_the_year_for_the_department_and_the_platform(world: World) -> None:
    dept = world.api.get("/disclosure/annual-report", year=2013, dept_code=B)
    assert dept.status_code == 200 and dept.json()["received"]["total"] == 0
    h801 = world.other
    carried = registered(world, "2013-12-20", dept=B, token=h801)
    registered(world, "2013-12-23", dept=B, token=h801, applicant={"type": "org", "org_kind": "research", "name": "某研究所"})
    acted(world, carried, {"action": "answer", "on": "2014-01-06", "type": "withheld", "text": "不予公开",
                           "reason": "属于国家秘密"}, token=h801)
    year = world.api.get("/disclosure/annual-report", year=2013, dept_code=B).json()
    assert year["scope"] == "department" and year["final"] is True
    assert year["received"] == {"person": 1, "org": 1, "total": 2, "commercial": 0, "research": 1,
                                "public_interest": 0, "legal_service": 0, "other": 0}
    assert year["still_open"] == 2 and year["carried_over"] == 0
    nxt = world.api.get("/disclosure/annual-report", year=2014, dept_code=B).json()
    assert nxt["carried_over"] == 2 and nxt["answered"]["withheld"] == 1
    rows = {r["key"]: r["values"] for r in nxt["rows"]}
    assert rows["withheld.state_secret"]["person"] == 1 and rows["carried_forward"]["total"] == 1
    platform = world.api.get("/disclosure/annual-report", year=2013).json()
    assert platform["scope"] == "platform" and platform["received"]["total"] >= 2
    bad = world.api.get("/disclosure/annual-report", year="twenty")
    assert bad.status_code == 400


# --- 主动公开 ----------------------------------------------------------------------------------------------

GUIDE = {"office": {"name": "测试公开机关800办公室", "address": "徐州市新城区元和路 1 号", "phone": "0516-80000000",
                    "hours": "工作日 9:00–17:00"}}


def test_a_department_keeps_its_guide_and_publishes_documents_to_the_hall(world: World, local_stack: Any) -> None:
    assert world.api.call("PUT", f"/disclosure/departments/{A}/guide", GUIDE).status_code == 401
    assert world.api.call("PUT", f"/disclosure/departments/{A}/guide", GUIDE, token=world.other).status_code == 403
    r = world.api.call("PUT", f"/disclosure/departments/{A}/guide", GUIDE, token=world.head)
    assert r.status_code == 200, r.text
    doc = {"category": "policy", "title": "关于进一步规范建设项目环评审批的通知", "doc_no": "徐环发〔2013〕12号",
           "formed_on": "2013-03-01", "published_on": "2013-05-02", "summary": "规范环评审批程序"}
    r = world.api.post(f"/disclosure/departments/{A}/documents", doc, token=world.handler)
    assert r.status_code == 201, r.text
    published = r.json()
    assert published["index_no"].startswith(f"{A}-2013-") and published["late"] is True  # > 20 working days
    bad = world.api.post(f"/disclosure/departments/{A}/documents", {**doc, "category": "nonesuch"}, token=world.handler)
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "category"
    # The hall reads the directory from its bucket, and the API shows the same
    s3 = local_stack.clients["s3"]
    hall = json.loads(s3.get_object(Bucket=local_stack.stack.physical["HallBucket"],
                                    Key=f"disclosure/{A}.json")["Body"].read())
    assert hall["guide"]["office"]["name"] == GUIDE["office"]["name"]
    assert [d["doc_id"] for d in hall["documents"]] == [published["doc_id"]]
    assert "by" not in hall["documents"][0]
    api_view = world.api.get(f"/disclosure/departments/{A}").json()
    assert api_view["documents"][0]["title"] == doc["title"]
    index = world.api.get("/disclosure/departments").json()["departments"]
    assert next(d for d in index if d["dept_code"] == A)["documents"] == 1
    # Withdrawn, it leaves the hall
    r = world.api.post(f"/disclosure/departments/{A}/documents/{published['doc_id']}/withdraw",
                       {"reason": "文件已废止"}, token=world.head)
    assert r.status_code == 200, r.text
    assert world.api.get(f"/disclosure/departments/{A}").json()["documents"] == []
    # but the department keeps its record: withdrawn, by whom, when and why (its own staff only)
    kept = world.api.get(f"/staff/disclosure/departments/{A}/documents", token=world.dept_sup)
    assert kept.status_code == 200, kept.text
    [mine] = [d for d in kept.json()["items"] if d["doc_id"] == published["doc_id"]]
    assert mine["status"] == "withdrawn" and mine["withdrawn"]["reason"] == "文件已废止"
    assert mine["withdrawn"]["by"] == "gk-head800" and mine["by"] == "gk-h800" and mine["late"] is True
    assert world.api.get(f"/staff/disclosure/departments/{A}/documents", token=world.other).status_code == 403
    assert world.api.get(f"/staff/disclosure/departments/{A}/documents").status_code == 401
