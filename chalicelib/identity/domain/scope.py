"""Region scope (两级: 市、县(市、区)) — which departments a principal may see and act on.

docs/CONTRACT.md §2 (v2, two levels) and docs/DOMAIN.md §11: a county's supervision bureau and legal
office (``supervisor``/``legal`` with ``"region_code": "320321"``) oversee that county's departments;
the city's (``"320300"``) the city's own and those of all its counties and districts (``3203xx``);
without a ``region_code`` the role is platform-wide. Department roles see their own department.

Region codes and which region covers which: :mod:`chalicelib.kernel.regions`.

This module is pure: the departments of a region come in as data; the services resolve them once
per request and every service asks the same :class:`Scope` (lists filter by it, a single record
outside it is refused).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from chalicelib.kernel.errors import ForbiddenError
from chalicelib.kernel.regions import region_covers

T = TypeVar("T")


def departments_in(region_code: str, departments: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The codes of ``departments`` (records with ``code`` and ``region_code``) that ``region_code`` covers."""
    return frozenset(str(d["code"]) for d in departments
                     if d.get("code") and region_covers(region_code, d.get("region_code")))


@dataclass(frozen=True)
class Scope:
    """What a principal may see: ``depts`` None means every department (platform-wide).

    ``kind`` says why the scope is limited (its messages differ): ``department`` for department roles
    and department systems, ``region`` for a region's supervisor/legal office.
    """

    depts: frozenset[str] | None = None
    kind: Literal["platform", "department", "region"] = "platform"
    region_code: str | None = None

    @classmethod
    def department(cls, dept_code: str | None) -> Scope:
        return cls(frozenset({dept_code}) if dept_code else frozenset(), "department")

    @classmethod
    def region(cls, region_code: str, depts: Iterable[str]) -> Scope:
        return cls(frozenset(depts), "region", region_code)

    @property
    def unlimited(self) -> bool:
        return self.depts is None

    def allows(self, dept_code: str | None) -> bool:
        """May the holder see (and, with the right role, act on) a record of ``dept_code``?"""
        if self.depts is None:
            return True
        return dept_code is not None and dept_code in self.depts

    @property
    def denial(self) -> str:
        if self.kind == "region":
            return f"只能查看和处理本辖区（{self.region_code}）部门的数据"
        return "只能查看本部门的数据"

    def require(self, dept_code: str | None, message: str | None = None) -> None:
        """Refuse (403) a single record outside the scope."""
        if not self.allows(dept_code):
            raise ForbiddenError(message or self.denial)

    def narrow(self, requested: str | None) -> Scope:
        """The scope of a list that asks for ``requested`` (None or empty: everything it may see).

        Asking for a department outside the scope is refused (403), as for department roles; a list
        without such a filter simply leaves out what lies outside.
        """
        if not requested:
            return self
        self.require(requested)
        return Scope(frozenset({requested}), self.kind, self.region_code)

    @property
    def single(self) -> str | None:
        """The one department to query by, when the scope is exactly one (else None: query all, then keep)."""
        if self.depts is not None and len(self.depts) == 1:
            return next(iter(self.depts))
        return None

    def keep(self, items: Iterable[T], dept_of: Callable[[T], str | None]) -> list[T]:
        """The items a list may show."""
        if self.depts is None:
            return list(items)
        return [i for i in items if self.allows(dept_of(i))]

    def collect(self, fetch: Callable[[str | None, int, str | None], tuple[Sequence[T], str | None]],
                dept_of: Callable[[T], str | None], limit: int, cursor: str | None) -> tuple[list[T], str | None]:
        """One page of a list under this scope. ``fetch(dept_code or None, limit, cursor)`` reads one
        department's index or everything. One department (or everything): one read. Several (a region):
        page through everything and keep the region's, never skipping a record the cursor passed."""
        if self.unlimited or self.single:
            items, nxt = fetch(self.single, limit, cursor)
            return list(items), nxt
        out: list[T] = []
        nxt = cursor
        while len(out) < limit:
            items, nxt = fetch(None, limit - len(out), nxt)
            out.extend(self.keep(items, dept_of))
            if not nxt:
                break
        return out, (nxt if len(out) >= limit else None)
