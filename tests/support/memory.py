"""In-memory fakes of the ports, for unit tests of services: records with versions and a
``gsi1`` index, counters, a key vault that binds its context, rotatable signing keys."""
from __future__ import annotations

import base64
import copy
import json
import secrets
from collections.abc import Sequence
from typing import Any

from chalicelib.kernel.ports import ConditionFailedError, Item, Page


class MemoryTable:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Item] = {}
        self.reads = 0

    def get(self, pk: str, sk: str) -> Item | None:
        self.reads += 1
        item = self.items.get((pk, sk))
        return copy.deepcopy(item) if item else None

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        self.reads += 1
        return {k: copy.deepcopy(self.items[k]) for k in keys if k in self.items}

    def put(self, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> Item:
        key = (item.pk, item.sk)
        current = self.items.get(key)
        if if_absent and current is not None:
            raise ConditionFailedError(str(key))
        if expected_version is not None and (current is None or current.version != expected_version):
            raise ConditionFailedError(str(key))
        stored = copy.deepcopy(item)
        stored.version = (current.version or 0) + 1 if current and current.version else 1
        self.items[key] = stored
        return copy.deepcopy(stored)

    def query(self, pk: str, sk_prefix: str = "", *, index: str | None = None, limit: int = 50,
              cursor: str | None = None, forward: bool = True, sk_lte: str | None = None) -> Page:
        def keys(i: Item) -> tuple[str | None, str | None]:
            return (i.gsi1pk, i.gsi1sk) if index == "gsi1" else (i.gsi2pk, i.gsi2sk) if index == "gsi2" else (i.pk, i.sk)

        rows = sorted((i for i in self.items.values() if keys(i)[0] == pk and str(keys(i)[1]).startswith(sk_prefix)),
                      key=lambda i: str(keys(i)[1]), reverse=not forward)
        start = int(cursor) if cursor else 0
        page = rows[start:start + limit]
        nxt = str(start + limit) if start + limit < len(rows) else None
        return Page(items=[copy.deepcopy(i) for i in page], next=nxt)

    def query_all(self, pk: str, sk_prefix: str = "", *, index: str | None = None,
                  sk_lte: str | None = None) -> list[Item]:
        return self.query(pk, sk_prefix, index=index, limit=10**9).items

    def delete(self, pk: str, sk: str) -> None:
        self.items.pop((pk, sk), None)


class MemoryCounters:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], int] = {}

    def hit(self, key: str, window: str) -> int:
        self.values[(key, window)] = self.values.get((key, window), 0) + 1
        return self.values[(key, window)]

    def add(self, deltas: Any) -> None:  # pragma: no cover - not used by identity
        raise NotImplementedError

    def read(self, period: str) -> list[dict[str, Any]]:  # pragma: no cover
        return []


class MemoryStores:
    def __init__(self) -> None:
        self.tables: dict[str, MemoryTable] = {}
        self._counters = MemoryCounters()

    def table(self, name: str) -> MemoryTable:
        return self.tables.setdefault(name, MemoryTable())

    def counters(self) -> MemoryCounters:
        return self._counters

    def transaction(self) -> Any:  # pragma: no cover - not used by identity
        raise NotImplementedError


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
