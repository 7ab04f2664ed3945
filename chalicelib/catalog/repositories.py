"""The power catalog's records (catalog table) and their key scheme.

``ITEM#{code} / V#{nnnn}``  one version (body = ``ItemVersion``); index ``gsi1`` ``ITEMS`` lists every
                            version, ``gsi2`` ``PENDING`` (sparse) the declarations awaiting the legal office.
``BASIS#{id} / META``       a legal basis cited by items, with its repeal date.
``PUBLISHED / SHARD#{prefix}`` what the hall's manifest says of one published shard (its key, count,
                            and the digest of each item guide written), so unchanged files are not
                            rewritten; ``PUBLISHED / PINYIN`` the published pinyin table's key.
"""
from __future__ import annotations

import contextlib
import time
from datetime import date
from typing import Any

from chalicelib.kernel.errors import NotFoundError
from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from .domain.items import ItemVersion

TABLE = "catalog"
CACHE_SECONDS = 30.0
_versions_cache: tuple[float, list[ItemVersion]] | None = None
_code_cache: dict[str, tuple[float, list[ItemVersion]]] = {}


def invalidate_cache() -> None:
    global _versions_cache
    _versions_cache = None
    _code_cache.clear()


class ItemVersions:
    """Every version of every item; reads of the whole catalog are cached for 30 s per instance
    (the catalog is small: hundreds to a few thousand versions)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    @staticmethod
    def _item(v: ItemVersion, version: int | None = None) -> Item:
        pending = v.status == "declared"
        return Item(pk=f"ITEM#{v.code}", sk=f"V#{v.version:04d}", body=v.model_dump(mode="json"),
                    gsi1pk="ITEMS", gsi1sk=f"{v.code}#{v.version:04d}",
                    gsi2pk="PENDING" if pending else None, gsi2sk=f"{v.declared_at}#{v.code}" if pending else None,
                    version=version)

    def all(self, *, fresh: bool = False) -> list[ItemVersion]:
        global _versions_cache
        now = time.monotonic()
        if not fresh and _versions_cache and now - _versions_cache[0] < CACHE_SECONDS:
            return _versions_cache[1]
        versions = [ItemVersion.model_validate(i.body) for i in self.table.query_all("ITEMS", index="gsi1")]
        _versions_cache = (now, versions)
        return versions

    def of(self, code: str) -> list[ItemVersion]:
        page = self.table.query(f"ITEM#{code}", "V#", limit=500)
        return [ItemVersion.model_validate(i.body) for i in page.items]

    def of_cached(self, code: str) -> list[ItemVersion]:
        """One item's versions, cached as long as the whole catalog is: a case's projection reads
        the item it is bound to, and must not cost a read of the whole catalog."""
        now = time.monotonic()
        held = _code_cache.get(code)
        if held is None or now - held[0] >= CACHE_SECONDS:
            held = (now, self.of(code))
            _code_cache[code] = held
        return held[1]

    def with_prefix(self, prefix: str) -> list[ItemVersion]:
        """Every version of the items whose code starts with ``prefix`` (a department's)."""
        return [ItemVersion.model_validate(i.body) for i in self.table.query_all("ITEMS", prefix, index="gsi1")]

    def latest_number(self, code: str) -> int:
        latest = self.table.query(f"ITEM#{code}", "V#", limit=1, forward=False).items
        return int(latest[0].sk[2:]) if latest else 0

    def get(self, code: str, number: int) -> tuple[ItemVersion, int | None] | None:
        """The version and its record version (for the optimistic write that changes it)."""
        item = self.table.get(f"ITEM#{code}", f"V#{number:04d}")
        return (ItemVersion.model_validate(item.body), item.version) if item else None

    def add(self, v: ItemVersion) -> None:
        """Store a new version; ``ConditionFailedError`` when its number is taken."""
        self.table.put(self._item(v), if_absent=True)
        invalidate_cache()

    def save(self, v: ItemVersion, expected_version: int | None) -> None:
        """Store a changed version; ``ConditionFailedError`` when someone changed it since it was read."""
        self.table.put(self._item(v), expected_version=expected_version)
        invalidate_cache()

    def pending(self) -> list[ItemVersion]:
        page = self.table.query("PENDING", index="gsi2", limit=500)
        return [ItemVersion.model_validate(i.body) for i in page.items]


class Bases:
    """Legal bases (法律依据) cited by items, registered on first citation, with repeal dates."""

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def register(self, basis_id: str, title: str) -> None:
        """Register a newly cited basis; one already registered keeps its repeal date."""
        with contextlib.suppress(ConditionFailedError):
            self.table.put(Item(pk=f"BASIS#{basis_id}", sk="META",
                                body={"id": basis_id, "title": title, "repealed_on": None}), if_absent=True)

    def get(self, basis_id: str) -> dict[str, Any] | None:
        item = self.table.get(f"BASIS#{basis_id}", "META")
        return item.body if item else None

    def many(self, basis_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The registered ones of ``basis_ids`` in one read (BatchGetItem), by id."""
        found = self.table.get_many([(f"BASIS#{b}", "META") for b in basis_ids])
        return {b: it.body for b in basis_ids if (it := found.get((f"BASIS#{b}", "META"))) is not None}

    def repeal(self, basis_id: str, effective: date) -> dict[str, Any]:
        item = self.table.get(f"BASIS#{basis_id}", "META")
        if item is None:
            raise NotFoundError(f"法律依据 {basis_id} 不存在")
        item.body["repealed_on"] = effective.isoformat()
        self.table.put(item, expected_version=item.version)
        return item.body


class Published:
    """What was last published to the hall for each shard (``PUBLISHED`` records)."""

    PK = "PUBLISHED"

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def shards(self) -> dict[str, dict[str, Any]]:
        return {i.sk.removeprefix("SHARD#"): i.body for i in self.table.query_all(self.PK, "SHARD#")}

    def save_shard(self, prefix: str, entry: dict[str, Any]) -> None:
        self.table.put(Item(pk=self.PK, sk=f"SHARD#{prefix}", body=entry))

    def pinyin_key(self) -> str | None:
        item = self.table.get(self.PK, "PINYIN")
        return str(item.body.get("key")) if item else None

    def save_pinyin_key(self, key: str) -> None:
        self.table.put(Item(pk=self.PK, sk="PINYIN", body={"key": key}))
