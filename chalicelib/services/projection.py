"""Case projection (办件视图) from the event stream, with statistics counters.

Cases table: ``CASE#{case_no} / VIEW`` holds the view; index ``gsi1`` ``DEPT#{dept}`` lists a
department's cases by last activity; index ``gsi2`` ``SWEEP`` is sparse — only open cases with a
future time-driven check carry it — so the sweep reads only what is due.
``RESULT#{case_no} / RESULT`` is the public, masked result of a concluded case.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .. import wiring
from ..domain import stats
from ..domain.case import StoredEvent, project
from ..domain.case_view import CaseView
from ..domain.catalog import ItemVersion
from . import catalog, masking, query_passwords
from .exchange import load_log
from .ports import MAX_TRANSACTION_ACTIONS, ConditionFailedError, CounterDelta, Item, Stores, Transaction

log = logging.getLogger("sunlit.projection")
MAX_ATTEMPTS = 6


def item_lookup(stores: Stores) -> Any:
    def lookup(code: str, day: date) -> ItemVersion | None:
        return catalog.in_force(stores, code, day)

    return lookup


def build_view(stores: Stores, case_no: str) -> CaseView | None:
    found = _build(stores, case_no)
    return found[0] if found else None


def _build(stores: Stores, case_no: str) -> tuple[CaseView, dict[str, Any]] | None:
    """The view and the head of the log it was built from (seq and hash of the last record)."""
    records = load_log(stores, case_no)
    if not records:
        return None
    # A log written before passwords were hashed at ingestion: hash them here, so no view holds one.
    events = [StoredEvent.model_validate(
        {**r, "data": query_passwords.protect(r["data"], case_no)}
        if isinstance(r.get("data"), dict) and query_passwords.PLAIN_FIELD in r["data"] else r) for r in records]
    head = {"seq": int(records[-1]["seq"]), "hash": records[-1].get("hash")}
    return project(case_no, events, item_lookup(stores), wiring.calendar()), head


def next_check(view: CaseView, stores: Stores, after: datetime | None = None) -> datetime | None:
    """When the sweep should next look at this case, strictly after ``after`` when given
    (None: nothing time-driven remains)."""
    from ..domain import legal, supervision
    from .rules import bound_item, rule_config

    if not view.is_open and view.status != "concluded":
        return None
    item = bound_item(stores, view)
    cfg = rule_config()
    candidates = [supervision.next_check_at(view, item, wiring.calendar(), cfg, after)]
    candidates.append(legal.next_finding_check_at(view, item, cfg, after))
    found = [c for c in candidates if c is not None]
    return min(found) if found else None


def _counter_deltas(diff: dict[str, int]) -> list[CounterDelta]:
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for key, value in diff.items():
        period, dept, name = key.split("|")
        grouped.setdefault((period, dept), {})[name] = value
    return [CounterDelta(period=p, dept_code=d, deltas=v) for (p, d), v in grouped.items()]


@dataclass
class Plan:
    """What storing one case's rebuilt view takes: the view record (conditional on the version read),
    the counter movements and the public result."""

    case_no: str
    item: Item
    counters: list[CounterDelta]
    result: Item | None

    @property
    def actions(self) -> int:
        return 1 + (self.result is not None)


def plan(stores: Stores, case_no: str, existing: Item | None) -> tuple[CaseView | None, Plan | None]:
    """Rebuild the view from the log against the stored one; no plan when nothing changed."""
    built = _build(stores, case_no)
    if built is None:
        return None, None
    view, head = built
    old_contrib: dict[str, int] = (existing.body.get("_contrib") if existing else None) or {}
    new_contrib = stats.contributions(view)
    body = view.model_dump(mode="json")
    body["_contrib"] = new_contrib
    body["_log_head"] = head  # lets verify() notice a deleted tail of the log
    nxt = next_check(view, stores)
    sweep_at = nxt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if nxt else None
    if existing and _same(existing.body, body) and existing.gsi2sk == sweep_at:
        return view, None
    item = Item(pk=f"CASE#{case_no}", sk="VIEW", body=body,
                gsi1pk=f"DEPT#{view.dept_code}",
                gsi1sk=(view.last_event_at.isoformat() if view.last_event_at else "") + "#" + case_no,
                gsi2pk="SWEEP" if sweep_at else None, gsi2sk=sweep_at,
                version=existing.version if existing else None)
    counters = _counter_deltas(stats.deltas(old_contrib, new_contrib))
    return view, Plan(case_no, item, counters, _public_result(view, _violation(stores, view)))


def _violation(stores: Stores, view: CaseView) -> str | None:
    """The violation a penalty item declares in the catalog (published instead of the case's own cause)."""
    if view.penalty is None or view.penalty.decision is None or view.item_bound_on is None:
        return None
    version = catalog.in_force(stores, view.item_code, view.item_bound_on)
    terms = version.item.penalty if version is not None else None
    return terms.violation if terms is not None else None


def _write(tx: Transaction, p: Plan) -> None:
    if p.item.version is not None:
        tx.put("cases", p.item, expected_version=p.item.version)
    else:
        tx.put("cases", p.item, if_absent=True)
    if p.result is not None:
        tx.upsert("cases", p.result)  # the public result moves with the view, in the same write


def apply(stores: Stores, case_no: str) -> CaseView | None:
    """Rebuild one case's view from its log and store it, moving counters by the difference;
    a write that loses re-reads the stored view and tries again."""
    for _attempt in range(MAX_ATTEMPTS):
        view, p = plan(stores, case_no, stores.table("cases").get(f"CASE#{case_no}", "VIEW"))
        if p is None:
            return view
        tx = stores.transaction()
        _write(tx, p)
        tx.add_counters(p.counters)
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return view
    raise ConditionFailedError(f"case {case_no}: too many concurrent projections")


def plan_case(stores: Stores, case_no: str, prefetched: dict[tuple[str, str], Item] | None) -> Plan | None:
    """The plan for one case of a batch; ``prefetched`` holds the batch's stored views (a key missing
    from it means no view yet), None when they could not be read ahead."""
    key = (f"CASE#{case_no}", "VIEW")
    existing = prefetched.get(key) if prefetched is not None else stores.table("cases").get(*key)
    return plan(stores, case_no, existing)[1]


def merge_counters(deltas: list[CounterDelta]) -> list[CounterDelta]:
    """One movement per (period, department): a transaction may touch each counter record once."""
    merged: dict[tuple[str, str], dict[str, int]] = {}
    for d in deltas:
        into = merged.setdefault((d.period, d.dept_code), {})
        for name, value in d.deltas.items():
            into[name] = into.get(name, 0) + value
    return [CounterDelta(p, dept, {k: v for k, v in moves.items() if v}) for (p, dept), moves in merged.items()
            if any(moves.values())]


def commit_plans(stores: Stores, plans: list[Plan]) -> list[str]:
    """Store many cases' plans in as few transactions as fit (≤ 100 actions, counters merged);
    returns the cases whose transaction lost a condition — the caller applies those one by one."""
    lost: list[str] = []
    chunks: list[list[Plan]] = [[]]
    counter_keys: set[tuple[str, str]] = set()
    actions = 0
    for p in plans:
        keys = {(d.period, d.dept_code) for d in p.counters}
        need = p.actions + len(keys - counter_keys)
        if chunks[-1] and actions + need > MAX_TRANSACTION_ACTIONS:
            chunks.append([])
            counter_keys, actions = set(), 0
            need = p.actions + len(keys)
        chunks[-1].append(p)
        counter_keys |= keys
        actions += need
    for chunk in chunks:
        if not chunk:
            continue
        tx = stores.transaction()
        for p in chunk:
            _write(tx, p)
        tx.add_counters(merge_counters([d for p in chunk for d in p.counters]))
        try:
            tx.commit()
        except ConditionFailedError:
            lost.extend(p.case_no for p in chunk)
        except Exception:  # anything else: each case on its own, so a failure names its case
            log.exception("storing %d case views together failed", len(chunk))
            lost.extend(p.case_no for p in chunk)
    return lost


def prefetch_views(stores: Stores, case_nos: list[str]) -> dict[tuple[str, str], Item]:
    """The stored views of many cases in one read (BatchGetItem), for ``apply``."""
    return stores.table("cases").get_many([(f"CASE#{c}", "VIEW") for c in case_nos])


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return {k: v for k, v in old.items()} == new


def _public_result(view: CaseView, violation: str | None = None) -> Item | None:
    """Public results (结果公开): concluded cases and penalty decisions, masked."""
    doc = masking.public_result(view, violation)
    if doc is None:
        return None
    when = doc["concluded_at"] or ""
    return Item(pk=f"RESULT#{view.case_no}", sk="RESULT", body=doc,
                gsi1pk=f"RESULTS#{view.dept_code}", gsi1sk=f"{when}#{view.case_no}",
                gsi2pk="RESULTS", gsi2sk=f"{when}#{view.case_no}")


def get_view(stores: Stores, case_no: str) -> tuple[CaseView, Item] | None:
    item = stores.table("cases").get(f"CASE#{case_no}", "VIEW")
    if item is None:
        return None
    return CaseView.model_validate(item.body), item
