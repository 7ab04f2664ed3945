"""Attachments (附件): upload tickets (presigned POST to the private bucket) for citizens and staff,
and short-lived downloads for the owning department's staff. Logic: ``chalicelib.attachments``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.attachments import services as attachments

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
ATTACHMENTS = "chalicelib.attachments.services"

bp = Blueprint(__name__)
READERS = ("handler", "dept_head", "dept_supervision", "supervisor")


class OwnerQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    owner_kind: Literal["case", "complaint", "disclosure"]
    owner_id: str = Field(min_length=1, max_length=64)


@route(bp, "/attachments", "POST", auth="public", body=f"{ATTACHMENTS}:UploadIn", status=201, tag="attachments",
       response=f"{ATTACHMENTS}:UploadTicket",
       summary="Ask to upload a file: its id and a presigned POST limited to that key, type and size")
def new_upload(ctx: Ctx, body: attachments.UploadIn) -> dict[str, Any]:
    from chalicelib.attachments import services as attachments
    from chalicelib.public import services as public

    deps = wiring.deps()
    if ctx.principal.kind == "anonymous":
        public.throttle(deps, "upload", ctx.source_ip)
    return attachments.new_upload(deps, ctx.principal, body)


@route(bp, "/attachments", roles=READERS, query=OwnerQuery, audit="reads", tag="attachments",
       response=f"{ATTACHMENTS}:AttachmentList",
       summary="The files attached to a case, complaint or request (no links), for the owning department")
def list_attachments(ctx: Ctx, query: OwnerQuery) -> dict[str, Any]:
    from chalicelib.attachments import services as attachments

    return attachments.of_owner(wiring.deps(), ctx.principal, query.owner_kind, query.owner_id)


@route(bp, "/attachments/{attachment_id}", roles=READERS, audit="reads", tag="attachments",
       response=f"{ATTACHMENTS}:AttachmentOut",
       summary="A file's details and a presigned download link valid for two minutes (owning department only)")
def download(ctx: Ctx, attachment_id: str) -> dict[str, Any]:
    from chalicelib.attachments import services as attachments

    return attachments.download(wiring.deps(), ctx.principal, attachment_id)
