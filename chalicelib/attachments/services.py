"""Attachments: tickets for uploads, verification when a submission names them, binding to the
owner, and downloads for the owning department's staff. The lifecycle: ``domain``; files:
``deps.files`` (the private bucket)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, field_error
from chalicelib.kernel.ports import FileStore

from . import domain as dom
from .repositories import Uploads

STAFF_UPLOADERS = frozenset({"handler", "dept_head", "dept_supervision", "supervisor"})


class UploadIn(BaseModel):
    """Ask to upload one file: what it is for, its name, type and size (the policy holds them to it)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    purpose: Literal["application", "complaint", "disclosure", "action"]
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=120)
    size: int = Field(ge=0, le=10 * 1024**3, description="bytes")


class UploadTicket(BaseModel):
    model_config = ConfigDict(defer_build=True)
    attachment_id: str
    upload: dict[str, Any] = Field(description="POST the file to `url` as multipart/form-data with `fields` "
                                               "first and the file last, in a field named `file`")
    max_bytes: int
    content_type: str
    expires_at: datetime


class AttachmentOut(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="allow")
    attachment_id: str
    name: str
    content_type: str
    size: int | None = None
    sha256: str | None = None
    owner: dict[str, Any] | None = None
    url: str | None = Field(default=None, description="a presigned GET, valid for `expires_in` seconds")
    expires_in: int | None = None


class AttachmentList(BaseModel):
    model_config = ConfigDict(defer_build=True)
    items: list[AttachmentOut]
    next: str | None = None


def _files(deps: Deps) -> FileStore:
    if deps.files is None:
        raise NotFoundError("该环境未配置附件存储")
    return deps.files


def new_upload(deps: Deps, principal: Principal, body: UploadIn, now: datetime | None = None) -> dict[str, Any]:
    """A ticket: the attachment id and the presigned POST that may put exactly this file."""
    at = now or deps.now()
    if body.purpose == "action":
        if principal.kind == "anonymous":
            raise UnauthorizedError("上传办理文书需要工作人员登录")
        if not principal.roles & STAFF_UPLOADERS or not principal.dept_code:
            raise ForbiddenError("只有部门工作人员可以上传办理文书")
    ctype = dom.check_declared(body.filename, body.content_type, body.size)
    upload = dom.Upload.ticket(dom.new_id(), body.purpose, body.filename, ctype, body.size,
                               principal.username, principal.dept_code, at)
    Uploads(deps.stores).add(upload)
    form = _files(deps).upload_form(upload.body["key"], ctype, dom.MAX_BYTES, dom.UPLOAD_SECONDS)
    return {"attachment_id": upload.id, "upload": form, "max_bytes": dom.MAX_BYTES, "content_type": ctype,
            "expires_at": upload.body["expires_at"]}


def verify(deps: Deps, principal: Principal, ids: list[str], purpose: str, field: str = "attachments",
           now: datetime | None = None) -> list[dict[str, Any]]:
    """The files a submission names, checked and moved out of reach of the browser; their references
    (with SHA-256) for the owner's record. 400 naming ``attachments[i]`` for each that cannot be used."""
    if not ids:
        return []
    if len(ids) > dom.MAX_FILES:
        raise ValidationError("附件过多", [field_error(field, f"最多 {dom.MAX_FILES} 个附件")])
    at = now or deps.now()
    repo = Uploads(deps.stores)
    refs: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for i, attachment_id in enumerate(ids):
        name = f"{field}[{i}]"
        try:
            refs.append(_verify_one(deps, repo, principal, attachment_id, purpose, name, at))
        except ValidationError as exc:
            problems.extend(exc.details)
    if problems:
        raise ValidationError("附件有误", problems)
    return refs


def _verify_one(deps: Deps, repo: Uploads, principal: Principal, attachment_id: str, purpose: str, name: str,
                at: datetime) -> dict[str, Any]:
    found = repo.get(attachment_id)
    if found is None:
        raise ValidationError("附件不存在", [field_error(name, "没有这个附件，请重新上传", "not_found")])
    upload, item = found
    upload.check_usable(purpose, name, principal.dept_code, at)
    if upload.status == "verified":  # a retried submission: checked already
        return upload.ref()
    files = _files(deps)
    stat = files.stat(upload.body["key"])
    if stat is None:
        raise ValidationError("附件未上传", [field_error(name, "文件尚未上传完成", "not_uploaded")])
    target = dom.final_key(upload.id, at)
    files.copy(upload.body["key"], target)  # out of the browser-writable prefix before reading it
    sha256, head = files.digest(target)
    final = files.stat(target)
    problem = dom.content_problem(upload.body["content_type"], final.size if final else 0,
                                  final.content_type if final else "", head)
    if problem:
        files.delete(target)
        raise ValidationError("附件不符合要求", [field_error(name, problem, "rejected")])
    files.delete(upload.body["key"])
    upload.verified(target, final.size if final else 0, sha256, at)
    if not repo.save(upload, item):
        raise ValidationError("附件正被其他提交使用", [field_error(name, "请稍后重试", "busy")])
    return upload.ref()


def bind(deps: Deps, refs: list[dict[str, Any]], *, owner_kind: str, owner_id: str, dept_code: str,
         now: datetime | None = None) -> None:
    """Attach verified files to the owner whose record now names them (each attaches once)."""
    at = now or deps.now()
    repo = Uploads(deps.stores)
    for ref in refs:
        found = repo.get(ref["attachment_id"])
        if found is None or found[0].status == "attached":
            continue
        upload, item = found
        upload.attach(owner_kind, owner_id, dept_code, at)
        repo.save(upload, item)


def _readable(deps: Deps, principal: Principal, attachment_id: str) -> dom.Upload:
    found = Uploads(deps.stores).get(attachment_id)
    if found is None or found[0].status != "attached":
        raise NotFoundError("附件不存在")
    upload = found[0]
    if not dom.may_download(upload.body.get("owner"), principal.roles, principal.dept_code,
                            principal.is_department_scoped):
        raise ForbiddenError("只能查看本机关办理事项的附件")
    return upload


def describe(upload: dom.Upload) -> dict[str, Any]:
    b = upload.body
    return {**upload.ref(), "owner": b.get("owner"), "attached_at": b.get("attached_at"), "purpose": b["purpose"],
            "uploaded_by": b.get("by")}


def download(deps: Deps, principal: Principal, attachment_id: str) -> dict[str, Any]:
    """A presigned GET of a couple of minutes, for staff of the owning department."""
    upload = _readable(deps, principal, attachment_id)
    url = _files(deps).download_url(upload.body["key"], upload.body["name"], upload.body["content_type"],
                                    dom.DOWNLOAD_SECONDS)
    return {**describe(upload), "url": url, "expires_in": dom.DOWNLOAD_SECONDS}


def of_owner(deps: Deps, principal: Principal, kind: str, owner_id: str) -> dict[str, Any]:
    """The files attached to one owner (no links), for those who may read them."""
    uploads = Uploads(deps.stores).of_owner(kind, owner_id)
    visible = [u for u in uploads if dom.may_download(u.body.get("owner"), principal.roles, principal.dept_code,
                                                      principal.is_department_scoped)]
    if uploads and not visible:
        raise ForbiddenError("只能查看本机关办理事项的附件")
    return {"items": [describe(u) for u in visible], "next": None}
