"""基层延伸 (docs/CONTRACT.md §11): the service point register (system administrator), the hall's
"就近办理" (points that take an item, nearest first) and statistics per point for staff.
Logic: ``chalicelib.servicepoints.services``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.identity.domain.roles import SYSTEM_ADMIN

from .. import wiring
from .http import Ctx, route

if TYPE_CHECKING:
    from chalicelib.servicepoints import services as points
    from chalicelib.servicepoints.domain import ServicePointIn

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).
POINTS = "chalicelib.servicepoints.services"
POINT_MODELS = "chalicelib.servicepoints.domain"

bp = Blueprint(__name__)
ANSWERS = "chalicelib.handlers.answers.servicepoints"
SYSTEM = (SYSTEM_ADMIN,)
STAFF = ("handler", "dept_head", "dept_supervision", "supervisor", "legal", SYSTEM_ADMIN)
STATS_READERS = ("handler", "dept_head", "dept_supervision", "supervisor", "legal")


@route(bp, "/admin/service-points", "POST", roles=SYSTEM, body=f"{POINT_MODELS}:ServicePointIn", status=201, tag="servicepoints",
       response=f"{ANSWERS}:RegisteredPoint", summary="Register a service point (便民服务中心 or 代办点)")
def register(ctx: Ctx, body: ServicePointIn) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.register(wiring.deps(), body)


@route(bp, "/admin/service-points/{code}", "PUT", roles=SYSTEM, body=f"{POINT_MODELS}:ServicePointIn", tag="servicepoints",
       response=f"{ANSWERS}:RegisteredPoint", summary="Replace a point's details (its code stays)")
def replace(ctx: Ctx, code: str, body: ServicePointIn) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.replace(wiring.deps(), code, body)


@route(bp, "/admin/service-points/{code}/deactivate", "POST", roles=SYSTEM, body=f"{POINTS}:DeactivateIn",
       tag="servicepoints", response=f"{ANSWERS}:RegisteredPoint",
       summary="Stop a point taking applications (it leaves the hall; its cases and statistics stay)")
def deactivate(ctx: Ctx, code: str, body: points.DeactivateIn) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.deactivate(wiring.deps(), code, body)


@route(bp, "/admin/service-points/{code}/activate", "POST", roles=SYSTEM, tag="servicepoints",
       response=f"{ANSWERS}:RegisteredPoint", summary="Let a deactivated point take applications again")
def activate(ctx: Ctx, code: str) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.activate(wiring.deps(), code)


@route(bp, "/admin/service-points", roles=STAFF, query=f"{POINTS}:RegisterQuery", tag="servicepoints",
       response=f"{ANSWERS}:RegisteredPoints", summary="The register of service points (inactive ones on request)")
def register_list(ctx: Ctx, query: points.RegisterQuery) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.register_list(wiring.deps(), query)


@route(bp, "/service-points", auth="public", cache=True, query=f"{POINTS}:NearQuery", tag="servicepoints",
       response=f"{ANSWERS}:NearbyPoints",
       summary="就近办理: active points that take an item, nearest first from lat/lon or a chosen township")
def nearby(ctx: Ctx, query: points.NearQuery) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.nearby(wiring.deps(), query)


@route(bp, "/service-points/areas", auth="public", cache=True, tag="servicepoints", response=f"{ANSWERS}:Areas",
       summary="The townships (镇/街道) with points, for a citizen who does not share a position")
def areas(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.areas(wiring.deps())


@route(bp, "/service-points/{code}", auth="public", cache=True, tag="servicepoints", response=f"{ANSWERS}:PublicPoint",
       summary="One active point's public details")
def one(ctx: Ctx, code: str) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.public_point(wiring.deps(), code)


@route(bp, "/staff/service-points/stats", roles=STATS_READERS, query=f"{POINTS}:StatsQuery", tag="servicepoints",
       response=f"{ANSWERS}:PointStats",
       summary="Per point: applications taken, accepted, concluded, on time and late (scoped by department/region)")
def stats(ctx: Ctx, query: points.StatsQuery) -> dict[str, Any]:
    from chalicelib.servicepoints import services as points

    return points.statistics(wiring.deps(), ctx.principal, query)
