"""Hash chain (防篡改哈希链): tamper evidence for append-only logs (case events, audit log).

Each record carries ``seq``, ``prev_hash`` and ``hash`` where
``hash = sha256(prev_hash + "\\n" + canonical(record without "hash"))`` and the first
record's ``prev_hash`` is ``GENESIS``. Editing a record breaks its own hash; deleting or
reordering records breaks the next record's link. Deleting the *last* record is only
visible against a separately kept head hash (``verify_chain(..., head_hash=...)``).

``canonical`` is stable across storage round trips: numbers are written by value, so
``1``, ``1.0`` and ``Decimal("1")`` (what DynamoDB gives back) encode alike, as do
``Decimal("12.50")`` and ``12.5``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("non-finite numbers cannot be hashed")
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text


def _encode(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _number(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, datetime | date):
        return json.dumps(value.isoformat(), ensure_ascii=False)
    if isinstance(value, Mapping):
        keys = sorted(value, key=str)
        if any(not isinstance(k, str) for k in keys):
            raise TypeError("record keys must be strings")
        return "{" + ",".join(f"{_encode(k)}:{_encode(value[k])}" for k in keys) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "[" + ",".join(sorted(_encode(v) for v in value)) + "]"
    raise TypeError(f"cannot hash a value of type {type(value).__name__}")


def canonical(record: Mapping[str, Any]) -> bytes:
    """Canonical JSON, UTF-8: sorted keys, no spaces, non-ASCII kept, numbers by value."""
    return _encode(record).encode("utf-8")


def link_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    """sha256 hex of ``prev_hash + "\\n" + canonical(record without its "hash" key)``."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(prev_hash.encode("utf-8") + b"\n" + canonical(body)).hexdigest()


def seal(records: Sequence[Mapping[str, Any]], prev_hash: str = GENESIS) -> list[dict[str, Any]]:
    """Copies of ``records`` (in seq order) with ``prev_hash`` and ``hash`` filled in.

    ``prev_hash`` is the hash of the record before the first one (``GENESIS`` for a new chain),
    so a batch can be appended to an existing chain.
    """
    out: list[dict[str, Any]] = []
    prev = prev_hash
    for record in records:
        sealed = {k: v for k, v in record.items() if k != "hash"}
        sealed["prev_hash"] = prev
        sealed["hash"] = link_hash(prev, sealed)
        prev = sealed["hash"]
        out.append(sealed)
    return out


@dataclass(frozen=True)
class ChainReport:
    """The result of checking a chain; ``reason`` is in Chinese for people."""

    ok: bool
    length: int
    first_broken_seq: int | None = None
    reason: str | None = None
    head_hash: str | None = None


def _seq(record: Mapping[str, Any], position: int) -> int:
    value = record.get("seq")
    if isinstance(value, bool):
        return position
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float | str):
        try:
            return int(Decimal(str(value)))
        except ArithmeticError:
            return position
    return position


def verify_chain(
    records: Sequence[Mapping[str, Any]], prev_hash: str = GENESIS, head_hash: str | None = None
) -> ChainReport:
    """Check records given in seq order. ``prev_hash`` anchors a segment (``GENESIS``: whole chain);
    ``head_hash``, when known, is the hash the last record must have (catches a deleted tail)."""
    prev = prev_hash
    prev_seq: int | None = None
    for position, record in enumerate(records, start=1):
        seq = _seq(record, position)
        stored = record.get("hash")
        link = record.get("prev_hash")
        if not isinstance(stored, str) or not isinstance(link, str):
            return _broken(len(records), seq, f"第 {seq} 条记录缺少哈希字段")
        try:
            expected = link_hash(link, record)
        except (TypeError, ValueError):
            return _broken(len(records), seq, f"第 {seq} 条记录含无法计算哈希的内容")
        if expected != stored:
            return _broken(len(records), seq, f"第 {seq} 条记录内容被改动（哈希不符）")
        if link != prev:
            if prev_seq is None:
                reason = f"第 {seq} 条记录的前序哈希不是链的起点（之前的记录可能被删除）"
            else:
                reason = f"第 {seq} 条记录的前序哈希与第 {prev_seq} 条不符"
            return _broken(len(records), seq, reason)
        prev, prev_seq = stored, seq
    if head_hash is not None and prev != head_hash:
        last = prev_seq if prev_seq is not None else 0
        return _broken(len(records), last, f"链尾与登记的链头哈希不符（第 {last} 条之后的记录可能被删除）")
    return ChainReport(ok=True, length=len(records), head_hash=prev if records else None)


def _broken(length: int, seq: int, reason: str) -> ChainReport:
    return ChainReport(ok=False, length=length, first_broken_seq=seq, reason=reason)
