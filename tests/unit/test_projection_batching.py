"""Storing many case views together (the projection's batch write): counters merged so each
counter record is touched once per transaction, never more than 100 actions, and a lost
transaction hands its cases back to be applied one by one."""
from __future__ import annotations

from typing import Any

from chalicelib.cases.services import projection
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item


class FakeTransaction:
    def __init__(self, log: list[dict[str, Any]], fail: bool) -> None:
        self.ops: dict[str, Any] = {"puts": [], "upserts": [], "counters": []}
        self.log, self.fail = log, fail

    def put(self, table: str, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> None:
        self.ops["puts"].append((item.pk, if_absent, expected_version))

    def upsert(self, table: str, item: Item) -> None:
        self.ops["upserts"].append(item.pk)

    def add_counters(self, deltas: list[CounterDelta]) -> None:
        self.ops["counters"].extend(deltas)

    def commit(self) -> None:
        if self.fail:
            raise ConditionFailedError("lost")
        self.log.append(self.ops)


class FakeStores:
    def __init__(self, fail_first: bool = False) -> None:
        self.committed: list[dict[str, Any]] = []
        self.fail_first = fail_first

    def transaction(self) -> FakeTransaction:
        fail, self.fail_first = self.fail_first, False
        return FakeTransaction(self.committed, fail)


def a_plan(n: int, dept: str = "015", version: int | None = 3, concluded: bool = True) -> projection.Plan:
    moves = [CounterDelta(p, dept, {"received": 1, "concluded": 1 if concluded else 0})
             for p in ("2012-06", "2012Q2", "2012")]
    result = Item(pk=f"RESULT#C{n}", sk="RESULT", body={}) if concluded else None
    return projection.Plan(f"C{n}", Item(pk=f"CASE#C{n}", sk="VIEW", body={}, version=version), moves, result)


def actions(tx: dict[str, Any]) -> int:
    return len(tx["puts"]) + len(tx["upserts"]) + len(tx["counters"])


def test_counters_of_one_department_move_once_per_transaction_by_the_sum() -> None:
    stores = FakeStores()
    assert projection.commit_plans(stores, [a_plan(1), a_plan(2, version=None), a_plan(3, concluded=False)]) == []  # type: ignore[arg-type]
    (tx,) = stores.committed
    assert [(pk, absent, v) for pk, absent, v in tx["puts"]] == [("CASE#C1", False, 3), ("CASE#C2", True, None),
                                                               ("CASE#C3", False, 3)]
    assert tx["upserts"] == ["RESULT#C1", "RESULT#C2"]
    assert {(d.period, d.dept_code): d.deltas for d in tx["counters"]} == {
        (p, "015"): {"received": 3, "concluded": 2} for p in ("2012-06", "2012Q2", "2012")}


def test_a_large_batch_is_split_at_100_actions_and_nothing_is_lost() -> None:
    stores = FakeStores()
    plans = [a_plan(n, dept=f"{n % 4:03d}") for n in range(120)]
    assert projection.commit_plans(stores, plans) == []  # type: ignore[arg-type]
    assert len(stores.committed) > 1 and all(actions(tx) <= 100 for tx in stores.committed)
    stored = [pk for tx in stores.committed for pk, _a, _v in tx["puts"]]
    assert stored == [f"CASE#C{n}" for n in range(120)]
    received = sum(d.deltas["received"] for tx in stores.committed for d in tx["counters"] if d.period == "2012")
    assert received == 120


def test_a_lost_transaction_returns_its_cases_for_one_by_one_retries() -> None:
    stores = FakeStores(fail_first=True)
    plans = [a_plan(n) for n in range(60)]  # 2 actions each + 3 counters: two transactions
    lost = projection.commit_plans(stores, plans)  # type: ignore[arg-type]
    assert lost and lost == [p.case_no for p in plans[:len(lost)]]
    assert [pk for tx in stores.committed for pk, _a, _v in tx["puts"]] == [f"CASE#{c}" for c in
                                                                           [p.case_no for p in plans[len(lost):]]]
    assert projection.merge_counters([CounterDelta("2012", "015", {"red": 1}),
                                      CounterDelta("2012", "015", {"red": -1})]) == []
