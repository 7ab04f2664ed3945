"""In-memory fakes of the ports, for unit tests of services: records with DynamoDB's conditional
semantics (``if_absent``, ``expected_version``, all-or-nothing transactions), both indexes, counters,
a key vault that binds its context, rotatable signing keys.

``before_commit`` lets a test act as a concurrent writer at the exact moment a transaction is about
to be sent — the interleavings an HTTP race test can only hope to hit.
"""
from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item, Page


class MemoryTable:
    def __init__(self, name: str = "") -> None:
        self.name = name
        self.rows: dict[tuple[str, str], Item] = {}
        self.reads = 0
        self._write = threading.Lock()  # a conditional write is atomic, as in DynamoDB

    def get(self, pk: str, sk: str) -> Item | None:
        self.reads += 1
        found = self.rows.get((pk, sk))
        return copy.deepcopy(found) if found else None

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        self.reads += 1
        return {k: copy.deepcopy(self.rows[k]) for k in keys if k in self.rows}

    def check(self, item: Item, if_absent: bool, expected_version: int | None) -> None:
        held = self.rows.get((item.pk, item.sk))
        if if_absent and held is not None:
            raise ConditionFailedError(f"{self.name} {item.pk}/{item.sk} exists")
        if expected_version is not None and (held is None or held.version != expected_version):
            raise ConditionFailedError(f"{self.name} {item.pk}/{item.sk} changed")

    def store(self, item: Item) -> Item:
        held = self.rows.get((item.pk, item.sk))
        stored = copy.deepcopy(item)
        stored.version = (held.version or 0) + 1 if held is not None else 1
        self.rows[(item.pk, item.sk)] = stored
        return copy.deepcopy(stored)

    def put(self, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> Item:
        with self._write:
            self.check(item, if_absent, expected_version)
            return self.store(item)

    def _index_keys(self, item: Item, index: str | None) -> tuple[str | None, str | None]:
        if index is None:
            return item.pk, item.sk
        if index == "gsi1":
            return item.gsi1pk, item.gsi1sk
        return item.gsi2pk, item.gsi2sk

    def query(self, pk: str, sk_prefix: str = "", *, index: str | None = None, limit: int = 50,
              cursor: str | None = None, forward: bool = True, sk_lte: str | None = None) -> Page:
        rows = []
        with self._write:  # a read sees the table between writes
            held = list(self.rows.values())
        for item in held:
            ipk, isk = self._index_keys(item, index)
            if ipk != pk or isk is None:
                continue
            if sk_lte is not None:
                if not (sk_prefix <= isk <= sk_lte):
                    continue
            elif not isk.startswith(sk_prefix):
                continue
            rows.append((isk, item))
        rows.sort(key=lambda r: r[0], reverse=not forward)
        start = int(cursor) if cursor else 0
        window = rows[start:start + limit]
        nxt = str(start + limit) if start + limit < len(rows) else None
        return Page(items=[copy.deepcopy(i) for _k, i in window], next=nxt)

    def query_all(self, pk: str, sk_prefix: str = "", *, index: str | None = None,
                  sk_lte: str | None = None) -> list[Item]:
        return self.query(pk, sk_prefix, index=index, limit=10**9, sk_lte=sk_lte).items

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> None:
        held = self.rows.get((pk, sk))
        if expected_version is not None and (held is None or held.version != expected_version):
            raise ConditionFailedError(f"{self.name} {pk}/{sk} changed")
        self.rows.pop((pk, sk), None)


class MemoryCounters:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], dict[str, int]] = {}
        self.hits: dict[tuple[str, str], int] = {}

    def add(self, deltas: Iterable[CounterDelta]) -> None:
        for d in deltas:
            into = self.values.setdefault((d.period, d.dept_code), {})
            for k, v in d.deltas.items():
                into[k] = into.get(k, 0) + v

    def read(self, period: str) -> list[dict[str, Any]]:
        return [{"dept_code": dept, **v} for (p, dept), v in self.values.items() if p == period]

    def hit(self, key: str, window: str) -> int:
        self.hits[(key, window)] = self.hits.get((key, window), 0) + 1
        return self.hits[(key, window)]


class MemoryTransaction:
    def __init__(self, stores: MemoryStores) -> None:
        self.stores = stores
        self.puts: list[tuple[str, Item, bool, int | None]] = []
        self.upserts: list[tuple[str, Item]] = []
        self.absent: list[tuple[str, str, str]] = []
        self.counters: list[CounterDelta] = []

    def require_absent(self, table: str, pk: str, sk: str) -> None:
        self.absent.append((table, pk, sk))

    def put(self, table: str, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> None:
        self.puts.append((table, copy.deepcopy(item), if_absent, expected_version))

    def upsert(self, table: str, item: Item) -> None:
        self.upserts.append((table, copy.deepcopy(item)))

    def add_counters(self, deltas: Sequence[CounterDelta]) -> None:
        self.counters.extend(deltas)

    def commit(self) -> None:
        self.stores.transactions += 1
        if self.stores.before_commit is not None:
            self.stores.before_commit(self)
        for table, item, if_absent, expected in self.puts:
            self.stores.table(table).check(item, if_absent, expected)
        for table, pk, sk in self.absent:
            if self.stores.table(table).get(pk, sk) is not None:
                raise ConditionFailedError(f"{table} {pk}/{sk} exists")
        for table, item, _a, _e in self.puts:
            self.stores.table(table).store(item)
        for table, item in self.upserts:
            self.stores.table(table).store(item)
        self.stores.counters().add(self.counters)


class MemoryStores:
    def __init__(self) -> None:
        self.tables: dict[str, MemoryTable] = {}
        self._counters = MemoryCounters()
        self.transactions = 0
        self.before_commit: Callable[[MemoryTransaction], None] | None = None

    def table(self, name: str) -> MemoryTable:
        return self.tables.setdefault(name, MemoryTable(name))

    def counters(self) -> MemoryCounters:
        return self._counters

    def transaction(self) -> MemoryTransaction:
        return MemoryTransaction(self)


class FakeVault:
    """Reversible, and refuses a blob presented with another context (as KMS does)."""

    def __init__(self) -> None:
        self.decrypts = 0

    def encrypt(self, plaintext: bytes, context: dict[str, str]) -> dict[str, str]:
        return {"ctx": json.dumps(context, sort_keys=True), "ct": base64.b64encode(plaintext[::-1]).decode()}

    def decrypt(self, envelope: dict[str, str], context: dict[str, str]) -> bytes:
        self.decrypts += 1
        if envelope["ctx"] != json.dumps(context, sort_keys=True):
            raise ValueError("encryption context mismatch")
        return base64.b64decode(envelope["ct"])[::-1]


class FakeSigningKeys:
    """Keeps the current and the previous version, like Secrets Manager's AWSCURRENT/AWSPREVIOUS."""

    def __init__(self) -> None:
        self.versions: list[tuple[str, str]] = [("v1", secrets.token_urlsafe(16))]

    def current(self) -> tuple[str, str]:
        return self.versions[-1]

    def secret(self, kid: str | None) -> str | None:
        return dict(self.versions[-2:]).get(kid or "")

    def rotate(self) -> str:
        kid = f"v{len(self.versions) + 1}"
        self.versions.append((kid, secrets.token_urlsafe(16)))
        return kid
