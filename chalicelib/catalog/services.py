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
from .repositories import Bases, ItemVersions, Published


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
    """审核确认 by the legal office (of the item's department's region), with the date the version takes effect."""
    principal.scope.require(code[6:9])
    v, record_version = _get_version(deps, code, version)
    v.confirm(body.effective_from, principal.actor_name, deps.now())
    _save_decision(deps, v, record_version)
    publish(deps, codes={code})
    return {"code": code, "version": version, "status": "confirmed",
            "effective_from": body.effective_from.isoformat()}


def reject(deps: Deps, principal: Principal, code: str, version: int, body: RejectIn) -> dict[str, Any]:
    principal.scope.require(code[6:9])
    v, record_version = _get_version(deps, code, version)
    v.reject(body.reason, principal.actor_name, deps.now())
    _save_decision(deps, v, record_version)
    return {"code": code, "version": version, "status": "rejected", "reason": body.reason}


def in_force(deps: Deps, code: str, day: date) -> dom.ItemVersion | None:
    """The version of ``code`` in force on ``day``. Reads that item's versions only (one small query,
    cached as long as the catalog cache): a case's projection must not cost the whole catalog."""
    return dom.version_in_force(ItemVersions(deps.stores).of_cached(code), day)


def current_items(deps: Deps, day: date) -> list[dom.ItemVersion]:
    by_code: dict[str, list[dom.ItemVersion]] = {}
    for v in all_versions(deps):
        by_code.setdefault(v.code, []).append(v)
    out = [cur for versions in by_code.values() if (cur := dom.version_in_force(versions, day))]
    return sorted(out, key=lambda v: v.code)


def pending(deps: Deps, principal: Principal | None = None) -> list[dom.ItemVersion]:
    """Declarations awaiting the legal office (only the principal's region's, when given)."""
    found = ItemVersions(deps.stores).pending()
    return found if principal is None else principal.scope.keep(found, lambda v: v.code[6:9])


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


#: Cache lifetimes of the published files (the manifest is small and changes; shards and the
#: pinyin table never change under their content-hashed keys; guides change rarely).
CACHE_MANIFEST = "public, max-age=60"
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_ITEM = "public, max-age=300"
#: Shards no manifest names any more are deleted by a full publication after this long (a page
#: loaded just before a change still reads the shards its manifest named).
STALE_SHARD_SECONDS = 86_400


def publish(deps: Deps, codes: set[str] | None = None) -> dict[str, int]:
    """Publish the public catalog as static, gzip-encoded JSON into the hall bucket (browsing needs
    no Lambda; see ``domain/publication.py`` for the files).

    With ``codes`` (a confirmation) only the shards of those codes' departments and their item
    guides are rebuilt, reading only those departments' versions; without (the nightly schedule,
    the local stack's start) everything is, so versions that take effect on a later date appear
    then. A file whose content has not changed is not written again. Returns what was written.
    """
    import gzip
    import hashlib

    from .domain import publication as pub  # imports search (pypinyin): only when publishing, not at cold start

    day = deps.today()
    departments = list_departments(deps.stores)
    names = {d["code"]: d["name"] for d in departments}
    published = Published(deps.stores)
    written = {"shards": 0, "items": 0}

    def put(key: str, doc: Any, cache: str) -> None:
        deps.publisher.put_file(key, gzip.compress(pub.encode(doc), mtime=0), content_type="application/json; charset=utf-8",
                                cache_control=cache, content_encoding="gzip")

    if codes is None:
        versions = all_versions(deps, fresh=True)
        prefixes = sorted({pub.shard_prefix(v.code) for v in versions})
    else:
        prefixes = sorted({pub.shard_prefix(c) for c in codes})
        versions = [v for p in prefixes for v in ItemVersions(deps.stores).with_prefix(p)]
    known = published.shards()
    by_prefix: dict[str, list[dom.ItemVersion]] = {p: [] for p in prefixes}
    for v in versions:
        by_prefix.setdefault(pub.shard_prefix(v.code), []).append(v)
    for prefix, held in by_prefix.items():
        by_code: dict[str, list[dom.ItemVersion]] = {}
        for v in held:
            by_code.setdefault(v.code, []).append(v)
        current = [cur for vs in by_code.values() if (cur := dom.version_in_force(vs, day))]
        shard = pub.build_shard(prefix, current, names.get(prefix[6:], ""))
        key = pub.content_key("shards", prefix, shard)
        before = known.get(prefix) or {}
        docs = dict(before.get("docs") or {})
        for cur in current:
            if codes is not None and cur.code not in codes and cur.code in docs:
                continue
            doc = pub.build_item_doc(cur, by_code[cur.code], names.get(cur.item.dept_code, ""))
            digest = hashlib.sha256(pub.encode(doc)).hexdigest()[:16]
            if docs.get(cur.code) != digest:
                put(pub.item_doc_key(cur.code), doc, CACHE_ITEM)
                docs[cur.code] = digest
                written["items"] += 1
        entry = {**pub.shard_entry(key, shard), "docs": docs}
        if before.get("key") != key:
            put(key, shard, CACHE_IMMUTABLE)
            written["shards"] += 1
        if entry != before:
            published.save_shard(prefix, entry)
            known[prefix] = entry
    pinyin_key = pub.content_key("", "pinyin", pub.pinyin_table())
    if published.pinyin_key() != pinyin_key:
        put(pinyin_key, pub.pinyin_table(), CACHE_IMMUTABLE)
        published.save_pinyin_key(pinyin_key)
    manifest = pub.build_manifest(known.values(), departments, deps.now().isoformat(), pinyin_key)
    put(pub.MANIFEST_KEY, manifest, CACHE_MANIFEST)
    if codes is None:
        _delete_stale_shards(deps, {f"catalog/{e['path']}" for e in manifest["shards"]})
    return written


def _delete_stale_shards(deps: Deps, named: set[str]) -> None:
    """Shards no manifest has named for a day (superseded by a later confirmation)."""
    cutoff = deps.now().timestamp() - STALE_SHARD_SECONDS
    stale = [key for key, modified in deps.publisher.list_files("catalog/shards/")
             if key not in named and modified.timestamp() < cutoff]
    if stale:
        deps.publisher.delete_files(stale)
