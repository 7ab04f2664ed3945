"""Fixes to moto's DynamoDB emulation, each applied only when a stack asks for it by name.

Everything else runs on stock moto. ``tests/unit/test_moto_fixes.py`` proves each fix against
stock moto's own behaviour: where stock moto is right, the fix answers exactly the same; where
it is not, the test shows the defect.

``transactions`` — correctness; every local stack applies it unless ``SUNLIT_MOTO_FIXES=none``.
    Stock moto (5.x) makes ``TransactWriteItems`` atomic by deep-copying every table the
    transaction touches and, when a condition fails, putting those copies back in place of the
    live tables. That loses two things DynamoDB keeps: (1) the table's stream — open shard
    iterators keep reading the old stream object, so after the first cancelled transaction (any
    duplicate delivery) the consumers never see that table's writes again; (2) writes other
    requests made meanwhile — the copy predates them. Here every condition is checked first, on
    the state before the transaction (a transaction touches an item at most once, so no write of
    it can change a later condition), and the writes happen only when all passed, one
    transaction at a time. A cancelled transaction answers as before: ``TransactionCanceled``
    with one reason per item. (It also no longer copies whole tables per item, which made each
    transaction cost O(table size).)

``partitions`` — speed, for the benchmarks only. Stock moto answers a base-table ``Query`` by
    sorting and filtering every item of the table, where DynamoDB reads one partition, so reading
    one case's log costs O(all events ever stored). The fix hands the query only the queried
    partition; results are the same (index queries are left as they are).

``post_policy`` — correctness; every local stack applies it unless ``SUNLIT_MOTO_FIXES=none``.
    Stock moto stores whatever a browser POSTs to a bucket (S3's form upload) without reading the
    presigned policy, so the attachments' size and type limits would never be refused locally. The
    fix checks the policy as S3 does before the object is stored: expiry (403 ``AccessDenied``
    "Policy expired"), each condition — exact match, ``eq``, ``starts-with`` — on the form fields
    and the bucket (403 "Policy Condition failed"), no form field the policy does not name (403
    "Extra input fields"), and ``content-length-range`` on the file (400 ``EntityTooLarge`` /
    ``EntityTooSmall``). Signatures stay unchecked, as everywhere in moto.

``SUNLIT_MOTO_FIXES`` names the fixes for stacks started from the environment (``python -m
devstack``, ``serve_moto``): comma-separated, ``none`` for stock moto; unset means
``transactions,post_policy``.
"""
from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models.table import Table
from moto.s3.responses import S3Response

DEFAULT = ("transactions", "post_policy")
#: Stock moto's functions, kept so the fixes can be compared with them (and undone).
STOCK_TRANSACT_WRITE_ITEMS = models.DynamoDBBackend.transact_write_items
STOCK_TABLE_QUERY = Table.query
STOCK_ALL_ITEMS = Table.all_items
STOCK_S3_POST = S3Response._bucket_response_post

_transact_lock = threading.Lock()
_scope = threading.local()


def from_environment() -> tuple[str, ...]:
    raw = os.environ.get("SUNLIT_MOTO_FIXES")
    if raw is None:
        return DEFAULT
    names = tuple(n.strip() for n in raw.split(",") if n.strip() and n.strip() != "none")
    unknown = set(names) - set(FIXES)
    if unknown:
        raise ValueError(f"unknown moto fixes: {', '.join(sorted(unknown))} (known: {', '.join(FIXES)})")
    return names


def apply(names: Iterable[str]) -> None:
    """Install the named fixes in this process (idempotent)."""
    for name in names:
        FIXES[name][0]()


def remove(names: Iterable[str]) -> None:
    """Put stock moto back (tests that compare both)."""
    for name in names:
        FIXES[name][1]()


# --------------------------------------------------------------------------- transactions


def _key_of(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _check(backend: Any, transact_items: list[dict[str, Any]]) -> tuple[list[tuple[Any, Any, Any]],
                                                                       list[tuple[str, dict[str, Any], dict[str, Any]]]]:
    """Every condition against the state before the transaction: (reasons, planned writes)."""
    touched: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []
    plan: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        key = _key_of(backend, op_type, op)
        marker = (str(op["TableName"]), str(dict(sorted(key.items()))))
        if marker in touched:
            raise MultipleTransactionsException()
        touched.add(marker)
        current = backend.get_item(op["TableName"], key)
        condition = op.get("ConditionExpression")
        if condition is not None and not get_filter_expression(
                condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")).expr(current):
            old = (current.to_json()["Attributes"] if current and
                   op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" else None)
            reasons.append(("ConditionalCheckFailed", str(ConditionalCheckFailed().message), old))
            continue
        reasons.append((None, None, None))
        plan.append((op_type, op, key))
    return reasons, plan


def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
    """``TransactWriteItems`` with DynamoDB's semantics: all conditions, then all writes, or nothing."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    with _transact_lock:
        reasons, plan = _check(backend, transact_items)
        if any(code is not None for code, _, _ in reasons):
            raise TransactionCanceledException(reasons)
        for op_type, op, key in plan:
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                backend.put_item(op["TableName"], op["Item"])
            elif op_type == "Delete":
                backend.delete_item(op["TableName"], key)
            elif op_type == "Update":
                backend.update_item(op["TableName"], key, update_expression=op["UpdateExpression"],
                                    expression_attribute_names=names, expression_attribute_values=values)


def _install_transactions() -> None:
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign,assignment]


def _remove_transactions() -> None:
    models.DynamoDBBackend.transact_write_items = STOCK_TRANSACT_WRITE_ITEMS  # type: ignore[method-assign,assignment]


# --------------------------------------------------------------------------- partitions


def scoped_items(table: Any) -> Any:
    """``Table.all_items``, limited to the partition a base-table query is reading."""
    partition = getattr(_scope, "partition", None)
    if partition is not None and partition[0] is table:
        return list(partition[1])
    return STOCK_ALL_ITEMS(table)


def partitioned_query(table: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """``Table.query`` that reads only the queried partition (base table with a sort key)."""
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    if index_name is not None or not table.range_key_attr or hash_key is None:
        return STOCK_TABLE_QUERY(table, hash_key, *args, **kwargs)
    outer = getattr(_scope, "partition", None)
    _scope.partition = (table, list(table.items.get(hash_key, {}).values()))
    try:
        return STOCK_TABLE_QUERY(table, hash_key, *args, **kwargs)
    finally:
        _scope.partition = outer


def _install_partitions() -> None:
    Table.query = partitioned_query  # type: ignore[method-assign,assignment]
    Table.all_items = scoped_items  # type: ignore[method-assign,assignment]


def _remove_partitions() -> None:
    Table.query = STOCK_TABLE_QUERY  # type: ignore[method-assign,assignment]
    Table.all_items = STOCK_ALL_ITEMS  # type: ignore[method-assign,assignment]


# --------------------------------------------------------------------------- post_policy

#: Form fields S3 does not ask the policy to name.
_UNSIGNED_FIELDS = {"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"}


def _s3_error(status: int, code: str, message: str) -> tuple[int, dict[str, str], str]:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            "<RequestId>moto</RequestId></Error>")
    return status, {"Content-Type": "application/xml"}, body


def post_policy_problem(fields: dict[str, str], size: int, bucket: str,
                        now: datetime | None = None) -> tuple[int, dict[str, str], str] | None:
    """What S3 answers a form POST whose policy the form breaks (None: the policy admits it)."""
    raw = fields.get("policy") or fields.get("Policy")
    if raw is None:
        return None
    try:
        policy = json.loads(base64.b64decode(raw))
    except (ValueError, TypeError):
        return _s3_error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    expires = datetime.fromisoformat(str(policy.get("expiration", "")).replace("Z", "+00:00"))
    if (now or datetime.now(UTC)) > expires:
        return _s3_error(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {k.lower(): v for k, v in fields.items()}
    values["bucket"] = bucket
    named: set[str] = set()
    for cond in policy.get("conditions", []):
        if isinstance(cond, dict):
            (name, expected), = cond.items()
            op, field = "eq", str(name).lower()
        elif cond and cond[0] == "content-length-range":
            low, high = int(cond[1]), int(cond[2])
            if size > high:
                return _s3_error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if size < low:
                return _s3_error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            continue
        else:
            op, field, expected = str(cond[0]).lower(), str(cond[1]).lstrip("$").lower(), cond[2]
        named.add(field)
        actual = values.get(field, "")
        if (op == "eq" and actual != expected) or (op == "starts-with" and not actual.startswith(str(expected))):
            failed = json.dumps([op, "$" + field, expected], ensure_ascii=False)
            return _s3_error(403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {failed}")
    extra = [k for k in values if k not in named | _UNSIGNED_FIELDS | {"bucket"} and not k.startswith("x-ignore-")]
    if extra:
        return _s3_error(403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {extra[0]}")
    return None


def policy_checked_post(self: Any, request: Any, bucket_name: str) -> Any:
    """``S3Response._bucket_response_post`` that checks a form upload against its policy first."""
    self.path = self._get_path(request)
    form = getattr(self, "form_data", None)
    if not self.is_delete_keys() and form and "key" in form:
        body = self.raw_body if isinstance(getattr(self, "raw_body", None), bytes) else (self.body or b"")
        size = len(body.encode("utf-8") if isinstance(body, str) else body)
        problem = post_policy_problem({k: str(v) for k, v in form.items()}, size, bucket_name)
        if problem is not None:
            return problem
    return STOCK_S3_POST(self, request, bucket_name)


def _install_post_policy() -> None:
    S3Response._bucket_response_post = policy_checked_post  # type: ignore[method-assign]


def _remove_post_policy() -> None:
    S3Response._bucket_response_post = STOCK_S3_POST  # type: ignore[method-assign]


FIXES: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {
    "transactions": (_install_transactions, _remove_transactions),
    "partitions": (_install_partitions, _remove_partitions),
    "post_policy": (_install_post_policy, _remove_post_policy),
}
