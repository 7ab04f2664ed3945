"""The legal registers (法律依据与执法人员): enforcement officers with their certificates, and the
repeal of legal bases. ``Registry`` is how the legality checks and the operation platform read them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.catalog.repositories import Bases
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ValidationError

from ..domain import checks as legal
from ..repositories import Officers


class OfficerIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    officer_id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,40}$")
    name: str = Field(min_length=1, max_length=50)
    dept_code: str = Field(pattern=r"^\d{3}$")
    cert_no: str = Field(min_length=1, max_length=50)
    valid_from: date
    valid_to: date
    scope: list[str] | None = Field(default=None, max_length=50)


class RepealIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    effective: date


def add_officer(deps: Deps, body: OfficerIn) -> dict[str, Any]:
    if body.valid_to < body.valid_from:
        raise ValidationError("证件有效期有误", [{"field": "valid_to", "type": "invalid",
                                                  "message": "有效期截止日不得早于起始日"}])
    data = body.model_dump(mode="json")
    Officers(deps.stores).put(data)
    return data


def list_officers(deps: Deps, dept_code: str) -> list[dict[str, Any]]:
    return Officers(deps.stores).of_department(dept_code)


def repeal_basis(deps: Deps, basis_id: str, body: RepealIn) -> dict[str, Any]:
    return Bases(deps.stores).repeal(basis_id, body.effective)


@dataclass
class Registry:
    """The legal registers as the checks see them (``domain.checks.LegalRegistry``)."""

    deps: Deps

    def officer(self, officer_id: str) -> legal.Officer | None:
        body = Officers(self.deps.stores).get(officer_id)
        if body is None:
            return None
        return legal.Officer(officer_id=body["officer_id"], name=body["name"], dept_code=body["dept_code"],
                             cert_no=body["cert_no"], valid_from=date.fromisoformat(body["valid_from"]),
                             valid_to=date.fromisoformat(body["valid_to"]), scope=body.get("scope"))

    def basis(self, basis_id: str) -> legal.LegalBasis | None:
        body = Bases(self.deps.stores).get(basis_id)
        if body is None:
            return None
        rep = body.get("repealed_on")
        return legal.LegalBasis(id=body["id"], title=body["title"], repealed_on=date.fromisoformat(rep) if rep else None)
