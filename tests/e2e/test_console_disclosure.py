"""政府信息公开 in the staff console, in Chromium, against the running stack with the demo city: a
department's handler finds a citizen's request in the 依申请公开 list, asks for clarification (补正),
records the clarification and answers — each mistake explained in Chinese beside its field — while
the citizen follows every step in the hall's progress query; the supervision bureau reads the same
request with the applicant masked and no forms. (Screenshots and axe for these pages:
``test_console.py``'s ``PAGES``.)
"""
from __future__ import annotations

import secrets
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e import test_console as console
from tests.e2e import test_hall as hall

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% Sunlit console e2e\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


#: Chromium and the demo handler's department, as test_console.py has them (module-scoped fixtures).
browser = console.browser
demo_dept = console.demo_dept


def _fails(page: Page, button: Any) -> str:
    """Send a form the API refuses: the error summary appears (and the page is not re-rendered)."""
    button.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible(timeout=console.READY_MS)
    return str(summary.inner_text())


def _open(page: Page, action: str) -> Any:
    """The form of an act, unfolded (the first one on the page is unfolded already)."""
    details = page.locator(f'details[data-action="{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def _hall_progress(browser: Browser, stack: Any, no: str, password: str) -> hall.Tab:
    t = hall._new_tab(browser, "desktop")
    hall.open_route(t, stack, f"disclosure/query?no={no}")
    t.page.get_by_label("查询密码").fill(password)
    t.page.get_by_role("button", name="查询").click()
    return t


def test_a_handler_asks_for_clarification_then_answers_and_the_citizen_follows_it_in_the_hall(
        stack: Any, browser: Browser, demo_dept: str) -> None:
    # Given a citizen's request to the demo handler's department, from the hall's API
    r = console.api(stack, "POST", "/disclosure/requests", body={
        "dept_code": demo_dept, "applicant": {"type": "person", "name": "钱文华", "phone": "13851620000",
                                              "address": "徐州市泉山区湖北路 1 号"},
        "description": "贵局 2025 年度政府采购项目的中标结果", "format": "electronic", "delivery": "email"})
    assert r.status_code == 201, r.text
    no, password = r.json()["request_no"], r.json()["query_password"]
    tab = console.new_tab(browser, stack)
    page = tab.page
    try:
        console.sign_in(tab, stack, "demo-handler")
        # When the handler opens 依申请公开: the request is listed with its due date and working days left
        console.open_page(tab, stack, "disclosure")
        row = page.locator(f'#disclosure-list tr[data-request="{no}"]')
        expect(row).to_contain_text("剩余")
        expect(row).to_contain_text("钱文华")
        dues = page.locator("#disclosure-list tbody tr").evaluate_all(
            "rows => rows.map(r => r.querySelector('strong') ? r.querySelector('strong').textContent : '')")
        dated = [d[:10] for d in dues if d[:4].isdigit()]
        assert dated == sorted(dated), dues  # the earliest due date first
        row.get_by_role("link", name=no).click()
        console.ready(page, "disclosure-request")
        # Then the request shows what was asked, the applicant in full (the department handles it) and the clock
        expect(page.locator("#request-description")).to_have_text("贵局 2025 年度政府采购项目的中标结果")
        expect(page.locator("#applicant-name")).to_have_text("钱文华")
        expect(page.locator("main")).to_contain_text("13851620000")
        expect(page.locator("#request-status")).to_have_text("办理中")
        # When the handler asks for clarification without saying what is missing, the API's reason is beside the field
        clarify = _open(page, "clarify")
        message = _fails(page, clarify.get_by_role("button", name="告知补正"))
        assert "告知补正须填写内容" in message
        expect(clarify.locator('[data-field-wrap="text"] .field-error')).to_have_text("告知补正须填写内容")
        # And with the missing points, the request waits for the applicant and its clock stops
        clarify.get_by_label("需要补正的内容").fill("请写明所需采购项目的名称或采购编号，以及大致的采购时间。")
        console.submit(page, clarify.get_by_role("button", name="告知补正"), "disclosure-request")
        expect(page.locator("#request-status")).to_have_text("待申请人补正")
        expect(page.locator("#request-due")).to_have_text("补正期间不计时")
        expect(page.locator("#request-history")).to_contain_text("告知补正")
        # Then the citizen's progress query in the hall says what to clarify
        citizen = _hall_progress(browser, stack, no, password)
        try:
            expect(citizen.page.locator("#dq-status")).to_have_text("待补正", timeout=15_000)
            expect(citizen.page.locator("main")).to_contain_text("请写明所需采购项目的名称或采购编号")
            # When the clarification arrives, the handler records it: the 20 working days count again
            received = _open(page, "clarified")
            received.get_by_label("补正内容").fill("2025 年 6 月的办公设备采购项目（XZCG-2025-061）")
            console.submit(page, received.get_by_role("button", name="收到补正"), "disclosure-request")
            expect(page.locator("#request-status")).to_have_text("办理中")
            expect(page.locator("#request-left")).to_contain_text("剩余")
            # And an answer withholding information without a reason is refused beside the reason
            answer = _open(page, "answer")
            answer.get_by_label("答复类型").select_option("partly_disclosed")
            answer.get_by_label("答复内容").fill("中标结果已通过电子邮件提供；投标报价明细不予公开。")
            message = _fails(page, answer.get_by_role("button", name="作出答复"))
            assert "须说明理由和依据" in message
            expect(answer.locator('[data-field-wrap="reason"] .field-error')).to_contain_text("须说明理由和依据")
            # With the reason and the answer letter attached (straight to the private bucket from the console),
            # the request is answered and its kind of reason is read from the words
            answer.get_by_label("理由和依据").fill("投标报价明细属于第三方商业秘密，公开会损害第三方合法权益。")
            answer.locator("input[type=file]").set_input_files(
                files=[{"name": "政府信息公开申请答复书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
            expect(answer.locator(".file-chosen")).to_contain_text("政府信息公开申请答复书.pdf")
            console.submit(page, answer.get_by_role("button", name="作出答复"), "disclosure-request")
            expect(page.locator("#request-status")).to_have_text("已答复")
            expect(page.locator("#answer-type")).to_have_text("部分公开")
            expect(page.locator("main")).to_contain_text("保护第三方合法权益")
            expect(page.locator("#request-chain")).to_contain_text("哈希链校验通过")
            expect(page.locator("#request-files")).to_contain_text("政府信息公开申请答复书.pdf")
            expect(page.locator("#request-history")).to_contain_text("附件 1 个")
            expect(page.locator("#request-actions")).to_have_count(0)  # nothing more to do
            # Then the hall's progress query shows the answer
            citizen.page.reload()
            hall.open_route(citizen, stack, f"disclosure/query?no={no}")
            citizen.page.get_by_label("查询密码").fill(password)
            citizen.page.get_by_role("button", name="查询").click()
            expect(citizen.page.locator("#dq-status")).to_have_text("已答复", timeout=15_000)
            expect(citizen.page.locator("#disclosure-answer")).to_contain_text("中标结果已通过电子邮件提供")
            assert citizen.errors == []
        finally:
            citizen.page.context.close()
        assert tab.errors == []
    finally:
        page.context.close()
    # And the supervision bureau reads the same request with the applicant masked, and no forms
    sup = console.new_tab(browser, stack)
    try:
        console.sign_in(sup, stack, "demo-supervisor")
        console.open_page(sup, stack, f"disclosure-request/{no}")
        expect(sup.page.locator("#applicant-name")).to_contain_text("钱*")
        assert "钱文华" not in sup.page.inner_text("main") and "13851620000" not in sup.page.inner_text("main")
        assert sup.page.locator("form.action-form").count() == 0
        assert sup.errors == []
    finally:
        sup.page.context.close()


def test_a_handler_publishes_a_document_and_withdraws_it_with_a_reason(stack: Any, browser: Browser, demo_dept: str) -> None:
    tab = console.new_tab(browser, stack)
    page = tab.page
    title = f"关于公布 2026 年度双随机抽查计划的通知（{secrets.token_hex(2)}）"
    try:
        console.sign_in(tab, stack, "demo-handler")
        console.open_page(tab, stack, "disclosure-directory")
        publish = _open(page, "publish")
        # When the handler dates the information after its publication, the API says so beside the field
        publish.get_by_label("类别").select_option("notice")
        publish.get_by_label("标题").fill(title)
        publish.get_by_label("信息形成（变更）日期").fill("2099-01-01")
        publish.get_by_label("摘要").fill("全年抽查事项、比例和时间安排。")
        message = _fails(page, publish.get_by_role("button", name="发布文件"))
        assert "信息形成日期不能晚于发布日期" in message
        expect(publish.locator('[data-field-wrap="formed_on"] .field-error')).to_have_text("应不晚于发布日期")
        # With the day it was formed, the document is in the directory, numbered, and in the hall's directory
        publish.get_by_label("信息形成（变更）日期").fill("2026-11-02")
        console.submit(page, publish.get_by_role("button", name="发布文件"), "disclosure-directory")
        row = page.locator("#directory-documents tr", has_text=title)
        expect(row).to_contain_text(f"{demo_dept}-")
        hall = console.api(stack, "GET", f"/disclosure/departments/{demo_dept}").json()
        assert title in [d["title"] for d in hall["documents"]]
        # When it is withdrawn with a reason, it leaves the hall but stays on record, with the reason
        row.locator("summary").click()
        row.get_by_label("撤销理由").fill("通知内容有误，更正后重新发布")
        console.submit(page, row.get_by_role("button", name="确认撤销"), "disclosure-directory")
        expect(page.locator("#directory-documents")).not_to_contain_text(title)
        expect(page.locator("main")).to_contain_text("通知内容有误，更正后重新发布")
        hall = console.api(stack, "GET", f"/disclosure/departments/{demo_dept}").json()
        assert title not in [d["title"] for d in hall["documents"]]
        assert tab.errors == []
    finally:
        page.context.close()
