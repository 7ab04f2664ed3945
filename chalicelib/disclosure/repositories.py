"""政府信息公开's records and their key scheme.

Events table, per request (``pk = DREQ#{request_no}``), like a case's log:
``LOG#{seq:08d}``   one record of the request's history, chained by ``prev_hash``/``hash``;
``HEAD``            the last record's ``seq`` and ``hash``.

Cases table:
``DREQ#{request_no} / VIEW``   the request's summary (``domain.summary``); ``gsi1`` ``DREQDEPT#{dept}`` and
                               ``gsi2`` ``DREQS`` by ``{received_on}#{request_no}``. The cases stream carries
                               it to supervision (R15).
``DREQDUE#{request_no} / DUE`` the deadline index entry of an open request whose clock runs: ``gsi2``
                               ``DREQDUE`` by the instant it becomes overdue (what the timer sweeps).

Catalog table (主动公开):
``DISCDIR#{dept} / GUIDE``           the department's 政府信息公开指南 and its categories; ``gsi1`` ``DISCGUIDES``.
``DISCDIR#{dept} / DOC#{doc_id}``    a published document; ``gsi1`` ``DISCDOCS#{dept}`` by
                                     ``{published_on}#{doc_id}``.
``DISCSEQ#{dept}#{year} / SEQ``      the department's running number of index numbers (索引号) in a year.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from chalicelib.kernel import chain
from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item, Page, Stores

from .domain.summary import RequestSummary

EVENTS = "events"
CASES = "cases"
CATALOG = "catalog"
HEAD_SK = "HEAD"
DUE_INDEX = "DREQDUE"


def request_pk(request_no: str) -> str:
    return f"DREQ#{request_no}"


def sweep_key(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Requests:
    """A request's hash-chained log (events table) and its summary (cases table), written together."""

    def __init__(self, stores: Stores):
        self.stores = stores
        self.log = stores.table(EVENTS)
        self.views = stores.table(CASES)

    def records(self, request_no: str) -> list[dict[str, Any]]:
        if len(request_no) > 40:
            return []
        return [i.body for i in self.log.query_all(request_pk(request_no), "LOG#")]

    def head_hash(self, request_no: str) -> str | None:
        """The hash the ``HEAD`` record holds (what the last record's must be)."""
        item = self.log.get(request_pk(request_no), HEAD_SK)
        return str(item.body["hash"]) if item else None

    def summary(self, request_no: str) -> tuple[RequestSummary, Item] | None:
        if len(request_no) > 40:
            return None
        item = self.views.get(request_pk(request_no), "VIEW")
        return (RequestSummary.model_validate(item.body), item) if item else None

    def append(self, request_no: str, record: dict[str, Any], summary: RequestSummary, *,
               read: Item | None, counters: list[CounterDelta] | None = None) -> dict[str, Any]:
        """Seal ``record`` onto the log after ``read`` (the summary as read; None for a new request)
        and store the new summary, the deadline entry and the counters in one transaction.
        ``ConditionFailedError`` when someone else appended meanwhile (or the number is taken)."""
        head_item = self.log.get(request_pk(request_no), HEAD_SK) if read is not None else None
        seq = int(head_item.body["seq"]) + 1 if head_item else 1
        prev = str(head_item.body["hash"]) if head_item else chain.GENESIS
        sealed = chain.seal([{**record, "seq": seq}], prev)[0]
        summary = summary.model_copy(update={"seq": seq})
        pk = request_pk(request_no)
        tx = self.stores.transaction()
        tx.put(EVENTS, Item(pk=pk, sk=f"LOG#{seq:08d}", body=sealed), if_absent=True)
        head = Item(pk=pk, sk=HEAD_SK, body={"seq": seq, "hash": sealed["hash"]},
                    version=head_item.version if head_item else None)
        if head_item is None:
            tx.put(EVENTS, head, if_absent=True)
        else:
            tx.put(EVENTS, head, expected_version=head_item.version)
        view = self._view_item(summary, read.version if read else None)
        if read is None:
            tx.put(CASES, view, if_absent=True)
        else:
            tx.put(CASES, view, expected_version=read.version)
        tx.upsert(CASES, self._due_item(summary))
        if counters:
            tx.add_counters(counters)
        tx.commit()
        return sealed

    @staticmethod
    def _view_item(summary: RequestSummary, version: int | None) -> Item:
        key = f"{summary.received_on.isoformat()}#{summary.request_no}"
        return Item(pk=request_pk(summary.request_no), sk="VIEW", body=summary.model_dump(mode="json"),
                    gsi1pk=f"DREQDEPT#{summary.dept_code}", gsi1sk=key, gsi2pk="DREQS", gsi2sk=key, version=version)

    @staticmethod
    def _due_item(summary: RequestSummary) -> Item:
        at = summary.overdue_at if not summary.closed else None
        return Item(pk=f"DREQDUE#{summary.request_no}", sk="DUE",
                    body={"request_no": summary.request_no, "dept_code": summary.dept_code,
                          "overdue_at": at.isoformat() if at else None},
                    gsi2pk=DUE_INDEX if at else None, gsi2sk=sweep_key(at) if at else None)

    # ----- lists ---------------------------------------------------------------------------------

    def page(self, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        """Newest received first, of one department or of all."""
        pk, index = (f"DREQDEPT#{dept_code}", "gsi1") if dept_code else ("DREQS", "gsi2")
        return self.views.query(pk, index=index, limit=limit, cursor=cursor, forward=False)

    def received_until(self, dept_code: str | None, last_day: str) -> Iterator[RequestSummary]:
        """Every request received on or before ``last_day`` (``YYYY-MM-DD``), of one department or all."""
        pk, index = (f"DREQDEPT#{dept_code}", "gsi1") if dept_code else ("DREQS", "gsi2")
        for it in self.views.query_all(pk, index=index, sk_lte=f"{last_day}#~"):
            yield RequestSummary.model_validate(it.body)


class RequestDeadlines:
    """The deadline index: open requests by the instant they become overdue (sparse ``DREQDUE``)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CASES)

    def due(self, as_of: datetime, cursor: str | None, limit: int = 200) -> Page:
        return self.table.query(DUE_INDEX, index="gsi2", sk_lte=sweep_key(as_of), limit=limit, cursor=cursor)

    def done(self, item: Item) -> None:
        """Take a swept entry out of the index (nothing later is time-driven for it) unless it changed."""
        current = self.table.get(item.pk, item.sk)
        if current is None or current.gsi2sk != item.gsi2sk:
            return  # rescheduled meanwhile by a new act: keep the new instant
        self.table.put(Item(pk=item.pk, sk=item.sk, body={**item.body, "swept": True}))


class Directory:
    """The 主动公开 directory of each department: its guide, categories and documents."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CATALOG)

    def guide(self, dept_code: str) -> Item | None:
        return self.table.get(f"DISCDIR#{dept_code}", "GUIDE")

    def guides(self) -> list[dict[str, Any]]:
        return [i.body for i in self.table.query_all("DISCGUIDES", index="gsi1")]

    def save_guide(self, body: dict[str, Any], version: int | None) -> None:
        self._save(Item(pk=f"DISCDIR#{body['dept_code']}", sk="GUIDE", body=body, gsi1pk="DISCGUIDES",
                        gsi1sk=body["dept_code"], version=version), "公开指南已被他人修改，请刷新后重试")

    def _save(self, item: Item, conflict: str) -> None:
        """New (absent) or changed at the version read; 409 with ``conflict`` otherwise."""
        try:
            if item.version is None:
                self.table.put(item, if_absent=True)
            else:
                self.table.put(item, expected_version=item.version)
        except ConditionFailedError:
            raise ConflictError(conflict) from None

    def document(self, dept_code: str, doc_id: str) -> Item | None:
        if len(doc_id) > 64:
            return None
        return self.table.get(f"DISCDIR#{dept_code}", f"DOC#{doc_id}")

    def documents(self, dept_code: str) -> list[dict[str, Any]]:
        """Every document of the department, newest published first."""
        items = self.table.query_all(f"DISCDOCS#{dept_code}", index="gsi1")
        return [i.body for i in reversed(items)]

    def save_document(self, body: dict[str, Any], version: int | None) -> None:
        self._save(Item(pk=f"DISCDIR#{body['dept_code']}", sk=f"DOC#{body['doc_id']}", body=body,
                        gsi1pk=f"DISCDOCS#{body['dept_code']}", gsi1sk=f"{body['published_on']}#{body['doc_id']}",
                        version=version), "文件已被他人修改，请刷新后重试")

    def next_index(self, dept_code: str, year: int) -> int:
        """The next running number of the department's index numbers in ``year`` (race-free)."""
        for _ in range(20):
            item = self.table.get(f"DISCSEQ#{dept_code}#{year}", "SEQ")
            n = int(item.body["n"]) + 1 if item else 1
            try:
                self.table.put(Item(pk=f"DISCSEQ#{dept_code}#{year}", sk="SEQ", body={"n": n},
                                    version=item.version if item else None),
                               **({"expected_version": item.version} if item else {"if_absent": True}))
                return n
            except ConditionFailedError:
                continue
        raise ConflictError("索引号生成冲突，请重试")
