"""Excel and Word from the client package: the catalog in the 附件2 layout (export → read back
the same declarations, problems per cell) and the 监察建议书 / evaluation notice in the GB/T 9704
layout, opened with python-docx."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import load_workbook
from sunlit_client import documents
from sunlit_client.catalog_xlsx import export_workbook, read_workbook, sheet_title

from chalicelib.catalog.domain.items import ItemDeclaration
from tests.support.fixtures import license_item, penalty_item


def canonical(decl: dict[str, Any]) -> dict[str, Any]:
    return ItemDeclaration.model_validate(decl).model_dump(mode="json")


def rich_items() -> list[dict[str, Any]]:
    fee = license_item(seq="005", fee={"charged": True, "amount": 120.5, "basis": "苏价费〔2012〕1号"},
                       materials=[{"name": "申请书", "required": True},
                                  {"name": "委托书", "required": False, "note": "委托办理时提交"}],
                       steps=[{"code": "1", "name": "承办", "limit_days": 2, "post": "窗口", "duty": "收件核对"},
                              {"code": "2", "name": "审核", "limit_days": 1}],
                       risk_points=[{"step_code": "1", "description": "故意刁难", "level": 2,
                                     "controls": ["限时办结", "电子监察"], "responsible_role": "窗口负责人"},
                                    {"step_code": "2", "description": "违规审批", "level": 1, "controls": ["集体研究"],
                                     "linked_rule_ids": ["R4", "R6"]}],
                       category_fields={"证照有效期": "5年"}, co_departments=["016"], result_name="环评批复",
                       special_procedures=["听证", "专家评审"])
    penalty = penalty_item()
    penalty["penalty"] = {**penalty["penalty"], "types": ["warning", "fine", "confiscation"],
                          "tiers": [{"tier": "light", "min": 1000, "max": 3000, "conditions": "初次违法|及时改正"},
                                    {"tier": "medium", "min": 3000, "max": 6000},
                                    {"tier": "heavy", "min": 6000, "max": 10000}], "violation": "未批先建"}
    return [canonical(license_item()), canonical(fee), canonical(penalty), canonical(license_item(seq="006",
            category="FW", code="320300015FW00600", name="环保政策咨询"))]


def test_the_catalog_workbook_reads_back_the_same_declarations(tmp_path: Path) -> None:
    # Given items as the API returns them (with version and dates added)
    items = [{**i, "version": 3, "effective_from": "2012-07-01", "status": "confirmed"} for i in rich_items()]
    path = tmp_path / "catalog.xlsx"
    counts = export_workbook(items, path)
    # Then there is one sheet per category, one row per item, under the form's header row
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "填表说明" and sheet_title("XK") in wb.sheetnames and sheet_title("CF") in wb.sheetnames
    assert counts["XK"] == 2 and counts["CF"] == 1 and counts["FW"] == 1
    ws = wb[sheet_title("XK")]
    assert [c.value for c in ws[3]][:4] == ["事项编码", "事项名称", "实施部门代码", "法律依据"]
    assert ws["D4"].value == "EIA-LAW-22|《中华人民共和国环境影响评价法》|第二十二条"
    # And reading it back gives exactly the declarations that were exported
    rows, problems = read_workbook(path)
    assert problems == [] and all(r.problems == [] for r in rows)
    back = {r.declaration["code"]: canonical(r.declaration) for r in rows}
    assert back == {i["code"]: i for i in rich_items()}


def test_problems_are_reported_per_sheet_row_and_cell(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    export_workbook(rich_items(), path)
    wb = load_workbook(path)
    ws = wb[sheet_title("XK")]
    ws["G4"] = "二十"  # 法定期限 not a number
    ws["N5"] = "1|承办"  # a step without its time limit
    ws["A5"] = "320300015CF00500"  # a penalty code on the license sheet
    wb.save(path)
    rows, _ = read_workbook(path)
    found = {str(p) for r in rows for p in r.problems}
    assert "行政许可（XK）!G4（法定期限）：期限应为整数，而不是「二十」" in found
    assert any(p.startswith("行政许可（XK）!N5（办理流程）：第 1 行") for p in found)
    assert any(p.startswith("行政许可（XK）!A5（事项编码）") and "类别" in p for p in found)
    # And a field the platform names maps back to its cell
    row = next(r for r in rows if r.row == 4)
    assert str(row.locate("legal_basis.0.title", "不能为空")) == "行政许可（XK）!D4（法律依据）：不能为空"
    assert row.locate("penalty.tiers.1.max", "x").cell == "V4"
    assert row.locate("statutory_limit", "x").cell == "G4"


LETTER = {"letter_no": "JCJY-2026Q3-561", "kind": "监察建议书", "period": "2026Q3", "dept_code": "561",
          "dept_name": "徐州市测试局", "grade": "不合格",
          "shortfalls": ["按时办结率 50.0% 低于 80.0%", "每百件红牌 50 张，超过 5 张"],
          "metrics": {"received": 2, "concluded": 2, "on_time_rate": 0.5, "red_per_100": 50.0,
                      "satisfaction_rate": None},
          "issued_at": "2026-10-15T09:00:00+08:00", "rectify_deadline": "2026-10-29"}


def test_a_supervision_letter_is_an_official_document(tmp_path: Path) -> None:
    head = documents.Letterhead(authority="徐州市监察局", doc_prefix="徐监", cc="市政府办公室")
    [path] = documents.render_letters([LETTER], tmp_path, head, today=date(2026, 10, 16))
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    # The letterhead, the 文号, the title, the recipient, the body, the signature and the date
    assert texts[0] == "徐州市监察局"
    assert "徐监建〔2026〕1号" in texts
    assert "监察建议书" in texts
    assert "徐州市测试局：" in texts
    body = "\n".join(texts)
    assert "2026年第三季度" in body and "按时办结率 50.0%" in body and "「不合格」" in body
    assert "1. 按时办结率 50.0% 低于 80.0%；" in texts
    assert "于2026年10月29日前完成整改" in body
    assert "抄送：市政府办公室。" in texts
    # The date in Arabic numerals four characters from the right, the signature centred over it, where
    # the seal goes
    signer = texts.index("徐州市监察局", 1)
    assert texts[signer + 1] == "2026年10月15日"
    sig, dated = doc.paragraphs[signer], doc.paragraphs[signer + 1]
    assert sig.alignment == dated.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert sig.paragraph_format.right_indent.pt == dated.paragraph_format.right_indent.pt == 64  # 4 × 16 pt
    assert sig.paragraph_format.left_indent == dated.paragraph_format.left_indent
    bookmarks = doc.element.body.xpath('.//w:bookmarkStart[@w:name="seal"]')
    assert len(bookmarks) == 1
    # On A4 with the standard margins (GB/T 9704: 37/35/28/26 mm) and the body in 16 pt 仿宋
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (37, 35, 28, 26)
    title = doc.paragraphs[texts.index("监察建议书")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].font.size.pt == 22
    assert "{{" not in body and "{%" not in body


def test_the_evaluation_notice_lists_every_department(tmp_path: Path) -> None:
    evaluation = {"period": "2026Q3", "items": [
        {**LETTER["metrics"], "dept_code": "561", "dept_name": "徐州市测试局", "grade": "不合格",
         "shortfalls": LETTER["shortfalls"]},
        {"dept_code": "562", "dept_name": "徐州市样板局", "received": 1, "concluded": 1, "on_time_rate": 1.0,
         "red_per_100": 0.0, "satisfaction_rate": 1.0, "grade": "优秀", "shortfalls": []}]}
    path = documents.render_notice(evaluation, tmp_path / "notice.docx", today=date(2026, 10, 16), number=4)
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert "徐监通〔2026〕4号" in texts
    assert "关于2026年第三季度行政权力运行绩效评估情况的通报" in texts
    assert "本期评估结果：优秀 1 个，不合格 1 个。" in texts
    assert any(t.startswith("徐州市测试局：按时办结率 50.0%") for t in texts)
    table = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert table[0][:2] == ["序号", "部门"]
    assert table[1] == ["1", "徐州市测试局", "2", "2", "50.0%", "50", "—", "不合格"]
    assert table[2][1] == "徐州市样板局" and table[2][-1] == "优秀"
    dated = texts.index("2026年10月16日")
    assert texts[dated - 1] == "徐州市监察局" and doc.paragraphs[dated].alignment == WD_ALIGN_PARAGRAPH.CENTER
