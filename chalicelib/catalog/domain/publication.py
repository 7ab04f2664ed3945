"""Catalog publication (目录公开): the static JSON the online hall (网上政务大厅) reads from S3.

Browsing the catalog never needs a Lambda, and a city's catalog (thousands of items) must still
load in a phone's first 150 KB. So the published catalog is split:

* ``catalog/manifest.json`` (:func:`build_manifest`, a few KB, cached for a minute): departments
  and categories with their counts, the home page's featured items, and the key of every shard;
* one **shard** per department segment of the item code (``region + dept``, :func:`build_shard`):
  the summary rows of that department's items in force, compact (the code's department prefix
  is the shard's, category and display code are derived from the code). A shard's key carries a
  hash of its content (``catalog/shards/320300015.1a2b3c4d5e6f.json``), so it is cached for a year
  and a confirmation republishes only its own department's shard;
* ``catalog/pinyin.<hash>.json`` (:func:`pinyin_table`): the reading of each common Chinese
  character, from which the hall derives the pinyin part of each item's search text; a row carries
  its own pinyin only where the table's reading is not the one the platform's search uses
  (polyphones, rare characters), so the hall's search text equals :func:`search.search_text`;
* ``catalog/items/{code}.json`` (:func:`build_item_doc`): one item's whole guide.

Every file is stored gzip-encoded. Only public fields are published: who declared or confirmed a
version (staff usernames) never leaves the platform. docs/DOMAIN.md §8, docs/CONTRACT.md §4.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .items import CATEGORIES, CATEGORY_FIELDS, ItemVersion, display_code
from .search import _CJK, _pinyin_forms

MANIFEST_KEY = "catalog/manifest.json"
#: Shards are per department segment of the code: region (6) + department (3).
SHARD_PREFIX = 9
#: Categories the home page features (常用事项), in order; one item per department, at most eight.
FEATURED_CATEGORIES = ("XK", "FW", "GF", "QR", "SP")
FEATURED_MAX = 8
_UNITS = {"working_day": "w", "calendar_day": "c"}

#: Version fields of the public history; ``declared_by`` and ``confirmed_by`` are deliberately absent.
_HISTORY_FIELDS = ("version", "status", "effective_from", "declared_at", "confirmed_at", "rejected_reason")


def item_doc_key(code: str) -> str:
    """S3 key of one item's published document, relative to the hall bucket root."""
    return f"catalog/items/{code}.json"


def shard_prefix(code: str) -> str:
    """The shard an item belongs to: region and department segments of its code."""
    return code[:SHARD_PREFIX]


def encode(doc: Any) -> bytes:
    """The compact UTF-8 JSON a published file holds (before gzip)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_key(folder: str, name: str, doc: Any) -> str:
    """An immutable key: ``catalog/{folder}/{name}.{hash of the content}.json``."""
    digest = hashlib.sha256(encode(doc)).hexdigest()[:12]
    return f"catalog/{folder}/{name}.{digest}.json" if folder else f"catalog/{name}.{digest}.json"


def catalog_path(key: str) -> str:
    """A bucket key as the hall addresses it: relative to its ``catalog/`` folder."""
    return key.removeprefix("catalog/")


def json_safe(value: Any) -> Any:
    """Decimals → int or float, dates → ISO strings, recursively; everything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return value


def _latest_per_code(items: Iterable[ItemVersion]) -> list[ItemVersion]:
    """Confirmed versions only, one per code (latest ``effective_from``, then highest version)."""
    best: dict[str, ItemVersion] = {}
    for v in items:
        if v.status != "confirmed":
            continue
        key = (v.effective_from or date.min, v.version)
        held = best.get(v.code)
        if held is None or key > (held.effective_from or date.min, held.version):
            best[v.code] = v
    return [best[c] for c in sorted(best)]


# ----- pinyin --------------------------------------------------------------------------------------

def _is_cjk(char: str) -> bool:
    return any(lo <= char <= hi for lo, hi in _CJK_RANGES)


_CJK_RANGES = tuple((_CJK[i], _CJK[i + 2]) for i in range(0, len(_CJK), 3))


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """Reading → the common characters (GB 2312 level 1, 3,755) read that way when alone.

    The hall inverts it to look up each character of a name. Deterministic for a given pypinyin.
    """
    from pypinyin import lazy_pinyin

    by_reading: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            by_reading.setdefault(lazy_pinyin(char)[0], []).append(char)
    return {reading: "".join(chars) for reading, chars in sorted(by_reading.items())}


@lru_cache(maxsize=1)
def _reading_of() -> dict[str, str]:
    return {char: reading for reading, chars in pinyin_table().items() for char in chars}


def derived_pinyin(text: str) -> tuple[str, str] | None:
    """(initials, full pinyin) of ``text`` from the table alone, as the hall derives it; None when a
    Chinese character of ``text`` is not in the table."""
    table = _reading_of()
    letters: list[str] = []
    spelled: list[str] = []
    for char in unicodedata.normalize("NFKC", text or "").lower():
        if not _is_cjk(char):
            continue
        reading = table.get(char)
        if reading is None:
            return None
        letters.append(reading[:1])
        spelled.append(reading)
    return "".join(letters), "".join(spelled)


def _pinyin_overrides(texts: list[str]) -> dict[str, list[str]]:
    """For each text (by position) whose table-derived pinyin is not the search's: its own forms."""
    out: dict[str, list[str]] = {}
    for i, text in enumerate(texts):
        exact = _pinyin_forms(text)
        if derived_pinyin(text) != exact:
            out[str(i)] = list(exact)
    return out


# ----- shards and the manifest ---------------------------------------------------------------------

def build_shard(prefix: str, versions: Iterable[ItemVersion], dept_name: str) -> dict[str, Any]:
    """One department segment's published rows (items in force: confirmed, latest per code).

    A row is ``[code suffix, name, keywords, [promised value, unit], [statutory value, unit],
    fee charged (0/1), pinyin overrides]`` where the unit is ``w`` (working days) or ``c``
    (calendar days) and the overrides (``{"0": [initials, full]}`` for the name, ``"1"``… for the
    keywords) are present only where the table's reading is not the search's.
    """
    rows: list[list[Any]] = []
    for v in _latest_per_code(v for v in versions if shard_prefix(v.code) == prefix):
        it = v.item
        row: list[Any] = [
            v.code[SHARD_PREFIX:], it.name, list(it.keywords),
            [it.promised_limit.value, _UNITS[it.promised_limit.unit]],
            [it.statutory_limit.value, _UNITS[it.statutory_limit.unit]],
            int(bool(it.fee.charged)),
        ]
        overrides = _pinyin_overrides([it.name, *it.keywords])
        if overrides:
            row.append(overrides)
        rows.append(json_safe(row))
    return {"prefix": prefix, "region_code": prefix[:6], "dept_code": prefix[6:], "dept_name": dept_name,
            "items": rows}


def _row_summary(shard: Mapping[str, Any], row: list[Any]) -> dict[str, Any]:
    code = shard["prefix"] + row[0]
    units = {v: k for k, v in _UNITS.items()}
    return {"code": code, "name": row[1], "category": code[9:11], "dept_code": shard["dept_code"],
            "dept_name": shard["dept_name"], "promised_limit": {"value": row[3][0], "unit": units[row[3][1]]}}


def shard_entry(key: str, shard: Mapping[str, Any]) -> dict[str, Any]:
    """What the manifest says of a shard: its key, count, categories and its featured candidate."""
    categories: dict[str, int] = {}
    featured: tuple[int, str, list[Any]] | None = None
    for row in shard["items"]:
        category = row[0][:2]
        categories[category] = categories.get(category, 0) + 1
        if category in FEATURED_CATEGORIES:
            rank = (FEATURED_CATEGORIES.index(category), shard["prefix"] + row[0])
            if featured is None or rank < featured[:2]:
                featured = (*rank, row)
    return {"key": key, "prefix": shard["prefix"], "dept_code": shard["dept_code"], "count": len(shard["items"]),
            "categories": dict(sorted(categories.items())),
            "featured": _row_summary(shard, featured[2]) if featured else None}


def build_manifest(entries: Iterable[Mapping[str, Any]], departments: list[dict[str, Any]], generated_at: str,
                   pinyin_key: str) -> dict[str, Any]:
    """``catalog/manifest.json``: departments (given order) and categories (all twelve) with their
    counts of published items, the featured items, and where every shard and the pinyin table are
    (paths relative to the ``catalog/`` folder)."""
    shards = sorted(entries, key=lambda e: str(e["prefix"]))
    per_dept: dict[str, int] = {}
    per_category: dict[str, int] = {}
    for e in shards:
        per_dept[str(e["dept_code"])] = per_dept.get(str(e["dept_code"]), 0) + int(e["count"])
        for category, n in dict(e["categories"]).items():
            per_category[category] = per_category.get(category, 0) + int(n)
    candidates = sorted((e["featured"] for e in shards if e.get("featured")),
                        key=lambda f: (FEATURED_CATEGORIES.index(f["category"]), f["code"]))
    featured: list[dict[str, Any]] = []
    for f in candidates:
        if len(featured) < FEATURED_MAX and all(x["dept_code"] != f["dept_code"] for x in featured):
            featured.append(dict(f))
    return {
        "generated_at": generated_at,
        "item_count": sum(per_dept.values()),
        "pinyin": catalog_path(pinyin_key),
        "departments": [
            {"code": d.get("code"), "name": d.get("name"), "region_code": d.get("region_code"),
             "level": d.get("level"), "item_count": per_dept.get(str(d.get("code")), 0)}
            for d in departments
        ],
        "categories": [
            {"code": code, "name": name, "item_count": per_category.get(code, 0)}
            for code, name in CATEGORIES.items()
        ],
        "featured": featured,
        "shards": [{"path": catalog_path(str(e["key"])), "prefix": e["prefix"], "dept_code": e["dept_code"],
                    "count": e["count"]} for e in shards if e["count"]],
    }


def expand_shard(shard: Mapping[str, Any], pinyin: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The rows of a shard as the hall expands them (the reference for ``hall/js/data.js``):
    code, display code, name, category, department, limits, fee, keywords and the search text."""
    table = {char: reading for reading, chars in (pinyin or pinyin_table()).items() for char in chars}
    units = {v: k for k, v in _UNITS.items()}
    out = []
    for row in shard["items"]:
        code = shard["prefix"] + row[0]
        name, keywords = row[1], list(row[2])
        overrides = row[6] if len(row) > 6 else {}
        texts = [name, *keywords]
        parts = [_norm(name), *(_norm(k) for k in keywords if k and k.strip()), code.lower(),
                 display_code(code).lower()]
        for i, text in enumerate(texts):
            forms = overrides.get(str(i)) or _derive(text, table)
            if forms[0]:
                parts += forms
        out.append({
            "code": code, "display_code": display_code(code), "name": name, "category": code[9:11],
            "category_name": CATEGORIES[code[9:11]], "dept_code": shard["dept_code"], "dept_name": shard["dept_name"],
            "promised_limit": {"value": row[3][0], "unit": units[row[3][1]]},
            "statutory_limit": {"value": row[4][0], "unit": units[row[4][1]]},
            "fee_charged": bool(row[5]), "keywords": keywords,
            "search": " ".join(dict.fromkeys(p for p in parts if p)),
        })
    return out


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _derive(text: str, table: Mapping[str, str]) -> list[str]:
    readings = [table[c] for c in _norm(text) if _is_cjk(c) and c in table]
    return ["".join(r[:1] for r in readings), "".join(readings)]


def build_item_doc(current: ItemVersion, history: list[ItemVersion], dept_name: str) -> dict[str, Any]:
    """``catalog/items/{code}.json``: every declared field of ``current`` plus its version history.

    Amounts are JSON numbers. ``category_field_labels`` gives the Chinese label of each
    category-specific key. ``history`` lists the given versions oldest first, without who
    declared or confirmed them.
    """
    it = current.item
    doc: dict[str, Any] = json_safe(it.model_dump())
    doc.update(
        {
            "code": current.code,
            "display_code": display_code(current.code),
            "version": current.version,
            "status": current.status,
            "effective_from": current.effective_from.isoformat() if current.effective_from else None,
            "category_name": CATEGORIES[it.category],
            "dept_name": dept_name,
            "category_field_labels": dict(CATEGORY_FIELDS.get(it.category, {})),
            "history": [
                {name: json_safe(getattr(v, name)) for name in _HISTORY_FIELDS}
                for v in sorted(history, key=lambda v: v.version)
            ],
        }
    )
    return doc
