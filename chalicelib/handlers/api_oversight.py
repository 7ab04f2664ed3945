"""Supervision (行政监察) and legal oversight (法制监督) routes (docs/CONTRACT.md §6)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.supervision.services import oversight, spot_checks

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
OVERSIGHT = "chalicelib.supervision.services.oversight"
SPOT_CHECKS = "chalicelib.supervision.services.spot_checks"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.oversight"
DEPT_ROLES = ("handler", "dept_head", "dept_supervision")
#: The legal office reads the signals addressed to it (R3, R13, R14: docs/DOMAIN.md §6.2).
SIGNAL_READERS = ("supervisor", "legal", SYSTEM_ADMIN, *DEPT_ROLES)
FINDING_READERS = ("legal", "supervisor", SYSTEM_ADMIN, *DEPT_ROLES)


# ----- answers (docs/CONTRACT.md §6) -------------------------------------------------------------


class SweepIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    as_of: AwareDatetime


class ListQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    case_no: str | None = Field(default=None, max_length=64)
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    rule: str | None = Field(default=None, pattern=r"^[RCE]\d{1,2}$")
    check: str | None = Field(default=None, pattern=r"^L\d{1,2}$")
    level: str | None = Field(default=None, pattern=r"^(yellow|red)$")
    status: str | None = Field(default=None, pattern=r"^(open|explained|closed)$")
    risk_level: str | None = Field(default=None, pattern=r"^([123]|none)$",
                                   description="the highest 廉政风险点 level named (1–3), or none")
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=2000)


@route(bp, "/supervision/sweep", "POST", roles=("supervisor", SYSTEM_ADMIN), body=SweepIn, tag="supervision",
       response=f"{ANSWERS}:Swept",
       summary="Evaluate every time-driven rule as of an instant (idempotent)")
def sweep(ctx: Ctx, body: SweepIn) -> dict[str, Any]:
    from chalicelib.cases.services import sweep as timer

    return timer.sweep(wiring.deps(), body.as_of)


@route(bp, "/supervision/signals", roles=SIGNAL_READERS, query=ListQuery, tag="supervision", response=f"{ANSWERS}:Signals",
       summary="Signals (yellow/red) raised by R1–R15 (legal office: those addressed to it)")
def signals(ctx: Ctx, query: ListQuery) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import SIGNAL
    from chalicelib.supervision.services import oversight

    return oversight.list_records(wiring.deps(), ctx.principal, SIGNAL, case_no=query.case_no,
                                  dept_code=query.dept_code, rule=query.rule, level=query.level,
                                  status=query.status, limit=query.limit, cursor=query.cursor,
                                  risk_level=query.risk_level)


@route(bp, "/supervision/signals/{signal_id}/explanation", "POST", roles=DEPT_ROLES, body=f"{OVERSIGHT}:ExplainIn",
       response=f"{ANSWERS}:Signal",
       tag="supervision", summary="The department's written explanation of a signal")
def explain_signal(ctx: Ctx, signal_id: str, body: oversight.ExplainIn) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import SIGNAL
    from chalicelib.supervision.services import oversight

    return oversight.explain(wiring.deps(), ctx.principal, SIGNAL, signal_id, body)


@route(bp, "/supervision/signals/{signal_id}/disposition", "POST", roles=("supervisor",), response=f"{ANSWERS}:Signal",
       body=f"{OVERSIGHT}:DisposeIn", tag="supervision", summary="Close a signal: accept or reject, with a reason")
def dispose_signal(ctx: Ctx, signal_id: str, body: oversight.DisposeIn) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import SIGNAL
    from chalicelib.supervision.services import oversight

    return oversight.dispose(wiring.deps(), ctx.principal, SIGNAL, signal_id, body)


@route(bp, "/supervision/exceptions", roles=("supervisor", "dept_supervision", "dept_head"), query=ListQuery,
       response=f"{ANSWERS}:CaseExceptions",
       tag="supervision", summary="Exceptions queue: orphan events, missing reasons, unknown items, late data")
def exceptions(ctx: Ctx, query: ListQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import rules

    return rules.list_exceptions(wiring.deps(), ctx.principal, query.dept_code, query.limit, query.cursor)


@route(bp, "/supervision/spot-checks", "POST", roles=("supervisor",), body=f"{SPOT_CHECKS}:SpotCheckIn", status=201,
       response=f"{ANSWERS}:SpotCheck",
       tag="supervision", summary="Draw a random sample of a department's decided cases for review (抽查)")
def create_spot_check(ctx: Ctx, body: spot_checks.SpotCheckIn) -> dict[str, Any]:
    from chalicelib.supervision.services import spot_checks

    return spot_checks.create(wiring.deps(), ctx.principal, body, now())


@route(bp, "/supervision/spot-checks", roles=("supervisor",), query=f"{SPOT_CHECKS}:SpotListQuery", tag="supervision",
       response=f"{ANSWERS}:SpotChecks",
       summary="Spot checks, newest first")
def list_spot_checks(ctx: Ctx, query: spot_checks.SpotListQuery) -> dict[str, Any]:
    from chalicelib.supervision.services import spot_checks

    return spot_checks.list_checks(wiring.deps(), ctx.principal, query)


@route(bp, "/supervision/spot-checks/{no}", roles=("supervisor",), tag="supervision", response=f"{ANSWERS}:SpotCheck",
       summary="One spot check: the draw, the sampled cases and each review")
def get_spot_check(ctx: Ctx, no: str) -> dict[str, Any]:
    from chalicelib.supervision.services import spot_checks

    return spot_checks.get(wiring.deps(), ctx.principal, no)


@route(bp, "/supervision/spot-checks/{no}/reviews", "POST", roles=("supervisor",), body=f"{SPOT_CHECKS}:SpotReviewIn",
       response=f"{ANSWERS}:SpotCheck",
       tag="supervision", summary="The conclusion on one sampled case; a wrongful rejection raises red R7")
def review_spot_check(ctx: Ctx, no: str, body: spot_checks.SpotReviewIn) -> dict[str, Any]:
    from chalicelib.supervision.services import spot_checks

    return spot_checks.review(wiring.deps(), ctx.principal, no, body, now())


@route(bp, "/legal/findings", roles=FINDING_READERS, query=ListQuery, tag="legal", response=f"{ANSWERS}:Findings",
       summary="Legality findings raised by L1–L12")
def findings(ctx: Ctx, query: ListQuery) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import FINDING
    from chalicelib.supervision.services import oversight

    return oversight.list_records(wiring.deps(), ctx.principal, FINDING, case_no=query.case_no,
                                  dept_code=query.dept_code, rule=query.check, level=query.level,
                                  status=query.status, limit=query.limit, cursor=query.cursor,
                                  risk_level=query.risk_level)


@route(bp, "/legal/findings/{finding_id}/explanation", "POST", roles=DEPT_ROLES, body=f"{OVERSIGHT}:ExplainIn",
       response=f"{ANSWERS}:Finding",
       tag="legal", summary="The department's written explanation of a finding")
def explain_finding(ctx: Ctx, finding_id: str, body: oversight.ExplainIn) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import FINDING
    from chalicelib.supervision.services import oversight

    return oversight.explain(wiring.deps(), ctx.principal, FINDING, finding_id, body)


@route(bp, "/legal/findings/{finding_id}/disposition", "POST", roles=("legal",), body=f"{OVERSIGHT}:DisposeIn",
       response=f"{ANSWERS}:Finding",
       tag="legal", summary="Close a finding: accept or reject, with a reason")
def dispose_finding(ctx: Ctx, finding_id: str, body: oversight.DisposeIn) -> dict[str, Any]:
    from chalicelib.supervision.domain.records import FINDING
    from chalicelib.supervision.services import oversight

    return oversight.dispose(wiring.deps(), ctx.principal, FINDING, finding_id, body)


def now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
