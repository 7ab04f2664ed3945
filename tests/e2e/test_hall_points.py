"""办理地点 · 就近办理 in the hall (基层延伸, docs/CONTRACT.md §11), in Chromium against the running stack
with the demo city: on an item's guide the citizen sees the 便民服务中心 and 代办点 that take the item;
sharing the browser's position sorts them nearest first with their distance; without a position
(refused) the citizen chooses a township instead. Clean, accessible (axe), phone width, photographed to
``build/screenshots/points-<desktop|phone>.png``.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from devstack.demo.points import SERVICE_POINTS
from tests.e2e import test_hall as hall

pytestmark = pytest.mark.e2e

DEPT = "036"  # 丰县人力资源和社会保障局: its items are taken at 丰县's centres and 王庄村's 代办点
WANGZHUANG = (34.9452, 116.6385)  # standing in 欢口镇王庄村


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=hall.CHROMIUM, args=hall.CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def item(stack: Any) -> str:
    """One of 丰县人社's items a citizen applies for (not a penalty or coercion)."""
    status, body = hall.http_json("GET", f"{stack.api}/catalog/items?dept_code={DEPT}&limit=100")
    assert status == 200, body
    codes = [i["code"] for i in body["items"] if i["category"] not in ("CF", "QZ")]
    assert codes, "the demo city should publish an applicable item of 丰县人社"
    return str(codes[0])


def expected_order(at: tuple[float, float]) -> list[str]:
    """The names of the points taking 036's items, nearest first (an independent haversine)."""
    def km(p: dict[str, Any]) -> float:
        lat1, lon1, lat2, lon2 = map(math.radians, (*at, p["location"]["lat"], p["location"]["lon"]))
        a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(a))

    return [p["name"] for p in sorted((p for p in SERVICE_POINTS if DEPT in p["dept_codes"]), key=km)]


def _tab(browser: Browser, viewport: str, *, located: bool) -> hall.Tab:
    context = browser.new_context(viewport=hall.VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai",
                                  **({"geolocation": {"latitude": WANGZHUANG[0], "longitude": WANGZHUANG[1]},
                                      "permissions": ["geolocation"]} if located else {}))
    page = context.new_page()
    tab = hall.Tab(page)
    page.on("console", lambda m: tab.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(f"uncaught: {e.message}"))
    return tab


def _names(page: Page) -> list[str]:
    return [n.split(". ", 1)[-1].rsplit(" ", 1)[0].strip() for n in page.locator("#points-list .point-name").all_inner_texts()]


def _open(tab: hall.Tab, stack: Any, item: str) -> Page:
    hall.open_route(tab, stack, f"item/{item}")
    tab.page.wait_for_selector('#points-list[data-loaded="none"]', timeout=hall.READY_TIMEOUT_MS)
    return tab.page


def test_sharing_a_position_lists_the_points_nearest_first_with_distances(stack: Any, browser: Browser, item: str) -> None:
    tab = _tab(browser, "desktop", located=True)
    try:
        page = _open(tab, stack, item)
        section = page.get_by_role("region", name="办理地点 · 就近办理")
        expect(section).to_be_visible()
        # When the citizen asks to use their location (granted: standing in 王庄村)
        page.get_by_role("button", name="使用我的位置").click()
        page.wait_for_selector('#points-list[data-loaded="position"]')
        # Then the village's 代办点 comes first, then 欢口's centre, then the farther ones, each with its distance
        names = _names(page)
        assert names == expected_order(WANGZHUANG)
        assert names[0] == "欢口镇王庄村代办点" and names[1] == "丰县欢口镇便民服务中心"
        distances = page.locator("#points-list .point-distance").all_inner_texts()
        assert distances[0].startswith("距离：约") and distances[0].endswith("米")
        assert all(d.endswith("公里") for d in distances[1:])
        km = [float(d.removeprefix("距离：约 ").removesuffix(" 公里")) for d in distances[1:]]
        assert km == sorted(km) and km[-1] > 20
        expect(page.locator("#points-status")).to_contain_text("已按距离由近及远排列")
        # And each point says where it is, when it is open and how to call it
        first = page.locator("#points-list li").first
        expect(first).to_contain_text("王庄村党群服务中心")
        expect(first).to_contain_text("周一至周六")
        expect(first.get_by_role("link", name="0516-89531018")).to_have_attribute("href", "tel:051689531018")
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_a_citizen_applies_online_to_hand_in_the_materials_at_the_nearest_point(
        stack: Any, browser: Browser, item: str) -> None:
    tab = _tab(browser, "desktop", located=True)
    try:
        page = _open(tab, stack, item)
        page.get_by_role("button", name="使用我的位置").click()
        page.wait_for_selector('#points-list[data-loaded="position"]')
        # When the citizen follows the nearest point's link to apply
        page.get_by_role("link", name="在线申办，到欢口镇王庄村代办点递交材料").click()
        page.wait_for_selector('main[data-ready="apply"]')
        # Then the form has that point chosen as where the paper materials go, and the receipt says so
        expect(page.get_by_label("递交纸质材料的地点（选填）")).to_have_value("FX-HK-WZ")
        hall._submit_application(page)
        expect(page.locator("#apply-point-note")).to_contain_text("请携带纸质材料到欢口镇王庄村代办点")
        case_no = page.inner_text("#receipt-case-no").strip()
        password = page.inner_text("#receipt-password").strip()
        # And the progress query shows the point by its public name
        hall.open_route(tab, stack, f"query?case_no={case_no}")
        page.get_by_label("查询密码").fill(password)
        page.get_by_role("button", name="查询", exact=True).click()
        page.wait_for_selector("#case-result", timeout=hall.READY_TIMEOUT_MS)
        expect(page.locator("#case-point")).to_have_text("欢口镇王庄村代办点（代办点）")
        # And the department sees the case was taken online for that point
        status, created = hall.http_json("POST", f"{stack.api}/admin/users", {
            "username": f"e2e-points-{case_no[-6:]}", "roles": ["handler"], "dept_code": DEPT}, stack.admin_token)
        assert status == 201, created
        status, case = hall.http_json("GET", f"{stack.api}/staff/cases/{case_no}", token=created["token"])
        assert status == 200 and (case["channel"], case["service_point"]) == ("online", "FX-HK-WZ"), case
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_without_a_position_the_citizen_chooses_a_township(stack: Any, browser: Browser, item: str) -> None:
    tab = _tab(browser, "desktop", located=False)
    try:
        page = _open(tab, stack, item)
        # Given the position is refused: the page says so and offers the township list
        page.get_by_role("button", name="使用我的位置").click()
        expect(page.locator("#points-status")).to_contain_text("请选择所在镇（街道）", timeout=15_000)
        # When 丰县's 凤城街道 is chosen
        page.get_by_label("或选择所在镇（街道）").select_option(label="凤城街道")
        page.wait_for_selector('#points-list[data-loaded="township"]')
        # Then its centre comes first, at no distance, and 欢口's farther ones follow
        names = _names(page)
        assert names[0] == "丰县凤城街道便民服务中心" and set(names) == set(expected_order(WANGZHUANG))
        expect(page.locator("#points-list .point-distance").first).to_have_text("距离：约 0 米")
        assert tab.errors == []
    finally:
        tab.page.context.close()


@pytest.mark.parametrize("viewport", list(hall.VIEWPORTS))
def test_the_list_is_accessible_fits_the_screen_and_is_photographed(
        stack: Any, browser: Browser, item: str, viewport: str) -> None:
    hall.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = _tab(browser, viewport, located=True)
    try:
        page = _open(tab, stack, item)
        page.get_by_role("button", name="使用我的位置").click()
        page.wait_for_selector('#points-list[data-loaded="position"]')
        page.locator("#points").scroll_into_view_if_needed()
        page.locator("#points").screenshot(path=str(hall.SCREENSHOTS / f"points-{viewport}.png"))
        assert tab.errors == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"overflows by {overflow}px"
        results = Axe().run(page)
        bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
               for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert bad == []
    finally:
        tab.page.context.close()
