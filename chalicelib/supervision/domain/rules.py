"""Administrative supervision rules (行政监察规则) R1–R14 as pure functions.

docs/DOMAIN.md §6.2 and the "Defaults the platform ships with" table; docs/CONTRACT.md §6.

Two kinds of rule:

* **Event rules** are true from the events alone (a rejection without a reason, a fee that differs
  from the catalog, a second supplement request …). ``raised_at`` is the triggering event's
  received time (its occurred time when the receipt time is unknown).
* **Lateness rules** compare a limit with the event that ends the exposure (the *stopper*: a
  conclusion, a delivery, a decision …). Each has a *breach instant* (00:00 +08:00 of a day): for
  R2/R3 the day after the due day; for "more than N working days" (R4, R5, R10, R11, R12) the
  first working day beyond the limit, since a holiday uses up no working day; for warnings the
  warning day. The sweep raises it
  once the instant has passed with no stopper; the event path raises it when the stopper arrives
  late. Both paths give the same draft (same ``cause``, ``raised_at`` = the breach instant), so a
  sweep run late, twice, or never still yields one identical signal per case and cause.

Warnings (R1 临期, R14 near the limit, the running step of R4) are produced by the sweep only:
raising a warning after the fact helps no one.

R7 (违法不予受理) needs a person's confirmation and is never raised automatically here.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.rules_config import RuleConfig

from .common import (
    BUSINESS_TZ,
    EVENT_NAMES,
    REASON_REQUIRED_CODES,
    RECIPIENTS,
    RULE_NAMES,
    Breach,
    aware,
    business_date,
    dedupe_sorted,
    next_instant,
)
from .event_rules import _Drafts, _r6, _r8, _r9, _r10_repeat, _r11_extensions, _r13
from .lateness import breaches, penalty_limit, penalty_stopper
from .records import Level, SignalDraft
from .risk import link_all

__all__ = [
    "BUSINESS_TZ", "EVENT_NAMES", "REASON_REQUIRED_CODES", "RECIPIENTS", "RULE_NAMES", "Breach", "Level",
    "SignalDraft", "business_date", "event_signals", "next_check_at", "penalty_limit", "penalty_stopper",
    "time_signals",
]


# --------------------------------------------------------------------------- public functions


def event_signals(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
) -> list[SignalDraft]:
    """Everything the case's events make true by themselves (no clock needed).

    ``item`` is the catalog version bound to the case (None: not in the catalog → R13); each draft
    names the risk points (廉政风险点) of that version it concerns (``risk.link``).
    """
    out = _Drafts(view)
    _r6(view, out)
    _r8(view, cfg, out)
    _r10_repeat(view, out)
    _r11_extensions(view, item, cfg, out)
    _r13(view, item, out)
    if view.category != "CF":
        _r9(view, item, out)
    for b in breaches(view, item, calendar, cfg):
        if not b.warning_only and b.happened_late:
            out.add_breach(b)
    return link_all(dedupe_sorted(out.items), item)


def time_signals(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
    as_of: datetime,
) -> list[SignalDraft]:
    """What the passing of time has made true by ``as_of``.

    Idempotent and order-free: a condition that became true at instant T is returned, with
    ``raised_at`` = T, for every ``as_of >= T``; evaluating late or twice yields the same drafts.
    """
    as_of = aware(as_of)
    out = _Drafts(view)
    for b in breaches(view, item, calendar, cfg):
        if b.true_by(as_of):
            out.add_breach(b)
    return link_all(dedupe_sorted(out.items), item)


def next_check_at(
    view: CaseView,
    item: ItemVersion | None,
    calendar: Calendar,
    cfg: RuleConfig,
    after: datetime | None = None,
) -> datetime | None:
    """The earliest instant at which :func:`time_signals` could produce something new.

    With ``after`` (the sweep passes its ``as_of``) only instants strictly later count, so a
    swept case moves on to its next instant. None when nothing remains for time alone to raise
    (closed, or waiting on an event such as the end of an open pause).
    """
    return next_instant(breaches(view, item, calendar, cfg), aware(after) if after else None)
