"""The service point register's records and their key scheme (catalog table).

``SPOINT#{code} / META``   one point (``domain.ServicePoint``); ``gsi1`` ``SPOINTS`` by ``{region_code}#{code}``,
                           so the whole register (a city's few thousand points) is one index query and a
                           county's a prefix of it.
"""
from __future__ import annotations

from collections.abc import Sequence

from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.ports import ConditionFailedError, Item, Stores

from .domain import ServicePoint

CATALOG = "catalog"
INDEX = "SPOINTS"


def point_pk(code: str) -> str:
    return f"SPOINT#{code}"


class ServicePoints:
    """The register: one record per point, written conditionally (a new code once, a change at the version read)."""

    def __init__(self, stores: Stores):
        self.table = stores.table(CATALOG)

    @staticmethod
    def _item(point: ServicePoint, version: int | None = None) -> Item:
        return Item(pk=point_pk(point.code), sk="META", body=point.model_dump(mode="json"),
                    gsi1pk=INDEX, gsi1sk=f"{point.region_code}#{point.code}", version=version)

    def get(self, code: str) -> tuple[ServicePoint, int | None] | None:
        if len(code) > 64:
            return None
        item = self.table.get(point_pk(code), "META")
        return (ServicePoint.model_validate(item.body), item.version) if item else None

    def get_many(self, codes: Sequence[str]) -> dict[str, ServicePoint]:
        wanted = [c for c in dict.fromkeys(codes) if c and len(c) <= 64]
        found = self.table.get_many([(point_pk(c), "META") for c in wanted])
        return {c: ServicePoint.model_validate(it.body) for c in wanted
                if (it := found.get((point_pk(c), "META"))) is not None}

    def add(self, point: ServicePoint) -> None:
        try:
            self.table.put(self._item(point), if_absent=True)
        except ConditionFailedError:
            raise ConflictError(f"网点编码 {point.code} 已登记", [{"field": "code", "type": "conflict",
                                                                 "message": "该编码已被使用"}]) from None

    def save(self, point: ServicePoint, version: int | None) -> None:
        """Store a changed point; ``ConflictError`` when someone changed it since it was read."""
        try:
            self.table.put(self._item(point), expected_version=version)
        except ConditionFailedError:
            raise ConflictError(f"网点 {point.code} 已被他人修改，请刷新后重试") from None

    def all(self, region_prefix: str = "") -> list[ServicePoint]:
        """Every registered point (of regions starting with ``region_prefix``), active or not."""
        return [ServicePoint.model_validate(i.body) for i in self.table.query_all(INDEX, region_prefix, index="gsi1")]
