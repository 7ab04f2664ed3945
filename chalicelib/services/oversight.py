"""Signals (监察信号) and findings (法制监督发现): storage, listing and lifecycle.

One record per (rule, case, cause), with a deterministic id, written only if absent: a rule
raises at most one signal per case and cause however often it is evaluated. Records are never
deleted; they move open → explained (department's written explanation) → closed (the
supervisor accepts or rejects the explanation, with a reason).

Oversight table: ``SIG#{id} / SIG`` (or ``FND#{id} / FND``); ``gsi1`` ``{kind}DEPT#{dept}`` and
``gsi2`` ``{kind}S`` list by department and overall, newest first; ``{kind}CASE#{case_no} /
{id}`` points from a case to its records.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.errors import ConflictError, ForbiddenError, NotFoundError
from ..domain.stats import local_date, periods_of
from ..identity.domain.roles import Principal
from .ports import ConditionFailedError, CounterDelta, Item, Stores

log = logging.getLogger("sunlit.oversight")
Kind = Literal["SIG", "FND"]
EXPLANATION_REPLY_WORKING_DAYS = 5
#: A red signal needs the department's written explanation (情况说明) within this many working days
#: of being raised [inferred; docs/DOMAIN.md §6.2 "report back when a reply is requested"]; one not
#: given in time is itself flagged with a yellow ``E2`` (逾期未说明) for the supervision bureau.
EXPLANATION_WORKING_DAYS = 5
EXPLANATION_RULE = "E2"
EXPLANATION_DUE_PK = "EXPLAINDUE"
#: Signals addressed to the legal office (法制办) are also listed under this key for it to read.
LEGAL_INBOX_PK = "SIGTO#legal"


class ExplainIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    explanation: str = Field(min_length=2, max_length=5000)


class DisposeIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    decision: Literal["accept", "reject"]
    reason: str = Field(min_length=2, max_length=5000)


def record_id(kind: Kind, rule: str, case_no: str, cause: str) -> str:
    digest = hashlib.sha256(f"{rule}|{case_no}|{cause}".encode()).hexdigest()[:20]
    return f"{'S' if kind == 'SIG' else 'F'}-{digest}"


def raise_record(stores: Stores, kind: Kind, draft: Any) -> bool:
    """Store a signal/finding draft if it is new. Returns True when it was raised now."""
    rule = draft.rule if kind == "SIG" else draft.check
    rid = record_id(kind, rule, draft.case_no, draft.cause)
    raised_at: datetime = draft.raised_at
    body = {
        ("signal_id" if kind == "SIG" else "finding_id"): rid,
        ("rule" if kind == "SIG" else "check"): rule,
        "level": draft.level, "case_no": draft.case_no, "dept_code": draft.dept_code,
        "raised_at": raised_at.isoformat(), "message": draft.message, "status": "open",
        "cause": draft.cause, "recipients": list(draft.recipients),
        "event_id": getattr(draft, "event_id", None), "history": [],
    }
    sk_time = raised_at.astimezone(UTC).isoformat()
    explain_by = explanation_due(datetime.now(UTC)) if kind == "SIG" and draft.level == "red" else None
    if explain_by is not None:  # counted from when the department is told (now), not from the fact's time
        body["explain_by"] = explain_by.isoformat()
    item = Item(pk=f"{kind}#{rid}", sk=kind, body=body, gsi1pk=f"{kind}DEPT#{draft.dept_code}",
                gsi1sk=f"{sk_time}#{rid}", gsi2pk=f"{kind}S", gsi2sk=f"{sk_time}#{rid}")
    tx = stores.transaction()
    tx.put("oversight", item, if_absent=True)
    tx.put("oversight", Item(pk=f"{kind}CASE#{draft.case_no}", sk=rid, body={"id": rid}), if_absent=True)
    if kind == "SIG" and "legal" in draft.recipients:
        tx.put("oversight", Item(pk=LEGAL_INBOX_PK, sk=f"{sk_time}#{rid}", body={"id": rid}), if_absent=True)
    if explain_by is not None:
        tx.put("oversight", Item(pk=EXPLANATION_DUE_PK, sk=f"{explain_by.isoformat()}#{rid}", body={"id": rid}),
               if_absent=True)
    if kind == "SIG" and draft.level in ("yellow", "red"):
        tx.add_counters([CounterDelta(p, draft.dept_code, {draft.level: 1})
                         for p in periods_of(local_date(raised_at))])
    try:
        tx.commit()
    except ConditionFailedError:
        return False
    notify(kind, body)
    return True


def notify(kind: Kind, body: dict[str, Any]) -> None:
    """Tell the recipients (SNS topic: SMS/email subscribers in AWS; visible locally)."""
    from .. import wiring
    from ..settings import get_settings

    topic = get_settings().signals_topic_arn
    if not topic:
        return
    label = {"yellow": "黄牌", "red": "红牌"}.get(body["level"], body["level"])
    subject = f"[{'行政监察' if kind == 'SIG' else '法制监督'}]{label} {body.get('rule') or body.get('check')}"
    message = {"id": body.get("signal_id") or body.get("finding_id"), "level": body["level"],
               "dept_code": body["dept_code"], "case_no": body["case_no"], "message": body["message"],
               "recipients": body["recipients"]}
    try:
        wiring.aws("sns").publish(TopicArn=topic, Subject=subject[:99],
                                  Message=json.dumps(message, ensure_ascii=False),
                                  MessageAttributes={"dept_code": {"DataType": "String",
                                                                   "StringValue": body["dept_code"]}})
    except Exception:  # noqa: BLE001 - a notification failure must not lose the signal itself
        log.warning("notification failed for %s", message["id"])


def list_records(stores: Stores, principal: Principal, kind: Kind, *, case_no: str | None, dept_code: str | None,
                 rule: str | None, level: str | None, status: str | None, limit: int,
                 cursor: str | None) -> dict[str, Any]:
    if principal.is_department_scoped:
        if dept_code and dept_code != principal.dept_code:
            raise ForbiddenError("只能查看本部门的数据")
        dept_code = principal.dept_code
    table = stores.table("oversight")
    rule_key = "rule" if kind == "SIG" else "check"

    def keep(body: dict[str, Any]) -> bool:
        return ((not rule or body.get(rule_key) == rule) and (not level or body.get("level") == level)
                and (not status or body.get("status") == status)
                and (not dept_code or body.get("dept_code") == dept_code)
                and (not case_no or body.get("case_no") == case_no))

    legal_only = kind == "SIG" and reads_legal_inbox(principal)
    if legal_only:  # the legal office reads the signals addressed to it (R3, R13, R14), and only those
        unfiltered = keep

        def keep(body: dict[str, Any]) -> bool:
            return "legal" in (body.get("recipients") or []) and unfiltered(body)

    now = datetime.now(UTC)
    if case_no:
        ids = [i.sk for i in table.query(f"{kind}CASE#{case_no}", limit=500).items]
        found = table.get_many([(f"{kind}#{rid}", kind) for rid in ids])
        bodies = [b for it in found.values() if keep(b := it.body)]
        bodies.sort(key=lambda b: b["raised_at"], reverse=True)
        return {"items": [with_flags(b, now) for b in bodies[:limit]], "next": None}
    out: list[dict[str, Any]] = []
    next_cursor = cursor
    # Ask for no more than is still needed, so the cursor never skips a record it did not return.
    while len(out) < limit:
        if legal_only:
            page = table.query(LEGAL_INBOX_PK, limit=limit - len(out), cursor=next_cursor, forward=False)
            found = table.get_many([(f"SIG#{p.body['id']}", "SIG") for p in page.items])
            rows = [found[k].body for p in page.items if (k := (f"SIG#{p.body['id']}", "SIG")) in found]
        else:
            pk, index = (f"{kind}DEPT#{dept_code}", "gsi1") if dept_code else (f"{kind}S", "gsi2")
            page = table.query(pk, index=index, limit=limit - len(out), cursor=next_cursor, forward=False)
            rows = [i.body for i in page.items]
        out.extend(with_flags(b, now) for b in rows if keep(b))
        next_cursor = page.next
        if not next_cursor:
            break
    return {"items": out, "next": next_cursor if len(out) >= limit else None}


def reads_legal_inbox(principal: Principal) -> bool:
    """The legal office (without the supervision bureau's or an administrator's wider view)."""
    return "legal" in principal.roles and not principal.roles & {"supervisor", "admin"}


def with_flags(body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A record as listed: ``reply_overdue`` when an explanation waits past its reply deadline."""
    deadline = body.get("reply_deadline")
    if body.get("status") == "explained" and deadline and date.fromisoformat(deadline) < local_date(now):
        return {**body, "reply_overdue": True}
    return body


def explanation_due(notified_at: datetime) -> date:
    """The last day for the department's explanation of a red signal it was told of at ``notified_at``."""
    from .. import wiring

    return wiring.calendar().add_working_days(local_date(notified_at), EXPLANATION_WORKING_DAYS).due


def withdraw_signal(stores: Stores, rid: str, reason: str, by: str, at: datetime) -> bool:
    """Close an open (or explained) signal as withdrawn — never deleted — and take it back out of the
    period counters. Returns False when it was already closed or is unknown."""
    table = stores.table("oversight")
    for _attempt in range(5):
        item = table.get(f"SIG#{rid}", "SIG")
        if item is None or item.body.get("status") == "closed":
            return False
        rec = item.body
        rec.update(status="closed", disposition="withdrawn", disposition_reason=reason, closed_by=by,
                   closed_at=at.isoformat())
        _note(rec, at, by, "withdraw", reason)
        tx = stores.transaction()
        tx.put("oversight", item, expected_version=item.version)
        raised = datetime.fromisoformat(rec["raised_at"])
        if rec.get("level") in ("yellow", "red"):
            tx.add_counters([CounterDelta(p, rec["dept_code"], {rec["level"]: -1})
                             for p in periods_of(local_date(raised))])
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return True
    raise ConflictError("记录已被他人修改，请刷新后重试")


def flag_unexplained(stores: Stores, as_of: datetime) -> int:
    """Red signals whose explanation is overdue as of ``as_of``: mark each ``explanation_overdue`` and
    raise a yellow ``E2`` for the supervision bureau. Idempotent; returns how many were flagged now."""
    from ..domain.supervision import SignalDraft

    table = stores.table("oversight")
    today = local_date(as_of).isoformat()
    flagged = 0
    # pointers "{explain_by}#{id}": every one whose day ended before today's (sorts below "{today}#")
    for pointer in table.query_all(EXPLANATION_DUE_PK, "", sk_lte=f"{today}#"):
        rid = str(pointer.body.get("id"))
        item = table.get(f"SIG#{rid}", "SIG")
        if item is not None and item.body.get("status") == "open" and not item.body.get("explanation_overdue"):
            rec = item.body
            rec["explanation_overdue"] = True
            _note(rec, as_of, "system", "explanation_overdue", f"未在 {rec['explain_by']} 前作出书面说明")
            try:
                table.put(item, expected_version=item.version)
            except ConditionFailedError:
                continue  # explained meanwhile: the next sweep looks again
            raise_record(stores, "SIG", SignalDraft(
                rule=EXPLANATION_RULE, level="yellow", case_no=rec["case_no"], dept_code=rec["dept_code"],
                cause=f"explain:{rid}", raised_at=as_of, recipients=["dept_head", "supervisor"],
                message=(f"办件 {rec['case_no']} 的红牌信号 {rec['rule']} 应于 {rec['explain_by']} 前作出书面说明，"
                         "逾期未说明")))
            flagged += 1
        table.delete(pointer.pk, pointer.sk)
    return flagged


def _get(stores: Stores, kind: Kind, rid: str) -> Item:
    item = stores.table("oversight").get(f"{kind}#{rid}", kind)
    if item is None:
        raise NotFoundError("记录不存在")
    return item


def explain(stores: Stores, principal: Principal, kind: Kind, rid: str, body: ExplainIn,
            now: datetime | None = None) -> dict[str, Any]:
    """The department's written explanation (情况说明); the supervisor must answer by a deadline."""
    from .. import wiring

    item = _get(stores, kind, rid)
    rec = item.body
    if not principal.may_see_dept(rec["dept_code"]):
        raise ForbiddenError("只能对本部门的信号作出说明")
    if rec["status"] != "open":
        raise ConflictError(f"当前状态为 {rec['status']}，不能再提交说明")
    at = now or datetime.now(UTC)
    reply_by: date = wiring.calendar().add_working_days(local_date(at), EXPLANATION_REPLY_WORKING_DAYS).due
    rec.update(status="explained", explanation=body.explanation, explained_by=principal.actor_name,
               explained_at=at.isoformat(), reply_deadline=reply_by.isoformat())
    _note(rec, at, principal.actor_name, "explain", body.explanation)
    _save(stores, item)
    return rec


def dispose(stores: Stores, principal: Principal, kind: Kind, rid: str, body: DisposeIn,
            now: datetime | None = None) -> dict[str, Any]:
    """Close a record: the supervisor (or legal office) accepts or rejects the explanation."""
    item = _get(stores, kind, rid)
    rec = item.body
    if rec["status"] == "closed":
        raise ConflictError("该记录已关闭")
    at = now or datetime.now(UTC)
    rec.update(status="closed", disposition=body.decision, disposition_reason=body.reason,
               closed_by=principal.actor_name, closed_at=at.isoformat())
    _note(rec, at, principal.actor_name, body.decision, body.reason)
    _save(stores, item)
    return rec


def _note(rec: dict[str, Any], at: datetime, by: str, action: str, text: str) -> None:
    """Append to a record's lifecycle history (who, when, what)."""
    rec["history"] = [*rec.get("history", []), {"at": at.isoformat(), "by": by, "action": action, "text": text}]


def _save(stores: Stores, item: Item) -> None:
    try:
        stores.table("oversight").put(item, expected_version=item.version)
    except ConditionFailedError:
        raise ConflictError("记录已被他人修改，请刷新后重试") from None


#: Signals that judge the data as it stands: when later (out-of-order or corrected) data shows the
#: situation never existed, they are withdrawn — closed with that disposition, never deleted.
WITHDRAWABLE = ("R4:step:", "R6:", "R8:no_acceptance", "R13:")
WITHDRAWN_REASON = "后续报送（乱序到达或更正）的数据表明该情形不存在，系统自动撤回"


def withdraw_stale(stores: Stores, case_no: str, still_true: set[str], now: datetime | None = None) -> int:
    """Close open, data-dependent signals of a case whose cause the current view no longer shows,
    and take them back out of the period counters. Returns how many were withdrawn."""
    table = stores.table("oversight")
    at = now or datetime.now(UTC)
    withdrawn = 0
    for pointer in table.query(f"SIGCASE#{case_no}", limit=500).items:
        item = table.get(f"SIG#{pointer.sk}", "SIG")
        if item is None:
            continue
        rec = item.body
        cause = str(rec.get("cause", ""))
        if rec.get("status") != "open" or cause in still_true or not cause.startswith(WITHDRAWABLE):
            continue
        rec.update(status="closed", disposition="withdrawn", disposition_reason=WITHDRAWN_REASON,
                   closed_by="system", closed_at=at.isoformat())
        _note(rec, at, "system", "withdraw", WITHDRAWN_REASON)
        tx = stores.transaction()
        tx.put("oversight", item, expected_version=item.version)
        raised = datetime.fromisoformat(rec["raised_at"])
        tx.add_counters([CounterDelta(p, rec["dept_code"], {rec["level"]: -1}) for p in periods_of(local_date(raised))])
        try:
            tx.commit()
            withdrawn += 1
        except ConditionFailedError:
            continue  # someone explained or closed it meanwhile: leave it to them
    return withdrawn


def raise_all(stores: Stores, kind: Kind, drafts: Iterable[Any]) -> int:
    return sum(1 for d in drafts if raise_record(stores, kind, d))


def overdue_replies(stores: Stores, as_of: datetime) -> list[dict[str, Any]]:
    """Explained records whose reply deadline has passed (for the supervisors' attention)."""
    day = local_date(as_of) - timedelta(days=0)
    out = []
    for kind in ("SIG", "FND"):
        for it in stores.table("oversight").query(f"{kind}S", index="gsi2", limit=500).items:
            dl = it.body.get("reply_deadline")
            if it.body.get("status") == "explained" and dl and date.fromisoformat(dl) < day:
                out.append(it.body)
    return out
