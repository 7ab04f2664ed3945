"""Reconsideration (行政复议) and litigation (行政应诉): time limits, outcomes and rates (docs/DOMAIN.md §7.5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ValidationError
from chalicelib.legal.domain import reconsideration as rc

CAL = Calendar()
CFG = rc.OfficeConfig()


def d(text: str) -> date:
    return date.fromisoformat(text)


def limits(as_of: str = "2013-01-01", **kw: object) -> dict[str, object]:
    base: dict[str, object] = {"learned_on": d("2012-05-04"), "applied_on": d("2012-06-01")}
    base.update(kw)
    return rc.reconsideration_limits(rc.Reconsideration(**base), CAL, CFG, d(as_of))  # type: ignore[arg-type]


class TestApplicationWindow:
    def test_an_application_on_the_60th_day_is_in_time_and_the_61st_is_late(self) -> None:
        # Given the applicant learned of the act on 2012-05-04; day 60 is Tue 2012-07-03
        on_time = limits(applied_on=d("2012-07-03"))
        late = limits(applied_on=d("2012-07-04"))
        assert on_time["application_deadline"] == "2012-07-03"
        assert on_time["application_late"] is False
        assert late["application_late"] is True

    def test_a_last_day_in_the_national_day_holiday_moves_to_the_next_working_day(self) -> None:
        # Given learning on 2012-08-01, day 60 is 2012-09-30 (holiday until 10-07)
        r = limits(learned_on=d("2012-08-01"), applied_on=d("2012-10-08"))
        assert r["application_deadline"] == "2012-10-08"
        assert r["application_late"] is False
        assert limits(learned_on=d("2012-08-01"), applied_on=d("2012-10-09"))["application_late"] is True


class TestAcceptance:
    def test_five_working_days_skip_the_holiday(self) -> None:
        # Given an application received Thu 2012-09-27: 09-28, 09-29 (make-up day), 10-08, 10-09, 10-10
        r = limits(learned_on=d("2012-09-20"), applied_on=d("2012-09-27"), as_of="2012-10-10")
        assert r["acceptance_due"] == "2012-10-10"
        assert r["acceptance_overdue"] is False
        assert (
            limits(learned_on=d("2012-09-20"), applied_on=d("2012-09-27"), as_of="2012-10-11")[
                "acceptance_overdue"
            ]
            is True
        )

    def test_a_decision_on_the_due_day_is_in_time(self) -> None:
        kw: dict[str, Any] = {"learned_on": d("2012-09-20"), "applied_on": d("2012-09-27"), "accepted": True}
        assert limits(acceptance_on=d("2012-10-10"), **kw)["acceptance_overdue"] is False
        assert limits(acceptance_on=d("2012-10-11"), **kw)["acceptance_overdue"] is True


class TestDecision:
    def test_sixty_days_after_acceptance(self) -> None:
        # Given acceptance on 2012-07-02: day 60 is Fri 2012-08-31
        kw: dict[str, Any] = {
            "applied_on": d("2012-06-28"),
            "acceptance_on": d("2012-07-02"),
            "accepted": True,
        }
        assert limits(decided_on=d("2012-08-31"), **kw)["decision_due"] == "2012-08-31"
        assert limits(decided_on=d("2012-08-31"), **kw)["decision_overdue"] is False
        assert limits(decided_on=d("2012-09-03"), **kw)["decision_overdue"] is True
        assert limits(as_of="2012-09-01", **kw)["decision_overdue"] is True
        assert limits(as_of="2012-08-31", **kw)["decision_overdue"] is False

    def test_an_extension_adds_thirty_days_and_rolls_past_the_holiday(self) -> None:
        # Given the same acceptance extended: 08-31 + 30 = 09-30 (holiday) -> 10-08
        kw: dict[str, Any] = {
            "applied_on": d("2012-06-28"),
            "acceptance_on": d("2012-07-02"),
            "accepted": True,
            "extended": True,
        }
        r = limits(decided_on=d("2012-10-08"), **kw)
        assert r["decision_due"] == "2012-10-08"
        assert r["decision_overdue"] is False

    def test_a_rejected_application_has_no_decision_limit(self) -> None:
        r = limits(acceptance_on=d("2012-06-04"), accepted=False, as_of="2013-01-01")
        assert r["decision_due"] is None and r["decision_overdue"] is False


class TestExtension:
    ACCEPTED = rc.Reconsideration(
        learned_on=d("2012-06-01"), applied_on=d("2012-06-28"), acceptance_on=d("2012-07-02"), accepted=True
    )

    def test_allowed_before_the_original_limit_ends(self) -> None:
        assert rc.extension_problem(self.ACCEPTED, d("2012-08-31"), CAL, CFG) is None

    def test_refused_after_the_limit_twice_or_before_acceptance(self) -> None:
        assert "届满前" in str(rc.extension_problem(self.ACCEPTED, d("2012-09-03"), CAL, CFG))
        twice = rc.Reconsideration(**{**self.ACCEPTED.__dict__, "extended": True})
        assert "一次" in str(rc.extension_problem(twice, d("2012-08-01"), CAL, CFG))
        pending = rc.Reconsideration(learned_on=d("2012-06-01"), applied_on=d("2012-06-28"))
        assert "尚未受理" in str(rc.extension_problem(pending, d("2012-07-01"), CAL, CFG))


class TestLitigation:
    def test_the_defence_is_due_fifteen_days_after_service_rolled_past_holidays(self) -> None:
        # Given service on 2012-09-20: day 15 is 10-05 (holiday) -> 10-08
        ok = rc.litigation_limits(rc.Litigation(d("2012-09-20"), d("2012-10-08")), CAL, CFG, d("2013-01-01"))
        late = rc.litigation_limits(
            rc.Litigation(d("2012-09-20"), d("2012-10-09")), CAL, CFG, d("2013-01-01")
        )
        assert ok == {"defence_due": "2012-10-08", "defence_late": False}
        assert late["defence_late"] is True

    def test_a_dated_limit_applies_the_1989_ten_days_only_to_older_cases(self) -> None:
        # Given 10 days until 2015-04-30 and 15 days from 2015-05-01
        cfg = rc.OfficeConfig.from_dict(
            {
                "litigation_defence_days": [
                    {"effective_from": None, "value": 10},
                    {"effective_from": "2015-05-01", "value": 15},
                ]
            }
        )
        old = rc.litigation_limits(rc.Litigation(d("2014-03-03")), CAL, cfg, d("2014-03-01"))
        new = rc.litigation_limits(rc.Litigation(d("2015-06-01")), CAL, cfg, d("2015-06-01"))
        assert old["defence_due"] == "2014-03-13"
        assert new["defence_due"] == "2015-06-16"


class TestConfig:
    def test_bad_overrides_name_each_field(self) -> None:
        with pytest.raises(ValidationError) as err:
            rc.OfficeConfig.from_dict(
                {
                    "litigation_defence_days": 0,
                    "nope": 1,
                    "reconsideration_decision_days": [{"effective_from": "bad", "value": 3}],
                }
            )
        assert {x["field"] for x in err.value.details} == {
            "litigation_defence_days",
            "nope",
            "reconsideration_decision_days.0.effective_from",
        }

    def test_defaults_round_trip(self) -> None:
        cfg = rc.OfficeConfig.from_dict({"normdoc_filing_wd": 5})
        assert cfg.value("normdoc_filing_wd", d("2012-01-01")) == 5
        assert cfg.value("reconsideration_acceptance_wd", d("2012-01-01")) == 5
        assert cfg.to_dict()["litigation_defence_days"] == [{"effective_from": None, "value": 15}]


class TestOutcomesAndRates:
    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("撤销", "revoke"),
            ("revoke", "revoke"),
            (" 维持 ", "uphold"),
            ("确认违法", "confirm_illegal"),
            ("责令履行", "order_performance"),
            ("驳回", None),
        ],
    )
    def test_outcome_codes(self, raw: str, code: str | None) -> None:
        assert rc.outcome_code(raw) == code

    def test_rates_per_100_decisions_and_revoked_or_varied(self) -> None:
        # Given item A with 50 decisions and 4 reviews (revoked, upheld, varied, undecided), B with none
        reviews = [
            rc.ReviewFact("reconsideration", "A", "600", "revoke"),
            rc.ReviewFact("reconsideration", "A", "600", "uphold"),
            rc.ReviewFact("litigation", "A", "600", "vary"),
            rc.ReviewFact("reconsideration", "A", "600", None),
            rc.ReviewFact("reconsideration", "B", "601", "confirm_illegal"),
        ]
        rows = {r["item_code"]: r for r in rc.rates(reviews, {"A": 50, "C": 10}, "item")}
        a, b, c = rows["A"], rows["B"], rows["C"]
        assert (a["reconsiderations"], a["litigations"], a["decided"]) == (3, 1, 3)
        assert a["per_100_decisions"] == 8.0
        assert a["revoked_or_varied"] == 2
        assert a["revoked_or_varied_rate"] == pytest.approx(0.6667)
        assert a["revoked_or_varied_per_100_decisions"] == 4.0
        assert a["outcomes"]["uphold"] == 1
        # B has no decisions: no per-100 rate, but its decided review counts (not revoked or varied)
        assert b["per_100_decisions"] is None and b["revoked_or_varied_rate"] == 0.0
        # C has decisions and no reviews
        assert c["per_100_decisions"] == 0.0 and c["revoked_or_varied_rate"] is None

    def test_rates_by_department(self) -> None:
        rows = rc.rates([rc.ReviewFact("litigation", "A", "600", "revoke")], {"600": 4}, "dept")
        assert rows == [
            {**rows[0], "dept_code": "600", "per_100_decisions": 25.0, "revoked_or_varied_rate": 1.0}
        ]
