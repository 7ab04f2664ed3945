"""Normative-document filing (规范性文件备案), docs/DOMAIN.md §7.4 [S-NORM].

A drafting body (制定机关) files each normative document it issues with the legal office (法制办):

* **Filing package (备案材料):** the filing report (备案报告), the official text (正式文本, filed online
  as its electronic text), the explanatory note (起草说明) including the drafting body's own
  legal-office opinion (法制机构审核意见). When the gap between publication and taking effect is
  under 30 days, the note must explain why (``effect_gap_reason``). A filing missing a part is
  refused (400 naming each part).
* **Filing deadline:** configurable; by default 3 working days after the document is published
  (issued). A later filing is kept and flagged ``overdue_filing``.
* **Registration (登记) or hold (暂缓登记):** the legal office registers a complete filing, or holds
  it, naming the deficient parts and a supplement deadline (补报期限); the drafter supplements it
  and the filing waits for registration again.
* **Review (审查):** drafter's authority, conflict with laws/regulations/rules, conflict with
  policies and higher-level provisions. Outcomes: ``ok`` (no problem), ``correction_requested``
  (the drafter must correct or repeal it itself), ``revoked`` (the reviewing body revokes it);
  the last two need findings. A corrected document is supplemented and reviewed again.
* **Quarterly published list (备案目录公布):** the list published for quarter Q contains the
  documents whose filing was *received* in the quarter before Q and that the legal office has
  registered (``registered`` or reviewed). It is published in the second month of Q and is public
  from the first day of that month: the 2012Q3 list (filings received 2012-04-01 … 2012-06-30)
  is public from 2012-08-01; before that day the list is not available.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError, ValidationError, field_error

NormDocStatus = Literal["filed", "held", "registered", "ok", "correction_requested", "revoked"]
ReviewOutcome = Literal["ok", "correction_requested", "revoked"]
Action = Literal["register", "hold", "supplement", "review"]

#: The parts of a filing package, with their Chinese names.
PARTS: dict[str, str] = {
    "filing_report": "备案报告",
    "official_text": "正式文本（电子文本）",
    "explanatory_note": "起草说明",
    "legal_office_opinion": "制定机关法制机构审核意见",
    "effect_gap_reason": "公布至施行不足规定日数的理由说明",
}
REQUIRED_PARTS: tuple[str, ...] = (
    "filing_report",
    "official_text",
    "explanatory_note",
    "legal_office_opinion",
)

#: Review points (审查要点).
REVIEW_POINTS: dict[str, str] = {
    "authority": "制定机关超越权限",
    "conflict_law": "与法律、法规、规章相抵触",
    "conflict_policy": "与国家政策或上级规定相抵触",
    "procedure": "制定程序不合法",
    "other": "其他问题",
}
STATUS_NAMES: dict[str, str] = {
    "filed": "已报送待登记",
    "held": "暂缓登记待补报",
    "registered": "已登记审查中",
    "ok": "审查无异议",
    "correction_requested": "责令自行纠正",
    "revoked": "已撤销",
}
#: Statuses in which the filing counts as registered (it appears in the quarterly list).
REGISTERED_STATUSES = frozenset({"registered", "ok", "correction_requested", "revoked"})

_ALLOWED: dict[str, frozenset[str]] = {
    "register": frozenset({"filed"}),
    "hold": frozenset({"filed"}),
    "supplement": frozenset({"held", "correction_requested"}),
    "review": frozenset({"registered"}),
}
_ACTION_NAMES = {"register": "登记", "hold": "暂缓登记", "supplement": "补报", "review": "审查"}

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def _present(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def effect_gap_short(published_on: date, effective_on: date, min_gap_days: int) -> bool:
    """True when the document takes effect less than ``min_gap_days`` after publication."""
    return (effective_on - published_on).days < min_gap_days


def filing_problems(
    parts: Mapping[str, Any], published_on: date, effective_on: date, min_gap_days: int
) -> list[dict[str, Any]]:
    """Every missing part of a filing package, each naming its field (``parts.filing_report``)."""
    problems = [
        field_error(f"parts.{p}", f"缺少{PARTS[p]}", "missing")
        for p in REQUIRED_PARTS
        if not _present(parts.get(p))
    ]
    if effective_on < published_on:
        problems.append(field_error("effective_on", "施行日期不得早于公布日期"))
    elif effect_gap_short(published_on, effective_on, min_gap_days) and not _present(
        parts.get("effect_gap_reason")
    ):
        problems.append(
            field_error(
                "parts.effect_gap_reason",
                f"公布（{published_on.isoformat()}）至施行（{effective_on.isoformat()}）"
                f"不足 {min_gap_days} 日，起草说明须说明理由",
                "missing",
            )
        )
    return problems


def filing_deadline(published_on: date, working_days: int, calendar: Calendar) -> date:
    """The last day to file: ``working_days`` working days after publication (not counted)."""
    return calendar.add_working_days(published_on, working_days).due


def transition_problem(status: str, action: Action) -> str | None:
    """Why ``action`` is not allowed in ``status`` (Chinese), or None."""
    if status in _ALLOWED[action]:
        return None
    return f"备案当前状态为「{STATUS_NAMES.get(status, status)}」，不能{_ACTION_NAMES[action]}"


def after_supplement(status: str) -> NormDocStatus:
    """A held filing waits for registration again; a corrected document is reviewed again."""
    return "filed" if status == "held" else "registered"


def review_problems(outcome: ReviewOutcome, findings: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A correction or revocation must state at least one finding."""
    if outcome != "ok" and not findings:
        return [field_error("findings", "责令纠正或撤销须列明审查发现的问题", "missing")]
    if outcome == "ok" and findings:
        return [field_error("findings", "审查无异议时不应列出问题")]
    return []


# --------------------------------------------------------------------------- quarterly list


@dataclass(frozen=True)
class QuarterWindow:
    """Which filings the list published for ``quarter`` covers, and when it is published."""

    quarter: str
    filed_from: date
    filed_to: date
    publish_on: date

    def published_by(self, as_of: date) -> bool:
        return as_of >= self.publish_on

    def covers(self, filed_on: date) -> bool:
        return self.filed_from <= filed_on <= self.filed_to


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _quarter_start(year: int, q: int) -> date:
    return date(year, 3 * (q - 1) + 1, 1)


def quarter_window(quarter: str) -> QuarterWindow | None:
    """The window of the list published in ``quarter`` (``2012Q3``); None if malformed."""
    m = QUARTER_RE.match(quarter)
    if not m:
        return None
    year, q = int(m.group(1)), int(m.group(2))
    start = _quarter_start(year, q)
    prev_year, prev_q = (year, q - 1) if q > 1 else (year - 1, 4)
    filed_from = _quarter_start(prev_year, prev_q)
    publish_on = date(year, start.month + 1, 1)
    return QuarterWindow(quarter, filed_from, start - timedelta(days=1), publish_on)


def list_quarter_for_filing(filed_on: date) -> str:
    """The quarter whose published list will include a filing received on ``filed_on``."""
    year, q = filed_on.year, (filed_on.month - 1) // 3 + 1
    return f"{year}Q{q + 1}" if q < 4 else f"{year + 1}Q1"


# --------------------------------------------------------------------------- a filing's lifecycle


def journal(rec: dict[str, Any], action: str, on: date, at: datetime, by: str, text: str | None = None) -> None:
    """Append to a legal-office record's history: what, on which business day, when, by whom."""
    rec["history"] = [*rec.get("history", []),
                      {"action": action, "on": on.isoformat(), "at": at.isoformat(), "by": by, "text": text}]


@dataclass
class Filing:
    """A normative-document filing (``rec`` as stored): filed → registered or held → supplemented
    → registered → reviewed (ok / correction requested → supplemented → reviewed again / revoked)."""

    rec: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.rec["status"])

    def allow(self, action: Action) -> None:
        problem = transition_problem(self.status, action)
        if problem:
            raise ConflictError(problem)

    def register(self, on: date, at: datetime, by: str, note: str | None) -> None:
        """登记: the legal office registers a complete filing; review follows."""
        self.allow("register")
        self.rec.update(status="registered", registered_on=on.isoformat())
        journal(self.rec, "register", on, at, by, note)

    def hold(self, missing: list[str], deadline: date, on: date, at: datetime, by: str, note: str | None) -> None:
        """暂缓登记: name the deficient parts and the supplement deadline."""
        self.allow("hold")
        if deadline <= on:
            raise ValidationError("补报期限有误", [field_error("deadline", "补报期限应晚于暂缓登记日期")])
        missing = list(dict.fromkeys(missing))
        self.rec.update(status="held", hold={
            "on": on.isoformat(), "missing": missing, "missing_names": [PARTS[p] for p in missing],
            "deadline": deadline.isoformat(), "note": note, "supplemented_on": None, "supplement_late": None})
        journal(self.rec, "hold", on, at, by, note)

    def missing_from(self, given: Mapping[str, Any]) -> list[str]:
        """The held parts a supplement still lacks."""
        return [p for p in (self.rec.get("hold") or {}).get("missing", []) if p not in given]

    def supplement(self, given: dict[str, Any], on: date, at: datetime, by: str, note: str | None) -> None:
        """补报: the drafter supplies the missing parts (or the corrected document)."""
        self.allow("supplement")
        if self.status == "held":
            hold = self.rec["hold"] or {}
            hold.update(supplemented_on=on.isoformat(), supplement_late=on > date.fromisoformat(hold["deadline"]))
            self.rec["hold"] = hold
        self.rec["parts"] = {**self.rec.get("parts", {}), **given}
        self.rec["status"] = after_supplement(self.status)
        journal(self.rec, "supplement", on, at, by, note)

    def review(self, outcome: ReviewOutcome, findings: list[dict[str, Any]], on: date, at: datetime, by: str,
               note: str | None) -> None:
        """审查结论: ok, correction requested (the drafter corrects or repeals), or revoked."""
        self.allow("review")
        for f in findings:
            f["point_name"] = REVIEW_POINTS[f["point"]]
        self.rec["status"] = outcome
        self.rec["review"] = {"outcome": outcome, "on": on.isoformat(), "findings": findings, "note": note, "by": by}
        self.rec["reviews"] = [*self.rec.get("reviews", []), self.rec["review"]]
        journal(self.rec, f"review:{outcome}", on, at, by, note)

    def out(self) -> dict[str, Any]:
        return {**self.rec, "status_name": STATUS_NAMES.get(self.status, self.status)}
