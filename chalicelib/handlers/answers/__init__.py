"""The routes' response models (docs/CONTRACT.md): what each 2xx answer holds, published in
``/openapi.json`` and checked against real answers in every test stack (``SUNLIT_CHECK_RESPONSES``).

One module per handler module (``api_catalog`` → ``answers.catalog``). Routes name their model as
``"chalicelib.handlers.answers.<module>:<Name>"``: nothing here is imported, let alone built, when the
API function starts; the models load with ``/openapi.json`` or the first checked answer. Where a
domain model already is the answer (the case view, the item declaration), the answer extends it.
"""
from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """Base of the response models: built on first use (validation, ``/openapi.json``), not at import,
    so declaring every route's answer costs a Lambda cold start nothing."""

    model_config = ConfigDict(defer_build=True)


T = TypeVar("T")


class Page(Answer, Generic[T]):
    """A list in the contract's shape (docs/CONTRACT.md, conventions): ``next`` is the opaque cursor
    of the following page, or null."""

    items: list[T]
    next: str | None


class HistoryEntry(Answer):
    """One step of a record's history (who did what, when, with what note)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    action: str
    at: str
    by: str | None = None
    text: str | None = None
