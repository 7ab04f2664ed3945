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


def _this_year() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return str(datetime.now(ZoneInfo("Asia/Shanghai")).year)
