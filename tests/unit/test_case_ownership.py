"""Case ownership on the exchange's write path, with a concurrent writer injected at the exact moment
a transaction is sent (docs/CONTRACT.md §2 v2): whatever the interleaving, a request that touches a
case another department owns stores nothing, and each case has exactly one owner."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.cases.domain.events import ExchangeEvent, parse_event
from chalicelib.cases.services import exchange
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.errors import ForbiddenError
from chalicelib.kernel.ports import ConditionFailedError, Item
from tests.support.fixtures import event
from tests.support.memory import MemoryStores, MemoryTransaction

A, B = "830", "831"
NOW = datetime(2012, 6, 5, tzinfo=UTC)


def parsed(case_no: str, dept: str, etype: str = "submitted", n: int = 0) -> ExchangeEvent:
    raw = event(case_no, f"320300{dept}XK00100", etype, "2012-06-01T10:00:00+08:00",
                {"applicant": {"type": "org", "name": "某公司"}} if etype == "submitted" else {"step_code": "1"},
                event_id=f"{case_no}-{etype}-{n}")
    ev, errors = parse_event(raw)
    assert ev is not None and not errors
    return ev


def batch(cases: list[str], dept: str, per_case: int = 2) -> dict[str, list[tuple[int, ExchangeEvent]]]:
    out: dict[str, list[tuple[int, ExchangeEvent]]] = {}
    i = 0
    for c in cases:
        for n in range(per_case):
            out.setdefault(c, []).append((i, parsed(c, dept, "submitted" if n == 0 else "step", n)))
            i += 1
    return out


def logged(stores: MemoryStores, case_no: str) -> list[dict[str, Any]]:
    return exchange.load_log(stores, case_no)  # type: ignore[arg-type]


def foreign_claim(stores: MemoryStores, case_no: str, owner: str) -> None:
    """Another department's first report of ``case_no`` lands (its HEAD and first record)."""
    table = stores.table("events")
    table.put(Item(pk=exchange.case_pk(case_no), sk=exchange.HEAD_SK,
                   body={"seq": 1, "hash": "x", "owner": owner}), if_absent=True)
    table.put(Item(pk=exchange.case_pk(case_no), sk="LOG#00000001",
                   body={"seq": 1, "item_code": f"320300{owner}XK00100", "event_id": "theirs"}), if_absent=True)


def test_a_case_first_reported_by_another_department_refuses_the_whole_batch() -> None:
    stores = MemoryStores()
    foreign_claim(stores, "CC-9", A)
    by_case = batch([f"CC-{i}" for i in range(10)], B)
    with pytest.raises(ForbiddenError) as err:
        exchange.append_cases(stores, by_case, NOW, "exchange", owners={c: B for c in by_case})  # type: ignore[arg-type]
    assert "CC-9" in err.value.message
    assert {d["field"] for d in err.value.details} == {"events.18.case_no", "events.19.case_no"}
    assert all(logged(stores, f"CC-{i}") == [] for i in range(9))
    assert stores.transactions == 0


@pytest.mark.parametrize("race_at", [1, 2, 3])
def test_a_race_inside_a_multi_transaction_batch_has_one_winner_and_a_whole_loser(race_at: int) -> None:
    # Given B's batch of 40 new cases (several transactions), read while all 40 were free
    stores = MemoryStores()
    cases = [f"RR-{i}" for i in range(40)]
    by_case = batch(cases, B)
    contested = cases[-1]
    a_won: list[bool] = []

    def racer(tx: MemoryTransaction) -> None:
        # A reports the contested case just before B's transaction number ``race_at`` is sent
        if stores.transactions == race_at and not a_won:
            try:
                foreign_claim(stores, contested, A)
                a_won.append(True)
            except ConditionFailedError:
                a_won.append(False)  # B's claim got there first: A's request is the one refused

    stores.before_commit = racer
    # When B's batch is appended
    try:
        exchange.append_cases(stores, by_case, NOW, "exchange", owners={c: B for c in cases})  # type: ignore[arg-type]
        b_won = True
    except ForbiddenError:
        b_won = False
    # Then exactly one side won; the loser stored nothing at all
    assert a_won == [not b_won]
    table = stores.table("events")
    if b_won:
        assert all(len(logged(stores, c)) == 2 for c in cases)
    else:
        assert all(logged(stores, c) == [] for c in cases[:-1])
        # the claims are taken back without deleting from the append-only table: no owner is named
        heads = [table.get(exchange.case_pk(c), exchange.HEAD_SK) for c in cases[:-1]]
        assert all(h is None or h.body["owner"] is None for h in heads)
        assert [r["event_id"] for r in logged(stores, contested)] == ["theirs"]
    # (B claims its new cases before writing events: the first transaction sent is the claim)
    assert b_won == (race_at > 1)


def test_a_race_lost_by_a_single_transaction_batch_stores_nothing() -> None:
    stores = MemoryStores()
    by_case = batch(["SS-1", "SS-2"], B)

    def racer(tx: MemoryTransaction) -> None:
        if stores.transactions == 1:
            foreign_claim(stores, "SS-2", A)

    stores.before_commit = racer
    with pytest.raises(ForbiddenError):
        exchange.append_cases(stores, by_case, NOW, "exchange", owners={"SS-1": B, "SS-2": B})  # type: ignore[arg-type]
    assert logged(stores, "SS-1") == []


def test_the_head_names_the_owner_and_the_owner_keeps_appending() -> None:
    stores = MemoryStores()
    exchange.append_cases(stores, batch(["OO-1"], A), NOW, "exchange", owners={"OO-1": A})  # type: ignore[arg-type]
    head = stores.table("events").get(exchange.case_pk("OO-1"), exchange.HEAD_SK)
    assert head is not None and head.body["owner"] == A and head.body["seq"] == 2
    more = {"OO-1": [(0, parsed("OO-1", A, "step", 7))]}
    assert exchange.append_cases(stores, more, NOW, "exchange", owners={"OO-1": A}) == {0: "stored"}  # type: ignore[arg-type]
    with pytest.raises(ForbiddenError):
        exchange.append_cases(stores, {"OO-1": [(0, parsed("OO-1", B, "step", 8))]}, NOW, "exchange",  # type: ignore[arg-type]
                              owners={"OO-1": B})


def test_a_log_older_than_owner_records_belongs_to_its_first_records_department() -> None:
    stores = MemoryStores()
    table = stores.table("events")
    table.put(Item(pk=exchange.case_pk("LL-1"), sk="LOG#00000001",
                   body={"seq": 1, "item_code": f"320300{A}XK00100", "event_id": "old", "hash": "h1"}))
    table.put(Item(pk=exchange.case_pk("LL-1"), sk=exchange.HEAD_SK, body={"seq": 1, "hash": "h1"}))
    with pytest.raises(ForbiddenError):
        exchange.append_cases(stores, {"LL-1": [(0, parsed("LL-1", B, "step"))]}, NOW, "exchange",  # type: ignore[arg-type]
                              owners={"LL-1": B})
    assert exchange.append_cases(stores, {"LL-1": [(0, parsed("LL-1", A, "step"))]}, NOW, "exchange",  # type: ignore[arg-type]
                                 owners={"LL-1": A}) == {0: "stored"}


def test_the_import_takes_the_owner_from_the_item_codes_and_refuses_a_mix() -> None:
    admin = Principal(kind="admin", username="admin", roles=frozenset({"admin"}))
    assert exchange.claimants(admin, batch(["II-1"], A)) == {"II-1": A}
    mixed = {"II-2": [(0, parsed("II-2", A)), (1, parsed("II-2", B, "step"))]}
    with pytest.raises(ForbiddenError):
        exchange.claimants(admin, mixed)
    dept = Principal(kind="department", dept_code=B, roles=frozenset({"department"}))
    assert exchange.claimants(dept, batch(["II-3"], B)) == {"II-3": B}


def test_a_claim_taken_back_leaves_the_case_number_free_for_whoever_reports_it_next() -> None:
    # Given B's batch of 60 new cases: its claims take two transactions (≤ 50 cases each)
    stores = MemoryStores()
    cases = [f"FF-{i}" for i in range(60)]

    def racer(tx: MemoryTransaction) -> None:
        if stores.transactions == 2:  # A reports the last case between B's two claim transactions
            foreign_claim(stores, cases[-1], A)

    stores.before_commit = racer
    with pytest.raises(ForbiddenError):
        exchange.append_cases(stores, batch(cases, B), NOW, "exchange", owners={c: B for c in cases})  # type: ignore[arg-type]
    stores.before_commit = None
    # Then B's first claims were taken back by writing their HEAD with no owner (nothing deleted)
    released = stores.table("events").get(exchange.case_pk("FF-0"), exchange.HEAD_SK)
    assert released is not None and released.body["owner"] is None and logged(stores, "FF-0") == []
    # And whoever reports such a case number next owns it
    assert exchange.append_cases(stores, batch(["FF-0"], A), NOW, "exchange", owners={"FF-0": A}) == {0: "stored", 1: "stored"}  # type: ignore[arg-type]
    head = stores.table("events").get(exchange.case_pk("FF-0"), exchange.HEAD_SK)
    assert head is not None and head.body["owner"] == A
    with pytest.raises(ForbiddenError):
        exchange.append_cases(stores, {"FF-0": [(0, parsed("FF-0", B, "step", 9))]}, NOW, "exchange",  # type: ignore[arg-type]
                              owners={"FF-0": B})
