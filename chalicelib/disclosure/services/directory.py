"""主动公开: departments keep their guide (政府信息公开指南) and publish documents in their directory
(目录); every change republishes the department's directory and the index to the hall bucket
(``disclosure/index.json``, ``disclosure/{dept}.json``), so the hall reads them without the API.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.periods import local_date

from ..domain import directory as dom
from ..repositories import Directory
from .shared import department_name, departments, require_department

EDITORS = frozenset({"handler", "dept_head"})
PUBLISHED_PREFIX = "disclosure/"


class OfficeIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=2, max_length=100, description="政府信息公开工作机构")
    address: str | None = Field(default=None, max_length=200)
    hours: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    fax: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=10)


class CategoryIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")
    name: str = Field(min_length=2, max_length=50)


class GuideIn(BaseModel):
    """The department's 政府信息公开指南; texts left out take the platform's standard wording."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    office: OfficeIn
    scope: str | None = Field(default=None, max_length=5000, description="主动公开的范围和方式")
    how_to_apply: str | None = Field(default=None, max_length=5000, description="依申请公开的办理")
    fees: str | None = Field(default=None, max_length=2000)
    remedies: str | None = Field(default=None, max_length=2000, description="监督和救济")
    categories: list[CategoryIn] | None = Field(default=None, max_length=40)

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: list[CategoryIn] | None) -> list[CategoryIn] | None:
        if value is not None and len({c.code for c in value}) != len(value):
            raise ValueError("类别代码不能重复")
        return value


class DocumentIn(BaseModel):
    """A document published in the directory (主动公开). ``formed_on``: when the information was
    formed or changed; ``published_on`` defaults to today."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    category: str = Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")
    title: str = Field(min_length=2, max_length=200)
    doc_no: str | None = Field(default=None, max_length=60, description="文号")
    issuer: str | None = Field(default=None, max_length=100, description="发布机构")
    formed_on: date
    published_on: date | None = None
    summary: str | None = Field(default=None, max_length=2000)
    body: str | None = Field(default=None, max_length=50000, description="the text, when published here")
    url: HttpUrl | None = Field(default=None, description="where the full text is, when published elsewhere")


class WithdrawDocumentIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=2, max_length=2000)


def _require_editor(principal: Principal, dept_code: str) -> None:
    """The department's own handlers and head (administrators hold no business role, 三员分立)."""
    if not (principal.roles & EDITORS and principal.dept_code == dept_code):
        raise ForbiddenError("只有本机关的工作人员可以维护本机关的公开目录")


def _guide_body(deps: Deps, dept_code: str) -> tuple[dict[str, Any], int | None]:
    item = Directory(deps.stores).guide(dept_code)
    if item is None:
        return {"dept_code": dept_code, **dom.DEFAULT_GUIDE, "office": None, "categories": None}, None
    return item.body, item.version


def save_guide(deps: Deps, principal: Principal, dept_code: str, body: GuideIn,
               now: datetime | None = None) -> dict[str, Any]:
    """Replace the department's guide (its texts and categories) and republish its directory."""
    require_department(deps, dept_code)
    _require_editor(principal, dept_code)
    current, version = _guide_body(deps, dept_code)
    cats = [c.model_dump() for c in body.categories] if body.categories is not None else current.get("categories")
    used = {d["category"] for d in Directory(deps.stores).documents(dept_code) if d.get("status") == "published"}
    missing = used - {c["code"] for c in dom.categories(cats)}
    if missing:
        raise ValidationError("仍有文件属于被删除的类别",
                              [field_error("categories", f"请保留类别：{', '.join(sorted(missing))}")])
    guide = {
        "dept_code": dept_code, "office": body.office.model_dump(exclude_none=True),
        "scope": body.scope or dom.DEFAULT_GUIDE["scope"], "how_to_apply": body.how_to_apply or dom.DEFAULT_GUIDE[
            "how_to_apply"], "fees": body.fees or dom.DEFAULT_GUIDE["fees"],
        "remedies": body.remedies or dom.DEFAULT_GUIDE["remedies"], "categories": cats,
        "updated_on": local_date(now or deps.now()).isoformat(), "updated_by": principal.actor_name,
    }
    Directory(deps.stores).save_guide(guide, version)
    publish(deps, dept_code)
    return directory(deps, dept_code)


def publish_document(deps: Deps, principal: Principal, dept_code: str, body: DocumentIn,
                     now: datetime | None = None) -> dict[str, Any]:
    """Publish a document; a publication more than 20 working days after it was formed is flagged late."""
    require_department(deps, dept_code)
    _require_editor(principal, dept_code)
    today = local_date(now or deps.now())
    guide, _ = _guide_body(deps, dept_code)
    codes = {c["code"] for c in dom.categories(guide.get("categories"))}
    if body.category not in codes:
        raise ValidationError("类别不在本机关的公开目录中", [field_error("category", f"可选：{', '.join(sorted(codes))}")])
    published = body.published_on or today
    if published > today:
        raise ValidationError("发布日期不能晚于今天", [field_error("published_on", "不能是将来的日期")])
    if body.formed_on > published:
        raise ValidationError("信息形成日期不能晚于发布日期", [field_error("formed_on", "应不晚于发布日期")])
    if not (body.body or body.url or body.summary):
        raise ValidationError("请提供正文、摘要或全文链接", [field_error("body", "正文、摘要、链接至少填写一项", "missing")])
    repo = Directory(deps.stores)
    seq = repo.next_index(dept_code, published.year)
    due = dom.publication_due(deps.calendar, body.formed_on)
    doc = {
        **body.model_dump(mode="json", exclude_none=True), "dept_code": dept_code,
        "doc_id": f"D{published:%Y%m%d}{secrets.token_hex(4)}", "index_no": dom.index_no(dept_code, published.year, seq),
        "published_on": published.isoformat(), "publish_due": due.isoformat(), "late": published > due,
        "status": "published", "valid": True, "by": principal.actor_name,
    }
    repo.save_document(doc, None)
    publish(deps, dept_code)
    return doc


def withdraw_document(deps: Deps, principal: Principal, dept_code: str, doc_id: str, body: WithdrawDocumentIn,
                      now: datetime | None = None) -> dict[str, Any]:
    """撤销公开: the document leaves the hall; its record stays with the reason."""
    _require_editor(principal, dept_code)
    repo = Directory(deps.stores)
    item = repo.document(dept_code, doc_id)
    if item is None:
        raise NotFoundError("文件不存在")
    if item.body.get("status") != "published":
        raise ConflictError("该文件已撤销公开")
    doc = {**item.body, "status": "withdrawn", "withdrawn": {
        "reason": body.reason, "on": local_date(now or deps.now()).isoformat(), "by": principal.actor_name}}
    repo.save_document(doc, item.version)
    publish(deps, dept_code)
    return doc


def staff_documents(deps: Deps, principal: Principal, dept_code: str) -> dict[str, Any]:
    """Every document the department ever published, newest first — withdrawn ones too, with who withdrew
    them, when and why (the hall shows only those in force). Its own staff; 监察局 and the legal office
    within their region (两级)."""
    require_department(deps, dept_code)
    if principal.is_department_scoped or not principal.roles & {"supervisor", "legal"}:
        if principal.dept_code != dept_code:
            raise ForbiddenError("只能查看本机关的公开目录")
    else:
        principal.scope.require(dept_code)
    keep = ("doc_id", "index_no", "category", "title", "doc_no", "issuer", "formed_on", "published_on", "publish_due",
            "summary", "url", "late", "status", "by", "withdrawn")
    return {"items": [{k: d.get(k) for k in keep if d.get(k) is not None}
                      for d in Directory(deps.stores).documents(dept_code)]}


def directory(deps: Deps, dept_code: str) -> dict[str, Any]:
    """The department's published directory (what the hall shows)."""
    require_department(deps, dept_code)
    guide, _ = _guide_body(deps, dept_code)
    return dom.published_directory(guide, Directory(deps.stores).documents(dept_code), department_name(deps, dept_code))


def index(deps: Deps) -> dict[str, Any]:
    """Every department with its directory's size: the hall's entry page to 政府信息公开."""
    guides = {g["dept_code"]: g for g in Directory(deps.stores).guides()}
    out = []
    for dept in departments(deps):
        code = dept["code"]
        docs = [d for d in Directory(deps.stores).documents(code) if d.get("status") == "published"] if code in guides else []
        office = (guides.get(code) or {}).get("office") or {}
        out.append({"dept_code": code, "dept_name": dept.get("name"), "level": dept.get("level"),
                    "region_code": dept.get("region_code"), "has_guide": code in guides,
                    "documents": len(docs), "latest": docs[0]["published_on"] if docs else None,
                    "office_phone": office.get("phone")})
    return {"departments": out}


def publish(deps: Deps, dept_code: str | None = None) -> None:
    """Write the directory of ``dept_code`` (or every department's) and the index to the hall bucket."""
    codes = [dept_code] if dept_code else [d["code"] for d in departments(deps)]
    for code in codes:
        deps.publisher.put_json(f"{PUBLISHED_PREFIX}{code}.json", directory(deps, code))
    deps.publisher.put_json(f"{PUBLISHED_PREFIX}index.json", index(deps))
