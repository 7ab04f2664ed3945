"""Where a local stream poller writes its position (``devstack.pollers.Checkpoints``).

Lambda keeps an event-source mapping's position inside the service; the local stand-in keeps it in
a moto table so a restarted stack resumes where it stood. It is written once the stream runs dry (at
most once a second), at most every ``CHECKPOINT_SECONDS`` while batches keep coming, and on stop — not
after every batch (a ``PutItem`` per batch per consumer that Lambda does not make)."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from devstack import pollers
from devstack.provision import Mapping


class Streams:
    """A one-shard stream handing out ``batches`` one per ``get_records``, then nothing."""

    def __init__(self, batches: list[list[str]]):
        self.batches = list(batches)

    def describe_stream(self, StreamArn: str) -> dict[str, Any]:
        return {"StreamDescription": {"Shards": [{"ShardId": "shard-1"}]}}

    def get_shard_iterator(self, **kwargs: Any) -> dict[str, Any]:
        return {"ShardIterator": "it"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        seqs = self.batches.pop(0) if self.batches else []
        return {"NextShardIterator": "it", "Records": [
            {"eventName": "INSERT", "dynamodb": {"SequenceNumber": s, "Keys": {"pk": {"S": "CASE#1"}}}} for s in seqs]}


class Saved:
    def __init__(self) -> None:
        self.puts: list[tuple[str, str, str]] = []

    def get(self, function: str, shard_id: str) -> str | None:
        return None

    def put(self, function: str, shard_id: str, seq: str) -> None:
        self.puts.append((function, shard_id, seq))


def poller(batches: list[list[str]], saved: Saved, delivered: list[str]) -> pollers.StreamPoller:
    mapping = Mapping("M", "project_events", "arn:stream", 100, 2, True, None)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        delivered.extend(r["dynamodb"]["SequenceNumber"] for r in event["Records"])
        return {"batchItemFailures": []}

    return pollers.StreamPoller({"dynamodbstreams": Streams(batches), "sqs": None}, mapping, handler, None,
                                "us-east-1", threading.Event(), checkpoints=saved)  # type: ignore[arg-type]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [100.0]
    monkeypatch.setattr(pollers.time, "monotonic", lambda: now[0])
    return now


def test_a_burst_of_batches_writes_its_position_once_when_the_stream_runs_dry(clock: list[float]) -> None:
    saved, delivered = Saved(), []
    p = poller([["1", "2"], ["3"], ["4", "5"]], saved, delivered)
    clock[0] += pollers.CHECKPOINT_DRY_SECONDS
    assert [p.poll_once() for _ in range(3)] == [2, 1, 2]
    assert saved.puts == []  # nothing written while batches keep coming
    assert p.poll_once() == 0  # the stream ran dry: the position after the last delivered batch
    assert saved.puts == [("project_events", "shard-1", "5")] and delivered == ["1", "2", "3", "4", "5"]
    assert p.poll_once() == 0 and len(saved.puts) == 1  # nothing new: nothing written


def test_a_stream_running_dry_again_within_a_second_waits_for_the_next_dry_poll(clock: list[float]) -> None:
    saved = Saved()
    p = poller([["1"], [], ["2"]], saved, [])
    clock[0] += pollers.CHECKPOINT_DRY_SECONDS
    p.poll_once(), p.poll_once()
    assert saved.puts == [("project_events", "shard-1", "1")]
    p.poll_once()
    assert p.poll_once() == 0 and len(saved.puts) == 1  # dry again at once: not yet
    clock[0] += pollers.CHECKPOINT_DRY_SECONDS
    assert p.poll_once() == 0 and saved.puts[-1] == ("project_events", "shard-1", "2")


def test_a_long_burst_writes_its_position_every_few_seconds(clock: list[float]) -> None:
    saved = Saved()
    p = poller([[str(n)] for n in range(1, 6)], saved, [])
    p.poll_once()
    clock[0] += pollers.CHECKPOINT_SECONDS
    p.poll_once()  # a batch after CHECKPOINT_SECONDS of batches: written although more may come
    assert saved.puts == [("project_events", "shard-1", "2")]


def test_a_stopping_poller_writes_where_it_stands() -> None:
    saved = Saved()
    p = poller([["1"], ["2"]], saved, [])
    p.poll_once()
    p.stop_event.set()
    p.run()  # the loop ends at once and saves on its way out
    assert saved.puts == [("project_events", "shard-1", "1")]
