"""Catalog use cases (行政权力库): declare, confirm, reject, read, search, publish.

Storage layout (catalog table):
``ITEM#{code} / V#{nnnn}`` one version (body = ItemVersion), index ``gsi1`` ``ITEMS`` lists every
version; ``gsi2`` ``PENDING`` is sparse and lists only declarations awaiting the legal office.
``BASIS#{id} / META`` legal bases (with repeal dates), ``OFFICER#{id} / META`` enforcement officers.
"""
from __future__ import annotations

import contextlib
import time
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..domain import catalog as dom
from ..domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from ..identity.domain.roles import SYSTEM_ADMIN, Principal
from .ports import ConditionFailedError, Item, Stores

CACHE_SECONDS = 30.0
_versions_cache: tuple[float, list[dom.ItemVersion]] | None = None
_code_cache: dict[str, tuple[float, list[dom.ItemVersion]]] = {}


class ConfirmIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    effective_from: date


class RejectIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=2, max_length=2000)


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


def today() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def invalidate_cache() -> None:
    global _versions_cache
    _versions_cache = None
    _code_cache.clear()


def _version_item(v: dom.ItemVersion) -> Item:
    pending = v.status == "declared"
    return Item(pk=f"ITEM#{v.code}", sk=f"V#{v.version:04d}", body=v.model_dump(mode="json"),
                gsi1pk="ITEMS", gsi1sk=f"{v.code}#{v.version:04d}",
                gsi2pk="PENDING" if pending else None, gsi2sk=f"{v.declared_at}#{v.code}" if pending else None)


def all_versions(stores: Stores, *, fresh: bool = False) -> list[dom.ItemVersion]:
    """Every version of every item (the catalog is small: hundreds to a few thousand)."""
    global _versions_cache
    now = time.monotonic()
    if not fresh and _versions_cache and now - _versions_cache[0] < CACHE_SECONDS:
        return _versions_cache[1]
    versions = [dom.ItemVersion.model_validate(i.body)
                for i in stores.table("catalog").query_all("ITEMS", index="gsi1")]
    _versions_cache = (now, versions)
    return versions


def versions_of(stores: Stores, code: str) -> list[dom.ItemVersion]:
    page = stores.table("catalog").query(f"ITEM#{code}", "V#", limit=500)
    return [dom.ItemVersion.model_validate(i.body) for i in page.items]


def declare(stores: Stores, principal: Principal, raw: Any) -> dict[str, Any]:
    """申报: a department declares a new item or a new version of an existing code."""
    decl, problems = dom.validate_declaration(raw)
    if decl is None or problems:
        raise ValidationError("事项信息不完整或有误", problems)
    if not principal.holds(SYSTEM_ADMIN) and principal.dept_code != decl.dept_code:
        raise ForbiddenError("只能申报本部门的事项", [{"field": "dept_code", "type": "forbidden",
                                                     "message": "部门工作人员只能申报本部门事项"}])
    from ..identity.services.departments import get_department

    if get_department(stores, decl.dept_code) is None:
        raise ValidationError("部门不存在", [{"field": "dept_code", "type": "unknown", "message": "未知部门代码"}])
    table = stores.table("catalog")
    for _ in range(5):
        latest = table.query(f"ITEM#{decl.code}", "V#", limit=1, forward=False).items
        number = int(latest[0].sk[2:]) + 1 if latest else 1
        version = dom.ItemVersion(code=decl.code, version=number, status="declared", declared_at=_now_iso(),
                                  declared_by=principal.actor_name, item=decl)
        try:
            table.put(_version_item(version), if_absent=True)
            break
        except ConditionFailedError:
            continue
    else:
        raise ConflictError("并发申报冲突，请重试")
    for basis in decl.legal_basis:
        with contextlib.suppress(ConditionFailedError):  # a basis already registered keeps its repeal date
            table.put(Item(pk=f"BASIS#{basis.id}", sk="META", body={"id": basis.id, "title": basis.title,
                                                                    "repealed_on": None}), if_absent=True)
    invalidate_cache()
    return {"code": decl.code, "version": number, "status": "declared"}


def _get_version(stores: Stores, code: str, version: int) -> tuple[Item, dom.ItemVersion]:
    item = stores.table("catalog").get(f"ITEM#{code}", f"V#{version:04d}")
    if item is None:
        raise NotFoundError(f"事项 {code} 不存在第 {version} 版")
    return item, dom.ItemVersion.model_validate(item.body)


def confirm(stores: Stores, principal: Principal, code: str, version: int, body: ConfirmIn) -> dict[str, Any]:
    """审核确认 by the legal office, with the date the version takes effect."""
    item, v = _get_version(stores, code, version)
    if v.status != "declared":
        raise ConflictError(f"该版本状态为 {v.status}，已确认或已退回的版本不可再改")
    v.status = "confirmed"
    v.effective_from = body.effective_from
    v.confirmed_at = _now_iso()
    v.confirmed_by = principal.actor_name
    try:
        stores.table("catalog").put(_version_item(v), expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("该版本已被他人处理") from None
    invalidate_cache()
    publish(stores, codes={code})
    return {"code": code, "version": version, "status": "confirmed",
            "effective_from": body.effective_from.isoformat()}


def reject(stores: Stores, principal: Principal, code: str, version: int, body: RejectIn) -> dict[str, Any]:
    item, v = _get_version(stores, code, version)
    if v.status != "declared":
        raise ConflictError(f"该版本状态为 {v.status}，不可退回")
    v.status = "rejected"
    v.rejected_reason = body.reason
    v.confirmed_at = _now_iso()
    v.confirmed_by = principal.actor_name
    try:
        stores.table("catalog").put(_version_item(v), expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("该版本已被他人处理") from None
    invalidate_cache()
    return {"code": code, "version": version, "status": "rejected", "reason": body.reason}


def in_force(stores: Stores, code: str, day: date) -> dom.ItemVersion | None:
    """The version of ``code`` in force on ``day``. Reads that item's versions only (one small query,
    cached as long as the catalog cache): a case's projection must not cost the whole catalog."""
    now = time.monotonic()
    held = _code_cache.get(code)
    if held is None or now - held[0] >= CACHE_SECONDS:
        held = (now, versions_of(stores, code))
        _code_cache[code] = held
    return dom.version_in_force(held[1], day)


def current_items(stores: Stores, day: date) -> list[dom.ItemVersion]:
    by_code: dict[str, list[dom.ItemVersion]] = {}
    for v in all_versions(stores):
        by_code.setdefault(v.code, []).append(v)
    out = [cur for versions in by_code.values() if (cur := dom.version_in_force(versions, day))]
    return sorted(out, key=lambda v: v.code)


def pending(stores: Stores) -> list[dom.ItemVersion]:
    page = stores.table("catalog").query("PENDING", index="gsi2", limit=500)
    return [dom.ItemVersion.model_validate(i.body) for i in page.items]


def public_item(v: dom.ItemVersion) -> dict[str, Any]:
    """The public face of a version: no staff usernames."""
    body = v.item.model_dump(mode="json")
    body.update({"code": v.code, "version": v.version, "status": v.status,
                 "effective_from": v.effective_from.isoformat() if v.effective_from else None,
                 "display_code": dom.display_code(v.code), "category_name": dom.CATEGORIES[v.item.category]})
    return body


def search(stores: Stores, day: date, q: str | None, dept_code: str | None, category: str | None) -> list[dict[str, Any]]:
    from ..domain import search as srch

    items = current_items(stores, day)
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


# ----- legal registers -------------------------------------------------------------------------

def add_officer(stores: Stores, body: OfficerIn) -> dict[str, Any]:
    """Register an officer's certificate. Registering the officer again adds the new certificate to
    ``certificates`` (the same number and start replace their earlier entry), so every period the
    officer held stays on record for judging past acts (L3)."""
    if body.valid_to < body.valid_from:
        raise ValidationError("证件有效期有误", [{"field": "valid_to", "type": "invalid",
                                                  "message": "有效期截止日不得早于起始日"}])
    table = stores.table("catalog")
    data = body.model_dump(mode="json")
    cert = {k: data[k] for k in ("cert_no", "valid_from", "valid_to", "dept_code", "scope")}
    for _attempt in range(5):
        held = table.get(f"OFFICER#{body.officer_id}", "META")
        earlier = list((held.body.get("certificates") or [_certificate_of(held.body)]) if held else [])
        kept = [c for c in earlier if (c["cert_no"], c["valid_from"]) != (cert["cert_no"], cert["valid_from"])]
        certificates = sorted([*kept, cert], key=lambda c: (c["valid_from"], c["cert_no"]))
        latest = max(certificates, key=lambda c: c["valid_from"])
        record = {**data, **latest, "certificates": certificates}
        item = Item(pk=f"OFFICER#{body.officer_id}", sk="META", body=record,
                    gsi1pk=f"OFFICERS#{latest['dept_code']}", gsi1sk=body.officer_id,
                    version=held.version if held else None)
        try:
            if held is None:
                table.put(item, if_absent=True)
            else:
                table.put(item, expected_version=held.version)
        except ConditionFailedError:
            continue  # registered concurrently: merge with what is there now
        return record
    raise ConflictError("执法人员信息正被修改，请重试")


def _certificate_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single certificate of an officer registered before histories were kept."""
    return {k: body.get(k) for k in ("cert_no", "valid_from", "valid_to", "dept_code", "scope")}


def officer(stores: Stores, officer_id: str) -> dict[str, Any] | None:
    item = stores.table("catalog").get(f"OFFICER#{officer_id}", "META")
    return item.body if item else None


def list_officers(stores: Stores, dept_code: str) -> list[dict[str, Any]]:
    return [i.body for i in stores.table("catalog").query(f"OFFICERS#{dept_code}", index="gsi1", limit=500).items]


def basis(stores: Stores, basis_id: str) -> dict[str, Any] | None:
    item = stores.table("catalog").get(f"BASIS#{basis_id}", "META")
    return item.body if item else None


def repeal_basis(stores: Stores, basis_id: str, body: RepealIn) -> dict[str, Any]:
    table = stores.table("catalog")
    item = table.get(f"BASIS#{basis_id}", "META")
    if item is None:
        raise NotFoundError(f"法律依据 {basis_id} 不存在")
    item.body["repealed_on"] = body.effective.isoformat()
    table.put(item, expected_version=item.version)
    return item.body


# ----- publication to the hall bucket ----------------------------------------------------------

#: Cache lifetimes of the published files (the manifest is small and changes; shards and the
#: pinyin table never change under their content-hashed keys; guides change rarely).
CACHE_MANIFEST = "public, max-age=60"
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_ITEM = "public, max-age=300"
#: Shards no manifest names any more are deleted by a full publication after this long (a page
#: loaded just before a change still reads the shards its manifest named).
STALE_SHARD_SECONDS = 86_400
_PUBLISHED = "PUBLISHED"  # catalog table: PUBLISHED / SHARD#{prefix} what the manifest says of each shard


def publish(stores: Stores, codes: set[str] | None = None) -> dict[str, int]:
    """Publish the public catalog as static, gzip-encoded JSON into the hall bucket (browsing needs
    no Lambda; see ``domain/publication.py`` for the files).

    With ``codes`` (a confirmation) only the shards of those codes' departments and their item
    guides are rebuilt, reading only those departments' versions; without (the nightly schedule,
    the local stack's start) everything is, so versions that take effect on a later date appear
    then. A file whose content has not changed is not written again. Returns what was written.
    """
    import gzip
    import hashlib

    from .. import wiring
    from ..domain import publication as pub
    from ..identity.services.departments import list_departments
    from ..settings import get_settings

    s3 = wiring.aws("s3")
    bucket = get_settings().hall_bucket
    day = today()
    table = stores.table("catalog")
    departments = list_departments(stores)
    names = {d["code"]: d["name"] for d in departments}
    written = {"shards": 0, "items": 0}

    def put(key: str, doc: Any, cache: str) -> None:
        s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(pub.encode(doc), mtime=0),
                      ContentType="application/json; charset=utf-8", ContentEncoding="gzip", CacheControl=cache)

    if codes is None:
        versions = all_versions(stores, fresh=True)
        prefixes = sorted({pub.shard_prefix(v.code) for v in versions})
    else:
        prefixes = sorted({pub.shard_prefix(c) for c in codes})
        versions = [dom.ItemVersion.model_validate(i.body)
                    for p in prefixes for i in table.query_all("ITEMS", p, index="gsi1")]
    known = {i.sk.removeprefix("SHARD#"): i.body for i in table.query_all(_PUBLISHED, "SHARD#")}
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
            table.put(Item(pk=_PUBLISHED, sk=f"SHARD#{prefix}", body=entry))
            known[prefix] = entry
    pinyin_key = pub.content_key("", "pinyin", pub.pinyin_table())
    marker = table.get(_PUBLISHED, "PINYIN")
    if marker is None or marker.body.get("key") != pinyin_key:
        put(pinyin_key, pub.pinyin_table(), CACHE_IMMUTABLE)
        table.put(Item(pk=_PUBLISHED, sk="PINYIN", body={"key": pinyin_key}))
    manifest = pub.build_manifest(known.values(), departments, _now_iso(), pinyin_key)
    put(pub.MANIFEST_KEY, manifest, CACHE_MANIFEST)
    if codes is None:
        _delete_stale_shards(s3, bucket, {f"catalog/{e['path']}" for e in manifest["shards"]})
    return written


def _delete_stale_shards(s3: Any, bucket: str, named: set[str]) -> None:
    """Shards no manifest has named for a day (superseded by a later confirmation)."""
    cutoff = datetime.now(UTC).timestamp() - STALE_SHARD_SECONDS
    stale: list[dict[str, str]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="catalog/shards/"):
        for obj in page.get("Contents", []):
            if obj["Key"] not in named and obj["LastModified"].timestamp() < cutoff:
                stale.append({"Key": obj["Key"]})
    for i in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": stale[i:i + 1000], "Quiet": True})
