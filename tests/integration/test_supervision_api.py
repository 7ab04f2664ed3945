"""Administrative supervision (行政监察) through the HTTP API: signals from the event stream and
from the timer sweep, their lifecycle, department scoping and statistics (docs/CONTRACT.md §6–7, issue 6).

Department codes 700–729 belong to this module. Cases here live in 2011 so that sweeps ``as_of``
2011 never touch other modules' 2012 cases, and theirs never reach these.
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

PERSON = {"type": "person", "name": "李四", "id_no": "320311198102021234", "phone": "13800000000"}


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("sup-legal", ["legal"])


@pytest.fixture(scope="module")
def supervisor(api: Api) -> str:
    return api.user("sup-supervisor", ["supervisor"])


def department(api: Api, code: str, legal: str) -> DeptCreds:
    """A department with a no-fee licence item (seq 001: 5/20 working days, steps 2+1+1) and a
    charged one (seq 002: 100 yuan)."""
    creds = api.department(code, f"测试部门{code}")
    api.declare_and_confirm(license_item(code, "001"), legal)
    charged = {"charged": True, "amount": 100, "basis": "苏价费〔2010〕9号"}
    api.declare_and_confirm(license_item(code, "002", fee=charged), legal)
    return creds


def code_of(dept: DeptCreds, seq: str = "001") -> str:
    return f"320300{dept.code}XK{seq}00"


def post(api: Api, dept: DeptCreds, events: list[dict[str, Any]]) -> list[str]:
    r = api.post_events(dept, events)
    assert r.status_code == 200, r.text
    return [x["status"] for x in r.json()["results"]]


def signals(api: Api, case_no: str, token: str | None = None, **filters: Any) -> list[dict[str, Any]]:
    r = api.get("/supervision/signals", token=token or api.admin_token, case_no=case_no, **filters)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def fired(api: Api, case_no: str, *rules: str) -> list[tuple[str, str]]:
    """(rule, level) of the case's signals, restricted to ``rules``, sorted."""
    return sorted((s["rule"], s["level"]) for s in signals(api, case_no) if s["rule"] in rules)


def sweep(api: Api, token: str, as_of: str) -> dict[str, Any]:
    r = api.post("/supervision/sweep", {"as_of": as_of}, token=token)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def accepted(case_no: str, code: str, at: str, **data: Any) -> dict[str, Any]:
    return event(case_no, code, "accepted", at, {"status": "accepted", "query_password": "pw-sup-1", **data})


# ----- event-driven rules ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def d701(api: Api, legal: str) -> DeptCreds:
    return department(api, "701", legal)


def test_a_rejection_without_reason_raises_red_r6_at_once(api: Api, d701: DeptCreds, settle: Any) -> None:
    # Given (docs/DOMAIN.md §10 example 5) an intake rejection with no reason, and one with a reason
    code = code_of(d701)
    bare, reasoned = "SUP-R6-1", "SUP-R6-2"
    assert post(api, d701, [
        event(bare, code, "accepted", "2011-06-13T10:00:00+08:00", {"status": "rejected"}),
        event(reasoned, code, "accepted", "2011-06-13T10:00:00+08:00",
              {"status": "rejected", "reason": "申请材料不属于本机关受理范围"}),
    ]) == ["stored", "stored"]
    # When the stream has been processed (no sweep)
    settle()
    # Then the unexplained rejection has a red R6 for the department, and the explained one none
    found = signals(api, bare, rule="R6")
    assert [(s["rule"], s["level"], s["dept_code"], s["status"]) for s in found] == [
        ("R6", "red", "701", "open")]
    assert "未说明理由" in found[0]["message"]
    assert fired(api, reasoned, "R6") == []


def test_a_refusal_conclusion_without_reason_raises_r6(api: Api, d701: DeptCreds, settle: Any) -> None:
    # Given a case concluded 不予许可 (code 1) with no reason
    code = code_of(d701)
    post(api, d701, [accepted("SUP-R6-3", code, "2011-06-13T10:00:00+08:00"),
                     event("SUP-R6-3", code, "concluded", "2011-06-14T10:00:00+08:00", {"result_code": 1})])
    settle()
    # Then R6 is red
    assert fired(api, "SUP-R6-3", "R6") == [("R6", "red")]


@pytest.mark.parametrize(("seq", "fee", "expected"), [
    ("001", 200, [("R9", "red")]),
    ("002", 150, [("R9", "red")]),
    ("002", 100, []),
    ("001", None, []),
], ids=["fee-on-free-item", "fee-above-standard", "standard-fee", "no-fee"])
def test_a_fee_other_than_the_catalogs_raises_red_r9(
        api: Api, d701: DeptCreds, settle: Any, seq: str, fee: int | None,
        expected: list[tuple[str, str]]) -> None:
    # Given a case concluded with a fee
    case_no = f"SUP-R9-{seq}-{fee}"
    code = code_of(d701, seq)
    data: dict[str, Any] = {"result_code": 0, "cert_no": "C-1"}
    if fee is not None:
        data["fee_amount"] = fee
    post(api, d701, [accepted(case_no, code, "2011-06-13T10:00:00+08:00"),
                     event(case_no, code, "concluded", "2011-06-14T10:00:00+08:00", data)])
    settle()
    # Then R9 fires exactly when the fee differs from the catalog's standard
    assert fired(api, case_no, "R9") == expected


def test_a_second_supplement_request_raises_red_r10(api: Api, d701: DeptCreds, settle: Any) -> None:
    # Given one case with a single supplement request and one with two
    code = code_of(d701)
    once, twice = "SUP-R10-1", "SUP-R10-2"
    for case_no, n in ((once, 1), (twice, 2)):
        submitted = event(case_no, code, "submitted", "2011-06-08T10:00:00+08:00", {"applicant": PERSON})
        post(api, d701, [submitted] + [
            event(case_no, code, "supplement_requested", f"2011-06-0{8 + i}T15:00:00+08:00",
                  {"reason": "材料不全", "missing_materials": [f"材料{i}"]}, event_id=f"{case_no}-sr{i}")
            for i in range(n)])
    settle()
    # Then only the repeated request is red R10
    assert fired(api, once, "R10") == []
    assert fired(api, twice, "R10") == [("R10", "red")]


def test_an_item_not_in_the_catalog_raises_red_r13(api: Api, d701: DeptCreds, settle: Any) -> None:
    # Given a case under a code of the department's own segment that the catalog does not have
    post(api, d701, [accepted("SUP-R13-1", "320300701XK09900", "2011-06-13T10:00:00+08:00")])
    settle()
    # Then R13 (事项不符) is red, and a known item raises none
    assert fired(api, "SUP-R13-1", "R13") == [("R13", "red")]
    assert fired(api, "SUP-R6-3", "R13") == []


# ----- the sweep ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def d700(api: Api, legal: str) -> DeptCreds:
    return department(api, "700", legal)


def test_the_sweep_warns_on_the_last_working_day_and_flags_overdue_after_the_due_day(
        api: Api, d700: DeptCreds, supervisor: str, settle: Any) -> None:
    # Given a case accepted Thursday 2011-09-29, just before National Day: 5 working days are
    # 09-30, Sat 10-08 and Sun 10-09 (make-up days), 10-10, 10-11; the statutory 20 end 11-01
    case_no = "SUP-SW-1"
    post(api, d700, [accepted(case_no, code_of(d700), "2011-09-29T10:00:00+08:00")])
    settle()
    due = api.get(f"/staff/cases/{case_no}", token=api.reader).json()
    assert (due["due"], due["statutory_due"]) == ("2011-10-11", "2011-11-01")

    def at(as_of: str) -> list[tuple[str, str]]:
        sweep(api, supervisor, as_of)
        settle()
        return fired(api, case_no, "R1", "R2", "R3")

    # When swept during the holiday and on the Sunday make-up day, then nothing yet
    assert at("2011-10-05T10:00:00+08:00") == []
    assert at("2011-10-09T20:00:00+08:00") == []
    # When swept on Monday 10-10, the last working day before the due date, then yellow R1
    assert at("2011-10-10T08:00:00+08:00") == [("R1", "yellow")]
    # When swept late on the due day, then still no R2: the day has not ended
    assert at("2011-10-11T23:59:00+08:00") == [("R1", "yellow")]
    # When swept after the due day ended, then red R2
    assert at("2011-10-12T00:30:00+08:00") == [("R1", "yellow"), ("R2", "red")]
    # When swept on the statutory due day and after it, then red R3 only after it
    assert at("2011-11-01T18:00:00+08:00") == [("R1", "yellow"), ("R2", "red")]
    assert at("2011-11-02T09:00:00+08:00") == [("R1", "yellow"), ("R2", "red"), ("R3", "red")]
    # And each signal carries the instant its condition became true
    raised = {s["rule"]: s["raised_at"] for s in signals(api, case_no)}
    assert raised["R1"].startswith("2011-10-10T00:00:00")
    assert raised["R2"].startswith("2011-10-12T00:00:00")


def test_sweeping_twice_raises_nothing_twice(api: Api, d700: DeptCreds, supervisor: str, settle: Any) -> None:
    # Given a case accepted 2011-01-28 before Spring Festival: due 2011-02-10 (01-30 is a make-up Sunday)
    case_no = "SUP-SW-2"
    post(api, d700, [accepted(case_no, code_of(d700), "2011-01-28T10:00:00+08:00")])
    settle()
    # When the holiday week is swept, nothing is raised for it
    sweep(api, supervisor, "2011-02-08T09:00:00+08:00")
    settle()
    assert fired(api, case_no, "R1", "R2") == []
    # When the same instant after the due day is swept twice, and once more later
    first = sweep(api, supervisor, "2011-02-11T09:00:00+08:00")
    settle()
    second = sweep(api, supervisor, "2011-02-11T09:00:00+08:00")
    settle()
    sweep(api, supervisor, "2011-02-12T09:00:00+08:00")
    settle()
    # Then the first raised, the repeat raised nothing, and the case has one signal per rule and cause
    assert first["raised"] >= 2
    assert second["raised"] == 0
    found = signals(api, case_no)
    assert fired(api, case_no, "R1", "R2") == [("R1", "yellow"), ("R2", "red")]
    causes = Counter((s["rule"], s["cause"]) for s in found)
    assert max(causes.values()) == 1


def test_an_extension_moves_the_overdue_signal_and_an_open_pause_holds_it(
        api: Api, d700: DeptCreds, supervisor: str, settle: Any) -> None:
    # Given a case accepted Monday 2011-06-13 (due 06-20) with an approved 5-working-day extension
    # (due 06-27), and one whose expert review (type B) started 06-15 and has not ended
    code = code_of(d700)
    extended, paused = "SUP-SW-3", "SUP-SW-4"
    post(api, d700, [
        accepted(extended, code, "2011-06-13T10:00:00+08:00"),
        event(extended, code, "special_started", "2011-06-17T10:00:00+08:00",
              {"seq": 1, "kind": "A", "name": "延长审批", "approver": "王局长", "reason": "需要现场核查",
               "limit": {"value": 5, "unit": "working_day"}}),
        accepted(paused, code, "2011-06-13T10:00:00+08:00"),
        event(paused, code, "special_started", "2011-06-15T10:00:00+08:00",
              {"seq": 1, "kind": "B", "name": "专家评审", "reason": "技术审查"}),
    ])
    settle()
    assert api.get(f"/staff/cases/{extended}", token=api.reader).json()["due"] == "2011-06-27"
    # When swept after the original due date, then neither is overdue
    sweep(api, supervisor, "2011-06-22T09:00:00+08:00")
    settle()
    assert fired(api, extended, "R2") == [] and fired(api, paused, "R2", "R3") == []
    # When swept after the extended due date, then the extended case is overdue
    sweep(api, supervisor, "2011-06-28T09:00:00+08:00")
    settle()
    assert fired(api, extended, "R2") == [("R2", "red")]
    # And however late the sweep, a case whose clock is stopped is not overdue
    sweep(api, supervisor, "2011-09-01T09:00:00+08:00")
    settle()
    assert fired(api, paused, "R1", "R2", "R3") == []


def test_only_supervisors_sweep(api: Api, d700: DeptCreds, supervisor: str) -> None:
    # Given a department handler and nobody logged in, then neither may run the sweep
    handler = api.user("sup-handler-700", ["handler"], "700")
    body = {"as_of": "2011-01-01T00:00:00+08:00"}
    assert api.post("/supervision/sweep", body, token=handler).status_code == 403
    assert api.post("/supervision/sweep", body).status_code == 401
    # And an instant without a UTC offset is refused, naming as_of
    bad = api.post("/supervision/sweep", {"as_of": "2011-01-01T00:00:00"}, token=supervisor)
    assert bad.status_code == 400
    assert "as_of" in {d["field"] for d in bad.json()["error"]["details"]}


# ----- the same signals whatever the arrival ---------------------------------------------------------

def story(case_no: str, code: str) -> list[dict[str, Any]]:
    """Two supplement requests (R10), a slow first step (R4), a conclusion after the promised due
    date 2011-06-20 (R2) with a fee on a no-fee item (R9), never delivered (R12 by the sweep)."""
    return [
        event(case_no, code, "submitted", "2011-06-07T10:00:00+08:00", {"applicant": PERSON}),
        event(case_no, code, "supplement_requested", "2011-06-08T10:00:00+08:00", {"reason": "缺材料"},
              event_id=f"{case_no}-sr1"),
        event(case_no, code, "supplement_received", "2011-06-09T10:00:00+08:00", {"materials": ["甲"]},
              event_id=f"{case_no}-rc1"),
        event(case_no, code, "supplement_requested", "2011-06-10T10:00:00+08:00", {"reason": "还缺材料"},
              event_id=f"{case_no}-sr2"),
        event(case_no, code, "supplement_received", "2011-06-10T16:00:00+08:00", {"materials": ["乙"]},
              event_id=f"{case_no}-rc2"),
        accepted(case_no, code, "2011-06-13T09:00:00+08:00"),
        *(event(case_no, code, "step", f"2011-06-{day}T10:00:00+08:00", {"step_code": step},
                event_id=f"{case_no}-s{step}") for step, day in (("1", "17"), ("2", "20"), ("3", "21"))),
        event(case_no, code, "concluded", "2011-06-22T10:00:00+08:00",
              {"result_code": 0, "cert_no": "C-9", "fee_amount": 50}),
    ]


def deliver_one_by_one(api: Api, dept: DeptCreds, events: list[dict[str, Any]], settle: Any) -> None:
    """One event per request in the given order, each delivered twice, every intermediate state
    projected and supervised; the conclusion is first reported with a wrong certificate number
    and corrected by data_version 2 after the rest."""
    conclusion = next(e for e in events if e["type"] == "concluded")
    wrong = dict(conclusion, data={**conclusion["data"], "cert_no": "C-WRONG"})
    corrected = dict(conclusion, data_version=2)
    for ev in [wrong if e is conclusion else e for e in events] + [corrected]:
        assert post(api, dept, [ev]) == ["superseded" if ev is corrected else "stored"]
        assert post(api, dept, [ev]) == ["duplicate"]
        settle()


def signal_kinds(api: Api, case_no: str) -> set[tuple[str, str, str]]:
    return {(s["rule"], s["level"], s["cause"]) for s in signals(api, case_no)}


def test_late_duplicate_and_out_of_order_events_give_the_same_signals(
        api: Api, legal: str, supervisor: str, settle: Any) -> None:
    # Given the same story for two cases of department 702
    dept = department(api, "702", legal)
    code = code_of(dept)
    ordered, shuffled = story("SUP-ORD-1", code), story("SUP-ORD-2", code)
    # When one arrives in order in one batch, and the other one event per request, twice each,
    # its intake events (submission, supplements) shuffled in among the processing events, and its
    # conclusion corrected by a second version at the end
    assert set(post(api, dept, ordered)) == {"stored"}
    processing = [e for e in shuffled if e["type"] in ("accepted", "step", "concluded")]
    intake = [e for e in shuffled if e not in processing]
    rng = random.Random(7)
    rng.shuffle(intake)
    mixed = list(processing)
    for ev in intake:
        mixed.insert(rng.randrange(len(mixed) + 1), ev)
    assert mixed != shuffled
    deliver_one_by_one(api, dept, mixed, settle)
    # And both are swept at the same instant, long after everything happened
    sweep(api, supervisor, "2011-08-01T09:00:00+08:00")
    settle()
    # Then both cases have exactly the same signals
    assert {"R2", "R4", "R9", "R10", "R12"} <= {rule for rule, _, _ in signal_kinds(api, "SUP-ORD-1")}
    assert signal_kinds(api, "SUP-ORD-1") == signal_kinds(api, "SUP-ORD-2")


def test_any_arrival_order_gives_the_same_signals(
        api: Api, legal: str, supervisor: str, settle: Any) -> None:
    # Given the same story for two cases of department 705
    dept = department(api, "705", legal)
    code = code_of(dept)
    ordered, reversed_ = story("SUP-REV-1", code), story("SUP-REV-2", code)[::-1]
    # When one arrives in order and the other newest first (conclusion before acceptance, step 2 before 1)
    assert set(post(api, dept, ordered)) == {"stored"}
    deliver_one_by_one(api, dept, reversed_, settle)
    sweep(api, supervisor, "2011-08-01T09:00:00+08:00")
    settle()
    # Then both cases have the same signals in force; what an intermediate state raised (a
    # conclusion before its acceptance: R8, a step before the previous one: R4) is withdrawn,
    # kept on record with that disposition, and out of the statistics
    assert signal_kinds(api, "SUP-REV-1") == in_force(api, "SUP-REV-2")
    withdrawn = [s for s in signals(api, "SUP-REV-2") if s.get("disposition") == "withdrawn"]
    assert withdrawn and all(s["status"] == "closed" for s in withdrawn)


def in_force(api: Api, case_no: str) -> set[tuple[str, str, str]]:
    return {(s["rule"], s["level"], s["cause"]) for s in signals(api, case_no) if s.get("disposition") != "withdrawn"}


# ----- lifecycle and scoping -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def d703(api: Api, legal: str) -> DeptCreds:
    return department(api, "703", legal)


def test_a_signal_is_explained_by_the_department_and_closed_by_the_supervisor(
        api: Api, d703: DeptCreds, supervisor: str, settle: Any) -> None:
    # Given a red R6 signal of department 703
    post(api, d703, [event("SUP-LC-1", code_of(d703), "accepted", "2011-06-13T10:00:00+08:00",
                           {"status": "rejected"})])
    settle()
    (sig,) = signals(api, "SUP-LC-1", rule="R6")
    sid = sig["signal_id"]
    own = api.user("sup-handler-703", ["handler"], "703")
    stranger = api.user("sup-handler-701", ["handler"], "701")
    # When another department's handler tries to explain it, then that is forbidden
    body = {"explanation": "申请人当场撤回申请，系统误报为不予受理"}
    assert api.post(f"/supervision/signals/{sid}/explanation", body, token=stranger).status_code == 403
    # When the department's handler explains it
    r = api.post(f"/supervision/signals/{sid}/explanation", body, token=own)
    # Then it is explained, with a reply deadline for the supervisor, and cannot be explained twice
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "explained" and r.json()["reply_deadline"]
    assert api.post(f"/supervision/signals/{sid}/explanation", body, token=own).status_code == 409
    # And the department cannot close its own signal
    decision = {"decision": "accept", "reason": "经核实情况属实"}
    assert api.post(f"/supervision/signals/{sid}/disposition", decision, token=own).status_code == 403
    # When the supervisor accepts the explanation
    r = api.post(f"/supervision/signals/{sid}/disposition", decision, token=supervisor)
    # Then the signal is closed with the decision and its history, and stays listed
    assert r.status_code == 200, r.text
    closed = signals(api, "SUP-LC-1", rule="R6")
    assert [(s["status"], s["disposition"]) for s in closed] == [("closed", "accept")]
    assert [h["action"] for h in closed[0]["history"]] == ["explain", "accept"]
    assert signals(api, "SUP-LC-1", status="open", rule="R6") == []
    assert api.post(f"/supervision/signals/{sid}/disposition", decision, token=supervisor).status_code == 409
    # And a disposition needs a valid decision and a reason
    bad = api.post(f"/supervision/signals/{sid}/disposition", {"decision": "maybe"}, token=supervisor)
    assert bad.status_code == 400
    assert {"decision", "reason"} <= {d["field"] for d in bad.json()["error"]["details"]}
    assert api.post("/supervision/signals/S-nope/disposition", decision, token=supervisor).status_code == 404


def test_departments_see_only_their_own_signals(api: Api, d703: DeptCreds, d701: DeptCreds,
                                                supervisor: str, settle: Any) -> None:
    # Given signals of departments 701 and 703 (raised above), and a fresh one of each here
    post(api, d703, [event("SUP-SC-3", code_of(d703), "accepted", "2011-06-13T10:00:00+08:00",
                           {"status": "rejected"})])
    post(api, d701, [event("SUP-SC-1", code_of(d701), "accepted", "2011-06-13T10:00:00+08:00",
                           {"status": "rejected"})])
    settle()
    head = api.user("sup-head-703", ["dept_head"], "703")
    # When department 703's head lists signals without a filter
    mine = api.get("/supervision/signals", token=head, limit=500)
    # Then only department 703's signals come back
    assert mine.status_code == 200
    assert mine.json()["items"] and {s["dept_code"] for s in mine.json()["items"]} == {"703"}
    # When it asks for department 701's, then that is forbidden, and 701's case shows nothing
    assert api.get("/supervision/signals", token=head, dept_code="701").status_code == 403
    assert api.get("/supervision/signals", token=head, case_no="SUP-SC-1").json()["items"] == []
    # And the supervisor sees both departments
    assert {s["dept_code"] for s in api.get("/supervision/signals", token=supervisor, dept_code="701",
                                            rule="R6").json()["items"]} == {"701"}
    assert signals(api, "SUP-SC-3", token=supervisor, rule="R6")
    # And the legal office reads only the signals addressed to it (R3, R13, R14: not these R6);
    # nobody anonymous may
    legal_only = api.user("sup-legal-reader", ["legal"])
    legal_view = api.get("/supervision/signals", token=legal_only, dept_code="701", limit=500)
    assert legal_view.status_code == 200
    assert all("legal" in s["recipients"] for s in legal_view.json()["items"])
    assert api.get("/supervision/signals", token=legal_only, case_no="SUP-SC-3", rule="R6").json()["items"] == []
    assert api.get("/supervision/signals").status_code == 401


def test_filters_narrow_the_list(api: Api, d701: DeptCreds, supervisor: str) -> None:
    # Given department 701's signals raised above (R6, R9, R10, R13 …)
    reds = api.get("/supervision/signals", token=supervisor, dept_code="701", level="red", limit=500).json()
    r9 = api.get("/supervision/signals", token=supervisor, dept_code="701", rule="R9", limit=500).json()
    # Then each filter keeps only what it names
    assert reds["items"] and {s["level"] for s in reds["items"]} == {"red"}
    assert r9["items"] and {s["rule"] for s in r9["items"]} == {"R9"}
    assert api.get("/supervision/signals", token=supervisor, rule="X1").status_code == 400


# ----- statistics ----------------------------------------------------------------------------------

def test_department_statistics_count_received_concluded_and_on_time(api: Api, legal: str,
                                                                     settle: Any) -> None:
    # Given department 704 in June 2011: one case concluded on time, one concluded after its due
    # date (06-20), one still open and one rejected at intake
    dept = department(api, "704", legal)
    code = code_of(dept)
    post(api, dept, [
        accepted("SUP-ST-1", code, "2011-06-13T09:00:00+08:00"),
        event("SUP-ST-1", code, "concluded", "2011-06-16T10:00:00+08:00", {"result_code": 0, "cert_no": "1"}),
        accepted("SUP-ST-2", code, "2011-06-13T09:00:00+08:00"),
        event("SUP-ST-2", code, "concluded", "2011-06-24T10:00:00+08:00", {"result_code": 0, "cert_no": "2"}),
        accepted("SUP-ST-3", code, "2011-06-14T09:00:00+08:00"),
        event("SUP-ST-4", code, "accepted", "2011-06-14T09:00:00+08:00",
              {"status": "rejected", "reason": "不符"}),
    ])
    settle()

    def row(period: str) -> dict[str, Any]:
        r = api.get("/stats/departments", period=period)
        assert r.status_code == 200, r.text
        return next(i for i in r.json()["items"] if i["dept_code"] == "704")

    # When the public reads the statistics for the month, quarter and year
    for period in ("2011-06", "2011Q2", "2011"):
        got = row(period)
        # Then three cases were received, two concluded, one of them on time
        assert (got["received"], got["concluded"], got["on_time"]) == (3, 2, 1), period
        assert got["on_time_rate"] == 0.5
        # And the late conclusion's red R2 is counted in the period it became overdue
        assert got["red"] >= 1
    # And other periods are empty
    assert (row("2011Q3")["received"], row("2011Q3")["on_time_rate"]) == (0, None)
    assert api.get("/stats/departments", period="2011Q5").status_code == 400
