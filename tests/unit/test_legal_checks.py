"""Legal-oversight checks L1–L12 (法制监督): pure functions over a penalty case view."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.cases.domain.case_view import CaseView, Party, PenaltyDecision, PenaltyRecord, TimelineEntry
from chalicelib.catalog.domain.items import (
    Fee,
    ItemDeclaration,
    ItemVersion,
    LegalBasisRef,
    Limit,
    Penalty,
    PenaltyTier,
    PenaltyType,
    Step,
    split_code,
)
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.legal.domain.checks import (
    FindingDraft,
    GovernanceRecord,
    InMemoryRegistry,
    LegalBasis,
    Officer,
    event_findings,
    governance_findings,
    next_finding_check_at,
    time_findings,
)

TZ = timezone(timedelta(hours=8))
CAL = Calendar()
CFG = RuleConfig.defaults()
USEC = timedelta(microseconds=1)


def t(text: str) -> datetime:
    if len(text) == 10:
        text += " 00:00"
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def d(text: str) -> date:
    return date.fromisoformat(text)


def penalty_item(
    code: str = "320300015CF02100",
    fine_min: int = 1000,
    fine_max: int = 10000,
    cuts: tuple[int, int] = (3000, 6000),
    types: tuple[PenaltyType, ...] = ("warning", "fine", "suspension"),
    summary: bool = False,
) -> ItemVersion:
    parts = split_code(code)
    low, high = cuts
    penalty = Penalty(
        types=list(types),
        fine_min=Decimal(fine_min),
        fine_max=Decimal(fine_max),
        case_limit_days=90,
        tiers=[
            PenaltyTier(tier="light", min=Decimal(fine_min), max=Decimal(low)),
            PenaltyTier(tier="medium", min=Decimal(low), max=Decimal(high)),
            PenaltyTier(tier="heavy", min=Decimal(high), max=Decimal(fine_max)),
        ],
    )
    declaration = ItemDeclaration(
        code=code,
        name="违反环境影响评价制度的处罚",
        category="CF",
        dept_code=parts.dept_code,
        legal_basis=[
            LegalBasisRef(id="EP-LAW-59", title="《中华人民共和国环境保护法》", article="第五十九条"),
            LegalBasisRef(id="EIA-LAW-31", title="《中华人民共和国环境影响评价法》", article="第三十一条"),
        ],
        statutory_limit=Limit(value=90, unit="calendar_day"),
        promised_limit=Limit(value=90, unit="calendar_day"),
        fee=Fee(charged=False),
        steps=[Step(code="1", name="调查", limit_days=30)],
        penalty=penalty,
        summary_procedure=summary,
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


#: docs/DOMAIN.md §10 scenario 10: statutory fine 1,000–10,000 yuan.
ITEM = penalty_item()
#: A wide range so the hearing thresholds can be probed without tripping L1.
WIDE = penalty_item(fine_min=100, fine_max=100000, cuts=(1000, 20000))

A1 = Officer("A1", "李明", "015", "JS-015-0001", d("2010-01-01"), d("2014-12-31"))
A2 = Officer("A2", "王强", "015", "JS-015-0002", d("2010-01-01"), d("2014-12-31"))
EP_LAW = LegalBasis("EP-LAW-59", "《中华人民共和国环境保护法》")
EIA_LAW = LegalBasis("EIA-LAW-31", "《中华人民共和国环境影响评价法》")
REGISTRY = InMemoryRegistry.of([A1, A2], [EP_LAW, EIA_LAW])

PERSON = Party(type="person", name="张三", in_business=False)
ORG = Party(type="org", name="徐州某协会", in_business=False)
BUSINESS = Party(type="org", name="徐州某机械有限公司", in_business=True)


class FiledPenalty(PenaltyRecord):
    """A penalty record carrying the filing date L9 reads (a field the projection may add)."""

    filed_at: datetime | None = None


class PenaltyCase:
    """Builds a penalty (CF) CaseView milestone by milestone."""

    def __init__(
        self, item: ItemVersion | None = ITEM, party: Party = PERSON, item_code: str = "320300015CF02100"
    ) -> None:
        self.item = item
        self.party = party
        self.item_code = item_code
        self.timeline: list[TimelineEntry] = []
        self.fields: dict[str, Any] = {}
        self.filed_at: datetime | None = None

    def _event(self, kind: str, when: str) -> None:
        at = t(when)
        self.timeline.append(
            TimelineEntry(
                type=kind,
                at=at,
                name=kind,
                event_id=f"CF-{kind}-{len(self.timeline)}",
                received_at=at + timedelta(minutes=10),
            )
        )

    def opened(self, when: str = "2012-06-01 09:00", officers: tuple[str, ...] = ("A1", "A2")) -> PenaltyCase:
        self._event("case_opened", when)
        self.fields.update(opened_at=t(when), officers=list(officers))
        return self

    def notice(
        self, when: str, amount: str | None = "2000", types: tuple[str, ...] = ("fine",), hearing: bool = True
    ) -> PenaltyCase:
        self._event("notice_served", when)
        self.fields.update(
            notice_served_at=t(when),
            hearing_notified=hearing,
            proposed={"types": list(types), "amount": amount, "tier": "light"},
        )
        return self

    def hearing(
        self,
        requested: str | None = None,
        noticed: str | None = None,
        held: str | None = None,
        chair: str = "C9",
    ) -> PenaltyCase:
        for kind, when, key in (
            ("hearing_requested", requested, "hearing_requested_at"),
            ("hearing_noticed", noticed, "hearing_noticed_at"),
            ("hearing_held", held, "hearing_held_at"),
        ):
            if when:
                self._event(kind, when)
                self.fields[key] = t(when)
        if held:
            self.fields["hearing_chair"] = chair
        return self

    def decided(
        self,
        when: str,
        amount: str | None = "2000",
        types: tuple[str, ...] = ("fine",),
        tier: str | None = "light",
        tier_reason: str | None = None,
        collective: bool = False,
        basis: tuple[str, ...] = ("EP-LAW-59",),
    ) -> PenaltyCase:
        self._event("decided", when)
        self.fields["decision"] = PenaltyDecision(
            decision_no="徐环罚〔2012〕21号",
            types=list(types),
            amount=Decimal(amount) if amount else None,
            tier=tier,
            tier_reason=tier_reason,
            collective_discussion=collective,
            basis_ids=list(basis),
            decided_at=t(when),
        )
        return self

    def filed(self, when: str) -> PenaltyCase:
        self.filed_at = t(when)
        return self

    def view(self) -> CaseView:
        parts = split_code(self.item_code)
        opened = self.fields.get("opened_at")
        penalty = FiledPenalty(filed_at=self.filed_at, **self.fields)
        return CaseView(
            case_no="CF-3203000152012000021",
            item_code=self.item_code,
            dept_code=parts.dept_code,
            region_code=parts.region_code,
            category="CF",
            status="in_progress",
            accepted_at=opened,
            due=opened.date() + timedelta(days=90) if opened else None,
            timeline=self.timeline,
            applicant=self.party,
            penalty=penalty,
        )

    def findings(self, registry: InMemoryRegistry = REGISTRY, cfg: RuleConfig = CFG) -> list[FindingDraft]:
        return event_findings(self.view(), self.item, registry, CAL, cfg)

    def swept(self, as_of: str) -> list[FindingDraft]:
        return time_findings(self.view(), self.item, CFG, t(as_of))


def lawful(item: ItemVersion = ITEM, party: Party = PERSON) -> PenaltyCase:
    """Opened 06-01, hearing right notified 06-10, no hearing asked (decide after 06-13 to be lawful)."""
    return PenaltyCase(item, party).opened().notice("2012-06-10 10:00")


def checks(findings: list[FindingDraft]) -> list[str]:
    return [f.check for f in findings]


def of(findings: list[FindingDraft], check: str) -> list[FindingDraft]:
    return [f for f in findings if f.check == check]


def test_a_lawful_penalty_raises_no_finding() -> None:
    case = lawful().decided("2012-06-20 10:00")
    assert case.findings() == []
    assert case.swept("2012-12-31") == []


# --------------------------------------------------------------------------- L1, L2


def test_a_fine_outside_the_statutory_range_is_red_l1() -> None:
    # Given docs/DOMAIN.md §10 scenario 10: statutory range 1,000–10,000, decision of 20,000 via exchange
    findings = lawful().decided("2012-06-20 10:00", amount="20000", tier="heavy").findings()
    (l1,) = of(findings, "L1")
    # Then a red L1 says the range was exceeded and names both
    assert (l1.level, l1.cause) == ("red", "L1:amount")
    assert "超出法定处罚幅度" in l1.message and "20000" in l1.message and "10000" in l1.message
    assert l1.recipients == ["dept_head", "legal"]


@pytest.mark.parametrize(
    ("amount", "red"), [("10000", False), ("10000.01", True), ("1000", False), ("999", True)]
)
def test_the_statutory_range_is_inclusive(amount: str, red: bool) -> None:
    tier = "light" if Decimal(amount) < 3000 else "heavy"
    findings = lawful().decided("2012-06-20 10:00", amount=amount, tier=tier).findings()
    assert bool(of(findings, "L1")) is red


def test_a_penalty_type_not_listed_for_the_item_is_red_l1() -> None:
    findings = lawful().decided("2012-06-20 10:00", types=("fine", "detention")).findings()
    (l1,) = of(findings, "L1")
    assert l1.cause == "L1:types" and "行政拘留" in l1.message


@pytest.mark.parametrize(
    ("amount", "tier", "reason", "collective", "expected"),
    [
        ("3000", "light", None, False, None),  # top of the light tier
        ("5000", "light", None, False, "red"),  # outside the chosen tier, nothing recorded
        ("5000", "light", "当事人主动消除危害后果", False, "red"),  # reason without collective discussion
        ("5000", "light", "当事人主动消除危害后果", True, "yellow"),  # reason and collective discussion
        ("2000", None, None, False, "red"),  # no tier recorded
        ("2000", "extreme", None, False, "red"),  # a tier the benchmark does not have
    ],
)
def test_discretion_tier_l2(
    amount: str, tier: str | None, reason: str | None, collective: bool, expected: str | None
) -> None:
    findings = (
        lawful()
        .decided("2012-06-20 10:00", amount=amount, tier=tier, tier_reason=reason, collective=collective)
        .findings()
    )
    l2 = of(findings, "L2")
    assert [f.level for f in l2] == ([expected] if expected else [])


# --------------------------------------------------------------------------- L3


def test_a_single_officer_is_red_l3() -> None:
    findings = PenaltyCase().opened(officers=("A1",)).findings()
    (l3,) = of(findings, "L3")
    assert (l3.cause, l3.raised_at) == ("L3:count", t("2012-06-01 09:10"))
    assert "2 名" in l3.message


@pytest.mark.parametrize(("valid_to", "red"), [("2012-06-20", False), ("2012-06-19", True)])
def test_a_certificate_expiring_on_the_decision_date_is_still_valid(valid_to: str, red: bool) -> None:
    # Given officer A2 whose certificate ends on (or the day before) the decision date 2012-06-20
    a2 = Officer("A2", "王强", "015", "JS-015-0002", d("2010-01-01"), d(valid_to))
    registry = InMemoryRegistry.of([A1, a2], [EP_LAW])
    findings = lawful().decided("2012-06-20 10:00").findings(registry)
    l3 = of(findings, "L3")
    assert bool(l3) is red
    if red:
        assert l3[0].cause == "L3:officer:A2" and valid_to in l3[0].message and "2012-06-20" in l3[0].message


def test_an_unregistered_officer_or_one_outside_the_certificate_scope_is_red_l3() -> None:
    unregistered = PenaltyCase().opened(officers=("A1", "X9")).findings()
    assert [f.cause for f in of(unregistered, "L3")] == ["L3:officer:X9"]
    narrow = Officer(
        "A2", "王强", "015", "JS-015-0002", d("2010-01-01"), d("2014-12-31"), scope=["320300015XK"]
    )
    out_of_scope = PenaltyCase().opened().findings(InMemoryRegistry.of([A1, narrow], [EP_LAW]))
    assert [f.cause for f in of(out_of_scope, "L3")] == ["L3:officer:A2"]
    broad = Officer("A2", "王强", "015", "JS-015-0002", d("2010-01-01"), d("2014-12-31"), scope=["CF"])
    assert of(PenaltyCase().opened().findings(InMemoryRegistry.of([A1, broad], [EP_LAW])), "L3") == []


# --------------------------------------------------------------------------- L4


@pytest.mark.parametrize(
    ("repealed", "red"), [("2012-06-20", True), ("2012-06-21", False), ("2012-06-01", True)]
)
def test_a_basis_repealed_on_or_before_the_decision_date_is_red_l4(repealed: str, red: bool) -> None:
    registry = InMemoryRegistry.of(
        [A1, A2], [LegalBasis("EP-LAW-59", "《中华人民共和国环境保护法》", d(repealed))]
    )
    findings = lawful().decided("2012-06-20 10:00").findings(registry)
    l4 = of(findings, "L4")
    assert bool(l4) is red
    if red:
        assert "废止" in l4[0].message and repealed in l4[0].message


def test_a_basis_not_among_the_items_bases_or_no_basis_at_all_is_red_l4() -> None:
    foreign = lawful().decided("2012-06-20 10:00", basis=("EP-LAW-59", "TAX-LAW-1")).findings()
    assert [f.cause for f in of(foreign, "L4")] == ["L4:basis:TAX-LAW-1"]
    none = lawful().decided("2012-06-20 10:00", basis=()).findings()
    assert [f.cause for f in of(none, "L4")] == ["L4:none"]


# --------------------------------------------------------------------------- L5 hearing thresholds


@pytest.mark.parametrize(
    ("party", "amount", "required"),
    [
        (PERSON, "499.99", False),
        (PERSON, "500", True),
        (ORG, "999.99", False),
        (ORG, "1000", True),
        (BUSINESS, "19999.99", False),
        (BUSINESS, "20000", True),
        (Party(type="person", name="张三", in_business=True), "20000", True),
        (Party(type="person", name="张三", in_business=True), "5000", False),
    ],
)
def test_hearing_notice_thresholds_are_at_or_above(party: Party, amount: str, required: bool) -> None:
    # Given a prior notice proposing a fine WITHOUT telling the party of the hearing right
    case = PenaltyCase(WIDE, party).opened().notice("2012-06-10 10:00", amount=amount, hearing=False)
    # Then L5 is red exactly when the amount reaches the party's threshold
    l5 = of(case.findings(), "L5")
    assert bool(l5) is required
    if required:
        assert (l5[0].level, l5[0].raised_at) == ("red", t("2012-06-10 10:10"))


def test_suspension_needs_a_hearing_notice_whatever_the_amount() -> None:
    case = (
        PenaltyCase(WIDE)
        .opened()
        .notice("2012-06-10 10:00", amount=None, types=("suspension",), hearing=False)
    )
    (l5,) = of(case.findings(), "L5")
    assert "责令停产停业" in l5.message


def test_a_decision_above_the_threshold_with_no_hearing_notice_at_all_is_red_l5_and_l8() -> None:
    findings = PenaltyCase(WIDE).opened().decided("2012-06-20 10:00", amount="800").findings()
    assert {"L5", "L8"} <= set(checks(findings))


def test_a_raised_hearing_threshold_applies_only_to_notices_from_its_effective_date() -> None:
    cfg = RuleConfig.from_dict(
        {"hearing_threshold_person_non_business": [{"effective_from": "2012-07-01", "value": 5000}]}
    )
    before = PenaltyCase(WIDE).opened().notice("2012-06-30 10:00", amount="800", hearing=False)
    after = PenaltyCase(WIDE).opened().notice("2012-07-01 10:00", amount="800", hearing=False)
    assert checks(before.findings(cfg=cfg)) == ["L5"]
    assert checks(after.findings(cfg=cfg)) == []


# --------------------------------------------------------------------------- L6, L7, L8


@pytest.mark.parametrize(("decided", "red"), [("2012-06-13 16:00", True), ("2012-06-14 09:00", False)])
def test_deciding_within_the_3_day_hearing_request_window_is_red_l6(decided: str, red: bool) -> None:
    # Given the hearing right notified on 06-10: the party may ask on 06-11, 06-12 and 06-13
    findings = lawful().decided(decided).findings()
    l6 = of(findings, "L6")
    assert bool(l6) is red
    if red:
        assert l6[0].cause == "L6:window" and "2012-06-13" in l6[0].message


def test_deciding_while_a_requested_hearing_is_pending_is_red_l6() -> None:
    case = lawful().hearing(requested="2012-06-11 10:00").decided("2012-06-25 10:00")
    (l6,) = of(case.findings(), "L6")
    assert l6.cause == "L6:pending"
    held = lawful().hearing(requested="2012-06-11 10:00", noticed="2012-06-12 10:00", held="2012-06-19 10:00")
    assert of(held.decided("2012-06-25 10:00").findings(), "L6") == []


@pytest.mark.parametrize(("held", "red"), [("2012-06-18 09:00", True), ("2012-06-19 09:00", False)])
def test_a_hearing_held_less_than_7_days_after_its_notice_is_red_l7(held: str, red: bool) -> None:
    case = lawful().hearing(requested="2012-06-11 10:00", noticed="2012-06-12 10:00", held=held)
    assert bool(of(case.findings(), "L7")) is red


def test_a_hearing_chaired_by_a_case_officer_is_red_l7() -> None:
    case = lawful().hearing(
        requested="2012-06-11 10:00", noticed="2012-06-12 10:00", held="2012-06-19 10:00", chair="A1"
    )
    (l7,) = of(case.findings(), "L7")
    assert l7.cause == "L7:chair" and "A1" in l7.message


def test_a_decision_without_prior_notice_is_red_l8_unless_summary_procedure() -> None:
    (l8,) = of(PenaltyCase().opened().decided("2012-06-20 10:00").findings(), "L8")
    assert (l8.level, l8.raised_at) == ("red", t("2012-06-20 10:10"))
    summary = PenaltyCase(penalty_item(summary=True)).opened().decided("2012-06-20 10:00", amount="1000")
    assert of(summary.findings(), "L8") == []


# --------------------------------------------------------------------------- L9, L10, L11


def heard() -> PenaltyCase:
    return lawful().hearing(requested="2012-06-11 10:00", noticed="2012-06-12 10:00", held="2012-06-19 10:00")


def test_a_heard_decision_not_filed_within_15_days_is_yellow_l9() -> None:
    # Given a decision after a hearing on 07-01: filing due by 07-16
    case = heard().decided("2012-07-01 10:00")
    assert of(case.swept("2012-07-16 23:59"), "L9") == []
    (l9,) = of(case.swept("2012-07-17 08:00"), "L9")
    assert (l9.level, l9.raised_at) == ("yellow", t("2012-07-17"))
    assert next_finding_check_at(case.view(), ITEM, CFG, after=t("2012-07-01 10:00")) == t("2012-07-17")


@pytest.mark.parametrize(("filed", "late"), [("2012-07-16 17:00", False), ("2012-07-18 09:00", True)])
def test_a_late_filing_is_yellow_l9_from_the_events(filed: str, late: bool) -> None:
    case = heard().decided("2012-07-01 10:00").filed(filed)
    assert bool(of(case.findings(), "L9")) is late
    assert of(case.swept("2012-12-31"), "L9") == of(case.findings(), "L9")


def test_an_item_not_in_the_catalog_is_red_l10() -> None:
    (l10,) = of(PenaltyCase(item=None).opened().findings(), "L10")
    assert l10.cause == "L10:catalog"


def test_acting_for_an_item_of_another_department_is_red_l10() -> None:
    other = penalty_item(code="320300016CF02100")
    (l10,) = of(PenaltyCase(item=other).opened().findings(), "L10")
    assert l10.cause == "L10:authority" and "016" in l10.message


def test_penalty_case_limit_yellow_near_and_red_past_in_the_sweep() -> None:
    # Given a case opened 2012-06-01 with 90 days (→ 08-30) and no decision
    case = PenaltyCase().opened().notice("2012-06-10 10:00")
    assert case.swept("2012-08-24 23:59") == []
    assert [(f.check, f.level) for f in case.swept("2012-08-25 00:00")] == [("L11", "yellow")]
    assert [(f.check, f.level) for f in case.swept("2012-08-31 00:00")] == [("L11", "yellow"), ("L11", "red")]


def test_a_decision_after_the_case_limit_is_red_l11() -> None:
    late = lawful().decided("2012-08-31 10:00")
    (l11,) = of(late.findings(), "L11")
    assert (l11.level, l11.raised_at) == ("red", t("2012-08-31"))
    assert of(lawful().decided("2012-08-30 17:00").findings(), "L11") == []


def test_licensing_cases_get_no_legal_findings() -> None:
    view = PenaltyCase().opened().view().model_copy(update={"category": "XK"})
    assert event_findings(view, ITEM, REGISTRY, CAL, CFG) == []


# --------------------------------------------------------------------------- L12 governance


@pytest.mark.parametrize(
    ("record", "as_of", "expected"),
    [
        (GovernanceRecord("320300015XK00400", "015", "law_change", d("2012-06-01")), "2012-06-21", None),
        (
            GovernanceRecord("320300015XK00400", "015", "law_change", d("2012-06-01")),
            "2012-06-22",
            "dept_head",
        ),
        (
            GovernanceRecord("320300015XK00400", "015", "law_change", d("2012-06-01"), d("2012-06-21")),
            "2012-12-31",
            None,
        ),
        (
            GovernanceRecord("320300015XK00400", "015", "law_change", d("2012-06-01"), d("2012-06-25")),
            "2012-12-31",
            "dept_head",
        ),
        (GovernanceRecord("320300015XK00400", "015", "declaration", d("2012-06-01")), "2012-06-11", None),
        (GovernanceRecord("320300015XK00400", "015", "declaration", d("2012-06-01")), "2012-06-12", "legal"),
    ],
)
def test_catalog_governance_deadlines_l12(record: GovernanceRecord, as_of: str, expected: str | None) -> None:
    findings = governance_findings([record], d(as_of), CFG)
    assert [f.recipients for f in findings] == ([[expected]] if expected else [])
    if expected:
        (f,) = findings
        assert (f.check, f.level, f.case_no, f.dept_code) == ("L12", "yellow", "320300015XK00400", "015")
        assert f.raised_at == t("2012-06-22" if record.kind == "law_change" else "2012-06-12")


def test_finding_drafts_serialise_to_json_safe_dicts() -> None:
    (l8,) = of(PenaltyCase().opened().decided("2012-06-20 10:00").findings(), "L8")
    data = l8.to_dict()
    assert data["check"] == "L8" and data["raised_at"] == "2012-06-20T10:10:00+08:00"
    assert data["event_id"] is not None
