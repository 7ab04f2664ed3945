"""政府信息公开 (docs/CONTRACT.md §9): the hall's request form, receipt and progress query, the departments'
handling, the 主动公开 directories and the annual report. Logic: ``chalicelib.disclosure.services``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.disclosure.services import directory
    from chalicelib.disclosure.services.models import ActionIn, DisclosureRequestIn, ReportQuery, RequestListQuery, RequestQuery

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
DIRECTORY = "chalicelib.disclosure.services.directory"
MODELS = "chalicelib.disclosure.services.models"

bp = Blueprint(__name__)
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")
ACTORS = ("handler", "dept_head")
READERS = (*DEPT_ROLES, "supervisor", "legal")
PASSWORD_KEY = "disclosure-password"


class AsOfQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: AwareDatetime | None = Field(default=None, description="overdue flags as of (default: now)")


# --- 依申请公开 -------------------------------------------------------------------------------------


@route(bp, "/disclosure/requests", "POST", auth="public", body=f"{MODELS}:DisclosureRequestIn", status=201, tag="disclosure",
       response=f"{MODELS}:Receipt", summary="Request disclosure (依申请公开); the receipt has the number, password and due date")
def submit_request(ctx: Ctx, body: DisclosureRequestIn) -> dict[str, Any]:
    from chalicelib.disclosure.services import requests
    from chalicelib.public import services as public

    deps = wiring.deps()
    public.throttle(deps, "disclosure", ctx.source_ip)
    return requests.submit_request(deps, ctx.principal, body, deps.keys.key(PASSWORD_KEY))


@route(bp, "/disclosure/requests/{request_no}", auth="public", query=f"{MODELS}:RequestQuery", tag="disclosure",
       response=f"{MODELS}:PublicRequest", summary="Progress of a request with its password; wrong password = unknown (404)")
def get_request(ctx: Ctx, request_no: str, query: RequestQuery) -> dict[str, Any]:
    from chalicelib.disclosure.services import requests
    from chalicelib.public import services as public

    deps = wiring.deps()
    public.throttle(deps, "disclosure-query", ctx.source_ip)
    return requests.public_request(deps, request_no, query.password, deps.keys.key(PASSWORD_KEY))


@route(bp, "/disclosure/requests", roles=READERS, query=f"{MODELS}:RequestListQuery", audit="reads", tag="disclosure",
       response=f"{MODELS}:RequestList",
       summary="Requests for staff (departments: their own), newest first, with overdue flags as of an instant")
def list_requests(ctx: Ctx, query: RequestListQuery) -> dict[str, Any]:
    from chalicelib.disclosure.services import requests

    return requests.list_requests(wiring.deps(), ctx.principal, query)


@route(bp, "/staff/disclosure/requests/{request_no}", roles=READERS, query=AsOfQuery, audit="reads", tag="disclosure",
       response=f"{MODELS}:StaffRequest",
       summary="One request for its department's staff: applicant, clock, acts, files, verified log")
def staff_request(ctx: Ctx, request_no: str, query: AsOfQuery) -> dict[str, Any]:
    from chalicelib.disclosure.services import requests

    return requests.staff_request(wiring.deps(), ctx.principal, request_no, query.as_of)


@route(bp, "/disclosure/requests/{request_no}/actions", "POST", roles=ACTORS, body=f"{MODELS}:ActionIn", tag="disclosure",
       response=f"{MODELS}:StaffRequest", summary="Answer, extend, clarify/clarified, consult_start/consult_end or withdraw")
def act(ctx: Ctx, request_no: str, body: ActionIn) -> dict[str, Any]:
    from chalicelib.disclosure.services import requests

    return requests.act(wiring.deps(), ctx.principal, request_no, body)


@route(bp, "/disclosure/annual-report", auth="public", query=f"{MODELS}:ReportQuery", tag="disclosure",
       response=f"{MODELS}:AnnualReport",
       summary="The annual report's table of requests for a department, or for the platform without dept_code")
def annual_report(ctx: Ctx, query: ReportQuery) -> dict[str, Any]:
    from chalicelib.disclosure.services import report

    return report.annual_report(wiring.deps(), query.year, query.dept_code)


# --- 主动公开 ---------------------------------------------------------------------------------------


@route(bp, "/disclosure/departments", auth="public", tag="disclosure", response=f"{MODELS}:DirectoryIndex",
       summary="Every department with the size of its 主动公开 directory")
def departments(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.index(wiring.deps())


@route(bp, "/disclosure/departments/{dept_code}", auth="public", tag="disclosure", response=f"{MODELS}:DirectoryOut",
       summary="A department's 政府信息公开指南, categories and published documents")
def department_directory(ctx: Ctx, dept_code: str) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.directory(wiring.deps(), dept_code)


@route(bp, "/disclosure/departments/{dept_code}/guide", "PUT", roles=ACTORS, body=f"{DIRECTORY}:GuideIn",
       tag="disclosure", response=f"{MODELS}:DirectoryOut",
       summary="Replace the department's guide and categories; republishes its directory")
def save_guide(ctx: Ctx, dept_code: str, body: directory.GuideIn) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.save_guide(wiring.deps(), ctx.principal, dept_code, body)


@route(bp, "/disclosure/departments/{dept_code}/documents", "POST", roles=ACTORS, body=f"{DIRECTORY}:DocumentIn",
       status=201, tag="disclosure", response=f"{MODELS}:Document",
       summary="Publish a document (主动公开); late when > 20 working days after forming")
def publish_document(ctx: Ctx, dept_code: str, body: directory.DocumentIn) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.publish_document(wiring.deps(), ctx.principal, dept_code, body)


@route(bp, "/disclosure/departments/{dept_code}/documents/{doc_id}/withdraw", "POST", roles=ACTORS,
       body=f"{DIRECTORY}:WithdrawDocumentIn", tag="disclosure", response=f"{MODELS}:Document",
       summary="Withdraw a published document (撤销公开) with a reason")
def withdraw_document(ctx: Ctx, dept_code: str, doc_id: str, body: directory.WithdrawDocumentIn) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.withdraw_document(wiring.deps(), ctx.principal, dept_code, doc_id, body)


@route(bp, "/staff/disclosure/departments/{dept_code}/documents", roles=READERS, tag="disclosure",
       response=f"{MODELS}:StaffDocumentList",
       summary="Every document of the department's directory, withdrawn ones too (with the reason), for its staff")
def staff_documents(ctx: Ctx, dept_code: str) -> dict[str, Any]:
    from chalicelib.disclosure.services import directory

    return directory.staff_documents(wiring.deps(), ctx.principal, dept_code)
