"""Administrative reconsideration (行政复议) and litigation (行政应诉): time limits, outcomes, rates.

docs/DOMAIN.md §7.5. Records are linked to the original case number so the legal office (法制办) sees
how often each item's and each department's decisions are challenged and corrected.

Time limits (defaults; every value is configuration with an effective date, :class:`OfficeConfig`):

* reconsideration application (复议申请) within 60 days of learning of the act
  (行政复议法 1999 art.9) — a later application is flagged ``application_late``;
* decision on acceptance (受理决定) within 5 days of receiving the application; the law says these
  "5 days" are working days (行政复议法 1999 art.40), so they are counted on the calendar;
* decision (复议决定) within 60 days of acceptance (art.31), extendable once by 30 days;
* litigation defence (行政应诉答辩) within 15 days of being served the complaint (行政诉讼法 2015
  art.67; 10 days under the 1989 law — configure a dated value for older cases).

Calendar-day periods follow the general rule on periods (期间): the start day is not counted, and
a period whose last day is not a working day ends on the next working day.

Outcomes (复议决定 / 判决): 维持 uphold, 撤销 revoke, 变更 vary, 确认违法 confirm illegality,
责令履行 order performance. Revoked or varied decisions are the "corrected" ones the rates show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError, ValidationError, field_error

Outcome = Literal["uphold", "revoke", "vary", "confirm_illegal", "order_performance"]
ReviewKind = Literal["reconsideration", "litigation"]
RateBy = Literal["item", "dept"]

#: Outcome codes with their Chinese names (both are accepted on input).
OUTCOMES: dict[str, str] = {
    "uphold": "维持",
    "revoke": "撤销",
    "vary": "变更",
    "confirm_illegal": "确认违法",
    "order_performance": "责令履行",
}
REVOKED_OR_VARIED = frozenset({"revoke", "vary"})
KIND_NAMES: dict[str, str] = {"reconsideration": "行政复议", "litigation": "行政应诉"}

_BEGINNING = date.min


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class OfficeParam:
    """One legal-office time limit: default, unit and meaning (Chinese)."""

    name: str
    default: int
    unit: Literal["calendar_day", "working_day"]
    description: str


#: The legal office's own limits (normative-document filing, reconsideration, litigation).
OFFICE_PARAMS: dict[str, OfficeParam] = {
    p.name: p
    for p in (
        OfficeParam("normdoc_filing_wd", 3, "working_day", "规范性文件公布后应在该工作日数内报送备案"),
        OfficeParam(
            "normdoc_min_effect_gap_days", 30, "calendar_day", "公布至施行不足该日数须在起草说明中说明理由"
        ),
        OfficeParam(
            "reconsideration_application_days", 60, "calendar_day", "知道具体行政行为之日起该日数内申请复议"
        ),
        OfficeParam(
            "reconsideration_acceptance_wd", 5, "working_day", "收到复议申请后该工作日数内决定是否受理"
        ),
        OfficeParam("reconsideration_decision_days", 60, "calendar_day", "受理之日起该日数内作出复议决定"),
        OfficeParam("reconsideration_extension_days", 30, "calendar_day", "复议决定期限可延长的最多日数"),
        OfficeParam(
            "litigation_defence_days", 15, "calendar_day", "收到起诉状副本之日起该日数内提交答辩状和证据"
        ),
    )
}


class OfficeConfig:
    """Legal-office limits, each a schedule of ``(effective_from, value)``.

    The override format is the one :class:`~chalicelib.kernel.rules_config.RuleConfig` accepts:
    a bare integer (from the beginning), one ``{"effective_from", "value"}`` or a list of them.
    """

    def __init__(self, schedules: Mapping[str, Sequence[tuple[date, int]]] | None = None) -> None:
        merged: dict[str, dict[date, int]] = {n: {_BEGINNING: p.default} for n, p in OFFICE_PARAMS.items()}
        for name, entries in (schedules or {}).items():
            if name not in OFFICE_PARAMS:
                raise KeyError(f"unknown legal-office parameter {name!r}")
            for when, value in entries:
                merged[name][when] = value
        self._schedules = {n: tuple(sorted(s.items())) for n, s in merged.items()}

    def value(self, name: str, on: date) -> int:
        """The value in force on ``on``."""
        current = self._schedules[name][0][1]
        for when, value in self._schedules[name]:
            if when > on:
                break
            current = value
        return current

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [
                {"effective_from": None if w == _BEGINNING else w.isoformat(), "value": v} for w, v in sched
            ]
            for name, sched in self._schedules.items()
        }

    @classmethod
    def from_dict(cls, raw: Any) -> OfficeConfig:
        """Validate overrides; raises :class:`ValidationError` naming every bad field."""
        if not isinstance(raw, Mapping):
            raise ValidationError("配置应为 JSON 对象", [field_error("body", "应为 JSON 对象")])
        problems: list[dict[str, Any]] = []
        schedules: dict[str, list[tuple[date, int]]] = {}
        for name, body in raw.items():
            if name not in OFFICE_PARAMS:
                problems.append(field_error(str(name), "未知的参数", "unknown"))
                continue
            entries = body if isinstance(body, list) else [body]
            for i, entry in enumerate(entries):
                where = f"{name}.{i}" if isinstance(body, list) else name
                bare = not isinstance(entry, Mapping)
                if bare:
                    entry = {"value": entry}
                extra = set(entry) - {"effective_from", "value"}
                if extra:
                    problems.append(field_error(f"{where}.{min(extra)}", "不允许的字段", "extra_forbidden"))
                when: date = _BEGINNING
                raw_when = entry.get("effective_from")
                if raw_when is not None:
                    try:
                        when = date.fromisoformat(str(raw_when))
                    except ValueError:
                        problems.append(field_error(f"{where}.effective_from", "生效日期应为 YYYY-MM-DD"))
                        continue
                value = entry.get("value")
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    problems.append(field_error(where if bare else f"{where}.value", "应为正整数"))
                    continue
                schedules.setdefault(name, []).append((when, value))
        if problems:
            raise ValidationError("法制办参数配置有误", problems)
        return cls(schedules)


def period_end(start: date, days: int, calendar: Calendar) -> date:
    """Last day of a period of ``days`` calendar days after ``start`` (start not counted); a last
    day that is not a working day moves to the next working day (期间届满日遇节假日顺延)."""
    end = start + timedelta(days=days)
    return end if calendar.is_workday(end) else calendar.next_workday(end)


def outcome_code(raw: str) -> Outcome | None:
    """An outcome from its code or its Chinese name; None when unknown."""
    text = raw.strip()
    for code, name in OUTCOMES.items():
        if text in (code, name):
            return code  # type: ignore[return-value]
    return None


# --------------------------------------------------------------------------- time limits


@dataclass(frozen=True)
class Reconsideration:
    """The dates of one reconsideration that the time limits depend on."""

    learned_on: date
    applied_on: date
    acceptance_on: date | None = None
    accepted: bool | None = None
    extended: bool = False
    decided_on: date | None = None


@dataclass(frozen=True)
class Litigation:
    """The dates of one litigation response (行政应诉)."""

    served_on: date
    defence_filed_on: date | None = None
    decided_on: date | None = None


def _late(due: date, done: date | None, as_of: date) -> bool:
    """Late when done after the due day, or not done and the due day has ended."""
    return done > due if done is not None else as_of > due


def reconsideration_limits(
    rec: Reconsideration, calendar: Calendar, cfg: OfficeConfig, as_of: date
) -> dict[str, Any]:
    """Deadlines and flags of a reconsideration as of ``as_of`` (dates as ISO strings)."""
    app_days = cfg.value("reconsideration_application_days", rec.learned_on)
    application_due = period_end(rec.learned_on, app_days, calendar)
    acc_wd = cfg.value("reconsideration_acceptance_wd", rec.applied_on)
    acceptance_due = calendar.add_working_days(rec.applied_on, acc_wd).due
    out: dict[str, Any] = {
        "application_deadline": application_due.isoformat(),
        "application_late": rec.applied_on > application_due,
        "acceptance_due": acceptance_due.isoformat(),
        "acceptance_overdue": _late(acceptance_due, rec.acceptance_on, as_of),
        "decision_due": None,
        "decision_overdue": False,
    }
    if rec.accepted and rec.acceptance_on is not None:
        dec_days = cfg.value("reconsideration_decision_days", rec.acceptance_on)
        base = rec.acceptance_on + timedelta(days=dec_days)
        if rec.extended:
            base += timedelta(days=cfg.value("reconsideration_extension_days", rec.acceptance_on))
        due = base if calendar.is_workday(base) else calendar.next_workday(base)
        out["decision_due"] = due.isoformat()
        out["decision_overdue"] = _late(due, rec.decided_on, as_of)
    return out


def extension_problem(rec: Reconsideration, on: date, calendar: Calendar, cfg: OfficeConfig) -> str | None:
    """Why an extension on ``on`` is not allowed (Chinese), or None."""
    if not rec.accepted or rec.acceptance_on is None:
        return "复议申请尚未受理，不能延长审理期限"
    if rec.extended:
        return "复议审理期限只能延长一次"
    if rec.decided_on is not None:
        return "已作出复议决定，不能再延长"
    due = period_end(
        rec.acceptance_on, cfg.value("reconsideration_decision_days", rec.acceptance_on), calendar
    )
    if on > due:
        return f"延长须在原审理期限（{due.isoformat()}）届满前决定"
    return None


def litigation_limits(lit: Litigation, calendar: Calendar, cfg: OfficeConfig, as_of: date) -> dict[str, Any]:
    """Defence deadline and flag of a litigation response as of ``as_of``."""
    due = period_end(lit.served_on, cfg.value("litigation_defence_days", lit.served_on), calendar)
    return {"defence_due": due.isoformat(), "defence_late": _late(due, lit.defence_filed_on, as_of)}


# --------------------------------------------------------------------------- rates


@dataclass(frozen=True)
class ReviewFact:
    """What the rates need from one reconsideration or litigation record."""

    kind: ReviewKind
    item_code: str
    dept_code: str
    outcome: str | None = None


def _ratio(num: int, den: int, scale: int = 1) -> float | None:
    return round(num * scale / den, 4) if den else None


def rates(reviews: Iterable[ReviewFact], decisions: Mapping[str, int], by: RateBy) -> list[dict[str, Any]]:
    """Rates per item (``by="item"``) or department (``"dept"``).

    ``decisions`` counts the decisions (penalty decisions and concluded cases) per key. For each
    key: ``per_100_decisions`` = (reconsiderations + litigations) × 100 / decisions (None without
    decisions); ``revoked_or_varied_rate`` = revoked or varied ÷ decided reviews (0..1, None when
    none is decided); ``revoked_or_varied_per_100_decisions`` = revoked or varied × 100 / decisions.
    """
    rows: dict[str, dict[str, int]] = {}

    def row(key: str) -> dict[str, int]:
        return rows.setdefault(
            key,
            {
                "reconsiderations": 0,
                "litigations": 0,
                "decided": 0,
                "revoked_or_varied": 0,
                **{k: 0 for k in OUTCOMES},
            },
        )

    for key in decisions:
        row(key)
    for r in reviews:
        acc = row(r.item_code if by == "item" else r.dept_code)
        acc["reconsiderations" if r.kind == "reconsideration" else "litigations"] += 1
        if r.outcome in OUTCOMES:
            acc["decided"] += 1
            acc[r.outcome] += 1
            if r.outcome in REVOKED_OR_VARIED:
                acc["revoked_or_varied"] += 1
    out = []
    for key in sorted(rows):
        acc = rows[key]
        n = decisions.get(key, 0)
        total = acc["reconsiderations"] + acc["litigations"]
        out.append(
            {
                ("item_code" if by == "item" else "dept_code"): key,
                "decisions": n,
                "reconsiderations": acc["reconsiderations"],
                "litigations": acc["litigations"],
                "per_100_decisions": _ratio(total, n, 100),
                "reconsiderations_per_100_decisions": _ratio(acc["reconsiderations"], n, 100),
                "litigations_per_100_decisions": _ratio(acc["litigations"], n, 100),
                "decided": acc["decided"],
                "outcomes": {k: acc[k] for k in OUTCOMES},
                "revoked_or_varied": acc["revoked_or_varied"],
                "revoked_or_varied_rate": _ratio(acc["revoked_or_varied"], acc["decided"]),
                "revoked_or_varied_per_100_decisions": _ratio(acc["revoked_or_varied"], n, 100),
            }
        )
    return out


# --------------------------------------------------------------------------- a review's lifecycle


@dataclass
class Review:
    """A reconsideration or litigation record (``rec`` as stored) and its lifecycle.

    Reconsideration: applied → accepted | rejected → (extended) → decided.
    Litigation: served → defended → decided.
    """

    rec: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.rec["kind"])

    def facts(self) -> Reconsideration:
        acc = self.rec.get("acceptance") or {}
        dec = self.rec.get("decision") or {}
        return Reconsideration(
            learned_on=date.fromisoformat(self.rec["learned_on"]),
            applied_on=date.fromisoformat(self.rec["applied_on"]),
            acceptance_on=date.fromisoformat(acc["on"]) if acc.get("on") else None,
            accepted=(acc.get("decision") == "accepted") if acc else None,
            extended=self.rec.get("extension") is not None,
            decided_on=date.fromisoformat(dec["decided_on"]) if dec.get("decided_on") else None,
        )

    def limits(self, calendar: Calendar, cfg: OfficeConfig, as_of: date) -> dict[str, Any]:
        """The deadlines and lateness flags as of ``as_of``."""
        if self.kind == "reconsideration":
            return reconsideration_limits(self.facts(), calendar, cfg, as_of)
        dec = self.rec.get("decision") or {}
        filed = self.rec.get("defence_filed_on")
        lit = Litigation(served_on=date.fromisoformat(self.rec["served_on"]),
                         defence_filed_on=date.fromisoformat(filed) if filed else None,
                         decided_on=date.fromisoformat(dec["decided_on"]) if dec.get("decided_on") else None)
        return litigation_limits(lit, calendar, cfg, as_of)

    def accept(self, decision: str, reason: str | None, on: date) -> None:
        """受理决定 (accept or reject, a rejection with its reason)."""
        if decision == "rejected" and not (reason or "").strip():
            raise ValidationError("不予受理须说明理由", [field_error("reason", "不予受理须说明理由", "missing")])
        self.rec["acceptance"] = {"decision": decision, "on": on.isoformat(), "reason": reason}
        self.rec["status"] = "accepted" if decision == "accepted" else "rejected"

    def extend(self, on: date, approver: str, reason: str) -> None:
        self.rec["extension"] = {"on": on.isoformat(), "approver": approver, "reason": reason}

    def defend(self, on: date) -> None:
        self.rec.update(defence_filed_on=on.isoformat(), status="defended")

    def decision_floor(self) -> tuple[date, str]:
        """The earliest day a decision may carry, and its name; refuses an unaccepted reconsideration."""
        if self.kind == "reconsideration":
            acc = self.rec.get("acceptance") or {}
            if acc.get("decision") != "accepted":
                raise ConflictError("复议申请尚未受理，不能作出复议决定")
            return date.fromisoformat(acc["on"]), "受理日期"
        return date.fromisoformat(self.rec["served_on"]), "收到起诉状副本日期"

    def decide(self, outcome: Outcome, on: date, summary: str | None, follow_up: str | None,
               appealed: bool | None) -> None:
        """复议决定 / 判决: one of 维持/撤销/变更/确认违法/责令履行."""
        self.rec["decision"] = {"outcome": outcome, "outcome_name": OUTCOMES[outcome], "decided_on": on.isoformat(),
                                "summary": summary, "follow_up": follow_up, "appealed": appealed}
        self.rec["status"] = "decided"
