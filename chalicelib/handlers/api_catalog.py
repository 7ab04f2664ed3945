"""Power catalog (行政权力库) and legal registers routes (docs/CONTRACT.md §4)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN
from chalicelib.kernel.errors import NotFoundError, ValidationError

from .. import wiring
from .http import Ctx, read_json, route

if TYPE_CHECKING:
    from chalicelib.catalog import services as catalog
    from chalicelib.legal.services import registers

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
CATALOG = "chalicelib.catalog.services"
REGISTERS = "chalicelib.legal.services.registers"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.catalog"
STAFF_DECLARE = ("handler", "dept_head", SYSTEM_ADMIN)


def _code(raw: str) -> str:
    from chalicelib.catalog.domain.items import InvalidCodeError, normalize_code

    try:
        return normalize_code(raw)
    except InvalidCodeError as exc:
        raise ValidationError("事项编码无效", [{"field": "code", "type": "invalid", "message": str(exc)}]) from None


def _version(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 9999:
        raise ValidationError("版本号无效", [{"field": "version", "type": "invalid", "message": "版本号应为正整数"}])
    return int(raw)


# ----- answers (docs/CONTRACT.md §4) -----------------------------------------------------------


class ItemListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    category: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    q: str | None = Field(default=None, max_length=100)
    at: date | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=20, pattern=r"^\d+$")


class AtQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    at: date | None = None


@route(bp, "/catalog/items", "POST", roles=STAFF_DECLARE, summary="Declare an item or a new version (申报)",
       tag="catalog", status=201, body=None, response=f"{ANSWERS}:Declared")
def declare(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    return catalog.declare(wiring.deps(), ctx.principal, read_json(ctx.request))


@route(bp, "/catalog/items", auth="public", cache=True, query=ItemListQuery, tag="catalog", response=f"{ANSWERS}:ItemPage",
       summary="Confirmed items in force today; q searches code, name and keywords (Chinese)")
def list_items(ctx: Ctx, query: ItemListQuery) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    deps = wiring.deps()
    items = catalog.search(deps, query.at or deps.today(), query.q, query.dept_code, query.category)
    start = int(query.cursor or 0)
    page = items[start:start + query.limit]
    nxt = str(start + query.limit) if start + query.limit < len(items) else None
    return {"items": page, "next": nxt, "total": len(items)}


@route(bp, "/catalog/items/{code}", auth="public", cache=True, query=AtQuery, tag="catalog", response=f"{ANSWERS}:PublicItem",
       summary="The version in force today, or on ?at=YYYY-MM-DD")
def get_item(ctx: Ctx, code: str, query: AtQuery) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    deps = wiring.deps()
    v = catalog.in_force(deps, _code(code), query.at or deps.today())
    if v is None:
        raise NotFoundError("事项不存在或在该日期未生效")
    return catalog.public_item(v)


@route(bp, "/catalog/items/{code}/versions", auth="public", cache=True, tag="catalog", summary="The full version history",
       response=f"{ANSWERS}:ItemVersions")
def versions(ctx: Ctx, code: str) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    found = catalog.versions_of(wiring.deps(), _code(code))
    if not found:
        raise NotFoundError("事项不存在")
    out = []
    for v in found:
        doc = catalog.public_item(v)
        doc.update(declared_at=v.declared_at, confirmed_at=v.confirmed_at, rejected_reason=v.rejected_reason)
        out.append(doc)
    return {"items": out, "next": None}


@route(bp, "/catalog/items/{code}/versions/{version}/confirm", "POST", roles=("legal",),
       body=f"{CATALOG}:ConfirmIn", tag="catalog", summary="Legal office confirms a declared version (审核确认)",
       response=f"{ANSWERS}:Decided")
def confirm(ctx: Ctx, code: str, version: str, body: catalog.ConfirmIn) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    return catalog.confirm(wiring.deps(), ctx.principal, _code(code), _version(version), body)


@route(bp, "/catalog/items/{code}/versions/{version}/reject", "POST", roles=("legal",),
       body=f"{CATALOG}:RejectIn", tag="catalog", summary="Legal office rejects a declared version, with a reason",
       response=f"{ANSWERS}:Decided")
def reject(ctx: Ctx, code: str, version: str, body: catalog.RejectIn) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    return catalog.reject(wiring.deps(), ctx.principal, _code(code), _version(version), body)


@route(bp, "/catalog/pending", roles=("legal", "supervisor"), tag="catalog", response=f"{ANSWERS}:PendingItems",
       summary="Declarations awaiting the legal office")
def pending(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.catalog import services as catalog

    waiting = catalog.pending(wiring.deps(), ctx.principal)
    return {"items": [{**catalog.public_item(v), "declared_at": v.declared_at} for v in waiting], "next": None}


@route(bp, "/legal/officers", "POST", roles=("legal", SYSTEM_ADMIN), body=f"{REGISTERS}:OfficerIn", status=201, tag="legal",
       response=f"{ANSWERS}:Officer",
       summary="Register an enforcement officer with certificate validity")
def add_officer(ctx: Ctx, body: registers.OfficerIn) -> dict[str, Any]:
    from chalicelib.legal.services import registers

    return registers.add_officer(wiring.deps(), ctx.principal, body)


@route(bp, "/legal/officers/{officer_id}", roles=("legal", "supervisor", "dept_head", "dept_supervision"),
       response=f"{ANSWERS}:Officer",
       tag="legal", summary="An enforcement officer with every certificate period held (执法证历史)")
def get_officer(ctx: Ctx, officer_id: str) -> dict[str, Any]:
    from chalicelib.legal.services import registers

    found = registers.officer(wiring.deps(), officer_id)
    if found is None or not ctx.principal.may_see_dept(found.get("dept_code")):
        raise NotFoundError("执法人员不存在")
    return found


@route(bp, "/legal/bases/{basis_id}/repeal", "POST", roles=("legal",), body=f"{REGISTERS}:RepealIn", tag="legal",
       response=f"{ANSWERS}:LegalBasis",
       summary="Record the repeal of a legal basis from a date")
def repeal(ctx: Ctx, basis_id: str, body: registers.RepealIn) -> dict[str, Any]:
    from chalicelib.legal.services import registers

    return registers.repeal_basis(wiring.deps(), basis_id, body)


# The declaration body is validated by the catalog service (all problems at once); this keeps the
# OpenAPI document describing it.
DECLARATION_MODEL = "chalicelib.catalog.domain.items:ItemDeclaration"
