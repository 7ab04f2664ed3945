"""One model for signals (监察信号) and findings (法制监督发现): the same lifecycle, and each kind
keeps the field names of the contract."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.kernel.errors import ConflictError
from chalicelib.supervision.domain.records import FindingDraft, OversightRecord, SignalDraft

AT = datetime(2012, 7, 2, 9, 0, tzinfo=UTC)


def draft(kind: type[SignalDraft] | type[FindingDraft], rule: str, cause: str) -> SignalDraft | FindingDraft:
    return kind(rule=rule, level="red", case_no="C-1", dept_code="015", cause=cause, message="…",
                recipients=["dept_head"], raised_at=AT)


def test_signals_and_findings_carry_their_contract_field_names() -> None:
    signal = OversightRecord.raised(draft(SignalDraft, "R6", "R6:e1")).body
    finding = OversightRecord.raised(draft(FindingDraft, "L3", "L3:officer:A2")).body
    assert (signal["rule"], signal["signal_id"][:2], signal["status"]) == ("R6", "S-", "open")
    assert (finding["check"], finding["finding_id"][:2], finding["status"]) == ("L3", "F-", "open")
    assert "check" not in signal and "rule" not in finding


def test_the_same_rule_case_and_cause_always_name_the_same_record() -> None:
    assert draft(SignalDraft, "R6", "R6:e1").record_id == draft(SignalDraft, "R6", "R6:e1").record_id
    assert draft(SignalDraft, "R6", "R6:e1").record_id != draft(SignalDraft, "R6", "R6:e2").record_id
    assert draft(FindingDraft, "L3", "x").record_id != draft(SignalDraft, "L3", "x").record_id


def test_only_signals_move_the_period_counters() -> None:
    assert OversightRecord.raised(draft(SignalDraft, "R6", "c")).counts_in_periods
    assert not OversightRecord.raised(draft(FindingDraft, "L3", "c")).counts_in_periods


def test_a_record_is_explained_once_then_closed_once_with_its_history() -> None:
    record = OversightRecord.raised(draft(FindingDraft, "L3", "c"))
    record.explain("证件已续期", "handler1", AT, date(2012, 7, 9))
    with pytest.raises(ConflictError):
        record.explain("再次说明", "handler1", AT, date(2012, 7, 9))
    record.dispose("accept", "说明属实", "legal1", AT)
    with pytest.raises(ConflictError):
        record.dispose("reject", "改判", "legal1", AT)
    assert record.body["status"] == "closed" and record.body["disposition"] == "accept"
    assert [h["action"] for h in record.body["history"]] == ["explain", "accept"]


def test_the_supervisor_answer_is_overdue_after_the_reply_deadline() -> None:
    record = OversightRecord.raised(draft(SignalDraft, "R6", "c"))
    record.explain("已整改", "handler1", AT, date(2012, 7, 9))
    assert not record.reply_overdue(date(2012, 7, 9)) and record.reply_overdue(date(2012, 7, 10))


def test_only_open_data_dependent_signals_whose_cause_is_gone_are_withdrawn() -> None:
    r6 = OversightRecord.raised(draft(SignalDraft, "R6", "R6:e1"))
    assert r6.withdrawable(still_true=set()) and not r6.withdrawable(still_true={"R6:e1"})
    assert not OversightRecord.raised(draft(SignalDraft, "R2", "R2:due:2012-07-01")).withdrawable(set())
    r6.withdraw(AT)
    assert (r6.body["status"], r6.body["disposition"], r6.body["closed_by"]) == ("closed", "withdrawn", "system")
    assert not r6.withdrawable(set())
