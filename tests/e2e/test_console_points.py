"""基层延伸 in the staff console (docs/CONTRACT.md §11), in Chromium against the running stack with the
demo city: the supervision bureau reads statistics per service point (网点统计), a county narrows them to
its points, and a department's handler sees on a case which point took the application.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.e2e import test_console as console

pytestmark = pytest.mark.e2e

DEPT = "036"  # 丰县人社: its cases are taken at 丰县's centres and 王庄村's 代办点


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=console.CHROMIUM, args=console.CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def test_the_bureau_reads_statistics_per_point_and_narrows_to_a_county(stack: Any, browser: Browser) -> None:
    token = console.login(stack, "demo-supervisor")
    # Given the demo year's figures per point, as the API answers them
    year = str(datetime.now(ZoneInfo("Asia/Shanghai")).year)
    stats = console.api(stack, "GET", "/staff/service-points/stats", token, period=year).json()
    busiest = max(stats["items"], key=lambda x: x["taken"])
    assert busiest["taken"] > 0, "the demo city should have cases taken at its points"
    tab = console.new_tab(browser, stack)
    try:
        console.sign_in(tab, stack, "demo-supervisor")
        # When the supervisor opens 网点统计 for the year
        console.open_page(tab, stack, f"points?period={year}")
        page = tab.page
        expect(page.locator("h1")).to_have_text("网点统计")
        # Then every point is a row, with what it took, concluded, on time and late
        row = page.locator(f'tr[data-point="{busiest["code"]}"]')
        expect(row).to_contain_text(busiest["name"])
        expect(row.locator('[data-label="收件"]')).to_have_text(str(busiest["taken"]))
        expect(row.locator('[data-label="逾期"]')).to_have_text(str(busiest["late"]))
        expect(page.locator("#points-late")).to_have_text(str(stats["totals"]["late"]))
        # And choosing 丰县 keeps 丰县's points only
        page.get_by_label("县（市、区）").select_option(label="丰县")
        page.wait_for_url("**region=320321**")
        console.ready(page, "points")
        areas = page.locator('td[data-label="所在地"]').all_inner_texts()
        assert areas and all(a.startswith("丰县") for a in areas), areas
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_the_handler_sees_which_point_took_an_application(stack: Any, browser: Browser) -> None:
    # Given a citizen's application for one of 丰县人社's items, taken at 欢口's 便民服务中心
    items = console.api(stack, "GET", "/catalog/items", dept_code=DEPT, limit=100).json()["items"]
    code = next(i["code"] for i in items if i["category"] not in ("CF", "QZ"))
    r = console.api(stack, "POST", "/applications", body={"item_code": code, "service_point": "FX-HK",
                                                          "applicant": {"type": "person", "name": "赵六"}})
    assert r.status_code == 201, r.text
    case_no = r.json()["case_no"]
    username, password = console.new_user(stack, ["handler"], DEPT)
    tab = console.new_tab(browser, stack)
    try:
        console.sign_in(tab, stack, username, password)
        # When the department's handler opens the case
        console.open_page(tab, stack, f"case/{case_no}")
        # Then the intake channel and the point are shown
        expect(tab.page.locator("#case-point")).to_have_text("丰县欢口镇便民服务中心（便民服务中心 · 欢口镇）")
        expect(tab.page.locator("dl.kv").first).to_contain_text("网上申办")
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_the_administrator_registers_a_village_point_and_stops_it(stack: Any, browser: Browser) -> None:
    code = f"SN-E2E-{secrets.token_hex(2).upper()}"
    tab = console.new_tab(browser, stack)
    try:
        console.sign_in(tab, stack, "demo-admin")
        console.open_page(tab, stack, "service-points")
        page = tab.page
        form = page.locator("#point-form")
        # Given a 代办点 entered without its village: the API's refusal is shown beside that field
        form.get_by_label("网点编码").fill(code)
        form.get_by_label("类型").select_option("agency")
        form.get_by_label("网点名称").fill("双沟镇测试村代办点")
        form.get_by_label("所在县（市、区）代码").fill("320324")
        form.get_by_label("县（市、区）名称").fill("睢宁县")
        form.get_by_label("镇（街道）", exact=False).first.fill("双沟镇")
        form.get_by_label("地址").fill("测试村村委会")
        form.get_by_label("纬度").fill("33.8300")
        form.get_by_label("经度").fill("117.7900")
        form.get_by_label("代办部门代码").fill("034")
        form.get_by_role("button", name="登记网点").click()
        expect(form.locator('[data-field-wrap="village"] .field-error')).to_contain_text("代办点应注明所在村")
        # When the village is added, the point is registered and listed
        form.get_by_label("村（社区）（代办点必填）").fill("测试村")
        console.submit(page, form.get_by_role("button", name="登记网点"), "service-points")
        expect(page.locator(f'tr[data-point="{code}"]')).to_contain_text("受理中")
        near = console.api(stack, "GET", "/service-points", region_code="320324").json()["items"]
        assert code in {p["code"] for p in near}
        # And once stopped with a reason it leaves the hall's list, its reason on the register
        stop = page.locator("#point-deactivate")
        stop.get_by_label("网点").select_option(code)
        stop.get_by_label("停用原因").fill("村代办点撤并")
        console.submit(page, stop.get_by_role("button", name="停止受理"), "service-points")
        expect(page.locator(f'tr[data-point="{code}"]')).to_contain_text("村代办点撤并")
        near = console.api(stack, "GET", "/service-points", region_code="320324").json()["items"]
        assert code not in {p["code"] for p in near}
        assert tab.errors == []
    finally:
        tab.page.context.close()
