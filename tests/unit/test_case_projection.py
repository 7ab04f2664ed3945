"""Case projection (办件投影): what the hall, supervision and statistics see of a case."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.cases.domain.case import StoredEvent, business_order, project
from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.domain.events import parse_event
from chalicelib.cases.services import query_passwords
from chalicelib.catalog.domain.items import (
    Fee,
    ItemDeclaration,
    ItemVersion,
    LegalBasisRef,
    Limit,
    Penalty,
    PenaltyTier,
    Step,
    version_in_force,
)
from chalicelib.kernel.calendar import Calendar, YearSchedule

D = date.fromisoformat
XK = "320300015XK00400"
CF = "320300015CF02100"
CASE = "3203000152012000123"
KEY = b"test-key"

# docs/DOMAIN.md §10 general fixture: holidays 2012-06-22 and 2012-09-30..10-07, make-up workday Sat 2012-09-29.
CALENDAR = Calendar(
    {
        2012: YearSchedule(
            holidays=frozenset({D("2012-06-22")} | {D("2012-09-30") + timedelta(days=i) for i in range(8)}),
            workdays=frozenset({D("2012-09-29")}),
        )
    }
)


def licence(
    version: int = 1,
    promised: int = 5,
    statutory: int = 20,
    unit: str = "working_day",
    effective: str = "2012-01-01",
) -> ItemVersion:
    decl = ItemDeclaration(
        code=XK,
        name="建设项目环境影响评价文件审批（报告表）",
        category="XK",
        dept_code="015",
        legal_basis=[
            LegalBasisRef(id="EIA-LAW-22", title="《中华人民共和国环境影响评价法》", article="第二十二条")
        ],
        statutory_limit=Limit(value=statutory, unit=unit),  # type: ignore[arg-type]
        promised_limit=Limit(value=promised, unit=unit),  # type: ignore[arg-type]
        fee=Fee(charged=False),
        steps=[
            Step(code="1", name="承办", limit_days=2),
            Step(code="2", name="审核", limit_days=1),
            Step(code="3", name="批准", limit_days=1),
        ],
    )
    return ItemVersion(
        code=XK,
        version=version,
        status="confirmed",
        declared_at="2012-01-01T00:00:00+08:00",
        declared_by="015-admin",
        effective_from=D(effective),
        item=decl,
    )


def penalty_item() -> ItemVersion:
    decl = ItemDeclaration(
        code=CF,
        name="未批先建的行政处罚",
        category="CF",
        dept_code="015",
        legal_basis=[
            LegalBasisRef(id="EIA-LAW-31", title="《中华人民共和国环境影响评价法》", article="第三十一条")
        ],
        statutory_limit=Limit(value=90, unit="calendar_day"),
        promised_limit=Limit(value=90, unit="calendar_day"),
        fee=Fee(charged=False),
        steps=[Step(code="1", name="立案", limit_days=1)],
        penalty=Penalty(
            types=["warning", "fine"],
            fine_min=Decimal(1000),
            fine_max=Decimal(10000),
            tiers=[
                PenaltyTier(tier="light", min=Decimal(1000), max=Decimal(3000)),
                PenaltyTier(tier="medium", min=Decimal(3000), max=Decimal(6000)),
                PenaltyTier(tier="heavy", min=Decimal(6000), max=Decimal(10000)),
            ],
            case_limit_days=90,
        ),
    )
    return ItemVersion(
        code=CF,
        version=1,
        status="confirmed",
        declared_at="2012-01-01T00:00:00+08:00",
        declared_by="015-admin",
        effective_from=D("2012-01-01"),
        item=decl,
    )


def catalog(*versions: ItemVersion) -> Any:
    def lookup(code: str, day: date) -> ItemVersion | None:
        return version_in_force([v for v in versions if v.code == code], day)

    return lookup


CATALOG = catalog(licence(), penalty_item())
_seq = itertools.count(1)


def ev(
    type_: str,
    at: str,
    data: dict[str, Any] | None = None,
    *,
    eid: str | None = None,
    version: int = 1,
    item: str | None = None,
    received: str | None = None,
    actor: str | None = "王某",
) -> StoredEvent:
    """An event as a department would send it, parsed and stored the way the exchange does."""
    moment = at if "T" in at else f"{at}T09:00:00+08:00"
    raw = {
        "event_id": eid or f"E-{type_}-{moment[:16]}",
        "case_no": CASE,
        "item_code": item or (CF if type_ in PENALTY else XK),
        "type": type_,
        "occurred_at": moment,
        "data_version": version,
        "actor": {"name": actor} if actor else None,
        "data": data or {},
    }
    parsed, errors = parse_event(raw)
    assert parsed is not None, errors
    got = datetime.fromisoformat(received) if received else parsed.occurred_at + timedelta(minutes=5)
    stored = StoredEvent.from_exchange(parsed, received_at=got, seq=next(_seq))
    # the exchange stores a keyed hash of a query password, never the password
    return stored.model_copy(update={"data": query_passwords.protect(stored.data, CASE, key=KEY)})


PENALTY = {
    "case_opened",
    "notice_served",
    "hearing_requested",
    "hearing_noticed",
    "hearing_held",
    "decided",
    "served",
    "enforced",
    "closed",
}


def view(*events: StoredEvent, items: Any = CATALOG) -> CaseView:
    return project(CASE, list(events), items, CALENDAR)


def scenario_1() -> list[StoredEvent]:
    return [
        ev(
            "submitted",
            "2012-06-01",
            {
                "applicant": {"type": "org", "name": "徐州某机械有限公司"},
                "channel": "online",
                "query_password": "from-submit",
            },
        ),
        ev("accepted", "2012-06-04T09:30:00+08:00", {"status": "accepted", "query_password": "k3x9m2"}),
        ev("step", "2012-06-05", {"step_code": "1"}),
        ev("step", "2012-06-06", {"step_code": "2"}),
        ev("step", "2012-06-07T10:00:00+08:00", {"step_code": "3"}),
        ev("concluded", "2012-06-07T16:00:00+08:00", {"result_code": 0, "cert_no": "徐环审[2012]1号"}),
    ]


# --- worked examples ---------------------------------------------------------------------------------


def test_worked_example_1_on_time_licence() -> None:
    # Given scenario 1: submitted Fri 06-01, accepted Mon 06-04, 5 promised working days, concluded 06-07
    case = view(*scenario_1())
    # Then the case is concluded, due 06-11 with its explanation, and bound to the item in force
    assert case.status == "concluded"
    assert case.due == D("2012-06-11")
    assert case.due_derivation is not None
    assert case.due_derivation.explanation == (
        "自受理日 2012-06-04 次日起计算 5 个工作日（不含受理当日、法定节假日及特别程序期间），截止 2012-06-11"
    )
    assert case.due_derivation.counted == [
        D("2012-06-05"),
        D("2012-06-06"),
        D("2012-06-07"),
        D("2012-06-08"),
        D("2012-06-11"),
    ]
    assert case.statutory_due == D("2012-07-03")  # 20 working days, Dragon Boat Festival 06-22 skipped
    assert (case.item_name, case.item_version, case.dept_code, case.region_code, case.category) == (
        "建设项目环境影响评价文件审批（报告表）",
        1,
        "015",
        "320300",
        "XK",
    )
    assert [t.name for t in case.timeline] == [
        "申办",
        "受理",
        "审批环节（承办）",
        "审批环节（审核）",
        "审批环节（批准）",
        "办结",
    ]
    assert [s.name for s in case.steps] == ["承办", "审核", "批准"]
    assert case.result is not None and (case.result.code, case.result.desc, case.result.cert_no) == (
        0,
        "出证办结",
        "徐环审[2012]1号",
    )
    assert case.concluded_at == datetime.fromisoformat("2012-06-07T16:00:00+08:00")
    assert case.applicant is not None and case.applicant.name == "徐州某机械有限公司"
    assert case.channel == "online"
    assert case.query_password_hash == query_passwords.hash_password(CASE, "k3x9m2", key=KEY)
    assert "k3x9m2" not in case.model_dump_json()
    assert case.anomalies == []
    assert case.event_count == 6


def test_worked_example_3_national_day() -> None:
    # Given acceptance on Thu 2012-09-27 with 5 promised working days
    case = view(ev("submitted", "2012-09-26"), ev("accepted", "2012-09-27"))
    # Then Sat 09-29 counts, the holiday does not, and the case is due 10-10
    assert case.status == "accepted"
    assert case.due == D("2012-10-10")
    assert case.due_derivation is not None
    assert [d.isoformat() for d in case.due_derivation.counted] == [
        "2012-09-28",
        "2012-09-29",
        "2012-10-08",
        "2012-10-09",
        "2012-10-10",
    ]


# --- status ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "status"),
    [
        (lambda: [ev("submitted", "2012-06-01")], "submitted"),
        (
            lambda: [ev("submitted", "2012-06-01"), ev("pre_accepted", "2012-06-01", {"status": "passed"})],
            "submitted",
        ),
        (lambda: [ev("submitted", "2012-06-01"), ev("accepted", "2012-06-04")], "accepted"),
        (lambda: scenario_1()[:3], "in_progress"),
        (lambda: scenario_1(), "concluded"),
        (lambda: [*scenario_1(), ev("delivered", "2012-06-08", {"mode": "window"})], "concluded"),
        (
            lambda: [ev("accepted", "2012-06-04", {"status": "rejected", "reason": "不属于本部门职权"})],
            "rejected",
        ),
        (
            lambda: [ev("pre_accepted", "2012-06-04", {"status": "rejected", "reason": "材料虚假"})],
            "rejected",
        ),
        (
            lambda: [
                ev("submitted", "2012-06-01"),
                ev("concluded", "2012-06-04", {"result_code": 6, "reason": "x"}),
            ],
            "rejected",
        ),
        (
            lambda: [
                *scenario_1()[:2],
                ev("concluded", "2012-06-05", {"result_code": 1, "reason": "不符合条件"}),
            ],
            "concluded",
        ),
    ],
    ids=[
        "submitted",
        "pre-passed",
        "accepted",
        "step-done",
        "concluded",
        "delivered",
        "rejected-at-intake",
        "pre-rejected",
        "concluded-6",
        "refused-1",
    ],
)
def test_status_follows_the_lifecycle(events: Any, status: str) -> None:
    assert view(*events()).status == status


def test_a_rejection_with_a_reason_raises_no_anomaly_and_one_without_does() -> None:
    with_reason = view(
        ev("accepted", "2012-06-05T10:00:00+08:00", {"status": "rejected", "reason": "不属于本部门"})
    )
    without = view(ev("accepted", "2012-06-05T10:00:00+08:00", {"status": "rejected"}))
    assert with_reason.anomalies == []
    assert [a.code for a in without.anomalies] == ["rejected_without_reason"]
    assert without.anomalies[0].message == "不予受理，未说明理由"
    assert without.timeline[0].name == "不予受理"
    assert without.due is None


@pytest.mark.parametrize("code", [1, 2, 3, 4, 5])
def test_a_refusal_void_or_return_without_reason_is_an_anomaly(code: int) -> None:
    case = view(*scenario_1()[:2], ev("concluded", "2012-06-05", {"result_code": code}))
    assert [a.code for a in case.anomalies] == ["rejected_without_reason"]


def test_a_pre_acceptance_rejection_without_reason_is_an_anomaly() -> None:
    case = view(ev("pre_accepted", "2012-06-04", {"status": "rejected"}))
    assert [a.code for a in case.anomalies] == ["rejected_without_reason"]


# --- deadlines ---------------------------------------------------------------------------------------


def test_a_finished_type_b_procedure_shifts_the_due_date_by_its_working_days() -> None:
    # Given an expert review (type B) from Wed 06-06 to Thu 06-07 during a 5-day case accepted 06-04
    case = view(
        *scenario_1()[:2],
        ev("special_started", "2012-06-06", {"seq": 1, "kind": "B", "name": "专家评审"}),
        ev("special_ended", "2012-06-07", {"seq": 1, "result": "通过"}),
    )
    # Then 06-06 and 06-07 are not counted and the case is due two working days later, 06-13
    assert case.due == D("2012-06-13")
    assert case.due_derivation is not None
    assert case.due_derivation.excluded == [D("2012-06-06"), D("2012-06-07")]
    assert "2 个工作日处于特别程序期间不计" in case.due_derivation.explanation
    assert case.statutory_due == D("2012-07-05")
    assert [(p.kind, p.name, p.start, p.end) for p in case.pauses] == [
        ("B", "专家评审", D("2012-06-06"), D("2012-06-07"))
    ]
    assert case.status == "accepted"


def test_an_open_type_b_procedure_suspends_the_case_and_stops_the_clock() -> None:
    # Given an inspection that started Wed 06-06 and has not ended
    started = [
        *scenario_1()[:3],
        ev("special_started", "2012-06-06", {"seq": "7", "kind": "B", "name": "现场勘察"}),
    ]
    case = view(*started)
    # Then the case is suspended, no due date exists yet, and the hall can say how much is left
    assert case.status == "suspended"
    assert case.due is None and case.statutory_due is None
    assert case.due_derivation is not None and case.due_derivation.paused
    assert case.due_derivation.remaining == 4
    assert "计时暂停" in case.due_derivation.explanation
    # When the inspection ends on Fri 06-08
    resumed = view(*started, ev("special_ended", "2012-06-08", {"seq": 7}))
    # Then the clock resumes: 06-05 counted, 06-06..06-08 excluded, four more days → 06-14
    assert resumed.status == "in_progress"
    assert resumed.due == D("2012-06-14")


def test_an_open_procedure_that_starts_after_the_due_date_leaves_it_known() -> None:
    case = view(*scenario_1()[:2], ev("special_started", "2012-06-12", {"seq": 1, "kind": "B"}))
    assert case.status == "suspended"
    assert case.due == D("2012-06-11")


def test_an_approved_extension_moves_both_deadlines_by_its_working_days() -> None:
    # Given a type-A extension of 3 working days approved on 06-06
    case = view(
        *scenario_1()[:2],
        ev(
            "special_started",
            "2012-06-06",
            {"seq": 1, "kind": "A", "approver": "局长", "reason": "情况复杂", "limit": {"value": 3}},
        ),
    )
    # Then the promised due moves from 06-11 to 06-14 and the statutory due from 07-03 to 07-06
    assert case.due == D("2012-06-14")
    assert case.statutory_due == D("2012-07-06")
    assert case.due_derivation is not None and case.due_derivation.extension_days == 3
    assert "另经批准延长 3 个工作日" in case.due_derivation.explanation
    assert case.status == "accepted"  # an extension does not suspend the case
    assert case.pauses[0].approver == "局长" and case.pauses[0].declared_limit == {
        "value": 3,
        "unit": "working_day",
    }


def test_supplements_before_acceptance_start_the_clock_at_acceptance() -> None:
    # Given an incomplete application: supplement requested 06-01, supplied and accepted Wed 06-06
    case = view(
        ev("submitted", "2012-06-01T09:00:00+08:00"),
        ev(
            "supplement_requested",
            "2012-06-01T15:00:00+08:00",
            {"reason": "材料不全", "missing_materials": ["报告表"]},
        ),
        ev("supplement_received", "2012-06-06T09:00:00+08:00", {"materials": ["报告表"]}),
        ev("accepted", "2012-06-06T10:00:00+08:00"),
    )
    # Then the five working days run from 06-06: due Wed 06-13
    assert case.due == D("2012-06-13")
    assert len(case.supplements) == 1
    assert case.supplements[0].missing_materials == ["报告表"]
    assert case.supplements[0].received_at == datetime.fromisoformat("2012-06-06T09:00:00+08:00")


def test_calendar_day_limits_count_every_day() -> None:
    items = catalog(licence(promised=10, statutory=30, unit="calendar_day"))
    case = view(ev("accepted", "2012-06-04"), items=items)
    assert case.due == D("2012-06-14")
    assert case.statutory_due == D("2012-07-04")


def test_the_case_binds_to_the_item_version_in_force_on_the_acceptance_date() -> None:
    # Given version 1 (5 days) and version 2 (3 days) effective from Mon 06-04
    items = catalog(licence(1, promised=5), licence(2, promised=3, effective="2012-06-04"))
    # When the case is submitted on 06-01 but accepted on 06-04
    accepted = view(ev("submitted", "2012-06-01"), ev("accepted", "2012-06-04"), items=items)
    # Then version 2 applies; before acceptance, the version in force on the submission date applies
    assert (accepted.item_version, accepted.item_bound_on, accepted.due) == (
        2,
        D("2012-06-04"),
        D("2012-06-07"),
    )
    pending = view(ev("submitted", "2012-06-01"), items=items)
    assert (pending.item_version, pending.item_bound_on) == (1, D("2012-06-01"))


# --- penalty -------------------------------------------------------------------------------------------


def penalty_events() -> list[StoredEvent]:
    return [
        ev(
            "case_opened",
            "2012-07-02",
            {
                "party": {"type": "person", "name": "张三", "in_business": False},
                "cause": "未批先建",
                "officers": ["OF-1", "OF-2"],
            },
        ),
        ev(
            "notice_served",
            "2012-07-10",
            {"proposed": {"types": ["fine"], "amount": 800, "tier": "light"}, "hearing_notified": True},
        ),
        ev("hearing_requested", "2012-07-11"),
        ev("hearing_noticed", "2012-07-12", {"hearing_at": "2012-07-20T09:00:00+08:00"}),
        ev("hearing_held", "2012-07-20", {"chair": "OF-9"}),
        ev(
            "decided",
            "2012-07-25",
            {
                "decision_no": "徐环罚[2012]7号",
                "types": ["fine"],
                "amount": "800.00",
                "tier": "light",
                "collective_discussion": True,
                "basis_ids": ["EIA-LAW-31"],
            },
        ),
        ev("served", "2012-07-26"),
        ev("enforced", "2012-07-30", {"paid_amount": 800}),
        ev("closed", "2012-08-01"),
    ]


def test_penalty_milestones_are_all_visible() -> None:
    case = view(*penalty_events())
    pen = case.penalty
    assert pen is not None
    assert pen.opened_at == datetime.fromisoformat("2012-07-02T09:00:00+08:00")
    assert pen.officers == ["OF-1", "OF-2"] and pen.cause == "未批先建"
    assert pen.notice_served_at is not None and pen.hearing_notified is True
    assert pen.proposed is not None and pen.proposed["amount"] == Decimal(800)
    assert pen.hearing_requested_at is not None and pen.hearing_noticed_at is not None
    assert pen.hearing_at == datetime.fromisoformat("2012-07-20T09:00:00+08:00")
    assert pen.hearing_held_at is not None and pen.hearing_chair == "OF-9"
    assert pen.decision is not None
    assert (pen.decision.decision_no, pen.decision.amount, pen.decision.collective_discussion) == (
        "徐环罚[2012]7号",
        Decimal("800.00"),
        True,
    )
    assert pen.served_at is not None and pen.enforced_at is not None
    assert pen.paid_amount == Decimal(800)
    assert pen.closed_at == datetime.fromisoformat("2012-08-01T09:00:00+08:00")
    assert case.applicant is not None and case.applicant.name == "张三"
    assert case.status == "concluded"
    assert [t.name for t in case.timeline][:2] == ["立案", "事先告知"]


def test_a_penalty_case_is_due_its_case_limit_in_calendar_days_after_opening() -> None:
    case = view(*penalty_events()[:1])
    assert case.status == "accepted"
    assert case.due == case.statutory_due == D("2012-09-30")
    assert case.due_derivation is not None
    assert (
        case.due_derivation.explanation
        == "自立案日 2012-07-02 次日起计算 90 日（自然日，不含立案当日），截止 2012-09-30"
    )


@pytest.mark.parametrize("upto", [2, 6, 8])
def test_a_penalty_case_is_in_progress_until_closed(upto: int) -> None:
    assert view(*penalty_events()[:upto]).status == "in_progress"


# --- anomalies -------------------------------------------------------------------------------------------


def test_a_conclusion_without_acceptance_is_flagged() -> None:
    case = view(ev("submitted", "2012-06-01"), ev("concluded", "2012-06-07", {"result_code": 0}))
    assert [a.code for a in case.anomalies] == ["concluded_without_acceptance"]
    assert case.status == "concluded"


def test_an_unknown_item_is_flagged_and_has_no_deadline() -> None:
    case = view(*scenario_1(), items=catalog())
    assert [a.code for a in case.anomalies] == ["unknown_item"]
    assert case.anomalies[0].message == "事项 320300-015-XK-004-00 在 2012-06-04 不在权力目录中或未生效"
    assert case.item_name is None and case.due is None


def test_a_special_procedure_end_without_its_start_is_flagged() -> None:
    case = view(*scenario_1()[:2], ev("special_ended", "2012-06-07", {"seq": 9}))
    assert [a.code for a in case.anomalies] == ["orphan_special_end"]
    assert case.pauses == []


def test_an_event_reported_more_than_24_hours_late_is_flagged() -> None:
    late = ev("step", "2012-06-05T09:00:00+08:00", {"step_code": "1"}, received="2012-06-06T09:00:01+08:00")
    timely = ev("step", "2012-06-06T09:00:00+08:00", {"step_code": "2"}, received="2012-06-07T08:59:00+08:00")
    case = view(*scenario_1()[:2], late, timely)
    assert [(a.code, a.event_id) for a in case.anomalies] == [("late_report", late.event_id)]
    assert case.last_event_at == datetime.fromisoformat("2012-06-07T08:59:00+08:00")


def test_an_event_dated_before_the_submission_is_flagged() -> None:
    case = view(ev("submitted", "2012-06-04T09:00:00+08:00"), ev("accepted", "2012-06-03T09:00:00+08:00"))
    assert [a.code for a in case.anomalies] == ["event_before_submission"]


# --- order and versions --------------------------------------------------------------------------------


def test_only_the_highest_data_version_of_an_event_counts() -> None:
    # Given a conclusion first reported as approved, then corrected to a refusal with a reason
    first = ev("concluded", "2012-06-07", {"result_code": 0}, eid="E-concl", version=1)
    fixed = ev(
        "concluded", "2012-06-07", {"result_code": 1, "reason": "不符合条件"}, eid="E-concl", version=2
    )
    with_old = view(*scenario_1()[:5], first, fixed)
    without_old = view(*scenario_1()[:5], fixed)
    # Then only the correction counts, and the superseded record changes nothing
    assert with_old.result is not None and with_old.result.code == 1
    assert with_old == without_old
    assert with_old.event_count == 6


def test_events_at_the_same_instant_follow_the_lifecycle() -> None:
    # Given acceptance and the first step recorded at the same second, sent step first
    same = "2012-06-04T09:30:00+08:00"
    events = [ev("step", same, {"step_code": "1"}, eid="A-step"), ev("accepted", same, eid="Z-accepted")]
    # Then acceptance comes first in the timeline and the case is in progress
    case = view(*events)
    assert [t.type for t in case.timeline] == ["accepted", "step"]
    assert [e.type for e in business_order(events)] == ["accepted", "step"]
    assert case.status == "in_progress"


def rich_case() -> list[StoredEvent]:
    return [
        ev("submitted", "2012-06-01"),
        ev("accepted", "2012-06-04T09:30:00+08:00"),
        ev("special_started", "2012-06-05", {"seq": 1, "kind": "B", "name": "专家评审"}),
        ev("special_ended", "2012-06-06", {"seq": 1}),
        ev("step", "2012-06-06", {"step_code": "1"}, eid="E-step1", version=1),
        ev("step", "2012-06-07", {"step_code": "1", "opinion": "更正"}, eid="E-step1", version=2),
        ev(
            "concluded", "2012-06-07T16:00:00+08:00", {"result_code": 0}, received="2012-06-09T09:00:00+08:00"
        ),
    ]


def test_any_arrival_order_gives_the_same_view() -> None:
    # Given a case with a pause, a corrected event and a late report
    events = rich_case()
    expected = view(*events)
    assert expected.due == D("2012-06-13")
    # When its records arrive in every possible order
    for order in itertools.permutations(events):
        # Then the view never changes
        assert view(*order) == expected


def test_shuffled_logs_with_or_without_superseded_versions_agree() -> None:
    events = rich_case()
    current = [e for e in events if not (e.event_id == "E-step1" and e.data_version == 1)]
    expected = view(*current)
    with_history = view(*events)
    # The superseded version only adds what the history knows: when the step was first reported.
    step = next(t for t in with_history.timeline if t.event_id == "E-step1")
    first = min(e.received_at for e in events if e.event_id == "E-step1")
    assert step.first_received_at == first
    rng = random.Random(2012)
    for _ in range(50):
        shuffled = events[:]
        rng.shuffle(shuffled)
        assert view(*shuffled) == with_history
        assert _without_first_receipts(view(*shuffled)) == _without_first_receipts(expected)


def _without_first_receipts(v: Any) -> Any:
    return v.model_copy(update={"timeline": [t.model_copy(update={"first_received_at": None}) for t in v.timeline]})


def test_a_record_read_back_from_storage_projects_like_the_original() -> None:
    # Given the stored shape of scenario 1: ISO strings, and numbers as DynamoDB returns them (Decimal)
    original = scenario_1()
    stored = []
    for e in original:
        record: dict[str, Any] = e.model_dump(mode="json")
        record["data"] = {k: Decimal(v) if isinstance(v, int) else v for k, v in record["data"].items()}
        record.update(seq=Decimal(record["seq"]), data_version=Decimal(1), hash="f" * 64, prev_hash="0" * 64)
        stored.append(StoredEvent.model_validate(record))
    # Then the view is the same
    assert view(*stored) == view(*original)


def test_events_of_other_cases_are_ignored_and_an_empty_case_is_an_error() -> None:
    other = ev("accepted", "2012-06-04").model_copy(update={"case_no": "OTHER-CASE"})
    assert view(*scenario_1(), other) == view(*scenario_1())
    with pytest.raises(ValueError, match="no events"):
        view(other)


# --- robustness ---------------------------------------------------------------------------------------

LICENCE_EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("submitted", {}),
    ("pre_accepted", {"status": "supplement"}),
    ("supplement_requested", {"missing_materials": ["报告表"]}),
    ("supplement_received", {}),
    ("accepted", {}),
    ("accepted", {"status": "rejected"}),
    ("step", {"step_code": "1"}),
    ("special_started", {"seq": 1, "kind": "B"}),
    ("special_started", {"seq": 2, "kind": "A", "limit": {"value": 10}}),
    ("special_ended", {"seq": 1}),
    ("special_ended", {"seq": 2}),
    ("concluded", {"result_code": 0}),
    ("concluded", {"result_code": 6}),
    ("delivered", {}),
]


@settings(max_examples=200, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, len(LICENCE_EVENTS) - 1), st.integers(0, 400), st.integers(1, 3)),
        min_size=1,
        max_size=12,
    ),
    seed=st.integers(0, 10_000),
)
def test_any_licence_history_projects_without_error_and_independently_of_order(
    picks: list[tuple[int, int, int]], seed: int
) -> None:
    # Given any mix of licence events over a year, some re-reported with higher versions
    start = datetime.fromisoformat("2012-01-02T09:00:00+08:00")
    events = [
        ev(
            LICENCE_EVENTS[i][0],
            (start + timedelta(days=day)).isoformat(),
            LICENCE_EVENTS[i][1],
            eid=f"E{n}",
            version=version,
        )
        for n, (i, day, version) in enumerate(picks)
    ]
    # When it is projected, in two different arrival orders
    case = view(*events)
    shuffled = events[:]
    random.Random(seed).shuffle(shuffled)
    # Then a view always results, and the same one
    assert view(*shuffled) == case
    assert case.status in ("submitted", "accepted", "in_progress", "suspended", "concluded", "rejected")
    assert case.event_count == len(events)


def test_a_stored_actor_with_extra_details_is_read_leniently() -> None:
    record = ev("accepted", "2012-06-04").model_dump(mode="json")
    record["actor"] = {"name": "王某", "role": "handler", "staff_no": 123}
    stored = StoredEvent.model_validate(record)
    assert stored.actor is not None and (stored.actor.name, stored.actor.staff_no) == ("王某", "123")


def test_filing_a_heard_decision_with_the_legal_office_is_recorded_and_clears_l9() -> None:
    from datetime import datetime as _dt

    from chalicelib.kernel.rules_config import RuleConfig
    from chalicelib.legal.domain import checks as legal

    # Given a penalty decided after a hearing, and then filed with the legal office (听证案件备案)
    events = [*penalty_events(), ev("filed", "2012-08-06", {"filing_no": "徐法备〔2012〕15号"}, item=CF)]
    filed = view(*events)
    unfiled = view(*penalty_events())
    # Then the view knows the filing date
    assert filed.penalty is not None and filed.penalty.filed_at is not None
    assert filed.penalty.filed_at.date().isoformat() == "2012-08-06"
    # And L9 (not filed within 15 days) is raised only for the case that was never filed
    later = _dt.fromisoformat("2012-12-01T09:00:00+08:00")
    cfg = RuleConfig.defaults()
    assert [f for f in legal.time_findings(filed, penalty_item(), cfg, later) if f.check == "L9"] == []
    assert [f.check for f in legal.time_findings(unfiled, penalty_item(), cfg, later) if f.check == "L9"] == ["L9"]
