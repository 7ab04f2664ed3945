"""Region scope (两级: 市、县(市、区)) — which departments a principal may see and act on.

docs/CONTRACT.md §2 (v2, two levels) and docs/DOMAIN.md §11: a county's supervision bureau and legal
office (``supervisor``/``legal`` with ``"region_code": "320321"``) oversee that county's departments;
the city's (``"320300"``) the city's own and those of all its counties and districts (``3203xx``);
without a ``region_code`` the role is platform-wide. Department roles see their own department.

Region codes are the six-digit administrative division codes (GB/T 2260) ``PPCCDD``: province,
prefecture-level city, county-level division. A city ends in ``00`` (320300), a province in
``0000`` (320000); every other code is a county, county-level city or district.

This module is pure: the departments of a region come in as data; the services resolve them once
per request and every service asks the same :class:`Scope` (lists filter by it, a single record
outside it is refused).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from chalicelib.kernel.errors import ForbiddenError

T = TypeVar("T")
Level = Literal["province", "city", "county"]
_CODE = re.compile(r"^\d{6}$")


def is_region_code(code: object) -> bool:
    return isinstance(code, str) and bool(_CODE.match(code)) and code[:2] != "00"


def region_level(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_covers(scope_region: str, region: str | None) -> bool:
    """True when an office of ``scope_region`` oversees departments of ``region``.

    ``320300`` covers itself and every ``3203xx``; ``320321`` only itself; a province ``320000``
    every ``32xxxx``. A missing or malformed region is covered by nobody's region.
    """
    if not is_region_code(scope_region) or not is_region_code(region):
        return False
    assert region is not None
    level = region_level(scope_region)
    if level == "province":
        return region[:2] == scope_region[:2]
    if level == "city":
        return region[:4] == scope_region[:4]
    return region == scope_region


def parent_region(region: str) -> str | None:
    """The level above: a county's city (``320321`` → ``320300``), a city's province; None at the top."""
    if not is_region_code(region):
        return None
    level = region_level(region)
    if level == "county":
        return region[:4] + "00"
    if level == "city":
        return region[:2] + "0000"
    return None


def rollup_chain(region: str, top: str | None = None) -> list[str]:
    """``region`` and every level above it (up to ``top`` when given): where its numbers count."""
    chain: list[str] = []
    current: str | None = region
    while current is not None:
        chain.append(current)
        if current == top:
            break
        current = parent_region(current)
    return chain


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
