"""How the exchange packs a batch into DynamoDB transactions: never more than 100 actions or
DynamoDB's 4 MB per transaction (moto enforces neither, so this is checked on the plan itself)."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from chalicelib.cases.domain.events import ExchangeEvent, parse_event
from chalicelib.cases.services import exchange
from chalicelib.kernel.ports import Item
from tests.support.fixtures import event

CODE = "320300015XK00400"
DYNAMO_TRANSACTION_LIMIT = 4 * 1024 * 1024


class FakeTransaction:
    def __init__(self, log: list[list[Item]]) -> None:
        self.items: list[Item] = []
        self.log = log

    def put(self, table: str, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> None:
        self.items.append(item)

    def require_absent(self, table: str, pk: str, sk: str) -> None:
        self.items.append(Item(pk, sk, {"condition": "absent"}))

    def commit(self) -> None:
        if self.items:
            self.log.append(self.items)


class FakeEvents:
    """An events table that is empty but for the HEAD records the batch claimed (every write lands in
    FakeTransaction's log)."""

    def __init__(self, committed: list[list[Item]]) -> None:
        self.committed = committed

    def get_many(self, keys: Any) -> dict[Any, Item]:
        heads = {(i.pk, i.sk): Item(i.pk, i.sk, i.body, version=1) for tx in self.committed for i in tx
                 if i.sk == "HEAD"}
        return {k: heads[k] for k in keys if k in heads}

    def query_all(self, *args: Any, **kwargs: Any) -> list[Item]:
        return []

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return type("Page", (), {"items": []})()


class FakeStores:
    def __init__(self) -> None:
        self.committed: list[list[Item]] = []

    def table(self, name: str) -> FakeEvents:
        return FakeEvents(self.committed)

    def transaction(self) -> FakeTransaction:
        return FakeTransaction(self.committed)


def bulky(case_no: str, n: int) -> ExchangeEvent:
    """A submission listing 200 materials of 200 Chinese characters each (the schema's maximum)."""
    raw = event(case_no, CODE, "submitted", "2012-06-01T10:00:00+08:00",
                {"applicant": {"type": "org", "name": "某公司"}, "materials": ["材" * 200] * 200},
                event_id=f"{case_no}-{n}")
    parsed, errors = parse_event(raw)
    assert parsed is not None and not errors
    return parsed


def stored_size(items: list[Item]) -> int:
    return sum(len(json.dumps(asdict(i))) for i in items)


def test_large_events_are_spread_over_transactions_under_4_mb() -> None:
    # Given 12 cases of 2 maximal events each (each event ≈ 240 KB once stored)
    by_case = {f"BIG-{c}": [(c * 2 + k, bulky(f"BIG-{c}", k)) for k in range(2)] for c in range(12)}
    stores = FakeStores()
    # When the batch is appended
    statuses = exchange.append_cases(stores, by_case, datetime(2012, 6, 1, tzinfo=UTC), "exchange",  # type: ignore[arg-type]
                                     owners=dict.fromkeys(by_case, "015"))
    # Then every event is stored, in more than one transaction, none over the limit or 100 actions
    assert sorted(statuses) == list(range(24)) and set(statuses.values()) == {"stored"}
    assert len(stores.committed) > 1
    assert all(stored_size(tx) < DYNAMO_TRANSACTION_LIMIT and len(tx) <= 100 for tx in stores.committed)


def test_one_case_with_many_large_events_is_chunked_under_4_mb() -> None:
    events = [(n, bulky("BIG-ONE", n)) for n in range(30)]
    stores = FakeStores()
    statuses = exchange.append_cases(stores, {"BIG-ONE": events}, datetime(2012, 6, 1, tzinfo=UTC),  # type: ignore[arg-type]
                                     "exchange", owners={"BIG-ONE": "015"})
    assert set(statuses.values()) == {"stored"} and len(statuses) == 30
    assert len(stores.committed) >= 2
    assert all(stored_size(tx) < DYNAMO_TRANSACTION_LIMIT for tx in stores.committed)
