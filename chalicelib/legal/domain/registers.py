"""The legal registers as the checks see them: enforcement officers (执法人员) with the certificate
(行政执法证) they hold, and legal bases (法律依据) with their repeal dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Officer:
    """An enforcement officer (执法人员) and the certificate (行政执法证) they hold.

    ``scope`` lists what the certificate covers: item codes or code prefixes (e.g. ``320300015``
    for one department, dashes allowed) or category codes (``CF``); None or empty: unrestricted.
    """

    officer_id: str
    name: str
    dept_code: str
    cert_no: str
    valid_from: date
    valid_to: date
    scope: list[str] | None = None

    def valid_on(self, day: date) -> bool:
        """A certificate is valid from ``valid_from`` through ``valid_to`` inclusive."""
        return bool(self.cert_no.strip()) and self.valid_from <= day <= self.valid_to

    def covers(self, item_code: str) -> bool:
        if not self.scope:
            return True
        code = item_code.replace("-", "").upper()
        for entry in self.scope:
            wanted = entry.replace("-", "").strip().upper()
            if len(wanted) == 2 and wanted.isalpha():
                if code[9:11] == wanted:
                    return True
            elif wanted and code.startswith(wanted):
                return True
        return False


@dataclass(frozen=True)
class LegalBasis:
    """A law, regulation or rule (法律依据) with its repeal date, if any."""

    id: str
    title: str
    repealed_on: date | None = None

    def valid_on(self, day: date) -> bool:
        """Repealed on or before ``day`` means invalid for an act on ``day``."""
        return self.repealed_on is None or day < self.repealed_on


class LegalRegistry(Protocol):
    """The legal office's registries of officers and legal bases."""

    def officer(self, officer_id: str) -> Officer | None: ...

    def basis(self, basis_id: str) -> LegalBasis | None: ...


@dataclass
class InMemoryRegistry:
    """A :class:`LegalRegistry` over dicts (tests, and services that preload the registries)."""

    officers: dict[str, Officer] = field(default_factory=dict)
    bases: dict[str, LegalBasis] = field(default_factory=dict)

    @classmethod
    def of(cls, officers: Iterable[Officer] = (), bases: Iterable[LegalBasis] = ()) -> InMemoryRegistry:
        return cls({o.officer_id: o for o in officers}, {b.id: b for b in bases})

    def officer(self, officer_id: str) -> Officer | None:
        return self.officers.get(officer_id)

    def basis(self, basis_id: str) -> LegalBasis | None:
        return self.bases.get(basis_id)
