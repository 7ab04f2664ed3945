"""The legal registers as the checks see them: enforcement officers (执法人员) with the certificate
(行政执法证) they hold, and legal bases (法律依据) with their repeal dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol


@dataclass(frozen=True)
class Certificate:
    """One enforcement certificate (行政执法证) an officer held: its number, period, department, scope."""

    cert_no: str
    valid_from: date
    valid_to: date
    dept_code: str
    scope: list[str] | None = None


@dataclass(frozen=True)
class Officer:
    """An enforcement officer (执法人员) and the certificate (行政执法证) they hold.

    ``scope`` lists what the certificate covers: item codes or code prefixes (e.g. ``320300015``
    for one department, dashes allowed) or category codes (``CF``); None or empty: unrestricted.
    ``history`` keeps every certificate period the officer has held (the current one included), so an
    act is judged by the certificate valid on its own day (:meth:`as_of`).
    """

    officer_id: str
    name: str
    dept_code: str
    cert_no: str
    valid_from: date
    valid_to: date
    scope: list[str] | None = None
    history: tuple[Certificate, ...] = ()

    def certificates(self) -> tuple[Certificate, ...]:
        current = Certificate(self.cert_no, self.valid_from, self.valid_to, self.dept_code, self.scope)
        return self.history or (current,)

    def as_of(self, day: date) -> Officer:
        """The officer as of ``day``: with the certificate valid that day, if any (else as registered)."""
        for c in sorted(self.certificates(), key=lambda c: c.valid_from, reverse=True):
            if c.cert_no.strip() and c.valid_from <= day <= c.valid_to:
                return replace(self, cert_no=c.cert_no, valid_from=c.valid_from, valid_to=c.valid_to,
                               dept_code=c.dept_code, scope=c.scope)
        return self

    def periods(self) -> str:
        """Every certificate period, for messages: ``2006-01-01 至 2008-12-31、2009-01-01 至 2013-12-31``."""
        spans = sorted(self.certificates(), key=lambda c: c.valid_from)
        return "、".join(f"{c.valid_from.isoformat()} 至 {c.valid_to.isoformat()}" for c in spans)

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


CERTIFICATE_FIELDS = ("cert_no", "valid_from", "valid_to", "dept_code", "scope")


def with_certificate(held: dict[str, Any] | None, registered: dict[str, Any]) -> dict[str, Any]:
    """An officer's record after registering ``registered`` (JSON form) again: the new certificate
    joins ``certificates`` (the same number and start replace their earlier entry), so every period
    the officer held stays on record for judging past acts (L3); the latest period is the current one."""
    cert = {k: registered.get(k) for k in CERTIFICATE_FIELDS}
    earlier = list((held.get("certificates") or [_certificate_of(held)]) if held else [])
    kept = [c for c in earlier if (c["cert_no"], c["valid_from"]) != (cert["cert_no"], cert["valid_from"])]
    certificates = sorted([*kept, cert], key=lambda c: (c["valid_from"], c["cert_no"]))
    latest = max(certificates, key=lambda c: c["valid_from"])
    return {**registered, **latest, "certificates": certificates}


def _certificate_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single certificate of an officer registered before histories were kept."""
    return {k: body.get(k) for k in CERTIFICATE_FIELDS}


def officer_of(body: dict[str, Any]) -> Officer:
    """An officer as stored (JSON), with every certificate period held."""
    history = tuple(Certificate(cert_no=c["cert_no"], valid_from=date.fromisoformat(c["valid_from"]),
                                valid_to=date.fromisoformat(c["valid_to"]), dept_code=c["dept_code"],
                                scope=c.get("scope"))
                    for c in body.get("certificates") or [])
    return Officer(officer_id=body["officer_id"], name=body["name"], dept_code=body["dept_code"],
                   cert_no=body["cert_no"], valid_from=date.fromisoformat(body["valid_from"]),
                   valid_to=date.fromisoformat(body["valid_to"]), scope=body.get("scope"), history=history)
