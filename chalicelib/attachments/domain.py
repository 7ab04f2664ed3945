"""Attachments (附件): files citizens attach to applications, complaints and requests for disclosure,
and documents staff attach to their acts.

An upload's life: **pending** (a ticket: an id, the declared name, type and size, and a presigned
POST the browser sends the file with — the policy admits only that key, that type and at most
:data:`MAX_BYTES`) → **verified** (the submission that names the id found the object, checked its
size and type again, and that its first bytes are what the type says; the object was copied out of
the browser-writable ``incoming/`` prefix to ``files/`` and its SHA-256 read from the copy) →
**attached** to one owner (a case, a complaint, a request) whose hash-chained record names the
file with its checksum. An id is a capability: only whoever received the ticket knows it, and it
attaches once. Nothing of it is public; staff read files through presigned GETs of a minute or two.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from chalicelib.kernel.errors import ConflictError, ValidationError, field_error

Purpose = Literal["application", "complaint", "disclosure", "action"]
OwnerKind = Literal["case", "complaint", "disclosure"]
#: What citizens may upload for (``action``: staff documents attached to their acts).
PUBLIC_PURPOSES: frozenset[str] = frozenset({"application", "complaint", "disclosure"})
#: The largest file (20 MiB): scans of ID cards, licences, a few dozen pages of PDF.
MAX_BYTES = 20 * 1024 * 1024
#: Files one submission may carry.
MAX_FILES = 10
#: How long the presigned POST may be used, and how long an upload waits for its submission.
UPLOAD_SECONDS = 15 * 60
PENDING_HOURS = 24
#: How long a presigned download link works.
DOWNLOAD_SECONDS = 120

PDF, JPEG, PNG, ZIP = b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"
#: Accepted types, their names for people and the bytes every such file starts with.
CONTENT_TYPES: dict[str, tuple[str, bytes]] = {
    "application/pdf": ("PDF", PDF),
    "image/jpeg": ("JPEG 图片", JPEG),
    "image/png": ("PNG 图片", PNG),
    "application/ofd": ("OFD 版式文件", ZIP),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word 文档 (.docx)", ZIP),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel 表格 (.xlsx)", ZIP),
}
EXTENSIONS: dict[str, str] = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".ofd": "application/ofd",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ID_RE = re.compile(r"^att-[a-z0-9]{26}$")


def new_id() -> str:
    """``att-`` and 26 random base-32 characters (130 bits): unguessable."""
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "att-" + "".join(secrets.choice(alphabet) for _ in range(26))


def valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def incoming_key(attachment_id: str) -> str:
    """Where the browser may write (the presigned POST names exactly this key)."""
    return f"incoming/{attachment_id}"


def final_key(attachment_id: str, at: datetime) -> str:
    """Where a verified file lives (no person's name in any key)."""
    return f"files/{at:%Y/%m}/{attachment_id}"


def clean_name(raw: str) -> str:
    """The file name as given, without directories, control characters or surrounding blanks."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    return name[:120] or "附件"


def check_declared(filename: str, content_type: str, size: int) -> str:
    """The declared type (normalised); 400 naming each field that cannot be accepted."""
    problems = []
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype not in CONTENT_TYPES:
        allowed = "、".join(n for n, _ in CONTENT_TYPES.values())
        problems.append(field_error("content_type", f"不支持的文件类型 {content_type}，可上传：{allowed}", "unsupported"))
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ctype in CONTENT_TYPES and ext and ext in EXTENSIONS and EXTENSIONS[ext] != ctype:
        problems.append(field_error("filename", f"扩展名 {ext} 与文件类型不符", "mismatch"))
    if size <= 0:
        problems.append(field_error("size", "文件为空", "empty"))
    elif size > MAX_BYTES:
        problems.append(field_error("size", f"文件超过 {MAX_BYTES // (1024 * 1024)} MB", "too_large"))
    if problems:
        raise ValidationError("附件不能上传", problems)
    return ctype


@dataclass
class Upload:
    """An attachment record (``body`` as stored) and its lifecycle."""

    body: dict[str, Any]

    @classmethod
    def ticket(cls, attachment_id: str, purpose: str, filename: str, content_type: str, size: int,
               by: str | None, dept_code: str | None, at: datetime) -> Upload:
        return cls({
            "attachment_id": attachment_id, "purpose": purpose, "name": clean_name(filename),
            "content_type": content_type, "declared_size": size, "key": incoming_key(attachment_id),
            "status": "pending", "created_at": at.isoformat(),
            "expires_at": (at + timedelta(hours=PENDING_HOURS)).isoformat(), "by": by, "dept_code": dept_code,
        })

    @property
    def id(self) -> str:
        return str(self.body["attachment_id"])

    @property
    def status(self) -> str:
        return str(self.body["status"])

    def ref(self) -> dict[str, Any]:
        """How an owner's record names the file (the hash chain covers these fields)."""
        b = self.body
        return {"attachment_id": b["attachment_id"], "name": b["name"], "content_type": b["content_type"],
                "size": b["size"], "sha256": b["sha256"]}

    def check_usable(self, purpose: str, field: str, by_dept: str | None, now: datetime) -> None:
        """May this upload be attached by this submission? 400 naming ``field`` when not."""
        b = self.body
        if b["status"] == "attached":
            raise ValidationError("附件已被使用", [field_error(field, "该附件已附在其他材料上", "used")])
        if b["purpose"] != purpose:
            raise ValidationError("附件用途不符", [field_error(field, f"该附件是为「{b['purpose']}」上传的", "purpose")])
        if purpose == "action" and b.get("dept_code") != by_dept:
            raise ValidationError("附件不属于本机关", [field_error(field, "只能附上本机关工作人员上传的文件", "foreign")])
        if b["status"] == "pending" and now > datetime.fromisoformat(b["expires_at"]):
            raise ValidationError("附件已过期", [field_error(field, "上传已超过 24 小时，请重新上传", "expired")])

    def verified(self, key: str, size: int, sha256: str, at: datetime) -> None:
        self.body.update(status="verified", key=key, size=size, sha256=sha256, verified_at=at.isoformat())

    def attach(self, owner_kind: str, owner_id: str, dept_code: str, at: datetime) -> None:
        if self.status == "attached":
            raise ConflictError("附件已被使用")
        self.body.update(status="attached", owner={"kind": owner_kind, "id": owner_id, "dept_code": dept_code},
                         attached_at=at.isoformat())


def content_problem(content_type: str, size: int, stored_type: str, head: bytes) -> str | None:
    """Why a stored object is not the file its ticket declared (None: it is)."""
    if size <= 0:
        return "文件为空"
    if size > MAX_BYTES:
        return f"文件超过 {MAX_BYTES // (1024 * 1024)} MB"
    if stored_type.split(";", 1)[0].strip().lower() != content_type:
        return f"上传的文件类型 {stored_type} 与申报的 {content_type} 不符"
    magic = CONTENT_TYPES[content_type][1]
    if not head.startswith(magic):
        return f"文件内容不是{CONTENT_TYPES[content_type][0]}"
    return None


def may_download(owner: dict[str, Any] | None, roles: frozenset[str], dept_code: str | None,
                 department_scoped: bool) -> bool:
    """Staff of the owning department for cases and requests; for complaints the supervision bureau
    only (it handles them, and the department complained about never learns who complained)."""
    if not owner:
        return False
    if owner.get("kind") == "complaint":
        return "supervisor" in roles and not department_scoped
    return bool(roles & {"handler", "dept_head", "dept_supervision"}) and dept_code == owner.get("dept_code")
