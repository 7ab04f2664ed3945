"""Answers of the console's read routes (``api_board``): the real-time board (实时监控) with its
drill-down, and the legal registers as lists (执法人员名录, 法律依据)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from . import Answer, Page
from .catalog import Officer

Light = Literal["green", "yellow", "red"]


class BoardFigures(Answer):
    """Open cases by light, open signals, and explanations and replies past their deadlines."""

    open: int
    green: int
    yellow: int
    red: int
    signals_yellow: int
    signals_red: int
    explained: int
    explanations_overdue: int
    replies_overdue: int
    signals_risk_1: int = Field(default=0, description="signals not closed naming a 一级（高）廉政风险点")
    signals_risk_2: int = Field(default=0, description="… whose highest risk point is 二级（中）")
    signals_risk_3: int = Field(default=0, description="… whose highest risk point is 三级（低）")


class BoardRow(BoardFigures):
    """One department on the board (departments with nothing open included)."""

    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    region_code: str | None = None


class Board(Page[BoardRow]):
    """Every department the reader may see, worst first, with the totals."""

    as_of: datetime
    as_of_day: date
    totals: BoardFigures


class RiskLevelCounts(Answer):
    """Signals by the highest 廉政风险点 level they name: ``"1"`` 一级（高）, ``"2"`` 二级（中）,
    ``"3"`` 三级（低）, and ``"none"`` (naming no risk point)."""

    one: int = Field(alias="1")
    two: int = Field(alias="2")
    three: int = Field(alias="3")
    none: int


class RiskFigures(Answer):
    """A row's signals of the period (yellow and red), by risk level."""

    yellow: int
    red: int
    signals: int
    with_risk_point: int = Field(description="signals naming at least one risk point")
    by_risk_level: RiskLevelCounts
    high_risk_rate: float | None = Field(description="share of the signals naming a 一级 risk point; null with none")


class RiskDepartment(RiskFigures):
    dept_code: str
    dept_name: str | None = None
    level: str | None = None
    region_code: str | None = None


class RiskRegion(RiskFigures):
    region_code: str
    level: str
    departments: int


class RiskStatistics(Page[RiskDepartment]):
    """廉政风险等级统计 for a period: departments (most first-level signals first), regions, totals."""

    period: str
    regions: list[RiskRegion]
    totals: RiskFigures
    levels: dict[str, str] = Field(description="each level's name (1 一级（高） …)")


class BoardCase(Answer):
    """An open case on the drill-down, with its light and how far past its due date it is."""

    case_no: str
    item_code: str | None = None
    item_name: str | None = None
    dept_code: str | None = None
    status: str | None = None
    category: str | None = None
    submitted_at: str | None = None
    accepted_at: str | None = None
    due: date | None = None
    statutory_due: str | None = None
    colour: Light
    overdue_working_days: int


class BoardDepartment(Page[BoardCase]):
    """A department's open cases, most urgent first."""

    dept_code: str
    dept_name: str | None = None
    as_of: datetime
    total: int


class ListedOfficer(Officer):
    """An officer with the certificate's status on the day asked."""

    status: Literal["valid", "expiring", "expired", "not_yet"]


class Officers(Page[ListedOfficer]):
    as_of: date
    total: int


class CitingItem(Answer):
    code: str
    name: str | None = None
    article: str | None = None


class CitedBasis(Answer):
    """A legal basis the catalog in force cites, the items citing it, and its repeal date."""

    id: str
    title: str | None = None
    repealed_on: date | None = None
    items: list[CitingItem]


class CitedBases(Page[CitedBasis]):
    as_of: date
