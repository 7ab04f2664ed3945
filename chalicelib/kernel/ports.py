"""Ports (typing.Protocol) the services depend on; adapters implement them (docs/DESIGN.md §3).

A record is ``(pk, sk)`` plus optional index keys and a JSON body. The generic
``RecordStore`` covers every aggregate; the event store and counters have their own ports
because they need conditional, transactional writes.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass
class Item:
    pk: str
    sk: str
    body: dict[str, Any]
    gsi1pk: str | None = None
    gsi1sk: str | None = None
    gsi2pk: str | None = None
    gsi2sk: str | None = None
    version: int | None = None


@dataclass
class Page:
    items: list[Item]
    next: str | None = None


class ConditionFailedError(Exception):
    """A conditional write lost: the record exists, or changed since it was read."""


class RecordStore(Protocol):
    """One table of generic records."""

    def get(self, pk: str, sk: str) -> Item | None: ...

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Strongly consistent reads of many records in few requests; absent keys are left out."""
        ...

    def put(self, item: Item, *, if_absent: bool = False, expected_version: int | None = None) -> Item: ...

    def query(self, pk: str, sk_prefix: str = "", *, index: str | None = None, limit: int = 50,
              cursor: str | None = None, forward: bool = True, sk_lte: str | None = None) -> Page: ...

    def query_all(self, pk: str, sk_prefix: str = "", *, index: str | None = None,
                  sk_lte: str | None = None) -> list[Item]:
        """Every record of the query, following the pages."""
        ...

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> None:
        """Remove a record; with ``expected_version``, only if it is unchanged since read."""
        ...


@dataclass
class CounterDelta:
    period: str
    dept_code: str
    deltas: dict[str, int] = field(default_factory=dict)


class CounterStore(Protocol):
    def add(self, deltas: Iterable[CounterDelta]) -> None: ...

    def read(self, period: str) -> list[dict[str, Any]]: ...

    def hit(self, key: str, window: str) -> int:
        """Increment a rate-limit counter and return its new value."""
        ...


#: The most writes one transaction may hold (DynamoDB TransactWriteItems); each record at most once.
MAX_TRANSACTION_ACTIONS = 100


class Transaction(Protocol):
    """An all-or-nothing write of several records across tables (≤ ``MAX_TRANSACTION_ACTIONS``).

    A record written with ``if_absent`` is created at version 1; one written with
    ``expected_version=v`` is stored at version v + 1 (as ``RecordStore.put`` does)."""

    def put(self, table: str, item: Item, *, if_absent: bool = False,
            expected_version: int | None = None) -> None: ...

    def require_absent(self, table: str, pk: str, sk: str) -> None:
        """Make the transaction conditional on a record it does not write being absent."""
        ...

    def upsert(self, table: str, item: Item) -> None:
        """Write the record whatever is stored (last writer wins), for derived, re-computable records."""
        ...

    def add_counters(self, deltas: Sequence[CounterDelta]) -> None: ...

    def commit(self) -> None: ...


class Stores(Protocol):
    def table(self, name: str) -> RecordStore: ...

    def counters(self) -> CounterStore: ...

    def transaction(self) -> Transaction: ...


# --------------------------------------------------------------------------- outside the tables


class TaskGoneError(Exception):
    """A waiting process task no longer exists: done already, timed out, or an unknown token
    (what Step Functions answers with TaskDoesNotExist, InvalidToken or TaskTimedOut)."""


class ProcessRunner(Protocol):
    """The case processes of the operation platform (Step Functions in AWS)."""

    def start(self, machine: str, name: str, payload: dict[str, Any]) -> str:
        """Start an execution of the named process; returns its id (the execution ARN)."""
        ...

    def resume(self, token: str, output: dict[str, Any]) -> None:
        """Complete a waiting task with its output; raises :class:`TaskGoneError`."""
        ...

    def heartbeat(self, token: str) -> None:
        """Tell a waiting task it reached the worklist; raises :class:`TaskGoneError` when nothing
        waits for the token any more (done already, or its wait ended)."""
        ...

    def void(self, tokens: Sequence[str], cause: str) -> None:
        """作废: fail every waiting task of a case with ``Sunlit.Voided``; the process definition then
        ends the execution (its ``Voided`` state). A token that has ended already is skipped."""
        ...


class Notifier(Protocol):
    """Tells people about signals and findings (an SNS topic with SMS/email subscribers in AWS)."""

    def notify(self, subject: str, message: dict[str, Any], attributes: dict[str, str]) -> None: ...


class Publisher(Protocol):
    """Publishes static files for the hall (its S3 bucket)."""

    def put_json(self, key: str, doc: Any) -> None: ...

    def put_file(self, key: str, body: bytes, *, content_type: str, cache_control: str,
                 content_encoding: str | None = None) -> None:
        """Store one file as it is to be served (its headers stored with it)."""
        ...

    def list_files(self, prefix: str) -> list[tuple[str, datetime]]:
        """Every file under ``prefix``: (key, last modified)."""
        ...

    def delete_files(self, keys: Sequence[str]) -> None: ...


@dataclass
class FileStat:
    size: int
    content_type: str


class FileStore(Protocol):
    """Private file storage for attachments (an S3 bucket in AWS): uploads go straight from the
    browser with a presigned POST whose policy limits size and type; staff read with short-lived
    presigned GETs. Nothing in it is public."""

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_seconds: int) -> dict[str, Any]:
        """``{"url", "fields"}`` of a browser form that may put one object at ``key`` of that type and size."""
        ...

    def stat(self, key: str) -> FileStat | None:
        """Size and type of the stored object (None: nothing there)."""
        ...

    def copy(self, source: str, target: str) -> None: ...

    def digest(self, key: str, head_bytes: int = 16) -> tuple[str, bytes]:
        """The object's SHA-256 (hex) and its first ``head_bytes`` bytes, read in one pass."""
        ...

    def download_url(self, key: str, filename: str, content_type: str, expires_seconds: int) -> str: ...

    def delete(self, key: str) -> None: ...


class Keys(Protocol):
    """Keys derived from the platform's own secret, one per purpose ("query-password", "cursor"), so a
    value keyed for one use can never be replayed as another (``identity.services.platform``)."""

    def key(self, purpose: str) -> bytes: ...

