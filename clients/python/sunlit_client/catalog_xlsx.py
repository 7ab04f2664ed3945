"""The power catalog (行政权力库) as an Excel workbook in the layout of the guide's 附件2 item form
(行政权力和便民服务事项梳理表): one sheet per category, one row per item, one column per field.

Cells that hold lists use one line per entry and ``|`` between the parts of an entry (a full-width
``｜`` works too), e.g. the 法律依据 cell::

    EIA-LAW-22|《中华人民共和国环境影响评价法》|第二十二条

``export_workbook`` writes confirmed items as the API returns them; ``read_workbook`` turns a
workbook back into declarations (the ``POST /catalog/items`` body) and reports every problem by
sheet, row and cell, e.g. ``行政许可（XK）!H5``. The first sheet, 填表说明, explains each column.
openpyxl is imported when a workbook is written or read, never on ``import sunlit_client``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

CATEGORIES: dict[str, str] = {
    "XK": "行政许可", "CF": "行政处罚", "ZS": "行政征收", "QZ": "行政强制", "SP": "非行政许可审批",
    "GF": "行政给付", "JL": "行政奖励", "QR": "行政确认", "ZY": "行政征用", "CJ": "行政裁决",
    "QT": "其他行政权力", "FW": "便民服务",
}
UNITS = {"working_day": "工作日", "calendar_day": "自然日"}
PENALTY_TYPES = {"warning": "警告", "fine": "罚款", "confiscation": "没收违法所得或非法财物",
                 "suspension": "责令停产停业或暂扣许可证执照", "revocation": "吊销许可证执照",
                 "detention": "行政拘留", "other": "其他"}
YES, NO = "是", "否"
HEADER_ROW = 3  # rows 1–2: the form's title and the department line, as in the paper form
INSTRUCTIONS = "填表说明"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: int
    note: str


COLUMNS: tuple[Column, ...] = (
    Column("事项编码", "code", 20, "16 位：区划 6 位 + 部门 3 位 + 类别 2 位 + 顺序号 3 位 + 子项 2 位；可带短横线"),
    Column("事项名称", "name", 30, "必填"),
    Column("实施部门代码", "dept_code", 10, "3 位数字"),
    Column("法律依据", "legal_basis", 44, "每行一条：依据编号|法律法规名称|条款"),
    Column("受理条件", "conditions", 30, ""),
    Column("申请材料", "materials", 30, "每行一项：材料名称|必需或非必需|备注（后两项可省略）"),
    Column("法定期限", "statutory_limit.value", 9, "整数"),
    Column("法定期限单位", "statutory_limit.unit", 10, "工作日 或 自然日"),
    Column("承诺期限", "promised_limit.value", 9, "整数，不得超过法定期限"),
    Column("承诺期限单位", "promised_limit.unit", 10, "工作日 或 自然日"),
    Column("是否收费", "fee.charged", 8, "是 或 否"),
    Column("收费标准（元）", "fee.amount", 12, "收费时必填"),
    Column("收费依据", "fee.basis", 30, "收费时必填"),
    Column("办理流程", "steps", 36, "每行一个环节：环节代码|环节名称|时限（日）|岗位|岗位职责（后两项可省略）"),
    Column("办理地点", "place", 26, ""),
    Column("联系电话", "phone", 16, ""),
    Column("监督电话", "supervision_phone", 16, ""),
    Column("廉政风险点", "risk_points", 44,
           "每行一个：环节代码|风险等级1-3|风险描述|防控措施（多项用；分隔）|责任岗位|关联规则（如 R4、R7，可空）"),
    Column("处罚种类", "penalty.types", 24, "行政处罚事项必填；多项用、分隔"),
    Column("罚款下限（元）", "penalty.fine_min", 12, ""),
    Column("罚款上限（元）", "penalty.fine_max", 12, ""),
    Column("裁量基准", "penalty.tiers", 36, "每行一档：档次|下限|上限|适用情形"),
    Column("办案期限（日）", "penalty.case_limit_days", 10, "立案至决定，默认 90"),
    Column("违法行为", "penalty.violation", 30, ""),
    Column("简易程序", "summary_procedure", 8, "是 或 否"),
    Column("关键词", "keywords", 20, "多个用、分隔"),
    Column("并联审批部门", "co_departments", 14, "部门代码，多个用、分隔"),
    Column("结果名称", "result_name", 20, "证照或批文名称"),
    Column("特别程序", "special_procedures", 20, "如 听证、专家评审，多个用、分隔"),
    Column("类别专有信息", "category_fields", 30, "每行一项：名称=内容"),
    Column("版本", "version", 6, "导出时填写，导入时忽略"),
    Column("生效日期", "effective_from", 12, "导出时填写，导入时忽略"),
)
READ_ONLY_KEYS = frozenset({"version", "effective_from"})


def sheet_title(category: str) -> str:
    return f"{CATEGORIES[category]}（{category}）"


def _category_of_sheet(title: str) -> str | None:
    found = re.search(r"[（(]([A-Za-z]{2})[)）]\s*$", title)
    code = found.group(1).upper() if found else None
    return code if code in CATEGORIES else None


# --- writing -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _money(value: Any) -> Any:
    """Money as a number in the cell (whole yuan as an integer)."""
    if value in (None, ""):
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _cell(item: dict[str, Any], key: str) -> Any:
    penalty = item.get("penalty") or {}
    fee = item.get("fee") or {}
    if key == "legal_basis":
        return "\n".join(f"{b['id']}|{b['title']}|{b['article']}" for b in item.get("legal_basis", []))
    if key == "materials":
        lines = []
        for m in item.get("materials", []):
            parts = [m["name"]]
            if m.get("note") or not m.get("required", True):
                parts.append("必需" if m.get("required", True) else "非必需")
            if m.get("note"):
                parts.append(m["note"])
            lines.append("|".join(parts))
        return "\n".join(lines)
    if key in ("statutory_limit.value", "promised_limit.value"):
        return (item.get(key.split(".")[0]) or {}).get("value")
    if key in ("statutory_limit.unit", "promised_limit.unit"):
        return UNITS.get((item.get(key.split(".")[0]) or {}).get("unit", ""), "")
    if key == "fee.charged":
        return YES if fee.get("charged") else NO
    if key == "fee.amount":
        return _money(fee.get("amount"))
    if key == "fee.basis":
        return fee.get("basis") or ""
    if key == "steps":
        return "\n".join("|".join([s["code"], s["name"], str(s["limit_days"])]
                                  + ([s.get("post") or "", s.get("duty") or ""] if s.get("post") or s.get("duty") else []))
                         for s in item.get("steps", []))
    if key == "risk_points":
        return "\n".join("|".join([r["step_code"], str(r["level"]), r["description"], "；".join(r.get("controls", []))]
                                  + ([r.get("responsible_role") or ""] if r.get("responsible_role") or r.get("linked_rule_ids")
                                     else [])
                                  + (["、".join(r["linked_rule_ids"])] if r.get("linked_rule_ids") else []))
                         for r in item.get("risk_points", []))
    if key == "penalty.types":
        return "、".join(PENALTY_TYPES.get(t, t) for t in penalty.get("types", []))
    if key in ("penalty.fine_min", "penalty.fine_max"):
        return _money(penalty.get(key.split(".")[1]))
    if key == "penalty.tiers":
        return "\n".join("|".join([t["tier"], _text(_money(t["min"])), _text(_money(t["max"]))]
                                  + ([t["conditions"]] if t.get("conditions") else []))
                         for t in penalty.get("tiers", []))
    if key == "penalty.case_limit_days":
        return penalty.get("case_limit_days") if penalty else None
    if key == "penalty.violation":
        return penalty.get("violation") or ""
    if key == "summary_procedure":
        return YES if item.get("summary_procedure") else NO
    if key in ("keywords", "co_departments", "special_procedures"):
        return "、".join(item.get(key) or [])
    if key == "category_fields":
        return "\n".join(f"{k}={v}" for k, v in (item.get("category_fields") or {}).items())
    value = item.get(key)
    return "" if value is None else value


def export_workbook(items: Iterable[dict[str, Any]], path: str | Path, *, title: str = "",
                    progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write items (as ``GET /catalog/items`` returns them) to ``path``; rows per sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    by_category: dict[str, list[dict[str, Any]]] = {c: [] for c in CATEGORIES}
    for item in items:
        by_category.setdefault(item["category"], []).append(item)
    wb = Workbook()
    notes = wb.active
    notes.title = INSTRUCTIONS
    notes.append(["行政权力和便民服务事项梳理表 填表说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["每个权力类别一张工作表，每行一个事项。多条内容的单元格每行一条，各部分之间用 | 分隔。"])
    notes.append([])
    notes.append(["列名", "说明"])
    for col in COLUMNS:
        notes.append([col.header, col.note])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    counts: dict[str, int] = {}
    for category, rows in by_category.items():
        ws = wb.create_sheet(sheet_title(category) if category in CATEGORIES else category)
        ws.cell(1, 1, f"{title or '行政权力和便民服务事项梳理表'}——{CATEGORIES.get(category, category)}").font = \
            Font(bold=True, size=14)
        ws.cell(2, 1, f"权力类别：{CATEGORIES.get(category, category)}（{category}）    事项数：{len(rows)}")
        for j, col in enumerate(COLUMNS, start=1):
            cell = ws.cell(HEADER_ROW, j, col.header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = border
            ws.column_dimensions[get_column_letter(j)].width = col.width
        for i, item in enumerate(sorted(rows, key=lambda r: r["code"]), start=HEADER_ROW + 1):
            for j, col in enumerate(COLUMNS, start=1):
                cell = ws.cell(i, j, _cell(item, col.key))
                cell.alignment = wrap
                cell.border = border
                if col.key == "code":
                    cell.number_format = "@"
            if progress:
                progress(1)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
        counts[category] = len(rows)
    wb.save(str(path))
    return counts


# --- reading -------------------------------------------------------------------------------------


@dataclass
class RowProblem:
    sheet: str
    row: int
    cell: str  # e.g. "H5"
    column: str  # the header, e.g. "法定期限"
    field: str  # the declaration field, e.g. "statutory_limit.value"
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "cell": self.cell, "column": self.column,
                "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}（{self.column}）：{self.message}"


@dataclass
class Row:
    sheet: str
    row: int
    declaration: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field key → column letter

    def locate(self, field_path: str, message: str) -> RowProblem:
        """A problem the API reported for ``field_path`` (``legal_basis.0.title``), put in its cell."""
        key = _column_key(field_path)
        letter = self.columns.get(key, "A")
        header = next((c.header for c in COLUMNS if c.key == key), "事项")
        return RowProblem(self.sheet, self.row, f"{letter}{self.row}", header, field_path, message)


def _column_key(field_path: str) -> str:
    """The column holding a declaration field: ``steps.1.limit_days`` → ``steps``."""
    parts = [p for p in field_path.split(".") if p and p != "body"]
    if not parts:
        return "code"
    for depth in (3, 2, 1):
        candidate = ".".join(p for p in parts[:depth] if not p.isdigit())
        if any(c.key == candidate for c in COLUMNS):
            return candidate
    if parts[0] == "penalty":
        return "penalty.types"
    if parts[0] in ("fee", "statutory_limit", "promised_limit"):
        return {"fee": "fee.charged", "statutory_limit": "statutory_limit.value",
                "promised_limit": "promised_limit.value"}[parts[0]]
    return parts[0] if any(c.key == parts[0] for c in COLUMNS) else "code"


class _CellError(ValueError):
    pass


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).replace("\r", "\n").split("\n") if line.strip()]


def _parts(line: str) -> list[str]:
    return [p.strip() for p in line.replace("｜", "|").split("|")]


def _list(value: Any) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；\n]", _text(value)) if p.strip()]


def _int(value: Any, what: str) -> int:
    text = _text(value).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise _CellError(f"{what}应为整数，而不是「{text}」")
    return int(text)


def _amount(value: Any, what: str) -> str:
    text = _text(value).strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _CellError(f"{what}应为金额（数字），而不是「{text}」") from None
    return format(amount.normalize(), "f") if amount == amount.to_integral_value() else str(amount)


def _yes_no(value: Any, what: str) -> bool:
    text = _text(value).strip()
    if text in (YES, "Y", "y", "true", "TRUE", "True", "1", "收费"):
        return True
    if text in (NO, "", "N", "n", "false", "FALSE", "False", "0", "不收费", "免费"):
        return False
    raise _CellError(f"{what}应填 是 或 否，而不是「{text}」")


def _unit(value: Any) -> str:
    text = _text(value).strip()
    for code, name in UNITS.items():
        if text in (code, name, name.removesuffix("日") + "天"):
            return code
    if text in ("日", "天"):
        return "calendar_day"
    raise _CellError(f"期限单位应为 工作日 或 自然日，而不是「{text}」")


def _penalty_type(text: str) -> str:
    for code, name in PENALTY_TYPES.items():
        if text in (code, name) or (len(text) >= 2 and text in name):
            return code
    raise _CellError(f"未知的处罚种类「{text}」（可填：{'、'.join(PENALTY_TYPES.values())}）")


def _parse(key: str, value: Any) -> Any:
    if key == "legal_basis":
        out = []
        for n, line in enumerate(_lines(value), start=1):
            parts = _parts(line)
            if len(parts) != 3 or not all(parts):
                raise _CellError(f"第 {n} 行应为「依据编号|法律法规名称|条款」三部分")
            out.append({"id": parts[0], "title": parts[1], "article": parts[2]})
        return out
    if key == "materials":
        mats = []
        for line in _lines(value):
            parts = _parts(line)
            mat: dict[str, Any] = {"name": parts[0], "required": True}
            if len(parts) > 1 and parts[1]:
                if parts[1] not in ("必需", "必须", "非必需", "可选", "选填"):
                    raise _CellError(f"材料「{parts[0]}」的第二部分应为 必需 或 非必需")
                mat["required"] = parts[1] in ("必需", "必须")
            if len(parts) > 2 and parts[2]:
                mat["note"] = parts[2]
            mats.append(mat)
        return mats
    if key == "steps":
        steps = []
        for n, line in enumerate(_lines(value), start=1):
            parts = _parts(line)
            if len(parts) < 3:
                raise _CellError(f"第 {n} 行应为「环节代码|环节名称|时限（日）」")
            step: dict[str, Any] = {"code": parts[0], "name": parts[1],
                                    "limit_days": _int(parts[2], f"第 {n} 行的时限")}
            if len(parts) > 3 and parts[3]:
                step["post"] = parts[3]
            if len(parts) > 4 and parts[4]:
                step["duty"] = parts[4]
            steps.append(step)
        return steps
    if key == "risk_points":
        points = []
        for n, line in enumerate(_lines(value), start=1):
            parts = _parts(line)
            if len(parts) < 3:
                raise _CellError(f"第 {n} 行应为「环节代码|风险等级|风险描述|防控措施」")
            point: dict[str, Any] = {"step_code": parts[0], "level": _int(parts[1], f"第 {n} 行的风险等级"),
                                     "description": parts[2],
                                     "controls": _list(parts[3]) if len(parts) > 3 else []}
            if len(parts) > 4 and parts[4]:
                point["responsible_role"] = parts[4]
            if len(parts) > 5 and parts[5]:
                point["linked_rule_ids"] = parts[5]  # "R4、R7": the platform reads the ids leniently
            points.append(point)
        return points
    if key == "penalty.tiers":
        tiers = []
        for n, line in enumerate(_lines(value), start=1):
            parts = _parts(line)
            if len(parts) < 3:
                raise _CellError(f"第 {n} 行应为「档次|下限|上限|适用情形」")
            tier: dict[str, Any] = {"tier": parts[0], "min": _amount(parts[1], f"第 {n} 行的下限"),
                                    "max": _amount(parts[2], f"第 {n} 行的上限")}
            if len(parts) > 3 and parts[3]:
                tier["conditions"] = "|".join(parts[3:])
            tiers.append(tier)
        return tiers
    if key == "penalty.types":
        return list(dict.fromkeys(_penalty_type(t) for t in _list(value)))
    if key in ("statutory_limit.value", "promised_limit.value", "penalty.case_limit_days"):
        return _int(value, "期限")
    if key in ("statutory_limit.unit", "promised_limit.unit"):
        return _unit(value)
    if key in ("fee.amount", "penalty.fine_min", "penalty.fine_max"):
        return _amount(value, "金额")
    if key in ("fee.charged", "summary_procedure"):
        return _yes_no(value, "该项")
    if key in ("keywords", "co_departments", "special_procedures"):
        return _list(value)
    if key == "category_fields":
        fields: dict[str, str] = {}
        for line in _lines(value):
            name, sep, text = line.partition("=")
            if not sep:
                name, sep, text = line.partition("＝")
            if not sep or not name.strip():
                raise _CellError(f"「{line}」应为 名称=内容")
            fields[name.strip()] = text.strip()
        return fields
    return _text(value).strip()


def _assemble(values: dict[str, Any], category: str) -> dict[str, Any]:
    decl: dict[str, Any] = {"category": category}
    for key, value in values.items():
        if key in READ_ONLY_KEYS:
            continue
        head, _, tail = key.partition(".")
        if tail:
            decl.setdefault(head, {})[tail] = value
        else:
            decl[key] = value
    decl["code"] = str(decl.get("code", "")).replace("-", "").replace(" ", "")
    fee = decl.setdefault("fee", {"charged": False})
    fee.setdefault("charged", False)
    for key in ("amount", "basis"):
        if fee.get(key) in ("", None):
            fee.pop(key, None)
    penalty = decl.get("penalty") or {}
    penalty = {k: v for k, v in penalty.items() if v not in ("", None, [])}
    decl["penalty"] = penalty or None
    for key in ("result_name",):
        if decl.get(key) == "":
            decl[key] = None
    return decl


def read_workbook(path: str | Path) -> tuple[list[Row], list[RowProblem]]:
    """Declarations from a workbook, each with the problems found in its cells; plus problems of
    the workbook itself (a sheet without the header row, an unknown column)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(str(path), read_only=True, data_only=True)
    rows: list[Row] = []
    sheet_problems: list[RowProblem] = []
    by_header = {c.header: c for c in COLUMNS}
    for ws in wb.worksheets:
        if ws.title == INSTRUCTIONS:
            continue
        category = _category_of_sheet(ws.title)
        if category is None:
            sheet_problems.append(RowProblem(ws.title, 0, "A1", "", "category",
                                             "工作表名称应以类别代码结尾，如「行政许可（XK）」"))
            continue
        header_at: int | None = None
        columns: dict[int, Column] = {}
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if header_at is None:
                if values and any(_text(v).strip() == COLUMNS[0].header for v in values):
                    header_at = r
                    for j, v in enumerate(values, start=1):
                        name = _text(v).strip()
                        if name in by_header:
                            columns[j] = by_header[name]
                        elif name:
                            sheet_problems.append(RowProblem(ws.title, r, f"{get_column_letter(j)}{r}", name, "",
                                                             f"未知的列「{name}」，已忽略"))
                elif r > 10:
                    break
                continue
            if not values or all(_text(v).strip() == "" for v in values):
                continue
            row = Row(ws.title, r, {})
            parsed: dict[str, Any] = {}
            for j, col in columns.items():
                value = values[j - 1] if j - 1 < len(values) else None
                letter = get_column_letter(j)
                row.columns[col.key] = letter
                if _text(value).strip() == "" and col.key not in ("fee.charged", "summary_procedure"):
                    continue
                try:
                    parsed[col.key] = _parse(col.key, value)
                except _CellError as exc:
                    row.problems.append(RowProblem(ws.title, r, f"{letter}{r}", col.header, col.key, str(exc)))
            row.declaration = _assemble(parsed, category)
            code = row.declaration.get("code", "")
            if len(code) == 16 and code[9:11].upper() != category:
                row.problems.append(row.locate("code", f"事项编码的类别 {code[9:11]} 与工作表的类别 {category} 不符"))
            rows.append(row)
        if header_at is None:
            sheet_problems.append(RowProblem(ws.title, 0, "A1", "", "", f"未找到表头行（第一列应为「{COLUMNS[0].header}」）"))
    wb.close()
    return rows, sheet_problems
