"""Local stand-ins for Lambda's event-source mappings, with the same event shape and failure
semantics: batches in shard order, partial-batch responses, bisect on error, a finite number
of retries, then an on-failure record in the dead-letter queue (plus, locally, the records
themselves so ``make replay-dlq`` can replay after the stream has moved on).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.dlq import lambda_record

from .iam import acting_as
from .provision import Mapping

log = logging.getLogger("sunlit.devstack")
MAX_DLQ_MESSAGE_BYTES = 250_000
POLL_SECONDS = 0.25  # Lambda polls each DynamoDB stream shard four times per second
SHARD_REFRESH_SECONDS = 30.0  # shard discovery is periodic, not part of every poll
#: While batches keep coming, a mapping's position is written at most this often; once the stream
#: runs dry, at most every ``CHECKPOINT_DRY_SECONDS``; always when the poller stops (``Checkpoints``).
CHECKPOINT_SECONDS = 5.0
CHECKPOINT_DRY_SECONDS = 1.0
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class PollerStats:
    batches: int = 0
    records: int = 0
    failures: int = 0
    parked: int = 0
    lag: int = 0
    last_activity: float = field(default_factory=time.monotonic)


class LambdaContext:
    def __init__(self, name: str):
        self.function_name = name
        self.aws_request_id = f"local-{time.time_ns()}"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def invoke_with_semantics(handler: Handler, name: str, records: list[dict[str, Any]], mapping: Mapping,
                          park: Callable[[list[dict[str, Any]], str], None], stats: PollerStats) -> None:
    """Deliver ``records`` until each is processed or parked, as Lambda does for streams."""
    pending: list[tuple[list[dict[str, Any]], int]] = [(records, 0)]
    while pending:
        batch, attempt = pending.pop(0)
        if not batch:
            continue
        stats.batches += 1
        error: str | None = None
        failed_from: int | None = None
        try:
            result = handler({"Records": batch}, LambdaContext(name)) or {}
            failures = result.get("batchItemFailures") or []
            if failures:
                seqs = [r["dynamodb"]["SequenceNumber"] for r in batch]
                ident = failures[0].get("itemIdentifier")
                failed_from = seqs.index(ident) if ident in seqs else 0
                error = f"partial batch failure at {ident}"
        except Exception as exc:  # noqa: BLE001 - the function errored: the whole batch failed
            failed_from = 0
            error = f"{type(exc).__name__}: {exc}"
        if failed_from is None:
            stats.records += len(batch)
            continue
        stats.failures += 1
        stats.records += failed_from
        remaining = batch[failed_from:]
        if attempt >= mapping.max_retries:
            park(remaining, error or "failed")
            stats.parked += len(remaining)
            continue
        if mapping.bisect and len(remaining) > 1:
            half = len(remaining) // 2
            pending[:0] = [(remaining[:half], attempt + 1), (remaining[half:], attempt + 1)]
        else:
            pending.insert(0, (remaining, attempt + 1))


class Checkpoints:
    """Where each local event-source mapping stands in each shard, kept in moto (a small table)
    so a restarted stack resumes after the last delivered batch instead of from TRIM_HORIZON.

    Lambda keeps an event-source mapping's position inside the service, at no cost to the function;
    locally it is a ``PutItem`` in the same moto the pipeline runs on. Writing it after every batch
    cost ~4% of the ingest benchmark's CPU (one write per batch per consumer), so the poller holds
    the position in memory and writes it once the stream runs dry (a poll that finds nothing, at
    most once a second), at most every ``CHECKPOINT_SECONDS`` while batches keep coming, and on stop.
    A crash in between redelivers the batches since the last write, which the consumers absorb (each
    is idempotent, as a redelivery after a crash between a batch and its checkpoint always required)."""

    def __init__(self, ddb: Any, table: str):
        self.ddb = ddb
        self.table = table

    def get(self, function: str, shard_id: str) -> str | None:
        with acting_as(None):  # the local stack's own bookkeeping, not the function's
            item = self.ddb.get_item(TableName=self.table, Key={"id": {"S": f"{function}|{shard_id}"}},
                                     ConsistentRead=True).get("Item")
        return str(item["seq"]["S"]) if item else None

    def put(self, function: str, shard_id: str, seq: str) -> None:
        item = {"id": {"S": f"{function}|{shard_id}"}, "seq": {"S": seq},
                "at": {"S": datetime.now(UTC).isoformat()}}
        with acting_as(None):
            self.ddb.put_item(TableName=self.table, Item=item)


class Activity:
    """The pipeline's shared clock of work, so "idle" can be proven rather than guessed from timing.

    Every poll starts with a ``tick``; a poll that handled work ends with ``worked``. The pipeline is
    settled when every consumer has *started* a poll that found nothing after the last work anywhere
    finished (and after the caller began waiting): work one consumer writes for another is then either
    already seen by that other consumer or still ahead of its next, empty-proving poll. A quiet spell
    alone cannot prove this on a loaded machine, where a consumer's thread may not run for a second."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = 0
        self.last_work = 0

    def tick(self) -> int:
        with self._lock:
            self._now += 1
            return self._now

    def worked(self) -> None:
        with self._lock:
            self._now += 1
            self.last_work = self._now


class StreamPoller(threading.Thread):
    def __init__(self, clients: dict[str, Any], mapping: Mapping, handler: Handler, dlq_url: str | None,
                 region: str, stop: threading.Event, interval: float = POLL_SECONDS,
                 checkpoints: Checkpoints | None = None, identity: str | None = None,
                 activity: Activity | None = None):
        super().__init__(name=f"stream-{mapping.function}", daemon=True)
        self.activity = activity or Activity()
        #: The tick at which the latest poll that found nothing began (0: none yet).
        self.calm_from = 0
        #: Lambda's event-source mapping reads the stream, invokes the function and parks failures
        #: with the function's role; only the checkpoint (the mapping's own memory) is local.
        self.identity = identity
        self.streams = clients["dynamodbstreams"]
        self.sqs = clients["sqs"]
        self.checkpoints = checkpoints
        self.mapping = mapping
        self.handler = handler
        self.dlq_url = dlq_url
        self.region = region
        self.stop_event = stop
        self.interval = interval
        self.stats = PollerStats()
        self.iterators: dict[str, str | None] = {}
        self.shards_refreshed_at: float | None = None
        self.idle = threading.Event()
        #: Positions delivered but not yet written to ``checkpoints`` (shard → sequence number).
        self.unsaved: dict[str, str] = {}
        self.saved_at = time.monotonic()

    def park(self, records: list[dict[str, Any]], error: str, shard_id: str = "") -> None:
        seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
        message = {
            "requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": self.mapping.function,
                               "approximateInvokeCount": self.mapping.max_retries + 1},
            "responseContext": {"functionError": error[:500]},
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(),
            "DDBStreamBatchInfo": {"shardId": shard_id, "startSequenceNumber": seqs[0],
                                   "endSequenceNumber": seqs[-1], "batchSize": len(records),
                                   "streamArn": self.mapping.source_arn},
            "function": self.mapping.function,
        }
        # Local extension: the records themselves, so a replay never depends on stream retention —
        # unless that would exceed SQS's message size; replay then re-reads the range, as in AWS.
        with_records = json.dumps({**message, "records": records})
        body = with_records if len(with_records.encode()) <= MAX_DLQ_MESSAGE_BYTES else json.dumps(message)
        if self.dlq_url:
            self.sqs.send_message(QueueUrl=self.dlq_url, MessageBody=body)
        log.warning("parked %d record(s) of %s in the dead-letter queue: %s", len(records),
                    self.mapping.function, error)

    def _refresh_shards(self) -> None:
        """Discover shards (and where to start reading them) on the first poll, then every
        ``SHARD_REFRESH_SECONDS`` — not on every poll."""
        now = time.monotonic()
        if self.shards_refreshed_at is not None and now - self.shards_refreshed_at < SHARD_REFRESH_SECONDS:
            return
        desc = self.streams.describe_stream(StreamArn=self.mapping.source_arn)["StreamDescription"]
        for shard in desc["Shards"]:
            sid = shard["ShardId"]
            if sid not in self.iterators:
                after = self.checkpoints.get(self.mapping.function, sid) if self.checkpoints else None
                position: dict[str, str] = (
                    {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after
                    else {"ShardIteratorType": "TRIM_HORIZON"})
                self.iterators[sid] = self.streams.get_shard_iterator(
                    StreamArn=self.mapping.source_arn, ShardId=sid, **position)["ShardIterator"]
        self.shards_refreshed_at = now  # only once discovery succeeded: a failure retries on the next poll

    def poll_once(self) -> int:
        with acting_as(self.identity):
            self._refresh_shards()
        got = 0
        for sid, iterator in list(self.iterators.items()):
            if iterator is None:
                continue
            with acting_as(self.identity):
                resp = self.streams.get_records(ShardIterator=iterator, Limit=self.mapping.batch_size)
            self.iterators[sid] = resp.get("NextShardIterator")
            records = resp.get("Records", [])
            if not records:
                continue
            self.idle.clear()  # busy from the moment work is found, not only once it is done
            records = [lambda_record(rec, self.mapping.source_arn, self.region) for rec in records]
            got += len(records)

            def park(recs: list[dict[str, Any]], error: str, shard_id: str = sid) -> None:
                self.park(recs, error, shard_id)

            with acting_as(self.identity):
                invoke_with_semantics(self.handler, self.mapping.function, records, self.mapping, park,
                                      self.stats)
            # Every record is now processed or parked: move the mapping's position past the batch
            # (written by ``save_checkpoints``; a crash before that redelivers, idempotent consumers absorb it).
            self.unsaved[sid] = records[-1]["dynamodb"]["SequenceNumber"]
            self.stats.last_activity = time.monotonic()
        if time.monotonic() - self.saved_at >= (CHECKPOINT_DRY_SECONDS if not got else CHECKPOINT_SECONDS):
            self.save_checkpoints()
        return got

    def save_checkpoints(self) -> None:
        """Write the positions delivered since the last write (nothing when there are none)."""
        self.saved_at = time.monotonic()
        while self.unsaved and self.checkpoints:
            sid, seq = next(iter(self.unsaved.items()))
            self.checkpoints.put(self.mapping.function, sid, seq)
            if self.unsaved.get(sid) == seq:
                del self.unsaved[sid]

    def run(self) -> None:
        while not self.stop_event.is_set():
            started = self.activity.tick()
            try:
                got = self.poll_once()
            except Exception:
                log.exception("stream poller %s", self.mapping.function)
                got = -1  # neither work nor proof of its absence
            if got > 0:
                self.activity.worked()
                self.idle.clear()
            else:
                if got == 0:
                    self.calm_from = started
                self.idle.set()
                self.stop_event.wait(self.interval)
        try:
            self.save_checkpoints()
        except Exception:
            log.exception("saving the checkpoints of %s", self.mapping.function)


class QueuePoller(threading.Thread):
    """SQS → function, like an SQS event source mapping (failed messages return to the queue
    and reach the queue's own dead-letter queue after maxReceiveCount)."""

    def __init__(self, clients: dict[str, Any], queue_url: str, name: str, handler: Handler,
                 stop: threading.Event, identity: str | None = None, activity: Activity | None = None):
        super().__init__(name=f"queue-{name}", daemon=True)
        self.activity = activity or Activity()
        self.calm_from = 0  # as StreamPoller.calm_from
        self.identity = identity
        self.sqs = clients["sqs"]
        self.queue_url = queue_url
        self.fn_name = name
        self.handler = handler
        self.stop_event = stop
        self.idle = threading.Event()

    def run(self) -> None:
        with acting_as(self.identity):  # the whole mapping works with the function's role
            self._run()

    def _run(self) -> None:
        while not self.stop_event.is_set():
            started = self.activity.tick()
            try:
                msgs = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                                WaitTimeSeconds=1, AttributeNames=["All"]).get("Messages", [])
            except Exception:
                log.exception("queue poller %s", self.fn_name)
                self.stop_event.wait(0.5)
                continue
            if not msgs:
                self.calm_from = started
                self.idle.set()
                continue
            self.idle.clear()
            records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                        "attributes": m.get("Attributes", {}), "eventSource": "aws:sqs"} for m in msgs]
            try:
                result = self.handler({"Records": records}, LambdaContext(self.fn_name)) or {}
                failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
            except Exception:
                log.exception("queue handler %s", self.fn_name)
                failed = {r["messageId"] for r in records}
            for r in records:
                if r["messageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=r["receiptHandle"])
            self.activity.worked()


def replay_dlq(clients: dict[str, Any], dlq_url: str, handlers: dict[str, Handler],
               max_messages: int = 10_000, region: str = "") -> dict[str, int]:
    """Re-deliver parked batches to their function (the same code as ``POST /admin/dlq/replay``):
    the records in the message when present, else the shard range re-read from the stream."""
    from chalicelib.adapters import dlq

    report = dlq.replay(clients["sqs"], clients["dynamodbstreams"], dlq_url, handlers,
                        max_messages=max_messages, region=region)
    return {"replayed_records": report.replayed_records, "replayed_messages": report.replayed_messages,
            "failed_messages": report.failed_messages, "expired_messages": report.expired_messages}
