"""Read routes the staff console (工作台) needs beyond the contract: the supervision bureau's
real-time board (实时监控) with its drill-down, and the legal registers as lists — enforcement
officers with their certificate periods, legal bases with their repeal dates."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from ..domain.errors import ForbiddenError, NotFoundError
from ..services import catalog
from .http import Ctx, route

bp = Blueprint(__name__)
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")


def _now() -> datetime:
    return datetime.now(UTC)


class BoardQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None


class BoardDeptQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = None
    light: Literal["green", "yellow", "red"] | None = None
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=10, pattern=r"^\d+$")


@route(bp, "/supervision/board", roles=("supervisor", "dept_supervision", "dept_head"), query=BoardQuery,
       tag="supervision", summary="实时监控: per department, open cases by light, open yellow/red signals, overdue "
       "explanations (department roles: their own)")
def board(ctx: Ctx, query: BoardQuery) -> dict[str, Any]:
    from ..identity.services.departments import list_departments
    from ..supervision import board as service

    stores = wiring.stores()
    return service.load_board(stores, wiring.calendar(), ctx.principal, list_departments(stores),
                              query.as_of or _now())


@route(bp, "/supervision/board/{dept_code}", roles=("supervisor", "dept_supervision", "dept_head"),
       query=BoardDeptQuery, tag="supervision", summary="A department's open cases with their light, most urgent first")
def board_department(ctx: Ctx, dept_code: str, query: BoardDeptQuery) -> dict[str, Any]:
    from ..identity.services.departments import list_departments
    from ..supervision import board as service

    stores = wiring.stores()
    dept = next((d for d in list_departments(stores) if d["code"] == dept_code), None)
    if dept is None:
        raise NotFoundError("部门不存在")
    if not service.visible(ctx.principal, dept):
        raise ForbiddenError("只能查看本部门（或本辖区）的办件", [{"field": "dept_code", "type": "forbidden",
                                                              "message": "不在可查看的范围内"}])
    return {**service.load_department(stores, wiring.calendar(), dept_code, query.as_of or _now(), query.light,
                                      query.limit, query.cursor), "dept_name": dept.get("name")}


class OfficerQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    expiring_within: int | None = Field(default=None, ge=0, le=3650,
                                        description="only officers whose certificate ends within this many days "
                                                    "(or has ended)")
    as_of: date | None = None
    limit: int = Field(default=200, ge=1, le=500)


def officer_status(body: dict[str, Any], day: date, soon_days: int = 30) -> str:
    """valid / expiring (within ``soon_days``) / expired / not_yet, on ``day``."""
    start, end = date.fromisoformat(body["valid_from"]), date.fromisoformat(body["valid_to"])
    if day < start:
        return "not_yet"
    if day > end:
        return "expired"
    return "expiring" if end - day <= timedelta(days=soon_days) else "valid"


@route(bp, "/legal/officers", roles=("legal", "supervisor", *DEPT_ROLES), query=OfficerQuery, tag="legal",
       summary="Enforcement officers (执法人员) with certificate periods and status; department roles: their own")
def officers(ctx: Ctx, query: OfficerQuery) -> dict[str, Any]:
    from ..identity.services.departments import list_departments

    stores = wiring.stores()
    principal = ctx.principal
    if principal.is_department_scoped:
        if query.dept_code and query.dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的执法人员")
        depts = [str(principal.dept_code)]
    else:
        depts = [query.dept_code] if query.dept_code else [d["code"] for d in list_departments(stores)]
    day = query.as_of or catalog.today()
    soon = query.expiring_within if query.expiring_within is not None else 30
    out = []
    for dept in depts:
        for body in catalog.list_officers(stores, dept):
            status = officer_status(body, day, soon)
            if query.expiring_within is not None and status not in ("expiring", "expired"):
                continue
            out.append({**body, "status": status})
    out.sort(key=lambda o: (o.get("dept_code", ""), o.get("valid_to", ""), o.get("officer_id", "")))
    return {"items": out[:query.limit], "next": None, "as_of": day.isoformat(), "total": len(out)}


class BasisQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    repealed: bool | None = None
    q: str | None = Field(default=None, max_length=100)


@route(bp, "/legal/bases", roles=("legal", "supervisor"), query=BasisQuery, tag="legal",
       summary="Legal bases cited by the catalog, with their repeal dates and the items in force citing them")
def bases(ctx: Ctx, query: BasisQuery) -> dict[str, Any]:
    stores = wiring.stores()
    day = catalog.today()
    cited: dict[str, dict[str, Any]] = {}
    for v in catalog.current_items(stores, day):
        for ref in v.item.legal_basis:
            entry = cited.setdefault(ref.id, {"id": ref.id, "title": ref.title, "items": []})
            entry["items"].append({"code": v.code, "name": v.item.name, "article": ref.article})
    found = stores.table("catalog").get_many([(f"BASIS#{i}", "META") for i in cited])
    out = []
    for basis_id, entry in sorted(cited.items()):
        record = found.get((f"BASIS#{basis_id}", "META"))
        repealed_on = record.body.get("repealed_on") if record else None
        entry["repealed_on"] = repealed_on
        if query.repealed is not None and bool(repealed_on) != query.repealed:
            continue
        if query.q and query.q not in f"{basis_id}{entry['title']}":
            continue
        out.append(entry)
    return {"items": out, "next": None, "as_of": day.isoformat()}
