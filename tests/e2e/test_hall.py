"""The online hall (网上政务大厅) in Chromium, against the running stack.

The session fixture ``stack`` (tests/e2e/conftest.py) provides ``stack.api`` (API base URL),
``stack.hall`` (the hall's index page, served from its S3 bucket with the CloudFront headers) and
``stack.admin_token``; the stack is loaded with the demo city. Screenshots of every page at desktop and phone width are written to
``build/screenshots/<page>-<desktop|phone>.png``.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, ViewportSize, expect, sync_playwright

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SHANGHAI = timezone(timedelta(hours=8))

DEMO_ITEM = "320300015XK00400"  # 建设项目环境影响评价文件审批 at department 015 in the demo city
DEMO_DEPT = DEMO_ITEM[6:9]
KEYWORD = "小餐饮"
KEYWORD_ITEM_NAME = "小餐饮经营许可证核发"
APPLICANT = {
    "type": "person",
    "name": "张三",
    "id_type": "居民身份证",
    "id_no": "11010519491231002X",  # the GB 11643 specimen number: valid check digit, not a real person
    "phone": "13800138000",
}
READY_TIMEOUT_MS = 15_000
PROJECTION_TIMEOUT_S = 30.0
NONBLANK = re.compile(r"\S")


# ---- helpers --------------------------------------------------------------------------------------


class Stack(Protocol):
    """What the session fixture ``stack`` (tests/e2e/conftest.py) provides."""

    api: str
    hall: str
    admin_token: str


@dataclass
class Tab:
    """A browser page plus everything it reported as an error."""

    page: Page
    errors: list[str] = field(default_factory=list)


def hall_url(stack: Stack, route: str) -> str:
    """The hall's index page with a hash route, e.g. ``catalog?q=...``."""
    base = str(stack.hall).split("#", 1)[0]
    return f"{base}#/{route}"


def open_route(tab: Tab, stack: Stack, route: str) -> None:
    """Navigate and wait until the page has rendered and loaded its data (``main[data-ready]``)."""
    tab.page.goto(hall_url(stack, route))
    page_name = route.split("?", 1)[0].split("/", 1)[0] or "home"
    tab.page.wait_for_selector(f'main[data-ready="{page_name}"]', timeout=READY_TIMEOUT_MS)


def http_json(method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def eventually(check: Callable[[], bool], timeout_s: float) -> bool:
    """Poll ``check`` with backoff until true or the deadline. The case view is projected
    asynchronously from the event stream, so a new case becomes queryable shortly after it is
    submitted; the backoff keeps the polls well under the public query rate limit."""
    deadline = time.monotonic() + timeout_s
    delay = 0.2
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 5.0)
    return check()


def business_year() -> str:
    return str(datetime.now(SHANGHAI).year)


# ---- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _new_tab(browser: Browser, viewport: str) -> Tab:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    tab = Tab(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(f"console: {message.text} @ {message.location.get('url', '')}")

    def on_page_error(error: Error) -> None:
        tab.errors.append(f"uncaught: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return tab


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    t = _new_tab(browser, "desktop")
    yield t
    t.page.context.close()


_staff: dict[str, str] = {}


def staff_token(stack: Stack, role: str) -> str:
    """A staff member of the demo department (handler) or the supervision bureau (supervisor), made
    once with the bootstrap token: administrators hold no business role."""
    if role not in _staff:
        body: dict[str, Any] = {"username": f"e2e-hall-{role}-{int(time.time())}", "roles": [role]}
        if role == "handler":
            body["dept_code"] = DEMO_DEPT
        status, made = http_json("POST", f"{stack.api}/admin/users", body, token=stack.admin_token)
        assert status == 201, made
        _staff[role] = made["token"]
    return _staff[role]


def _apply(stack: Stack) -> tuple[str, str]:
    """Apply online through the public API: the case number and its query password."""
    status, body = http_json(
        "POST", f"{stack.api}/applications", {"item_code": DEMO_ITEM, "applicant": APPLICANT, "materials": []}
    )
    assert status == 201, body
    return body["case_no"], body["query_password"]


@pytest.fixture(scope="module")
def applied_case(stack: Stack) -> dict[str, str]:
    """A case submitted through the public API and already visible to the progress query."""
    case_no, password = _apply(stack)
    url = f"{stack.api}/cases/{case_no}?password={urllib.parse.quote(password)}"
    wait_idle = getattr(stack, "wait_idle", None)  # the local stack can say when its pollers are idle
    if callable(wait_idle):
        wait_idle(60)
    queryable = eventually(lambda: http_json("GET", url)[0] == 200, PROJECTION_TIMEOUT_S)
    assert queryable, "the new case never became queryable"
    return {"case_no": case_no, "password": password}


@pytest.fixture(scope="module")
def accepted_case(stack: Stack) -> dict[str, str]:
    """A case applied for online and accepted on the operation platform: it has a due date and its derivation."""
    case_no, password = _apply(stack)

    def accept() -> bool:
        code, _ = http_json("POST", f"{stack.api}/cases/{case_no}/actions", {"action": "accept"},
                            token=staff_token(stack, "handler"))
        return code == 200

    assert eventually(accept, PROJECTION_TIMEOUT_S), "the acceptance task never became available"
    url = f"{stack.api}/cases/{case_no}?password={urllib.parse.quote(password)}"
    assert eventually(lambda: (http_json("GET", url)[1] or {}).get("due") is not None, PROJECTION_TIMEOUT_S)
    return {"case_no": case_no, "password": password}


@pytest.fixture(scope="module")
def concluded_complaint(stack: Stack) -> dict[str, str]:
    """A complaint filed in the hall, accepted and concluded by the supervision bureau."""
    status, filed = http_json("POST", f"{stack.api}/complaints", {
        "dept_code": DEMO_DEPT, "category": "efficiency", "content": "环评审批超过承诺期限仍未办结。"})
    assert status == 201, filed
    no = filed["complaint_no"]
    for path, body in (("decision", {"decision": "accept"}),
                       ("result", {"result": "经核查属实，已责令限期办结并通报。", "finding": "founded"})):
        status, answer = http_json("POST", f"{stack.api}/complaints/{no}/{path}", body,
                                   token=staff_token(stack, "supervisor"))
        assert status == 200, answer
    return {"no": no, "code": filed["query_code"]}


# ---- behaviour ------------------------------------------------------------------------------------


def test_the_hall_is_served_with_the_distributions_headers_and_refuses_inline_script(stack: Stack, tab: Tab) -> None:
    # Given the hall as the local stand-in for CloudFront serves it (the same response-headers policy)
    with urllib.request.urlopen(str(stack.hall).split("#", 1)[0], timeout=10) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    # When the page is open and someone slips an inline script into it
    open_route(tab, stack, "")
    with tab.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        tab.page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true;";
            document.head.append(script);
        }""")
    # Then Chromium refuses to run it (and says so), while the hall's own modules ran (the page rendered)
    assert tab.page.evaluate("window.__inlineRan === undefined")
    tab.errors.clear()


def test_search_finds_an_item_by_a_chinese_keyword(stack: Stack, tab: Tab) -> None:
    # Given the home page
    open_route(tab, stack, "")
    page = tab.page
    # When a citizen types a Chinese keyword into the search box and presses Enter
    page.get_by_role("searchbox", name="搜索办事事项").fill(KEYWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector('main[data-ready="catalog"]', timeout=READY_TIMEOUT_MS)
    # Then the catalog lists the matching item, linked to its guide
    # (the city and a county may each publish an item of that name: the first is enough)
    hit = page.locator("#catalog-results").get_by_role("link", name=KEYWORD_ITEM_NAME).first
    expect(hit).to_be_visible()
    expect(page.locator("#catalog-count")).to_contain_text("共找到")
    hit.click()
    page.wait_for_selector('main[data-ready="item"]', timeout=READY_TIMEOUT_MS)
    expect(page.locator("h1")).to_have_text(KEYWORD_ITEM_NAME)


def test_the_guide_shows_legal_basis_with_articles_and_the_flow_of_steps(stack: Stack, tab: Tab) -> None:
    # Given the published guide of a demo item
    open_route(tab, stack, f"item/{DEMO_ITEM}")
    page = tab.page
    published = page.evaluate(
        """async (code) => {
            const base = (window.SUNLIT_CONFIG && window.SUNLIT_CONFIG.catalog) || "catalog/";
            const url = new URL(base.replace(/\\/?$/, "/") + "items/" + code + ".json", document.baseURI);
            return (await fetch(url)).json();
        }""",
        DEMO_ITEM,
    )
    # Then its name is the heading, every legal basis is listed with its article
    expect(page.locator("h1")).to_have_text(published["name"])
    basis = page.locator("#guide-basis-list")
    assert published["legal_basis"], "the demo item should cite a legal basis"
    for ref in published["legal_basis"]:
        expect(basis).to_contain_text(ref["title"])
        expect(basis).to_contain_text(ref["article"])
    # And the flow chart shows every step, in order, with its time limit
    flow = page.get_by_label("办理流程图")
    shown = flow.locator(".node:not(.terminal) strong").all_inner_texts()
    assert shown == [step["name"] for step in published["steps"]]
    for step in published["steps"]:
        expect(flow).to_contain_text(f"时限 {step['limit_days']} ")
    # And statutory and promised limits are both stated
    expect(page.locator("#guide-limits")).to_be_visible()
    limits = page.locator("section[aria-labelledby=guide-limits]")
    expect(limits).to_contain_text(str(published["statutory_limit"]["value"]))
    expect(limits).to_contain_text(str(published["promised_limit"]["value"]))


def test_an_online_application_gets_a_case_number_and_a_password(stack: Stack, tab: Tab) -> None:
    # Given the application form of a licensing item
    open_route(tab, stack, f"apply/{DEMO_ITEM}")
    page = tab.page
    # When a citizen fills it in, ticks every required material and submits
    page.get_by_label("申请人姓名").fill(APPLICANT["name"])
    page.get_by_label("证件类型").select_option(APPLICANT["id_type"])
    page.get_by_label("证件号码").fill(APPLICANT["id_no"])
    page.get_by_label("联系电话").fill(APPLICANT["phone"])
    for box in page.locator("input[name=materials][data-required=true]").all():
        box.check()
    page.get_by_role("button", name="提交申请").click()
    # Then the receipt shows the case number and the query password prominently, with a copy hint
    case_no = page.locator("#receipt-case-no")
    password = page.locator("#receipt-password")
    expect(case_no).to_have_text(NONBLANK, timeout=READY_TIMEOUT_MS)
    expect(password).to_have_text(NONBLANK)
    expect(page.locator(".receipt")).to_contain_text("请立即记录或复制办件编号和查询密码")
    # And the password never appears in the address bar
    assert password.inner_text() not in page.url


def test_the_progress_query_shows_the_case_and_how_its_due_date_is_computed(
    stack: Stack, tab: Tab, applied_case: dict[str, str]
) -> None:
    # Given a submitted case and its password
    open_route(tab, stack, "query")
    page = tab.page
    # When the applicant queries it
    page.get_by_label("办件编号").fill(applied_case["case_no"])
    page.get_by_label("查询密码").fill(applied_case["password"])
    page.get_by_role("button", name="查询", exact=True).click()
    # Then the case, its item, its status and its history are shown
    result = page.locator("#case-result")
    expect(result).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(page.locator("#case-no")).to_have_text(applied_case["case_no"])
    expect(page.locator("#case-status")).to_be_visible()
    expect(result.get_by_role("link").first).to_be_visible()
    expect(result.locator(".timeline li").first).to_be_visible()
    expect(result).to_contain_text("办结期限如何计算")
    # And the applicant's name is masked
    expect(result).not_to_contain_text(APPLICANT["name"])
    expect(result).not_to_contain_text(APPLICANT["id_no"])


def test_a_wrong_password_finds_nothing(stack: Stack, tab: Tab, applied_case: dict[str, str]) -> None:
    open_route(tab, stack, "query")
    page = tab.page
    page.get_by_label("办件编号").fill(applied_case["case_no"])
    page.get_by_label("查询密码").fill(applied_case["password"] + "x")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("未找到办件或查询密码错误")
    expect(page.locator("#case-result")).to_have_count(0)


def test_a_complaint_is_filed_and_gets_a_number_and_an_acceptance_deadline(stack: Stack, tab: Tab) -> None:
    # Given the complaint form
    open_route(tab, stack, f"complaint?dept={DEMO_DEPT}")
    page = tab.page
    # When a citizen files an anonymous complaint about efficiency
    expect(page.get_by_label("被投诉部门")).to_have_value(DEMO_DEPT)
    page.get_by_label("办事效率").check()
    page.get_by_label("投诉内容").fill("窗口工作人员多次要求重复提交同一份材料导致办理时间明显拖延。")
    page.get_by_role("button", name="提交投诉").click()
    # Then it is registered with a number and the date by which acceptance is decided
    expect(page.locator("#complaint-no")).to_have_text(NONBLANK, timeout=READY_TIMEOUT_MS)
    expect(page.locator("#complaint-receipt")).to_contain_text("受理决定期限")


def test_a_complaint_is_followed_with_its_query_code_and_its_handling_rated(stack: Stack, tab: Tab) -> None:
    # Given a citizen files a complaint in the hall
    open_route(tab, stack, f"complaint?dept={DEMO_DEPT}")
    page = tab.page
    page.get_by_label("服务态度").check()
    page.get_by_label("投诉内容").fill("窗口工作人员对咨询不予理睬，态度生硬。")
    page.get_by_role("button", name="提交投诉").click()
    # Then the receipt shows the complaint number and the query code, both needed later
    number = page.locator("#complaint-no")
    code = page.locator("#complaint-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{8}$"), timeout=READY_TIMEOUT_MS)
    complaint_no, query_code = number.inner_text(), code.inner_text()
    expect(page.locator("#complaint-receipt")).to_contain_text("查询码只显示这一次")
    assert query_code not in page.url
    # When the supervision bureau accepts and concludes it
    for path, body in (("decision", {"decision": "accept"}),
                       ("result", {"result": "经核查属实，已约谈窗口负责人并通报批评。", "finding": "founded"})):
        status, answer = http_json("POST", f"{stack.api}/complaints/{complaint_no}/{path}", body,
                                   token=staff_token(stack, "supervisor"))
        assert status == 200, answer
    # And the citizen looks it up with the number and the code
    page.get_by_role("link", name="查询处理进度").click()
    page.wait_for_selector('main[data-ready="track"]', timeout=READY_TIMEOUT_MS)
    expect(page.get_by_label("投诉或咨询编号")).to_have_value(complaint_no)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询", exact=True).click()
    # Then the outcome is shown, and the handling can be rated
    expect(page.locator("#track-result")).to_contain_text("已约谈窗口负责人", timeout=READY_TIMEOUT_MS)
    expect(page.locator("#track-status")).to_have_text("已办结")
    page.locator("#rating-form").get_by_label("满意", exact=True).check()
    page.locator("#rating-form").get_by_role("button", name="提交评价").click()
    expect(page.locator("#track-rated")).to_contain_text("满意", timeout=READY_TIMEOUT_MS)
    assert tab.errors == []


def test_a_consultation_answer_is_read_with_its_query_code(stack: Stack, tab: Tab) -> None:
    status, asked = http_json("POST", f"{stack.api}/consultations",
                              {"dept_code": DEMO_DEPT, "question": "环评报告表审批需要多长时间？"})
    assert status == 201, asked
    status, _ = http_json("POST", f"{stack.api}/consultations/{asked['consultation_no']}/answer",
                          {"answer": "承诺 5 个工作日内办结，材料齐全当场受理。"}, token=staff_token(stack, "handler"))
    assert status == 200
    open_route(tab, stack, f"track?kind=consultation&no={asked['consultation_no']}")
    tab.page.get_by_label("查询码").fill(asked["query_code"])
    tab.page.get_by_role("button", name="查询", exact=True).click()
    expect(tab.page.locator("#track-answer")).to_contain_text("承诺 5 个工作日内办结", timeout=READY_TIMEOUT_MS)


@pytest.mark.parametrize("route", ["results", f"item/{DEMO_ITEM}"], ids=["results", "guide"])
def test_tables_at_phone_width_stay_readable_inside_the_screen(stack: Stack, browser: Browser, route: str) -> None:
    # Given a page with tables at phone width (390 px)
    t = _new_tab(browser, "phone")
    try:
        open_route(t, stack, route)
        page = t.page
        # Then nothing reaches beyond the screen, except inside a box that scrolls on its own
        sticking_out = page.evaluate("""() => {
            const inScroller = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX;
                    if (o === "auto" || o === "scroll") return true;
                }
                return false;
            };
            return [...document.querySelectorAll("main *")]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !inScroller(el))
                .map((el) => el.tagName + "#" + el.id + "." + el.className).slice(0, 5);
        }""")
        assert sticking_out == []
        # And no cell is squeezed to a character or two per line
        squeezed = page.evaluate("""() => [...document.querySelectorAll("main td")]
            .filter((td) => td.offsetParent !== null && td.textContent.trim().length >= 3)
            .filter((td) => {
                const style = getComputedStyle(td);
                const text = td.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return text < 3 * parseFloat(style.fontSize);
            })
            .map((td) => td.textContent.trim().slice(0, 20)).slice(0, 5)""")
        assert squeezed == []
        # And the list tables read as cards: each value beside its column's name
        if route == "results":
            cells = page.locator("#license-results td")
            assert cells.count() > 0
            assert page.evaluate("getComputedStyle(document.querySelector('#license-results tr')).display") == "block"
            label = page.evaluate(
                "getComputedStyle(document.querySelector('#license-results td'), '::before').content")
            assert "办理事项" in label
            # 20 results make a page a citizen can scroll, not 16,000 px
            assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    finally:
        t.page.context.close()


def test_the_statistics_page_draws_bar_charts_with_a_data_table(stack: Stack, tab: Tab) -> None:
    # Given this year's department statistics
    open_route(tab, stack, f"stats?period={business_year()}")
    page = tab.page
    # Then the page draws SVG bar charts, each with an accessible name
    charts = page.locator("svg.bar-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() == 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("role") == "img"
        title_id = (chart.get_attribute("aria-labelledby") or "").split()[0]
        assert page.locator(f"[id='{title_id}']").text_content()
    assert page.locator("svg.bar-chart rect.bar").count() >= 1
    # And the same figures are available as a table, one row per department
    rows = page.locator("#stats-table tbody tr")
    assert rows.count() >= 1
    bars_in_volume_chart = charts.nth(1).locator("rect.bar").count()
    assert bars_in_volume_chart == 2 * rows.count()  # received and concluded per department
    # And the grades the supervision bureau published for the last quarter, one row per department
    expect(page.locator("#grades-table")).to_be_visible()
    assert page.locator("#grades-table tbody tr").count() >= 1


def test_the_skip_link_and_the_language_toggle_work_from_the_keyboard(stack: Stack, tab: Tab) -> None:
    open_route(tab, stack, "")
    page = tab.page
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("button", name="Switch to English").click()
    page.wait_for_selector('main[data-ready="home"]')
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("h1")).to_have_text("Online Government Hall")
    page.get_by_role("button", name="切换到中文").click()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_the_hall_finds_items_by_pinyin_with_the_platforms_own_search_text(stack: Stack, tab: Tab) -> None:
    # Given the catalog page, which loads the manifest, the reading table and every department's shard
    open_route(tab, stack, "catalog")
    page = tab.page
    rows = page.evaluate(
        """async () => {
            const data = await import(new URL("shared/data.js", document.baseURI).href);
            const index = await data.loadIndex();
            return index.items.map((it) => [it.code, it.name, it.keywords, it.search]);
        }"""
    )
    # Then every item's search text, rebuilt in the page, is the one the platform computes
    from chalicelib.catalog.domain.search import search_text

    assert len(rows) >= 80
    wrong = [code for code, name, keywords, text in rows if text != search_text(name, code, keywords)]
    assert wrong == []
    # And typing the pinyin initials of a name finds it at once
    page.get_by_label("关键词").fill("xcy")
    expect(page.locator("#catalog-results").get_by_role("link", name=KEYWORD_ITEM_NAME).first).to_be_visible()


# ---- every page: screenshots, console, accessibility ----------------------------------------------


def _show_case(page: Page, case: dict[str, str]) -> None:
    page.get_by_label("查询密码").fill(case["password"])
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_selector("#case-result", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#due-derivation", timeout=READY_TIMEOUT_MS)
    page.locator("#due-derivation details").evaluate("d => { d.open = true; }")


def _show_complaint(page: Page, complaint: dict[str, str]) -> None:
    page.get_by_label("投诉或咨询编号").fill(complaint["no"])
    page.get_by_label("查询码").fill(complaint["code"])
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_selector("#rating-form", timeout=READY_TIMEOUT_MS)


def _submit_application(page: Page) -> None:
    """Fill in and send the application form, so the screenshot shows the receipt."""
    page.get_by_label("申请人姓名").fill(APPLICANT["name"])
    page.get_by_label("证件类型").select_option(APPLICANT["id_type"])
    page.get_by_label("证件号码").fill(APPLICANT["id_no"])
    page.get_by_label("联系电话").fill(APPLICANT["phone"])
    for box in page.locator("input[name=materials][data-required=true]").all():
        box.check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#receipt-password")).to_have_text(NONBLANK, timeout=READY_TIMEOUT_MS)


PAGES: list[tuple[str, str]] = [
    ("home", ""),
    ("catalog", f"catalog?q={KEYWORD}"),
    ("guide", f"item/{DEMO_ITEM}"),
    ("apply", f"apply/{DEMO_ITEM}"),
    ("query", "query?case_no={case_no}"),
    ("complaint", "complaint"),
    ("consult", "consult"),
    ("evaluate", "evaluate"),
    ("track", "track"),
    ("stats", "stats"),
    ("results", "results"),
]


@pytest.mark.parametrize(("name", "route"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_is_clean_accessible_and_photographed(
    stack: Stack, browser: Browser, accepted_case: dict[str, str], concluded_complaint: dict[str, str], name: str,
    route: str,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in VIEWPORTS:
        t = _new_tab(browser, viewport)
        try:
            # Given the page at this width (the apply page with its receipt, the query with a due date)
            open_route(t, stack, route.format(case_no=accepted_case["case_no"]))
            if name == "query":
                _show_case(t.page, accepted_case)
            if name == "apply":
                _submit_application(t.page)
            if name == "track":
                _show_complaint(t.page, concluded_complaint)
            t.page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)
            # Then nothing went wrong in the console
            assert t.errors == [], f"{name} at {viewport}: {t.errors}"
            # And the page fits the width (no horizontal scrolling of the whole page)
            overflow = t.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} at {viewport} overflows by {overflow}px"
            # And it has exactly one h1 and the Chinese language set
            assert t.page.locator("h1").count() == 1
            assert t.page.evaluate("document.documentElement.lang") == "zh-CN"
            # And axe-core finds no serious or critical violation
            results = Axe().run(t.page)
            bad = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
            assert bad == [], f"{name} at {viewport}: {bad}"
        finally:
            t.page.context.close()
