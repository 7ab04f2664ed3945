"""The per-case signal marker (issue #20): a case that has a withdrawable signal (R4/R6/R8/R13, the
ones later data can withdraw) has its marker, written before the signal; the supervision stream reads
the markers of a whole batch in one read and looks for signals to withdraw only in the marked cases."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.kernel.deps import Deps
from chalicelib.supervision.domain.records import SIGNAL, OversightRecord, SignalDraft
from chalicelib.supervision.repositories import OversightRecords
from chalicelib.supervision.services import oversight
from tests.support.memory import MemoryStores

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class _Clock:
    def now(self) -> datetime:
        return AT


def deps_for(stores: MemoryStores) -> Deps:
    return Deps(stores=stores, clock=_Clock(), calendars=None, rules=None, runner=None,  # type: ignore[arg-type]
                notifier=None, publisher=None, hooks=None, keys=None)  # type: ignore[arg-type]


def signal(case_no: str, rule: str, cause: str) -> OversightRecord:
    return OversightRecord.raised(SignalDraft(rule=rule, level="yellow", case_no=case_no, dept_code="015",
                                              cause=cause, message="…", recipients=["dept_head"], raised_at=AT))


def statuses(stores: MemoryStores, case_no: str) -> list[Any]:
    return [r.status for r in OversightRecords(stores).of_case(SIGNAL, case_no)]  # type: ignore[arg-type]


def test_only_a_case_with_a_withdrawable_signal_is_marked() -> None:
    stores = MemoryStores()
    repo = OversightRecords(stores)  # type: ignore[arg-type]
    assert repo.add(signal("C-1", "R6", "R6:e1"))
    assert repo.add(signal("C-2", "R2", "R2:due:2026-05-30"))  # a deadline: never withdrawn by data
    assert repo.with_withdrawable(["C-1", "C-2", "C-3"]) == {"C-1"}


def test_a_batch_reads_its_markers_in_one_request() -> None:
    stores = MemoryStores()
    repo = OversightRecords(stores)  # type: ignore[arg-type]
    for n in range(30):
        repo.add(signal(f"C-{n}", "R6", "R6:e1"))
    table = stores.table("oversight")
    calls: list[int] = []
    original = table.get_many
    table.get_many = lambda keys: calls.append(len(keys)) or original(keys)  # type: ignore[method-assign,func-returns-value]
    assert repo.with_withdrawable([f"C-{n}" for n in range(0, 60, 2)]) == {f"C-{n}" for n in range(0, 30, 2)}
    assert calls == [30]


def test_an_unmarked_case_is_not_searched_and_a_marked_one_is_withdrawn() -> None:
    stores = MemoryStores()
    deps = deps_for(stores)
    OversightRecords(stores).add(signal("C-1", "R6", "R6:e1"))  # type: ignore[arg-type]
    # read absent (the batch's read came first): nothing is looked for, nothing changes
    assert oversight.withdraw_stale(deps, "C-1", set(), marked=False) == 0
    assert statuses(stores, "C-1") == ["open"]
    # marked: the cause is gone from the data, the signal is withdrawn
    assert oversight.withdraw_stale(deps, "C-1", set()) == 1
    assert statuses(stores, "C-1") == ["closed"]


def test_signals_raised_before_markers_existed_are_marked_by_the_backfill() -> None:
    stores = MemoryStores()
    repo = OversightRecords(stores)  # type: ignore[arg-type]
    repo.add(signal("C-1", "R13", "R13:x"))
    repo.add(signal("C-2", "R1", "R1:due:2026-06-02"))
    stores.table("oversight").delete(*OversightRecords.marker_key("C-1"))  # as stored before markers
    assert repo.with_withdrawable(["C-1", "C-2"]) == set()
    assert repo.mark_withdrawable() == 2
    assert repo.with_withdrawable(["C-1", "C-2"]) == {"C-1"}
