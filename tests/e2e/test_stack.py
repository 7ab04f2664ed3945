"""The README's `make run`: the stack starts, answers, serves the hall, has the demo city."""
from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_health_answers_ok_once_ready(stack) -> None:  # type: ignore[no-untyped-def]
    r = requests.get(f"{stack.api}/health", timeout=10)
    assert r.status_code == 200
    body = r.json()
    if body["status"] == "degraded":  # a year the bundled calendar does not know and nobody has saved yet
        year = _this_year()
        assert [reason for reason in body["reasons"] if year in reason and "节假日" in reason] == body["reasons"]
    else:
        assert body == {"status": "ok"}


def test_hall_is_served_from_its_bucket_with_config(stack) -> None:  # type: ignore[no-untyped-def]
    page = requests.get(stack.hall, timeout=10)
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text
    config = requests.get(stack.hall.rsplit("/", 1)[0] + "/config.js", timeout=10)
    assert stack.api in config.text


def test_the_hall_and_its_catalog_are_served_gzip_encoded_with_cache_lifetimes(stack) -> None:  # type: ignore[no-untyped-def]
    root = stack.hall.rsplit("/", 1)[0]
    page = requests.get(stack.hall, timeout=10)
    script = requests.get(f"{root}/js/app.js", timeout=10)
    manifest = requests.get(f"{root}/catalog/manifest.json", timeout=10)
    shard = requests.get(f"{root}/catalog/{manifest.json()['shards'][0]['path']}", timeout=10)
    # The router and page shell both sites run comes from shared/, uploaded into each bucket like the rest
    shells = [requests.get(f"{site.rsplit('/', 1)[0]}/shared/shell.js", timeout=10) for site in (stack.hall, stack.console)]
    for response in (page, script, manifest, shard, *shells):
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"
    for asset in (script, *shells):
        assert asset.headers["Cache-Control"] == "public, max-age=300"
        assert asset.headers["Content-Type"].startswith("application/javascript")
    assert shells[0].content == shells[1].content and b"export function startShell" in shells[0].content
    assert shard.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # A returning browser revalidates the page and gets "not modified"
    again = requests.get(stack.hall, headers={"If-None-Match": page.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_demo_city_is_loaded(stack) -> None:  # type: ignore[no-untyped-def]
    items = requests.get(f"{stack.api}/catalog/items", params={"limit": 500}, timeout=30).json()["items"]
    assert len(items) >= 80
    assert {i["category"] for i in items} >= {"XK", "CF", "ZS", "QZ", "SP", "GF", "JL", "QR", "ZY", "CJ", "QT", "FW"}
    found = requests.get(f"{stack.api}/catalog/items", params={"q": "小餐饮"}, timeout=30).json()["items"]
    assert any("小餐饮经营许可证核发" in i["name"] for i in found)
    stats = requests.get(f"{stack.api}/stats/departments", params={"period": _this_year()}, timeout=30).json()
    assert sum(row["received"] for row in stats["items"]) > 50


def test_openapi_lists_the_contract(stack) -> None:  # type: ignore[no-untyped-def]
    doc = requests.get(f"{stack.api}/openapi.json", timeout=10).json()
    for path in ("/exchange/events", "/cases/{case_no}", "/catalog/items", "/supervision/sweep",
                 "/stats/departments", "/legal/findings", "/admin/departments", "/calendar/deadline"):
        assert path in doc["paths"], path


def test_demo_staff_sign_in_with_the_printed_demo_password(stack) -> None:  # type: ignore[no-untyped-def]
    # Given the password `make run` printed (none was set)
    assert stack.demo_password, "make run did not print DEMO PASSWORD"

    def login(username: str) -> dict:  # type: ignore[type-arg]
        r = requests.post(f"{stack.api}/auth/login", json={"username": username, "password": stack.demo_password},
                          timeout=30)
        assert r.status_code == 200, (username, r.text)
        return dict(r.json())

    # When each demo account signs in, then it holds its role, without a second factor
    handler, head = login("demo-handler"), login("demo-head")
    assert handler["roles"] == ["handler"] and head["roles"] == ["dept_head"]
    assert handler["dept_code"] == head["dept_code"] is not None
    supervisor, legal, admin = login("demo-supervisor"), login("demo-legal"), login("demo-admin")
    assert (supervisor["roles"], legal["roles"], admin["roles"]) == (["supervisor"], ["legal"], ["admin"])
    # And the department of the handler and the head has open cases to work on
    def get(path: str, token: str, **params: str) -> requests.Response:
        return requests.get(f"{stack.api}{path}", headers={"Authorization": f"Bearer {token}"}, params=params,
                            timeout=30)

    from tests.e2e.conftest import wait_for

    worklist = wait_for(lambda: get("/worklist", handler["access_token"]).json().get("items"), 60)
    assert worklist, "demo-handler has nothing in the worklist"
    signals = get("/supervision/signals", head["access_token"]).json()["items"]
    assert signals and {s["dept_code"] for s in signals} == {head["dept_code"]}
    assert get("/legal/findings", legal["access_token"]).status_code == 200
    listed = {u["username"] for u in get("/admin/users", admin["access_token"], limit="500").json()["items"]}
    assert {"demo-handler", "demo-head", "demo-supervisor", "demo-legal", "demo-admin"} <= listed
    # The administrator does no business
    assert get("/staff/cases/anything", admin["access_token"]).status_code == 403
    # The two levels (两级): the city's and each county's own supervision bureau, region-scoped
    departments = {d["code"]: d for d in requests.get(f"{stack.api}/departments", timeout=30).json()["items"]}
    counties = sorted({d["region_code"] for d in departments.values() if d["region_code"] != "320300"})
    assert len(counties) >= 3, counties
    city = login("demo-supervisor-320300")
    assert city["roles"] == ["supervisor"] and login("demo-legal-320300")["roles"] == ["legal"]
    def ids(token: str, code: str) -> set[str] | int:
        r = get("/supervision/signals", token, dept_code=code, limit="500")
        return {x["signal_id"] for x in r.json()["items"]} if r.status_code == 200 else r.status_code

    county_signals = 0
    for region in counties:
        county = login(f"demo-supervisor-{region}")
        assert login(f"demo-legal-{region}")["roles"] == ["legal"]
        seen = {s["dept_code"] for s in get("/supervision/signals", county["access_token"], limit="500").json()["items"]}
        assert {departments[d]["region_code"] for d in seen} <= {region}, (region, seen)
        for code, dept in departments.items():
            if dept["region_code"] == region:  # its own department: what the platform's bureau sees, and the city's
                everything = ids(supervisor["access_token"], code)
                assert isinstance(everything, set), (region, code)
                county_signals += len(everything)
                assert everything <= ids(county["access_token"], code)  # type: ignore[operator]
                assert everything <= ids(city["access_token"], code)  # type: ignore[operator]
            else:  # any other department: refused
                assert ids(county["access_token"], code) == 403
    assert county_signals, "the demo counties have no signals to show"


def _this_year() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return str(datetime.now(ZoneInfo("Asia/Shanghai")).year)
