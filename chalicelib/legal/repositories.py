"""The legal office's records and their key scheme.

Catalog table:
``OFFICER#{id} / META``        an enforcement officer and their certificate; ``gsi1`` ``OFFICERS#{dept}``.
``CONFIG / LEGAL_OFFICE``      the legal-office limits (``{"overrides": ...}``, ``OfficeConfig`` format).

Oversight table:
``NORMDOC#{id} / NORMDOC``     a normative-document filing; ``gsi1`` ``NORMDOCDEPT#{dept}`` and ``gsi2``
                               ``NORMDOCS``, both sorted by ``{filed_on}#{id}``.
``RECON#{id} / RECON``,        reconsideration and litigation records; ``gsi1`` ``{RECON|LITIG}DEPT#{dept}``,
``LITIG#{id} / LITIG``         ``gsi2`` ``RECONS`` / ``LITIGS`` sorted by ``{date}#{id}``;
``REVIEWCASE#{case_no} / {kind}#{id}`` links a case to its records.
``GOVTRIG#{id} / TRIGGER``     a law-change trigger (目录调整触发); ``gsi1`` ``GOVTRIGDEPT#{dept}``, ``gsi2``
                               ``GOVTRIGS``, both by ``{triggered_on}#{id}``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.ports import ConditionFailedError, Item, Page, Stores

from .domain import reconsideration as recon

OVERSIGHT = "oversight"
CATALOG = "catalog"
ReviewKind = Literal["reconsideration", "litigation"]
REVIEW_KEYS: dict[str, str] = {"reconsideration": "RECON", "litigation": "LITIG"}


def save_versioned(stores: Stores, table: str, item: Item) -> None:
    """Store a changed record, refusing (409) when someone else changed it since it was read."""
    try:
        stores.table(table).put(item, expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("记录已被他人修改，请刷新后重试") from None


class Officers:
    """Enforcement officers (执法人员) with their certificates (行政执法证)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CATALOG)

    def put(self, officer: dict[str, Any]) -> None:
        self.table.put(Item(pk=f"OFFICER#{officer['officer_id']}", sk="META", body=officer,
                            gsi1pk=f"OFFICERS#{officer['dept_code']}", gsi1sk=officer["officer_id"]))

    def get(self, officer_id: str) -> dict[str, Any] | None:
        item = self.table.get(f"OFFICER#{officer_id}", "META")
        return item.body if item else None

    def held(self, officer_id: str) -> tuple[dict[str, Any] | None, int | None]:
        """The officer as stored and the version read (None, None: not registered)."""
        item = self.table.get(f"OFFICER#{officer_id}", "META")
        return (item.body, item.version) if item else (None, None)

    def save(self, officer: dict[str, Any], version: int | None) -> None:
        """Store the officer at the version read (None: only if still unregistered); listed under the
        department of the latest certificate. Raises ``ConditionFailedError`` when changed meanwhile."""
        item = Item(pk=f"OFFICER#{officer['officer_id']}", sk="META", body=officer,
                    gsi1pk=f"OFFICERS#{officer['dept_code']}", gsi1sk=officer["officer_id"], version=version)
        if version is None:
            self.table.put(item, if_absent=True)
        else:
            self.table.put(item, expected_version=version)

    def of_department(self, dept_code: str) -> list[dict[str, Any]]:
        return [i.body for i in self.table.query(f"OFFICERS#{dept_code}", index="gsi1", limit=500).items]


class OfficeSettings:
    """The legal-office limits (filing deadline, reconsideration and litigation limits), dated."""

    KEY = ("CONFIG", "LEGAL_OFFICE")

    def __init__(self, stores: Stores):
        self.table = stores.table(CATALOG)

    def load(self) -> recon.OfficeConfig:
        item = self.table.get(*self.KEY)
        return recon.OfficeConfig.from_dict(item.body.get("overrides", {})) if item else recon.OfficeConfig()

    def raw(self) -> dict[str, Any]:
        item = self.table.get(*self.KEY)
        return dict(item.body.get("overrides", {})) if item else {}

    def save(self, raw: Any, at: datetime) -> recon.OfficeConfig:
        cfg = recon.OfficeConfig.from_dict(raw)
        self.table.put(Item(pk=self.KEY[0], sk=self.KEY[1], body={"overrides": raw, "updated_at": at.isoformat()}))
        return cfg


class NormativeDocuments:
    """Normative-document filings (规范性文件备案)."""

    def __init__(self, stores: Stores):
        self.stores = stores
        self.table = stores.table(OVERSIGHT)

    @staticmethod
    def _item(rec: dict[str, Any], version: int | None = None) -> Item:
        sk = f"{rec['filed_on']}#{rec['id']}"
        return Item(pk=f"NORMDOC#{rec['id']}", sk="NORMDOC", body=rec, gsi1pk=f"NORMDOCDEPT#{rec['dept_code']}",
                    gsi1sk=sk, gsi2pk="NORMDOCS", gsi2sk=sk, version=version)

    def add(self, rec: dict[str, Any]) -> None:
        """Store a new filing; ``ConditionFailedError`` when the same document is filed already."""
        self.table.put(self._item(rec), if_absent=True)

    def get(self, doc_id: str) -> Item | None:
        return self.table.get(f"NORMDOC#{doc_id}", "NORMDOC")

    def save(self, item: Item) -> None:
        save_versioned(self.stores, OVERSIGHT, item)

    def page(self, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        pk, index = (f"NORMDOCDEPT#{dept_code}", "gsi1") if dept_code else ("NORMDOCS", "gsi2")
        return self.table.query(pk, index=index, limit=limit, cursor=cursor, forward=False)

    def filed_between(self, first: str, last: str) -> list[dict[str, Any]]:
        """Every filing received from ``first`` through ``last`` (ISO dates)."""
        return [i.body for i in self.table.query_all("NORMDOCS", first, index="gsi2", sk_lte=f"{last}#~")]


class Reviews:
    """Reconsideration (行政复议) and litigation (行政应诉) records, linked to the original case."""

    def __init__(self, stores: Stores):
        self.stores = stores
        self.table = stores.table(OVERSIGHT)

    @staticmethod
    def item(kind: ReviewKind, rec: dict[str, Any], sort_day: str, version: int | None = None) -> Item:
        key = REVIEW_KEYS[kind]
        sk = f"{sort_day}#{rec['id']}"
        return Item(pk=f"{key}#{rec['id']}", sk=key, body=rec, gsi1pk=f"{key}DEPT#{rec['dept_code']}", gsi1sk=sk,
                    gsi2pk=f"{key}S", gsi2sk=sk, version=version)

    def add(self, kind: ReviewKind, rec: dict[str, Any], sort_day: str) -> None:
        """Store a new record and its case link together; ``ConditionFailedError`` when it exists."""
        tx = self.stores.transaction()
        tx.put(OVERSIGHT, self.item(kind, rec, sort_day), if_absent=True)
        tx.put(OVERSIGHT, Item(pk=f"REVIEWCASE#{rec['case_no']}", sk=f"{kind}#{rec['id']}", body={"id": rec["id"]}),
               if_absent=True)
        tx.commit()

    def get(self, kind: ReviewKind, rid: str) -> Item | None:
        key = REVIEW_KEYS[kind]
        return self.table.get(f"{key}#{rid}", key)

    def save(self, item: Item) -> None:
        save_versioned(self.stores, OVERSIGHT, item)

    def of_case(self, kind: ReviewKind, case_no: str) -> list[dict[str, Any]]:
        links = self.table.query(f"REVIEWCASE#{case_no}", f"{kind}#", limit=500).items
        return [it.body for link in links if (it := self.get(kind, link.body["id"]))]

    def page(self, kind: ReviewKind, dept_code: str | None, limit: int, cursor: str | None) -> Page:
        key = REVIEW_KEYS[kind]
        pk, index = (f"{key}DEPT#{dept_code}", "gsi1") if dept_code else (f"{key}S", "gsi2")
        return self.table.query(pk, index=index, limit=limit, cursor=cursor, forward=False)

    def all(self, kind: ReviewKind, dept_code: str | None = None) -> list[Item]:
        key = REVIEW_KEYS[kind]
        pk, index = (f"{key}DEPT#{dept_code}", "gsi1") if dept_code else (f"{key}S", "gsi2")
        return self.table.query_all(pk, index=index)


class Triggers:
    """Law-change triggers (目录调整触发): a changed law the catalog must follow."""

    def __init__(self, stores: Stores):
        self.table = stores.table(OVERSIGHT)

    def add(self, rec: dict[str, Any]) -> None:
        """``ConditionFailedError`` when the same trigger is recorded already."""
        sk = f"{rec['triggered_on']}#{rec['id']}"
        self.table.put(Item(pk=f"GOVTRIG#{rec['id']}", sk="TRIGGER", body=rec, gsi1pk=f"GOVTRIGDEPT#{rec['dept_code']}",
                            gsi1sk=sk, gsi2pk="GOVTRIGS", gsi2sk=sk), if_absent=True)

    def all(self, dept_code: str | None = None) -> list[dict[str, Any]]:
        pk, index = (f"GOVTRIGDEPT#{dept_code}", "gsi1") if dept_code else ("GOVTRIGS", "gsi2")
        return [i.body for i in self.table.query_all(pk, index=index)]
