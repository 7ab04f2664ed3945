"""The real-time board (实时监控): every department's open cases by light, its open yellow and red
signals (of those not closed, how many name a 一级/二级/三级 廉政风险点), and the explanations that
are overdue — what the supervision bureau watches all day.

Pure: views, signals and the calendar come in (``services.board`` reads them). A case's light is
the worklist's (``kernel.calendar.light``): red once its due day has ended, yellow from the working
day before, else green; a case not yet accepted has no due date and counts as green.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.calendar import Calendar, light

from .risk import highest_level

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def business_day(moment: datetime) -> date:
    """The Asia/Shanghai date of an instant (a naive instant is taken as +08:00)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)
    return aware.astimezone(SHANGHAI).date()


OPEN_STATUSES = frozenset({"submitted", "accepted", "in_progress", "suspended"})
#: Working days a department has to explain a red signal when the signal names no deadline.
EXPLAIN_WORKING_DAYS = 5


def _due(view: Mapping[str, Any]) -> date | None:
    raw = view.get("due")
    return date.fromisoformat(str(raw)[:10]) if raw else None


def case_light(calendar: Calendar, view: Mapping[str, Any], day: date) -> str:
    return light(calendar, _due(view), day)


def explanation_overdue(calendar: Calendar, signal: Mapping[str, Any], day: date) -> bool:
    """A red signal still open after its explanation deadline (``explain_by``, else five working
    days after it was raised)."""
    if signal.get("level") != "red" or signal.get("status") != "open":
        return False
    by = signal.get("explain_by")
    if by:
        return day > date.fromisoformat(str(by)[:10])
    raised = business_day(datetime.fromisoformat(str(signal["raised_at"])))
    return day > calendar.add_working_days(raised, EXPLAIN_WORKING_DAYS).due


def reply_overdue(signal: Mapping[str, Any], day: date) -> bool:
    """An explanation the supervisors have not answered by its reply deadline."""
    by = signal.get("reply_deadline")
    return signal.get("status") == "explained" and bool(by) and day > date.fromisoformat(str(by)[:10])


def board(departments: Iterable[Mapping[str, Any]], views: Iterable[Mapping[str, Any]],
          signals: Iterable[Mapping[str, Any]], calendar: Calendar, day: date) -> dict[str, Any]:
    """One row per department (departments without anything open included), worst first."""
    rows: dict[str, dict[str, Any]] = {}
    for d in departments:
        rows[d["code"]] = {"dept_code": d["code"], "dept_name": d.get("name"), "level": d.get("level"),
                           "region_code": d.get("region_code"), "open": 0, "green": 0, "yellow": 0, "red": 0,
                           "signals_yellow": 0, "signals_red": 0, "explained": 0, "explanations_overdue": 0,
                           "replies_overdue": 0, "signals_risk_1": 0, "signals_risk_2": 0, "signals_risk_3": 0}
    for v in views:
        row = rows.get(str(v.get("dept_code")))
        if row is None or v.get("status") not in OPEN_STATUSES:
            continue
        row["open"] += 1
        row[case_light(calendar, v, day)] += 1
    for s in signals:
        row = rows.get(str(s.get("dept_code")))
        if row is None or s.get("status") == "closed":
            continue
        if s.get("status") == "open":
            row["signals_yellow" if s.get("level") == "yellow" else "signals_red"] += 1
        else:
            row["explained"] += 1
        risk = highest_level(s)
        if risk is not None:  # not closed, naming a 廉政风险点: counted at the highest level it names
            row[f"signals_risk_{risk}"] += 1
        row["explanations_overdue"] += int(explanation_overdue(calendar, s, day))
        row["replies_overdue"] += int(reply_overdue(s, day))
    ordered = sorted(rows.values(), key=lambda r: (-r["red"], -r["signals_red"], -r["yellow"], -r["open"], r["dept_code"]))
    keys = ("open", "green", "yellow", "red", "signals_yellow", "signals_red", "explained", "explanations_overdue",
            "replies_overdue", "signals_risk_1", "signals_risk_2", "signals_risk_3")
    totals = {k: sum(r[k] for r in ordered) for k in keys}
    return {"as_of_day": day.isoformat(), "items": ordered, "totals": totals, "next": None}


def department_cases(views: Iterable[Mapping[str, Any]], calendar: Calendar, day: date,
                     light: str | None = None) -> list[dict[str, Any]]:
    """A department's open cases, most urgent first, as the board's drill-down lists them."""
    out = []
    for v in views:
        if v.get("status") not in OPEN_STATUSES:
            continue
        c = case_light(calendar, v, day)
        if light and c != light:
            continue
        due = _due(v)
        out.append({"case_no": v["case_no"], "item_code": v.get("item_code"), "item_name": v.get("item_name"),
                    "dept_code": v.get("dept_code"), "status": v.get("status"), "category": v.get("category"),
                    "submitted_at": v.get("submitted_at"), "accepted_at": v.get("accepted_at"),
                    "due": due.isoformat() if due else None, "statutory_due": v.get("statutory_due"),
                    "colour": c, "overdue_working_days": calendar.working_days_between(due, day) if due and day > due else 0})
    rank = {"red": 0, "yellow": 1, "green": 2}
    return sorted(out, key=lambda r: (rank[r["colour"]], r["due"] or "9999-12-31", r["case_no"]))


def visible(principal: Principal, dept: Mapping[str, Any]) -> bool:
    """Department roles see their own department; a region-bound supervisor the departments of
    that region (a city's ``3203xx`` sees its counties too); others every department — the
    principal's one scope (identity.domain.scope), as on every other route."""
    return principal.scope.allows(str(dept.get("code") or "") or None)
