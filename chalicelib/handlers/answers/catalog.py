"""Answers of the power catalog (行政权力库) and legal registers routes (docs/CONTRACT.md §4)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict

from ...catalog.domain.items import ItemDeclaration
from . import Answer, Page


class PublicItem(ItemDeclaration):
    """An item version as published (catalog.public_item): the declaration plus its number, status
    and effective date, the dashed display code and the category's Chinese name."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    version: int
    status: Literal["declared", "confirmed", "rejected"]
    effective_from: date | None
    display_code: str
    category_name: str


class ItemPage(Page[PublicItem]):
    """Confirmed items in force on the day asked, with the number that matched."""

    total: int


class ItemVersionDoc(PublicItem):
    """One version of the history, with its declaration, confirmation or rejection."""

    declared_at: str | None = None
    confirmed_at: str | None = None
    rejected_reason: str | None = None


class PendingItem(PublicItem):
    declared_at: str | None = None


class Declared(Answer):
    """A declaration received (申报): the code and the version it became."""

    code: str
    version: int
    status: Literal["declared"]


class Decided(Answer):
    """The legal office's decision on a declared version: confirmed from a date, or rejected with a reason."""

    code: str
    version: int
    status: Literal["confirmed", "rejected"]
    effective_from: date | None = None
    reason: str | None = None


class Certificate(Answer):
    cert_no: str
    valid_from: date
    valid_to: date
    dept_code: str | None = None
    scope: list[str] | None = None


class Officer(Answer):
    """An enforcement officer (执法人员): the latest certificate, and every period held (for past acts, L3)."""

    officer_id: str
    name: str
    dept_code: str
    cert_no: str
    valid_from: date
    valid_to: date
    scope: list[str] | None = None
    certificates: list[Certificate] = []


class LegalBasis(Answer):
    """A legal basis (法律依据) and the date it was repealed from."""

    id: str
    title: str | None = None
    repealed_on: date | None = None


class ItemVersions(Page[ItemVersionDoc]):
    """A page of ItemVersionDoc (``items``, ``next``)."""


class PendingItems(Page[PendingItem]):
    """A page of PendingItem (``items``, ``next``)."""
