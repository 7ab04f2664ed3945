"""Supervision rules R1–R14 (行政监察规则): pure functions over a case view.

Calendars are the bundled official ones (2012, 2024, 2025), so holidays and make-up working
days (调休) are real. Views are built directly with a small builder, not by case.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

import pytest

from chalicelib.cases.domain.case_view import (
    Anomaly,
    CaseResult,
    CaseStatus,
    CaseView,
    PauseSpan,
    PenaltyDecision,
    PenaltyRecord,
    StepRecord,
    SupplementRecord,
    TimelineEntry,
)
from chalicelib.catalog.domain.items import (
    Fee,
    ItemDeclaration,
    ItemVersion,
    LegalBasisRef,
    Limit,
    Penalty,
    PenaltyTier,
    Step,
    split_code,
)
from chalicelib.kernel.calendar import Calendar, Pause
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.supervision.domain.rules import SignalDraft, event_signals, next_check_at, time_signals

TZ = timezone(timedelta(hours=8))
CAL = Calendar()
CFG = RuleConfig.defaults()
USEC = timedelta(microseconds=1)


def t(text: str) -> datetime:
    """``2012-06-04 09:30`` or ``2012-06-04`` (midnight), Asia/Shanghai."""
    if len(text) == 10:
        text += " 00:00"
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


STEPS = [
    Step(code="1", name="承办", limit_days=2),
    Step(code="2", name="审核", limit_days=1),
    Step(code="3", name="批准", limit_days=1),
]


def item_version(
    code: str = "320300015XK00400",
    *,
    promised: int = 5,
    statutory: int = 20,
    steps: list[Step] | None = None,
    fee: Fee | None = None,
    category_fields: dict[str, str] | None = None,
    penalty: Penalty | None = None,
) -> ItemVersion:
    parts = split_code(code)
    declaration = ItemDeclaration(
        code=code,
        name="建设项目环境影响评价文件审批",
        category=parts.category,
        dept_code=parts.dept_code,
        legal_basis=[
            LegalBasisRef(id="EIA-LAW-22", title="《中华人民共和国环境影响评价法》", article="第二十二条")
        ],
        statutory_limit=Limit(value=statutory),
        promised_limit=Limit(value=promised),
        fee=fee or Fee(charged=False),
        steps=steps or STEPS,
        category_fields=category_fields or {},
        penalty=penalty,
    )
    return ItemVersion(
        code=code,
        version=1,
        status="confirmed",
        declared_at="2012-01-01T00:00:00+08:00",
        declared_by="015",
        effective_from=date(2012, 1, 1),
        item=declaration,
    )


ITEM = item_version()
#: The same item with a single step whose limit equals the promised limit (no step warnings).
ONE_STEP = item_version(steps=[Step(code="1", name="办理", limit_days=5)])


class Case:
    """Builds a licensing CaseView the way the projection would (deadlines from the item's limits)."""

    def __init__(
        self, item: ItemVersion | None = ITEM, item_code: str = "320300015XK00400", category: str = "XK"
    ) -> None:
        self.item = item
        self.item_code = item_code
        self.category = category
        self.timeline: list[TimelineEntry] = []
        self.steps: list[StepRecord] = []
        self.supplements: list[SupplementRecord] = []
        self.pauses: list[PauseSpan] = []
        self.anomalies: list[Anomaly] = []
        self.submitted_at: datetime | None = None
        self.accepted_at: datetime | None = None
        self.rejected = False
        self.result: CaseResult | None = None
        self.delivered_at: datetime | None = None
        self.penalty: PenaltyRecord | None = None

    def event(self, kind: str, when: str, received: str | None = None, **fields: Any) -> str:
        event_id = f"015-2012-000123-{kind}-{len(self.timeline) + 1}"
        at = t(when)
        self.timeline.append(
            TimelineEntry(
                type=kind,
                at=at,
                name=kind,
                event_id=event_id,
                received_at=t(received) if received else at + timedelta(minutes=5),
                **fields,
            )
        )
        return event_id

    def submitted(self, when: str, **kw: Any) -> Case:
        self.event("submitted", when, **kw)
        self.submitted_at = t(when)
        return self

    def accepted(
        self, when: str = "2012-06-04 09:30", status: str = "accepted", reason: str | None = None, **kw: Any
    ) -> Case:
        event_id = self.event("accepted", when, status=status, **kw)
        if status == "accepted":
            self.accepted_at = t(when)
        else:
            self.rejected = True
            if not reason:
                self.anomalies.append(
                    Anomaly(code="rejected_without_reason", event_id=event_id, message="不予受理未说明理由")
                )
        return self

    def step(self, code: str, when: str, **kw: Any) -> Case:
        self.event("step", when, step_code=code, **kw)
        self.steps.append(StepRecord(code=code, name=code, at=t(when)))
        return self

    def supplement(self, when: str, **kw: Any) -> Case:
        self.event("supplement_requested", when, **kw)
        self.supplements.append(SupplementRecord(requested_at=t(when)))
        return self

    def special(
        self,
        seq: str,
        kind: Literal["A", "B"],
        start: str,
        end: str | None = None,
        value: int | None = None,
        unit: str = "working_day",
        approver: str | None = "局长",
        reason: str | None = "需专家评审",
        name: str = "专家评审",
    ) -> Case:
        self.event("special_started", start + " 10:00")
        if end:
            self.event("special_ended", end + " 16:00")
        self.pauses.append(
            PauseSpan(
                seq=seq,
                kind=kind,
                name=name,
                start=date.fromisoformat(start),
                end=date.fromisoformat(end) if end else None,
                approver=approver,
                reason=reason,
                declared_limit={"value": value, "unit": unit} if value is not None else None,
            )
        )
        return self

    def concluded(
        self, when: str, code: int = 0, reason: str | None = None, fee: str | None = None, **kw: Any
    ) -> Case:
        self.event("concluded", when, **kw)
        self.result = CaseResult(
            code=code,
            reason=reason,
            concluded_at=t(when),
            cert_name="环评批复",
            fee_amount=Decimal(fee) if fee is not None else None,
        )
        return self

    def delivered(self, when: str) -> Case:
        self.event("delivered", when)
        self.delivered_at = t(when)
        return self

    def _due(self, limit: Limit | None) -> date | None:
        if limit is None or self.accepted_at is None:
            return None
        closed_b = [Pause(p.start, p.end) for p in self.pauses if p.kind == "B" and p.end is not None]
        extension = sum(
            int(p.declared_limit["value"]) for p in self.pauses if p.kind == "A" and p.declared_limit
        )
        return CAL.add_working_days(self.accepted_at.date(), limit.value, closed_b, extension).due

    def view(self) -> CaseView:
        status: CaseStatus
        if self.result is not None:
            status = "rejected" if self.result.code == 6 else "concluded"
        elif self.rejected:
            status = "rejected"
        elif any(p.kind == "B" and p.end is None for p in self.pauses):
            status = "suspended"
        elif self.steps:
            status = "in_progress"
        elif self.accepted_at is not None:
            status = "accepted"
        else:
            status = "submitted"
        parts = split_code(self.item_code)
        decl = self.item.item if self.item else None
        return CaseView(
            case_no="3203000152012000123",
            item_code=self.item_code,
            dept_code=parts.dept_code,
            region_code=parts.region_code,
            category=self.category,
            status=status,
            submitted_at=self.submitted_at,
            accepted_at=self.accepted_at,
            concluded_at=self.result.concluded_at if self.result else None,
            delivered_at=self.delivered_at,
            due=self._due(decl.promised_limit if decl else None),
            statutory_due=self._due(decl.statutory_limit if decl else None),
            pauses=self.pauses,
            timeline=self.timeline,
            steps=self.steps,
            supplements=self.supplements,
            result=self.result,
            anomalies=self.anomalies,
            penalty=self.penalty,
        )

    def events(self, cfg: RuleConfig = CFG) -> list[SignalDraft]:
        return event_signals(self.view(), self.item, CAL, cfg)

    def swept(self, as_of: str | datetime, cfg: RuleConfig = CFG) -> list[SignalDraft]:
        return time_signals(self.view(), self.item, CAL, cfg, t(as_of) if isinstance(as_of, str) else as_of)

    def next_check(self, after: datetime | None = None) -> datetime | None:
        return next_check_at(self.view(), self.item, CAL, CFG, after=after)


def causes(signals: list[SignalDraft]) -> set[str]:
    return {s.cause for s in signals}


def only(signals: list[SignalDraft], rule: str) -> list[SignalDraft]:
    return [s for s in signals if s.rule == rule]


# --------------------------------------------------------------------------- the worked examples


def test_on_time_license_raises_nothing_at_any_time() -> None:
    # Given docs/DOMAIN.md §10 scenario 1: accepted Mon 2012-06-04, steps one a day, approved 06-07, delivered 06-08
    case = (
        Case()
        .submitted("2012-06-01 10:00")
        .accepted("2012-06-04 09:30")
        .step("1", "2012-06-05 15:00")
        .step("2", "2012-06-06 15:00")
        .step("3", "2012-06-07 10:00")
        .concluded("2012-06-07 16:00")
        .delivered("2012-06-08 10:00")
    )
    # Then the deadline is 06-11 and neither the events nor any later sweep raise a signal
    assert case.view().due == date(2012, 6, 11)
    assert case.events() == []
    assert case.swept("2012-12-31 00:00") == []
    assert case.next_check() is None


def test_national_day_2012_yellow_on_the_last_working_day_and_never_during_the_holiday() -> None:
    # Given docs/DOMAIN.md §10 scenario 3: accepted Thu 2012-09-27, promised 5 working days (Sat 09-29 works)
    case = Case(item=ONE_STEP).accepted("2012-09-27 10:00")
    assert case.view().due == date(2012, 10, 10)
    # When the sweep runs through the holiday, Then nothing is raised
    assert case.swept("2012-10-08 23:59") == []
    # When it runs on 10-09, Then a yellow R1 names the due date, raised at 10-09 00:00
    (r1,) = case.swept("2012-10-09 08:00")
    assert (r1.rule, r1.level, r1.raised_at) == ("R1", "yellow", t("2012-10-09 00:00"))
    assert "2012-10-10" in r1.message
    assert r1.recipients == ["handler", "dept_head", "dept_supervision"]


def test_national_day_2012_with_step_limits_raises_nothing_during_the_holiday() -> None:
    # Given scenario 3 with the scenario-1 item (承办 2, 审核 1, 批准 1 working days), no step reported
    case = Case().accepted("2012-09-27 10:00")
    # Then step 1 (due Sat 09-29, a make-up working day) is only overrun on the next working day 10-08
    assert case.swept("2012-10-07 23:59") == []
    assert case.next_check() == t("2012-10-08")
    assert [s.cause for s in case.swept("2012-10-08 00:00")] == ["R4:step:1"]


@pytest.mark.parametrize(
    ("concluded", "late"),
    [("2012-10-10 17:30", False), ("2012-10-11 09:00", True)],
)
def test_national_day_2012_conclusion_on_the_due_day_is_on_time_the_day_after_is_red(
    concluded: str,
    late: bool,
) -> None:
    # Given scenario 3, When the conclusion arrives on 10-10 or on 10-11
    signals = Case().accepted("2012-09-27 10:00").concluded(concluded).events()
    # Then only the later one raises red R2, raised at the start of 10-11 and naming both dates
    r2 = only(signals, "R2")
    assert bool(r2) is late
    if late:
        assert (r2[0].level, r2[0].cause, r2[0].raised_at) == (
            "red",
            "R2:due:2012-10-10",
            t("2012-10-11 00:00"),
        )
        assert "2012-10-11" in r2[0].message and "2012-10-10" in r2[0].message


def test_rejection_without_reason_is_red_r6_at_once_to_handler_head_and_supervisor() -> None:
    # Given docs/DOMAIN.md §10 scenario 5: 受理 with status rejected and no reason on 2012-06-05 10:00
    case = Case().submitted("2012-06-04 09:00").accepted("2012-06-05 10:00", status="rejected")
    # When the event is evaluated
    (r6,) = case.events()
    # Then a red R6 is raised at the event's receipt, naming the missing reason
    assert (r6.rule, r6.level, r6.raised_at) == ("R6", "red", t("2012-06-05 10:05"))
    assert r6.recipients == ["handler", "dept_head", "supervisor"]
    assert "不予受理未说明理由" in r6.message
    assert r6.event_id is not None


def test_rejection_with_a_reason_raises_nothing() -> None:
    assert Case().accepted("2012-06-05 10:00", status="rejected", reason="材料不符合法定形式").events() == []


# --------------------------------------------------------------------------- R1 around the calendar


@pytest.mark.parametrize(
    ("accepted", "promised", "due", "r1_day", "r2_day"),
    [
        # weekend: due Mon 2012-06-11, last working day before it is Fri 06-08
        ("2012-06-04 09:30", 5, "2012-06-11", "2012-06-08", "2012-06-12"),
        # Dragon Boat 2012: 06-22 is a holiday, due Mon 06-25, yellow on Thu 06-21
        ("2012-06-18 09:30", 4, "2012-06-25", "2012-06-21", "2012-06-26"),
        # Spring Festival 2024: due on make-up Sunday 02-18, yellow on Fri 02-09 before the holiday
        ("2024-02-08 09:30", 2, "2024-02-18", "2024-02-09", "2024-02-19"),
        # Spring Festival 2024: make-up Sunday 02-04 is itself the yellow day
        ("2024-02-02 09:30", 2, "2024-02-05", "2024-02-04", "2024-02-06"),
        # National Day 2025: due on make-up Saturday 10-11, red from Sunday 10-12
        ("2025-09-29 09:30", 4, "2025-10-11", "2025-10-10", "2025-10-12"),
        # National Day 2025: accepted on make-up Sunday 09-28
        ("2025-09-28 09:30", 3, "2025-10-09", "2025-09-30", "2025-10-10"),
    ],
)
def test_r1_and_r2_fire_at_the_right_instant_around_weekends_and_holidays(
    accepted: str,
    promised: int,
    due: str,
    r1_day: str,
    r2_day: str,
) -> None:
    # Given an open case with a promised limit
    case = Case(
        item=item_version(promised=promised, steps=[Step(code="1", name="办理", limit_days=promised)])
    )
    case.accepted(accepted)
    assert case.view().due == date.fromisoformat(due)
    # Then the sweep index points at the start of the yellow day, and evaluating there raises R1
    r1_at = t(r1_day)
    assert case.next_check() == r1_at
    assert only(case.swept(r1_at - USEC), "R1") == []
    assert [s.raised_at for s in only(case.swept(r1_at), "R1")] == [r1_at]
    # And red R2 starts when the due day has ended
    r2_at = t(r2_day)
    assert only(case.swept(r2_at - USEC), "R2") == []
    (r2,) = only(case.swept(r2_at), "R2")
    assert (r2.level, r2.raised_at, r2.cause) == ("red", r2_at, f"R2:due:{due}")


def test_next_check_at_walks_r1_then_r2_then_r3_and_each_yields_a_new_signal() -> None:
    # Given a case accepted 2012-06-04, promised 5 and statutory 20 working days, one generous step
    case = Case(item=item_version(steps=[Step(code="1", name="办理", limit_days=20)])).accepted(
        "2012-06-04 09:30"
    )
    view = case.view()
    assert view.statutory_due == date(2012, 7, 3)  # 06-22 Dragon Boat holiday skipped
    seen: set[str] = set()
    expected = [("R1", t("2012-06-08")), ("R2", t("2012-06-12")), ("R3", t("2012-07-04"))]
    after: datetime | None = None
    for rule, instant in expected:
        # When the sweep asks for the next instant after its last run
        nxt = case.next_check(after)
        # Then it is exactly the instant the rule becomes true
        assert nxt == instant
        before = causes(case.swept(nxt - USEC))
        now = causes(case.swept(nxt))
        assert before == seen
        new = now - before
        assert new and {c.split(":")[0] for c in new} >= {rule}
        seen, after = now, nxt


def test_sweeping_late_or_twice_gives_identical_signals() -> None:
    # Given an open, overdue case
    case = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00")
    # When the sweep runs at several later instants
    runs = [case.swept(x) for x in ("2012-07-10 09:00", "2012-07-10 09:00", "2013-01-01 00:00")]
    # Then every run yields exactly the same drafts (same cause, same raised_at)
    assert runs[0] == runs[1] == runs[2]
    assert {s.rule for s in runs[0]} >= {"R1", "R2", "R3", "R4"}


def test_sweep_and_late_conclusion_agree_on_one_r2_signal() -> None:
    # Given the sweep raised R2 on an open case
    case = Case().accepted("2012-06-04 09:30")
    (swept,) = only(case.swept("2012-06-12 09:00"), "R2")
    # When the conclusion arrives late
    case.concluded("2012-06-13 10:00")
    (from_event,) = only(case.events(), "R2")
    # Then both paths produce the same signal (same cause and raised_at): it is stored once
    assert (swept.cause, swept.raised_at) == (from_event.cause, from_event.raised_at)
    assert "2012-06-13" in from_event.message


def test_conclusion_after_the_statutory_limit_is_red_r3_and_names_the_legal_office() -> None:
    case = Case().accepted("2012-06-04 09:30").concluded("2012-07-04 10:00")
    (r3,) = only(case.events(), "R3")
    assert (r3.level, r3.cause, r3.raised_at) == ("red", "R3:due:2012-07-03", t("2012-07-04"))
    assert "legal" in r3.recipients


# --------------------------------------------------------------------------- pauses and extensions


def test_a_closed_type_b_pause_moves_the_deadline_and_r1_follows_it() -> None:
    # Given an expert review 06-06..06-07 on a case accepted 06-04 (promised 5)
    case = Case().accepted("2012-06-04 09:30").special("1", "B", "2012-06-06", "2012-06-07", value=2)
    assert case.view().due == date(2012, 6, 13)
    # Then step 1's limit (2 working days) skips the pause too: it is overrun from Mon 06-11
    assert case.next_check() == t("2012-06-11")
    # And the yellow comes on 06-12, not on 06-08
    assert only(case.swept("2012-06-11 23:59"), "R1") == []
    assert [s.raised_at for s in only(case.swept("2012-06-12 00:00"), "R1")] == [t("2012-06-12")]


def test_an_open_type_b_pause_stops_the_deadline_clock() -> None:
    # Given a pause that began before the due date and has not ended, with no declared limit
    case = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00")
    case.special("1", "B", "2012-06-06")
    # Then no deadline signal is raised however late the sweep runs, and nothing is scheduled
    assert case.swept("2012-12-31") == []
    assert case.next_check() is None


def test_an_open_type_b_pause_beyond_its_declared_limit_is_yellow_r11() -> None:
    # Given an inspection started Wed 2012-06-06 declaring 3 working days (06-06, 06-07, 06-08)
    case = Case().accepted("2012-06-04 09:30").special("1", "B", "2012-06-06", value=3, name="现场检验")
    # Then the sweep index points at the next working day (Mon 06-11), where yellow R11 appears
    assert case.next_check() == t("2012-06-11")
    assert only(case.swept("2012-06-10 23:59"), "R11") == []
    (r11,) = only(case.swept("2012-06-11 09:00"), "R11")
    assert (r11.level, r11.cause, r11.raised_at) == ("yellow", "R11:pause:1", t("2012-06-11"))
    assert "现场检验" in r11.message and "2012-06-08" in r11.message


@pytest.mark.parametrize(
    ("end", "late"), [("2012-06-08", False), ("2012-06-10", False), ("2012-06-11", True)]
)
def test_a_type_b_pause_that_ended_late_is_yellow_r11_from_the_events(end: str, late: bool) -> None:
    case = Case().accepted("2012-06-04 09:30").special("1", "B", "2012-06-06", end, value=3)
    assert bool(only(case.events(), "R11")) is late


def test_an_extension_without_approver_is_red_r11() -> None:
    case = (
        Case()
        .accepted("2012-06-04 09:30")
        .special("2", "A", "2012-06-08", "2012-06-08", value=5, approver=None, name="延长审批")
    )
    (r11,) = only(case.events(), "R11")
    assert (r11.level, r11.cause) == ("red", "R11:ext:2")
    assert "批准人" in r11.message


@pytest.mark.parametrize(("days", "red"), [(10, False), (11, True)])
def test_license_extensions_over_statutory_plus_10_working_days_are_red(days: int, red: bool) -> None:
    # Given two approved extensions on a license (category XK)
    case = Case().accepted("2012-06-04 09:30")
    case.special("1", "A", "2012-06-20", "2012-06-20", value=6, name="延长审批")
    case.special("2", "A", "2012-06-28", "2012-06-28", value=days - 6, name="延长审批")
    # Then only a total above 10 working days breaks the cap
    cap = [s for s in case.events() if s.cause == "R11:cap"]
    assert bool(cap) is red
    if red:
        assert "20 个工作日 + 10 个工作日" in cap[0].message


@pytest.mark.parametrize(("days", "red"), [(15, False), (16, True)])
def test_jointly_handled_licenses_may_extend_by_15_working_days(days: int, red: bool) -> None:
    # Given a license handled jointly with another department (45 + 15, not 20 + 10)
    base = item_version(statutory=45, promised=30)
    joint = base.model_copy(update={"item": base.item.model_copy(update={"co_departments": ["016"]})})
    case = Case(item=joint).accepted("2012-06-04 09:30")
    case.special("1", "A", "2012-06-20", "2012-06-20", value=days, name="延长审批")
    # Then only more than 15 working days of extensions breaks the cap
    cap = [s for s in case.events() if s.cause == "R11:cap"]
    assert bool(cap) is red
    if red:
        assert "联合办理事项延期上限（法定时限 45 个工作日 + 15 个工作日）" in cap[0].message


def test_an_extension_moves_r2_to_the_extended_due_date() -> None:
    case = Case().accepted("2012-06-04 09:30").special("1", "A", "2012-06-08", "2012-06-08", value=3)
    assert case.view().due == date(2012, 6, 14)
    assert only(case.swept("2012-06-14 23:59"), "R2") == []
    assert [s.cause for s in only(case.swept("2012-06-15"), "R2")] == ["R2:due:2012-06-14"]


# --------------------------------------------------------------------------- steps (R4)


def test_a_step_finished_after_its_limit_is_yellow_r4_naming_the_step() -> None:
    # Given step 1 (承办, 2 working days from acceptance 06-04 → 06-06) done on 06-07
    case = Case().accepted("2012-06-04 09:30").step("1", "2012-06-07 10:00")
    (r4,) = only(case.events(), "R4")
    assert (r4.level, r4.cause, r4.raised_at) == ("yellow", "R4:step:1", t("2012-06-07"))
    assert "承办" in r4.message and "2012-06-06" in r4.message


def test_step_limits_count_from_the_previous_step() -> None:
    # Given step 1 on 06-05 and step 2 (审核, 1 working day) on Mon 06-11 after a weekend
    case = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00").step("2", "2012-06-08 10:00")
    assert [s.cause for s in only(case.events(), "R4")] == ["R4:step:2"]
    on_time = Case().accepted("2012-06-04 09:30").step("1", "2012-06-08 10:00").step("2", "2012-06-11 10:00")
    assert [s.cause for s in only(on_time.events(), "R4")] == ["R4:step:1"]


def test_the_running_step_past_its_limit_is_yellow_in_the_sweep() -> None:
    case = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00")
    # step 2 (审核, 1 working day from 06-05) is due 06-06
    assert only(case.swept("2012-06-06 23:59"), "R4") == []
    (r4,) = only(case.swept("2012-06-07 00:00"), "R4")
    assert (r4.cause, r4.raised_at) == ("R4:step:2", t("2012-06-07"))
    # and a case concluded without reporting its steps is not blamed for them
    assert only(Case().accepted("2012-06-04 09:30").concluded("2012-06-08 10:00").events(), "R4") == []


# --------------------------------------------------------------------------- R5, R8, R9, R10, R12, R13


def test_preliminary_review_not_forwarded_in_20_working_days_is_yellow_r5() -> None:
    item = item_version(
        category_fields={"preliminary_review": "true"},
        statutory=40,
        promised=30,
        steps=[Step(code="1", name="初审", limit_days=30)],
    )
    case = Case(item=item).accepted("2012-06-04 09:30")
    assert only(case.swept("2012-07-03 23:59"), "R5") == []
    (r5,) = only(case.swept("2012-07-04 00:00"), "R5")
    assert (r5.level, r5.raised_at) == ("yellow", t("2012-07-04"))
    # items without the flag never raise R5
    assert only(Case().accepted("2012-06-04 09:30").swept("2012-12-31"), "R5") == []


def test_an_event_reported_more_than_24_hours_late_is_yellow_r8_once_per_event_type() -> None:
    case = Case().accepted("2012-06-04 09:30", received="2012-06-05 09:30")  # exactly 24 h: on time
    case.step("1", "2012-06-05 10:00", received="2012-06-06 10:01")  # 24 h 1 min: late
    (r8,) = only(case.events(), "R8")
    assert (r8.level, r8.cause, r8.raised_at) == ("yellow", "R8:late:step", t("2012-06-06 10:01"))
    assert "24 小时" in r8.message


def test_a_conclusion_without_any_acceptance_is_red_r8() -> None:
    case = Case().submitted("2012-06-01 10:00").concluded("2012-06-07 10:00")
    (r8,) = only(case.events(), "R8")
    assert (r8.level, r8.cause) == ("red", "R8:no_acceptance")


@pytest.mark.parametrize(
    ("fee", "charged", "red"),
    [
        (Fee(charged=False), "50", True),
        (Fee(charged=True, amount=Decimal(100), basis="苏价费〔2012〕1号"), "120", True),
        (Fee(charged=True, amount=Decimal(100), basis="苏价费〔2012〕1号"), "100.00", False),
        (Fee(charged=False), "0", False),
    ],
)
def test_fees_different_from_the_catalog_are_red_r9(fee: Fee, charged: str, red: bool) -> None:
    case = (
        Case(item=item_version(fee=fee))
        .accepted("2012-06-04 09:30")
        .concluded("2012-06-07 10:00", fee=charged)
    )
    r9 = only(case.events(), "R9")
    assert bool(r9) is red
    if red:
        assert charged in r9[0].message and r9[0].level == "red"


@pytest.mark.parametrize(("notice", "late"), [("2012-06-08 10:00", False), ("2012-06-11 10:00", True)])
def test_first_supplement_notice_more_than_5_working_days_after_submission_is_yellow_r10(
    notice: str,
    late: bool,
) -> None:
    # Given a submission on Fri 2012-06-01 (5 working days → 06-08)
    case = Case().submitted("2012-06-01 10:00").supplement(notice)
    r10 = only(case.events(), "R10")
    assert bool(r10) is late
    if late:
        assert (r10[0].level, r10[0].cause, r10[0].raised_at) == (
            "yellow",
            "R10:first_notice",
            t("2012-06-11"),
        )


def test_no_supplement_decision_within_5_working_days_is_yellow_r10_in_the_sweep() -> None:
    case = Case().submitted("2012-06-01 10:00")
    assert case.next_check() == t("2012-06-11")
    assert case.swept("2012-06-10 23:59") == []
    assert [s.cause for s in case.swept("2012-06-11 09:00")] == ["R10:first_notice"]
    # an acceptance in time stops it
    assert only(case.accepted("2012-06-05 10:00").swept("2012-06-11 09:00"), "R10") == []


def test_a_second_supplement_request_is_red_r10() -> None:
    case = Case().submitted("2012-06-01 10:00").supplement("2012-06-04 10:00").supplement("2012-06-06 10:00")
    (r10,) = only(case.events(), "R10")
    assert (r10.level, r10.cause, r10.raised_at) == ("red", "R10:repeat", t("2012-06-06 10:05"))


@pytest.mark.parametrize(("delivered", "late"), [("2012-06-21 10:00", False), ("2012-06-25 10:00", True)])
def test_delivery_more_than_10_working_days_after_approval_is_yellow_r12(delivered: str, late: bool) -> None:
    # Given approval on 06-07: 10 working days → 06-21 (06-22 is the Dragon Boat holiday)
    case = Case().accepted("2012-06-04 09:30").concluded("2012-06-07 10:00").delivered(delivered)
    r12 = only(case.events(), "R12")
    assert bool(r12) is late
    if late:
        assert (r12[0].level, r12[0].raised_at) == ("yellow", t("2012-06-25"))


def test_an_approved_case_not_delivered_is_yellow_r12_in_the_sweep_and_refusals_are_exempt() -> None:
    approved = Case().accepted("2012-06-04 09:30").concluded("2012-06-07 10:00")
    assert approved.next_check(after=t("2012-06-08")) == t("2012-06-25")
    assert approved.swept("2012-06-24 23:59") == []
    assert [s.cause for s in approved.swept("2012-06-25 08:00")] == ["R12:delivery"]
    refused = Case().accepted("2012-06-04 09:30").concluded("2012-06-07 10:00", code=1, reason="不符合条件")
    assert refused.swept("2012-12-31") == []
    assert refused.next_check() is None


def test_refusal_without_reason_is_red_r6() -> None:
    case = Case().accepted("2012-06-04 09:30").concluded("2012-06-07 10:00", code=1)
    (r6,) = only(case.events(), "R6")
    assert r6.cause == "R6:concluded:1" and "不予许可" in r6.message


def test_an_item_not_in_the_catalog_is_red_r13() -> None:
    case = Case(item=None, item_code="320300015XK09900").accepted("2012-06-04 09:30")
    (r13,) = only(case.events(), "R13")
    assert (r13.level, r13.recipients) == ("red", ["dept_head", "legal"])
    assert "320300015XK09900" in r13.message


# --------------------------------------------------------------------------- penalty (R14)


CF_ITEM = item_version(
    "320300015CF02100",
    penalty=Penalty(
        types=["warning", "fine"],
        fine_min=Decimal(1000),
        fine_max=Decimal(10000),
        case_limit_days=90,
        tiers=[
            PenaltyTier(tier="light", min=Decimal(1000), max=Decimal(3000)),
            PenaltyTier(tier="medium", min=Decimal(3000), max=Decimal(6000)),
            PenaltyTier(tier="heavy", min=Decimal(6000), max=Decimal(10000)),
        ],
    ),
)


def penalty_case(decided: str | None = None) -> Case:
    case = Case(item=CF_ITEM, item_code="320300015CF02100", category="CF")
    case.event("case_opened", "2012-06-01 10:00")
    decision = None
    if decided:
        case.event("decided", decided)
        decision = PenaltyDecision(types=["fine"], amount=Decimal(2000), tier="light", decided_at=t(decided))
    case.penalty = PenaltyRecord(opened_at=t("2012-06-01 10:00"), officers=["A1", "A2"], decision=decision)
    return case


def test_penalty_case_gets_yellow_5_days_before_its_limit_and_red_after_it() -> None:
    # Given a case opened 2012-06-01 with a 90-day limit (→ 2012-08-30)
    case = penalty_case()
    assert case.next_check() == t("2012-08-25")
    assert case.swept("2012-08-24 23:59") == []
    assert [(s.level, s.raised_at) for s in case.swept("2012-08-25")] == [("yellow", t("2012-08-25"))]
    assert case.next_check(after=t("2012-08-25")) == t("2012-08-31")
    assert [s.level for s in case.swept("2012-08-31")] == ["yellow", "red"]


def test_a_penalty_decided_after_its_limit_is_red_r14_and_one_decided_in_time_is_silent() -> None:
    (r14,) = penalty_case("2012-09-03 10:00").events()
    assert (r14.rule, r14.level, r14.cause) == ("R14", "red", "R14:over:2012-08-30")
    assert penalty_case("2012-08-30 17:00").events() == []
    assert penalty_case("2012-07-01 10:00").next_check() is None


# --------------------------------------------------------------------------- configuration


def test_a_changed_late_report_threshold_applies_only_from_its_effective_date() -> None:
    cfg = RuleConfig.from_dict({"late_report_hours": [{"effective_from": "2012-06-10", "value": 48}]})
    before = Case().accepted("2012-06-04 09:30", received="2012-06-05 19:30")  # 34 h, act before the change
    after = Case().accepted("2012-06-11 09:30", received="2012-06-12 19:30")  # 34 h, act after the change
    assert [s.cause for s in before.events(cfg)] == ["R8:late:accepted"]
    assert after.events(cfg) == []


def test_ratio_mode_warns_once_90_percent_of_the_promised_days_are_used() -> None:
    cfg = RuleConfig.from_dict({"r1_mode": "ratio"})
    item = item_version(promised=20, statutory=20, steps=[Step(code="1", name="办理", limit_days=20)])
    case = Case(item=item).accepted("2012-06-04 09:30")
    # 20 working days → 07-03; 18 used at the end of 06-29, so the warning starts 07-02
    assert only(case.swept("2012-07-01 23:59", cfg), "R1") == []
    assert [s.raised_at for s in only(case.swept("2012-07-02", cfg), "R1")] == [t("2012-07-02")]


def test_signal_drafts_serialise_to_json_safe_dicts() -> None:
    (r6,) = Case().accepted("2012-06-05 10:00", status="rejected").events()
    data = r6.to_dict()
    assert data["raised_at"] == "2012-06-05T10:05:00+08:00"
    assert data["rule"] == "R6" and data["case_no"] == "3203000152012000123" and data["dept_code"] == "015"


class CorrectedEntry(TimelineEntry):
    """A timeline entry that knows when its first version arrived (a field the projection may add)."""

    first_received_at: datetime | None = None


def test_a_correction_resent_days_later_is_not_a_late_report() -> None:
    # Given an acceptance reported on time and corrected (data_version 2) three days later
    case = Case().accepted("2012-06-04 09:30", received="2012-06-07 09:30")
    on_time = case.timeline[0].model_dump()
    case.timeline[0] = TimelineEntry(**{**on_time, "first_received_at": t("2012-06-04 09:40")})
    # Then no R8 is raised; without the first receipt it would have been
    assert only(case.events(), "R8") == []
    case.timeline[0] = TimelineEntry(**{**on_time, "first_received_at": None})
    assert [s.cause for s in only(case.events(), "R8")] == ["R8:late:accepted"]


def test_closing_a_penalty_case_without_a_decision_stops_its_clock() -> None:
    case = penalty_case()
    assert case.penalty is not None
    case.penalty = case.penalty.model_copy(update={"closed_at": t("2012-07-01 10:00")})
    assert case.swept("2012-12-31") == []
    assert case.next_check() is None


def test_a_co_department_review_does_not_shift_the_lead_departments_step_clock() -> None:
    # Given step 1 done on time, and in one copy a co-department review (code C016) recorded two days later
    base = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00")
    with_review = Case().accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00")
    with_review.steps.append(StepRecord(code="C016", name="会审", at=t("2012-06-07 10:00")))
    # Then the running step 2 (limit 1 wd from step 1) is late the same way in both
    late = [s.cause for s in base.swept("2012-06-08 09:00") if s.rule == "R4"]
    assert late == ["R4:step:2"]
    assert [s.cause for s in with_review.swept("2012-06-08 09:00") if s.rule == "R4"] == late


def test_no_near_deadline_reminder_for_a_one_day_promise() -> None:
    # Given a case accepted Monday 2012-06-04 with a promise of 1 working day (due Tuesday)
    case = Case(item_version(promised=1, steps=[Step(code="1", name="办理", limit_days=1)])).accepted("2012-06-04 09:30")
    # Then sweeping on the acceptance day raises no R1, while the R2 after Tuesday still comes
    assert [s for s in case.swept("2012-06-04 18:00") if s.rule == "R1"] == []
    assert [s.rule for s in case.swept("2012-06-06 09:00") if s.rule == "R2"] == ["R2"]
