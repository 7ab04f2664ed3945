"""The idempotency map in a case's HEAD (issue #20): the HEAD read for a batch says which events are
new, duplicate or superseding, so a batch of 50 events over eight new cases is one transaction of a
record per event and a head per case (it was three: the claims, then 2 x 50 + 8 actions in two) — and a
re-posted event is still a duplicate, a newer version still supersedes, logs written with ``ID#``
marker items before the map are still honoured, and a case past ``MAX_HEAD_IDS`` events keeps
marker items for the rest."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.cases.domain.events import ExchangeEvent, parse_event
from chalicelib.cases.repositories import HEAD_SK, MAX_HEAD_IDS, EventLog, case_pk
from chalicelib.cases.services import exchange
from chalicelib.kernel import chain
from chalicelib.kernel.ports import Item
from tests.support.fixtures import event
from tests.support.memory import MemoryStores

CODE = "320300015XK00400"
AT = datetime(2026, 6, 1, tzinfo=UTC)


def parsed(case_no: str, n: int, version: int = 1) -> ExchangeEvent:
    raw = event(case_no, CODE, "step", "2026-06-01T10:00:00+08:00", {"step_code": str(n), "opinion": "同意"},
                event_id=f"{case_no}-{n}", version=version)
    ev, errors = parse_event(raw)
    assert ev is not None and not errors
    return ev


def post(stores: MemoryStores, events: list[ExchangeEvent]) -> dict[int, str]:
    by_case: dict[str, list[tuple[int, ExchangeEvent]]] = {}
    for i, ev in enumerate(events):
        by_case.setdefault(ev.case_no, []).append((i, ev))
    return exchange.append_cases(stores, by_case, AT, "exchange", owners=dict.fromkeys(by_case, "015"))  # type: ignore[arg-type]


def items(stores: MemoryStores, case_no: str) -> dict[str, Item]:
    return {sk: it for (pk, sk), it in stores.table("events").rows.items() if pk == case_pk(case_no)}


def test_fifty_events_of_eight_new_cases_are_one_transaction_of_records_and_heads() -> None:
    stores = MemoryStores()
    events = [parsed(f"CASE-{c}", n) for c in range(8) for n in range(7)][:50]
    statuses = post(stores, events)
    assert sorted(statuses) == list(range(50)) and set(statuses.values()) == {"stored"}
    assert stores.transactions == 1
    assert len(stores.table("events").rows) == 50 + 8  # a record per event, a HEAD per case, no marker items
    head = EventLog(stores).head("CASE-0")  # type: ignore[arg-type]
    assert head.complete and head.ids == {f"CASE-0-{n}": (1, n + 1) for n in range(7)}


def test_a_reposted_event_is_a_duplicate_and_a_newer_version_supersedes() -> None:
    stores = MemoryStores()
    post(stores, [parsed("CASE-1", 1), parsed("CASE-1", 2)])
    again = post(stores, [parsed("CASE-1", 1), parsed("CASE-1", 2, version=2), parsed("CASE-1", 3)])
    assert again == {0: "duplicate", 1: "superseded", 2: "stored"}
    records = EventLog(stores).records("CASE-1")  # type: ignore[arg-type]
    assert [(r["event_id"], r["data_version"]) for r in records] == [
        ("CASE-1-1", 1), ("CASE-1-2", 1), ("CASE-1-2", 2), ("CASE-1-3", 1)]
    assert chain.verify_chain(records).ok
    assert EventLog(stores).head("CASE-1").ids["CASE-1-2"] == (2, 3)  # type: ignore[arg-type]
    assert post(stores, [parsed("CASE-1", 2, version=2)]) == {0: "duplicate"}
    assert not [sk for sk in items(stores, "CASE-1") if sk.startswith("ID#")]


def test_a_log_written_with_marker_items_before_the_map_keeps_its_duplicates() -> None:
    # Given a case stored as before the map: two records, their ID# markers, a HEAD without ids
    stores = MemoryStores()
    table = stores.table("events")
    prev = chain.GENESIS
    for n in (1, 2):
        record: dict[str, Any] = {"seq": n, "prev_hash": prev, "event_id": f"LEGACY-1-{n}", "case_no": "LEGACY-1",
                                  "item_code": CODE, "type": "step", "occurred_at": "2026-06-01T02:00:00+00:00",
                                  "data_version": 1, "actor": {}, "data": {"step_code": str(n)},
                                  "received_at": AT.isoformat(), "source": "exchange"}
        prev = record["hash"] = chain.link_hash(prev, record)
        table.put(Item(pk=case_pk("LEGACY-1"), sk=f"LOG#{n:08d}", body=record))
        table.put(Item(pk=case_pk("LEGACY-1"), sk=f"ID#LEGACY-1-{n}",
                       body={"event_id": f"LEGACY-1-{n}", "data_version": 1, "seq": n}))
    table.put(Item(pk=case_pk("LEGACY-1"), sk=HEAD_SK, body={"seq": 2, "hash": prev, "owner": "015"}))
    assert not EventLog(stores).head("LEGACY-1").complete  # type: ignore[arg-type]
    # When both are posted again with a third
    assert post(stores, [parsed("LEGACY-1", 1), parsed("LEGACY-1", 2), parsed("LEGACY-1", 3)]) == {
        0: "duplicate", 1: "duplicate", 2: "stored"}
    # Then the HEAD's map now names all three, and the next re-post needs nothing else
    head = EventLog(stores).head("LEGACY-1")  # type: ignore[arg-type]
    assert head.complete and set(head.ids) == {"LEGACY-1-1", "LEGACY-1-2", "LEGACY-1-3"} and head.seq == 3
    assert post(stores, [parsed("LEGACY-1", 1)]) == {0: "duplicate"}
    assert chain.verify_chain(EventLog(stores).records("LEGACY-1")).ok  # type: ignore[arg-type]


def test_a_case_past_the_map_keeps_marker_items_for_the_rest() -> None:
    stores = MemoryStores()
    first = [parsed("MANY-1", n) for n in range(MAX_HEAD_IDS - 2)]
    post(stores, first)
    more = [parsed("MANY-1", n) for n in range(MAX_HEAD_IDS - 2, MAX_HEAD_IDS + 3)]
    assert set(post(stores, more).values()) == {"stored"}
    head = EventLog(stores).head("MANY-1")  # type: ignore[arg-type]
    assert len(head.ids) == MAX_HEAD_IDS and not head.complete
    markers = [sk for sk in items(stores, "MANY-1") if sk.startswith("ID#")]
    assert len(markers) == 3
    # Every event, in the map or past it, is a duplicate when posted again; a new version supersedes
    again = post(stores, [parsed("MANY-1", 0), parsed("MANY-1", MAX_HEAD_IDS + 2), parsed("MANY-1", MAX_HEAD_IDS + 1, version=2)])
    assert again == {0: "duplicate", 1: "duplicate", 2: "superseded"}
    assert EventLog(stores).head("MANY-1").seq == MAX_HEAD_IDS + 4  # type: ignore[arg-type]
    assert set(EventLog(stores).marker_ids("MANY-1")) == {f"MANY-1-{n}" for n in range(MAX_HEAD_IDS + 3)}  # type: ignore[arg-type]
    assert chain.verify_chain(EventLog(stores).records("MANY-1")).ok  # type: ignore[arg-type]


def test_a_log_whose_head_record_is_missing_knows_its_events_from_its_records() -> None:
    # Given a case appended with the map, then its HEAD record gone (as a log from before HEADs)
    stores = MemoryStores()
    post(stores, [parsed("GONE-1", 1), parsed("GONE-1", 2)])
    stores.table("events").rows.pop((case_pk("GONE-1"), HEAD_SK))
    # When the same events come again with a new one
    assert post(stores, [parsed("GONE-1", 1), parsed("GONE-1", 2), parsed("GONE-1", 3)]) == {
        0: "duplicate", 1: "duplicate", 2: "stored"}
    # Then nothing was stored twice and the chain continues
    records = EventLog(stores).records("GONE-1")  # type: ignore[arg-type]
    assert [r["event_id"] for r in records] == ["GONE-1-1", "GONE-1-2", "GONE-1-3"] and chain.verify_chain(records).ok
