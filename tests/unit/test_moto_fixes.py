"""The local stack's fixes to moto (``devstack.moto_fixes``), each proved against stock moto.

Where stock moto behaves like DynamoDB, a fix must answer exactly as stock moto does; where it
does not, the test shows stock moto's defect and that the fix removes it. The tests call stock
moto's functions and the fixes side by side on private backends: nothing here changes moto for
anything else in the process.
"""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodbstreams.models import ShardIterator

from devstack import moto_fixes

TABLE = "t"
Transact = Callable[[Any, list[dict[str, Any]]], None]
STOCK: Transact = moto_fixes.STOCK_TRANSACT_WRITE_ITEMS
FIXED: Transact = moto_fixes.transact_write_items


def backend() -> DynamoDBBackend:
    """A private DynamoDB backend with one streamed table (pk/sk, one GSI) holding two records."""
    b = DynamoDBBackend("us-east-1", "123456789012")
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    attrs = [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g")]
    gsi = [{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}]
    b.create_table(TABLE, schema=keys, throughput=None, attr=attrs, global_indexes=gsi, indexes=None,
                   streams={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}, billing_mode="PAY_PER_REQUEST",
                   sse_specification=None, tags=[], deletion_protection_enabled=None, warm_throughput=None)
    b.put_item(TABLE, item("CASE#1", "HEAD", version=1))
    b.put_item(TABLE, item("CASE#1", "LOG#00000001", g="EVT"))
    return b


def item(pk: str, sk: str, *, version: int | None = None, g: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"pk": {"S": pk}, "sk": {"S": sk}}
    if version is not None:
        out["version"] = {"N": str(version)}
    if g is not None:
        out["g"] = {"S": g}
    return out


def put(record: dict[str, Any], condition: str | None = None, **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": TABLE, "Item": record, **extra}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


ABSENT = "attribute_not_exists(pk)"
AT_VERSION_1 = {"ConditionExpression": "version = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}


def outcome(transact: Transact, items: list[dict[str, Any]]) -> tuple[str, Any, list[Any]]:
    """What a client sees: the error (with cancellation reasons) or success, and every record after."""
    b = backend()
    try:
        transact(b, items)
        answer: tuple[str, Any] = ("ok", None)
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        reasons = getattr(exc, "cancellation_reasons", None)
        answer = (type(exc).__name__, reasons)
    records = [i.to_json()["Attributes"] for i in b.get_table(TABLE).all_items()]
    return answer[0], answer[1], records


SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "new records, all written": [put(item("CASE#2", "HEAD", version=1), ABSENT),
                                 put(item("CASE#2", "LOG#00000001"), ABSENT)],
    "one condition fails: nothing written, one reason per item": [
        put(item("CASE#1", "LOG#00000002"), ABSENT), put(item("CASE#1", "LOG#00000001"), ABSENT),
        put(item("CASE#3", "HEAD"), ABSENT)],
    "the old record comes back when asked": [
        put(item("CASE#1", "HEAD", version=2), ABSENT, ReturnValuesOnConditionCheckFailure="ALL_OLD")],
    "a versioned update and a counter": [
        {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#1"}, "sk": {"S": "HEAD"}},
                    "UpdateExpression": "SET version = :n", **AT_VERSION_1,
                    "ExpressionAttributeValues": {":v": {"N": "1"}, ":n": {"N": "2"}}}},
        {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "STATS"}, "sk": {"S": "2012"}},
                    "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "3"}}}}],
    "a stale version is refused": [
        {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#1"}, "sk": {"S": "HEAD"}},
                    "UpdateExpression": "SET version = :n", "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": "7"}, ":n": {"N": "8"}}}}],
    "a condition check and a delete": [
        {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#1"}, "sk": {"S": "HEAD"}},
                            **AT_VERSION_1}},
        {"Delete": {"TableName": TABLE, "Key": {"pk": {"S": "CASE#1"}, "sk": {"S": "LOG#00000001"}}}}],
    "the same record twice": [put(item("CASE#2", "HEAD"), ABSENT), put(item("CASE#2", "HEAD"), ABSENT)],
    "more than 100 actions": [put(item(f"CASE#{n}", "HEAD"), ABSENT) for n in range(101)],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_transactions_fix_answers_like_stock_moto(name: str) -> None:
    # Given the same table and the same transaction
    # When stock moto and the fix run it, then the client sees the same answer and the same records
    assert outcome(FIXED, SCENARIOS[name]) == outcome(STOCK, SCENARIOS[name])


def _cancelled_then_written(transact: Transact) -> list[str]:
    """Open a stream iterator (what a consumer holds), cancel a transaction, write a record:
    the keys the iterator then reads."""
    b = backend()
    table = b.get_table(TABLE)
    iterator = ShardIterator(SimpleNamespace(shard_iterators={}), table.stream_shard, "LATEST", None)
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        transact(b, SCENARIOS["one condition fails: nothing written, one reason per item"])
    b.put_item(TABLE, item("CASE#9", "LOG#00000001"))
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in iterator.get()["Records"]]


def test_stock_moto_breaks_the_stream_on_a_cancelled_transaction_and_the_fix_does_not() -> None:
    # Given a consumer reading the table's stream
    # When a transaction is cancelled (a duplicate delivery) and a record is written afterwards,
    # then with stock moto the consumer reads the cancelled transaction's writes (undone since) and
    # never the later record: the table was swapped for a copy with another stream
    assert _cancelled_then_written(STOCK) == ["CASE#1", "CASE#3"]
    # and with the fix it reads only the later record, as in DynamoDB
    assert _cancelled_then_written(FIXED) == ["CASE#9"]


def _concurrent_write_survives(transact: Transact) -> bool:
    """Another request writes a record while a transaction that will be cancelled is checking."""
    b = backend()
    get_item = b.get_item

    def interleaved(table_name: str, keys: dict[str, Any], projection: Any = None) -> Any:
        if keys.get("pk") == {"S": "CASE#3"}:  # the transaction's last item: another request lands now
            b.put_item(TABLE, item("OTHER", "HEAD"))
        return get_item(table_name, keys)

    b.get_item = interleaved  # type: ignore[method-assign]
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        transact(b, SCENARIOS["one condition fails: nothing written, one reason per item"])
    return b.get_item(TABLE, {"pk": {"S": "OTHER"}, "sk": {"S": "HEAD"}}) is not None


def test_stock_moto_undoes_other_requests_writes_when_it_cancels_and_the_fix_does_not() -> None:
    # Given a transaction that will be cancelled, and another request's write landing meanwhile
    # Then stock moto's rollback (a copy of the table from before) throws that write away
    assert _concurrent_write_survives(STOCK) is False
    # and with the fix the other request's write stays
    assert _concurrent_write_survives(FIXED) is True


QUERIES: dict[str, dict[str, Any]] = {
    "a whole partition": {"hash_key": "CASE#1", "range_comparison": None, "range": []},
    "a prefix": {"hash_key": "CASE#1", "range_comparison": "BEGINS_WITH", "range": ["LOG#"]},
    "a range, newest first": {"hash_key": "CASE#1", "range_comparison": "BETWEEN", "range": ["A", "Z"],
                              "forward": False},
    "one record": {"hash_key": "CASE#1", "range_comparison": None, "range": [], "limit": 1},
    "an empty partition": {"hash_key": "CASE#404", "range_comparison": None, "range": []},
}


def _query(run: Callable[..., Any], q: dict[str, Any]) -> list[Any]:
    b = backend()
    for n in range(2, 6):
        b.put_item(TABLE, item("CASE#1", f"LOG#{n:08d}", g="EVT"))
        b.put_item(TABLE, item(f"CASE#{n}", "HEAD"))
    found, count, last = run(b.get_table(TABLE), DynamoType({"S": q["hash_key"]}), q["range_comparison"],
                             [DynamoType({"S": v}) for v in q["range"]], q.get("limit", 100), None,
                             q.get("forward", True), None)
    return [[i.to_json()["Attributes"] for i in found], count, last]


@pytest.mark.parametrize("name", list(QUERIES))
def test_the_partitions_fix_queries_like_stock_moto(name: str) -> None:
    # Given a table of several partitions, when stock moto and the fix answer the same query,
    # then the records, the count and the continuation key are the same (index queries are not
    # touched by the fix: it hands them to stock moto)
    assert _query(moto_fixes.partitioned_query, QUERIES[name]) == _query(moto_fixes.STOCK_TABLE_QUERY, QUERIES[name])


def test_fixes_are_named_and_the_environment_chooses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUNLIT_MOTO_FIXES", raising=False)
    assert moto_fixes.from_environment() == ("transactions", "post_policy")
    monkeypatch.setenv("SUNLIT_MOTO_FIXES", "none")
    assert moto_fixes.from_environment() == ()
    monkeypatch.setenv("SUNLIT_MOTO_FIXES", "transactions,partitions")
    assert moto_fixes.from_environment() == ("transactions", "partitions")
    monkeypatch.setenv("SUNLIT_MOTO_FIXES", "faster")
    with pytest.raises(ValueError, match="unknown moto fixes"):
        moto_fixes.from_environment()


# --------------------------------------------------------------------------- post_policy


def _form(max_bytes: int = 10, content_type: str = "application/pdf", expires: int = 600) -> dict[str, str]:
    """The fields of a presigned POST as the attachments adapter makes them (signed offline)."""
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s",
                      endpoint_url="http://127.0.0.1:1", config=Config(signature_version="s3v4"))
    post = s3.generate_presigned_post("att", "incoming/x", Fields={"Content-Type": content_type},
                                      Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
                                      ExpiresIn=expires)
    return dict(post["fields"])


def test_post_policy_admits_exactly_the_file_the_policy_describes() -> None:
    assert moto_fixes.post_policy_problem(_form(), 10, "att") is None


@pytest.mark.parametrize(("change", "size", "status", "code"), [
    ({}, 11, 400, "EntityTooLarge"),
    ({}, 0, 400, "EntityTooSmall"),
    ({"Content-Type": "text/html"}, 5, 403, "AccessDenied"),
    ({"key": "files/elsewhere"}, 5, 403, "AccessDenied"),
    ({"acl": "public-read"}, 5, 403, "AccessDenied"),
])
def test_post_policy_refuses_what_s3_refuses(change: dict[str, str], size: int, status: int, code: str) -> None:
    problem = moto_fixes.post_policy_problem({**_form(), **change}, size, "att")
    assert problem is not None
    assert problem[0] == status and f"<Code>{code}</Code>" in problem[2]


def test_post_policy_refuses_another_bucket_and_an_expired_policy() -> None:
    from datetime import UTC, datetime, timedelta

    wrong_bucket = moto_fixes.post_policy_problem(_form(), 5, "other")
    assert wrong_bucket is not None and "Policy Condition failed" in wrong_bucket[2]
    late = moto_fixes.post_policy_problem(_form(expires=60), 5, "att", datetime.now(UTC) + timedelta(minutes=5))
    assert late is not None and "Policy expired" in late[2]
