"""The stream dead-letter queue (死信队列): list parked batches and replay them.

When a stream consumer keeps failing on a batch, the event-source mapping gives up after its
retries and sends an *on-failure record* to the queue: which function, why, and the shard and
sequence range of the batch (``DDBStreamBatchInfo``) — not the records themselves. The local
stack adds the records to the message (``records``) so a replay never depends on stream
retention; in AWS, replay re-reads the shard by that range (possible for 24 hours).

Replay hands the records to the same consumer function again. A message is deleted only when
the function took the whole batch; consumers are idempotent, so replaying twice is harmless.
Clients are passed in (an SQS client and a DynamoDB Streams client), so this module stays free
of AWS imports.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .aws import client

Handler = Callable[[dict[str, Any], Any], Any]

#: Stream consumers by function name (``chalicelib.handlers.streams``).
CONSUMERS = ("project_events", "supervise_cases", "legal_check_cases")
PEEK_VISIBILITY_SECONDS = 20
REPLAY_VISIBILITY_SECONDS = 60
MAX_EMPTY_PAGES = 20
MAX_LISTED_KEYS = 50


@dataclass
class ReplayReport:
    """What one replay run did. ``remaining`` counts messages left in the queue afterwards."""

    messages: int = 0
    replayed_messages: int = 0
    replayed_records: int = 0
    failed_messages: int = 0
    expired_messages: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"messages": self.messages, "replayed_messages": self.replayed_messages,
                "replayed_records": self.replayed_records, "failed_messages": self.failed_messages,
                "expired_messages": self.expired_messages, "errors": self.errors[:50]}


class ReplayContext:
    """The ``context`` argument a consumer gets when replayed (Lambda-like)."""

    def __init__(self, name: str):
        self.function_name = name
        self.aws_request_id = f"dlq-replay-{name}"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def function_of(body: Mapping[str, Any]) -> str | None:
    """The consumer a parked batch belongs to: the local ``function`` field, else the name at the
    end of the on-failure record's ``requestContext.functionArn``
    (``…:function:sunlit-prod-project_events``)."""
    named = body.get("function")
    if isinstance(named, str) and named in CONSUMERS:
        return named
    arn = str((body.get("requestContext") or {}).get("functionArn") or "")
    tail = arn.rsplit(":", 1)[-1]
    for name in CONSUMERS:
        if tail.endswith(name):
            return name
    return None


def describe(message_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """One parked batch as the admin list shows it (no record contents: they may hold personal data)."""
    info = body.get("DDBStreamBatchInfo") or {}
    records = body.get("records")
    return {
        "message_id": message_id,
        "function": function_of(body),
        "condition": (body.get("requestContext") or {}).get("condition"),
        "error": str((body.get("responseContext") or {}).get("functionError") or "")[:500],
        "parked_at": body.get("timestamp"),
        "stream_arn": info.get("streamArn"),
        "shard_id": info.get("shardId"),
        "start_sequence_number": info.get("startSequenceNumber"),
        "end_sequence_number": info.get("endSequenceNumber"),
        "batch_size": info.get("batchSize"),
        "records_in_message": len(records) if isinstance(records, list) else 0,
        "keys": _keys(records)[:MAX_LISTED_KEYS],
    }


def _keys(records: Any) -> list[str]:
    """``pk|sk`` of each record (case numbers and record slots — never the record's contents)."""
    if not isinstance(records, list):
        return []
    out: list[str] = []
    for rec in records:
        keys = ((rec or {}).get("dynamodb") or {}).get("Keys") or {}
        out.append(f"{(keys.get('pk') or {}).get('S', '')}|{(keys.get('sk') or {}).get('S', '')}")
    return out


def _parse(message: Mapping[str, Any]) -> dict[str, Any] | None:
    try:
        body = json.loads(message.get("Body") or "")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def list_parked(sqs: Any, queue_url: str, limit: int = 100) -> list[dict[str, Any]]:
    """Peek at up to ``limit`` parked batches: receive them briefly, then make them visible again."""
    seen: dict[str, dict[str, Any]] = {}
    handles: list[str] = []
    try:
        while len(seen) < limit:
            msgs = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=min(10, limit - len(seen)),
                                       WaitTimeSeconds=0, VisibilityTimeout=PEEK_VISIBILITY_SECONDS,
                                       AttributeNames=["SentTimestamp"]).get("Messages", [])
            fresh = [m for m in msgs if m["MessageId"] not in seen]
            handles.extend(m["ReceiptHandle"] for m in msgs)
            if not fresh:
                break
            for m in fresh:
                body = _parse(m)
                seen[m["MessageId"]] = (describe(m["MessageId"], body) if body is not None
                                        else {"message_id": m["MessageId"], "function": None,
                                              "error": "无法解析的消息"})
    finally:
        _release(sqs, queue_url, handles)
    return sorted(seen.values(), key=lambda d: (str(d.get("parked_at") or ""), d["message_id"]))


def _release(sqs: Any, queue_url: str, handles: list[str]) -> None:
    for i in range(0, len(handles), 10):
        entries = [{"Id": str(n), "ReceiptHandle": h, "VisibilityTimeout": 0}
                   for n, h in enumerate(handles[i:i + 10])]
        sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)


def read_range(streams: Any, info: Mapping[str, Any], region: str = "") -> list[dict[str, Any]]:
    """Re-read a parked batch from its shard: the records from ``startSequenceNumber`` to
    ``endSequenceNumber`` inclusive, shaped as the mapping delivered them. Empty when the stream
    no longer holds them (retention is 24 hours in AWS)."""
    stream_arn = str(info.get("streamArn") or "")
    shard_id = str(info.get("shardId") or "")
    start, end = str(info.get("startSequenceNumber") or ""), str(info.get("endSequenceNumber") or "")
    if not (stream_arn and shard_id and start and end):
        return []
    try:
        iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id,
                                              ShardIteratorType="AT_SEQUENCE_NUMBER",
                                              SequenceNumber=start)["ShardIterator"]
    except Exception:  # noqa: BLE001 - trimmed or unknown shard: the records are gone
        return []
    out: list[dict[str, Any]] = []
    empty = 0
    wanted = int(info.get("batchSize") or 0) or None
    while iterator and empty < MAX_EMPTY_PAGES:
        resp = streams.get_records(ShardIterator=iterator, Limit=100)
        iterator = resp.get("NextShardIterator")
        records = resp.get("Records", [])
        if not records:
            empty += 1
            continue
        for rec in records:
            seq = rec["dynamodb"]["SequenceNumber"]
            if _seq(seq) > _seq(end):
                return out
            if _seq(seq) >= _seq(start):
                out.append(lambda_record(rec, stream_arn, region))
        if wanted is not None and len(out) >= wanted:
            return out
    return out


def lambda_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A ``GetRecords`` record in the shape Lambda delivers it (JSON-safe: the creation time in
    epoch seconds, the source stream and region named)."""
    out = dict(record)
    ddb = dict(out.get("dynamodb") or {})
    created = ddb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        ddb["ApproximateCreationDateTime"] = created.timestamp()
    out["dynamodb"] = ddb
    out["eventSourceARN"] = stream_arn
    out["eventSource"] = "aws:dynamodb"
    if region:
        out["awsRegion"] = region
    return out


def _seq(value: str) -> int:
    return int(value) if value.isdigit() else 0


def replay(sqs: Any, streams: Any, queue_url: str, handlers: Mapping[str, Handler], *,
           max_messages: int = 100, region: str = "") -> ReplayReport:
    """Re-deliver up to ``max_messages`` parked batches to their consumer; delete each that succeeds.

    A batch that fails again stays in the queue (visible again at once) and is counted in
    ``failed_messages``; one whose records the stream no longer holds is ``expired_messages``.
    """
    report = ReplayReport()
    keep: list[str] = []  # failed this run: stay invisible until the end so the walk moves on
    try:
        while report.messages < max_messages:
            msgs = sqs.receive_message(QueueUrl=queue_url,
                                       MaxNumberOfMessages=min(10, max_messages - report.messages),
                                       WaitTimeSeconds=0, VisibilityTimeout=REPLAY_VISIBILITY_SECONDS
                                       ).get("Messages", [])
            if not msgs:
                break
            for m in msgs:
                report.messages += 1
                outcome, count, error = _replay_one(streams, _parse(m), handlers, region)
                if outcome == "ok":
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
                    report.replayed_messages += 1
                    report.replayed_records += count
                    continue
                keep.append(m["ReceiptHandle"])
                if outcome == "expired":
                    report.expired_messages += 1
                else:
                    report.failed_messages += 1
                report.errors.append({"message_id": m["MessageId"], "error": error[:300]})
    finally:
        _release(sqs, queue_url, keep)
    return report


def _replay_one(streams: Any, body: dict[str, Any] | None, handlers: Mapping[str, Handler],
                region: str) -> tuple[str, int, str]:
    if body is None:
        return "failed", 0, "无法解析的消息"
    name = function_of(body)
    handler = handlers.get(name or "")
    if name is None or handler is None:
        named = body.get("function") or (body.get("requestContext") or {}).get("functionArn")
        return "failed", 0, f"未知的处理函数：{named}"
    records = body.get("records")
    if not isinstance(records, list):
        records = read_range(streams, body.get("DDBStreamBatchInfo") or {}, region)
        if not records:
            return "expired", 0, "数据流中已无这些记录（超过保留期）"
    try:
        result = handler({"Records": records}, ReplayContext(name)) or {}
    except Exception as exc:  # noqa: BLE001 - the consumer failed again: keep the message
        return "failed", 0, f"{type(exc).__name__}: {exc}"
    if result.get("batchItemFailures"):
        return "failed", 0, f"部分失败：{result['batchItemFailures'][0].get('itemIdentifier')}"
    return "ok", len(records), ""


class DeadLetterQueue:
    """This stage's stream dead-letter queue, with the clients it needs (built by ``wiring``)."""

    def __init__(self, queue_url: str, region: str):
        self.queue_url = queue_url
        self.region = region
        self._client = client

    def parked(self, limit: int) -> list[dict[str, Any]]:
        return list_parked(self._client("sqs"), self.queue_url, limit)

    def replay(self, handlers: Mapping[str, Handler], max_messages: int) -> ReplayReport:
        return replay(self._client("sqs"), self._client("dynamodbstreams"), self.queue_url, handlers,
                      max_messages=max_messages, region=self.region)
