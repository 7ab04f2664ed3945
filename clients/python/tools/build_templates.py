"""Build the Word templates of ``sunlit_client/templates/`` (run by ``make templates``).

Both documents follow the official-document layout of GB/T 9704-2012 (党政机关公文格式):
A4, margins 37/35/28/26 mm (top/bottom/left/right), body in 3号仿宋 (16 pt) with 22 lines a page
and a first-line indent of two characters; the issuing authority's mark (发文机关标志) in red
小标宋, the document number (发文字号, ``〔2026〕``) above a red separator line, the title in
2号小标宋, the recipients (主送机关) flush left, the body, the signature and the date (成文日期,
in Arabic numerals, four characters from the right) under the seal (印章, bookmark ``seal``), and
the closing block (版记: 抄送, 印发机关和印发日期) between lines, page numbers ``— 1 —`` in 4号宋体.

The templates carry Jinja tags rendered by docxtpl (``sunlit_client.documents``); a city changes
its letterhead by editing the .docx in Word and keeping the tags. This script is the reproducible
source of the committed files.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "sunlit_client" / "templates"
RED = RGBColor(0xE6, 0x00, 0x12)
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
BODY_PT = 16  # 3号
LINE_PT = 28.95  # 22 lines in the 225 mm type area
TEXT_WIDTH_PT = 156 / 25.4 * 72  # the 156 mm type area
DATE_BOX_CHARS = 10  # "2026年10月15日" is 7.5 characters in 仿宋, wider in substitute fonts: room to spare


def _font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT, align=None,  # type: ignore[no-untyped-def]
          indent_chars: float = 0, right_chars: float = 0, bold: bool = False, color: RGBColor | None = None,
          style: str | None = None):
    p = doc.add_paragraph(style=style)
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if text:
        _font(p.add_run(text), font, size, bold, color)
    return p


def _bottom_border(paragraph, color: str, size_eighths: int = 12) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _top_border(paragraph, color: str = "000000", size_eighths: int = 8) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "1"), ("w:color", color)):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)


def _bookmark(paragraph, name: str, bookmark_id: int) -> None:  # type: ignore[no-untyped-def]
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _page_number_footer(section) -> None:  # type: ignore[no-untyped-def]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), SONG, 14)
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    _font(run, SONG, 14)
    _font(p.add_run(" —"), SONG, 14)


def _document():  # type: ignore[no-untyped-def]
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28 - 7)
    normal = doc.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    _page_number_footer(section)
    props = doc.core_properties
    props.author = "Sunlit 阳光政务"
    props.language = "zh-CN"
    return doc


def _head(doc) -> None:  # type: ignore[no-untyped-def]
    """版头: the issuing authority's mark, the document number and the red separator line."""
    _para(doc, "{{ issuer_mark }}", font=XIAOBIAOSONG, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _para(doc)
    no = _para(doc, "{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _bottom_border(no, "E60012", 12)
    _para(doc)


def _title_and_recipients(doc) -> None:  # type: ignore[no-untyped-def]
    _para(doc, "{{ title }}", font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)
    _para(doc, "{{ recipients }}：")


def _signature(doc) -> None:  # type: ignore[no-untyped-def]
    """发文机关署名 and 成文日期 under the seal (bookmark ``seal``): the date four characters from the
    right, the signature centred over the date (GB/T 9704 7.3.5.1). Both paragraphs are centred in
    the same box, as wide as a date, ending four characters from the right margin."""
    _para(doc)
    _para(doc)
    box_left = Pt(TEXT_WIDTH_PT - 4 * BODY_PT - DATE_BOX_CHARS * BODY_PT)
    signer = _para(doc, "{{ signer }}", align=WD_ALIGN_PARAGRAPH.CENTER, right_chars=4)
    signer.paragraph_format.left_indent = box_left
    _bookmark(signer, "seal", 1)
    dated = _para(doc, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.CENTER, right_chars=4)
    dated.paragraph_format.left_indent = box_left
    _para(doc, "{%p if contact %}", indent_chars=2)
    _para(doc, "（联系人：{{ contact }}）", indent_chars=2)
    _para(doc, "{%p endif %}", indent_chars=2)


def _closing(doc) -> None:  # type: ignore[no-untyped-def]
    """版记: 抄送 and 印发机关/印发日期 between lines (4号仿宋)."""
    _para(doc)
    _para(doc, "{%p if cc %}", size=14)
    cc = _para(doc, "抄送：{{ cc }}。", size=14, indent_chars=1)
    _top_border(cc, "000000", 8)
    _para(doc, "{%p endif %}", size=14)
    printed = _para(doc, "{{ office }}　　　　　　　　{{ printed_cn }}印发", size=14, indent_chars=1)
    _top_border(printed, "000000", 8)
    _bottom_border(printed, "000000", 8)


def build_letter(path: Path) -> None:
    """监察建议书 (supervision recommendation letter) to one department."""
    doc = _document()
    _head(doc)
    _title_and_recipients(doc)
    _para(doc, "{%p for para in paragraphs %}", indent_chars=2)
    _para(doc, "{{ para }}", indent_chars=2)
    _para(doc, "{%p endfor %}", indent_chars=2)
    _para(doc, "{%p if shortfalls %}", indent_chars=2)
    _para(doc, "主要问题：", font=HEITI, indent_chars=2)
    _para(doc, "{%p for s in shortfalls %}", indent_chars=2)
    _para(doc, "{{ loop.index }}. {{ s }}；", indent_chars=2)
    _para(doc, "{%p endfor %}", indent_chars=2)
    _para(doc, "{%p endif %}", indent_chars=2)
    _para(doc, "监察建议：", font=HEITI, indent_chars=2)
    _para(doc, "{{ recommendation }}", indent_chars=2)
    _signature(doc)
    _closing(doc)
    doc.save(str(path))


def build_notice(path: Path) -> None:
    """季度绩效评估通报 (the quarterly evaluation notice) to all departments."""
    doc = _document()
    _head(doc)
    _title_and_recipients(doc)
    _para(doc, "{%p for para in paragraphs %}", indent_chars=2)
    _para(doc, "{{ para }}", indent_chars=2)
    _para(doc, "{%p endfor %}", indent_chars=2)
    _para(doc, "一、评估结果", font=HEITI, indent_chars=2)
    headers = ("序号", "部门", "受理", "办结", "按时办结率", "每百件红牌", "满意率", "等次")
    table = doc.add_table(rows=3, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths_mm = (12, 38, 14, 14, 20, 20, 20, 18)  # 156 mm: the type area
    for j, text in enumerate(headers):
        cell = table.rows[0].cells[j]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), HEITI, 12)
    row_tags = ("{{ r.no }}", "{{ r.dept }}", "{{ r.received }}", "{{ r.concluded }}", "{{ r.on_time_rate }}",
                "{{ r.red_per_100 }}", "{{ r.satisfaction_rate }}", "{{ r.grade }}")
    _font(table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rows %}"), FANGSONG, 12)
    for j, text in enumerate(row_tags):
        cell = table.rows[2].cells[j]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), FANGSONG, 12)
    end = table.add_row()
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid (what LibreOffice reads) …
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)  # … and each cell (what Word reads)
    _font(end.cells[0].paragraphs[0].add_run("{%tr endfor %}"), FANGSONG, 12)
    # docxtpl needs the loop tags in rows of their own: move the "for" row's tag above the data row
    _para(doc)
    _para(doc, "二、存在的问题", font=HEITI, indent_chars=2)
    _para(doc, "{%p for p in problems %}", indent_chars=2)
    _para(doc, "{{ p }}", indent_chars=2)
    _para(doc, "{%p endfor %}", indent_chars=2)
    _para(doc, "三、工作要求", font=HEITI, indent_chars=2)
    _para(doc, "{{ requirements }}", indent_chars=2)
    _signature(doc)
    _closing(doc)
    doc.save(str(path))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    build_letter(OUT / "supervision_letter.docx")
    build_notice(OUT / "evaluation_notice.docx")
    print(f"wrote {OUT}/supervision_letter.docx and evaluation_notice.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
