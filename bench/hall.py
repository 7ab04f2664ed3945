"""The hall with the city-size catalog (issue 20), measured in Chromium (Debian's, as the e2e tests):

* **first load**: bytes transferred (response headers plus encoded bodies, as the browser counts
  them) by a browser with an empty cache opening the hall, until the page is ready and the network
  idle — the home page, and the catalog page (which loads every department's shard) opened
  directly; the larger is the figure. Target ≤ 150 KB.
* **search**: on the catalog page, each keystroke of a set of queries (Chinese words, pinyin
  initials, code fragments) is timed in the page from the keystroke's input event to the frame
  after the result list changed; the figure is the p95 over keystrokes. Target ≤ 50 ms. The same
  is measured with the CPU throttled 4x (a mid-range phone) for information.

The catalog is the city-size data set's (3,040 items, 40 departments), published the way the
platform publishes (manifest, shards, pinyin table, all gzip-encoded) and served from the hall
bucket by the local S3.
"""
from __future__ import annotations

import statistics
from typing import Any

from .result import Result, percentile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
FIRST_LOAD_TARGET_KB = 150.0
SEARCH_TARGET_MS = 50.0
QUERIES = ("小餐饮", "许可", "xcy", "食品经营", "320300-041", "对未经许可", "dlhy", "yljg", "环境影响评价", "备案",
           "营业执照", "建设工程", "jzgc", "道路运输", "医疗机构", "排污", "320382", "行政处罚", "社会团体", "pwxk")

INSTRUMENT = """() => {
  const field = document.getElementById("catalog-q");
  window.__lat = [];
  let typedAt = null;
  field.addEventListener("input", (e) => { typedAt = e.timeStamp; }, true);
  new MutationObserver(() => {
    if (typedAt === null) return;
    const t0 = typedAt;
    typedAt = null;
    requestAnimationFrame(() => window.__lat.push(performance.now() - t0));
  }).observe(document.getElementById("catalog-results"), { childList: true, subtree: true, characterData: true });
}"""


def _first_load(browser: Any, url: str, page_name: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    seen: list[Any] = []
    page.on("requestfinished", lambda request: seen.append(request))
    page.goto(url)
    page.wait_for_selector(f'main[data-ready="{page_name}"]', timeout=60_000)
    page.wait_for_load_state("networkidle")
    files = []
    for request in seen:
        sizes = request.sizes()
        response = request.response()
        files.append({"url": request.url.split("/", 4)[-1],
                      "bytes": sizes["responseHeadersSize"] + sizes["responseBodySize"],
                      "encoding": (response.headers.get("content-encoding") if response else None)})
    context.close()
    return {"requests": len(files), "bytes": sum(f["bytes"] for f in files),
            "not_compressed": [f["url"] for f in files if f["encoding"] != "gzip"],
            "largest": sorted(files, key=lambda f: -f["bytes"])[:5]}


def _search(browser: Any, url: str, throttle: float = 1.0) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    if throttle != 1.0:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url)
    page.wait_for_selector('main[data-ready="catalog"]', timeout=120_000)
    page.evaluate(INSTRUMENT)
    field = page.locator("#catalog-q")
    samples: list[float] = []
    for query in QUERIES:
        field.fill("")
        page.wait_for_timeout(100)
        page.evaluate("window.__lat = []")
        field.click()
        page.keyboard.type(query, delay=80)
        page.wait_for_timeout(150)
        samples += page.evaluate("window.__lat")
    context.close()
    return samples


def run(stack: Any, catalog_info: dict[str, Any]) -> list[Result]:
    from playwright.sync_api import sync_playwright

    base = stack.hall_url.split("#", 1)[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            home = _first_load(browser, f"{base}#/", "home")
            catalog = _first_load(browser, f"{base}#/catalog", "catalog")
            search = _search(browser, f"{base}#/catalog")
            slow = _search(browser, f"{base}#/catalog", throttle=4.0)
        finally:
            browser.close()
    first = max(home["bytes"], catalog["bytes"]) / 1024
    p95 = percentile(search, 95)
    common = {"catalog": catalog_info}
    return [
        Result.absolute("hall first load", first, "KB", FIRST_LOAD_TARGET_KB,
                        what=(f"empty cache, city catalog ({catalog_info.get('items')} items): home "
                              f"{home['bytes'] / 1024:.1f} KB in {home['requests']} requests, catalog page "
                              f"{catalog['bytes'] / 1024:.1f} KB in {catalog['requests']} requests"),
                        details={**common, "home": home, "catalog_page": catalog}),
        Result.absolute("hall search p95", p95, "ms", SEARCH_TARGET_MS,
                        what=f"keystroke → results painted, {len(search)} keystrokes over {len(QUERIES)} queries",
                        details={"samples_ms": [round(x, 1) for x in search], "median_ms": round(statistics.median(search), 1),
                                 "max_ms": round(max(search), 1),
                                 "cpu_4x_throttled": {"p95_ms": round(percentile(slow, 95), 1),
                                                      "median_ms": round(statistics.median(slow), 1),
                                                      "max_ms": round(max(slow), 1)}}),
    ]
