"""The two levels (docs/CONTRACT.md §2 v2, docs/DOMAIN.md §11): the pure region-scope predicate."""
from __future__ import annotations

import pytest

from chalicelib.identity.domain.roles import BOOTSTRAP, Principal
from chalicelib.identity.domain.scope import Scope, departments_in
from chalicelib.kernel.errors import ForbiddenError
from chalicelib.kernel.regions import parent_region, region_covers, region_level, rollup, rollup_chain

DEPTS = [
    {"code": "015", "region_code": "320300"},  # 徐州市生态环境局
    {"code": "032", "region_code": "320322"},  # 沛县
    {"code": "036", "region_code": "320321"},  # 丰县
    {"code": "033", "region_code": "320382"},  # 邳州市
    {"code": "101", "region_code": "320100"},  # 南京市 (another city of the province)
    {"code": "102", "region_code": "320102"},  # 南京市玄武区
    {"code": "999"},  # a record without a region: nobody's region covers it
]


@pytest.mark.parametrize(("scope", "region", "covered"), [
    ("320300", "320300", True),   # the city sees its own departments
    ("320300", "320321", True),   # ... and every county and district of the city
    ("320300", "320382", True),   # county-level cities too (邳州市)
    ("320300", "320302", True),   # districts (鼓楼区)
    ("320300", "320100", False),  # not another city
    ("320300", "320102", False),  # nor that city's districts
    ("320321", "320321", True),   # a county sees itself
    ("320321", "320322", False),  # not its neighbour
    ("320321", "320300", False),  # nor the city above it
    ("320000", "320321", True),   # a province covers its cities' counties
    ("320000", "330100", False),
    ("320321", None, False),
    ("320321", "", False),
    ("320321", "32032", False),
    ("3203xx", "320321", False),  # a malformed scope covers nothing
])
def test_region_covers(scope: str, region: str | None, covered: bool) -> None:
    assert region_covers(scope, region) is covered


def test_levels_and_the_roll_up_chain() -> None:
    assert [region_level(c) for c in ("320000", "320300", "320321", "320302")] == [
        "province", "city", "county", "county"]
    assert parent_region("320321") == "320300"
    assert parent_region("320300") == "320000"
    assert parent_region("320000") is None
    assert rollup_chain("320321") == ["320321", "320300", "320000"]
    assert rollup_chain("320321", top="320300") == ["320321", "320300"]
    assert rollup_chain("320300", top="320300") == ["320300"]


def test_statistics_roll_up_from_the_counties_to_the_city() -> None:
    # Given two city departments, two in 丰县, one in 沛县, one of another city and one without a region
    rows = [("320300", {"received": 10, "red": 1}), ("320300", {"received": 5}),
            ("320321", {"received": 3, "red": 2}), ("320321", {"received": 4}),
            ("320322", {"received": 7, "red": 0}), ("320100", {"received": 100}), (None, {"received": 1000})]
    totals = rollup(rows)
    # Then each county has its own totals, the city its own departments' plus every county's,
    # the other city its own, and nothing rolls further up than the city
    assert totals["320321"] == {"departments": 2, "received": 7, "red": 2}
    assert totals["320322"] == {"departments": 1, "received": 7, "red": 0}
    assert totals["320300"] == {"departments": 5, "received": 29, "red": 3}
    assert totals["320100"] == {"departments": 1, "received": 100}
    assert set(totals) == {"320300", "320321", "320322", "320100"}
    # a province-wide roll-up sums the cities
    assert rollup(rows, top_level="province")["320000"]["received"] == 129


def test_departments_of_a_region() -> None:
    assert departments_in("320300", DEPTS) == {"015", "032", "036", "033"}
    assert departments_in("320321", DEPTS) == {"036"}
    assert departments_in("320324", DEPTS) == frozenset()
    assert departments_in("320000", DEPTS) == {"015", "032", "036", "033", "101", "102"}


def test_scope_filters_lists_and_refuses_single_records_outside() -> None:
    county = Scope.region("320321", departments_in("320321", DEPTS))
    assert county.allows("036") and not county.allows("032") and not county.allows(None)
    assert county.keep([{"d": "036"}, {"d": "032"}, {"d": None}], lambda r: r["d"]) == [{"d": "036"}]
    county.require("036")
    with pytest.raises(ForbiddenError) as err:
        county.require("032")
    assert "320321" in err.value.message
    # a list asking for another county's department is refused; its own narrows to one department
    with pytest.raises(ForbiddenError):
        county.narrow("032")
    assert county.narrow("036").single == "036"
    assert county.narrow(None) is county and county.single == "036"

    city = Scope.region("320300", departments_in("320300", DEPTS))
    assert city.single is None  # several departments: query all, keep what is in scope
    assert city.narrow("032").single == "032"
    everything = Scope()
    assert everything.unlimited and everything.allows("101") and everything.allows(None)
    assert everything.keep([1, 2], lambda _: None) == [1, 2]


def test_principals_carry_their_scope() -> None:
    county = Principal(kind="user", username="s", roles=frozenset({"supervisor"}), region_code="320321",
                       region_depts=frozenset({"036"}))
    assert county.is_region_scoped and county.may_see_dept("036") and not county.may_see_dept("032")
    # unresolved (no department directory consulted): a region user sees nothing rather than all
    unresolved = Principal(kind="user", username="s", roles=frozenset({"legal"}), region_code="320321")
    assert not unresolved.may_see_dept("036")
    platform = Principal(kind="user", username="p", roles=frozenset({"supervisor"}))
    assert platform.scope.unlimited and platform.may_see_dept("032")
    handler = Principal(kind="user", username="h", roles=frozenset({"handler"}), dept_code="032")
    assert handler.scope.kind == "department" and handler.may_see_dept("032") and not handler.may_see_dept("036")
    dept_system = Principal(kind="department", dept_code="032", region_code="320322")
    assert not dept_system.is_region_scoped and dept_system.scope.depts == {"032"}
    assert BOOTSTRAP.scope.unlimited


def test_a_region_list_pages_through_everything_and_keeps_its_own_without_skipping() -> None:
    # Given 10 records of three departments, read 3 at a time from the "everything" index
    records = [{"n": i, "d": ["036", "032", "015"][i % 3]} for i in range(10)]
    reads: list[str | None] = []

    def fetch(dept: str | None, n: int, cursor: str | None) -> tuple[list[dict[str, object]], str | None]:
        reads.append(dept)
        rows = [r for r in records if dept is None or r["d"] == dept]
        start = int(cursor or 0)
        page = rows[start:start + min(n, 3)]
        nxt = str(start + len(page)) if start + len(page) < len(rows) else None
        return page, nxt

    city = Scope.region("320300", {"036", "032"})
    # When the city asks for 4, then it gets the first 4 of its departments, and the next page goes on from there
    first, cursor = city.collect(fetch, lambda r: str(r["d"]), 4, None)
    assert [r["n"] for r in first] == [0, 1, 3, 4] and cursor is not None
    rest, end = city.collect(fetch, lambda r: str(r["d"]), 10, cursor)
    assert [r["n"] for r in rest] == [6, 7, 9] and end is None
    assert set(reads) == {None}
    # One department (or everything) is one read of the right index
    reads.clear()
    county = Scope.region("320321", {"036"})
    rows, _ = county.collect(fetch, lambda r: str(r["d"]), 2, None)
    assert [r["n"] for r in rows] == [0, 3] and reads == ["036"]
