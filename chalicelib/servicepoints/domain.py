"""Service points (基层延伸: 镇/街道 便民服务中心, 村/社区 代办点), docs/DOMAIN.md §11, docs/CONTRACT.md §11.

A service point is a registered place where applications are taken on behalf of the departments
(服务延伸、窗口延伸): a township's or street's 便民服务中心 (``center``) or a village's or community's
代办点 (``agency``). It lies in a county-level region (``region_code`` 3203xx, optionally its
9-digit township code), says which departments, categories or single items it takes applications
for, and where it is (WGS-84 coordinates, as a browser's geolocation gives them), so the hall can
list the points that take an item, nearest first.

Pure: the register's rules, which point takes which item, distances and ordering, the public view,
and the per-point statistics folded from counter rows. No AWS, no clock (times come in).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.cases.domain.channels import POINT_CODE, point_code
from chalicelib.catalog.domain.items import CATEGORIES, InvalidCodeError, normalize_code
from chalicelib.kernel.regions import is_region_code, region_covers, region_level

PointKind = Literal["center", "agency"]
KIND_NAMES: dict[str, str] = {"center": "便民服务中心", "agency": "代办点"}
#: Mainland China's extent (WGS-84): a point outside is a typo (swapped or mistyped coordinates).
LAT_RANGE, LON_RANGE = (3.8, 53.6), (73.4, 135.1)
EARTH_RADIUS_KM = 6371.0088
_PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")


class Location(BaseModel):
    """Where the point is: WGS-84 latitude and longitude in degrees."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
    lat: float = Field(ge=LAT_RANGE[0], le=LAT_RANGE[1], description="纬度 (WGS-84)")
    lon: float = Field(ge=LON_RANGE[0], le=LON_RANGE[1], description="经度 (WGS-84)")


class ServicePointIn(BaseModel):
    """A service point as the administrator registers or replaces it (``POST``/``PUT /admin/service-points``)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    code: str = Field(min_length=2, max_length=32, description="网点编码: letters, digits, '-'")
    name: str = Field(min_length=2, max_length=100, description="网点名称, e.g. 丰县欢口镇便民服务中心")
    kind: PointKind = Field(description="center 便民服务中心 (镇/街道) or agency 代办点 (村/社区)")
    region_code: str = Field(description="county-level region (县/区/县级市), e.g. 320321")
    county: str | None = Field(default=None, max_length=40, description="the region's name, e.g. 丰县")
    township: str = Field(min_length=1, max_length=40, description="镇/街道, e.g. 欢口镇")
    township_code: str | None = Field(default=None, description="9-digit township code (乡级区划代码)")
    village: str | None = Field(default=None, max_length=40, description="村/社区 (代办点)")
    address: str = Field(min_length=2, max_length=200)
    phone: str | None = Field(default=None, max_length=40, description="the office's public phone")
    hours: str | None = Field(default=None, max_length=200, description="办公时间")
    location: Location
    dept_codes: list[str] = Field(default_factory=list, max_length=200,
                                  description="departments whose every item it takes")
    categories: list[str] = Field(default_factory=list, max_length=12,
                                  description="categories it takes (e.g. FW 便民服务), of any department")
    item_codes: list[str] = Field(default_factory=list, max_length=500, description="single items it takes")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not POINT_CODE.match(v):
            raise ValueError("网点编码只能由字母、数字和“-”组成（2–32 位）")
        return str(point_code(v))

    @field_validator("region_code")
    @classmethod
    def _region(cls, v: str) -> str:
        if not is_region_code(v) or region_level(v) != "county":
            raise ValueError("应为县（市、区）级行政区划代码，如 320321")
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v and not _PHONE.match(v):
            raise ValueError("电话只能包含数字、空格和 + - ( )")
        return v or None

    @field_validator("dept_codes")
    @classmethod
    def _depts(cls, v: list[str]) -> list[str]:
        bad = [d for d in v if not re.fullmatch(r"\d{3}", d)]
        if bad:
            raise ValueError(f"部门编码应为 3 位数字：{'、'.join(bad[:5])}")
        return list(dict.fromkeys(v))

    @field_validator("categories")
    @classmethod
    def _categories(cls, v: list[str]) -> list[str]:
        up = [c.strip().upper() for c in v]
        bad = [c for c in up if c not in CATEGORIES]
        if bad:
            raise ValueError(f"未知的事项类别：{'、'.join(bad[:5])}")
        return list(dict.fromkeys(up))

    @field_validator("item_codes")
    @classmethod
    def _items(cls, v: list[str]) -> list[str]:
        out = []
        for raw in v:
            try:
                out.append(normalize_code(raw))
            except InvalidCodeError as exc:
                raise ValueError(f"{raw}: {exc}") from None
        return list(dict.fromkeys(out))


def problems(body: ServicePointIn) -> list[tuple[str, str]]:
    """What is wrong with a registration beyond each field's own form: ``(field, message)``."""
    out = []
    if body.township_code is not None and (not re.fullmatch(r"\d{9}", body.township_code)
                                           or not body.township_code.startswith(body.region_code)):
        out.append(("township_code", f"乡级区划代码应为 9 位数字，并以所在县（市、区）代码 {body.region_code} 开头"))
    if not (body.dept_codes or body.categories or body.item_codes):
        out.append(("dept_codes", "至少登记一个代办的部门、事项类别或事项"))
    if body.kind == "agency" and not body.village:
        out.append(("village", "代办点应注明所在村（社区）"))
    return out


class ServicePoint(ServicePointIn):
    """A registered point with its state: only active points are public and may be named on new applications."""

    active: bool = True
    registered_at: datetime
    updated_at: datetime
    deactivated_at: datetime | None = None
    deactivation_reason: str | None = None

    @classmethod
    def register(cls, body: ServicePointIn, now: datetime) -> ServicePoint:
        return cls(**body.model_dump(), registered_at=now, updated_at=now)

    def replace(self, body: ServicePointIn, now: datetime) -> ServicePoint:
        """The point's details replaced (its code, state and registration time stay)."""
        return ServicePoint(**{**body.model_dump(), "code": self.code}, active=self.active,
                            registered_at=self.registered_at, updated_at=now, deactivated_at=self.deactivated_at,
                            deactivation_reason=self.deactivation_reason)

    def deactivate(self, reason: str, now: datetime) -> ServicePoint:
        return self.model_copy(update={"active": False, "deactivated_at": now, "deactivation_reason": reason,
                                       "updated_at": now})

    def activate(self, now: datetime) -> ServicePoint:
        return self.model_copy(update={"active": True, "deactivated_at": None, "deactivation_reason": None,
                                       "updated_at": now})

    @property
    def place_key(self) -> str:
        """The township the point lies in (its code when registered, else county + name)."""
        return self.township_code or f"{self.region_code}:{self.township}"


def takes(point: ServicePoint, item_code: str) -> bool:
    """Does the point take applications for the item (by the item, its department or its category)?"""
    return (item_code in point.item_codes or item_code[6:9] in point.dept_codes
            or item_code[9:11] in point.categories)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def ranked(points: Iterable[ServicePoint], origin: tuple[float, float] | None) -> list[tuple[ServicePoint, float | None]]:
    """Points nearest first from ``origin`` (ties by code); without an origin by region, township,
    便民服务中心 before 代办点, then code."""
    pts = list(points)
    if origin is None:
        return [(p, None) for p in sorted(pts, key=lambda p: (p.region_code, p.place_key, p.kind != "center", p.code))]
    with_d = [(p, distance_km(origin, (p.location.lat, p.location.lon))) for p in pts]
    return sorted(with_d, key=lambda pd: (pd[1], pd[0].code))


def township_origin(points: Sequence[ServicePoint], township_code: str) -> tuple[float, float] | None:
    """Where a township is, for a citizen who chose it instead of sharing a position: its
    便民服务中心's location, else the middle of its registered points (None: no point there)."""
    there = [p for p in points if p.place_key == township_code]
    if not there:
        return None
    centers = [p for p in there if p.kind == "center"] or there
    return (sum(p.location.lat for p in centers) / len(centers), sum(p.location.lon for p in centers) / len(centers))


def areas(points: Iterable[ServicePoint]) -> list[dict[str, Any]]:
    """The townships with registered active points (the hall's "choose your township" list)."""
    grouped: dict[str, list[ServicePoint]] = {}
    for p in points:
        if p.active:
            grouped.setdefault(p.place_key, []).append(p)
    out = []
    for key, pts in grouped.items():
        origin = township_origin(pts, key)
        assert origin is not None
        first = min(pts, key=lambda p: (p.kind != "center", p.code))
        out.append({"township_code": key, "township": first.township, "region_code": first.region_code,
                    "county": first.county, "lat": round(origin[0], 6), "lon": round(origin[1], 6),
                    "points": len(pts)})
    return sorted(out, key=lambda a: (a["region_code"], a["township_code"]))


def public_view(point: ServicePoint, distance: float | None = None) -> dict[str, Any]:
    """What the hall shows of a point: a public office's details, nothing about people."""
    return {"code": point.code, "name": point.name, "kind": point.kind, "kind_name": KIND_NAMES[point.kind],
            "region_code": point.region_code, "county": point.county, "township": point.township,
            "township_code": point.place_key, "village": point.village, "address": point.address,
            "phone": point.phone, "hours": point.hours,
            "location": point.location.model_dump(), "dept_codes": point.dept_codes, "categories": point.categories,
            "item_codes": point.item_codes,
            "distance_km": None if distance is None else round(distance, 2)}


def visible_to_region(point: ServicePoint, region_code: str | None) -> bool:
    """Does ``region_code`` (a city covers its counties) cover the point's region? None: everywhere."""
    return region_code is None or region_covers(region_code, point.region_code)


# --------------------------------------------------------------------------- statistics per point

STAT_FIELDS = ("taken", "received", "concluded", "on_time")


def point_rows(rows: Iterable[Mapping[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """The counter rows of service points (``{prefix}{point}#{dept}``) as ``{point, dept_code, counts…}``."""
    out = []
    for r in rows:
        key = str(r.get("dept_code", ""))
        if not key.startswith(prefix):
            continue
        point, _, dept = key[len(prefix):].rpartition("#")
        if point and dept:
            out.append({"point": point, "dept_code": dept, **{f: int(r.get(f, 0) or 0) for f in STAT_FIELDS}})
    return out


def figures(counts: Mapping[str, int]) -> dict[str, Any]:
    """taken, received, concluded, on time, late and the on-time rate of one point (or one of its departments)."""
    concluded, on_time = int(counts.get("concluded", 0)), int(counts.get("on_time", 0))
    on_time = min(on_time, concluded)
    return {"taken": int(counts.get("taken", 0)), "received": int(counts.get("received", 0)),
            "concluded": concluded, "on_time": on_time, "late": concluded - on_time,
            "on_time_rate": round(on_time / concluded, 4) if concluded else None}


def point_stats(rows: Sequence[Mapping[str, Any]], register: Mapping[str, ServicePoint],
                listed: Iterable[str]) -> list[dict[str, Any]]:
    """One line per point: its figures and per department; ``listed`` points appear even with nothing
    in the period, a point met only in the rows (a code a department sent that is not registered) as unregistered."""
    by_point: dict[str, list[Mapping[str, Any]]] = {code: [] for code in listed}
    for r in rows:
        by_point.setdefault(str(r["point"]), []).append(r)
    out = []
    for code, mine in by_point.items():
        total = {f: sum(int(r[f]) for r in mine) for f in STAT_FIELDS}
        p = register.get(code)
        out.append({"code": code, "name": p.name if p else None, "kind": p.kind if p else None,
                    "region_code": p.region_code if p else None, "county": p.county if p else None,
                    "township": p.township if p else None, "registered": p is not None,
                    "active": bool(p and p.active), **figures(total),
                    "by_dept": [{"dept_code": r["dept_code"], **figures(r)}
                                for r in sorted(mine, key=lambda r: str(r["dept_code"]))]})
    return sorted(out, key=lambda s: (not s["registered"], s["region_code"] or "", s["code"]))
