"""Catalog publication (目录公开): the static JSON the online hall (网上政务大厅) reads from S3.

Browsing the catalog never needs a Lambda: on every confirmation the platform rewrites
``catalog/index.json`` (:func:`build_index`) and ``catalog/items/{code}.json``
(:func:`build_item_doc`). Only public fields are published: who declared or confirmed a
version (staff usernames) never leaves the platform. docs/DOMAIN.md §8, docs/CONTRACT.md §4.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .items import CATEGORIES, CATEGORY_FIELDS, ItemVersion, display_code
from .search import search_text

INDEX_KEY = "catalog/index.json"

#: Version fields of the public history; ``declared_by`` and ``confirmed_by`` are deliberately absent.
_HISTORY_FIELDS = ("version", "status", "effective_from", "declared_at", "confirmed_at", "rejected_reason")


def item_doc_key(code: str) -> str:
    """S3 key of one item's published document, relative to the hall bucket root."""
    return f"catalog/items/{code}.json"


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


def _latest_per_code(items: list[ItemVersion]) -> list[ItemVersion]:
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


def build_index(
    items: list[ItemVersion], departments: list[dict[str, Any]], generated_at: str
) -> dict[str, Any]:
    """``catalog/index.json``: departments, categories and one summary row per item in force.

    ``items`` should be the versions in force now; anything not confirmed is left out, and if a
    code appears twice the latest effective version wins. Items are sorted by code; departments
    keep the given order, each with its count of published items; all categories are listed.
    """
    published = _latest_per_code(items)
    dept_names = {str(d.get("code")): str(d.get("name") or "") for d in departments}
    per_dept: dict[str, int] = {}
    per_category: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for v in published:
        it = v.item
        per_dept[it.dept_code] = per_dept.get(it.dept_code, 0) + 1
        per_category[it.category] = per_category.get(it.category, 0) + 1
        rows.append(
            {
                "code": v.code,
                "display_code": display_code(v.code),
                "name": it.name,
                "category": it.category,
                "category_name": CATEGORIES[it.category],
                "dept_code": it.dept_code,
                "dept_name": dept_names.get(it.dept_code, ""),
                "promised_limit": {"value": it.promised_limit.value, "unit": it.promised_limit.unit},
                "statutory_limit": {"value": it.statutory_limit.value, "unit": it.statutory_limit.unit},
                "fee_charged": it.fee.charged,
                "keywords": list(it.keywords),
                "search": search_text(it.name, v.code, it.keywords),
            }
        )
    return {
        "generated_at": generated_at,
        "departments": [
            {
                "code": d.get("code"),
                "name": d.get("name"),
                "region_code": d.get("region_code"),
                "level": d.get("level"),
                "item_count": per_dept.get(str(d.get("code")), 0),
            }
            for d in departments
        ],
        "categories": [
            {"code": code, "name": name, "item_count": per_category.get(code, 0)}
            for code, name in CATEGORIES.items()
        ],
        "items": rows,
    }


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
