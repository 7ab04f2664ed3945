"""Power catalog (行政权力库) through the HTTP API: declaration, legal confirmation, versions,
search, calendar overrides and publication to the hall bucket (docs/CONTRACT.md §3–4, issue 3).

Department codes 650–669 belong to this module.
"""
from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item, penalty_item

pytestmark = pytest.mark.integration


def fields_of(response: requests.Response) -> set[str]:
    """The field names a 4xx answer names in ``error.details``."""
    return {d["field"] for d in response.json()["error"]["details"]}


def deadline(api: Api, start: str, working_days: int) -> dict[str, Any]:
    r = api.call("GET", "/calendar/deadline", params={"from": start, "working_days": working_days})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def declare(api: Api, item: dict[str, Any], token: str | None = None) -> requests.Response:
    return api.post("/catalog/items", item, token=token or api.admin_token)


@pytest.fixture(scope="module")
def legal(api: Api) -> str:
    return api.user("cat-legal", ["legal"])


@pytest.fixture(scope="module")
def dept650(api: Api) -> DeptCreds:
    return api.department("650", "测试生态环境局650")


@pytest.fixture(scope="module")
def handler650(api: Api, dept650: DeptCreds) -> str:
    return api.user("cat-handler-650", ["handler"], "650")


@pytest.fixture(scope="module")
def handler651(api: Api) -> str:
    api.department("651", "测试市场监管局651")
    return api.user("cat-handler-651", ["handler"], "651")


# ----- declare → confirm → read ---------------------------------------------------------------

def test_declared_item_is_public_only_after_the_legal_office_confirms_it(
        api: Api, handler650: str, legal: str) -> None:
    # Given a handler of department 650 declares an item using the dashed display code
    item = license_item("650", "001", code="320300-650-XK-001-00")
    r = declare(api, item, handler650)
    # Then it is declared as version 1 and the plain code comes back
    assert r.status_code == 201, r.text
    assert r.json() == {"code": "320300650XK00100", "version": 1, "status": "declared"}
    # And the public cannot see an unconfirmed item
    assert api.get("/catalog/items/320300650XK00100").status_code == 404

    # When the legal office confirms it
    r = api.post("/catalog/items/320300650XK00100/versions/1/confirm", {"effective_from": "2010-01-01"},
                 token=legal)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmed"

    # Then both code forms read the same item, returned with the plain code
    for path_code in ("320300650XK00100", "320300-650-XK-001-00"):
        got = api.get(f"/catalog/items/{path_code}")
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["code"] == "320300650XK00100"
        assert body["display_code"] == "320300-650-XK-001-00"
        assert body["version"] == 1 and body["status"] == "confirmed"
        assert body["name"] == item["name"]
        assert body["promised_limit"] == {"value": 5, "unit": "working_day"}


def test_a_confirmed_version_is_immutable(api: Api, legal: str) -> None:
    # Given a confirmed version
    item = license_item("650", "002")
    version = api.declare_and_confirm(item, legal)
    base = f"/catalog/items/{item['code']}/versions/{version}"
    # When the legal office tries to confirm or reject it again
    again = api.post(f"{base}/confirm", {"effective_from": "2011-01-01"}, token=legal)
    rejected = api.post(f"{base}/reject", {"reason": "依据已修改"}, token=legal)
    # Then both are conflicts and the version in force is unchanged
    assert again.status_code == 409 and again.json()["error"]["code"]
    assert rejected.status_code == 409
    assert api.get(f"/catalog/items/{item['code']}").json()["effective_from"] == "2010-01-01"


def test_rejection_needs_a_reason_and_is_kept_in_the_history(api: Api, legal: str) -> None:
    # Given a declared item
    item = license_item("650", "003")
    assert declare(api, item).status_code == 201
    base = f"/catalog/items/{item['code']}/versions/1"
    # When the legal office rejects it without a reason
    r = api.post(f"{base}/reject", {}, token=legal)
    # Then it is told the reason is required
    assert r.status_code == 400
    assert "reason" in fields_of(r)
    # When it rejects with a reason
    r = api.post(f"{base}/reject", {"reason": "法律依据条款引用错误"}, token=legal)
    assert r.status_code == 200, r.text
    # Then the item is not in force, the history shows the rejection, and it cannot be confirmed later
    assert api.get(f"/catalog/items/{item['code']}").status_code == 404
    history = api.get(f"/catalog/items/{item['code']}/versions").json()["items"]
    assert [(v["version"], v["status"], v["rejected_reason"]) for v in history] == [
        (1, "rejected", "法律依据条款引用错误")]
    assert api.post(f"{base}/confirm", {"effective_from": "2010-01-01"}, token=legal).status_code == 409


def test_versions_answer_by_date_and_the_history_lists_them_all(api: Api, legal: str) -> None:
    # Given version 1 in force from 2010-01-01 and version 2 from 2012-07-01
    item = license_item("650", "004")
    api.declare_and_confirm(item, legal, "2010-01-01")
    v2 = license_item("650", "004", name="建设项目环境影响评价文件审批（报告表，2012 修订）",
                      promised_limit={"value": 3, "unit": "working_day"})
    assert api.declare_and_confirm(v2, legal, "2012-07-01") == 2
    code = item["code"]
    # When the public asks for dates either side of the change
    before = api.get(f"/catalog/items/{code}", at="2012-06-29").json()
    on_day = api.get(f"/catalog/items/{code}", at="2012-07-01").json()
    today = api.get(f"/catalog/items/{code}").json()
    # Then each date gets the version in force on it
    assert (before["version"], before["promised_limit"]["value"]) == (1, 5)
    assert (on_day["version"], on_day["promised_limit"]["value"]) == (2, 3)
    assert today["version"] == 2
    # And before anything was in force there is nothing
    assert api.get(f"/catalog/items/{code}", at="2009-12-31").status_code == 404
    # And the history lists every version with its effective date
    history = api.get(f"/catalog/items/{code}/versions").json()["items"]
    assert [(v["version"], v["status"], v["effective_from"]) for v in history] == [
        (1, "confirmed", "2010-01-01"), (2, "confirmed", "2012-07-01")]


def test_a_case_binds_to_the_version_in_force_on_its_acceptance_date(api: Api, legal: str,
                                                                      settle: Any) -> None:
    # Given department 652's item with v1 (5 working days) and v2 from 2012-07-01 (3 working days)
    dept = api.department("652")
    code = "320300652XK00100"
    api.declare_and_confirm(license_item("652", "001"), legal, "2010-01-01")
    revised = license_item("652", "001", name="小型项目审批（2012 修订）",
                           promised_limit={"value": 3, "unit": "working_day"})
    api.declare_and_confirm(revised, legal, "2012-07-01")
    before, after = "3203006522012000001", "3203006522012000002"
    # When one case is accepted before the change and one after
    r = api.post_events(dept, [
        event(before, code, "submitted", "2012-06-18T09:00:00+08:00"),
        event(before, code, "accepted", "2012-06-20T09:00:00+08:00", {"status": "accepted"}),
        event(after, code, "submitted", "2012-06-29T09:00:00+08:00"),
        event(after, code, "accepted", "2012-07-05T09:00:00+08:00", {"status": "accepted"}),
    ])
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text
    settle()
    # Then each case carries the version in force on its acceptance date, and that version's limit
    a = api.get(f"/staff/cases/{before}", token=api.reader).json()
    b = api.get(f"/staff/cases/{after}", token=api.reader).json()
    assert (a["item_version"], a["due_derivation"]["limit_value"]) == (1, 5)
    assert (b["item_version"], b["due_derivation"]["limit_value"]) == (2, 3)
    assert b["item_name"] == "小型项目审批（2012 修订）"


# ----- invalid declarations --------------------------------------------------------------------

@pytest.mark.parametrize(("change", "bad_fields"), [
    ({"code": "32030065XK00500"}, {"code"}),
    ({"code": "320300650XX00500"}, {"code"}),
    ({"promised_limit": {"value": 30, "unit": "working_day"}}, {"promised_limit"}),
    ({"fee": {"charged": True, "basis": "苏价费〔2010〕1号"}}, {"fee.amount"}),
    ({"statutory_limit": {"value": 20, "unit": "fortnight"}}, {"statutory_limit.unit"}),
    ({"dept_code": "651"}, {"dept_code"}),
], ids=["short-code", "unknown-category", "promised>statutory", "fee-without-amount", "bad-unit",
        "dept-mismatch"])
def test_an_invalid_licence_declaration_names_the_bad_field(
        api: Api, dept650: DeptCreds, change: dict[str, Any], bad_fields: set[str]) -> None:
    # Given an otherwise valid licence item with one thing wrong
    item = license_item("650", "005", **change)
    # When it is declared
    r = declare(api, item)
    # Then it is a 400 naming exactly that field
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"]
    assert fields_of(r) == bad_fields


def test_missing_required_fields_are_each_named(api: Api, dept650: DeptCreds) -> None:
    # Given a declaration without a name, legal basis, steps or limits
    item = license_item("650", "006")
    for key in ("name", "legal_basis", "steps", "statutory_limit", "promised_limit"):
        del item[key]
    # When it is declared, then each missing field is named
    r = declare(api, item)
    assert r.status_code == 400
    assert fields_of(r) >= {"name", "legal_basis", "steps", "statutory_limit", "promised_limit"}


def test_several_problems_are_reported_together(api: Api, dept650: DeptCreds) -> None:
    # Given a declaration with a bad code, promised > statutory and a charged fee without amount
    item = license_item("650", "007", promised_limit={"value": 30, "unit": "working_day"},
                        fee={"charged": True, "basis": "苏价费"})
    item["code"] = "not-a-code"
    del item["name"]
    # When it is declared, then every problem is named at once
    r = declare(api, item)
    assert r.status_code == 400
    assert fields_of(r) >= {"code", "name", "promised_limit", "fee.amount"}


def _tiers(*ranges: tuple[int, int]) -> list[dict[str, Any]]:
    names = ["light", "medium", "heavy", "extra"]
    return [{"tier": names[i], "min": lo, "max": hi} for i, (lo, hi) in enumerate(ranges)]


@pytest.mark.parametrize(("penalty", "bad_fields"), [
    (None, {"penalty"}),
    ({"types": ["fine"], "fine_min": 1000, "fine_max": 10000, "tiers": _tiers((1000, 4000), (3000, 6000),
                                                                               (6000, 10000))},
     {"penalty.tiers"}),
    ({"types": ["fine"], "fine_min": 1000, "fine_max": 10000, "tiers": _tiers((1000, 3000), (4000, 6000),
                                                                               (6000, 10000))},
     {"penalty.tiers"}),
    ({"types": ["fine"], "fine_min": 1000, "fine_max": 10000, "tiers": _tiers((1000, 5000), (5000, 10000))},
     {"penalty.tiers"}),
    ({"types": ["fine"], "fine_min": 10000, "fine_max": 1000, "tiers": []}, {"penalty.fine_max",
                                                                              "penalty.tiers"}),
], ids=["no-penalty", "tiers-overlap", "tiers-gap", "two-tiers", "range-inverted"])
def test_an_invalid_penalty_declaration_names_the_bad_field(
        api: Api, dept650: DeptCreds, penalty: dict[str, Any] | None, bad_fields: set[str]) -> None:
    # Given a CF item whose penalty terms are missing or inconsistent
    item = penalty_item("650", "021", penalty=penalty)
    # When it is declared, then the penalty problem is named
    r = declare(api, item)
    assert r.status_code == 400, r.text
    assert fields_of(r) >= bad_fields


def test_a_valid_penalty_item_is_accepted(api: Api, dept650: DeptCreds, legal: str) -> None:
    # Given a CF item with three contiguous tiers covering the statutory range
    item = penalty_item("650", "022")
    # When declared and confirmed, then it reads back with its tiers
    api.declare_and_confirm(item, legal)
    body = api.get(f"/catalog/items/{item['code']}").json()
    assert body["category"] == "CF"
    assert [t["tier"] for t in body["penalty"]["tiers"]] == ["light", "medium", "heavy"]


# ----- who may do what -------------------------------------------------------------------------

def test_another_departments_handler_cannot_declare_the_item(api: Api, dept650: DeptCreds,
                                                             handler651: str) -> None:
    # Given a handler of department 651
    # When it declares an item of department 650
    r = declare(api, license_item("650", "008"), handler651)
    # Then it is forbidden, and nothing was declared
    assert r.status_code == 403
    assert r.json()["error"]["code"]
    assert api.get("/catalog/items/320300650XK00800/versions").status_code == 404


def test_only_the_legal_office_confirms(api: Api, handler650: str, legal: str) -> None:
    # Given a declared item
    item = license_item("650", "009")
    assert declare(api, item, handler650).status_code == 201
    path = f"/catalog/items/{item['code']}/versions/1/confirm"
    # When the declaring department confirms it itself, or nobody logged in does
    own = api.post(path, {"effective_from": "2010-01-01"}, token=handler650)
    anonymous = api.post(path, {"effective_from": "2010-01-01"})
    # Then those are refused and the item stays unpublished
    assert own.status_code == 403
    assert anonymous.status_code == 401
    assert api.get(f"/catalog/items/{item['code']}").status_code == 404
    # And the legal office can
    assert api.post(path, {"effective_from": "2010-01-01"}, token=legal).status_code == 200


def test_unknown_item_and_version_are_404(api: Api, legal: str) -> None:
    # Given a well-formed code nobody declared, then reading, listing or confirming it is 404
    assert api.get("/catalog/items/320300650XK09900").status_code == 404
    assert api.get("/catalog/items/320300650XK09900/versions").status_code == 404
    r = api.post("/catalog/items/320300650XK09900/versions/1/confirm", {"effective_from": "2010-01-01"},
                 token=legal)
    assert r.status_code == 404
    # And a malformed code is a 400, not a 404
    assert api.get("/catalog/items/garbage").status_code == 400


# ----- search ----------------------------------------------------------------------------------

def test_chinese_keyword_search_finds_words_inside_names(api: Api, legal: str) -> None:
    # Given department 653 with a catering licence and an unrelated item
    api.department("653", "测试市场监督管理局653")
    food = license_item("653", "001", name="小餐饮经营许可证核发", keywords=["餐饮", "食品"])
    other = license_item("653", "002", name="户外广告设置审批", keywords=["广告"])
    api.declare_and_confirm(food, legal)
    api.declare_and_confirm(other, legal)
    # When the public searches for 小餐饮
    r = api.get("/catalog/items", q="小餐饮", dept_code="653")
    # Then the catering licence is found and the advertising one is not
    assert r.status_code == 200
    codes = [i["code"] for i in r.json()["items"]]
    assert codes == [food["code"]]
    # And the code and the department filter work too
    assert [i["code"] for i in api.get("/catalog/items", q="320300653XK00200").json()["items"]] == [
        other["code"]]
    listed = {i["code"] for i in api.get("/catalog/items", dept_code="653", category="XK").json()["items"]}
    assert listed == {food["code"], other["code"]}


# ----- calendar --------------------------------------------------------------------------------

def test_a_calendar_override_changes_deadlines(api: Api) -> None:
    # Given 2027 is beyond the bundled official calendar and the admin publishes a schedule for it:
    # 2027-10-01..07 are holidays and Saturday 2027-10-09 is a make-up working day
    r = api.admin("PUT", "/admin/calendar/2027", {
        "holidays": [f"2027-10-0{d}" for d in range(1, 8)], "workdays": ["2027-10-09"]})
    assert r.status_code == 200, r.text
    # When a deadline of 3 working days from Thursday 2027-09-30 is asked for
    got = deadline(api, "2027-09-30", 3)
    # Then the holiday week is skipped and the Saturday counts
    assert got["source"] == "override"
    assert got["counted"] == ["2027-10-08", "2027-10-09", "2027-10-11"]
    assert got["due"] == "2027-10-11"

    # When the admin replaces the schedule without the holidays
    r = api.admin("PUT", "/admin/calendar/2027", {"holidays": [], "workdays": []})
    assert r.status_code == 200
    # Then the same question gets the plain weekday answer
    got = deadline(api, "2027-09-30", 3)
    assert got["counted"] == ["2027-10-01", "2027-10-04", "2027-10-05"]


def test_an_unknown_year_falls_back_to_weekdays_and_says_so(api: Api) -> None:
    # Given 2033 has neither official data nor an override
    # When a deadline is asked for across a weekend
    got = deadline(api, "2033-03-04", 2)
    # Then Monday–Friday is used and the answer says so
    assert got["source"] == "weekends-only"
    assert got["counted"] == ["2033-03-07", "2033-03-08"]


def test_the_bundled_calendar_knows_national_day_2012(api: Api) -> None:
    # Given the docs/DOMAIN.md worked example 3: accepted Thursday 2012-09-27, 5 working days
    got = deadline(api, "2012-09-27", 5)
    # Then Saturday 2012-09-29 counts and the holiday week does not
    assert got["due"] == "2012-10-10"
    assert got["counted"] == ["2012-09-28", "2012-09-29", "2012-10-08", "2012-10-09", "2012-10-10"]
    assert got["source"] == "official"


def test_bad_calendar_input_is_400(api: Api) -> None:
    # Given dates outside the year or not dates at all, then the schedule is refused
    r = api.admin("PUT", "/admin/calendar/2027", {"holidays": ["2028-01-01", "not-a-date"]})
    assert r.status_code == 400
    # And an impossible start date is refused, and only the admin may publish a schedule
    bad = api.call("GET", "/calendar/deadline", params={"from": "2012-13-40", "working_days": 1})
    assert bad.status_code == 400
    assert api.call("PUT", "/admin/calendar/2027", {"holidays": []}).status_code == 401


# ----- publication -----------------------------------------------------------------------------

def test_confirmation_publishes_the_catalog_into_the_hall_bucket(api: Api, local_stack: Any,
                                                                 legal: str) -> None:
    # Given a newly confirmed item of department 654
    api.department("654", "测试交通运输局654")
    item = license_item("654", "001", name="道路运输经营许可")
    api.declare_and_confirm(item, legal)
    # When the hall reads the static catalog straight from the bucket (no Lambda involved)
    bucket_root = local_stack.hall_url.rsplit("/", 1)[0]
    manifest = requests.get(f"{bucket_root}/catalog/manifest.json", timeout=30)
    doc = requests.get(f"{bucket_root}/catalog/items/{item['code']}.json", timeout=30)
    # Then the manifest counts the department's item and names its shard, which lists the item
    assert manifest.status_code == 200
    assert {d["code"]: d["item_count"] for d in manifest.json()["departments"]}["654"] == 1
    shard_path = next(s["path"] for s in manifest.json()["shards"] if s["dept_code"] == "654")
    shard = requests.get(f"{bucket_root}/catalog/{shard_path}", timeout=30)
    assert shard.status_code == 200
    assert shard.json()["dept_code"] == "654" and shard.json()["items"][0][:2] == ["XK00100", "道路运输经营许可"]
    assert doc.status_code == 200
    assert doc.json()["code"] == item["code"]
    # And every file is served gzip-encoded, the content-addressed shard cached for a year
    for response in (manifest, shard, doc):
        assert response.headers["Content-Encoding"] == "gzip"
    assert shard.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert manifest.headers["Cache-Control"] == "public, max-age=60"


def test_a_confirmation_republishes_only_its_departments_shard_and_nothing_unchanged(
        api: Api, local_stack: Any, legal: str) -> None:
    from chalicelib import wiring
    from chalicelib.catalog import services as catalog

    # Given two departments with a published item each
    bucket_root = local_stack.hall_url.rsplit("/", 1)[0]
    for dept in ("655", "656"):
        api.department(dept, f"测试发布部门{dept}")
        api.declare_and_confirm(license_item(dept, "001", name=f"测试发布事项{dept}"), legal)

    def shard_paths() -> dict[str, str]:
        manifest = requests.get(f"{bucket_root}/catalog/manifest.json", timeout=30).json()
        return {s["dept_code"]: s["path"] for s in manifest["shards"]}

    before = shard_paths()
    # When department 655 gets a second item confirmed
    api.declare_and_confirm(license_item("655", "002", name="测试发布事项655乙"), legal)
    after = shard_paths()
    # Then only its shard moved to a new key, and the new shard lists both items
    assert after["655"] != before["655"] and after["656"] == before["656"]
    rows = requests.get(f"{bucket_root}/catalog/{after['655']}", timeout=30).json()["items"]
    assert [r[1] for r in rows] == ["测试发布事项655", "测试发布事项655乙"]
    # And a full republication with nothing changed writes no shard and no guide again
    assert catalog.publish(wiring.deps()) == {"shards": 0, "items": 0}
