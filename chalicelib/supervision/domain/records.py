"""Signals (监察信号) and findings (法制监督发现): one model for both, and its lifecycle.

A supervision rule (R1–R14, C1/C2, E1) raises a *signal*; a legality check (L1–L12) raises a
*finding*. Both are the same thing — a yellow or red record about a case, raised once per
``(case, cause)``, explained by the department and closed by the supervisor or the legal office —
so one class carries both; :class:`RecordKind` holds what differs (key prefix, field names in the
contract, whether the period counters move).

Lifecycle: ``open`` → ``explained`` (the department's written explanation, 情况说明; the supervisor
must answer by a deadline) → ``closed`` (accepted or rejected, with a reason). A data-dependent
signal that later data shows never existed is *withdrawn*: closed by the system, never deleted.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Literal

from chalicelib.kernel.errors import ConflictError

Level = Literal["yellow", "red"]


@dataclass(frozen=True)
class RecordKind:
    code: str  #: key prefix and stored kind: ``SIG`` / ``FND``
    id_prefix: str  #: ``S-…`` / ``F-…``
    id_field: str  #: ``signal_id`` / ``finding_id``
    rule_field: str  #: ``rule`` / ``check``
    platform: str  #: the platform named in notifications
    counted: bool  #: raising or withdrawing moves the period's yellow/red counters


SIGNAL = RecordKind("SIG", "S", "signal_id", "rule", "行政监察", counted=True)
FINDING = RecordKind("FND", "F", "finding_id", "check", "法制监督", counted=False)
KINDS: dict[str, RecordKind] = {k.code: k for k in (SIGNAL, FINDING)}
LEVEL_NAMES = {"yellow": "黄牌", "red": "红牌"}


def record_id(kind: RecordKind, rule: str, case_no: str, cause: str) -> str:
    """Deterministic: the same rule, case and cause always name the same record."""
    digest = hashlib.sha256(f"{rule}|{case_no}|{cause}".encode()).hexdigest()[:20]
    return f"{kind.id_prefix}-{digest}"


@dataclass(frozen=True)
class Draft:
    """A signal or finding before it is stored; the store dedupes on ``(case_no, cause)``."""

    KIND: ClassVar[RecordKind] = SIGNAL

    rule: str
    level: Level
    case_no: str
    dept_code: str
    cause: str
    message: str
    recipients: list[str]
    raised_at: datetime
    event_id: str | None = None
    #: The step of the item's internal flow the record concerns (R4 环节超时, a timed-out task …), when any.
    step_code: str | None = None
    #: The 廉政风险点 of the bound item version this record names (``domain.risk.link``), worst first.
    risk_points: tuple[dict[str, Any], ...] = ()

    @property
    def kind(self) -> RecordKind:
        return self.KIND

    @property
    def check(self) -> str:
        """Legal oversight calls its rules checks (L1–L12)."""
        return self.rule

    @property
    def key(self) -> tuple[str, str]:
        """The dedupe key: a rule raises at most one record per case and cause."""
        return (self.case_no, self.cause)

    @property
    def record_id(self) -> str:
        return record_id(self.kind, self.rule, self.case_no, self.cause)

    def to_dict(self) -> dict[str, Any]:
        return {self.kind.rule_field: self.rule, "level": self.level, "case_no": self.case_no,
                "dept_code": self.dept_code, "cause": self.cause, "message": self.message,
                "recipients": list(self.recipients), "raised_at": self.raised_at.isoformat(),
                "event_id": self.event_id}


@dataclass(frozen=True)
class SignalDraft(Draft):
    """A supervision signal (监察信号) draft."""

    KIND: ClassVar[RecordKind] = SIGNAL


@dataclass(frozen=True)
class FindingDraft(Draft):
    """A legal-oversight finding (法制监督发现) draft."""

    KIND: ClassVar[RecordKind] = FINDING


#: A red signal needs the department's written explanation (情况说明) within this many working days
#: of the department being told [inferred; docs/DOMAIN.md §6.2 "report back when a reply is requested"];
#: one not given in time is itself flagged with a yellow ``E2`` (逾期未说明) for the supervision bureau.
EXPLANATION_WORKING_DAYS = 5
EXPLANATION_RULE = "E2"

#: Signals that judge the data as it stands: when later (out-of-order or corrected) data shows the
#: situation never existed, they are withdrawn — closed with that disposition, never deleted.
WITHDRAWABLE = ("R4:step:", "R6:", "R8:no_acceptance", "R13:")
WITHDRAWN_REASON = "后续报送（乱序到达或更正）的数据表明该情形不存在，系统自动撤回"


@dataclass
class OversightRecord:
    """A stored signal or finding. ``body`` is the record as the contract shows it; ``version``
    guards every change (a concurrent change loses with a conflict)."""

    kind: RecordKind
    body: dict[str, Any]
    version: int | None = None

    @classmethod
    def raised(cls, draft: Draft, explain_by: date | None = None) -> OversightRecord:
        """A new record; ``explain_by`` the last day for the department's explanation (red signals)."""
        kind = draft.kind
        body: dict[str, Any] = {
            kind.id_field: draft.record_id, kind.rule_field: draft.rule,
            "level": draft.level, "case_no": draft.case_no, "dept_code": draft.dept_code,
            "raised_at": draft.raised_at.isoformat(), "message": draft.message, "status": "open",
            "cause": draft.cause, "recipients": list(draft.recipients), "event_id": draft.event_id, "history": [],
        }
        if explain_by is not None:
            body["explain_by"] = explain_by.isoformat()
        if draft.step_code is not None:
            body["step_code"] = draft.step_code
        if draft.risk_points:
            body["risk_points"] = [dict(p) for p in draft.risk_points]
            body["risk_level"] = min(int(p["level"]) for p in draft.risk_points)
        return cls(kind, body)

    @staticmethod
    def needs_explanation(draft: Draft) -> bool:
        """A red signal must be explained in writing by a deadline (E2 when it is not)."""
        return draft.kind is SIGNAL and draft.level == "red"

    @property
    def id(self) -> str:
        return str(self.body[self.kind.id_field])

    @property
    def rule(self) -> str:
        return str(self.body[self.kind.rule_field])

    @property
    def status(self) -> str:
        return str(self.body["status"])

    @property
    def dept_code(self) -> str:
        return str(self.body["dept_code"])

    @property
    def case_no(self) -> str:
        return str(self.body["case_no"])

    @property
    def level(self) -> str:
        return str(self.body["level"])

    @property
    def cause(self) -> str:
        return str(self.body.get("cause", ""))

    @property
    def raised_at(self) -> datetime:
        return datetime.fromisoformat(self.body["raised_at"])

    @property
    def explain_by(self) -> str | None:
        value = self.body.get("explain_by")
        return str(value) if value else None

    @property
    def addressed_to_legal(self) -> bool:
        """Addressed to the legal office (法制办), which reads such signals (R3, R13, R14)."""
        return "legal" in (self.body.get("recipients") or [])

    @property
    def counts_in_periods(self) -> bool:
        """Whether the record moves the period's yellow/red counters."""
        return self.kind.counted and self.level in ("yellow", "red")

    @property
    def risk_level(self) -> int | None:
        """The highest (lowest-numbered) level of the risk points it names; None when it names none."""
        value = self.body.get("risk_level")
        return int(value) if value in (1, 2, 3) else None

    def counter_moves(self, sign: int) -> dict[str, int]:
        """How raising (+1) or withdrawing (-1) moves the period counters: its light, and the risk
        level it names (``risk_1``/``risk_2``/``risk_3``: each signal counted once, at its highest level)."""
        moves = {self.level: sign}
        if self.risk_level is not None:
            moves[f"risk_{self.risk_level}"] = sign
        return moves

    # ----- lifecycle ------------------------------------------------------------------------

    def explain(self, text: str, by: str, at: datetime, reply_by: date) -> None:
        """The department's written explanation (情况说明); the supervisor answers by ``reply_by``."""
        if self.status != "open":
            raise ConflictError(f"当前状态为 {self.status}，不能再提交说明")
        self.body.update(status="explained", explanation=text, explained_by=by, explained_at=at.isoformat(),
                         reply_deadline=reply_by.isoformat())
        self._note(at, by, "explain", text)

    def dispose(self, decision: str, reason: str, by: str, at: datetime) -> None:
        """Close the record: the supervisor (or the legal office) accepts or rejects the explanation."""
        if self.status == "closed":
            raise ConflictError("该记录已关闭")
        self._close(decision, reason, by, at)
        self._note(at, by, decision, reason)

    def withdrawable(self, still_true: set[str]) -> bool:
        """An open, data-dependent signal whose cause the current data no longer shows."""
        return self.status == "open" and self.cause not in still_true and self.cause.startswith(WITHDRAWABLE)

    def withdraw(self, at: datetime, reason: str = WITHDRAWN_REASON, by: str = "system") -> None:
        """Closed as withdrawn — by the system when later data shows the situation never existed, or
        when a finding it stood on is reversed (``reason``, ``by``) — never deleted."""
        self._close("withdrawn", reason, by, at)
        self._note(at, by, "withdraw", reason)

    def explanation_overdue(self, as_of: datetime) -> SignalDraft | None:
        """As of ``as_of``, an open red signal whose explanation day has passed: mark it
        ``explanation_overdue`` and return the yellow ``E2`` it raises (None: nothing to flag)."""
        if self.status != "open" or self.body.get("explanation_overdue") or not self.explain_by:
            return None
        self.body["explanation_overdue"] = True
        self._note(as_of, "system", "explanation_overdue", f"未在 {self.explain_by} 前作出书面说明")
        return SignalDraft(
            rule=EXPLANATION_RULE, level="yellow", case_no=self.case_no, dept_code=self.dept_code,
            cause=f"explain:{self.id}", raised_at=as_of, recipients=["dept_head", "supervisor"],
            message=f"办件 {self.case_no} 的红牌信号 {self.rule} 应于 {self.explain_by} 前作出书面说明，逾期未说明")

    def listed(self, day: date) -> dict[str, Any]:
        """The record as listed on ``day``: ``reply_overdue`` when an explanation waits past its reply deadline."""
        return {**self.body, "reply_overdue": True} if self.reply_overdue(day) else self.body

    def reply_overdue(self, day: date) -> bool:
        """Explained, and the supervisor's reply deadline passed before ``day``."""
        deadline = self.body.get("reply_deadline")
        return self.status == "explained" and bool(deadline) and date.fromisoformat(str(deadline)) < day

    def _close(self, decision: str, reason: str, by: str, at: datetime) -> None:
        self.body.update(status="closed", disposition=decision, disposition_reason=reason, closed_by=by,
                         closed_at=at.isoformat())

    def _note(self, at: datetime, by: str, action: str, text: str) -> None:
        """Append to the lifecycle history (who, when, what)."""
        self.body["history"] = [*self.body.get("history", []),
                                {"at": at.isoformat(), "by": by, "action": action, "text": text}]

    # ----- telling people -------------------------------------------------------------------

    def notification(self) -> tuple[str, dict[str, Any], dict[str, str]]:
        """Subject, message and attributes of the notification to the recipients."""
        label = LEVEL_NAMES.get(self.level, self.level)
        subject = f"[{self.kind.platform}]{label} {self.rule}"
        message = {"id": self.id, "level": self.level, "dept_code": self.dept_code, "case_no": self.case_no,
                   "message": self.body["message"], "recipients": self.body["recipients"]}
        if self.body.get("risk_points"):  # 廉政风险点 the record names, as staff read them
            message["risk_points"] = [f"{p.get('level_name', p.get('level'))}：{p.get('description')}"
                                      for p in self.body["risk_points"]]
        return subject, message, {"dept_code": self.dept_code}
