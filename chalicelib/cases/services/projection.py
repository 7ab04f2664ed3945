"""Case projection (办件视图) from the event stream, with statistics counters.

Each case's view is rebuilt from its log (on the stream: the records read by key for the whole batch,
``prefetch``) and stored with its sparse ``SWEEP`` index entry (when the supervision and legal rules
next need a look, from ``deps.hooks``), the counter movements it makes and its public result, in one
transaction. Keys: ``cases.repositories``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.catalog import services as catalog
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.periods import local_date
from chalicelib.kernel.ports import MAX_TRANSACTION_ACTIONS, ConditionFailedError, CounterDelta, Item, Stores, Transaction

from ..domain import stats
from ..domain.case import StoredEvent, project
from ..domain.case_view import CaseView
from ..repositories import CASES, CaseViews, EventLog, PublicResults, sweep_key
from . import query_passwords

log = logging.getLogger("sunlit.projection")
MAX_ATTEMPTS = 6


def item_lookup(deps: Deps) -> Any:
    def lookup(code: str, day: date) -> ItemVersion | None:
        return catalog.in_force(deps, code, day)

    return lookup


def act_day(view: CaseView, today: date) -> date:
    """The day the case's item version is bound to: acceptance, else the penalty case's opening,
    else the submission (``today`` for a case with none of them yet)."""
    at = view.accepted_at or (view.penalty.opened_at if view.penalty else None) or view.submitted_at
    return local_date(at) if at else today


def bound_item(deps: Deps, view: CaseView) -> ItemVersion | None:
    """The item version in force on the case's act day."""
    return catalog.in_force(deps, view.item_code, act_day(view, deps.today()))


def build_view(deps: Deps, case_no: str) -> CaseView | None:
    found = _build(deps, case_no)
    return found[0] if found else None


def _build(deps: Deps, case_no: str, log: list[dict[str, Any]] | None = None
           ) -> tuple[CaseView, dict[str, Any]] | None:
    """The view and the head of the log it was built from (seq and hash of the last record). ``log``:
    the case's whole log already in hand (read by key, see ``prefetch``); None reads it."""
    records = EventLog(deps.stores).records(case_no) if log is None else log
    if not records:
        return None
    # A log written before passwords were hashed at ingestion: hash them here, so no view holds one.
    records = [{**r, "data": query_passwords.protect(r["data"], case_no, query_passwords.key(deps))}
               if isinstance(r.get("data"), dict) and query_passwords.PLAIN_FIELD in r["data"] else r for r in records]
    events = [StoredEvent.model_validate(r) for r in records]
    head = {"seq": int(records[-1]["seq"]), "hash": records[-1].get("hash")}
    return project(case_no, events, item_lookup(deps), deps.calendar), head


def next_check(deps: Deps, view: CaseView, after: datetime | None = None) -> datetime | None:
    """When the sweep should next look at this case, strictly after ``after`` when given
    (None: nothing time-driven remains)."""
    if not view.is_open and view.status != "concluded":
        return None
    return deps.hooks.next_check(deps, view, after)


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


def plan(deps: Deps, case_no: str, existing: Item | None, log: list[dict[str, Any]] | None = None
         ) -> tuple[CaseView | None, Plan | None]:
    """Rebuild the view from the log (or from ``log``, the whole log in hand) against the stored one;
    no plan when nothing changed."""
    built = _build(deps, case_no, log)
    if built is None:
        return None, None
    view, head = built
    old_contrib: dict[str, int] = (existing.body.get("_contrib") if existing else None) or {}
    new_contrib = stats.contributions(view)
    body = view.model_dump(mode="json")
    body["_contrib"] = new_contrib
    body["_log_head"] = head  # lets verify() notice a deleted tail of the log
    nxt = next_check(deps, view)
    sweep_at = sweep_key(nxt) if nxt else None
    if existing and _same(existing.body, body) and existing.gsi2sk == sweep_at:
        return view, None
    item = CaseViews.item(view, body, sweep_at, existing.version if existing else None)
    counters = _counter_deltas(stats.deltas(old_contrib, new_contrib))
    return view, Plan(case_no, item, counters, _public_result(deps, view))


def _write(tx: Transaction, p: Plan) -> None:
    CaseViews.put(tx, p.item)
    if p.result is not None:
        tx.upsert("cases", p.result)  # the public result moves with the view, in the same write


def apply(deps: Deps, case_no: str) -> CaseView | None:
    """Rebuild one case's view from its log and store it, moving counters by the difference;
    a write that loses re-reads the stored view and tries again."""
    views = CaseViews(deps.stores)
    for _attempt in range(MAX_ATTEMPTS):
        view, p = plan(deps, case_no, views.get(case_no))
        if p is None:
            return view
        tx = deps.stores.transaction()
        _write(tx, p)
        tx.add_counters(p.counters)
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return view
    raise ConditionFailedError(f"case {case_no}: too many concurrent projections")


@dataclass
class Prefetched:
    """What a stream batch read ahead for all its cases: the stored views (a case missing has none
    yet) and each case's whole log where it could be read by key."""

    views: dict[tuple[str, str], Item]
    logs: dict[str, list[dict[str, Any]]]


#: At most this many records of one case are read by key; a longer log is read by its own Query.
MAX_BY_KEY = 100


def _head_seq(view: Item | None) -> int:
    """How far the log the stored view was built from went (``_log_head``; 0 without a view)."""
    head = (view.body.get("_log_head") if view else None) or {}
    seq = head.get("seq") if isinstance(head, dict) else None
    return seq if isinstance(seq, int) and seq > 0 else 0


def prefetch(deps: Deps, newest: dict[str, int]) -> Prefetched:
    """For the cases of a stream batch (case → the highest log seq the batch names): their views in one
    read, then each case's log records by key — from the first to the batch's newest or to where the
    stored view's log went, whichever is further (a redelivered batch never rebuilds a view from less
    than it was built from) — in one more (BatchGetItem), instead of one Query of each case's log. A
    case with more than :data:`MAX_BY_KEY` records, or with one not found, is left to read its log."""
    cases = list(newest)
    views = deps.stores.table(CASES).get_many([CaseViews.key(c) for c in cases])
    upto = {c: max(newest[c], _head_seq(views.get(CaseViews.key(c)))) for c in cases}
    logs = EventLog(deps.stores).by_seq({c: range(1, n + 1) for c, n in upto.items() if 0 < n <= MAX_BY_KEY})
    return Prefetched(views, logs)


def plan_case(deps: Deps, case_no: str, prefetched: Prefetched | None) -> Plan | None:
    """The plan for one case of a batch, from what the batch read ahead (None: nothing was, the case
    reads its view and log itself)."""
    if prefetched is None:
        return plan(deps, case_no, CaseViews(deps.stores).get(case_no))[1]
    return plan(deps, case_no, prefetched.views.get(CaseViews.key(case_no)), prefetched.logs.get(case_no))[1]


def merge_counters(deltas: list[CounterDelta]) -> list[CounterDelta]:
    """One movement per (period, department): a transaction may touch each counter record once."""
    merged: dict[tuple[str, str], dict[str, int]] = {}
    for d in deltas:
        into = merged.setdefault((d.period, d.dept_code), {})
        for name, value in d.deltas.items():
            into[name] = into.get(name, 0) + value
    return [CounterDelta(p, dept, {k: v for k, v in moves.items() if v}) for (p, dept), moves in merged.items()
            if any(moves.values())]


def _chunks(plans: list[Plan]) -> list[list[Plan]]:
    """Plans in groups that fit one transaction (≤ 100 actions, each counter record once)."""
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
    return [c for c in chunks if c]


def commit_plans(stores: Stores, plans: list[Plan]) -> list[str]:
    """Store many cases' plans in as few transactions as fit (≤ 100 actions, counters merged);
    returns the cases whose transaction lost a condition — the caller applies those one by one."""
    lost: list[str] = []
    for chunk in _chunks(plans):
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


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return {k: v for k, v in old.items()} == new


def _public_result(deps: Deps, view: CaseView) -> Item | None:
    """Public results (结果公开): concluded cases and penalty decisions, masked (by the hall's rules)."""
    doc = deps.hooks.public_result(deps, view)
    return None if doc is None else PublicResults.item(view.case_no, view.dept_code, doc)


def get_view(stores: Stores, case_no: str) -> tuple[CaseView, Item] | None:
    item = CaseViews(stores).get(case_no)
    if item is None:
        return None
    return CaseView.model_validate(item.body), item
