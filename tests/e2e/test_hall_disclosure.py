"""政府信息公开 in the hall, in Chromium, against the running stack with the demo city: the
directories, a request with an attachment uploaded straight to the bucket, the receipt, the
progress query after the department answers, the annual report; every page clean, accessible
(axe), usable at phone width, in Chinese with the English toggle, and photographed to
``build/screenshots/disclosure-*-<desktop|phone>.png``.
"""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e import test_hall as hall

pytestmark = pytest.mark.e2e

DEPT = "015"
PDF = b"%PDF-1.4\n% Sunlit e2e\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=hall.CHROMIUM, args=hall.CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[hall.Tab]:
    t = hall._new_tab(browser, "desktop")
    yield t
    t.page.context.close()


def _user(stack: Any, username: str, roles: list[str], dept: str | None = None) -> str:
    """A staff user made by the administrator (the local stage answers with a token)."""
    body = {"username": username, "roles": roles, **({"dept_code": dept} if dept else {})}
    request = urllib.request.Request(f"{stack.api}/admin/users", method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {stack.admin_token}"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return str(json.loads(r.read())["token"])


@pytest.fixture(scope="module")
def handler(stack: Any) -> str:
    """A handler of the demo's environment bureau (its directory and requests are in the demo)."""
    return _user(stack, "e2e-gk-handler", ["handler"], DEPT)


def staff(stack: Any, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(f"{stack.api}{path}", method=method, data=data,
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def submit_request(page: Page, stack: Any, attachment: Path | None) -> tuple[str, str]:
    """Fill the hall's form as a citizen would; the number and password from the receipt."""
    hall.open_route(hall.Tab(page), stack, f"disclosure/apply?dept={DEPT}")
    page.get_by_label("姓名或名称").fill("李明")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("本局 2025 年度建设项目环评审批结果目录")
    chosen = page.locator("#dq-files-chosen")
    expect(chosen).to_have_text("未选择文件")  # the control speaks Chinese, whatever the browser's language
    expect(page.locator("label.file-button")).to_have_text("选择文件")
    if attachment is not None:
        page.set_input_files("#dq-files", str(attachment))
        expect(chosen).to_contain_text(f"已选择 1 个文件：{attachment.name}（")
    page.get_by_role("button", name="提交申请").click()
    receipt = page.locator("#disclosure-receipt")
    expect(receipt).to_be_visible(timeout=20_000)
    return page.inner_text("#disclosure-no").strip(), page.inner_text("#disclosure-password").strip()


# ---- behaviour --------------------------------------------------------------------------------------


def test_the_directories_show_each_departments_guide_and_documents(stack: Any, tab: hall.Tab) -> None:
    hall.open_route(tab, stack, "disclosure")
    tiles = tab.page.locator("#disclosure-depts a")
    expect(tiles.first).to_be_visible()
    tab.page.locator("#disclosure-depts a", has_text="徐州市生态环境局").click()
    tab.page.wait_for_selector('main[data-ready="disclosure"] #disclosure-guide')
    expect(tab.page.locator("#disclosure-guide")).to_contain_text("政府信息公开工作机构")
    all_docs = tab.page.locator("#disclosure-docs > li").count()
    assert all_docs >= 5
    # Choosing a category narrows the directory to it
    tab.page.get_by_role("link", name="法规文件").click()
    # (the page is re-rendered: wait for the chosen category to be the current one, not the last render's ready)
    expect(tab.page.get_by_role("link", name="法规文件")).to_have_attribute("aria-current", "page")
    tab.page.wait_for_selector('main[data-ready="disclosure"] #disclosure-docs')
    narrowed = tab.page.locator("#disclosure-docs > li").count()
    assert 0 < narrowed < all_docs
    assert tab.errors == []


def test_a_citizen_requests_information_with_an_attachment_and_reads_the_answer(
        stack: Any, tab: hall.Tab, handler: str, tmp_path: Path) -> None:
    # Given a scanned document to attach
    scan = tmp_path / "身份证明.pdf"
    scan.write_bytes(PDF)
    # When the citizen submits the form with it
    no, password = submit_request(tab.page, stack, scan)
    assert no.startswith("GK") and len(password) >= 6
    # Then the department sees the file, whose checksum is the uploaded file's, and can download it
    status, view = staff(stack, handler, "GET", f"/staff/disclosure/requests/{no}")
    assert status == 200, view
    [att] = view["attachments"]
    assert att["sha256"] == hashlib.sha256(PDF).hexdigest() and att["name"] == "身份证明.pdf"
    status, link = staff(stack, handler, "GET", f"/attachments/{att['attachment_id']}")
    assert status == 200
    with urllib.request.urlopen(link["url"], timeout=10) as r:
        assert r.read() == PDF
    # When the department answers
    status, answered = staff(stack, handler, "POST", f"/disclosure/requests/{no}/actions",
                             {"action": "answer", "type": "disclosed", "text": "已通过电子邮件向您提供该目录。"})
    assert status == 200, answered
    # Then the citizen's progress query shows the answer
    hall.open_route(tab, stack, f"disclosure/query?no={no}")
    tab.page.get_by_label("查询密码").fill(password)
    tab.page.get_by_role("button", name="查询").click()
    expect(tab.page.locator("#dq-status")).to_have_text("已答复", timeout=15_000)
    expect(tab.page.locator("#disclosure-answer")).to_contain_text("已通过电子邮件向您提供该目录。")
    assert "身份证明" not in tab.page.inner_text("main")  # the public never sees the files
    assert tab.errors == []


def test_a_complaint_carries_its_evidence_to_the_supervision_bureau_only(stack: Any, tab: hall.Tab, tmp_path: Path) -> None:
    photo = tmp_path / "收费票据.png"
    photo.write_bytes(PNG)
    hall.open_route(tab, stack, f"complaint?dept={DEPT}")
    tab.page.get_by_label("办事效率").check()
    tab.page.get_by_label("投诉内容").fill("窗口要求缴纳目录外的费用，附收费票据照片。")
    tab.page.set_input_files("#complaint-files", str(photo))
    tab.page.get_by_role("button", name="提交投诉").click()
    expect(tab.page.locator("#complaint-no")).to_be_visible(timeout=20_000)
    no = tab.page.inner_text("#complaint-no").strip()
    supervisor = _user(stack, "e2e-complaint-sup", ["supervisor"])
    status, complaint = staff(stack, supervisor, "GET", f"/complaints/{no}")
    assert status == 200, complaint
    [att] = complaint["attachments"]
    assert att["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert staff(stack, supervisor, "GET", f"/attachments/{att['attachment_id']}")[0] == 200
    assert staff(stack, _user(stack, "e2e-complaint-h", ["handler"], DEPT), "GET",
                 f"/attachments/{att['attachment_id']}")[0] == 403
    assert tab.errors == []


def test_a_wrong_password_and_a_file_too_large_are_explained(stack: Any, tab: hall.Tab, tmp_path: Path) -> None:
    hall.open_route(tab, stack, "disclosure/query?no=GK2026010101500000")
    tab.page.get_by_label("查询密码").fill("WRONGPWD")
    tab.page.get_by_role("button", name="查询").click()
    expect(tab.page.locator(".error-summary")).to_contain_text("未找到申请或查询密码错误")
    big = tmp_path / "scan.pdf"
    big.write_bytes(PDF + b"0" * (21 * 1024 * 1024))
    hall.open_route(tab, stack, f"disclosure/apply?dept={DEPT}")
    tab.page.get_by_label("姓名或名称").fill("李明")
    tab.page.get_by_label("联系电话").fill("13912345678")
    tab.page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill("某文件")
    tab.page.set_input_files("#dq-files", str(big))
    tab.page.get_by_role("button", name="提交申请").click()
    expect(tab.page.locator(".error-summary")).to_contain_text("超过 20 MB")
    expect(tab.page.locator("#disclosure-receipt")).to_have_count(0)


def test_the_annual_report_table_for_the_platform_and_a_department(stack: Any, tab: hall.Tab) -> None:
    hall.open_route(tab, stack, "disclosure/report")
    table = tab.page.locator("#report-table")
    expect(table).to_be_visible()
    received = int(tab.page.locator('tr[data-row="received"] td').last.inner_text())
    assert received > 0  # the demo's requests of this year
    tab.page.get_by_label("机关").select_option(DEPT)
    tab.page.get_by_role("button", name="查看").click()
    expect(tab.page.locator("#report-out h2")).to_contain_text("徐州市生态环境局")

    def total(row: str) -> int:
        return int(tab.page.locator(f'tr[data-row="{row}"] td').last.inner_text())

    assert total("received") + total("carried_over") == total("closed_total") + total("carried_forward")
    assert total("carried_over") >= 1  # the demo carries one request over from last year


def test_the_language_toggle_switches_the_disclosure_pages_to_english(stack: Any, tab: hall.Tab) -> None:
    hall.open_route(tab, stack, "disclosure/report")
    tab.page.locator("#lang-toggle").click()
    expect(tab.page.locator("h1")).to_have_text("Annual report on information disclosure")
    assert tab.page.evaluate("document.documentElement.lang") == "en"
    tab.page.locator("#lang-toggle").click()
    expect(tab.page.locator("h1")).to_have_text("政府信息公开工作年度报告")


PAGES = [
    ("disclosure", "disclosure"),
    ("disclosure-directory", f"disclosure/dept/{DEPT}"),
    ("disclosure-apply", f"disclosure/apply?dept={DEPT}"),
    ("disclosure-receipt", f"disclosure/apply?dept={DEPT}"),
    ("disclosure-query", "disclosure/query"),
    ("disclosure-report", "disclosure/report"),
]


@pytest.mark.parametrize(("name", "route"), PAGES, ids=[p[0] for p in PAGES])
def test_every_disclosure_page_is_clean_accessible_and_photographed(
        stack: Any, browser: Browser, handler: str, tmp_path: Path, name: str, route: str) -> None:
    hall.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in hall.VIEWPORTS:
        t = hall._new_tab(browser, viewport)
        try:
            # Given the page at this width (the receipt and the query after a real submission)
            if name in ("disclosure-receipt", "disclosure-query"):
                scan = tmp_path / "申请书.pdf"
                scan.write_bytes(PDF)
                no, password = submit_request(t.page, stack, scan)
                if name == "disclosure-query":
                    staff(stack, handler, "POST", f"/disclosure/requests/{no}/actions",
                          {"action": "extend", "working_days": 10, "approver": "办公室主任", "reason": "需要调取档案"})
                    hall.open_route(t, stack, f"disclosure/query?no={no}")
                    t.page.get_by_label("查询密码").fill(password)
                    t.page.get_by_role("button", name="查询").click()
                    expect(t.page.locator("#disclosure-result")).to_be_visible(timeout=15_000)
            else:
                hall.open_route(t, stack, route)
            t.page.screenshot(path=str(hall.SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)
            # Then nothing went wrong, it fits the width, has one h1 in Chinese, and axe finds nothing serious
            assert t.errors == [], f"{name} at {viewport}: {t.errors}"
            overflow = t.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} at {viewport} overflows by {overflow}px"
            assert t.page.locator("h1").count() == 1
            assert t.page.evaluate("document.documentElement.lang") == "zh-CN"
            results = Axe().run(t.page)
            bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
                   for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
            assert bad == [], f"{name} at {viewport}: {bad}"
        finally:
            t.page.context.close()
