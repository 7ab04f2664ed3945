"""The `sunlit` CLI and the Excel/Word downloads against the local stack.

Departments 590–594; cases of 2012Q3 posted with the client's typed builders. 591 concludes one of
its two cases late, so it is graded 不合格 and receives a 监察建议书.
"""
from __future__ import annotations

import json
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from sunlit_client import events, models
from sunlit_client.cli import main

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import license_item, penalty_item

pytestmark = pytest.mark.integration
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2012-07-{text}+08:00")


def case(case_no: str, code: str, concluded: str) -> list[dict[str, Any]]:
    """Accepted Mon 07-02 (promised 5 working days: due 07-09), concluded on ``concluded``."""
    kw = {"case_no": case_no, "item_code": code}
    return [
        events.build(models.SubmittedData(channel="online"), occurred_at=at("02T09:00:00"), **kw),
        events.build(models.AcceptedData(status="accepted", query_password="pw-cli-1"), occurred_at=at("02T10:00:00"), **kw),
        events.build(models.StepData(step_code="1", status="passed"), occurred_at=at("03T10:00:00"), **kw),
        events.build(models.StepData(step_code="2", status="passed"), occurred_at=at("03T11:00:00"), **kw),
        events.build(models.StepData(step_code="3", status="passed"), occurred_at=at("03T12:00:00"), **kw),
        events.build(models.ConcludedData(result_code=0, cert_no=f"C-{case_no[-3:]}"), occurred_at=at(concluded), **kw),
        events.build(models.DeliveredData(mode="window"), occurred_at=at(concluded.replace("T16:", "T17:")), **kw),
    ]


class World:
    def __init__(self, api: Api, local_stack: Any) -> None:
        self.api = api
        self.sup = api.user("cli-sup", ["supervisor"])
        self.legal = api.user("cli-legal", ["legal"])
        self.depts: dict[str, DeptCreds] = {}
        for code in ("590", "591", "592"):
            self.depts[code] = api.department(code, f"徐州市测试{code}局")
            api.declare_and_confirm(license_item(dept=code), self.legal)
        self.head = api.user("cli-head590", ["dept_head"], "590")
        api.declare_and_confirm(penalty_item(dept="590"), self.legal)
        plan = {"590": case("3203005902012000001", self.item("590"), "05T16:00:00"),
                "591": case("3203005912012000001", self.item("591"), "05T16:00:00")
                + case("3203005912012000002", self.item("591"), "20T16:00:00"),
                "592": case("3203005922012000001", self.item("592"), "04T16:00:00")}
        for dept, evs in plan.items():
            r = api.post_events(self.depts[dept], evs)
            assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
        assert local_stack.wait_idle(60)

    @staticmethod
    def item(dept: str) -> str:
        return f"320300{dept}XK00400"

    def cli(self, *args: str, token: str | None = None) -> Any:
        env = {"SUNLIT_API": self.api.base, "SUNLIT_TOKEN": token or ""}
        return CliRunner().invoke(main, ["--no-progress", *args], env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def world(api: Api, local_stack: Any) -> World:
    return World(api, local_stack)


def test_an_exported_catalog_reimports_to_the_same_catalog(world: World, tmp_path: Path) -> None:
    # Given department 590's confirmed items exported to Excel with the CLI
    path = tmp_path / "catalog-590.xlsx"
    got = world.cli("catalog", "export", str(path), "--dept-code", "590")
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["by_category"] == {"XK": 1, "CF": 1}
    before = {c: world.api.get(f"/catalog/items/{c}").json() for c in ("320300590XK00400", "320300590CF02100")}
    # When the department head imports the same workbook
    got = world.cli("catalog", "import", str(path), token=world.head)
    assert got.exit_code == 0, got.output
    report = json.loads(got.output)
    assert report["failed"] == 0 and sorted(d["code"] for d in report["declared"]) == sorted(before)
    # Then each item has a new declared version whose content is exactly the confirmed one's
    volatile = {"version", "status", "effective_from", "declared_at", "confirmed_at", "rejected_reason"}
    for code, confirmed in before.items():
        history = world.api.get(f"/catalog/items/{code}/versions").json()["items"]
        latest = max(history, key=lambda v: v["version"])
        assert latest["status"] == "declared" and latest["version"] == confirmed["version"] + 1
        assert {k: v for k, v in latest.items() if k not in volatile} == \
               {k: v for k, v in confirmed.items() if k not in volatile}


def test_an_import_reports_the_platforms_objections_by_cell(world: World, tmp_path: Path) -> None:
    path = tmp_path / "catalog-590.xlsx"
    assert world.cli("catalog", "export", str(path), "--dept-code", "590").exit_code == 0
    wb = load_workbook(path)
    ws = wb["行政许可（XK）"]
    ws["I4"] = 30  # promised 30 working days, statutory 20: the platform refuses
    ws["C4"] = "591"  # and another department's code in the row for 590's item
    wb.save(path)
    got = world.cli("catalog", "import", str(path), token=world.head)
    assert got.exit_code == 1
    assert "行政许可（XK）!" in got.stderr and "错误" in got.stderr
    assert json.loads(got.stdout)["failed"] >= 1


def test_statistics_and_evaluation_download_as_excel(world: World, tmp_path: Path) -> None:
    # The public statistics workbook, straight from the API
    r = world.api.http.get(f"{world.api.base}/stats/departments.xlsx", params={"period": "2012Q3"},
                           headers={"Accept": XLSX}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == XLSX and "attachment" in r.headers["Content-Disposition"]
    ws = load_workbook(BytesIO(r.content)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["591"][1] == "徐州市测试591局" and rows["591"][3:6] == (2, 2, 1)
    assert rows["591"][6] == 0.5 and ws["G5"].number_format == "0.0%"
    # The evaluation with the CLI (staff only)
    out = tmp_path / "evaluation.xlsx"
    assert world.cli("evaluation", "export", "--period", "2012Q3", "-o", str(out)).exit_code == 2  # no token
    got = world.cli("evaluation", "export", "--period", "2012Q3", "-o", str(out), token=world.sup)
    assert got.exit_code == 0, got.output
    ws = load_workbook(out).active
    header = [c.value for c in ws[3]]
    graded = {row[0]: dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=4, values_only=True)}
    assert graded["591"]["等次"] == "不合格" and "按时办结率 50.0%" in graded["591"]["主要问题"]
    assert graded["592"]["等次"] == "优秀"
    # And a department head downloads only their own department's rows; a bad period is a 400
    r = world.api.http.get(f"{world.api.base}/supervision/evaluation.xlsx", params={"period": "2012Q3"},
                           headers={"Authorization": f"Bearer {world.head}", "Accept": XLSX}, timeout=60)
    assert r.status_code == 200
    assert [row[0] for row in load_workbook(BytesIO(r.content)).active.iter_rows(min_row=4, values_only=True)] == ["590"]
    bad = world.api.get("/stats/departments.xlsx", period="2012Q9")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["field"] == "query.period"


def test_letters_and_the_notice_come_out_as_word_documents(world: World, tmp_path: Path) -> None:
    # Given the supervisor issued 2012Q3's letters on 2012-10-15
    r = world.api.post("/supervision/evaluation/2012Q3/letters", {"issued_at": "2012-10-15T09:00:00+08:00",
                                                                   "rectify_working_days": 10}, token=world.sup)
    assert r.status_code == 200, r.text
    # When the letters are written with the CLI
    got = world.cli("letters", "docx", "--period", "2012Q3", "--dept-code", "591", "--out-dir", str(tmp_path),
                    "--cc", "徐州市人民政府办公室", token=world.sup)
    assert got.exit_code == 0, got.output
    [path] = json.loads(got.stdout)["files"]
    texts = [p.text for p in Document(path).paragraphs]
    # Then the .docx carries the letter: 文号, title, recipient, findings, deadline, signature and date
    assert "徐监建〔2012〕1号" in texts and "监察建议书" in texts and "徐州市测试591局：" in texts
    body = "\n".join(texts)
    assert "2012年第三季度" in body and "按时办结率 50.0%" in body and "于2012年10月29日前完成整改" in body
    assert "2012年10月15日" in texts and "抄送：徐州市人民政府办公室。" in texts
    # And the quarter's notice lists the departments with their grades
    notice = tmp_path / "notice.docx"
    got = world.cli("evaluation", "notice", "--period", "2012Q3", "-o", str(notice), "--date", "2012-10-16",
                    token=world.sup)
    assert got.exit_code == 0, got.output
    doc = Document(str(notice))
    table = {row.cells[1].text: row.cells[-1].text for row in doc.tables[0].rows[1:]}
    assert table["徐州市测试591局"] == "不合格" and table["徐州市测试592局"] == "优秀"
    assert "2012年10月16日" in [p.text for p in doc.paragraphs]
