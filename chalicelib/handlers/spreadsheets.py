"""Excel downloads (.xlsx) of the department statistics and the performance evaluation.

Rendering only: the rows come from the same services as the JSON routes. openpyxl is imported
inside ``workbook_bytes`` — on the first download, never when the API function starts (a unit
test checks ``import app`` leaves it unloaded).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    width: int = 12
    kind: str = "text"  # text | int | pct | num | list


STATS_COLUMNS: tuple[Col, ...] = (
    Col("部门代码", "dept_code", 10), Col("部门名称", "dept_name", 28), Col("层级", "level", 8),
    Col("受理", "received", 8, "int"), Col("办结", "concluded", 8, "int"), Col("按时办结", "on_time", 10, "int"),
    Col("按时办结率", "on_time_rate", 12, "pct"), Col("黄牌", "yellow", 8, "int"), Col("红牌", "red", 8, "int"),
    Col("投诉", "complaints", 8, "int"), Col("评价数", "evaluations", 8, "int"),
    Col("满意率", "satisfaction_rate", 10, "pct"), Col("补正", "supplements", 8, "int"),
)
EVALUATION_COLUMNS: tuple[Col, ...] = (
    Col("部门代码", "dept_code", 10), Col("部门名称", "dept_name", 28), Col("受理", "received", 8, "int"),
    Col("办结", "concluded", 8, "int"), Col("按时办结", "on_time", 10, "int"),
    Col("按时办结率", "on_time_rate", 12, "pct"), Col("每百件黄牌", "yellow_per_100", 12, "num"),
    Col("每百件红牌", "red_per_100", 12, "num"), Col("每百件投诉", "complaints_per_100", 12, "num"),
    Col("满意率", "satisfaction_rate", 10, "pct"), Col("补正率", "supplement_rate", 10, "pct"),
    Col("平均用时（工作日）", "avg_days_used", 14, "num"), Col("等次", "grade", 8),
    Col("主要问题", "shortfalls", 50, "list"), Col("监察建议书", "letter_no", 20),
)
LEVELS = {"city": "市级", "county": "县级"}


def workbook_bytes(title: str, subtitle: str, columns: Sequence[Col], rows: Sequence[dict[str, Any]],
                   sheet: str) -> bytes:
    """One sheet: a title row, a subtitle row, a header row, then one row per item (frozen header)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(2, 1, subtitle)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(3, j, col.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, row in enumerate(rows, start=4):
        for j, col in enumerate(columns, start=1):
            value = row.get(col.key)
            if col.kind == "list":
                value = "；".join(str(v) for v in value or [])
            elif col.key == "level":
                value = LEVELS.get(str(value), value)
            cell = ws.cell(i, j, value)
            if col.kind == "pct" and value is not None:
                cell.number_format = "0.0%"
            elif col.kind == "num" and value is not None:
                cell.number_format = "0.00"
            if col.kind == "list":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C4"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
