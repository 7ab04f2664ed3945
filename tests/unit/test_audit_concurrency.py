"""The audit trail under concurrent writers: every request's record lands, in one unbroken chain.

The month's trail is one hash chain, so writers race for its next sequence number. A department
system posting batches in parallel must not get a 5xx because the trail was busy (its events were
already stored), and no record may be lost or linked out of order."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services import audit
from chalicelib.kernel import chain
from chalicelib.kernel.ports import ConditionFailedError, Item
from tests.support.memory import MemoryStores

AT = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
MONTH = "2026-12"


def department(code: str) -> Principal:
    return Principal(kind="department", username=f"dept-{code}", roles=frozenset({"department"}), dept_code=code)


def test_parallel_writers_all_land_in_one_verified_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores()
    writers, each = 12, 20
    failures: list[BaseException] = []
    start = threading.Barrier(writers)

    def post_batches(n: int) -> None:
        start.wait()
        for i in range(each):
            try:
                audit.record(stores, department(f"{n:03d}"), "POST /exchange/events", {"batch": f"{n}-{i}"}, 200,
                             b"{}", at=AT)
            except BaseException as e:  # noqa: BLE001 - collected and asserted below
                failures.append(e)

    threads = [threading.Thread(target=post_batches, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    trail = audit.entries(stores, MONTH)
    assert [e["seq"] for e in trail] == list(range(1, writers * each + 1))
    assert {e["target"]["batch"] for e in trail} == {f"{n}-{i}" for n in range(writers) for i in range(each)}
    assert chain.verify_chain(trail).ok


def test_a_writer_that_keeps_losing_the_race_backs_off_and_still_lands(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rival appends just before each of this writer's first 25 attempts (more than the old 20 tries)."""
    stores = MemoryStores()
    table = stores.table("audit")
    rivals_left = [25]
    waits: list[float] = []
    put = table.put

    def contested_put(item: Item, **kw: object) -> Item:
        if item.body.get("actor_kind") == "department" and rivals_left[0]:
            rivals_left[0] -= 1
            audit.record(stores, Principal(kind="user", username="rival", roles=frozenset({"admin"})),
                         "POST /admin/users", {}, 201, at=AT)
        return put(item, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(table, "put", contested_put)
    monkeypatch.setattr(audit.time, "sleep", waits.append)

    entry = audit.record(stores, department("015"), "POST /exchange/events", {}, 200, at=AT)

    assert entry["seq"] == 26
    assert chain.verify_chain(audit.entries(stores, MONTH)).ok
    assert len(waits) == 25 and max(waits) <= audit.BACKOFF_CAP


def test_a_trail_that_stays_busy_fails_cleanly_after_its_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores()
    table = stores.table("audit")

    def always_taken(item: Item, **kw: object) -> Item:
        raise ConditionFailedError("taken")

    monkeypatch.setattr(table, "put", always_taken)
    monkeypatch.setattr(audit.time, "sleep", lambda _s: None)
    with pytest.raises(ConditionFailedError):
        audit.record(stores, department("015"), "POST /exchange/events", {}, 200, at=AT)
