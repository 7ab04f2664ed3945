"""Data exchange (docs/CONTRACT.md §5) and the case record (tamper evidence, exceptions)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.identity.domain.roles import SYSTEM_ADMIN
from chalicelib.kernel.errors import ForbiddenError, NotFoundError

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.cases.services import exchange

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
EXCHANGE = "chalicelib.cases.services.exchange"

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.exchange"


CASE_READERS = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")


@bp.lambda_function(name="exchange_handler")
def exchange_handler(event: dict[str, Any], context: Any) -> Any:
    """API Gateway sends ``POST /exchange/events`` here (``infra/functions.py`` ROUTE_FUNCTIONS): the
    same app and route, in a function of its own — its own reserved concurrency, so a flood of
    public requests cannot starve the departments, and its own, narrower role."""
    import app as entry  # the deployment package's top-level module (imported lazily: it imports us)

    return entry.app(event, context)


@route(bp, "/exchange/events", "POST", auth="department", roles=("department",), body=f"{EXCHANGE}:EventBatch",
       response=f"{ANSWERS}:ExchangeResults",
       tag="exchange", summary="A department system pushes case events (signed, ≤ 500 per request)")
def post_events(ctx: Ctx, body: exchange.EventBatch) -> dict[str, Any]:
    from chalicelib.cases.services import exchange

    return exchange.ingest(wiring.deps(), ctx.principal, body)


def _case_for(ctx: Ctx, case_no: str) -> Any:
    from chalicelib.cases.services import projection

    found = projection.get_view(wiring.deps().stores, case_no)
    if found is None:
        raise NotFoundError("办件不存在")
    view, _ = found
    if not ctx.principal.may_see_dept(view.dept_code):
        raise ForbiddenError("只能查看本部门的办件")
    return view


@route(bp, "/staff/cases/{case_no}", roles=CASE_READERS, audit="reads", tag="cases", response=f"{ANSWERS}:StaffCase",
       summary="The full internal case view (staff; department roles see their own department only)")
def staff_case(ctx: Ctx, case_no: str) -> Any:
    from chalicelib.cases.domain.case_view import deadline_warnings
    from chalicelib.servicepoints import services as points

    view = _case_for(ctx, case_no)
    deps = wiring.deps()
    return {**view.model_dump(mode="json", exclude={"query_password_hash"}),
            **points.staff_point(deps, view.channel, view.service_point),
            "warnings": deadline_warnings(deps.calendar, view)}


@route(bp, "/staff/cases/{case_no}/verify", roles=CASE_READERS, tag="cases", response=f"{ANSWERS}:ChainReport",
       summary="Recompute the case's hash chain and name the first broken link")
def verify_case(ctx: Ctx, case_no: str) -> dict[str, Any]:
    from chalicelib.cases.services import exchange

    _case_for(ctx, case_no)
    return exchange.verify(wiring.deps(), case_no)


@route(bp, "/admin/import/events", "POST", roles=(SYSTEM_ADMIN,), audit="always", body=f"{EXCHANGE}:ImportBatch", tag="exchange",
       response=f"{ANSWERS}:ExchangeResults",
       summary="Historical import (历史数据迁移): events with their original receipt time (admin only, audited)")
def import_events(ctx: Ctx, body: exchange.ImportBatch) -> dict[str, Any]:
    from chalicelib.cases.services import exchange

    if not wiring.identity_config().import_enabled:
        raise ForbiddenError("历史数据导入在本环境已关闭（SUNLIT_IMPORT_ENABLED=1 开启）", code="IMPORT_DISABLED")
    return exchange.import_history(wiring.deps(), ctx.principal, body)
