"""Answers of the operations routes: the stream dead-letter queue."""
from __future__ import annotations

from pydantic import Field

from . import Answer, Page


class ParkedBatch(Answer):
    """A batch of stream records parked in the dead-letter queue after its retries ran out."""

    message_id: str
    function: str | None = Field(description="the stream consumer whose retries ran out")
    error: str | None = None
    condition: str | None = None
    parked_at: str | None = None
    stream_arn: str | None = None
    shard_id: str | None = None
    start_sequence_number: str | None = None
    end_sequence_number: str | None = None
    batch_size: int | None = None
    records_in_message: int = 0
    keys: list[str] = Field(default=[], description="``pk|sk`` of each record (never the record's contents)")


class ReplayReport(Answer):
    """What one replay run did; ``remaining`` counts messages left in the queue afterwards."""

    messages: int
    replayed_messages: int
    replayed_records: int
    failed_messages: int
    expired_messages: int
    errors: list[dict[str, str]]


class ParkedBatches(Page[ParkedBatch]):
    """A page of ParkedBatch (``items``, ``next``)."""
