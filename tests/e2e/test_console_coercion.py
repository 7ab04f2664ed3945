"""行政强制 (QZ) in the staff console, in Chromium against the running demo stack (issue #18): a
handler registers a 查封/扣押 case, the head approves it, and the 行政强制法's checks refuse a measure
carried out by one officer and a term beyond 30 days beside the fields they concern."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_console import Stack, Tab, api, login, ready, sign_in, submit, url
from tests.e2e.test_console import browser as browser  # the Chromium fixture, shared
from tests.e2e.test_console import pair as pair  # a handler's and a head's tabs

pytestmark = pytest.mark.e2e


def current_step(page: Page) -> str:
    return page.locator("#case-flow [aria-current=step] strong").inner_text()


def reopen(page: Page, stack: Stack, case_no: str) -> None:
    """Show the case afresh (a reload when it is the page shown: the same hash would not render again)."""
    if page.url == url(stack, f"case/{case_no}"):
        page.reload()
    else:
        page.goto(url(stack, f"case/{case_no}"))
    ready(page, "case")


def test_a_seizure_is_registered_approved_and_blocked_by_the_coercion_law(stack: Stack, pair: tuple[Tab, Tab]) -> None:
    handler, head = pair
    sign_in(handler, stack, "demo-handler")
    sign_in(head, stack, "demo-head")
    page = handler.page
    token = login(stack, "demo-handler")
    dept = api(stack, "GET", "/auth/me", token).json()["dept_code"]
    items = api(stack, "GET", "/catalog/items", dept_code=dept, category="QZ").json()["items"]
    seizure = next((i for i in items if "查封" in i["name"] or "扣押" in i["name"]), None)
    if seizure is None:
        pytest.skip("the demo department has no 查封/扣押 item")
    # Given the handler registers a coercion case from the menu
    page.goto(url(stack, "coercion-new"))
    ready(page, "coercion-new")
    form = page.locator("#coercion-new-form")
    form.get_by_label("行政强制事项").select_option(seizure["code"])
    form.get_by_label("当事人名称/姓名").fill("徐州某食品有限公司")
    form.get_by_label("事由").fill("抽检发现一批食品不符合食品安全标准，需查封、扣押。")
    form.get_by_role("button", name="立案并启动流程").click()
    page.wait_for_url(re.compile(r"#/case/"), timeout=60_000)
    ready(page, "case")
    case_no = page.locator("#case-no").inner_text()
    # Then the 行政强制法's measure route is the fixed process, waiting for the head's approval
    expect(page.locator("#case-flow")).to_contain_text("报告批准")
    expect(page.locator("#case-flow")).to_contain_text("期限内解除/处理")
    assert current_step(page) == "报告批准"
    expect(page.locator("#case-actions")).to_contain_text("该环节须由部门负责人办理")
    # When the head approves it with the reason
    reopen(head.page, stack, case_no)
    approve = head.page.locator("details.act[data-action=approve_measure] form")
    approve.get_by_label("采取强制措施的理由和依据").fill("抽检不合格，存在食品安全隐患。")
    submit(head.page, approve.get_by_role("button", name="批准采取强制措施"), "case")
    reopen(page, stack, case_no)
    assert current_step(page) == "实施强制措施"
    # And the handler records the measure carried out by one officer only: refused beside the officers (art.18)
    implement = page.locator("details.act[data-action=implement_measure] form")
    valid = implement.locator(".choice", has_text="有效至").locator("input[name=officers]")
    assert valid.count() >= 2
    valid.nth(0).check()
    for label in ("已出示执法身份证件", "已当场告知理由", "已听取当事人的陈述和申辩", "已制作现场笔录"):
        implement.get_by_label(re.compile(label)).check()
    implement.get_by_role("button", name="实施强制措施").click()
    expect(implement.locator(".error-summary")).to_be_visible()
    expect(implement).to_contain_text("不得少于两名")
    # With a second certified officer the measure is recorded and the decision waits to be served
    valid.nth(1).check()
    submit(page, implement.get_by_role("button", name="实施强制措施"), "case")
    assert current_step(page) == "决定书送达"
    serve = page.locator("details.act[data-action=serve_measure] form")
    serve.get_by_label("查封、扣押决定书文号").fill("徐市监封〔2026〕1号")
    serve.get_by_label("期限（日）").fill("40")
    serve.get_by_role("button", name="送达查封扣押决定书").click()
    expect(serve.locator(".error-summary")).to_be_visible()
    expect(serve).to_contain_text("不得超过 30 日")
    serve.get_by_label("期限（日）").fill("30")
    submit(page, serve.get_by_role("button", name="送达查封扣押决定书"), "case")
    assert current_step(page) == "期限内解除/处理"
    expect(page.locator("#case-flow [data-key=qz_serve]")).to_have_class(re.compile(r"\bdone\b"))
    page.screenshot(path="build/screenshots/console-coercion-case-desktop.png", full_page=True)
    assert handler.errors == [] and head.errors == []
