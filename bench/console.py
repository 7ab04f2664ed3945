"""The staff console in Chromium: what the shell costs before any data, and how fast a big
worklist renders.

* ``console_shell``: bytes transferred (headers and bodies, as Chromium counts them) for everything
  the console loads from its bucket — the sign-in page, and a signed-in page (the board) without its
  API answers — against the issue's budget of 100 KB. The local edge serves the files uncompressed;
  what CloudFront would send (gzip) is reported beside it.
* ``worklist_500``: the median time to build the worklist table of 500 tasks and lay it out, in
  the page's own modules, against the issue's budget of 300 ms; a plain ``createElement`` table of
  the same rows and the same text is measured beside it as the floor of what any DOM code pays.
"""
from __future__ import annotations

import statistics
from typing import Any
from urllib.parse import urlsplit

from .result import Result

SHELL_BUDGET_KB = 100.0
RENDER_BUDGET_MS = 300.0
RUNS = 9
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

RENDER = """async ([n, runs]) => {
  const m = await import(new URL('js/pages/worklist.js', document.baseURI).href);
  const colours = ['red', 'yellow', 'green'];
  const items = Array.from({length: n}, (_, i) => ({
    case_no: `3203000242026W${String(1000000 + i)}`, item_code: '320300024XK00100', item_name: '娱乐场所经营许可证核发',
    kind: i % 3 ? 'step' : 'accept', kind_name: '审批环节', role: 'handler', step: {code: '2', name: '审核', limit_days: 4},
    started_at: '2026-12-01T02:00:00+00:00', due_at: '2026-12-07', due_rule: 'limit', remaining_working_days: (i % 9) - 3,
    colour: colours[i % 3], task_id: `t${i}`}));
  const main = document.querySelector('main');
  const timings = [], floors = [];
  for (let r = 0; r < runs; r += 1) {
    main.replaceChildren();
    let t0 = performance.now();
    main.append(m.worklistTable(items, 'mine'));
    void main.offsetHeight;
    timings.push(performance.now() - t0);
    main.replaceChildren();
    t0 = performance.now();
    const table = document.createElement('table');
    const body = document.createElement('tbody');
    for (const it of items) {
      const tr = document.createElement('tr');
      const cells = ['红牌', `${it.case_no} ${it.item_name}`, `${it.kind_name}：${it.step.name}`,
        `剩余 ${it.remaining_working_days} 个工作日`,
        `${it.due_at} 本环节时限 4 个工作日，自 2026-12-01 起算（当日不计），到期 ${it.due_at}（周一）`, '2026-12-01 10:00'];
      for (const v of cells) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    main.append(table);
    void main.offsetHeight;
    floors.push(performance.now() - t0);
  }
  return {timings, floors};
}"""


def _entries(page: Any, console_origin: str) -> list[tuple[str, int]]:
    """(URL, bytes transferred) of everything the page loaded from the console's origin."""
    return [(str(name), int(size)) for name, size in page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => [e.name, e.transferSize || (e.encodedBodySize + 300)])") if str(name).startswith(console_origin)]


def _transferred(page: Any, console_origin: str) -> int:
    return sum(size for _, size in _entries(page, console_origin))


def _gzipped(urls: list[str]) -> int:
    """The same files gzip-compressed (level 6), as CloudFront serves them (``Compress: true``); the
    local edge serves them as stored, so the main figure is the larger, uncompressed one."""
    import gzip

    import requests

    return sum(len(gzip.compress(requests.get(url.split("#", 1)[0], timeout=30).content, 6)) for url in urls)


def run(stack: Any, runs: int = RUNS) -> list[Result]:
    import requests
    from playwright.sync_api import sync_playwright

    console = str(stack.console_url)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(console))
    password = "Kx7!Perf-Shell-2026"
    r = requests.post(f"{stack.api_url}/admin/users", headers={"Authorization": f"Bearer {stack.admin_token}"},
                      json={"username": "bench-console", "roles": ["supervisor"], "password": password}, timeout=30)
    if r.status_code not in (201, 409):
        raise RuntimeError(f"cannot create the benchmark user: {r.status_code} {r.text}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{console}#/login")
            page.wait_for_selector('main[data-ready="login"]')
            signin_bytes = _transferred(page, origin)
            page.fill("input[name=username]", "bench-console")
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_selector('main[data-ready="board"]', timeout=30_000)
            cdp = context.new_cdp_session(page)  # a first visit: nothing from the cache
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            page.reload()
            page.wait_for_selector('main[data-ready="board"]', timeout=30_000)
            page_bytes = _transferred(page, origin)
            page_gzip = _gzipped([url for url, _ in _entries(page, origin)])
            got = page.evaluate(RENDER, [500, runs])
        finally:
            browser.close()
    shell_kb = max(signin_bytes, page_bytes) / 1024
    render_ms = statistics.median(got["timings"])
    floor_ms = statistics.median(got["floors"])
    return [
        Result("console_shell", shell_kb, SHELL_BUDGET_KB, "KB", shell_kb / SHELL_BUDGET_KB, 1.0,
               "bytes from the console's bucket for the sign-in page or a signed-in page, before any API data",
               "the issue's budget (100 KB)",
               {"signin_page_kb": round(signin_bytes / 1024, 1), "signed_in_page_kb": round(page_bytes / 1024, 1),
                "signed_in_page_gzip_kb": round(page_gzip / 1024, 1)}),
        Result("worklist_500", render_ms, RENDER_BUDGET_MS, "ms", render_ms / RENDER_BUDGET_MS, 1.0,
               f"median of {runs}: the console's worklist table of 500 tasks built and laid out in Chromium",
               "the issue's budget (300 ms)",
               {"samples_ms": [round(x, 1) for x in got["timings"]], "plain_dom_floor_ms": round(floor_ms, 1),
                "ratio_to_plain_dom": round(render_ms / floor_ms, 2) if floor_ms else None}),
    ]
