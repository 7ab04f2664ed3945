"""Answers of the console's read routes (``api_board``): the real-time board (实时监控) with its
drill-down, and the legal registers as lists (执法人员名录, 法律依据)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

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
