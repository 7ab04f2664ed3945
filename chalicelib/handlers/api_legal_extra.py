"""Legal office routes (法制办): normative-document filing, reconsideration and litigation, the
catalog views by level and department (L12), and the dated rule configuration (``/admin/rules``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN

from .. import wiring
from .http import Ctx, read_json, route

if TYPE_CHECKING:
    from chalicelib.legal.services import governance, normdocs, reviews

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
GOVERNANCE = "chalicelib.legal.services.governance"
NORMDOCS = "chalicelib.legal.services.normdocs"
REVIEWS = "chalicelib.legal.services.reviews"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.legal"
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")
FILERS = ("legal", *DEPT_ROLES)
READERS = ("legal", "supervisor", *DEPT_ROLES)
OFFICE_READERS = ("legal", "supervisor")


class PageQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


class NormDocListQuery(PageQuery):
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    status: Literal["filed", "held", "registered", "ok", "correction_requested", "revoked"] | None = None


class QuarterQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    quarter: str = Field(pattern=r"^(19|20)\d{2}Q[1-4]$", description="公布季度，如 2012Q3")


class ReviewListQuery(PageQuery):
    case_no: str | None = Field(default=None, max_length=64)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    as_of: date | None = None


class AsOfQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    as_of: date | None = None


class RatesQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    by: Literal["item", "dept"] = "dept"
    period: str | None = Field(default=None, pattern=r"^(19|20)\d{2}(Q[1-4]|-(0[1-9]|1[0-2]))?$")


class CatalogViewQuery(PageQuery):
    level: Literal["city", "county"] | None = None
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    as_of: date | None = None


# --------------------------------------------------------------------------- answers


def _paged(result: dict[str, Any], query: PageQuery) -> dict[str, Any]:
    from chalicelib.legal.services import office

    page, nxt = office.page_rows(result["items"], query.limit, query.cursor)
    return {**result, "items": page, "next": nxt}


# --------------------------------------------------------------------------- normative documents


@route(
    bp,
    "/legal/normative-documents",
    "POST",
    roles=FILERS,
    body=f"{NORMDOCS}:NormDocIn",
    status=201,
    tag="legal",
    summary="File a normative document (规范性文件备案) with its required parts",
    response=f"{ANSWERS}:NormDoc",
)
def file_normdoc(ctx: Ctx, body: normdocs.NormDocIn) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.file_normdoc(deps, ctx.principal, body, deps.today())


@route(
    bp,
    "/legal/normative-documents",
    roles=READERS,
    query=NormDocListQuery,
    tag="legal",
    summary="Normative-document filings (department roles: their own)",
    response=f"{ANSWERS}:NormDocs",
)
def list_normdocs(ctx: Ctx, query: NormDocListQuery) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.list_normdocs(
        deps, ctx.principal, query.dept_code, query.status, query.limit, query.cursor
    )


@route(
    bp,
    "/legal/normative-documents/published",
    auth="public",
    query=QuarterQuery,
    tag="legal",
    summary="Quarterly published list: filings received in the previous quarter, public from the first day "
    "of the quarter's second month",
    response=f"{ANSWERS}:PublishedNormDocs",
)
def published_normdocs(ctx: Ctx, query: QuarterQuery) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.published_list(deps, query.quarter, deps.today())


@route(bp, "/legal/normative-documents/{doc_id}", roles=READERS, tag="legal", summary="One filing", response=f"{ANSWERS}:NormDoc")
def get_normdoc(ctx: Ctx, doc_id: str) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.get_normdoc(deps, ctx.principal, doc_id)


@route(
    bp,
    "/legal/normative-documents/{doc_id}/register",
    "POST",
    roles=("legal",),
    body=f"{NORMDOCS}:NormDocActionIn",
    tag="legal",
    summary="Register a complete filing (登记)",
    response=f"{ANSWERS}:NormDoc",
)
def register_normdoc(ctx: Ctx, doc_id: str, body: normdocs.NormDocActionIn) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.register_normdoc(deps, ctx.principal, doc_id, body, deps.today())


@route(
    bp,
    "/legal/normative-documents/{doc_id}/hold",
    "POST",
    roles=("legal",),
    body=f"{NORMDOCS}:NormDocHoldIn",
    tag="legal",
    summary="Hold a filing (暂缓登记) naming the missing parts and a supplement deadline",
    response=f"{ANSWERS}:NormDoc",
)
def hold_normdoc(ctx: Ctx, doc_id: str, body: normdocs.NormDocHoldIn) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.hold_normdoc(deps, ctx.principal, doc_id, body, deps.today())


@route(
    bp,
    "/legal/normative-documents/{doc_id}/supplement",
    "POST",
    roles=FILERS,
    body=f"{NORMDOCS}:NormDocSupplementIn",
    tag="legal",
    summary="Supplement a held filing, or submit the corrected document (补报)",
    response=f"{ANSWERS}:NormDoc",
)
def supplement_normdoc(ctx: Ctx, doc_id: str, body: normdocs.NormDocSupplementIn) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.supplement_normdoc(deps, ctx.principal, doc_id, body, deps.today())


@route(
    bp,
    "/legal/normative-documents/{doc_id}/review",
    "POST",
    roles=("legal",),
    body=f"{NORMDOCS}:NormDocReviewIn",
    tag="legal",
    summary="Review outcome (审查): ok / correction_requested / revoked, with findings",
    response=f"{ANSWERS}:NormDoc",
)
def review_normdoc(ctx: Ctx, doc_id: str, body: normdocs.NormDocReviewIn) -> dict[str, Any]:
    from chalicelib.legal.services import normdocs

    deps = wiring.deps()
    return normdocs.review_normdoc(deps, ctx.principal, doc_id, body, deps.today())


# --------------------------------------------------------------------------- reconsideration / litigation


@route(
    bp,
    "/legal/reconsiderations",
    "POST",
    roles=("legal",),
    body=f"{REVIEWS}:ReconsiderationIn",
    status=201,
    tag="legal",
    summary="Record a reconsideration application (行政复议) linked to the original case",
    response=f"{ANSWERS}:Reconsideration",
)
def create_reconsideration(ctx: Ctx, body: reviews.ReconsiderationIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.create_reconsideration(deps, ctx.principal, body, deps.today())


@route(
    bp,
    "/legal/reconsiderations",
    roles=READERS,
    query=ReviewListQuery,
    tag="legal",
    summary="Reconsiderations with their deadlines and lateness flags as of a date",
    response=f"{ANSWERS}:Reconsiderations",
)
def list_reconsiderations(ctx: Ctx, query: ReviewListQuery) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.list_reviews(
        deps,
        ctx.principal,
        "reconsideration",
        case_no=query.case_no,
        dept_code=query.dept_code,
        as_of=query.as_of or deps.today(),
        limit=query.limit,
        cursor=query.cursor,
    )


@route(
    bp,
    "/legal/reconsiderations/rates",
    roles=OFFICE_READERS,
    query=RatesQuery,
    tag="legal",
    summary="Reviews per 100 decisions and revoked-or-varied rates, by item or department",
    response=f"{ANSWERS}:ReviewRates",
)
def review_rates(ctx: Ctx, query: RatesQuery) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.review_rates(deps, ctx.principal, query.by, query.period)


@route(
    bp,
    "/legal/reconsiderations/{rid}",
    roles=READERS,
    query=AsOfQuery,
    tag="legal",
    summary="One reconsideration",
    response=f"{ANSWERS}:Reconsideration",
)
def get_reconsideration(ctx: Ctx, rid: str, query: AsOfQuery) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.get_review(
        deps, ctx.principal, "reconsideration", rid, query.as_of or deps.today()
    )


@route(
    bp,
    "/legal/reconsiderations/{rid}/acceptance",
    "POST",
    roles=("legal",),
    body=f"{REVIEWS}:AcceptanceIn",
    tag="legal",
    summary="Acceptance decision (受理决定), due within 5 working days",
    response=f"{ANSWERS}:Reconsideration",
)
def accept_reconsideration(ctx: Ctx, rid: str, body: reviews.AcceptanceIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.accept_reconsideration(deps, ctx.principal, rid, body, deps.today())


@route(
    bp,
    "/legal/reconsiderations/{rid}/extension",
    "POST",
    roles=("legal",),
    body=f"{REVIEWS}:ExtensionIn",
    tag="legal",
    summary="Extend the decision limit once by 30 days (延期)",
    response=f"{ANSWERS}:Reconsideration",
)
def extend_reconsideration(ctx: Ctx, rid: str, body: reviews.ExtensionIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.extend_reconsideration(deps, ctx.principal, rid, body, deps.today())


@route(
    bp,
    "/legal/reconsiderations/{rid}/decision",
    "POST",
    roles=("legal",),
    body=f"{REVIEWS}:ReviewDecisionIn",
    tag="legal",
    summary="Reconsideration decision: 维持/撤销/变更/确认违法/责令履行",
    response=f"{ANSWERS}:Reconsideration",
)
def decide_reconsideration(ctx: Ctx, rid: str, body: reviews.ReviewDecisionIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.decide_review(
        deps, ctx.principal, "reconsideration", rid, body, deps.today()
    )


@route(
    bp,
    "/legal/litigations",
    "POST",
    roles=FILERS,
    body=f"{REVIEWS}:LitigationIn",
    status=201,
    tag="legal",
    summary="Record an administrative litigation (行政应诉) linked to the original case",
    response=f"{ANSWERS}:Reconsideration",
)
def create_litigation(ctx: Ctx, body: reviews.LitigationIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.create_litigation(deps, ctx.principal, body, deps.today())


@route(
    bp,
    "/legal/litigations",
    roles=READERS,
    query=ReviewListQuery,
    tag="legal",
    summary="Litigations with the defence deadline as of a date",
    response=f"{ANSWERS}:Reconsiderations",
)
def list_litigations(ctx: Ctx, query: ReviewListQuery) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.list_reviews(
        deps,
        ctx.principal,
        "litigation",
        case_no=query.case_no,
        dept_code=query.dept_code,
        as_of=query.as_of or deps.today(),
        limit=query.limit,
        cursor=query.cursor,
    )


@route(bp, "/legal/litigations/{rid}", roles=READERS, query=AsOfQuery, tag="legal", summary="One litigation",
       response=f"{ANSWERS}:Reconsideration")
def get_litigation(ctx: Ctx, rid: str, query: AsOfQuery) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.get_review(
        deps, ctx.principal, "litigation", rid, query.as_of or deps.today()
    )


@route(
    bp,
    "/legal/litigations/{rid}/defence",
    "POST",
    roles=FILERS,
    body=f"{REVIEWS}:DefenceIn",
    tag="legal",
    summary="The defence and evidence were filed (答辩), due within 15 days of service",
    response=f"{ANSWERS}:Reconsideration",
)
def file_defence(ctx: Ctx, rid: str, body: reviews.DefenceIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.file_defence(deps, ctx.principal, rid, body, deps.today())


@route(
    bp,
    "/legal/litigations/{rid}/decision",
    "POST",
    roles=FILERS,
    body=f"{REVIEWS}:ReviewDecisionIn",
    tag="legal",
    summary="Judgment: 维持/撤销/变更/确认违法/责令履行, and whether it was appealed",
    response=f"{ANSWERS}:Reconsideration",
)
def decide_litigation(ctx: Ctx, rid: str, body: reviews.ReviewDecisionIn) -> dict[str, Any]:
    from chalicelib.legal.services import reviews

    deps = wiring.deps()
    return reviews.decide_review(
        deps, ctx.principal, "litigation", rid, body, deps.today()
    )


# --------------------------------------------------------------------------- catalog views (L12)


@route(
    bp,
    "/legal/catalog/pending",
    roles=OFFICE_READERS,
    query=CatalogViewQuery,
    tag="legal",
    summary="Declarations awaiting confirmation, days waiting, overdue past the reply limit (L12)",
    response=f"{ANSWERS}:PendingDeclarations",
)
def catalog_pending(ctx: Ctx, query: CatalogViewQuery) -> dict[str, Any]:
    from chalicelib.legal.services import governance

    deps = wiring.deps()
    result = governance.pending_declarations(
        deps, ctx.principal, query.as_of or deps.today(), query.level, query.dept_code
    )
    return _paged(result, query)


@route(
    bp,
    "/legal/catalog/triggers",
    "POST",
    roles=("legal",),
    body=f"{GOVERNANCE}:TriggerIn",
    status=201,
    tag="legal",
    summary="Record a law change the department must declare for within 20 days (L12)",
    response=f"{ANSWERS}:CatalogTrigger",
)
def add_trigger(ctx: Ctx, body: governance.TriggerIn) -> dict[str, Any]:
    from chalicelib.legal.services import governance

    deps = wiring.deps()
    return governance.add_trigger(deps, ctx.principal, body, deps.today())


@route(
    bp,
    "/legal/catalog/overdue-declarations",
    roles=OFFICE_READERS,
    query=CatalogViewQuery,
    tag="legal",
    summary="Law changes not followed by a declaration within the limit (L12, department side)",
    response=f"{ANSWERS}:OverdueDeclarations",
)
def overdue_declarations(ctx: Ctx, query: CatalogViewQuery) -> dict[str, Any]:
    from chalicelib.legal.services import governance

    deps = wiring.deps()
    result = governance.overdue_declarations(
        deps, ctx.principal, query.as_of or deps.today(), query.level, query.dept_code
    )
    return _paged(result, query)


@route(
    bp,
    "/legal/catalog/repealed-citations",
    roles=OFFICE_READERS,
    query=CatalogViewQuery,
    tag="legal",
    summary="Items in force citing a legal basis repealed on or before the date",
    response=f"{ANSWERS}:RepealedCitations",
)
def repealed_citations(ctx: Ctx, query: CatalogViewQuery) -> dict[str, Any]:
    from chalicelib.legal.services import governance

    deps = wiring.deps()
    result = governance.repealed_citations(
        deps, ctx.principal, query.as_of or deps.today(), query.level, query.dept_code
    )
    return _paged(result, query)


@route(
    bp,
    "/legal/catalog/governance-check",
    "POST",
    roles=("legal",),
    body=f"{GOVERNANCE}:GovernanceCheckIn",
    tag="legal",
    summary="Raise L12 findings as of a date (idempotent, like the sweep)",
    response=f"{ANSWERS}:GovernanceChecked",
)
def governance_check(ctx: Ctx, body: governance.GovernanceCheckIn) -> dict[str, Any]:
    from chalicelib.legal.services import governance

    deps = wiring.deps()
    return governance.governance_check(deps, body.as_of, body.dept_code, ctx.principal)


# --------------------------------------------------------------------------- configuration


@route(
    bp,
    "/admin/rules",
    "PUT",
    roles=(SYSTEM_ADMIN,),
    tag="rules",
    summary="Replace the rule overrides: {name: value | {effective_from, value} | [...]}",
    response=f"{ANSWERS}:DatedConfig",
)
def put_rules(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.supervision.services import rules

    return rules.save_rule_overrides(wiring.deps(), read_json(ctx.request))


@route(
    bp,
    "/admin/rules",
    roles=("legal", "supervisor", SYSTEM_ADMIN),
    tag="rules",
    summary="The rule overrides and every parameter's dated schedule",
    response=f"{ANSWERS}:DatedConfig",
)
def get_rules(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.supervision.services import rules

    return rules.rule_overrides(wiring.deps())


@route(
    bp,
    "/admin/legal-office-config",
    "PUT",
    roles=(SYSTEM_ADMIN,),
    tag="rules",
    summary="Replace the legal-office limits (filing deadline, reconsideration and litigation limits)",
    response=f"{ANSWERS}:DatedConfig",
)
def put_office_config(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.legal.services import office

    return office.save_office_config(wiring.deps(), read_json(ctx.request))


@route(
    bp,
    "/admin/legal-office-config",
    roles=("legal", "supervisor", SYSTEM_ADMIN),
    tag="rules",
    summary="The legal-office limits with their dated schedules",
    response=f"{ANSWERS}:DatedConfig",
)
def get_office_config(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.legal.services import office

    return office.get_office_config(wiring.deps())
