"""The API docs page (接口文档, ``hall/apidocs/``): Swagger UI vendored from npm, served with the hall
under the hall's Content-Security-Policy, over the live ``/openapi.json``, reached from the hall's
footer. Screenshots: ``build/screenshots/apidocs-<desktop|phone>.png``."""
from __future__ import annotations

import urllib.parse
import urllib.request

import requests
from playwright.sync_api import Browser, Request

from .test_hall import READY_TIMEOUT_MS, SCREENSHOTS, VIEWPORTS, Stack, Tab, _new_tab, browser, open_route  # noqa: F401

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _docs_url(stack: Stack) -> str:
    return urllib.parse.urljoin(str(stack.hall).split("#", 1)[0], "apidocs/")


def _operations(stack: Stack) -> int:
    doc = requests.get(f"{stack.api}/openapi.json", timeout=30).json()
    return sum(len(methods) for methods in doc["paths"].values())


def _watch_requests(tab: Tab) -> list[str]:
    """Every address the page asks for (nothing may leave the machine: no CDN, no validator badge)."""
    seen: list[str] = []

    def on_request(request: Request) -> None:
        seen.append(request.url)

    tab.page.on("request", on_request)
    return seen


def test_the_footer_links_to_the_api_docs_which_render_every_operation_under_the_csp(
        stack: Stack, browser: Browser) -> None:  # noqa: F811
    # Given the docs page as the hall's edge serves it: with the hall's CSP (no inline script or style)
    with urllib.request.urlopen(_docs_url(stack), timeout=10) as response:
        csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp
    tab = _new_tab(browser, "desktop")
    try:
        seen = _watch_requests(tab)
        # When a citizen follows the hall footer's link
        open_route(tab, stack, "")
        tab.page.locator("footer a[href='apidocs/']").click()
        tab.page.wait_for_selector('main[data-ready="apidocs"]', timeout=READY_TIMEOUT_MS)
        # Then every operation of the live document is listed, by tag, and the count is said in Chinese
        expected = _operations(stack)
        status = tab.page.locator("#docs-status").inner_text()
        assert f"共 {expected} 个接口" in status
        tab.page.locator(".opblock-tag", has_text="exchange").first.click()
        exchange = tab.page.locator(".opblock-post", has_text="/exchange/events").first
        exchange.locator(".opblock-summary").click()
        # And the exchange body is a typed schema (not {}) and its answer lists typed results
        exchange.locator("button[data-name='model']").first.click()  # the request body's "Schema" tab
        exchange.locator(".json-schema-2020-12__title", has_text="ExchangeBatch").first.wait_for(
            timeout=READY_TIMEOUT_MS)
        answer = exchange.locator(".responses-wrapper .response").first.inner_text()
        assert '"results"' in answer and '"event_id"' in answer and '"status"' in answer, answer
        # And nothing failed or was refused by the CSP, and no request left the machine
        assert tab.errors == [], tab.errors
        outside = [u for u in seen if urllib.parse.urlsplit(u).hostname not in LOCAL_HOSTS
                   and not u.startswith("data:")]
        assert outside == [], outside
    finally:
        tab.page.context.close()


def test_the_api_docs_page_is_photographed_at_both_widths_without_overflow(
        stack: Stack, browser: Browser) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in VIEWPORTS:
        tab = _new_tab(browser, viewport)
        try:
            tab.page.goto(_docs_url(stack))
            tab.page.wait_for_selector('main[data-ready="apidocs"]', timeout=READY_TIMEOUT_MS)
            tab.page.locator(".opblock-tag", has_text="public").first.click()
            tab.page.screenshot(path=str(SCREENSHOTS / f"apidocs-{viewport}.png"), full_page=False)
            assert tab.errors == [], f"{viewport}: {tab.errors}"
            assert tab.page.locator("h1:visible").count() == 1
            assert tab.page.evaluate("document.documentElement.lang") == "zh-CN"
            overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"apidocs at {viewport} overflows by {overflow}px"
        finally:
            tab.page.context.close()
