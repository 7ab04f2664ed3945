"""The operation platform's records and their key scheme (work table).

``RTRUN#{case_no} / RUN``         the run of a natively run case: machine, execution, bound item version;
``RTTASK#{case_no} / T#{task_id}`` one task, pending or done; index ``gsi1`` ``RTWL#{dept_code}`` (sparse:
                                  pending tasks only) ordered by deadline, for the worklist.
"""
from __future__ import annotations

from typing import Any

from chalicelib.kernel.ports import Item, Stores, Transaction

from .domain.plan import UNKNOWN_DUE

TABLE = "work"
MAX_CASE_NO = 64


class Runs:
    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    @staticmethod
    def key(case_no: str) -> tuple[str, str]:
        return f"RTRUN#{case_no}", "RUN"

    def get(self, case_no: str) -> Item | None:
        return self.table.get(*self.key(case_no)) if len(case_no) <= MAX_CASE_NO else None

    @classmethod
    def claim(cls, tx: Transaction, run: dict[str, Any]) -> None:
        """Store a new run within ``tx`` (the case's first HEAD goes with it); the commit raises
        ``ConditionFailedError`` when its case number is taken."""
        pk, sk = cls.key(run["case_no"])
        tx.put(TABLE, Item(pk=pk, sk=sk, body=run), if_absent=True)

    def save(self, item: Item) -> None:
        """``ConditionFailedError`` when the run changed since it was read."""
        self.table.put(item, expected_version=item.version)


class Tasks:
    def __init__(self, stores: Stores):
        self.table = stores.table(TABLE)

    @staticmethod
    def item(body: dict[str, Any], version: int | None = None) -> Item:
        pending = body.get("status") == "pending"
        due = body.get("due_at") or UNKNOWN_DUE
        return Item(pk=f"RTTASK#{body['case_no']}", sk=f"T#{body['task_id']}", body=body,
                    gsi1pk=f"RTWL#{body['dept_code']}" if pending else None,
                    gsi1sk=f"{due}#{body['started_at']}#{body['case_no']}#{body['task_id']}" if pending else None,
                    version=version)

    def add(self, body: dict[str, Any]) -> None:
        """``ConditionFailedError`` when the task is stored already."""
        self.table.put(self.item(body), if_absent=True)

    def save(self, body: dict[str, Any], version: int | None) -> Item:
        """Store the task's new state at the version read; ``ConditionFailedError`` when it changed."""
        return self.table.put(self.item(body, version), expected_version=version)

    def of_case(self, case_no: str) -> list[Item]:
        return self.table.query(f"RTTASK#{case_no}", "T#", limit=500).items

    def pending_in(self, dept_code: str, roles: frozenset[str], limit: int) -> list[dict[str, Any]]:
        """The department's pending tasks for ``roles`` by deadline (at most ``limit``)."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while len(found) < limit:
            page = self.table.query(f"RTWL#{dept_code}", index="gsi1", limit=500, cursor=cursor)
            found.extend(i.body for i in page.items if i.body.get("status") == "pending" and i.body.get("role") in roles)
            cursor = page.next
            if not cursor:
                break
        return found
