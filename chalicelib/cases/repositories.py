"""The case records and their key scheme.

Events table, per case (``pk = CASE#{case_no}``):
``LOG#{seq:08d}``  one stored event version, chained by ``prev_hash``/``hash``; index ``gsi1`` ``EVT#{event_id}``;
``HEAD``           the last record's ``seq`` and ``hash``, the case's ``owner`` (the department that first
                   reported it) and ``ids``, the idempotency map: each stored event's highest
                   ``data_version`` and its ``seq`` (read for many cases in one BatchGetItem);
``ID#{event_id}``  an idempotency marker item, for the events past the map's :data:`MAX_HEAD_IDS` (the
                   HEAD then says ``ids_more``) and in logs written before the map existed.

Cases table:
``CASE#{case_no} / VIEW``      the case view; ``gsi1`` ``DEPT#{dept}`` by last activity; ``gsi2`` ``SWEEP``
                               (sparse: only cases with a future time-driven check) by when the check is due;
``RESULT#{case_no} / RESULT``  the public, masked result; ``gsi1`` ``RESULTS#{dept}``, ``gsi2`` ``RESULTS``;
``PWLOCK#{subject} / LOCK``    a case number's locked password query (``until``); the subject is a hash
                               of the case number, so the lock says nothing of whether the case exists.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.kernel import chain
from chalicelib.kernel.ports import Item, Page, Stores, Transaction

from .domain.case_view import CaseView

EVENTS = "events"
CASES = "cases"
HEAD_SK = "HEAD"
FIRST_LOG_SK = "LOG#00000001"
MARKERS_END = "ID$"  # just above every "ID#…" key
INDEX_END = "9999"  # above every "YYYY-…" activity key
#: How many event ids a case's HEAD keeps in its idempotency map (a case's own events: a license case
#: has 5–15); the events past it keep an ``ID#`` marker item each and the case's appends read them.
MAX_HEAD_IDS = 100


def case_pk(case_no: str) -> str:
    return f"CASE#{case_no}"


def sweep_key(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Head:
    """Where a case's log ends: the ``HEAD`` record (``seq``, ``hash``, ``owner``, the idempotency map
    ``ids``) and its version (None: not yet written).

    ``complete``: the map names every event stored, so appending needs no other read. It does not
    for a log written before the map existed, nor for a case past :data:`MAX_HEAD_IDS` events: their
    other ids are ``ID#`` marker items (``EventLog.tail`` reads them)."""

    seq: int = 0
    hash: str = chain.GENESIS
    version: int | None = None
    owner: str | None = None
    ids: dict[str, tuple[int, int]] = field(default_factory=dict)  # event_id → (data_version, seq)
    complete: bool = True

    @classmethod
    def of(cls, item: Item | None) -> Head:
        if item is None:  # a new case (an append to it is conditioned on its first log slot being free)
            return cls()
        body = item.body
        owner = body.get("owner")
        seq = int(body.get("seq") or 0)
        raw = body.get("ids")
        ids = {str(k): (int(v[0]), int(v[1])) for k, v in raw.items()} if isinstance(raw, dict) else {}
        # A HEAD without a map was written before it existed: complete only while the log is empty.
        complete = (isinstance(raw, dict) or seq == 0) and not body.get("ids_more")
        return cls(seq, str(body.get("hash") or chain.GENESIS), item.version, str(owner) if owner else None,
                   ids, complete)

    def body(self, owner: str) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "hash": self.hash, "owner": self.owner or owner,
                               "ids": {k: [v, s] for k, (v, s) in self.ids.items()}}
        if not self.complete:
            out["ids_more"] = True
        return out

    def with_markers(self, markers: dict[str, Item]) -> Head:
        """This head once the case's ``ID#`` marker items were read beside it (``EventLog.tail``): they
        join the map (the map's entry wins, it is never older), which is complete if they all fit."""
        ids = {eid: (int(m.body["data_version"]), int(m.body.get("seq") or 0)) for eid, m in markers.items()}
        ids.update(self.ids)
        if len(ids) > MAX_HEAD_IDS:
            return self
        return replace(self, ids=ids, complete=True)


@dataclass
class Tail:
    """What appending to a case needs: its head and the idempotency markers by event id."""

    head: Head
    markers: dict[str, Item]


class EventLog:
    """The append-only, hash-chained log of every case (events table)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(EVENTS)

    def heads(self, case_nos: Sequence[str]) -> dict[str, Head]:
        found = self.table.get_many([(case_pk(c), HEAD_SK) for c in case_nos])
        return {c: Head.of(found.get((case_pk(c), HEAD_SK))) for c in case_nos}

    def head(self, case_no: str) -> Head:
        return Head.of(self.table.get(case_pk(case_no), HEAD_SK))

    def tail(self, case_no: str) -> Tail:
        """The head and the markers in one query (HEAD sorts just before the ``ID#`` markers)."""
        pk = case_pk(case_no)
        rows = self.table.query_all(pk, HEAD_SK, sk_lte=MARKERS_END)
        markers = {r.sk[3:]: r for r in rows if r.sk.startswith("ID#")}
        head_item = next((r for r in rows if r.sk == HEAD_SK), None)
        head = Head.of(head_item)
        if head_item is None:  # a log written before HEAD records existed: its last record is the head,
            head = self.legacy_head(case_no)  # and its records say which events it holds
            if head.seq:
                head = replace(head, ids=self.ids_in_log(case_no))
        elif head.owner is None and head.seq > 0:
            head.owner = self.legacy_owner(case_no)
        return Tail(head.with_markers(markers), markers)

    def legacy_owner(self, case_no: str) -> str | None:
        """The owner of a log written before HEAD records named one: its first record's department."""
        first = self.table.query(case_pk(case_no), "LOG#", limit=1).items
        code = str(first[0].body.get("item_code") or "") if first else ""
        return code[6:9] or None

    def ids_in_log(self, case_no: str) -> dict[str, tuple[int, int]]:
        """Each event's highest ``data_version`` in the case's log records, with its ``seq``."""
        ids: dict[str, tuple[int, int]] = {}
        for r in self.records(case_no):
            eid, version = str(r.get("event_id") or ""), int(r.get("data_version") or 0)
            if eid and version >= ids.get(eid, (0, 0))[0]:
                ids[eid] = (version, int(r.get("seq") or 0))
        return ids

    def legacy_head(self, case_no: str) -> Head:
        """Where a log written before HEAD records existed ends (its last record), owned by its first
        record's department; an empty head when the case has no log at all."""
        last = self.table.query(case_pk(case_no), "LOG#", limit=1, forward=False).items
        if not last:
            return Head()
        return Head(int(last[0].sk[4:]), str(last[0].body.get("hash")), None, self.legacy_owner(case_no),
                    complete=False)

    @staticmethod
    def claim(tx: Transaction, case_no: str, owner: str) -> None:
        """Claim a new case for ``owner``: its HEAD (seq 0) written only if absent and only while the
        case's first log slot is free. Committed, the HEAD is at version 1 (``ports.Transaction``)."""
        tx.put(EVENTS, Item(pk=case_pk(case_no), sk=HEAD_SK, body=Head().body(owner)), if_absent=True)
        tx.require_absent(EVENTS, case_pk(case_no), FIRST_LOG_SK)

    def release(self, case_no: str, version: int | None) -> None:
        """Take back a claim (unless appended to since): the events table is append-only (no
        DeleteItem, docs/DOMAIN.md §2.3), so the HEAD is written again with no owner; the next append
        names its owner. Raises ``ConditionFailedError`` when the HEAD moved on."""
        self.table.put(Item(pk=case_pk(case_no), sk=HEAD_SK, body={**Head().body(""), "owner": None}),
                       expected_version=version)

    def records(self, case_no: str) -> list[dict[str, Any]]:
        """The case's log in sequence order."""
        return [i.body for i in self.table.query_all(case_pk(case_no), "LOG#")]

    def by_seq(self, wanted: dict[str, range]) -> dict[str, list[dict[str, Any]]]:
        """Log records of many cases by sequence number, in one read (BatchGetItem): each case's
        records of its range in order, only for the cases whose every record was found."""
        found = self.table.get_many([(case_pk(c), f"LOG#{seq:08d}") for c, seqs in wanted.items() for seq in seqs])
        out: dict[str, list[dict[str, Any]]] = {}
        for c, seqs in wanted.items():
            records = [found.get((case_pk(c), f"LOG#{seq:08d}")) for seq in seqs]
            if all(r is not None for r in records):
                out[c] = [r.body for r in records if r is not None]
        return out

    def exists(self, case_no: str) -> bool:
        return bool(self.table.query(case_pk(case_no), "LOG#", limit=1).items)

    def marker_ids(self, case_no: str) -> list[str]:
        """The ids of the case's stored events (its HEAD's map, and its marker items where the map is not all)."""
        head = self.head(case_no)
        if head.complete and head.version is not None:
            return list(head.ids)
        items = self.table.query(case_pk(case_no), "ID#", limit=1000).items
        return list(dict.fromkeys([*head.ids, *(str(m.body.get("event_id", "")) for m in items)]))

    @staticmethod
    def put_record(tx: Transaction, case_no: str, record: dict[str, Any]) -> None:
        """A new log record (its slot must be free)."""
        tx.put(EVENTS, Item(pk=case_pk(case_no), sk=f"LOG#{record['seq']:08d}", body=record,
                            gsi1pk=f"EVT#{record['event_id']}", gsi1sk=f"{record['data_version']:06d}"), if_absent=True)

    @staticmethod
    def put_marker(tx: Transaction, case_no: str, event_id: str, data_version: int, seq: int,
                   read: Item | None) -> None:
        """The event's marker: new (absent), or moved on from the version ``read``."""
        item = Item(pk=case_pk(case_no), sk=f"ID#{event_id}",
                    body={"event_id": event_id, "data_version": data_version, "seq": seq},
                    version=read.version if read else None)
        if read:
            tx.put(EVENTS, item, expected_version=read.version)
        else:
            tx.put(EVENTS, item, if_absent=True)

    @staticmethod
    def put_head(tx: Transaction, case_no: str, seq: int, hash_: str, read: Head, owner: str,
                 ids: dict[str, tuple[int, int]], complete: bool) -> None:
        """The new head with its idempotency map, conditioned on the head read (or on none existing);
        its owner stays the one read (a case's owner never changes), else becomes ``owner``."""
        head = Head(seq, hash_, owner=read.owner, ids=ids, complete=complete)
        item = Item(pk=case_pk(case_no), sk=HEAD_SK, body=head.body(owner), version=read.version)
        if read.version is None:
            tx.put(EVENTS, item, if_absent=True)
        else:
            tx.put(EVENTS, item, expected_version=read.version)


class CaseViews:
    """The projected view of every case (cases table)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CASES)

    @staticmethod
    def key(case_no: str) -> tuple[str, str]:
        return (case_pk(case_no), "VIEW")

    def get(self, case_no: str) -> Item | None:
        return self.table.get(*self.key(case_no))

    def get_many(self, case_nos: Sequence[str]) -> dict[tuple[str, str], Item]:
        return self.table.get_many([self.key(c) for c in case_nos])

    @staticmethod
    def item(view: CaseView, body: dict[str, Any], sweep_at: str | None, version: int | None) -> Item:
        pk, sk = CaseViews.key(view.case_no)
        return Item(pk=pk, sk=sk, body=body, gsi1pk=f"DEPT#{view.dept_code}",
                    gsi1sk=(view.last_event_at.isoformat() if view.last_event_at else "") + "#" + view.case_no,
                    gsi2pk="SWEEP" if sweep_at else None, gsi2sk=sweep_at, version=version)

    @staticmethod
    def put(tx: Transaction, item: Item) -> None:
        """The view, conditioned on the version read (or on none existing)."""
        if item.version is not None:
            tx.put(CASES, item, expected_version=item.version)
        else:
            tx.put(CASES, item, if_absent=True)

    def due(self, as_of: datetime, cursor: str | None, limit: int = 200) -> Page:
        """Open cases whose next time-driven check is at or before ``as_of`` (sparse ``SWEEP`` index)."""
        return self.table.query("SWEEP", index="gsi2", sk_lte=sweep_key(as_of), limit=limit, cursor=cursor)

    def reschedule(self, item: Item, at: datetime | None) -> None:
        """Move the case's next check to ``at`` (None: out of the sweep); at the version read."""
        item.gsi2pk = "SWEEP" if at else None
        item.gsi2sk = sweep_key(at) if at else None
        self.table.put(item, expected_version=item.version)

    def of_department(self, dept_code: str) -> list[dict[str, Any]]:
        """Every case view of a department (the board counts its open ones)."""
        return [it.body for it in self.table.query_all(f"DEPT#{dept_code}", index="gsi1")]

    def active_since(self, dept_code: str, since: str) -> Iterator[CaseView]:
        """The department's cases last active at or after ``since`` (an ISO instant)."""
        for it in self.table.query_all(f"DEPT#{dept_code}", since, index="gsi1", sk_lte=INDEX_END):
            yield CaseView.model_validate(it.body)


class PublicResults:
    """Published results (结果公开): concluded cases and penalty decisions, masked."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CASES)

    @staticmethod
    def item(case_no: str, dept_code: str, doc: dict[str, Any]) -> Item:
        when = doc["concluded_at"] or ""
        return Item(pk=f"RESULT#{case_no}", sk="RESULT", body=doc, gsi1pk=f"RESULTS#{dept_code}",
                    gsi1sk=f"{when}#{case_no}", gsi2pk="RESULTS", gsi2sk=f"{when}#{case_no}")

    def page(self, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        """Newest first, of one department or of all."""
        pk, index = (f"RESULTS#{dept_code}", "gsi1") if dept_code else ("RESULTS", "gsi2")
        return self.table.query(pk, index=index, limit=limit, cursor=cursor, forward=False)

    def all(self) -> list[dict[str, Any]]:
        return [i.body for i in self.table.query_all("RESULTS", index="gsi2")]


class QueryLocks:
    """Locks of the public password query per case number (查询密码错误次数过多)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CASES)

    def locked_until(self, subject: str) -> str | None:
        lock = self.table.get(f"PWLOCK#{subject}", "LOCK")
        return str(lock.body["until"]) if lock and lock.body.get("until") else None

    def lock(self, subject: str, until: str) -> None:
        self.table.put(Item(pk=f"PWLOCK#{subject}", sk="LOCK", body={"until": until}))

