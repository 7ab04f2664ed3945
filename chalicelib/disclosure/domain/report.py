"""The annual report's third table (政府信息公开工作年度报告 · 收到和处理政府信息公开申请情况),
条例 art. 49–50, in the national template's rows and columns (国办公开办 2021).

Pure: each request reduces to its :class:`Fact` (when received, by whom, when and how closed);
the table counts them for one year:

* 一、本年新收 — received in the year;
* 二、上年结转 — received before the year, still open when it began;
* 三、本年度办理结果 — closed in the year, by outcome row (and the reason kind for 不予公开,
  无法提供, 不予处理, 其他处理), with （七）总计;
* 四、结转下年度继续办理 — received by the year's end and still open when it ended.

So 一 + 二 = 三(七) + 四 in every column, which the tests check.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .terms import ANSWER_TYPES, APPLICANT_COLUMNS, OUTCOME_ROWS

COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, "total")
COLUMN_NAMES: dict[str, str] = {**APPLICANT_COLUMNS, "total": "总计"}
#: Column groups of the template's header.
COLUMN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("自然人", ("person",)),
    ("法人或其他组织", ("commercial", "research", "public_interest", "legal_service", "other")),
    ("总计", ("total",)),
)


@dataclass(frozen=True)
class Fact:
    """What the report needs of one request."""

    received_on: date
    column: str
    closed_on: date | None = None
    row: str | None = None
    kind: str | None = None
    answer_type: str | None = None


def _zero() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


def _count(counts: dict[str, int], column: str) -> None:
    counts[column if column in counts else "other"] += 1
    counts["total"] += 1


def annual_table(facts: Iterable[Fact], year: int) -> dict[str, Any]:
    """The table for ``year`` from every request received by its end."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    received, carried, forward, closed_total = _zero(), _zero(), _zero(), _zero()
    outcome: dict[str, dict[str, int]] = {}
    by_type = dict.fromkeys(ANSWER_TYPES, 0)
    for f in facts:
        if f.received_on > last:
            continue
        open_at_start = f.closed_on is None or f.closed_on >= first
        if f.received_on >= first:
            _count(received, f.column)
        elif open_at_start:
            _count(carried, f.column)
        else:
            continue
        if f.closed_on is not None and first <= f.closed_on <= last:
            row = f.row or "other"
            _count(outcome.setdefault(row, _zero()), f.column)
            if f.kind:
                _count(outcome.setdefault(f"{row}.{f.kind}", _zero()), f.column)
            _count(closed_total, f.column)
            if f.answer_type in by_type:
                by_type[f.answer_type] += 1
        else:
            _count(forward, f.column)
    rows: list[dict[str, Any]] = [
        {"key": "received", "name": "一、本年新收政府信息公开申请数量", "values": received},
        {"key": "carried_over", "name": "二、上年结转政府信息公开申请数量", "values": carried},
        {"key": "results", "name": "三、本年度办理结果", "values": None},
    ]
    for key, name, kinds in OUTCOME_ROWS:
        rows.append({"key": key, "name": name, "values": outcome.get(key, _zero())})
        for kind, kind_name in (kinds or {}).items():
            rows.append({"key": f"{key}.{kind}", "name": kind_name, "values": outcome.get(f"{key}.{kind}", _zero()),
                         "level": 2})
    rows.append({"key": "closed_total", "name": "（七）总计", "values": closed_total})
    rows.append({"key": "carried_forward", "name": "四、结转下年度继续办理", "values": forward})
    return {
        "year": year,
        "columns": [{"key": c, "name": COLUMN_NAMES[c]} for c in COLUMNS],
        "column_groups": [{"name": n, "columns": list(cs)} for n, cs in COLUMN_GROUPS],
        "rows": rows,
        "received": _by_kind(received),
        "carried_over": carried["total"],
        "answered": by_type,
        "closed": closed_total["total"],
        "still_open": forward["total"],
    }


def _by_kind(counts: dict[str, int]) -> dict[str, int]:
    """Received by applicant type: persons, organisations, total (and each organisation column)."""
    orgs = sum(v for k, v in counts.items() if k not in ("person", "total"))
    return {"person": counts["person"], "org": orgs, "total": counts["total"],
            **{k: v for k, v in counts.items() if k not in ("person", "total")}}
