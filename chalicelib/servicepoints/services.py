"""Service points' use cases (基层延伸): the register (system administrator), the hall's "where can I apply
for this item, nearest first", what a case's point is called, and statistics per point for staff.

Keys: ``servicepoints.repositories``; rules: ``servicepoints.domain``; counters: ``cases.domain.stats``.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.cases.domain.channels import channel_name
from chalicelib.cases.domain.stats import POINT_ROW
from chalicelib.catalog.domain.items import InvalidCodeError, normalize_code
from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import NotFoundError, ValidationError, field_error
from chalicelib.kernel.periods import valid_period
from chalicelib.kernel.regions import is_region_code, region_covers

from . import domain
from .domain import ServicePoint, ServicePointIn
from .repositories import ServicePoints

# --------------------------------------------------------------------------- requests


class DeactivateIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=2, max_length=500, description="why the point stops taking applications")


class RegisterQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    include_inactive: bool = False


class NearQuery(BaseModel):
    """The hall's query: the points that take ``item_code`` (all without it), nearest first from the
    citizen's position (``lat``/``lon``) or from a chosen township (``township_code``)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")
    item_code: str | None = Field(default=None, max_length=40)
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    kind: domain.PointKind | None = None
    lat: float | None = Field(default=None, ge=domain.LAT_RANGE[0], le=domain.LAT_RANGE[1])
    lon: float | None = Field(default=None, ge=domain.LON_RANGE[0], le=domain.LON_RANGE[1])
    township_code: str | None = Field(default=None, max_length=60)
    limit: int = Field(default=50, ge=1, le=500)


class StatsQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    period: str = Field(max_length=10, description="2026Q3, 2026-07 or 2026")
    dept_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")


# --------------------------------------------------------------------------- the register


def _check_departments(deps: Deps, body: ServicePointIn) -> None:
    """The registration's rules, and every department it names must exist: each problem names its field."""
    details = [field_error(f, m) for f, m in domain.problems(body)]
    known = {d["code"] for d in identity.list_departments(deps.stores)}
    unknown = [d for d in body.dept_codes if d not in known]
    if unknown:
        details.append(field_error("dept_codes", f"未登记的部门：{'、'.join(unknown)}", "unknown"))
    if details:
        raise ValidationError("网点登记信息有误", details)


def register(deps: Deps, body: ServicePointIn) -> dict[str, Any]:
    _check_departments(deps, body)
    point = ServicePoint.register(body, deps.now())
    ServicePoints(deps.stores).add(point)
    return point.model_dump(mode="json")


def _existing(deps: Deps, code: str) -> tuple[ServicePoint, int | None]:
    found = ServicePoints(deps.stores).get(code.upper())
    if found is None:
        raise NotFoundError(f"网点 {code} 未登记")
    return found


def replace(deps: Deps, code: str, body: ServicePointIn) -> dict[str, Any]:
    point, version = _existing(deps, code)
    if body.code != point.code:
        raise ValidationError("网点编码不能修改", [field_error("code", f"应为 {point.code}", "immutable")])
    _check_departments(deps, body)
    changed = point.replace(body, deps.now())
    ServicePoints(deps.stores).save(changed, version)
    return changed.model_dump(mode="json")


def deactivate(deps: Deps, code: str, body: DeactivateIn) -> dict[str, Any]:
    point, version = _existing(deps, code)
    changed = point.deactivate(body.reason, deps.now()) if point.active else point
    if changed is not point:
        ServicePoints(deps.stores).save(changed, version)
    return changed.model_dump(mode="json")


def activate(deps: Deps, code: str) -> dict[str, Any]:
    point, version = _existing(deps, code)
    if not point.active:
        point = point.activate(deps.now())
        ServicePoints(deps.stores).save(point, version)
    return point.model_dump(mode="json")


def register_list(deps: Deps, query: RegisterQuery) -> dict[str, Any]:
    points = [p for p in ServicePoints(deps.stores).all()
              if (query.include_inactive or p.active) and domain.visible_to_region(p, query.region_code)]
    return {"items": [p.model_dump(mode="json") for p, _ in domain.ranked(points, None)], "next": None}


# --------------------------------------------------------------------------- the hall


def _item_code(raw: str | None) -> str | None:
    if raw is None or not raw.strip():  # ?item_code= (blank): every point
        return None
    try:
        return normalize_code(raw)
    except InvalidCodeError as exc:
        raise ValidationError("事项编码格式错误", [field_error("item_code", str(exc))]) from None


def nearby(deps: Deps, query: NearQuery) -> dict[str, Any]:
    """Active points that take the item, nearest first (with the distance) when a position or a township is given."""
    if (query.lat is None) != (query.lon is None):
        missing = "lon" if query.lon is None else "lat"
        raise ValidationError("经纬度应同时提供", [field_error(missing, "请同时提供纬度 lat 和经度 lon", "missing")])
    code = _item_code(query.item_code)
    active = [p for p in ServicePoints(deps.stores).all() if p.active]
    origin = (query.lat, query.lon) if query.lat is not None and query.lon is not None else None
    if origin is None and query.township_code:
        origin = domain.township_origin(active, query.township_code)
        if origin is None:
            raise ValidationError("所选镇（街道）没有登记的办理网点",
                                  [field_error("township_code", "未知的镇（街道）", "unknown")])
    chosen = [p for p in active if (code is None or domain.takes(p, code))
              and (query.kind is None or p.kind == query.kind) and domain.visible_to_region(p, query.region_code)]
    ranked = domain.ranked(chosen, origin)[: query.limit]
    return {"items": [domain.public_view(p, d) for p, d in ranked], "next": None,
            "origin": {"lat": origin[0], "lon": origin[1]} if origin else None}


def public_point(deps: Deps, code: str) -> dict[str, Any]:
    found = ServicePoints(deps.stores).get(code.upper())
    if found is None or not found[0].active:
        raise NotFoundError("网点不存在或已停用")
    return domain.public_view(found[0])


def areas(deps: Deps) -> dict[str, Any]:
    return {"items": domain.areas(ServicePoints(deps.stores).all()), "next": None}


# --------------------------------------------------------------------------- cases


def require_point(deps: Deps, code: str | None, item_code: str) -> str | None:
    """A point named on a native application must be registered, active and take the item (the
    platform's own form: a typo would misplace the case in the point's statistics)."""
    if not code:
        return None
    found = ServicePoints(deps.stores).get(code.strip().upper())
    if found is None or not found[0].active:
        raise ValidationError("办理网点不存在或已停用",
                              [field_error("service_point", f"未登记或已停用的网点：{code}", "unknown")])
    if not domain.takes(found[0], item_code):
        raise ValidationError("该网点不代办此事项",
                              [field_error("service_point", f"{found[0].name} 不代办事项 {item_code}", "not_applicable")])
    return found[0].code


def staff_point(deps: Deps, channel: str | None, code: str | None) -> dict[str, Any]:
    """What staff see of a case's intake: the channel's name and the point (registered or not)."""
    point = ServicePoints(deps.stores).get(code) if code else None
    info = None
    if code:
        p = point[0] if point else None
        info = {"code": code, "registered": p is not None, "active": bool(p and p.active),
                "name": p.name if p else None, "kind": p.kind if p else None,
                "kind_name": domain.KIND_NAMES[p.kind] if p else None, "township": p.township if p else None,
                "region_code": p.region_code if p else None}
    return {"channel_name": channel_name(channel), "service_point_info": info}


def public_point_name(deps: Deps, code: str | None) -> dict[str, Any] | None:
    """The public progress query shows only a registered point's public name and kind."""
    found = ServicePoints(deps.stores).get(code) if code else None
    if found is None:
        return None
    return {"name": found[0].name, "kind": found[0].kind, "kind_name": domain.KIND_NAMES[found[0].kind]}


# --------------------------------------------------------------------------- statistics


def statistics(deps: Deps, principal: Principal, query: StatsQuery) -> dict[str, Any]:
    """Per point: applications taken, accepted, concluded, on time and late in the period, for the
    departments the principal may see (a county's offices: its region's points; departments: their own)."""
    if not valid_period(query.period):
        raise ValidationError("统计期间格式错误", [field_error("period", "应为 2026、2026Q3 或 2026-07")])
    if query.region_code and not is_region_code(query.region_code):
        raise ValidationError("行政区划代码错误", [field_error("region_code", "应为 6 位行政区划代码")])
    scope = principal.scope.narrow(query.dept_code)
    register = {p.code: p for p in ServicePoints(deps.stores).all()}
    rows = scope.keep(domain.point_rows(deps.stores.counters().read(query.period), POINT_ROW),
                      lambda r: str(r["dept_code"]))

    def in_view(p: ServicePoint | None) -> bool:
        return not query.region_code or (p is not None and region_covers(query.region_code, p.region_code))

    rows = [r for r in rows if in_view(register.get(str(r["point"])))]
    if scope.unlimited:
        listed = [c for c, p in register.items() if in_view(p)]
    elif scope.kind == "region" and scope.region_code and not query.dept_code:
        listed = [c for c, p in register.items() if in_view(p) and region_covers(scope.region_code, p.region_code)]
    else:
        listed = [c for c, p in register.items() if in_view(p) and scope.depts and set(p.dept_codes) & scope.depts]
    items = domain.point_stats(rows, register, listed)
    return {"period": query.period, "items": items, "next": None,
            "totals": domain.figures({f: sum(int(r[f]) for r in rows) for f in domain.STAT_FIELDS})}
