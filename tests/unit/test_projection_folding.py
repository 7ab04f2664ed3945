"""A stream batch's cases read ahead (issue #20): the projection on the stream reads the batch's views
in one BatchGetItem and every case's log records by key in one more — never less of the log than the
stored view was built from — and the view it builds is the one a rebuild from the whole log builds, on
every case of the generated demo city, cut at five points. Where reading by key is not safe (a long
log, a record missing), the case reads its whole log with a Query as before."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pytest

from chalicelib.cases.domain.events import parse_event
from chalicelib.cases.repositories import EventLog
from chalicelib.cases.services import exchange, projection
from chalicelib.catalog.domain.items import ItemDeclaration, ItemVersion, version_in_force
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.ports import Item
from devstack.demo.generator import DemoCity, generate
from tests.support.memory import MemoryStores

SEED, ANCHOR = 20260615, date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
KEY = b"fold-key"


@dataclass
class _Fixed:
    value: Any

    def current(self) -> Any:
        return self.value

    def invalidate(self) -> None:
        return None


class _Clock:
    def now(self) -> datetime:
        return NOW


class _Keys:
    def key(self, purpose: str) -> bytes:
        return KEY


class _Hooks:
    def next_check(self, deps: Deps, view: Any, after: datetime | None = None) -> datetime | None:
        return None

    def public_result(self, deps: Deps, view: Any) -> dict[str, Any] | None:
        return {"case_no": view.case_no, "concluded_at": None} if view.concluded_at else None


@lru_cache(maxsize=1)
def city() -> DemoCity:
    return generate(SEED, ANCHOR, scale=0.25)


def catalog(demo: DemoCity) -> dict[str, list[ItemVersion]]:
    """Every declared version the demo confirms, as the catalog would hold it."""
    effective = {(c["code"], c["version"]): date.fromisoformat(c["effective_from"]) for c in demo.confirmations}
    versions: dict[str, list[ItemVersion]] = {}
    for raw in demo.items:
        n = len(versions.get(raw["code"], [])) + 1
        versions.setdefault(raw["code"], []).append(ItemVersion(
            code=raw["code"], version=n, status="confirmed" if (raw["code"], n) in effective else "declared",
            declared_at="2020-01-01T00:00:00+08:00", declared_by="demo", effective_from=effective.get((raw["code"], n)),
            item=ItemDeclaration.model_validate(raw)))
    return versions


def deps_for(stores: MemoryStores, monkeypatch: pytest.MonkeyPatch) -> Deps:
    versions = catalog(city())
    monkeypatch.setattr(projection, "item_lookup",
                        lambda deps: lambda code, day: version_in_force(versions.get(code, []), day))
    return Deps(stores=stores, clock=_Clock(), calendars=_Fixed(Calendar()), rules=_Fixed(None),  # type: ignore[arg-type]
                runner=None, notifier=None, publisher=None, hooks=_Hooks(), keys=_Keys())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def logged() -> tuple[MemoryStores, dict[str, list[dict[str, Any]]]]:
    """The demo city's events through the exchange into an in-memory log (every fourth case also gets a
correction of its second event, a day earlier, arriving last): each case's records."""
    stores = MemoryStores()
    by_case: dict[str, list[tuple[int, Any]]] = {}
    for i, raw in enumerate(city().all_events()):
        ev, errors = parse_event(raw)
        assert ev is not None and not errors, errors
        by_case.setdefault(ev.case_no, []).append((i, ev))
    for n, events in enumerate(by_case.values()):
        if n % 4 == 0 and len(events) > 2:  # a correction arriving last: the second event, a day earlier
            raw = dict(city().all_events()[events[1][0]])
            earlier = datetime.fromisoformat(raw["occurred_at"]) - timedelta(days=1)
            ev, errors = parse_event({**raw, "data_version": 2, "occurred_at": earlier.isoformat()})
            assert ev is not None and not errors, errors
            events.append((-n - 1, ev))
    for case_no, events in by_case.items():
        exchange.append(stores, case_no, events, NOW, "exchange", owner=events[0][1].item_code[6:9], key=KEY)  # type: ignore[arg-type]
    return stores, {c: EventLog(stores).records(c) for c in by_case}  # type: ignore[arg-type]


def rebuilt(deps: Deps, case_no: str) -> dict[str, Any]:
    view, _p = projection.plan(deps, case_no, None)
    assert view is not None
    return view.model_dump(mode="json")


def test_the_demo_city_has_the_stories_folding_must_keep(logged: tuple[MemoryStores, dict[str, Any]]) -> None:
    _stores, logs = logged
    types = {r["type"] for records in logs.values() for r in records}
    assert len(logs) > 80 and {"submitted", "accepted", "step", "concluded", "special_started"} <= types
    assert any(r["data_version"] > 1 for records in logs.values() for r in records)  # corrections (superseded)
    assert any(r["occurred_at"] > later["occurred_at"] for records in logs.values()
               for r, later in zip(records, records[1:], strict=False))  # out of business order


def test_the_records_read_ahead_build_the_view_a_rebuild_builds_on_every_demo_case_cut_anywhere(
        logged: tuple[MemoryStores, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    # Given each demo case's log cut at five points, as a stream batch ending there would find it
    source, logs = logged
    checked = 0
    for cut_at in (1, 2, 3, 4, 5):
        stores = MemoryStores()
        deps = deps_for(stores, monkeypatch)
        newest: dict[str, int] = {}
        for case_no, records in logs.items():
            cut = max(1, len(records) * cut_at // 5)
            newest[case_no] = cut
            for record in records[:cut]:
                stores.table("events").put(source.table("events").get(f"CASE#{case_no}", f"LOG#{record['seq']:08d}"))  # type: ignore[arg-type]
        # When the batch reads ahead, then each case plans from what was read
        ahead = projection.prefetch(deps, newest)
        # Then every case's log up to the cut was read by key, and its view is a rebuild's
        assert set(ahead.logs) == set(logs)
        for case_no, records in logs.items():
            assert ahead.logs[case_no] == records[:newest[case_no]]
            view, _p = projection.plan(deps, case_no, None, ahead.logs[case_no])
            assert view is not None and view.model_dump(mode="json") == rebuilt(deps, case_no), (case_no, cut_at)
            checked += 1
    assert checked > 300


def test_a_stream_batch_brings_the_stored_views_up_to_the_new_records(
        logged: tuple[MemoryStores, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    # Given every demo case projected from the first half of its log, as an earlier batch would have
    source, logs = logged
    stores = MemoryStores()
    deps = deps_for(stores, monkeypatch)
    events = stores.table("events")
    for case_no, records in logs.items():
        for record in records[: max(1, len(records) // 2)]:
            events.put(source.table("events").get(f"CASE#{case_no}", f"LOG#{record['seq']:08d}"))  # type: ignore[arg-type]
    cases = list(logs)
    assert projection.commit_plans(stores, [p for c in cases if (p := projection.plan_case(  # type: ignore[arg-type]
        deps, c, projection.prefetch(deps, {c: max(1, len(logs[c]) // 2)})))]) == []
    # When the rest of each log arrives and one batch folds it in
    for case_no, records in logs.items():
        for record in records[max(1, len(records) // 2):]:
            events.put(source.table("events").get(f"CASE#{case_no}", f"LOG#{record['seq']:08d}"))  # type: ignore[arg-type]
    ahead = projection.prefetch(deps, {c: len(logs[c]) for c in cases})
    # Then every case's whole log was in hand without a Query, and the stored views equal rebuilds
    assert set(ahead.logs) == set(cases)
    assert all([r["seq"] for r in ahead.logs[c]] == [r["seq"] for r in logs[c]] for c in cases)
    plans = [p for c in cases if (p := projection.plan_case(deps, c, ahead))]
    assert projection.commit_plans(stores, plans) == []  # type: ignore[arg-type]
    for case_no in cases:
        stored = stores.table("cases").get(f"CASE#{case_no}", "VIEW")
        assert stored is not None
        assert {k: v for k, v in stored.body.items() if not k.startswith("_")} == rebuilt(deps, case_no)
        assert stored.body["_log_head"] == {"seq": logs[case_no][-1]["seq"], "hash": logs[case_no][-1]["hash"]}
    assert {sk for (_pk, sk) in stores.table("cases").rows} <= {"VIEW", "RESULT"}  # nothing else is stored


def test_where_reading_by_key_is_not_safe_the_case_reads_its_whole_log(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = MemoryStores()
    deps = deps_for(stores, monkeypatch)
    for n in range(1, 4):
        stores.table("events").put(Item(pk="CASE#C-1", sk=f"LOG#{n:08d}", body={"seq": n, "event_id": f"e{n}"}))
    assert [r["seq"] for r in projection.prefetch(deps, {"C-1": 3}).logs["C-1"]] == [1, 2, 3]
    # a record the batch names is missing (not readable by key): the case reads its log
    assert "C-1" not in projection.prefetch(deps, {"C-1": 5}).logs
    # a log longer than is read by key: the case reads its log
    assert "C-1" not in projection.prefetch(deps, {"C-1": projection.MAX_BY_KEY + 1}).logs


def test_a_redelivered_batch_reads_as_far_as_the_stored_view_was_built(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a view built from three records
    stores = MemoryStores()
    deps = deps_for(stores, monkeypatch)
    for n in range(1, 4):
        stores.table("events").put(Item(pk="CASE#C-1", sk=f"LOG#{n:08d}", body={"seq": n, "event_id": f"e{n}"}))
    stores.table("cases").put(Item(pk="CASE#C-1", sk="VIEW", body={"_log_head": {"seq": 3, "hash": "h3"}}))
    # When a batch naming only the first two arrives again (a redelivery)
    ahead = projection.prefetch(deps, {"C-1": 2})
    # Then the case is rebuilt from all three, never from less than its view was
    assert [r["seq"] for r in ahead.logs["C-1"]] == [1, 2, 3]
