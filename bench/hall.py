"""The hall with the city-size catalog (issue 20), measured in Chromium (Debian's, as the e2e tests):

* **first load**: bytes transferred (response headers plus encoded bodies, as the browser counts
  them) by a browser with an empty cache opening the hall, until the page is ready and the network
  idle — the home page, and the catalog page (which loads every department's shard) opened
  directly; the larger is the figure. Target ≤ 150 KB.
* **search**: on the catalog page, each keystroke of a set of queries (Chinese words, pinyin
  initials, code fragments) is timed in the page from the keystroke's input event to the frame
  after the result list changed; the figure is the p95 over keystrokes (the median of three runs,
  so that a burst of other work on the shared machine does not decide it). Target ≤ 50 ms. The
  page's own work per keystroke (script, style, layout) is recorded beside it, and the same is
  measured with the CPU throttled 4x (a mid-range phone) for information.

The catalog is the city-size data set's (3,040 items, 40 departments), published the way the
platform publishes (manifest, shards, pinyin table, all gzip-encoded) and served from the hall
bucket by the local S3.
"""
from __future__ import annotations

import os
import statistics
from typing import Any

from .result import Result, percentile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
FIRST_LOAD_TARGET_KB = 150.0
SEARCH_TARGET_MS = 50.0
SEARCH_RUNS = 3
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


def _search(browser: Any, url: str, throttle: float = 1.0) -> tuple[list[float], dict[str, float]]:
    """Keystroke latencies (ms) over every query, and the page's own work per keystroke (ms of script,
    style and layout on its main thread, from Chromium's performance metrics)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if throttle != 1.0:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url)
    page.wait_for_selector('main[data-ready="catalog"]', timeout=120_000)
    page.evaluate(INSTRUMENT)
    field = page.locator("#catalog-q")

    def metrics() -> dict[str, float]:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

    samples: list[float] = []
    work = {"ScriptDuration": 0.0, "RecalcStyleDuration": 0.0, "LayoutDuration": 0.0}
    keystrokes = 0
    for query in QUERIES:
        field.fill("")
        page.wait_for_timeout(100)
        page.evaluate("window.__lat = []")
        field.click()
        before = metrics()
        page.keyboard.type(query, delay=80)
        page.wait_for_timeout(150)
        after = metrics()
        for k in work:
            work[k] += (after[k] - before[k]) * 1000
        keystrokes += len(query)
        samples += page.evaluate("window.__lat")
    context.close()
    return samples, {k.removesuffix("Duration").lower() + "_ms_per_keystroke": round(v / keystrokes, 2)
                     for k, v in work.items()}


def run(stack: Any, catalog_info: dict[str, Any]) -> list[Result]:
    from playwright.sync_api import sync_playwright

    base = stack.hall_url.split("#", 1)[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            home = _first_load(browser, f"{base}#/", "home")
            catalog = _first_load(browser, f"{base}#/catalog", "catalog")
            runs = [_search(browser, f"{base}#/catalog") for _ in range(SEARCH_RUNS)]
            slow, slow_work = _search(browser, f"{base}#/catalog", throttle=4.0)
        finally:
            browser.close()
    first = max(home["bytes"], catalog["bytes"]) / 1024
    p95s = sorted(percentile(samples, 95) for samples, _ in runs)
    p95 = p95s[len(p95s) // 2]  # the median run: one burst of the machine's other work does not decide it
    search = [x for samples, _ in runs for x in samples]
    common = {"catalog": catalog_info}
    return [
        Result.absolute("hall first load", first, "KB", FIRST_LOAD_TARGET_KB,
                        what=(f"empty cache, city catalog ({catalog_info.get('items')} items): home "
                              f"{home['bytes'] / 1024:.1f} KB in {home['requests']} requests, catalog page "
                              f"{catalog['bytes'] / 1024:.1f} KB in {catalog['requests']} requests"),
                        details={**common, "home": home, "catalog_page": catalog}),
        Result.absolute("hall search p95", p95, "ms", SEARCH_TARGET_MS,
                        what=(f"keystroke → the frame showing its results, p95 of {len(search) // SEARCH_RUNS} keystrokes "
                              f"over {len(QUERIES)} queries (median of {SEARCH_RUNS} runs)"),
                        details={"p95_ms_per_run": [round(x, 1) for x in p95s],
                                 "samples_ms": [round(x, 1) for x in search], "median_ms": round(statistics.median(search), 1),
                                 "max_ms": round(max(search), 1), "page_work": runs[0][1],
                                 "cpu_4x_throttled": {"p95_ms": round(percentile(slow, 95), 1),
                                                      "median_ms": round(statistics.median(slow), 1),
                                                      "max_ms": round(max(slow), 1), "page_work": slow_work},
                                 "load_average": [round(x, 2) for x in os.getloadavg()]}),
    ]
