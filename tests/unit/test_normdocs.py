"""Normative-document filing (规范性文件备案): package completeness, filing deadline, the registration
and review state machine, and the quarterly published list (docs/DOMAIN.md §7.4)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.kernel.calendar import Calendar
from chalicelib.legal.domain import normdocs

CAL = Calendar()
COMPLETE = {
    "filing_report": "关于报送《徐州市某管理办法》备案的报告",
    "official_text": "第一条 为了……",
    "explanatory_note": "起草说明：……",
    "legal_office_opinion": "经审核，合法。",
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def fields(problems: list[dict[str, object]]) -> set[object]:
    return {p["field"] for p in problems}


class TestFilingPackage:
    def test_an_empty_package_names_every_required_part(self) -> None:
        # Given a filing with no parts, When checked
        problems = normdocs.filing_problems({}, d("2012-07-02"), d("2012-08-01"), 30)
        # Then each required part is named
        assert fields(problems) == {
            "parts.filing_report",
            "parts.official_text",
            "parts.explanatory_note",
            "parts.legal_office_opinion",
        }

    def test_blank_text_counts_as_missing(self) -> None:
        parts = {**COMPLETE, "legal_office_opinion": "   "}
        assert fields(normdocs.filing_problems(parts, d("2012-07-02"), d("2012-08-01"), 30)) == {
            "parts.legal_office_opinion"
        }

    def test_a_complete_package_with_30_days_before_effect_needs_no_reason(self) -> None:
        # Given publication 2012-07-02 and effect exactly 30 days later
        assert normdocs.filing_problems(COMPLETE, d("2012-07-02"), d("2012-08-01"), 30) == []

    def test_under_30_days_before_effect_the_note_must_say_why(self) -> None:
        # Given effect 29 days after publication and no reason
        problems = normdocs.filing_problems(COMPLETE, d("2012-07-02"), d("2012-07-31"), 30)
        # Then the reason is required
        assert fields(problems) == {"parts.effect_gap_reason"}
        # And with the reason the package is complete
        with_reason = {**COMPLETE, "effect_gap_reason": "涉及汛期安全，须尽快施行"}
        assert normdocs.filing_problems(with_reason, d("2012-07-02"), d("2012-07-31"), 30) == []

    def test_effect_before_publication_is_refused(self) -> None:
        problems = normdocs.filing_problems(COMPLETE, d("2012-07-02"), d("2012-07-01"), 30)
        assert fields(problems) == {"effective_on"}

    def test_the_gap_is_configurable(self) -> None:
        assert normdocs.filing_problems(COMPLETE, d("2012-07-02"), d("2012-07-20"), 15) == []


class TestFilingDeadline:
    def test_three_working_days_after_publication_skip_the_national_day_holiday(self) -> None:
        # Given a document published Thu 2012-09-27 (09-29 is a make-up working day, 09-30..10-07 off)
        # Then the 3rd working day after it is 2012-10-08
        assert normdocs.filing_deadline(d("2012-09-27"), 3, CAL) == d("2012-10-08")

    def test_an_ordinary_week(self) -> None:
        assert normdocs.filing_deadline(d("2012-07-02"), 3, CAL) == d("2012-07-05")


class TestStateMachine:
    @pytest.mark.parametrize(
        ("status", "action", "allowed"),
        [
            ("filed", "register", True),
            ("filed", "hold", True),
            ("held", "register", False),
            ("held", "supplement", True),
            ("filed", "supplement", False),
            ("registered", "review", True),
            ("filed", "review", False),
            ("ok", "review", False),
            ("correction_requested", "supplement", True),
            ("revoked", "supplement", False),
            ("registered", "hold", False),
        ],
    )
    def test_transitions(self, status: str, action: normdocs.Action, allowed: bool) -> None:
        problem = normdocs.transition_problem(status, action)
        assert (problem is None) == allowed
        if not allowed:
            assert normdocs.STATUS_NAMES[status] in str(problem)

    def test_a_supplemented_hold_waits_for_registration_and_a_correction_for_review(self) -> None:
        assert normdocs.after_supplement("held") == "filed"
        assert normdocs.after_supplement("correction_requested") == "registered"

    def test_correction_or_revocation_needs_findings(self) -> None:
        assert fields(normdocs.review_problems("revoked", [])) == {"findings"}
        assert fields(normdocs.review_problems("correction_requested", [])) == {"findings"}
        assert normdocs.review_problems("revoked", [{"point": "authority", "text": "超越权限设定许可"}]) == []
        assert normdocs.review_problems("ok", []) == []


class TestQuarterlyList:
    def test_the_q3_list_covers_q2_filings_and_is_public_from_august_first(self) -> None:
        w = normdocs.quarter_window("2012Q3")
        assert w is not None
        assert (w.filed_from, w.filed_to, w.publish_on) == (d("2012-04-01"), d("2012-06-30"), d("2012-08-01"))
        assert w.covers(d("2012-04-01")) and w.covers(d("2012-06-30"))
        assert not w.covers(d("2012-03-31")) and not w.covers(d("2012-07-01"))
        assert not w.published_by(d("2012-07-31"))
        assert w.published_by(d("2012-08-01"))

    def test_the_first_quarter_list_covers_the_previous_years_fourth_quarter(self) -> None:
        w = normdocs.quarter_window("2013Q1")
        assert w is not None
        assert (w.filed_from, w.filed_to, w.publish_on) == (d("2012-10-01"), d("2012-12-31"), d("2013-02-01"))

    @pytest.mark.parametrize("bad", ["2012Q5", "2012-Q3", "2012", "Q3"])
    def test_malformed_quarters(self, bad: str) -> None:
        assert normdocs.quarter_window(bad) is None

    @pytest.mark.parametrize(
        ("filed", "quarter"),
        [
            ("2012-06-30", "2012Q3"),
            ("2012-07-01", "2012Q4"),
            ("2012-12-31", "2013Q1"),
            ("2012-01-01", "2012Q2"),
        ],
    )
    def test_which_list_a_filing_appears_in(self, filed: str, quarter: str) -> None:
        assert normdocs.list_quarter_for_filing(d(filed)) == quarter
        w = normdocs.quarter_window(quarter)
        assert w is not None and w.covers(d(filed))
