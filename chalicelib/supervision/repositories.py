"""Administrative supervision's records and their key scheme.

Oversight table:
``SIG#{id} / SIG``, ``FND#{id} / FND``   a signal or finding; ``gsi1`` ``{kind}DEPT#{dept}``, ``gsi2`` ``{kind}S``
                                        (newest first by ``{raised_at}#{id}``); ``{kind}CASE#{case_no} / {id}``
                                        points from a case to its records.
``SIGTO#legal / {raised_at}#{id}``      signals addressed to the legal office (法制办), newest first.
``SIGMARK#{case_no} / SIGMARK``         the case has (or had) a withdrawable signal (``records.WITHDRAWABLE``):
                                        written before such a signal, so a case without it has none, and
                                        the supervision stream reads the markers of a whole batch at once.
``EXPLAINDUE / {explain_by}#{id}``      red signals waiting for the department's explanation, by its last
                                        day; removed once the sweep has looked past that day.
``EXC#{case}#{code}#{event} / EXC``     the exceptions queue (异常处理); ``gsi1`` ``EXCDEPT#{dept}``, ``gsi2`` ``EXCS``.
``CPL#{no} / CPL``, ``CSL#{no} / CSL``,  complaints, consultations, spot checks: ``gsi1`` ``{kind}DEPT#{dept}``,
``SPC#{no} / SPC``                      ``gsi2`` ``{kind}S``, newest first.
``LTR#{period}#{dept} / LTR``           a 监察建议书; ``gsi1`` ``LTRDEPT#{dept}`` by period, ``gsi2`` ``LTRS``.

Cases table: ``EVAL#{case_no} / EVAL`` the applicant's rating of a case; ``gsi1`` ``EVALDEPT#{dept}``.
"""
from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.periods import local_date, periods_of
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item, Page, Stores

from .domain.records import KINDS, SIGNAL, WITHDRAWABLE, OversightRecord, RecordKind

TABLE = "oversight"
MARKER_SK = "SIGMARK"
LEGAL_INBOX_PK = "SIGTO#legal"
EXPLANATION_DUE_PK = "EXPLAINDUE"


def sort_key(at: datetime, no: str) -> str:
    return f"{at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{no}"


def period_counters(dept_code: str, day_of: datetime, moves: dict[str, int]) -> list[CounterDelta]:
    """The same movement for the month, quarter and year of ``day_of``."""
    return [CounterDelta(p, dept_code, dict(moves)) for p in periods_of(local_date(day_of))]


class OversightRecords:
    """Signals and findings: written once per id (deterministic), changed only at the version read."""

    def __init__(self, stores: Stores):
        self.stores = stores
        self.table = stores.table(TABLE)

    @staticmethod
    def _item(record: OversightRecord) -> Item:
        kind, rid = record.kind.code, record.id
        sk_time = record.raised_at.astimezone(UTC).isoformat()
        return Item(pk=f"{kind}#{rid}", sk=kind, body=record.body, gsi1pk=f"{kind}DEPT#{record.dept_code}",
                    gsi1sk=f"{sk_time}#{rid}", gsi2pk=f"{kind}S", gsi2sk=f"{sk_time}#{rid}", version=record.version)

    def add(self, record: OversightRecord) -> bool:
        """Store a newly raised record, its case pointer and (signals) the period counters in one
        transaction; False when the record exists already."""
        kind = record.kind.code
        if kind == "SIG" and record.cause.startswith(WITHDRAWABLE):
            # Before the signal and outside its transaction (no conflict between two signals of a
            # case): a marker without its signal only costs a query, a signal without one is never.
            self.table.put(Item(pk=self.marker_key(record.case_no)[0], sk=MARKER_SK, body={"case_no": record.case_no}))
        tx = self.stores.transaction()
        tx.put(TABLE, self._item(record), if_absent=True)
        tx.put(TABLE, Item(pk=f"{kind}CASE#{record.case_no}", sk=record.id, body={"id": record.id}), if_absent=True)
        sk_time = record.raised_at.astimezone(UTC).isoformat()
        if kind == "SIG" and record.addressed_to_legal:
            tx.put(TABLE, Item(pk=LEGAL_INBOX_PK, sk=f"{sk_time}#{record.id}", body={"id": record.id}), if_absent=True)
        if record.explain_by:
            tx.put(TABLE, Item(pk=EXPLANATION_DUE_PK, sk=f"{record.explain_by}#{record.id}", body={"id": record.id}),
                   if_absent=True)
        if record.counts_in_periods:
            tx.add_counters(period_counters(record.dept_code, record.raised_at, {record.level: 1}))
        try:
            tx.commit()
        except ConditionFailedError:
            return False
        return True

    def get(self, kind: RecordKind, rid: str) -> OversightRecord | None:
        item = self.table.get(f"{kind.code}#{rid}", kind.code)
        return OversightRecord(kind, item.body, item.version) if item else None

    def save(self, record: OversightRecord) -> None:
        """Store a changed record; 409 when someone changed it since it was read."""
        try:
            self.table.put(self._item(record), expected_version=record.version)
        except ConditionFailedError:
            raise ConflictError("记录已被他人修改，请刷新后重试") from None

    def withdraw(self, record: OversightRecord) -> bool:
        """Store a withdrawn record and take it back out of the period counters; False when
        someone changed it meanwhile (then it is theirs to handle)."""
        tx = self.stores.transaction()
        tx.put(TABLE, self._item(record), expected_version=record.version)
        if record.counts_in_periods:
            tx.add_counters(period_counters(record.dept_code, record.raised_at, {record.level: -1}))
        try:
            tx.commit()
        except ConditionFailedError:
            return False
        return True

    def save_if_unchanged(self, record: OversightRecord) -> bool:
        """Store a changed record at the version read; False when someone changed it meanwhile."""
        try:
            self.table.put(self._item(record), expected_version=record.version)
        except ConditionFailedError:
            return False
        return True

    def _many(self, kind: RecordKind, ids: list[str]) -> list[OversightRecord]:
        """Records by id in one read (BatchGetItem), in the order asked; unknown ids left out."""
        found = self.table.get_many([(f"{kind.code}#{rid}", kind.code) for rid in ids])
        return [OversightRecord(kind, it.body, it.version) for rid in ids
                if (it := found.get((f"{kind.code}#{rid}", kind.code))) is not None]

    @staticmethod
    def marker_key(case_no: str) -> tuple[str, str]:
        return (f"SIGMARK#{case_no}", MARKER_SK)

    def with_withdrawable(self, case_nos: list[str]) -> set[str]:
        """Of ``case_nos``, those that may have a withdrawable signal (their marker exists), in one
        read (BatchGetItem) for a whole stream batch; the others have none."""
        found = self.table.get_many([self.marker_key(c) for c in case_nos])
        return {c for c in case_nos if self.marker_key(c) in found}

    def mark_withdrawable(self) -> int:
        """Write the marker of every case with a withdrawable signal (signals raised before markers
        existed); idempotent. Returns how many signals were looked at."""
        seen = 0
        for item in self.table.query_all(f"{SIGNAL.code}S", index="gsi2"):
            seen += 1
            case_no, cause = str(item.body.get("case_no") or ""), str(item.body.get("cause") or "")
            if case_no and cause.startswith(WITHDRAWABLE):
                self.table.put(Item(pk=self.marker_key(case_no)[0], sk=MARKER_SK, body={"case_no": case_no}))
        return seen

    def of_case(self, kind: RecordKind, case_no: str) -> list[OversightRecord]:
        ids = [i.sk for i in self.table.query(f"{kind.code}CASE#{case_no}", limit=500).items]
        return self._many(kind, ids)

    def legal_inbox(self, limit: int, cursor: str | None) -> tuple[list[OversightRecord], str | None]:
        """Signals addressed to the legal office, newest first."""
        page = self.table.query(LEGAL_INBOX_PK, limit=limit, cursor=cursor, forward=False)
        return self._many(SIGNAL, [str(p.body["id"]) for p in page.items]), page.next

    def explanations_due(self, before: str) -> list[tuple[Item, OversightRecord | None]]:
        """Pointers of red signals whose explanation day is before ``before`` (``YYYY-MM-DD``), each
        with its signal (None when gone)."""
        pointers = self.table.query_all(EXPLANATION_DUE_PK, "", sk_lte=f"{before}#")
        return [(p, self.get(SIGNAL, str(p.body.get("id")))) for p in pointers]

    def drop_due_pointer(self, pointer: Item) -> None:
        self.table.delete(pointer.pk, pointer.sk)

    def page(self, kind: RecordKind, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        """Newest first, of one department or of all."""
        pk, index = (f"{kind.code}DEPT#{dept_code}", "gsi1") if dept_code else (f"{kind.code}S", "gsi2")
        return self.table.query(pk, index=index, limit=limit, cursor=cursor, forward=False)

    def not_closed(self, kind: RecordKind) -> list[dict[str, Any]]:
        """Every record of ``kind`` still open or explained (the board's live signals)."""
        return [i.body for i in self.table.query_all(f"{kind.code}S", index="gsi2") if i.body.get("status") != "closed"]

    def recent(self, kind: RecordKind, limit: int = 500) -> list[OversightRecord]:
        return [OversightRecord(KINDS[kind.code], i.body, i.version)
                for i in self.table.query(f"{kind.code}S", index="gsi2", limit=limit).items]


class ExceptionsQueue:
    """异常处理: semantically odd data stays stored and becomes visible to supervisors."""

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def record(self, view: CaseView, at: datetime) -> None:
        for a in view.anomalies:
            key = f"EXC#{view.case_no}#{a.code}#{a.event_id or '-'}"
            body = {"case_no": view.case_no, "dept_code": view.dept_code, "code": a.code, "event_id": a.event_id,
                    "message": a.message, "item_code": view.item_code, "recorded_at": at.isoformat(),
                    "status": "open"}
            with contextlib.suppress(ConditionFailedError):  # already queued: keep the first record
                self.table.put(Item(pk=key, sk="EXC", body=body, gsi1pk=f"EXCDEPT#{view.dept_code}",
                                    gsi1sk=f"{body['recorded_at']}#{key}", gsi2pk="EXCS",
                                    gsi2sk=f"{body['recorded_at']}#{key}"), if_absent=True)

    def page(self, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        pk, index = (f"EXCDEPT#{dept_code}", "gsi1") if dept_code else ("EXCS", "gsi2")
        return self.table.query(pk, index=index, limit=limit, cursor=cursor, forward=False)


class Numbered:
    """Records the hall and the bureau number themselves (``{prefix}{yyyymmdd}{6 random digits}``):
    complaints (``CPL``), consultations (``CSL``), spot checks (``SPC``)."""

    MAX_NO = 40

    def __init__(self, stores: Stores, kind: str):
        self.stores = stores
        self.kind = kind
        self.table = stores.table(TABLE)

    def create(self, prefix: str, dept_code: str, at: datetime, build: Callable[[str], dict[str, Any]],
               counters: dict[str, int] | None = None) -> dict[str, Any]:
        """Store a new record under a fresh random number (retried on the rare collision); the
        department's period counters move in the same transaction."""
        kind = self.kind
        for _ in range(8):
            no = f"{prefix}{local_date(at):%Y%m%d}{secrets.randbelow(10**6):06d}"
            body = build(no)
            key = sort_key(at, no)
            tx = self.stores.transaction()
            tx.put(TABLE, Item(pk=f"{kind}#{no}", sk=kind, body=body, gsi1pk=f"{kind}DEPT#{dept_code}", gsi1sk=key,
                               gsi2pk=f"{kind}S", gsi2sk=key), if_absent=True)
            if counters:
                tx.add_counters(period_counters(dept_code, at, counters))
            try:
                tx.commit()
            except ConditionFailedError:
                continue
            return body
        raise ConflictError("编号生成冲突，请重试")

    def get(self, no: str) -> Item | None:
        return self.table.get(f"{self.kind}#{no}", self.kind) if len(no) <= self.MAX_NO else None

    def save(self, item: Item) -> None:
        try:
            self.table.put(item, expected_version=item.version)
        except ConditionFailedError:
            raise ConflictError("记录已被他人修改，请刷新后重试") from None

    def scan(self, dept_code: str | None, keep: Callable[[dict[str, Any]], bool], limit: int,
             cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first, filtered by ``keep``, at most ``limit``."""
        pk, index = (f"{self.kind}DEPT#{dept_code}", "gsi1") if dept_code else (f"{self.kind}S", "gsi2")
        out: list[dict[str, Any]] = []
        nxt = cursor
        while len(out) < limit:
            # Read no more than still fits, so the cursor never skips records read but not returned.
            page = self.table.query(pk, index=index, limit=limit - len(out), cursor=nxt, forward=False)
            out.extend(i.body for i in page.items if keep(i.body))
            nxt = page.next
            if not nxt:
                break
        return out, (nxt if len(out) >= limit else None)


class Letters:
    """监察建议书 letters, one per department and quarter."""

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def add(self, letter: dict[str, Any]) -> tuple[dict[str, Any] | None, bool]:
        """Store a new letter: (the letter, True); when one was issued already: (that one, False)."""
        period, dept = letter["period"], letter["dept_code"]
        try:
            self.table.put(Item(pk=f"LTR#{period}#{dept}", sk="LTR", body=letter, gsi1pk=f"LTRDEPT#{dept}",
                                gsi1sk=period, gsi2pk="LTRS", gsi2sk=f"{period}#{dept}"), if_absent=True)
            return letter, True
        except ConditionFailedError:
            existing = self.table.get(f"LTR#{period}#{dept}", "LTR")
            return (existing.body if existing else None), False

    def of_period(self, period: str) -> dict[str, dict[str, Any]]:
        items = self.table.query("LTRS", f"{period}#", index="gsi2", limit=500).items
        return {i.body["dept_code"]: i.body for i in items}

    def page(self, period: str | None, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        if dept_code:
            return self.table.query(f"LTRDEPT#{dept_code}", period or "", index="gsi1", limit=limit, cursor=cursor,
                                    forward=False)
        return self.table.query("LTRS", f"{period}#" if period else "", index="gsi2", limit=limit, cursor=cursor,
                                forward=False)


class PublishedGrades:
    """Quarterly grades the supervision bureau published for the hall (公开): ``EVALPUB#{period} / D#{dept}``,
    and ``EVALPUBS / {period}`` listing the published periods."""

    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    def publish(self, period: str, rows: Iterable[dict[str, Any]], at: str) -> None:
        for row in rows:
            self.table.put(Item(pk=f"EVALPUB#{period}", sk=f"D#{row['dept_code']}", body=row))
        self.table.put(Item(pk="EVALPUBS", sk=period, body={"period": period, "published_at": at}))

    def of_period(self, period: str) -> list[dict[str, Any]]:
        return [i.body for i in self.table.query(f"EVALPUB#{period}", "D#", limit=1000).items]

    def periods(self) -> list[str]:
        return [i.body["period"] for i in self.table.query("EVALPUBS", limit=200, forward=False).items]


class Ratings:
    """The applicant's satisfaction rating of a case (cases table), counted in the same transaction."""

    def __init__(self, stores: Stores):
        self.stores = stores
        self.table = stores.table("cases")

    def exists(self, case_no: str) -> bool:
        return self.table.get(f"EVAL#{case_no}", "EVAL") is not None

    def add(self, record: dict[str, Any], at: datetime, counters: Iterable[CounterDelta]) -> None:
        """``ConditionFailedError`` when the case is rated already."""
        case_no, dept = record["case_no"], record["dept_code"]
        tx = self.stores.transaction()
        tx.put("cases", Item(pk=f"EVAL#{case_no}", sk="EVAL", body=record, gsi1pk=f"EVALDEPT#{dept}",
                             gsi1sk=f"{at.astimezone(UTC).isoformat()}#{case_no}"), if_absent=True)
        tx.add_counters(list(counters))
        tx.commit()
