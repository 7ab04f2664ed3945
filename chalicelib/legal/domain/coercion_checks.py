"""L13 行政强制程序违法: the legal office's checks on a 行政强制 (QZ) case's recorded stages
(docs/DOMAIN.md §4.4, 《行政强制法》), for cases reported by a department's own system as well as those
run on the operation platform (where the same rules block the act beforehand: runtime/domain/coercion.py).

Read from the case view alone (the stages' ``step`` codes, ``cases/domain/coercion_steps.py``, and the
special procedures), so they hold whatever else a department's system sends:

* an enforcement decision (强制执行决定) with no demand (催告) before it (art.35), or without the party's
  statement and defence heard (陈述申辩, art.36) — event-driven, red;
* a measure carried out without approval, unless approved within 24 hours afterwards (art.18(1), 19) —
  red once the 24 hours have passed without approval;
* a 查封/扣押 kept beyond its legal maximum: 30 days from the day it was taken plus the approved
  extension, itself at most 30 days (art.25) — red the day after, until it is released or dealt with;
  an extension beyond the cap or more than allowed — red.

Pure: time is a parameter; values from the dated rule parameters ``coercion_*``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.cases.domain import coercion_steps as steps
from chalicelib.cases.domain.case_view import CaseView, StepRecord
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.supervision.domain.common import Breach, aware, business_date, day_start

CHECK = "L13"
NAME = "行政强制程序违法"


def _first(view: CaseView, code: str) -> StepRecord | None:
    found = sorted((s for s in view.steps if s.code == code), key=lambda s: aware(s.at))
    return found[0] if found else None


def _runs_coercion(view: CaseView) -> bool:
    return view.category == "QZ" and any(s.code.startswith("QZ-") for s in view.steps)


def event_breaches(view: CaseView, cfg: RuleConfig) -> list[tuple[str, str, datetime]]:
    """(cause, message, when) of what is wrong as soon as it is recorded."""
    if not _runs_coercion(view):
        return []
    out: list[tuple[str, str, datetime]] = []
    decided = _first(view, steps.ENFORCEMENT_DECIDED)
    if decided is not None:
        at = aware(decided.at)
        demand = _first(view, steps.DEMANDED)
        if demand is None or aware(demand.at) > at:
            out.append(("L13:no_demand", f"{business_date(at).isoformat()} 作出强制执行决定前，未催告当事人履行义务"
                                         "（《行政强制法》第三十五条）。", at))
        heard = _first(view, steps.STATEMENT_HEARD)
        if heard is None or aware(heard.at) > at:
            out.append(("L13:no_statement", f"{business_date(at).isoformat()} 作出强制执行决定前，未听取当事人的陈述和申辩"
                                            "（第三十六条）。", at))
    extensions = sorted((p for p in view.pauses if p.kind == "A"), key=lambda p: (p.start, p.seq))
    if extensions and _first(view, steps.MEASURE_TAKEN) is not None:
        first = extensions[0].start
        cap = cfg.int_value("coercion_extension_days", first)
        times = cfg.int_value("coercion_extensions_max", first)
        total = sum(int((p.declared_limit or {}).get("value") or 0) for p in extensions)
        when = day_start(extensions[-1].start)
        if total > cap or len(extensions) > times:
            out.append(("L13:extension", f"查封、扣押期限延长 {len(extensions)} 次共 {total} 日，"
                                         f"超过规定（延长不超过 {cap} 日、{times} 次，第二十五条）。", when))
    return out


def time_breaches(view: CaseView, cfg: RuleConfig) -> list[Breach]:
    """What becomes wrong with the passing of time: approval not obtained within 24 hours of a measure;
    a measure kept past its legal maximum."""
    if not _runs_coercion(view):
        return []
    out: list[Breach] = []
    taken = _first(view, steps.MEASURE_TAKEN)
    if taken is None:
        return out
    start = aware(taken.at)
    day = business_date(start)
    approved = _first(view, steps.MEASURE_APPROVED)
    hours = cfg.int_value("coercion_emergency_report_hours", day)
    out.append(Breach(CHECK, "red", "L13:unapproved", start + timedelta(hours=hours),
                      aware(approved.at) if approved else None,
                      f"{day.isoformat()} 实施强制措施，未事先报经行政机关负责人批准，也未在 {hours} 小时内补办批准手续"
                      "（第十八条第一项、第十九条）。"))
    concluded = aware(view.concluded_at) if view.concluded_at else None
    days = cfg.int_value("coercion_measure_days", day)
    extended = sum(int((p.declared_limit or {}).get("value") or 0) for p in view.pauses if p.kind == "A")
    extended = min(extended, cfg.int_value("coercion_extension_days", day))
    last = day + timedelta(days=days + extended)
    state = f"实际于 {business_date(concluded).isoformat()} 才解除或处理" if concluded else "至今未解除或处理"
    out.append(Breach(CHECK, "red", f"L13:term:{last.isoformat()}", day_start(last + timedelta(days=1)), concluded,
                      f"查封、扣押自 {day.isoformat()} 实施，法定期限（{days} 日"
                      + (f"，经批准延长 {extended} 日" if extended else "")
                      + f"）至 {last.isoformat()} 届满，{state}（第二十五条、第二十八条）。"))
    return out
