"""The staff console (工作台) in Chromium, against the running stack with the demo city.

The console is served from its bucket by the local stand-in for CloudFront (``devstack/edge.py``)
with the production response headers, so every page here runs under a Content-Security-Policy
without ``'unsafe-inline'``: an inline script or style attribute would show up as a console error.
Screenshots of every page at 1280 and 390 px go to ``build/screenshots/console-<page>-<desktop|phone>.png``.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from chalicelib.catalog.domain.items import CATEGORY_FIELDS
from chalicelib.identity.domain import totp

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
READY_MS = 60_000  # generous: the test machine is shared (a timeout, not a timed assertion)


class Stack(Protocol):
    api: str
    console: str
    admin_token: str
    demo_password: str


@dataclass
class Tab:
    page: Page
    errors: list[str] = field(default_factory=list)


def new_tab(browser: Browser, stack: Stack, viewport: str = "desktop") -> Tab:
    context: BrowserContext = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai",
                                                  accept_downloads=True)
    page = context.new_page()
    tab = Tab(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 40" not in message.text:
            tab.errors.append(f"console: {message.text} @ {message.location.get('url', '')}")

    def on_page_error(error: Error) -> None:
        tab.errors.append(f"uncaught: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return tab


def url(stack: Stack, route: str) -> str:
    return f"{str(stack.console).split('#', 1)[0]}#/{route}"


def ready(page: Page, name: str) -> None:
    page.wait_for_selector(f'main[data-ready="{name}"]', timeout=READY_MS)


def submit(page: Page, button: Locator, name: str) -> None:
    """Send a form and wait until the page has been rendered again (a new render count), or shows an error."""
    before = page.evaluate("document.querySelector('main').dataset.renders")
    button.click()
    page.wait_for_function(
        """(before) => { const m = document.querySelector('main');
                         return (m.dataset.ready && m.dataset.renders !== before)
                           || !!document.querySelector('.error-summary'); }""",
        arg=before, timeout=READY_MS)
    summary = page.locator(".error-summary")
    assert not summary.count(), summary.first.inner_text()
    ready(page, name)


def open_page(tab: Tab, stack: Stack, route: str) -> None:
    tab.page.goto(url(stack, route))
    ready(tab.page, route.split("?", 1)[0].split("/", 1)[0])


def sign_in(tab: Tab, stack: Stack, username: str, password: str | None = None) -> None:
    page = tab.page
    page.goto(url(stack, "login"))
    ready(page, "login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("口令").fill(password or stack.demo_password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_function("() => { const r = document.querySelector('main').dataset.ready; return r && r !== 'login'; }",
                           timeout=READY_MS)


def api(stack: Stack, method: str, path: str, token: str | None = None, body: Any = None, **params: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, stack.api + path, json=body, headers=headers, params=params or None, timeout=30)


def login(stack: Stack, username: str, password: str | None = None) -> str:
    r = api(stack, "POST", "/auth/login", body={"username": username, "password": password or stack.demo_password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def new_user(stack: Stack, roles: list[str], dept: str | None = None) -> tuple[str, str]:
    """A fresh account with a known password (the local stage returns it as created)."""
    username = f"e2e-{roles[0].replace('_', '-')}-{secrets.token_hex(3)}"
    password = f"Zx9!{secrets.token_hex(6)}Qw"
    body: dict[str, Any] = {"username": username, "roles": roles, "password": password, "display_name": "测试用户"}
    if dept:
        body["dept_code"] = dept
    r = api(stack, "POST", "/admin/users", stack.admin_token, body)
    assert r.status_code == 201, r.text
    return username, password


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser, stack: Stack) -> Iterator[Tab]:
    t = new_tab(browser, stack)
    yield t
    t.page.context.close()


@pytest.fixture
def pair(browser: Browser, stack: Stack) -> Iterator[tuple[Tab, Tab]]:
    """Two tabs in separate browser contexts (a handler's and a head's sessions side by side)."""
    handler, head = new_tab(browser, stack), new_tab(browser, stack)
    yield handler, head
    handler.page.context.close()
    head.page.context.close()


@pytest.fixture(scope="module")
def demo_dept(stack: Stack) -> str:
    me = api(stack, "GET", "/auth/me", login(stack, "demo-handler")).json()
    return str(me["dept_code"])


# ---- signing in ------------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_in_chinese_then_the_handler_lands_on_the_worklist(stack: Stack, tab: Tab) -> None:
    page = tab.page
    page.goto(url(stack, "worklist"))
    # Given the console without a session: the sign-in page, whatever was asked for
    ready(page, "login")
    expect(page.locator("h1")).to_have_text("工作人员登录")
    # When the handler mistypes the password
    page.get_by_label("用户名").fill("demo-handler")
    page.get_by_label("口令").fill(stack.demo_password + "x")
    page.get_by_role("button", name="登录").click()
    # Then the error is said beside the password and in the summary, and the password is cleared
    expect(page.locator(".error-summary")).to_contain_text("用户名或口令错误")
    expect(page.get_by_label("口令")).to_have_value("")
    # And with the right password the worklist opens, most urgent first
    page.get_by_label("口令").fill(stack.demo_password)
    page.get_by_role("button", name="登录").click()
    ready(page, "worklist")
    lights = page.locator("#worklist tbody tr").evaluate_all("rows => rows.map(r => r.querySelector('.light').className)")
    assert lights, "demo-handler has nothing in the worklist"
    order = {"light light-red": 0, "light light-yellow": 1, "light light-green": 2}
    assert [order[c] for c in lights] == sorted(order[c] for c in lights), lights
    expect(page.locator("#worklist")).to_contain_text("个工作日，自")  # each due date says how it was derived
    # And the navigation links the API documentation published with the hall (a vendor's first stop)
    docs = page.get_by_role("link", name="接口文档（API）")
    expect(docs).to_have_attribute("href", f"http://127.0.0.1:{urllib.parse.urlsplit(str(stack.hall)).port}/apidocs/")
    with page.context.expect_page() as opened:
        docs.click()
    expect(opened.value.locator("#docs-status")).to_contain_text("个接口", timeout=READY_MS)
    opened.value.close()
    assert tab.errors == []


def _enrol(page: Page) -> str:
    page.get_by_role("button", name="开始绑定身份验证器").click()
    secret = page.locator("#mfa-secret").inner_text().strip()
    expect(page.locator("img.qr")).to_be_visible()
    page.get_by_label("App 显示的 6 位验证码").fill(totp.code_at(secret, time.time()))
    page.get_by_role("button", name="确认绑定").click()
    expect(page.locator("#recovery-codes")).to_be_visible(timeout=READY_MS)
    return secret


def test_a_supervisor_enrols_an_authenticator_and_then_signs_in_with_the_code(stack: Stack, browser: Browser) -> None:
    username, password = new_user(stack, ["supervisor"])
    tab = new_tab(browser, stack)
    try:
        page = tab.page
        # Given a supervisor without a second factor, on the account page
        sign_in(tab, stack, username, password)
        open_page(tab, stack, "account")
        # When they scan the QR code and confirm with the app's code
        secret = _enrol(page)
        # Then ten recovery codes are shown once
        assert page.locator("#recovery-codes li").count() == 10
        # And signing in again asks for the code after the password
        page.get_by_role("button", name="退出登录").click()
        ready(page, "login")
        expect(page.locator("#login-notice")).to_contain_text("您已安全退出")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("口令").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.locator("h1")).to_have_text("动态验证码")
        page.get_by_label("动态验证码").fill("000000" if totp.code_at(secret, time.time()) != "000000" else "111111")
        page.get_by_role("button", name="验证并登录").click()
        expect(page.locator(".error-summary")).to_contain_text("动态验证码错误")
        # The code used for enrolment cannot be replayed: take the next 30-second step's code
        page.wait_for_timeout(int((30 - time.time() % 30) * 1000) + 500)
        page.get_by_label("动态验证码").fill(totp.code_at(secret, time.time()))
        page.get_by_role("button", name="验证并登录").click()
        ready(page, "board")
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_a_reset_password_must_be_changed_before_anything_else(stack: Stack, tab: Tab, demo_dept: str) -> None:
    username, _ = new_user(stack, ["handler"], demo_dept)
    temporary = f"Tmp!{secrets.token_hex(5)}Ab"
    security = stack.admin_token
    r = api(stack, "POST", f"/admin/users/{username}/password/reset", security, {"password": temporary})
    assert r.status_code == 200, r.text
    page = tab.page
    # When the user signs in with the temporary password
    sign_in(tab, stack, username, temporary)
    # Then only the password change is offered, whatever page is asked for
    ready(page, "password")
    page.goto(url(stack, "worklist"))
    ready(page, "password")
    assert page.locator("#side-nav").is_hidden()
    # And a weak new password is refused beside the field
    page.get_by_label("当前（初始）口令").fill(temporary)
    page.locator("input[name=new_password]").fill("short")
    page.get_by_label("再次输入新口令").fill("short")
    page.get_by_role("button", name="修改口令").click()
    expect(page.locator("[data-field-wrap=new_password] .field-error")).not_to_be_empty()
    # And a good one opens the console
    good = f"Good!{secrets.token_hex(6)}Pw"
    page.locator("input[name=new_password]").fill(good)
    page.get_by_label("再次输入新口令").fill(good)
    page.get_by_role("button", name="修改口令").click()
    ready(page, "worklist")
    assert login(stack, username, good)
    assert tab.errors == []


def test_an_expired_access_token_is_refreshed_and_an_ended_session_returns_to_sign_in(stack: Stack, tab: Tab) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-head")
    # Given an access token that no longer works (as after 15 minutes) but a live refresh token
    page.evaluate("""() => { const s = JSON.parse(sessionStorage.getItem('sunlit.console.session'));
        s.access_token = 'expired.' + s.access_token; s.expires_at = Date.now() + 600000;
        sessionStorage.setItem('sunlit.console.session', JSON.stringify(s)); }""")
    # When the console is reloaded on a page that loads data, then it is refreshed unnoticed
    page.goto(url(stack, "signals"))
    page.reload()
    ready(page, "signals")
    assert page.locator("h1").inner_text() == "监察信号"
    token = page.evaluate("JSON.parse(sessionStorage.getItem('sunlit.console.session')).access_token")
    assert not token.startswith("expired.")
    # Given the session ended on the server (signed out everywhere from elsewhere)
    api(stack, "POST", "/auth/logout", token, {"everywhere": True})
    # When the next page loads, then the user is back at sign-in and told why
    page.goto(url(stack, "worklist"))
    ready(page, "login")
    expect(page.locator("#login-notice")).to_contain_text("登录已过期")
    assert tab.errors == []


# ---- 运行平台 -----------------------------------------------------------------------------------------


def _act(page: Page) -> None:
    """Submit the form of the first action offered on the case page, filling what it needs."""
    form = page.locator("details.act[open] form").first
    opinion = form.locator("textarea[name=opinion]")
    if opinion.count():
        opinion.fill("经审查，申请材料齐全，符合法定条件，同意。")
    submit(page, form.locator("button[type=submit]"), "case")


def _actions_named_in_chinese(page: Page) -> bool:
    """Every action form on the case page is titled in words, never by its API key (``return_step``);
    True when the page offers 退回 (a review step after the first), with the reason it asks for."""
    titles = page.locator("details.act > summary").all_inner_texts()
    assert not [t for t in titles if re.fullmatch(r"[a-z_]+", t.strip())], titles
    back = page.locator("details.act[data-action=return_step]")
    if not back.count():
        return False
    expect(back.locator("summary")).to_have_text("退回上一环节")
    expect(back.locator("textarea[name=reason][required]")).to_have_count(1)
    expect(back).to_contain_text("退回理由")
    return True


def test_a_handler_opens_the_most_urgent_case_moves_it_on_and_concludes_it(stack: Stack, browser: Browser) -> None:
    handler, head = new_tab(browser, stack), new_tab(browser, stack)
    try:
        page = handler.page
        sign_in(handler, stack, "demo-handler")
        sign_in(head, stack, "demo-head")
        # Given the worklist filtered to review steps: the most urgent licence case waiting at one
        open_page(handler, stack, "worklist?kind=step")
        expect(page.get_by_label("待办类型")).to_have_value("step")
        first = page.locator("#worklist tbody tr:not([data-category=CF])").first
        case_no = first.get_attribute("data-case")
        assert case_no
        first.get_by_role("link").first.click()
        ready(page, "case")
        expect(page.locator("#case-no")).to_have_text(case_no)
        # The flow chart of the bound version marks the current step
        expect(page.locator("#case-flow [aria-current=step]")).to_have_count(1)
        before = page.locator("#case-flow [aria-current=step] strong").inner_text()
        # Each action is named in Chinese: a review step after the first offers 退回 with its reason
        offered_return = _actions_named_in_chinese(page)
        # When the handler completes the task, then the case moves to the next step
        _act(page)
        after = page.locator("#case-flow [aria-current=step] strong").inner_text()
        assert after != before, (before, after)
        # And it goes on — the head approving where the head must — until it waits for the conclusion
        for _ in range(8):
            if page.locator("details.act[data-action=conclude]").count():
                break
            if page.locator("details.act[open]").count():
                offered_return = _actions_named_in_chinese(page) or offered_return
                _act(page)
                continue
            head.page.goto(url(stack, f"case/{case_no}"))
            ready(head.page, "case")
            offered_return = _actions_named_in_chinese(head.page) or offered_return
            _act(head.page)
            page.reload()
            ready(page, "case")
        assert offered_return, "no review step after the first offered 退回"
        conclude = page.locator("details.act[data-action=conclude] form")
        expect(conclude).to_be_visible()
        # A blocking check: a fee on an item that charges none is refused beside the fee field
        conclude.get_by_label("证照名称").fill("演示许可证")
        conclude.get_by_label("证照编号").fill(f"E2E-{case_no[-6:]}")
        fee = conclude.locator("[name=fee_amount]")
        if fee.input_value():  # a charged item: a wrong amount is the blocking check instead
            fee.fill(str(float(fee.input_value()) + 1))
        else:
            fee.fill("100")
        conclude.get_by_role("button", name="办结").click()
        error = conclude.locator("[data-field-wrap=fee_amount] .field-error")
        expect(error).to_contain_text("元")
        expect(conclude.locator(".error-summary")).to_be_visible()
        assert conclude.locator("[name=fee_amount]").get_attribute("aria-invalid") == "true"
        # When the fee is corrected, then the case concludes and leaves the conclusion step
        fee.fill("")
        submit(page, conclude.get_by_role("button", name="办结"), "case")
        expect(page.locator("#case-flow [data-key=conclude]")).to_have_class(re.compile(r"\bdone\b"))
        view = api(stack, "GET", f"/staff/cases/{case_no}", login(stack, "demo-handler")).json()
        assert view["status"] == "concluded" and view["result"]["code"] == 0
        assert handler.errors == [] and head.errors == []
    finally:
        handler.page.context.close()
        head.page.context.close()


def test_the_head_explains_a_signal_and_sees_its_reply_deadline(stack: Stack, tab: Tab) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-head")
    # Given the department's open red signals (filters in the URL)
    open_page(tab, stack, "signals?status=open&level=red")
    expect(page.get_by_label("状态")).to_have_value("open")
    card = page.locator("article.record").first
    signal_id = card.get_attribute("data-id")
    # When the head writes the explanation
    card.locator("details[data-action=explain] summary").click()
    card.get_by_label("情况说明").fill("该件因申请人补正材料时间较长导致超期，已督促经办人加快办理。")
    submit(page, card.get_by_role("button", name="提交说明"), "signals")
    # Then the signal is explained, with the date by which the bureau must answer
    explained = api(stack, "GET", "/supervision/signals", login(stack, "demo-head"), status="explained").json()["items"]
    record = next(s for s in explained if s["signal_id"] == signal_id)
    assert record["explanation"].startswith("该件因申请人补正材料")
    open_page(tab, stack, "signals?status=explained")
    card = page.locator(f"article.record[data-id='{signal_id}']")
    expect(card).to_contain_text("监察局应于")
    expect(card).to_contain_text("部门说明")
    # And its history names the step in words, not by its key (explain)
    card.locator("details.act", has_text="处理记录").locator("summary").click()
    history = card.locator("details.act", has_text="处理记录").locator("li").last
    expect(history).to_contain_text("提交情况说明：该件因申请人补正材料")
    assert "explain" not in history.inner_text()
    assert tab.errors == []


def test_a_penalty_decision_outside_the_tier_is_blocked_with_the_tiers_beside_the_amount(stack: Stack, tab: Tab) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-head")
    open_page(tab, stack, "worklist?kind=decide")
    rows = page.locator("#worklist tbody tr")
    if not rows.count():
        pytest.skip("no penalty case waits for a decision in the demo department")
    rows.first.get_by_role("link").first.click()
    ready(page, "case")
    form = page.locator("details.act[data-action=decide] form")
    aside = form.locator(".aside")
    expect(aside).to_contain_text("裁量基准")
    expect(aside).to_contain_text("法定幅度")
    # When the head types an amount far above the statutory range
    form.get_by_label("处罚决定书文号").fill("测试〔2026〕1号")
    form.get_by_label("罚款金额").fill("99999999")
    expect(aside.locator(".tier-verdict")).to_contain_text("超出法定幅度")
    form.get_by_role("button", name="作出处罚决定").click()
    # Then the decision is blocked and the reason stands beside the amount
    expect(form.locator("[data-field-wrap=amount] .field-error")).to_contain_text("超出法定处罚幅度")
    assert tab.errors == []


def test_the_supervision_letter_prints_as_a_letter(stack: Stack, tab: Tab) -> None:
    letters = api(stack, "GET", "/supervision/letters", login(stack, "demo-supervisor")).json()["items"]
    assert letters, "the demo city issued no 监察建议书"
    sign_in(tab, stack, "demo-supervisor")
    open_page(tab, stack, f"letter/{letters[0]['period']}/{letters[0]['dept_code']}")
    page = tab.page
    expect(page.locator("#letter h1")).to_have_text("监察建议书")
    expect(page.locator("#letter")).to_contain_text(letters[0]["letter_no"])
    # When printed, only the letter is on the page
    page.emulate_media(media="print")
    assert page.locator("#side-nav").is_hidden() and page.locator("header.top").is_hidden()
    assert page.locator(".actions").first.is_hidden()
    expect(page.locator("#letter")).to_be_visible()


def test_a_handler_answers_a_citizens_consultation_in_time(stack: Stack, tab: Tab, demo_dept: str) -> None:
    # Given a citizen's question to the demo department from the hall
    r = requests.post(f"{stack.api}/consultations", json={
        "dept_code": demo_dept, "question": "小餐饮经营许可证到期后如何延续？需要带哪些材料？", "name": "钱七"}, timeout=30)
    assert r.status_code == 201, r.text
    no = r.json()["consultation_no"]
    page = tab.page
    sign_in(tab, stack, "demo-handler")
    open_page(tab, stack, "consultations?status=open")
    card = page.locator(f"article[data-id='{no}']")
    expect(card).to_contain_text("前答复")
    # When the handler answers it
    card.locator("details[data-action=answer] summary").click()
    card.get_by_label("答复内容").fill("请在有效期届满 30 个工作日前提交延续申请表和原许可证。")
    submit(page, card.get_by_role("button", name="提交答复"), "consultations")
    # Then it is answered, and the answer is on record
    open_page(tab, stack, "consultations?status=answered")
    card = page.locator(f"article[data-id='{no}']")
    expect(card).to_contain_text("已答复")
    expect(card).to_contain_text("延续申请表")
    assert tab.errors == []


def test_a_declaration_shows_every_problem_beside_its_field(stack: Stack, tab: Tab, demo_dept: str) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-head")
    items = api(stack, "GET", "/catalog/items", dept_code=demo_dept).json()["items"]
    code = next(i["code"] for i in items if i["category"] != "CF")
    # Given the form of a new version, prefilled with the version in force
    open_page(tab, stack, f"declare?code={code}")
    expect(page.get_by_label("事项名称")).not_to_have_value("")
    # When the promised limit exceeds the statutory one and a step loses its name
    page.locator("input[name='promised_limit.value']").fill("999")
    page.locator("[data-field-wrap='steps.1.name'] input").fill("")
    page.get_by_role("button", name="申报新版本").click()
    # Then the summary lists the problems and each stands beside its field; nothing is declared
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("[data-field-wrap='steps.1.name'] .field-error")).not_to_be_empty()
    expect(page.locator(".error-summary")).to_contain_text("承诺")
    assert tab.errors == []


def test_a_head_declares_a_new_version_and_the_legal_office_sees_what_changed(stack: Stack, browser: Browser,
                                                                              demo_dept: str) -> None:
    legal_token = login(stack, "demo-legal")
    waiting = {p["code"] for p in api(stack, "GET", "/legal/catalog/pending", legal_token).json()["items"]}
    items = api(stack, "GET", "/catalog/items", dept_code=demo_dept).json()["items"]
    # an item whose category has fields of its own (奖励条件…) if the department has one: they must carry over
    candidates = sorted((i for i in items if i["category"] != "CF" and i["code"] not in waiting),
                        key=lambda i: i["category"] not in CATEGORY_FIELDS)
    code, category = candidates[0]["code"], candidates[0]["category"]
    head, legal = new_tab(browser, stack), new_tab(browser, stack)
    try:
        # Given the form of a new version, prefilled with the version in force
        sign_in(head, stack, "demo-head")
        open_page(head, stack, f"declare?code={code}")
        for label in CATEGORY_FIELDS.get(category, {}).values():
            expect(head.page.locator("#category-fields").get_by_label(label)).not_to_have_value("")
        place = head.page.get_by_role("textbox", name="办理地点")
        before = place.input_value()
        after = f"徐州市政务服务中心二楼综合窗口（{secrets.token_hex(2)}号）"
        # When the head moves the service to another window and declares it
        place.fill(after)
        head.page.get_by_role("button", name="申报新版本").click()
        receipt = head.page.locator("#declare-result h3")
        expect(receipt).to_contain_text("已申报")
        expect(receipt).to_be_focused()
        # Then the legal office finds it waiting, with exactly that field changed
        pending = api(stack, "GET", "/legal/catalog/pending", legal_token).json()["items"]
        declared = next(p for p in pending if p["code"] == code)
        sign_in(legal, stack, "demo-legal")
        open_page(legal, stack, f"pending/{code}/{declared['version']}")
        row = legal.page.locator("table.data tbody tr.changed", has_text="办理地点")
        expect(row.locator("ins")).to_contain_text(after)
        if before:
            expect(row.locator("del")).to_contain_text(before)
        assert head.errors == [] and legal.errors == []
    finally:
        head.page.context.close()
        legal.page.context.close()


# ---- 行政监察平台 --------------------------------------------------------------------------------------


SHANGHAI = ZoneInfo("Asia/Shanghai")


def _quarter(instant: str) -> str:
    day = datetime.fromisoformat(instant).astimezone(SHANGHAI)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def test_the_supervisor_counts_signals_by_risk_level_and_reads_the_risk_point_a_signal_names(stack: Stack,
                                                                                            tab: Tab) -> None:
    page = tab.page
    token = login(stack, "demo-supervisor")
    # Given the demo city's signals: some name a first-level (一级) risk point of their step
    high = api(stack, "GET", "/supervision/signals", token, risk_level="1", limit=1).json()["items"]
    assert high, "no signal of the demo city names a first-level risk point"
    period, dept = _quarter(high[0]["raised_at"]), high[0]["dept_code"]
    stats = api(stack, "GET", "/supervision/statistics/risk", token, period=period).json()
    row = next(d for d in stats["items"] if d["dept_code"] == dept)
    # When the supervisor opens 廉政风险统计 for that quarter
    sign_in(tab, stack, "demo-supervisor")
    page.get_by_role("link", name="廉政风险统计").click()
    ready(page, "risk")
    open_page(tab, stack, f"risk?period={period}")
    expect(page.get_by_label("统计期间")).to_have_value(period)
    # Then the totals and the department's row count its signals by level, as the API does
    expect(page.locator("#risk-totals")).to_contain_text(f"{stats['totals']['by_risk_level']['1']}涉及一级（高）风险点")
    dept_row = page.locator(f"tr[data-dept='{dept}']")
    expect(dept_row.locator("[data-label='一级（高）']")).to_have_text(str(row["by_risk_level"]["1"]))
    # And its first-level count opens those signals, each naming its risk point, level and controls
    dept_row.get_by_role("link", name=re.compile("一级")).click()
    ready(page, "signals")
    expect(page.get_by_label("廉政风险等级")).to_have_value("1")
    card = page.locator("article.record").first
    expect(card.locator(".risk-points")).to_contain_text("一级（高）")
    expect(card.locator(".risk-points")).to_contain_text("防控措施：")
    named = api(stack, "GET", "/supervision/signals", token, dept_code=dept, risk_level="1", limit=20).json()["items"]
    expect(card.locator(".risk-points")).to_contain_text(named[0]["risk_points"][0]["description"])
    page.screenshot(path=str(SCREENSHOTS / "console-risk-signals-desktop.png"), full_page=True)
    assert _axe(page) == []
    assert tab.errors == []


def test_the_handler_sees_the_risk_points_of_the_step_in_hand_with_their_controls(stack: Stack, tab: Tab) -> None:
    # Given a case of the handler's department waiting at a step of its internal flow
    head = login(stack, "demo-head")
    work = api(stack, "GET", "/worklist", head, scope="dept", limit=200).json()["items"]
    task = next(t for t in work if t["kind"] == "step")
    code = task["step"]["code"]
    view = api(stack, "GET", f"/staff/cases/{task['case_no']}", head).json()
    version = api(stack, "GET", f"/catalog/items/{view['item_code']}", at=view["accepted_at"][:10]).json()
    expected = [p for p in version["risk_points"] if p["step_code"] == code]
    assert expected, "the demo item declares no risk point on that step"
    # When the head opens it
    sign_in(tab, stack, "demo-head")
    open_page(tab, stack, f"case/{task['case_no']}")
    # Then the step in hand's risk points come first, marked, with their level and controls
    rows = tab.page.locator("tr[data-step]")
    expect(rows.first).to_have_attribute("data-step", code)
    expect(rows.first).to_contain_text("当前环节")
    mine = tab.page.locator(f"tr[data-step='{code}']")
    expect(mine.first).to_contain_text(expected[0]["description"] if len(expected) == 1 else "环节")
    expect(mine.first).to_contain_text(("一级（高）", "二级（中）", "三级（低）")[min(p["level"] for p in expected) - 1])
    expect(mine.first).to_contain_text(min(expected, key=lambda p: p["level"])["controls"][0])
    assert tab.errors == []


def test_the_supervisor_sees_the_board_opens_a_red_case_and_disposes_its_signal(stack: Stack, tab: Tab) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-supervisor")
    ready(page, "board")
    # Given the board: totals, and departments with red cases first
    expect(page.locator("#board-totals")).to_be_visible()
    red_link = page.locator("table.data tbody tr.is-red").first.get_by_role("link", name=re.compile("红牌")).first
    red_link.click()
    ready(page, "board")
    # (the board's own ready mark is already set: wait for the drill-down's heading and case links)
    expect(page.locator("main h1")).to_contain_text("办件", timeout=READY_MS)
    expect(page.locator("table.data tbody tr a.code").first).to_be_visible(timeout=READY_MS)
    # When the supervisor drills down to the department's red cases and opens one with a signal
    cases = [c for c in page.locator("table.data tbody tr a.code").all_inner_texts() if c]
    assert cases, "the drill-down lists no red case"
    token = login(stack, "demo-supervisor")
    case_no = next((c for c in cases
                    if [s for s in api(stack, "GET", "/supervision/signals", token, case_no=c).json()["items"]
                        if s["status"] != "closed"]), None)
    assert case_no, "no red case of that department has an open signal"
    page.get_by_role("link", name=case_no).click()
    ready(page, "case")
    expect(page.locator("#case-no")).to_have_text(case_no)
    # And personal data is masked for the supervision bureau
    applicant = api(stack, "GET", f"/staff/cases/{case_no}", token).json().get("applicant") or {}
    if applicant.get("id_no"):
        expect(page.locator("main")).not_to_contain_text(applicant["id_no"])
    page.locator("section", has_text="监察信号").get_by_role("link").first.click()
    ready(page, "signals")
    card = page.locator("article.record").filter(has_not_text="已关闭").first
    signal_id = card.get_attribute("data-id")
    card.locator("details[data-action=dispose] summary").click()
    card.get_by_label("不予采纳，关闭并记录").check()
    card.get_by_label("理由").fill("经核查，超期属实，责令部门整改并纳入季度考评。")
    submit(page, card.get_by_role("button", name="确认处理"), "signals")
    # Then the signal is closed with the disposition and who made it
    closed = api(stack, "GET", "/supervision/signals", token, case_no=case_no).json()["items"]
    record = next(s for s in closed if s["signal_id"] == signal_id)
    assert record["status"] == "closed" and record["disposition"] == "reject"
    expect(page.locator(f"article.record[data-id='{signal_id}']")).to_contain_text("不予采纳")
    assert tab.errors == []


def test_a_complaint_is_accepted_transferred_answered_by_the_department_and_concluded(stack: Stack, browser: Browser,
                                                                                      demo_dept: str) -> None:
    # Given a citizen's complaint about the demo department, with their name and phone
    r = requests.post(f"{stack.api}/complaints", json={
        "dept_code": demo_dept, "category": "efficiency", "content": "窗口办理时多次要求重复提交同一份材料。",
        "real_name": True, "name": "赵六", "phone": "13912345678"}, timeout=30)
    assert r.status_code == 201, r.text
    no = r.json()["complaint_no"]
    bureau, head = new_tab(browser, stack), new_tab(browser, stack)
    try:
        sign_in(bureau, stack, "demo-supervisor")
        sign_in(head, stack, "demo-head")
        page = bureau.page
        # When the bureau opens it: the 5-working-day acceptance clock, then accepts and transfers it
        open_page(bureau, stack, f"complaint/{no}")
        expect(page.locator("main")).to_contain_text("前决定是否受理")
        submit(page, page.locator("details[data-action=decision] button[type=submit]"), "complaint")
        transfer = page.locator("details[data-action=transfer] form")
        transfer.get_by_label("转办意见").fill("请核实窗口一次性告知情况并答复。")
        submit(page, transfer.locator("button[type=submit]"), "complaint")
        expect(page.locator("main")).to_contain_text("前答复")
        # Then the department sees it to answer, without who complained
        open_page(head, stack, "complaints?status=transferred")
        head.page.get_by_role("link", name=no).click()
        ready(head.page, "complaint")
        expect(head.page.locator("main")).to_contain_text("投诉人信息对部门保密")
        expect(head.page.locator("main")).not_to_contain_text("赵六")
        expect(head.page.locator("main")).not_to_contain_text("13912345678")
        reply = head.page.locator("details[data-action=reply] form")
        reply.get_by_label("答复内容").fill("经核实，窗口未一次性告知，已对经办人批评教育并整改。")
        submit(head.page, reply.locator("button[type=submit]"), "complaint")
        expect(head.page.locator("main")).to_contain_text("部门已答复")
        # When the bureau concludes it with its finding
        page.reload()
        ready(page, "complaint")
        expect(page.locator("main")).to_contain_text("已对经办人批评教育")
        result = page.locator("details[data-action=result] form")
        result.get_by_label("部分属实").check()
        result.get_by_label("处理结果").fill("投诉部分属实，已责令部门整改并告知投诉人。")
        submit(page, result.locator("button[type=submit]"), "complaint")
        # Then the complaint is concluded with the finding, and its history reads in Chinese
        expect(page.locator("main")).to_contain_text("已办结")
        expect(page.locator("main")).to_contain_text("部分属实")
        history = page.locator("ol.timeline")
        for step in ("受理", "转部门办理", "部门答复", "办结"):
            expect(history).to_contain_text(step)
        view = api(stack, "GET", f"/complaints/{no}", login(stack, "demo-supervisor")).json()
        assert view["status"] == "concluded" and view["result"]["finding"] == "partly_founded"
        assert bureau.errors == [] and head.errors == []
    finally:
        bureau.page.context.close()
        head.page.context.close()


# ---- 法制监督平台 --------------------------------------------------------------------------------------


def test_the_legal_office_confirms_a_declared_version_after_seeing_the_diff(stack: Stack, tab: Tab) -> None:
    page = tab.page
    sign_in(tab, stack, "demo-legal")
    ready(page, "pending")
    # Given a declared new version of an item in force
    token = login(stack, "demo-legal")
    pending = api(stack, "GET", "/legal/catalog/pending", token).json()["items"]
    target = next(p for p in pending if p["version"] > 1)
    page.get_by_role("link", name=target["name"]).first.click()
    ready(page, "pending")
    # Then the declaration is compared field by field with the version in force
    expect(page.locator("#diff-summary")).to_contain_text(f"与现行第 {target['version'] - 1} 版相比")
    changed = page.locator("table.data tbody tr.changed")
    assert changed.count() >= 1
    expect(changed.first.locator("ins, del").first).to_be_visible()
    # When the office confirms it from today
    submit(page, page.get_by_role("button", name="确认", exact=True), "pending")
    # Then it is confirmed and in force, and no longer waits
    versions = api(stack, "GET", f"/catalog/items/{target['code']}/versions").json()["items"]
    assert next(v for v in versions if v["version"] == target["version"])["status"] == "confirmed"
    left = api(stack, "GET", "/legal/catalog/pending", token).json()["items"]
    assert not [p for p in left if p["code"] == target["code"] and p["version"] == target["version"]]
    assert tab.errors == []


def test_the_legal_office_registers_an_officer_whose_certificate_expires_soon(stack: Stack, tab: Tab,
                                                                             demo_dept: str) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    officer = f"E2E{secrets.token_hex(3).upper()}"
    page = tab.page
    sign_in(tab, stack, "demo-legal")
    open_page(tab, stack, "officers")
    # When the office registers an officer whose certificate ends in 20 days
    form = page.locator("#officer-form")
    form.get_by_label("人员编号").fill(officer)
    form.get_by_label("姓名").fill("孙八")
    form.get_by_label("部门代码").fill(demo_dept)
    form.get_by_label("执法证号").fill(f"苏执-{officer}")
    form.get_by_label("有效期起").fill((today - timedelta(days=700)).isoformat())
    form.get_by_label("有效期止").fill((today + timedelta(days=20)).isoformat())
    submit(page, form.get_by_role("button", name="登记"), "officers")
    # Then the list of certificates expiring within 30 days names them as expiring
    open_page(tab, stack, "officers?expiring_within=30")
    row = page.locator("table.data tbody tr", has_text=officer)
    expect(row).to_contain_text("即将到期")
    expect(row).to_contain_text((today + timedelta(days=20)).isoformat())
    assert tab.errors == []


# ---- 管理员 --------------------------------------------------------------------------------------------


def test_an_admin_deactivates_a_user_whose_session_then_ends(stack: Stack, browser: Browser, demo_dept: str) -> None:
    username, password = new_user(stack, ["handler"], demo_dept)
    user_tab, admin_tab = new_tab(browser, stack), new_tab(browser, stack)
    try:
        # Given the user working in the console
        sign_in(user_tab, stack, username, password)
        ready(user_tab.page, "worklist")
        # When the administrator deactivates the account
        sign_in(admin_tab, stack, "demo-admin")
        open_page(admin_tab, stack, f"users/{username}")
        expect(admin_tab.page.locator("main")).to_contain_text("在线会话")
        admin_tab.page.locator("details[data-action=deactivate] summary").click()
        submit(admin_tab.page, admin_tab.page.locator("details[data-action=deactivate] button[type=submit]"), "users")
        expect(admin_tab.page.locator("main")).to_contain_text("已停用")
        # Then the user's next step takes them back to sign-in, and signing in is refused
        user_tab.page.goto(url(stack, "signals"))
        ready(user_tab.page, "login")
        expect(user_tab.page.locator("#login-notice")).to_be_visible()
        user_tab.page.get_by_label("用户名").fill(username)
        user_tab.page.get_by_label("口令").fill(password)
        user_tab.page.get_by_role("button", name="登录").click()
        expect(user_tab.page.locator(".error-summary")).to_contain_text("账户已停用")
        assert user_tab.errors == [] and admin_tab.errors == []
    finally:
        user_tab.page.context.close()
        admin_tab.page.context.close()


def test_an_admin_registers_a_department_sees_its_key_once_rotates_it_and_disables_the_old_one(stack: Stack,
                                                                                              tab: Tab) -> None:
    page = tab.page
    taken = {d["code"] for d in api(stack, "GET", "/departments").json()["items"]}
    code = next(c for c in (f"{n:03d}" for n in range(900 + secrets.randbelow(50), 1000)) if c not in taken)
    sign_in(tab, stack, "demo-admin")
    # When the administrator registers a department
    open_page(tab, stack, "departments")
    form = page.locator("#department-form")
    form.get_by_label("部门代码（3 位）").fill(code)
    form.get_by_label("部门名称").fill(f"徐州市测试服务局{code}")
    form.get_by_role("button", name="登记并生成密钥").click()
    # Then its system's key is shown once, with the focus on it
    once = page.locator("#secret-once")
    expect(once.locator("code.secret")).to_be_visible()
    expect(once.locator("h3")).to_be_focused()
    first = once.locator("code.secret").inner_text()
    assert len(first) >= 32
    # And never again: the key page lists it without the secret
    open_page(tab, stack, f"departments/{code}")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("有效")
    expect(page.locator("main")).not_to_contain_text(first)
    # When the key is rotated, the new one is shown once and the old one overlaps
    page.locator("#rotate-form").get_by_role("button", name="生成新密钥").click()
    expect(once.locator("code.secret")).to_be_visible()
    second = once.locator("code.secret").inner_text()
    assert second != first
    page.reload()
    ready(page, "departments")
    expect(rows).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text(second)
    old = rows.filter(has_text="过渡期内")
    expect(old).to_have_count(1)
    # And when the old one is disabled at once, it stops
    submit(page, old.get_by_role("button", name="立即停用"), "departments")
    expect(rows.filter(has_text="已停用")).to_have_count(1)
    keys = api(stack, "GET", f"/admin/departments/{code}/keys", stack.admin_token).json()["items"]
    assert sorted(k["status"] for k in keys) == ["active", "disabled"]
    assert tab.errors == []


def test_the_security_admin_unlocks_a_locked_out_user_and_resets_a_lost_authenticator(stack: Stack, browser: Browser,
                                                                                      demo_dept: str) -> None:
    # Given a handler who enrolled an authenticator, then lost it and locked the account with wrong passwords
    username, password = new_user(stack, ["handler"], demo_dept)
    token = login(stack, username, password)
    started = api(stack, "POST", "/auth/mfa/totp", token, {}).json()
    confirmed = api(stack, "POST", "/auth/mfa/totp/confirm", token, {"otp": totp.code_at(started["secret"], time.time())})
    assert confirmed.status_code == 200, confirmed.text
    for _ in range(6):
        api(stack, "POST", "/auth/login", body={"username": username, "password": "wrong-Password-1"})
    assert api(stack, "POST", "/auth/login", body={"username": username, "password": password}).status_code != 200
    admin, user_tab = new_tab(browser, stack), new_tab(browser, stack)
    try:
        # When the administrator unlocks the account and resets its second factor
        sign_in(admin, stack, "demo-admin")
        open_page(admin, stack, f"users/{username}")
        page = admin.page
        expect(page.locator("main")).to_contain_text("锁定至")
        page.locator("details[data-action=unlock] summary").click()
        submit(page, page.locator("details[data-action=unlock] button[type=submit]"), "users")
        expect(page.locator("main")).not_to_contain_text("锁定至")
        page.locator("details[data-action=mfa] summary").click()
        submit(page, page.locator("details[data-action=mfa] button[type=submit]"), "users")
        expect(page.locator("main")).to_contain_text("未启用")
        # Then the user signs in with the password alone and lands on the worklist
        sign_in(user_tab, stack, username, password)
        ready(user_tab.page, "worklist")
        assert admin.errors == [] and user_tab.errors == []
    finally:
        admin.page.context.close()
        user_tab.page.context.close()


def test_the_skip_link_the_language_toggle_and_the_menu_work_from_the_keyboard(stack: Stack, browser: Browser) -> None:
    tab = new_tab(browser, stack, "phone")
    try:
        page = tab.page
        sign_in(tab, stack, "demo-handler")
        page.reload()
        ready(page, "worklist")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # At phone width the navigation sits behind the menu button
        assert page.locator("#side-nav").is_hidden()
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#side-nav")).to_be_visible()
        page.get_by_role("button", name="Switch to English").click()
        ready(page, "worklist")
        assert page.evaluate("document.documentElement.lang") == "en"
        expect(page.locator("h1")).to_have_text("Worklist")
        page.get_by_role("button", name="切换到中文").click()
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
    finally:
        page.evaluate("localStorage.removeItem('sunlit.lang')")
        tab.page.context.close()


# ---- every page: screenshots, console, accessibility ----------------------------------------------------

PAGES: list[tuple[str, str, str]] = [
    ("login", "", "login"),
    ("worklist", "demo-handler", "worklist"),
    ("worklist-dept", "demo-head", "worklist?scope=dept"),
    ("case", "demo-handler", "case/{case}"),
    ("penalty-case", "demo-head", "case/{penalty}"),
    ("penalty-new", "demo-handler", "penalty-new"),
    ("items", "demo-handler", "items"),
    ("declare", "demo-handler", "declare?code={item}"),
    ("consultations", "demo-handler", "consultations"),
    ("signals-dept", "demo-head", "signals"),
    ("findings-dept", "demo-head", "findings"),
    ("complaints-dept", "demo-head", "complaints"),
    ("board", "demo-supervisor", "board"),
    ("board-dept", "demo-supervisor", "board/{dept}?light=red"),
    ("signals", "demo-supervisor", "signals?level=red"),
    ("exceptions", "demo-supervisor", "exceptions"),
    ("complaints", "demo-supervisor", "complaints"),
    ("complaint", "demo-supervisor", "complaint/{complaint}"),
    ("spot-checks", "demo-supervisor", "spot-checks"),
    ("evaluation", "demo-supervisor", "evaluation"),
    ("points", "demo-supervisor", "points"),
    ("letter", "demo-supervisor", "letter/{letter}"),
    ("risk", "demo-supervisor", "risk?period={risk_period}"),
    ("pending", "demo-legal", "pending"),
    ("pending-diff", "demo-legal", "pending/{pending}"),
    ("findings", "demo-legal", "findings"),
    ("officers", "demo-legal", "officers?expiring_within=90"),
    ("bases", "demo-legal", "bases"),
    ("normdocs", "demo-legal", "normdocs"),
    ("reviews", "demo-legal", "reviews"),
    ("departments", "demo-admin", "departments"),
    ("department-keys", "demo-admin", "departments/{dept}"),
    ("service-points", "demo-admin", "service-points"),
    ("users", "demo-admin", "users"),
    ("user", "demo-admin", "users/demo-handler"),
    ("calendar", "demo-admin", "calendar"),
    ("rules", "demo-admin", "rules"),
    ("dlq", "demo-admin", "dlq"),
    ("audit", "demo-auditor", "audit"),
    ("account", "demo-legal", "account"),
    ("disclosure", "demo-handler", "disclosure"),
    ("disclosure-request", "demo-handler", "disclosure-request/{request}"),
    ("disclosure-directory", "demo-handler", "disclosure-directory"),
    ("disclosure-report", "demo-handler", "disclosure-report"),
    ("disclosure-supervisor", "demo-supervisor", "disclosure"),
]


@pytest.fixture(scope="module")
def samples(stack: Stack, demo_dept: str) -> dict[str, str]:
    """Real records of the demo city for the pages that show one."""
    head = login(stack, "demo-head")
    supervisor, legal = login(stack, "demo-supervisor"), login(stack, "demo-legal")
    work = api(stack, "GET", "/worklist", head, scope="dept", limit=200).json()["items"]
    licence = next(t["case_no"] for t in work if t["kind"] in ("accept", "step"))
    penalty = next((t["case_no"] for t in work if t["kind"] in ("notify", "decide", "hearing")), licence)
    items = api(stack, "GET", "/catalog/items", dept_code=demo_dept).json()["items"]
    board = api(stack, "GET", "/supervision/board", supervisor).json()["items"]
    complaint = api(stack, "GET", "/complaints", supervisor).json()["items"][0]["complaint_no"]
    pending = api(stack, "GET", "/legal/catalog/pending", legal).json()["items"]
    letters = api(stack, "GET", "/supervision/letters", supervisor).json()["items"]
    # a new version of an item in force, to show a diff (else whatever waits)
    diffed = next((p for p in pending if p["version"] > 1), pending[0] if pending else None)
    letter = f"{letters[0]['period']}/{letters[0]['dept_code']}" if letters else "2026Q3/000"
    high = api(stack, "GET", "/supervision/signals", supervisor, risk_level="1", limit=1).json()["items"]
    risk_period = _quarter(high[0]["raised_at"] if high else datetime.now(SHANGHAI).isoformat())
    # a request for disclosure the department extended (a history to show), else its most urgent one
    requests_ = api(stack, "GET", "/disclosure/requests", login(stack, "demo-handler"), sort="due",
                    status="pending").json()["items"]
    request = next((q for q in requests_ if q.get("extended")), requests_[0])["request_no"]
    return {"letter": letter, "risk_period": risk_period, "request": request,
            "case": licence, "penalty": penalty, "item": items[0]["code"], "dept": board[0]["dept_code"],
            "complaint": complaint, "pending": f"{diffed['code']}/{diffed['version']}" if diffed else "x/1"}


def _axe(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.fixture(scope="module")
def signed_in(browser: Browser, stack: Stack) -> Iterator[dict[tuple[str, str], Tab]]:
    """One signed-in tab per (user, width), reused from page to page (signing in is deliberately slow)."""
    tabs: dict[tuple[str, str], Tab] = {}
    yield tabs
    for t in tabs.values():
        t.page.context.close()


@pytest.mark.parametrize(("name", "user", "route"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_is_clean_accessible_and_photographed(stack: Stack, browser: Browser, samples: dict[str, str],
                                                         signed_in: dict[tuple[str, str], Tab],
                                                         name: str, user: str, route: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = route.format(**samples)
    for viewport in VIEWPORTS:
        if user and (user, viewport) not in signed_in:
            signed_in[(user, viewport)] = new_tab(browser, stack, viewport)
            sign_in(signed_in[(user, viewport)], stack, user)
        t = signed_in[(user, viewport)] if user else new_tab(browser, stack, viewport)
        t.errors.clear()
        try:
            open_page(t, stack, target or "login")
            t.page.wait_for_timeout(150)
            t.page.screenshot(path=str(SCREENSHOTS / f"console-{name}-{viewport}.png"), full_page=True)
            # Then nothing went wrong, under a CSP without 'unsafe-inline'
            assert t.errors == [], f"{name} at {viewport}: {t.errors}"
            # And the page fits the width, has one h1, speaks Chinese, and has no error state
            overflow = t.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} at {viewport} overflows by {overflow}px"
            assert t.page.locator("h1").count() == 1, name
            assert t.page.evaluate("document.documentElement.lang") == "zh-CN"
            assert t.page.locator(".state.error").count() == 0, t.page.locator(".state.error").all_inner_texts()
            # And axe-core finds no serious or critical violation
            bad = _axe(t.page)
            assert bad == [], f"{name} at {viewport}: {bad}"
        finally:
            if not user:
                t.page.context.close()


def test_the_console_is_served_with_a_csp_that_refuses_inline_script(stack: Stack, tab: Tab) -> None:
    base = str(stack.console).split("#", 1)[0]
    with requests.get(base, timeout=10) as response:
        csp = response.headers["Content-Security-Policy"]
        html = response.text
    # Given the console as the CloudFront stand-in serves it: a CSP without 'unsafe-inline'
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert stack.api in csp  # the API is the only other origin it may call
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and not re.search(r"\son[a-z]+=", html) and " style=" not in html
    assert json.dumps(stack.api)[1:-1] in requests.get(base.rsplit("/", 1)[0] + "/config.js", timeout=10).text
    # When someone slips an inline script into the page, then Chromium refuses it and the console still works
    sign_in(tab, stack, "demo-handler")
    try:
        tab.page.add_script_tag(content="window.__inlineRan = true;")
    except Error as refused:  # Playwright reports the refusal itself
        assert "Content Security Policy" in refused.message
    assert tab.page.evaluate("window.__inlineRan === undefined")
    assert any("Content Security Policy" in e for e in tab.errors)
