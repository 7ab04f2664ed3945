"""Catalog use cases (行政权力库): declare, confirm, reject, read, search, publish.

Records and their keys: ``catalog.repositories``.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN, Principal
from chalicelib.identity.services.departments import get_department, list_departments
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from chalicelib.kernel.ports import ConditionFailedError

from .domain import items as dom
from .domain.validation import validate_declaration
from .repositories import Bases, ItemVersions


class ConfirmIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    effective_from: date


class RejectIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=2, max_length=2000)


def all_versions(deps: Deps, *, fresh: bool = False) -> list[dom.ItemVersion]:
    """Every version of every item (the catalog is small: hundreds to a few thousand)."""
    return ItemVersions(deps.stores).all(fresh=fresh)


def versions_of(deps: Deps, code: str) -> list[dom.ItemVersion]:
    return ItemVersions(deps.stores).of(code)


def declare(deps: Deps, principal: Principal, raw: Any) -> dict[str, Any]:
    """申报: a department declares a new item or a new version of an existing code."""
    decl, problems = validate_declaration(raw)
    if decl is None or problems:
        raise ValidationError("事项信息不完整或有误", problems)
    if not principal.holds(SYSTEM_ADMIN) and principal.dept_code != decl.dept_code:
        raise ForbiddenError("只能申报本部门的事项", [{"field": "dept_code", "type": "forbidden",
                                                     "message": "部门工作人员只能申报本部门事项"}])
    if get_department(deps.stores, decl.dept_code) is None:
        raise ValidationError("部门不存在", [{"field": "dept_code", "type": "unknown", "message": "未知部门代码"}])
    versions = ItemVersions(deps.stores)
    for _ in range(5):
        number = versions.latest_number(decl.code) + 1
        version = dom.ItemVersion(code=decl.code, version=number, status="declared", declared_at=deps.now().isoformat(),
                                  declared_by=principal.actor_name, item=decl)
        try:
            versions.add(version)
            break
        except ConditionFailedError:
            continue
    else:
        raise ConflictError("并发申报冲突，请重试")
    bases = Bases(deps.stores)
    for basis in decl.legal_basis:
        bases.register(basis.id, basis.title)
    return {"code": decl.code, "version": number, "status": "declared"}


def _get_version(deps: Deps, code: str, version: int) -> tuple[dom.ItemVersion, int | None]:
    found = ItemVersions(deps.stores).get(code, version)
    if found is None:
        raise NotFoundError(f"事项 {code} 不存在第 {version} 版")
    return found


def _save_decision(deps: Deps, v: dom.ItemVersion, record_version: int | None) -> None:
    try:
        ItemVersions(deps.stores).save(v, record_version)
    except ConditionFailedError:
        raise ConflictError("该版本已被他人处理") from None


def confirm(deps: Deps, principal: Principal, code: str, version: int, body: ConfirmIn) -> dict[str, Any]:
    """审核确认 by the legal office, with the date the version takes effect."""
    v, record_version = _get_version(deps, code, version)
    v.confirm(body.effective_from, principal.actor_name, deps.now())
    _save_decision(deps, v, record_version)
    publish(deps, codes={code})
    return {"code": code, "version": version, "status": "confirmed",
            "effective_from": body.effective_from.isoformat()}


def reject(deps: Deps, principal: Principal, code: str, version: int, body: RejectIn) -> dict[str, Any]:
    v, record_version = _get_version(deps, code, version)
    v.reject(body.reason, principal.actor_name, deps.now())
    _save_decision(deps, v, record_version)
    return {"code": code, "version": version, "status": "rejected", "reason": body.reason}


def in_force(deps: Deps, code: str, day: date) -> dom.ItemVersion | None:
    return dom.version_in_force([v for v in all_versions(deps) if v.code == code], day)


def current_items(deps: Deps, day: date) -> list[dom.ItemVersion]:
    by_code: dict[str, list[dom.ItemVersion]] = {}
    for v in all_versions(deps):
        by_code.setdefault(v.code, []).append(v)
    out = [cur for versions in by_code.values() if (cur := dom.version_in_force(versions, day))]
    return sorted(out, key=lambda v: v.code)


def pending(deps: Deps) -> list[dom.ItemVersion]:
    return ItemVersions(deps.stores).pending()


def public_item(v: dom.ItemVersion) -> dict[str, Any]:
    """The public face of a version: no staff usernames."""
    body = v.item.model_dump(mode="json")
    body.update({"code": v.code, "version": v.version, "status": v.status,
                 "effective_from": v.effective_from.isoformat() if v.effective_from else None,
                 "display_code": dom.display_code(v.code), "category_name": dom.CATEGORIES[v.item.category]})
    return body


def search(deps: Deps, day: date, q: str | None, dept_code: str | None, category: str | None) -> list[dict[str, Any]]:
    from .domain import search as srch  # pypinyin's dictionaries cost ~150 ms: loaded on first search, not at cold start

    items = current_items(deps, day)
    if dept_code:
        items = [v for v in items if v.item.dept_code == dept_code]
    if category:
        items = [v for v in items if v.item.category == category.upper()]
    if q and q.strip():
        docs = [srch.SearchDoc(code=v.code, name=v.item.name, keywords=tuple(v.item.keywords)) for v in items]
        order = srch.rank(q, docs)
        by_code = {v.code: v for v in items}
        items = [by_code[c] for c in order if c in by_code]
    return [public_item(v) for v in items]


def basis(deps: Deps, basis_id: str) -> dict[str, Any] | None:
    """A legal basis as registered (with its repeal date), None when no item ever cited it."""
    return Bases(deps.stores).get(basis_id)


def publish(deps: Deps, codes: set[str] | None = None) -> None:
    """Publish the public catalog as static JSON into the hall bucket (browsing needs no Lambda).

    The index is always rewritten; item documents only for ``codes`` (all when None). The daily
    schedule republishes everything, so versions that take effect on a later date appear then.
    """
    from .domain import publication  # imports search (pypinyin): only when publishing, not at cold start

    day = deps.today()
    versions = all_versions(deps, fresh=True)
    current = current_items(deps, day)
    departments = list_departments(deps.stores)
    names = {d["code"]: d["name"] for d in departments}
    deps.publisher.put_json("catalog/index.json", publication.build_index(current, departments, deps.now().isoformat()))
    for cur in current:
        if codes is not None and cur.code not in codes:
            continue
        history = [v for v in versions if v.code == cur.code]
        deps.publisher.put_json(f"catalog/items/{cur.code}.json",
                                publication.build_item_doc(cur, history, names.get(cur.item.dept_code, "")))
