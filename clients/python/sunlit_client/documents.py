"""Word documents in the official-document layout (GB/T 9704-2012): the 监察建议书 (supervision
recommendation letter) to a department graded 不合格, and the quarterly evaluation notice
(绩效评估通报) to all departments.

They are rendered from the templates in ``templates/`` (built by ``tools/build_templates.py``;
a city may restyle them in Word, keeping the ``{{ … }}`` tags) with docxtpl, from the records the
API returns (``GET /supervision/letters``, ``GET /supervision/evaluation``). docxtpl is imported
here only — never by the platform's API functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
LETTER_TEMPLATE = TEMPLATES / "supervision_letter.docx"
NOTICE_TEMPLATE = TEMPLATES / "evaluation_notice.docx"
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Letterhead:
    """Who issues the documents and how they are numbered (发文机关, 机关代字)."""

    authority: str = "徐州市监察局"
    doc_prefix: str = "徐监"  # 机关代字: 徐监建〔2026〕3号, 徐监通〔2026〕1号
    office: str = "徐州市监察局办公室"  # 印发机关
    contact: str = ""
    cc: str = ""  # 抄送


def date_cn(day: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 prescribes: ``2026年12月5日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_cn(period: str) -> str:
    """``2026Q3`` → ``2026年第三季度``; ``2026-07`` → ``2026年7月``; ``2026`` → ``2026年``."""
    found = re.fullmatch(r"(\d{4})Q([1-4])", period)
    if found:
        return f"{found.group(1)}年第{_CN_DIGITS[int(found.group(2))]}季度"
    found = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if found:
        return f"{found.group(1)}年{int(found.group(2))}月"
    return f"{period}年" if period.isdigit() else period


def doc_no(prefix: str, kind: str, year: int, number: int) -> str:
    """发文字号: 机关代字 + 〔年份〕 + 序号 + 号, e.g. ``徐监建〔2026〕3号``."""
    return f"{prefix}{kind}〔{year}〕{number}号"


def _pct(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _day(text: str | None, fallback: date) -> date:
    if not text:
        return fallback
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return date.fromisoformat(text[:10])


def letter_context(letter: dict[str, Any], number: int, head: Letterhead, today: date) -> dict[str, Any]:
    """The template's fields for one 监察建议书 record (as ``GET /supervision/letters`` returns it)."""
    issued = _day(letter.get("issued_at"), today)
    period = str(letter["period"])
    dept = letter.get("dept_name") or f"{letter['dept_code']} 部门"
    metrics = letter.get("metrics") or {}
    deadline = _day(letter.get("rectify_deadline"), issued)
    facts = (f"根据行政权力网上公开透明运行绩效评估办法，我局对你单位{period_cn(period)}行政权力运行情况进行了评估。"
             f"该期间你单位受理办件 {_num(metrics.get('received'))} 件，办结 {_num(metrics.get('concluded'))} 件，"
             f"按时办结率 {_pct(metrics.get('on_time_rate'))}，每百件红牌 {_num(metrics.get('red_per_100'))} 张，"
             f"群众满意率 {_pct(metrics.get('satisfaction_rate'))}，评估等次为「{letter.get('grade') or '不合格'}」。")
    return {
        "issuer_mark": head.authority,
        "doc_no": doc_no(head.doc_prefix, "建", int(period[:4]), number),
        "title": "监察建议书",
        "recipients": dept,
        "paragraphs": [facts],
        "shortfalls": list(letter.get("shortfalls") or []),
        "recommendation": (f"请你单位针对上述问题认真分析原因，落实责任，完善制度，于{date_cn(deadline)}前完成整改，"
                           f"并将整改情况书面报送{head.authority}。逾期未整改或整改不到位的，将依照有关规定追究责任。"),
        "signer": head.authority,
        "date_cn": date_cn(issued),
        "contact": head.contact,
        "cc": head.cc,
        "office": head.office,
        "printed_cn": date_cn(issued),
        "letter_no": letter.get("letter_no", ""),
    }


def notice_context(evaluation: dict[str, Any], number: int, head: Letterhead, today: date,
                   recipients: str = "各县（市、区）监察局，市各有关部门") -> dict[str, Any]:
    """The template's fields for a period's evaluation (as ``GET /supervision/evaluation`` returns it)."""
    period = str(evaluation["period"])
    items = list(evaluation.get("items") or [])
    grades: dict[str, int] = {}
    for row in items:
        grades[row.get("grade") or "未评定"] = grades.get(row.get("grade") or "未评定", 0) + 1
    summary = "，".join(f"{g} {n} 个" for g, n in sorted(grades.items(), key=lambda kv: _GRADE_ORDER.get(kv[0], 9)))
    rows = [{"no": i, "dept": row.get("dept_name") or row["dept_code"], "received": _num(row.get("received")),
             "concluded": _num(row.get("concluded")), "on_time_rate": _pct(row.get("on_time_rate")),
             "red_per_100": _num(row.get("red_per_100")), "satisfaction_rate": _pct(row.get("satisfaction_rate")),
             "grade": row.get("grade") or "—"} for i, row in enumerate(items, start=1)]
    problems = [f"{row.get('dept_name') or row['dept_code']}：{'；'.join(row.get('shortfalls') or [])}。"
                for row in items if row.get("grade") == "不合格"]
    return {
        "issuer_mark": head.authority,
        "doc_no": doc_no(head.doc_prefix, "通", int(period[:4]), number),
        "title": f"关于{period_cn(period)}行政权力运行绩效评估情况的通报",
        "recipients": recipients,
        "paragraphs": [f"根据行政权力网上公开透明运行绩效评估办法，我局对{len(items)}个部门{period_cn(period)}"
                       f"行政权力网上运行情况进行了评估。现将评估结果通报如下。",
                       f"本期评估结果：{summary or '无参评部门'}。"],
        "rows": rows,
        "problems": problems or ["本期无评定为「不合格」的部门。"],
        "requirements": ("各部门要对照评估结果查找不足；评定为「不合格」的部门应按监察建议书的要求限期整改，"
                         "并将整改情况书面报送监察局。"),
        "signer": head.authority,
        "date_cn": date_cn(today),
        "contact": head.contact,
        "cc": head.cc,
        "office": head.office,
        "printed_cn": date_cn(today),
    }


_GRADE_ORDER = {"优秀": 0, "良好": 1, "合格": 2, "不合格": 3}


def render(template: Path, context: dict[str, Any], out: str | Path) -> Path:
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    doc.render(context, autoescape=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return Path(out)


def render_letters(letters: list[dict[str, Any]], out_dir: str | Path, head: Letterhead | None = None,
                   today: date | None = None) -> list[Path]:
    """One .docx per 监察建议书, numbered in department order (``<letter_no>.docx``)."""
    head = head or Letterhead()
    today = today or date.today()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, letter in enumerate(sorted(letters, key=lambda x: (x["period"], x["dept_code"])), start=1):
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", str(letter.get("letter_no") or f"letter-{number}"))
        written.append(render(LETTER_TEMPLATE, letter_context(letter, number, head, today), folder / f"{name}.docx"))
    return written


def render_notice(evaluation: dict[str, Any], out: str | Path, head: Letterhead | None = None,
                  today: date | None = None, number: int = 1) -> Path:
    return render(NOTICE_TEMPLATE, notice_context(evaluation, number, head or Letterhead(), today or date.today()), out)
