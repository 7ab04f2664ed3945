"""A request for disclosure (依申请公开) as the fold of its log, and its lifecycle.

The request's history is an append-only, hash-chained log (like a case's): ``received``, then the
department's acts — ``clarify_requested`` / ``clarified``, ``consult_started`` / ``consult_ended``,
``extended``, ``answered`` — or ``withdrawn`` (视为放弃申请). :class:`DisclosureRequest` folds the
records into the request as it stands; :meth:`DisclosureRequest.plan` checks a staff action
against the law and the request's state and returns the record to append (never mutating).

Each record: ``{"seq", "type", "on" (business date), "at" (when recorded), "by", "data",
"prev_hash", "hash"}``. Attachments a record carries name each file by id with its size, type and
SHA-256, so the chain covers the files too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError, ValidationError, field_error

from . import terms
from .clock import BUSINESS_TZ, MAX_EXTENSION_WORKING_DAYS, Act, Clock, compute

STATUS_NAMES: dict[str, str] = {
    "open": "办理中", "extended": "已延期", "clarifying": "待申请人补正", "consulting": "征求第三方意见中",
    "answered": "已答复", "withdrawn": "已终止（视为放弃申请）",
}
ACTION_NAMES: dict[str, str] = {
    "received": "收到申请", "clarify_requested": "告知补正", "clarified": "收到补正",
    "consult_started": "征求第三方意见", "consult_ended": "征求意见结束", "extended": "延长答复期限",
    "answered": "作出答复", "withdrawn": "终止办理",
}
#: Contract action → the record it appends.
RECORD_OF_ACTION: dict[str, str] = {
    "answer": "answered", "extend": "extended", "clarify": "clarify_requested", "clarified": "clarified",
    "consult_start": "consult_started", "consult_end": "consult_ended", "withdraw": "withdrawn",
}


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass
class DisclosureRequest:
    """The request as its log records say (``records`` in sequence order)."""

    records: list[dict[str, Any]]
    request_no: str = ""
    dept_code: str = ""
    received: dict[str, Any] = field(default_factory=dict)
    clarify: dict[str, Any] | None = None
    clarified: dict[str, Any] | None = None
    extension: dict[str, Any] | None = None
    consultations: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] | None = None
    withdrawal: dict[str, Any] | None = None

    @classmethod
    def fold(cls, records: list[dict[str, Any]]) -> DisclosureRequest:
        req = cls(records=list(records))
        for rec in req.records:
            req._apply(rec)
        return req

    def _apply(self, rec: dict[str, Any]) -> None:
        kind, data, on = rec["type"], dict(rec.get("data") or {}), rec.get("on")
        entry = {**data, "on": on, "at": rec.get("at"), "by": rec.get("by")}
        if kind == "received":
            self.received = entry
            self.request_no = str(data["request_no"])
            self.dept_code = str(data["dept_code"])
        elif kind == "clarify_requested":
            self.clarify = entry
        elif kind == "clarified":
            self.clarified = entry
            self.consultations = []  # the count restarts: earlier pauses no longer matter
            self.extension = None
        elif kind == "consult_started":
            self.consultations.append({"start": entry, "end": None})
        elif kind == "consult_ended":
            if self.consultations and self.consultations[-1]["end"] is None:
                self.consultations[-1]["end"] = entry
        elif kind == "extended":
            self.extension = entry
        elif kind == "answered":
            self.answer = entry
        elif kind == "withdrawn":
            self.withdrawal = entry

    # ----- what it is ---------------------------------------------------------------------------

    @property
    def received_on(self) -> date:
        on = _d(self.received.get("received_on")) or _d(self.received.get("on"))
        assert on is not None, "a request's log starts with its receipt"
        return on

    @property
    def last_on(self) -> date:
        days = [d for r in self.records if (d := _d(r.get("on"))) is not None]
        return max(days) if days else self.received_on

    def acts(self) -> list[Act]:
        out: list[Act] = []
        for rec in self.records:
            kind, on = rec["type"], _d(rec.get("on"))
            if kind == "received" or on is None:
                continue
            days = int((rec.get("data") or {}).get("working_days") or 0)
            out.append(Act(kind, on, days))
        return out

    def clock(self, calendar: Calendar) -> Clock:
        return compute(calendar, self.received_on, self.acts())

    def status(self, clock: Clock) -> str:
        if self.withdrawal is not None:
            return "withdrawn"
        if self.answer is not None:
            return "answered"
        if clock.state == "clarifying":
            return "clarifying"
        if clock.state == "consulting":
            return "consulting"
        return "extended" if self.extension is not None else "open"

    @property
    def closed(self) -> bool:
        return self.answer is not None or self.withdrawal is not None

    @property
    def applicant(self) -> dict[str, Any]:
        return dict(self.received.get("applicant") or {})

    @property
    def password_hash(self) -> str | None:
        value = self.received.get("password_hash")
        return str(value) if value else None

    def report_row(self) -> tuple[str, str | None]:
        """Where the annual report counts the request once closed."""
        answer = self.answer or {}
        withdrawn = str(self.withdrawal.get("reason_code") or "other") if self.withdrawal else None
        return terms.outcome_row(answer.get("type"), answer.get("reason_code"), withdrawn)

    @property
    def closed_on(self) -> date | None:
        closing = self.answer or self.withdrawal
        return _d(closing.get("on")) if closing else None

    def attachments(self) -> list[dict[str, Any]]:
        """Every file the log names, with the record that brought it."""
        out = []
        for rec in self.records:
            for att in (rec.get("data") or {}).get("attachments") or []:
                out.append({**att, "record": rec["type"], "seq": rec["seq"]})
        return out

    # ----- the lifecycle: a staff action → the record to append ------------------------------------

    def plan(self, action: dict[str, Any], today: date, calendar: Calendar) -> tuple[str, date, dict[str, Any]]:
        """Check ``action`` (the contract's body, already shaped) against the law and the state;
        return ``(record type, on, data)``. Raises 400 for bad input, 409 for a wrong state."""
        name = str(action["action"])
        on = action.get("on") or today
        self._check_date(on, today)
        clock = self.clock(calendar)
        if self.closed:
            raise ConflictError(f"该申请已{STATUS_NAMES[self.status(clock)]}，不能再办理")
        planner = getattr(self, f"_plan_{name}")
        data: dict[str, Any] = planner(action, on, clock)
        return RECORD_OF_ACTION[name], on, data

    def _check_date(self, on: date, today: date) -> None:
        if on > today:
            raise ValidationError("办理日期不能晚于今天", [field_error("on", f"不能晚于 {today.isoformat()}")])
        last = self.last_on
        if on < last:
            raise ValidationError("办理日期不能早于上一环节",
                                  [field_error("on", f"不能早于 {last.isoformat()}（上一环节的日期）")])

    def _plan_answer(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        self._require_running(clock, "作出答复")
        kind = str(action["type"])
        reason = action.get("reason")
        if kind not in terms.NO_REASON_TYPES and not reason:
            raise ValidationError("该答复类型必须说明理由",
                                  [field_error("reason", f"「{terms.ANSWER_TYPES[kind]}」须说明理由和依据", "missing")])
        code = action.get("reason_code")
        choices = terms.REASONS_BY_TYPE.get(kind)
        if code and (choices is None or code not in choices):
            allowed = "、".join(f"{k}（{v}）" for k, v in (choices or {}).items()) or "无需填写"
            raise ValidationError("理由类别与答复类型不符", [field_error("reason_code", f"可选：{allowed}")])
        if not code and choices is not None:
            code = terms.infer_reason(kind, reason)
            if code is None:
                allowed = "、".join(f"{k}（{v}）" for k, v in choices.items())
                raise ValidationError("请注明理由类别（年度报告按类别统计）",
                                      [field_error("reason_code", f"无法从理由判断类别，请选择：{allowed}", "missing")])
        return {"type": kind, "type_name": terms.ANSWER_TYPES[kind], "text": action["text"], "reason": reason,
                "reason_code": code, "late": clock.due is not None and on > clock.due,
                "due": clock.due.isoformat() if clock.due else None}

    def _plan_extend(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        if self.extension is not None:
            raise ConflictError("答复期限只能延长一次")
        if clock.state == "clarifying":
            raise ConflictError("正在等待申请人补正，期限尚未起算，不能延期")
        if clock.due is not None and on > clock.due:
            raise ConflictError(f"答复期限（{clock.due.isoformat()}）已届满，不能再延期")
        days = int(action["working_days"])
        if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
            raise ValidationError("延长期限最长 20 个工作日", [field_error("working_days", "应为 1–20")])
        return {"working_days": days, "approver": action["approver"], "reason": action["reason"],
                "due_before": clock.due.isoformat() if clock.due else None}

    def _plan_clarify(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        if self.clarify is not None:
            raise ConflictError("补正应当一次性告知，不能再次要求补正")
        if self.extension is not None:
            raise ConflictError("已延长答复期限的申请不能再要求补正")
        self._require_running(clock, "告知补正")
        return {"text": action["text"], "deadline": clock.clarify_deadline.isoformat(),
                "late": on > clock.clarify_deadline}

    def _plan_clarified(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        if clock.state != "clarifying":
            raise ConflictError("该申请未在等待补正")
        return {"text": action.get("text")}

    def _plan_consult_start(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        self._require_running(clock, "征求第三方意见")
        return {"third_party": action.get("third_party"), "text": action.get("text")}

    def _plan_consult_end(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        if clock.state != "consulting":
            raise ConflictError("该申请没有正在进行的征求意见")
        return {"text": action.get("text")}

    def _plan_withdraw(self, action: dict[str, Any], on: date, clock: Clock) -> dict[str, Any]:
        code = str(action.get("reason_code") or "other")
        if code == "not_clarified" and clock.state != "clarifying":
            raise ConflictError("只有等待补正的申请才能因逾期不补正而终止")
        return {"reason_code": code, "reason_name": terms.OTHER_REASONS.get(code, code), "text": action.get("text")}

    def _require_running(self, clock: Clock, what: str) -> None:
        if clock.state == "clarifying":
            raise ConflictError(f"正在等待申请人补正，不能{what}")
        if clock.state == "consulting":
            raise ConflictError(f"征求第三方意见尚未结束，不能{what}")

    # ----- views ----------------------------------------------------------------------------------

    def public_view(self, calendar: Calendar) -> dict[str, Any]:
        """What the applicant sees with the number and password (docs/CONTRACT.md §9): progress, what to
        clarify, the extension and the answer; never identities, staff names or files."""
        clock = self.clock(calendar)
        status = self.status(clock)
        answer = self.answer
        return {
            "request_no": self.request_no, "dept_code": self.dept_code, "status": status,
            "status_name": STATUS_NAMES[status], "received_on": self.received_on.isoformat(),
            "due": clock.due.isoformat() if clock.due else None,
            "due_derivation": list(clock.derivation),
            "format": self.received.get("format"),
            "clarify": ({"text": self.clarify.get("text"), "on": self.clarify.get("on")}
                        if self.clarify else None),
            "clarified_on": self.clarified.get("on") if self.clarified else None,
            "extension": ({"working_days": self.extension.get("working_days"), "reason": self.extension.get("reason"),
                           "on": self.extension.get("on")} if self.extension else None),
            "consulting": clock.state == "consulting",
            "answer": ({"type": answer["type"], "type_name": terms.ANSWER_TYPES.get(answer["type"], answer["type"]),
                        "text": answer.get("text"), "reason": answer.get("reason"), "answered_on": answer.get("on")}
                       if answer else None),
            "withdrawn": ({"on": self.withdrawal.get("on"), "reason": self.withdrawal.get("reason_name")}
                          if self.withdrawal else None),
        }

    def staff_view(self, calendar: Calendar, as_of: datetime, *, with_log: bool = False) -> dict[str, Any]:
        """The department's view: the applicant, the clock as of ``as_of``, every act, the files
        (by id, never a link), and with ``with_log`` the hash-chained records themselves."""
        clock = self.clock(calendar)
        received = {k: v for k, v in self.received.items() if k != "password_hash"}
        today = as_of.astimezone(BUSINESS_TZ).date()
        out: dict[str, Any] = {
            **self.public_view(calendar),
            "applicant": self.applicant, "description": received.get("description"),
            "purpose": received.get("purpose"), "channel": received.get("channel"),
            "submitted_at": received.get("at"),
            "statutory_due": clock.statutory_due.isoformat() if clock.statutory_due else None,
            "clock_state": clock.state, "start_on": clock.start_on.isoformat(),
            "clarify_deadline": clock.clarify_deadline.isoformat(), "clarify_late": clock.clarify_late,
            "extension": self.extension and {k: v for k, v in self.extension.items() if k != "at"},
            "consultations": [{"start": c["start"].get("on"), "end": (c["end"] or {}).get("on"),
                               "third_party": c["start"].get("third_party")} for c in self.consultations],
            "answer": self.answer and {k: v for k, v in self.answer.items()},
            "overdue": clock.overdue(as_of) or clock.answered_late,
            "answered_late": clock.answered_late,
            "working_days_left": clock.working_days_left(calendar, today),
            "attachments": self.attachments(),
            "history": [{"seq": r["seq"], "type": r["type"], "name": ACTION_NAMES.get(r["type"], r["type"]),
                         "on": r.get("on"), "at": r.get("at"), "by": r.get("by")} for r in self.records],
            "as_of": as_of.isoformat(),
        }
        if with_log:
            out["log"] = [_without_secrets(r) for r in self.records]
        return out


def _without_secrets(record: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in (record.get("data") or {}).items() if k != "password_hash"}
    return {**record, "data": data}


def _mask_number(value: Any) -> str | None:
    """``3203**********1000``: the first and last four characters of a long number, nothing of a short one."""
    if not value:
        return None
    text = str(value)
    return "*" * len(text) if len(text) <= 8 else f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_applicant(applicant: dict[str, Any]) -> dict[str, Any]:
    """The applicant as those who oversee a request without handling it see them (部门监察, 监察局, 法制办):
    a person's name as ``张*`` (an organisation's as given), numbers cut to their ends, no address or e-mail."""
    kind = str(applicant.get("type") or "person")
    out: dict[str, Any] = {"type": kind, "masked": True}
    if applicant.get("org_kind"):
        out["org_kind"] = applicant["org_kind"]
    name = str(applicant.get("name") or "").strip()
    if name:
        out["name"] = name if kind == "org" else name[0] + "*"
    if applicant.get("contact"):
        out["contact"] = str(applicant["contact"]).strip()[:1] + "*"
    if applicant.get("id_type"):
        out["id_type"] = applicant["id_type"]
    for key in ("id_no", "phone"):
        if applicant.get(key):
            out[key] = _mask_number(applicant[key])
    return out


def masked_view(view: dict[str, Any]) -> dict[str, Any]:
    """A staff view (:meth:`DisclosureRequest.staff_view`) without the applicant's personal data."""
    out = {**view, "applicant": mask_applicant(view.get("applicant") or {})}
    if "log" in out:
        log = []
        for rec in out["log"]:
            data = rec.get("data") or {}
            if "applicant" in data:
                rec = {**rec, "data": {**data, "applicant": mask_applicant(data["applicant"])}}
            log.append(rec)
        out["log"] = log
    return out

