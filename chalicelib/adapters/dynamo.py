"""DynamoDB implementations of the ports, through pynamodb (the only ORM import site)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from pynamodb.connection import Connection
from pynamodb.constants import ITEM
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.kernel.errors import ValidationError
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item, Page

from ..settings import get_settings
from .tables import TABLE_MODELS, Record, StatsRecord, configure_models

COUNTER_FIELDS = ("received", "concluded", "on_time", "yellow", "red", "complaints", "evaluations",
                  "satisfied", "days_used", "supplements", "events", "late_events",
                  "disclosure_received", "disclosure_answered", "disclosure_on_time", "taken")


CursorKey = Callable[[], bytes]
_MAC_BYTES = 16


def _bad_cursor() -> Exception:
    return ValidationError("cursor 无效", [{"field": "query.cursor", "type": "invalid",
                                            "message": "无效的分页游标（请使用同一列表上一页返回的 next）"}])


def _mac(key: bytes, scope: str, payload: str) -> str:
    digest = hmac.new(key, f"{scope}\n{payload}".encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _encode_cursor(key: dict[str, Any] | None, scope: str, cursor_key: CursorKey) -> str | None:
    """An opaque cursor: the page's last key, signed for the query it came from (``scope``)."""
    if not key:
        return None
    payload = base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{payload}.{_mac(cursor_key(), scope, payload)}"


def _decode_cursor(cursor: str | None, scope: str, cursor_key: CursorKey) -> dict[str, Any] | None:
    """The key a cursor names, if this platform issued it for this very query; else a 400."""
    if not cursor:
        return None
    payload, _, mac = cursor.rpartition(".")
    if not payload or not mac.isascii() or not hmac.compare_digest(mac, _mac(cursor_key(), scope, payload)):
        raise _bad_cursor()
    try:
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeError):
        raise _bad_cursor() from None
    if not isinstance(value, dict):
        raise _bad_cursor()
    return value


def _to_item(rec: Record) -> Item:
    return Item(pk=rec.pk, sk=rec.sk, body=rec.body or {}, gsi1pk=rec.gsi1pk, gsi1sk=rec.gsi1sk,
                gsi2pk=rec.gsi2pk, gsi2sk=rec.gsi2sk, version=rec.version)


def _to_record(model: type[Record], item: Item) -> Record:
    rec = model(item.pk, item.sk, body=item.body, gsi1pk=item.gsi1pk, gsi1sk=item.gsi1sk,
                gsi2pk=item.gsi2pk, gsi2sk=item.gsi2sk)
    _set_version(rec, item.version)
    return rec


def _set_version(rec: Record, version: int | None) -> None:
    if version is None:
        rec.attribute_values.pop("version", None)
    else:
        rec.version = version


class DynamoTable:
    """``RecordStore`` over one table."""

    def __init__(self, name: str, cursor_key: CursorKey):
        configure_models()
        self.name = name
        self.model: type[Record] = TABLE_MODELS[name]  # type: ignore[assignment]
        self.cursor_key = cursor_key

    def get(self, pk: str, sk: str) -> Item | None:
        try:
            return _to_item(self.model.get(pk, sk, consistent_read=True))
        except self.model.DoesNotExist:
            return None

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        # BatchGetItem, 100 keys per request; pynamodb pages and retries unprocessed keys.
        unique = list(dict.fromkeys(keys))
        found = self.model.batch_get(unique, consistent_read=True) if unique else []
        return {(rec.pk, rec.sk): _to_item(rec) for rec in found}

    def put(self, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> Item:
        rec = _to_record(self.model, item)
        conditional = if_absent or expected_version is not None
        _set_version(rec, None if if_absent else expected_version)
        try:
            # VersionAttribute adds its own condition on save: version unchanged since read
            # (or, with no version, that the record does not exist yet).
            rec.save(add_version_condition=conditional)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConditionFailedError(f"{self.name} {item.pk}/{item.sk}") from None
            raise
        return _to_item(rec)

    def query(self, pk: str, sk_prefix: str = "", *, index: str | None = None, limit: int = 50,
              cursor: str | None = None, forward: bool = True, sk_lte: str | None = None) -> Page:
        target: Any = self.model if index is None else getattr(self.model, index)
        sk_attr = {None: self.model.sk, "gsi1": self.model.gsi1sk, "gsi2": self.model.gsi2sk}[index]
        cond: Any = None
        if sk_lte is not None:
            cond = sk_attr.between(sk_prefix, sk_lte) if sk_prefix else sk_attr <= sk_lte
        elif sk_prefix:
            cond = sk_attr.startswith(sk_prefix)
        scope = f"{self.name}|{index}|{pk}|{sk_prefix}|{sk_lte}|{forward}"
        kwargs: dict[str, Any] = {"range_key_condition": cond, "scan_index_forward": forward,
                                  "limit": limit, "last_evaluated_key": _decode_cursor(cursor, scope, self.cursor_key)}
        if index is None:
            kwargs["consistent_read"] = True
        result = target.query(pk, **kwargs)
        items = [_to_item(r) for r in result]
        nxt = _encode_cursor(result.last_evaluated_key, scope, self.cursor_key) if len(items) >= limit else None
        return Page(items=items, next=nxt)

    def query_all(self, pk: str, sk_prefix: str = "", *, index: str | None = None,
                  sk_lte: str | None = None) -> list[Item]:
        out: list[Item] = []
        cursor: str | None = None
        while True:
            page = self.query(pk, sk_prefix, index=index, limit=500, cursor=cursor, sk_lte=sk_lte)
            out.extend(page.items)
            if not page.next:
                return out
            cursor = page.next

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> None:
        rec = self.model(pk, sk)
        if expected_version is None:
            rec.delete(add_version_condition=False)  # whatever version is stored
            return
        _set_version(rec, expected_version)
        try:
            rec.delete(add_version_condition=True)
        except DeleteError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConditionFailedError(f"{self.name} {pk}/{sk}") from None
            raise


_connections: dict[tuple[str, str | None], Connection] = {}


def _connection() -> Connection:
    """One cached connection per endpoint: creating a botocore client costs ~0.1 s."""
    s = get_settings()
    key = (s.region, s.endpoint_url)
    if key not in _connections:
        _connections[key] = Connection(region=s.region, host=s.endpoint_url)
    return _connections[key]


class DynamoCounters:
    """Statistics counters keyed by (period, department)."""

    def __init__(self) -> None:
        configure_models()

    def add(self, deltas: Iterable[CounterDelta]) -> None:
        for d in deltas:
            actions = [getattr(StatsRecord, k).add(v) for k, v in d.deltas.items() if v]
            if actions:
                StatsRecord(d.period, d.dept_code).update(actions=actions)

    def hit(self, key: str, window: str) -> int:
        return hit_counter(key, window)

    def read(self, period: str) -> list[dict[str, Any]]:
        rows = []
        for rec in StatsRecord.query(period):
            row: dict[str, Any] = {"dept_code": rec.sk}
            for f in COUNTER_FIELDS:
                row[f] = int(getattr(rec, f) or 0)
            rows.append(row)
        return rows


class DynamoTransaction:
    """All-or-nothing writes (TransactWriteItems, ≤ 100 actions)."""

    def __init__(self) -> None:
        configure_models()
        self._ops: list[tuple[str, Any, Any]] = []

    def put(self, table: str, item: Item, *, if_absent: bool = False,
            expected_version: int | None = None) -> None:
        """Transactional puts are always conditional: absent (``if_absent``) or at ``expected_version``."""
        if not if_absent and expected_version is None:
            raise ValueError("a transactional put needs if_absent or expected_version")
        model: type[Record] = TABLE_MODELS[table]  # type: ignore[assignment]
        rec = _to_record(model, item)
        _set_version(rec, None if if_absent else expected_version)
        self._ops.append(("save", rec, None))

    def require_absent(self, table: str, pk: str, sk: str) -> None:
        model: type[Record] = TABLE_MODELS[table]  # type: ignore[assignment]
        self._ops.append(("check", model(pk, sk), model.pk.does_not_exist()))

    def upsert(self, table: str, item: Item) -> None:
        """An unconditional Put of the whole record, unversioned (derived, re-computable records:
        last writer wins). A Put, not an UpdateItem that sets every attribute: the same record
        written, without an update expression for the service to parse."""
        model: type[Record] = TABLE_MODELS[table]  # type: ignore[assignment]
        rec = _to_record(model, replace(item, version=None))
        self._ops.append(("upsert", rec, None))

    def add_counters(self, deltas: Sequence[CounterDelta]) -> None:
        for d in deltas:
            actions = [getattr(StatsRecord, k).add(v) for k, v in d.deltas.items() if v]
            if actions:
                self._ops.append(("update", StatsRecord(d.period, d.dept_code), actions))

    def commit(self) -> None:
        if not self._ops:
            return
        try:
            with TransactWrite(connection=_connection()) as tx:
                for op, rec, extra in self._ops:
                    if op == "save":
                        tx.save(rec, condition=extra)
                    elif op == "check":
                        tx.condition_check(type(rec), rec.pk, rec.sk, condition=extra)
                    elif op == "upsert":  # a Put without any condition: creates or overwrites
                        tx._put_items.append(_unconditional_put(rec))
                    else:
                        tx.update(rec, actions=extra)
        except TransactWriteError as exc:
            reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or []) if r]
            # A failed condition, or another transaction in flight on one of the items
            # (TransactionConflict): both mean "re-read and try again" to the callers.
            if exc.cause_response_code == "TransactionCanceledException" and (
                    {"ConditionalCheckFailed", "TransactionConflict"} & set(reasons) or not reasons):
                raise ConditionFailedError("transaction condition failed") from None
            raise
        finally:
            self._ops = []


def _unconditional_put(rec: Record) -> dict[str, Any]:
    """The Put of a transaction for ``rec`` with no condition and no version attribute (pynamodb's
    ``TransactWrite.save`` always adds a version condition to a versioned model)."""
    args, kwargs = rec._get_save_args(add_version_condition=False)
    kwargs["attributes"].pop(Record.version.attr_name, None)  # unversioned, as the record it replaces
    kwargs["key"] = ITEM
    return rec._get_connection().get_operation_kwargs(*args, **kwargs)


class DynamoStores:
    """The stores; ``cursor_key`` gives the key pagination cursors are signed with (read when needed)."""

    def __init__(self, cursor_key: CursorKey) -> None:
        self._tables: dict[str, DynamoTable] = {}
        self._cursor_key = cursor_key

    def table(self, name: str) -> DynamoTable:
        if name not in self._tables:
            self._tables[name] = DynamoTable(name, self._cursor_key)
        return self._tables[name]

    def counters(self) -> DynamoCounters:
        return DynamoCounters()

    def transaction(self) -> DynamoTransaction:
        return DynamoTransaction()


def hit_counter(key: str, window: str) -> int:
    """Increment and return a rate-limit counter (stats table, ``RATE#…`` partition)."""
    configure_models()
    rec = StatsRecord(key, window)
    rec.update(actions=[StatsRecord.events.add(1)])
    return int(rec.events or 0)
