"""Complaints (投诉, docs/DOMAIN.md §6.4) and consultations (咨询, docs/DOMAIN.md §8.1): their lifecycle and views.

Complaint: ``received`` → ``accepted`` | ``rejected`` (decided by the supervision bureau 监察局
within 5 working days; a rejection needs a reason) → ``transferred`` to the department with a reply
deadline in working days → ``replied`` by the department → ``concluded`` (the supervisor's result
goes back to the complainant) → rated by the complainant (满意 / 基本满意 / 不满意). The supervisor
may also conclude an accepted complaint directly, without transferring it.

Overdue flags are computed as of an instant the caller passes: ``accept_overdue`` when the
decision came (or, still undecided, the instant is) after the acceptance deadline day;
``reply_overdue`` likewise for the department's reply; ``answer_overdue`` for consultations.

The complainant's identity (name, phone) is never shown publicly nor to the department; the
public sees progress only with the query code (查询码), and a wrong code answers exactly like an
unknown number.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from chalicelib.kernel.errors import ConflictError, ValidationError, field_error
from chalicelib.kernel.periods import local_date
from chalicelib.public.domain import scrub

#: Decide whether to accept within 5 working days [S-ES-Q].
ACCEPT_WORKING_DAYS = 5
#: Default reply deadline for a transferred complaint [inferred; the supervisor may set 1–60].
DEFAULT_REPLY_WORKING_DAYS = 10
#: Consultations are answered within a fixed limit [S-XZ-REG art.26–27]; the number is [inferred].
ANSWER_WORKING_DAYS = 5

CATEGORY_NAMES: dict[str, str] = {"efficiency": "办事效率", "attitude": "服务态度", "violation": "违法违纪",
                                  "fee": "违规收费", "other": "其他"}
RATING_NAMES: dict[str, str] = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
#: What the investigation of a complaint established; ``wrongful_rejection`` (a refusal at intake that
#: met every condition) raises the red R7.
Finding = Literal["founded", "partly_founded", "unfounded", "wrongful_rejection"]
FINDING_NAMES: dict[str, str] = {"founded": "投诉属实", "partly_founded": "部分属实", "unfounded": "投诉不属实",
                                 "wrongful_rejection": "查实违法不予受理"}
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read back


def new_query_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def code_ok(stored_hash: str | None, code: str | None) -> bool:
    """No oracle: a wrong code is treated exactly like an unknown record."""
    if not stored_hash or not code:
        return False
    return hmac.compare_digest(stored_hash, code_hash(code))


def overdue(deadline: date | None, done_at: datetime | None, as_of: datetime) -> bool:
    """Late when done after the end of the deadline day, or not done once that day has ended."""
    if deadline is None:
        return False
    when = done_at if done_at is not None else as_of
    return local_date(when) > deadline


def dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def journal(rec: dict[str, Any], at: datetime, by: str, action: str, text: str | None = None) -> None:
    """Append to a record's history (who, when, what)."""
    entry: dict[str, Any] = {"at": at.isoformat(), "by": by, "action": action}
    if text:
        entry["text"] = text
    rec["history"] = [*rec.get("history", []), entry]


def action_time(rec: dict[str, Any], at: datetime | None, now: datetime, after: str = "received_at") -> datetime:
    """When an action happened: ``at`` (default now), never before the previous step."""
    moment = at or now
    start = dt(rec.get(after))
    if start is not None and moment < start:
        raise ValidationError("办理时间不能早于上一环节", [field_error("at", f"不能早于 {start.isoformat()}")])
    return moment


@dataclass
class Complaint:
    """A complaint record (``rec`` as stored) and its lifecycle."""

    rec: dict[str, Any]

    @property
    def no(self) -> str:
        return str(self.rec["complaint_no"])

    @property
    def status(self) -> str:
        return str(self.rec["status"])

    def _require(self, allowed: tuple[str, ...], action: str) -> None:
        if self.status not in allowed:
            raise ConflictError(f"投诉当前状态为「{self.status}」，不能{action}")

    def decide(self, decision: str, reason: str | None, by: str, at: datetime | None, now: datetime) -> datetime:
        """Accept or reject (a rejection needs a reason); returns when it was decided."""
        self._require(("received",), "作出受理决定")
        if decision == "reject" and not reason:
            raise ValidationError("不予受理必须说明理由", [field_error("reason", "不予受理必须说明理由", "missing")])
        when = action_time(self.rec, at, now)
        late = overdue(d(self.rec["accept_deadline"]), when, when)
        self.rec["decision"] = {"decision": decision, "reason": reason, "at": when.isoformat(), "by": by, "late": late}
        self.rec["status"] = "accepted" if decision == "accept" else "rejected"
        journal(self.rec, when, by, decision, reason)
        return when

    def transfer(self, reply_by: date, working_days: int, note: str | None, by: str, when: datetime) -> None:
        """Transfer an accepted complaint to the department, which must reply by ``reply_by``."""
        self.rec["transfer"] = {"dept_code": self.rec["dept_code"], "at": when.isoformat(), "by": by,
                                "reply_working_days": working_days, "reply_deadline": reply_by.isoformat(),
                                "note": note}
        self.rec["status"] = "transferred"
        journal(self.rec, when, by, "transfer", note)

    def transfer_time(self, at: datetime | None, now: datetime) -> datetime:
        self._require(("accepted",), "转办")
        return action_time(self.rec["decision"] or {}, at, now, after="at")

    def reply(self, text: str, by: str, at: datetime | None, now: datetime) -> datetime:
        """The department's reply (办理情况答复)."""
        self._require(("transferred",), "答复")
        transfer = self.rec["transfer"] or {}
        when = action_time(transfer, at, now, after="at")
        late = overdue(d(transfer.get("reply_deadline")), when, when)
        self.rec["reply"] = {"text": text, "at": when.isoformat(), "by": by, "late": late}
        self.rec["status"] = "replied"
        journal(self.rec, when, by, "reply", text)
        return when

    def conclusion_time(self, at: datetime | None, now: datetime) -> datetime:
        """When the supervisor concludes (after the reply, or the decision when never transferred)."""
        if self.status == "transferred":
            raise ConflictError("投诉已转办，需等待部门答复后再办结")
        self._require(("accepted", "replied"), "办结")
        return action_time(self.rec["reply"] or self.rec["decision"] or {}, at, now, after="at")

    def conclude(self, result: str, finding: str | None, by: str, when: datetime) -> None:
        """The supervisor's result (处理结果) and finding, shown to the complainant with the query code."""
        self.rec["result"] = {"text": result, "at": when.isoformat(), "by": by, "finding": finding}
        self.rec["status"] = "concluded"
        journal(self.rec, when, by, "conclude", result)

    @property
    def finding(self) -> str | None:
        return (self.rec.get("result") or {}).get("finding")

    def revision_time(self, at: datetime | None, now: datetime) -> tuple[datetime, int]:
        """When a concluded complaint's finding is revised (复查), and the revision's number (1, 2, …)."""
        self._require(("concluded",), "复查认定")
        result = self.rec.get("result") or {}
        return action_time(result, at, now, after="at"), len(result.get("revisions") or []) + 1

    def revise_finding(self, finding: str, reason: str, by: str, when: datetime) -> None:
        """复查: the finding changes, with the reason; every revision stays on record."""
        result = dict(self.rec.get("result") or {})
        before = result.get("finding")
        result["revisions"] = [*(result.get("revisions") or []),
                               {"from": before, "to": finding, "reason": reason, "at": when.isoformat(), "by": by}]
        result["finding"] = finding
        self.rec["result"] = result
        journal(self.rec, when, by, "revise_finding",
                f"{FINDING_NAMES.get(str(before), '未认定')} → {FINDING_NAMES[finding]}：{reason}")

    def rate(self, rating: str, comment: str | None, at: datetime) -> None:
        """The complainant's rating, once, after the result."""
        if self.rec.get("rating"):
            raise ConflictError("该投诉已评价，不能重复评价")
        self._require(("concluded",), "评价")
        self.rec["rating"] = {"rating": rating, "comment": comment, "at": at.isoformat()}
        journal(self.rec, at, "complainant", "rate", RATING_NAMES[rating])

    def add_signal(self, signal_id: str) -> None:
        self.rec["signals"] = [*self.rec.get("signals", []), signal_id]

    def staff_view(self, as_of: datetime, *, show_identity: bool) -> dict[str, Any]:
        """The staff view with overdue flags as of ``as_of`` (identity only for the supervision bureau)."""
        rec = self.rec
        out = {k: v for k, v in rec.items() if k != "code_hash"}
        if not show_identity:
            out["name"] = None
            out["phone"] = None
            out["attachments"] = []  # evidence may name the complainant: the bureau's only
        decision = rec.get("decision") or {}
        transfer = rec.get("transfer") or {}
        reply = rec.get("reply") or {}
        out["accept_overdue"] = overdue(d(rec.get("accept_deadline")), dt(decision.get("at")), as_of)
        out["reply_overdue"] = bool(transfer) and overdue(d(transfer.get("reply_deadline")), dt(reply.get("at")), as_of)
        out["overdue"] = out["accept_overdue"] or out["reply_overdue"]
        out["as_of"] = as_of.isoformat()
        return out

    def public_view(self) -> dict[str, Any]:
        """What the complainant sees with the query code: progress, never identities or internal notes."""
        rec = self.rec
        decision = rec.get("decision") or {}
        transfer = rec.get("transfer") or {}
        result = rec.get("result") or {}
        rating = rec.get("rating") or {}
        return {
            "complaint_no": rec["complaint_no"], "dept_code": rec["dept_code"], "case_no": rec.get("case_no"),
            "category": rec["category"], "category_name": CATEGORY_NAMES.get(rec["category"], rec["category"]),
            "status": rec["status"], "received_at": rec["received_at"], "accept_deadline": rec["accept_deadline"],
            "decision": ({"decision": decision["decision"], "reason": scrub(decision.get("reason")),
                          "at": decision["at"]} if decision else None),
            "transferred_at": transfer.get("at"), "reply_deadline": transfer.get("reply_deadline"),
            "result": {"text": scrub(result["text"]), "at": result["at"]} if result else None,
            "rating": {"rating": rating["rating"], "at": rating["at"]} if rating else None,
        }


@dataclass
class Consultation:
    """A consultation record (``rec`` as stored) and its one answer."""

    rec: dict[str, Any]

    def answer(self, text: str, by: str, at: datetime | None, now: datetime) -> datetime:
        """The department's answer (答复), once."""
        if self.rec["status"] != "open":
            raise ConflictError("该咨询已答复")
        when = action_time(self.rec, at, now)
        late = overdue(d(self.rec["answer_deadline"]), when, when)
        self.rec["answer"] = {"text": text, "at": when.isoformat(), "by": by, "late": late}
        self.rec["status"] = "answered"
        journal(self.rec, when, by, "answer", text)
        return when

    def staff_view(self, as_of: datetime) -> dict[str, Any]:
        rec = self.rec
        out = {k: v for k, v in rec.items() if k != "code_hash"}
        answer = rec.get("answer") or {}
        out["answer_overdue"] = overdue(d(rec.get("answer_deadline")), dt(answer.get("at")), as_of)
        out["overdue"] = out["answer_overdue"]
        out["as_of"] = as_of.isoformat()
        return out

    def public_view(self) -> dict[str, Any]:
        rec = self.rec
        answer = rec.get("answer") or {}
        return {
            "consultation_no": rec["consultation_no"], "dept_code": rec["dept_code"],
            "item_code": rec.get("item_code"), "question": rec["question"], "status": rec["status"],
            "received_at": rec["received_at"], "answer_deadline": rec["answer_deadline"],
            "answer": scrub(answer.get("text")), "answered_at": answer.get("at"),
        }
