"""pynamodb models: the single source of table schema in code (docs/DESIGN.md §4.5).

Every table shares one key shape (``pk``/``sk`` plus two sparse GSIs ``gsi1``/``gsi2``),
matching ``infra/build.py``; a unit test keeps the two in step. Records keep their payload
in ``body`` (JSON) and carry a ``version`` for optimistic concurrency where state changes.
"""
from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..settings import get_settings
from .aws import _trace_once


class Gsi1(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class CompactJSONAttribute(JSONAttribute):
    """JSON stored as UTF-8 text: a Chinese character as itself (3 bytes in DynamoDB's item size)
    rather than a ``\\uXXXX`` escape (6 bytes), and no space after separators — the same JSON, read
    by the same ``json.loads``, whichever way a record was written. A text that cannot be UTF-8 (a lone
    surrogate) is stored escaped, as before."""

    def serialize(self, value: Any) -> str | None:
        if value is None:
            return None
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value, separators=(",", ":"))
        return text


class Record(Model):
    """A generic record: key, sparse index keys, JSON body, optimistic version."""

    class Meta:
        table_name = "unset"
        region = "us-east-1"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    body = CompactJSONAttribute(null=True)
    version = VersionAttribute(null=True)
    gsi1 = Gsi1()
    gsi2 = Gsi2()


def _index(base: type[GlobalSecondaryIndex[Any]], table: str) -> GlobalSecondaryIndex[Any]:
    """A distinct index class per table: pynamodb keeps the owning model on the index's Meta."""
    meta = type("Meta", (), {"index_name": base.Meta.index_name, "projection": AllProjection()})
    return type(f"{table.capitalize()}{base.__name__}", (base,), {"Meta": meta})()


def _model(name: str) -> type[Record]:
    meta = type("Meta", (), {"table_name": f"unconfigured-{name}", "region": "us-east-1"})
    attrs = {"Meta": meta, "__module__": __name__, "gsi1": _index(Gsi1, name), "gsi2": _index(Gsi2, name)}
    return type(f"{name.capitalize()}Record", (Record,), attrs)


class StatsRecord(Model):
    """Statistics counters (period × department), maintained from the stream with ADD."""

    class Meta:
        table_name = "unconfigured-stats"
        region = "us-east-1"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    received = NumberAttribute(default=0)
    concluded = NumberAttribute(default=0)
    on_time = NumberAttribute(default=0)
    yellow = NumberAttribute(default=0)
    red = NumberAttribute(default=0)
    complaints = NumberAttribute(default=0)
    evaluations = NumberAttribute(default=0)
    satisfied = NumberAttribute(default=0)
    days_used = NumberAttribute(default=0)
    supplements = NumberAttribute(default=0)
    events = NumberAttribute(default=0)
    late_events = NumberAttribute(default=0)
    disclosure_received = NumberAttribute(default=0)
    disclosure_answered = NumberAttribute(default=0)
    disclosure_on_time = NumberAttribute(default=0)
    taken = NumberAttribute(default=0)  # applications a service point took (基层延伸)
    # signals naming a risk point (廉政风险点), by the highest level named: 一级, 二级, 三级
    risk_1 = NumberAttribute(default=0)
    risk_2 = NumberAttribute(default=0)
    risk_3 = NumberAttribute(default=0)


TABLE_MODELS: dict[str, type[Model]] = {
    name: _model(name) for name in ("catalog", "identity", "events", "cases", "oversight", "work", "audit")
}
TABLE_MODELS["stats"] = StatsRecord

CatalogRecord = TABLE_MODELS["catalog"]
IdentityRecord = TABLE_MODELS["identity"]
EventRecord = TABLE_MODELS["events"]
CaseRecord = TABLE_MODELS["cases"]
OversightRecord = TABLE_MODELS["oversight"]
WorkRecord = TABLE_MODELS["work"]
AuditRecord = TABLE_MODELS["audit"]

_configured: tuple[str, str | None] | None = None


def configure_models() -> None:
    """Point every model at this stage's tables and endpoint (idempotent, cheap)."""
    global _configured
    _trace_once()
    settings = get_settings()
    key = (settings.table_prefix, settings.endpoint_url)
    if _configured == key:
        return
    for name, model in TABLE_MODELS.items():
        model.Meta.table_name = settings.table(name)
        model.Meta.region = settings.region
        model.Meta.host = settings.endpoint_url  # type: ignore[attr-defined]
        model._connection = None
    _configured = key


def table_name(name: str) -> str:
    return get_settings().table(name)


def reset_models() -> None:
    """Point the models at the tables again on next use (after the environment changed)."""
    global _configured
    _configured = None
