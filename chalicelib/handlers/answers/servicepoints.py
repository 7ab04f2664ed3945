"""Answers of the service point routes (基层延伸, docs/CONTRACT.md §11): the register for administrators,
the hall's public view of points (a public office's details only), and statistics per point for staff."""
from __future__ import annotations

from ...servicepoints.domain import Location, PointKind, ServicePoint
from . import Answer, Page


class RegisteredPoint(ServicePoint, Answer):
    """A point as registered, with its state (active, deactivated with a reason)."""


class RegisteredPoints(Page[RegisteredPoint]):
    """A page of RegisteredPoint (``items``, ``next``)."""


class PublicPoint(Answer):
    """What the hall shows of a point; ``distance_km`` from the citizen's position or chosen township."""

    code: str
    name: str
    kind: PointKind
    kind_name: str
    region_code: str
    county: str | None
    township: str
    township_code: str
    village: str | None
    address: str
    phone: str | None
    hours: str | None
    location: Location
    dept_codes: list[str]
    categories: list[str]
    item_codes: list[str]
    distance_km: float | None


class Origin(Answer):
    lat: float
    lon: float


class NearbyPoints(Page[PublicPoint]):
    """The points that take an item, nearest first from ``origin`` (null: no position given)."""

    origin: Origin | None


class Area(Answer):
    """A township (镇/街道) with registered points, and where it is (its 便民服务中心)."""

    township_code: str
    township: str
    region_code: str
    county: str | None
    lat: float
    lon: float
    points: int


class Areas(Page[Area]):
    """The townships a citizen may choose instead of sharing a position."""


class Figures(Answer):
    taken: int
    received: int
    concluded: int
    on_time: int
    late: int
    on_time_rate: float | None


class DeptFigures(Figures):
    dept_code: str


class PointFigures(Figures):
    """One point's figures in the period: applications taken (收件), accepted (受理), concluded, on time, late."""

    code: str
    name: str | None
    kind: PointKind | None
    region_code: str | None
    county: str | None
    township: str | None
    registered: bool
    active: bool
    by_dept: list[DeptFigures]


class PointStats(Page[PointFigures]):
    period: str
    totals: Figures
