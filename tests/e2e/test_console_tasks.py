"""Who holds a task (办理人) in the staff console, in Chromium against the running demo stack (issue #18's
operation-platform moves): a handler claims a pool task (认领) and finds it under 我的待办, then puts it
back (退回待领); a claim a colleague beat shows the API's 409 in the row; the department head gives a task
to a handler (分派) from the worklist and moves it on (改派, refused beside the reason until one is given),
and the handler finds it under 我的待办; the head voids a case (作废) after confirming, with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_console import SCREENSHOTS, Stack, Tab, api, login, new_tab, new_user, open_page, ready, sign_in, submit
from tests.e2e.test_console import browser as browser  # the Chromium fixture, shared
from tests.e2e.test_console import pair as pair  # a handler's and a head's tabs

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def colleague(stack: Stack) -> str:
    """A second handler of the demo department (a name to give tasks to)."""
    dept = api(stack, "GET", "/auth/me", login(stack, "demo-handler")).json()["dept_code"]
    username, _ = new_user(stack, ["handler"], dept)
    return username


_taken: set[str] = set()


def pool_task(stack: Stack) -> dict[str, Any]:
    """A licence task of the handlers' role nobody holds, on a case no other test here uses (the first
    page of the worklist, as the console shows it)."""
    items = api(stack, "GET", "/worklist", login(stack, "demo-handler"), limit=100).json()["items"]
    for t in items:
        if (not t.get("assignee") and t["role"] == "handler" and t["kind"] in ("accept", "step")
                and str(t["item_code"])[9:11] != "CF" and t["case_no"] not in _taken):
            _taken.add(t["case_no"])
            return dict(t)
    pytest.skip("the demo worklist has no unclaimed licence task left")


def holder(stack: Stack, task: dict[str, Any]) -> str | None:
    tasks = api(stack, "GET", f"/cases/{task['case_no']}/tasks", login(stack, "demo-head")).json()["items"]
    found: str | None = next(t for t in tasks if t["task_id"] == task["task_id"]).get("assignee")
    return found


def row(page: Page, task: dict[str, Any]) -> Any:
    return page.locator(f"#worklist tbody tr[data-task='{task['task_id']}']")


def fits(page: Page) -> None:
    """The page still fits its width with the 办理人 column and its buttons."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page overflows by {overflow}px"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}-desktop.png"), full_page=True)


def test_a_handler_claims_a_task_finds_it_under_mine_and_puts_it_back(stack: Stack, browser: Browser,
                                                                     pair: tuple[Tab, Tab], colleague: str) -> None:
    handler, head = pair
    page = handler.page
    sign_in(handler, stack, "demo-handler")
    task = pool_task(stack)
    # Given the handler's worklist: the task waits in the pool, 待认领, with 认领 and no 退回待领
    open_page(handler, stack, "worklist")
    mine = row(page, task)
    expect(mine.locator(".holder-name")).to_have_text("待认领")
    expect(mine.locator("button[data-op=release]")).to_have_count(0)
    expect(mine.locator("button[data-op=assign]")).to_have_count(0)  # 分派 is the head's
    # When the handler claims it (认领)
    submit(page, mine.locator("button[data-op=claim]"), "worklist")
    # Then the row names the handler, the API agrees, and the task is under 我的待办
    expect(row(page, task).locator(".holder-name")).to_have_attribute("data-user", "demo-handler")
    expect(row(page, task).locator(".holder-name")).to_have_text("演示办理人（我）")
    assert holder(stack, task) == "demo-handler"
    page.get_by_role("link", name="我的待办").click()
    ready(page, "worklist")
    expect(row(page, task)).to_have_count(1)
    expect(row(page, task).locator(".holder-name")).to_contain_text("（我）")
    shoot(page, "worklist-mine")
    fits(page)
    # And at phone width the row is a card with its 办理人 and the button
    phone = new_tab(browser, stack, "phone")
    try:
        sign_in(phone, stack, "demo-handler")
        open_page(phone, stack, "worklist?scope=mine")
        expect(row(phone.page, task).locator("button[data-op=release]")).to_be_visible()
        fits(phone.page)
        phone.page.screenshot(path=str(SCREENSHOTS / "console-worklist-mine-phone.png"), full_page=True)
    finally:
        phone.page.context.close()
    # When the handler puts it back (退回待领), then it leaves 我的待办 and waits in the pool again
    submit(page, row(page, task).locator("button[data-op=release]"), "worklist")
    expect(row(page, task)).to_have_count(0)
    assert holder(stack, task) is None
    # And a claim a colleague beat is refused by the API, its message shown in the row
    other = pool_task(stack)
    open_page(handler, stack, "worklist")
    token = login(stack, "demo-head")
    given = api(stack, "POST", f"/cases/{other['case_no']}/tasks/{other['task_id']}/assign", token, {"assignee": colleague})
    assert given.status_code == 200, given.text
    row(page, other).locator("button[data-op=claim]").click()
    expect(row(page, other).locator(".holder-error")).to_contain_text(f"已由 {colleague} 承办")
    # And on the case page the handler may no longer act on the colleague's task
    page.goto(f"{str(stack.console).split('#', 1)[0]}#/case/{other['case_no']}")
    ready(page, "case")
    expect(page.locator("#case-actions [data-held-by]")).to_contain_text("只有承办人可以办理")
    expect(page.locator("#case-actions details.act[open]")).to_have_count(0)
    assert handler.errors == [] and head.errors == []


def test_the_head_assigns_a_task_reassigns_it_with_a_reason_and_the_handler_finds_it(
        stack: Stack, pair: tuple[Tab, Tab], colleague: str) -> None:
    handler, head = pair
    page = head.page
    sign_in(head, stack, "demo-head")
    sign_in(handler, stack, "demo-handler")
    task = pool_task(stack)
    # Given the head's view of the whole department: the task waits in the pool with 分派
    open_page(head, stack, "worklist?scope=dept")
    line = row(page, task)
    expect(line.locator("button[data-op=claim]")).to_have_count(0)  # the head does not hold the handlers' role
    # When the head gives it to the colleague from the row (分派)
    line.locator("button[data-op=assign]").click()
    form = line.locator("form")
    form.get_by_label("分派给").select_option(colleague)
    submit(page, form.get_by_role("button", name="分派"), "worklist")
    expect(row(page, task).locator(".holder-name")).to_have_attribute("data-user", colleague)
    expect(row(page, task)).to_contain_text(colleague)
    fits(page)
    assert holder(stack, task) == colleague
    # When the head moves it to demo-handler on the case page (改派) without a reason: refused beside the reason
    page.goto(f"{str(stack.console).split('#', 1)[0]}#/case/{task['case_no']}")
    ready(page, "case")
    block = page.locator(f"[data-holder-task='{task['task_id']}']")
    expect(block.locator(".holder-name")).to_contain_text(colleague)
    block.locator("details[data-action=assign] > summary").click()
    reassign = block.locator("details[data-action=assign] form")
    reassign.get_by_label("改派给").select_option("demo-handler")
    reassign.get_by_role("button", name="改派").click()
    expect(reassign.locator("[data-field-wrap=reason] .field-error")).to_contain_text("改派须说明理由")
    expect(reassign.locator(".error-summary")).to_be_visible()
    # With the reason it changes hands, and the latest change is shown with it
    reassign.get_by_label("改派理由").fill("原承办人外出培训，由演示办理人接办")
    submit(page, reassign.get_by_role("button", name="改派"), "case")
    block = page.locator(f"[data-holder-task='{task['task_id']}']")
    expect(block.locator(".holder-name")).to_contain_text("demo-handler")
    expect(block).to_contain_text("原承办人外出培训")
    shoot(page, "case-holder")
    fits(page)
    assert holder(stack, task) == "demo-handler"
    # Then the handler finds it under 我的待办 and may act on it
    open_page(handler, stack, "worklist?scope=mine")
    expect(row(handler.page, task)).to_have_count(1)
    handler.page.goto(f"{str(stack.console).split('#', 1)[0]}#/case/{task['case_no']}")
    ready(handler.page, "case")
    expect(handler.page.locator("#case-actions details.act[open]")).to_have_count(1)
    expect(handler.page.locator("#case-actions [data-held-by]")).to_have_count(0)
    assert handler.errors == [] and head.errors == []


def test_the_head_voids_a_case_after_confirming_with_the_reason(stack: Stack, pair: tuple[Tab, Tab]) -> None:
    handler, head = pair
    page = head.page
    sign_in(head, stack, "demo-head")
    sign_in(handler, stack, "demo-handler")
    task = pool_task(stack)
    # A handler is not offered 作废
    handler.page.goto(f"{str(stack.console).split('#', 1)[0]}#/case/{task['case_no']}")
    ready(handler.page, "case")
    expect(handler.page.locator("details.act[data-action=void]")).to_have_count(0)
    # Given the head on the case page
    page.goto(f"{str(stack.console).split('#', 1)[0]}#/case/{task['case_no']}")
    ready(page, "case")
    void = page.locator("details.act[data-action=void]")
    expect(void.locator("summary")).to_have_text("作废")
    void.locator("summary").click()
    form = void.locator("form")
    # When the reason is given but the confirmation is not ticked: nothing is sent, the box says why
    form.get_by_label("作废理由").fill("申请人已书面撤回申请，经核实予以作废")
    form.get_by_role("button", name="作废本件").click()
    expect(form.locator("[data-field-wrap=confirm] .field-error")).to_contain_text("请勾选确认")
    assert api(stack, "GET", f"/staff/cases/{task['case_no']}", login(stack, "demo-head")).json()["status"] != "concluded"
    # When it is confirmed, then the case reads 已作废 with result 2, and nothing is left to do on it
    form.get_by_label("我已核实，确认作废本件").check()
    submit(page, form.get_by_role("button", name="作废本件"), "case")
    expect(page.locator("#case-status")).to_have_text("已作废")
    expect(page.locator("details.act[data-action=void]")).to_have_count(0)
    expect(page.locator("#case-actions")).to_contain_text("本件已办结")
    expect(page.locator("#case-flow [aria-current=step]")).to_have_count(0)  # no step is current any more
    shoot(page, "case-void")
    view = api(stack, "GET", f"/staff/cases/{task['case_no']}", login(stack, "demo-head")).json()
    assert view["status"] == "concluded" and view["result"]["code"] == 2
    tasks = api(stack, "GET", f"/cases/{task['case_no']}/tasks", login(stack, "demo-head")).json()["items"]
    assert [t["status"] for t in tasks if t["task_id"] == task["task_id"]] == ["voided"]
    assert head.errors == [] and handler.errors == []
