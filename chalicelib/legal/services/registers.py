"""The legal registers (法律依据与执法人员): enforcement officers with their certificates, and the
repeal of legal bases. ``Registry`` is how the legality checks and the operation platform read them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.catalog.repositories import Bases
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ValidationError
from chalicelib.kernel.ports import ConditionFailedError

from ..domain import checks as legal
from ..domain.registers import officer_of, with_certificate
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
    """Register an officer's certificate. Registering the officer again adds the new certificate to
    ``certificates`` (``registers.with_certificate``), so every period held stays on record (L3)."""
    if body.valid_to < body.valid_from:
        raise ValidationError("证件有效期有误", [{"field": "valid_to", "type": "invalid",
                                                  "message": "有效期截止日不得早于起始日"}])
    officers = Officers(deps.stores)
    data = body.model_dump(mode="json")
    for _attempt in range(5):
        held, version = officers.held(body.officer_id)
        record = with_certificate(held, data)
        try:
            officers.save(record, version)
        except ConditionFailedError:
            continue  # registered concurrently: merge with what is there now
        return record
    raise ConflictError("执法人员信息正被修改，请重试")


def officer(deps: Deps, officer_id: str) -> dict[str, Any] | None:
    """An officer with every certificate period held (执法证历史)."""
    return Officers(deps.stores).get(officer_id)


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
        return officer_of(body) if body is not None else None

    def basis(self, basis_id: str) -> legal.LegalBasis | None:
        body = Bases(self.deps.stores).get(basis_id)
        if body is None:
            return None
        rep = body.get("repealed_on")
        return legal.LegalBasis(id=body["id"], title=body["title"], repealed_on=date.fromisoformat(rep) if rep else None)
