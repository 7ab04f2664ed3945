"""Operation platform process rules (运行平台流程规则): what a natively run case may do next.

The state machines in ``state_machines/`` hold the order of a case (受理 → 审批环节 → 办结 →
送达, or 立案 → … → 结案 for penalties); this module holds everything a state machine cannot:

* the **process plan** passed into an execution: the bound item version's confirmed steps
  (with the role of each post), the co-handling departments (并联审批) and the time limits;
* the **working-day ladder** (工作日阶梯) an action hands back to the execution, from which the
  state machine picks each waiting task's deadline (``due_at``) without calendar arithmetic;
* the **task message** contract between a waiting task (SQS ``.waitForTaskToken``) and the
  task worker, and the worklist colour of a task as the supervision board would show it;
* the **actions** staff take on a case, validated per action, with the **blocking checks**
  (阻断性校验) where the runtime prevents a violation instead of reporting it (docs/DOMAIN.md §4.1, §7.3);
* the exchange events each action writes — the same events a department system would send.

This module turns an action into events (:func:`apply_action`); the plan and the ladder are in
``plan``, the action models in ``actions``, the blocking checks in ``checks`` — their names are
re-exported here, the one place callers import the process rules from.

Pure: no AWS, no clock. Every instant is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.domain.events import RESULT_CODES, ExchangeEvent, parse_event
from chalicelib.catalog.domain.items import ItemVersion, Penalty, extension_cap_param
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError, ValidationError, field_error
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.legal.domain.checks import Officer, hearing_required

from . import coercion_acts
from .actions import (
    ACTION_MODELS,
    COERCION_ACTIONS,
    AcceptAction,
    Action,
    ActionName,
    CloseAction,
    CompleteStepAction,
    ConcludeAction,
    DecideAction,
    DeliverAction,
    EndSpecialAction,
    EnforceAction,
    ExecuteAction,
    HoldHearingAction,
    ImplementMeasureAction,
    NotifyAction,
    OpenCaseAction,
    ReceiveSupplementAction,
    RejectAction,
    RequestSupplementAction,
    ReturnStepAction,
    ServeAction,
    StartSpecialAction,
    VoidAction,
    parse_action,
)
from .checks import (
    HEARING_HEADLINE,
    RANGE_HEADLINE,
    REASON_HEADLINE,
    SUPPLEMENT_HEADLINE,
    Problems,
    fee_problems,
    officer_problems,
    penalty_range_problems,
    special_problems,
    tier_problems,
)
from .plan import (
    MACHINES,
    SIDE_ACTIONS,
    TASK_ACTIONS,
    TASK_KINDS,
    UNKNOWN_DUE,
    TaskMessage,
    TaskStep,
    business_day,
    clock,
    colour,
    execution_input,
    ladder_length,
    lateness,
    limits,
    machine_for,
    plan_steps,
    remaining_working_days,
    task_due,
    task_id,
    workday_ladder,
    worklist_order,
)

__all__ = [
    "ACTION_MODELS", "MACHINES", "SIDE_ACTIONS", "TASK_ACTIONS", "TASK_KINDS", "UNKNOWN_DUE", "Action",
    "ActionContext", "ActionName", "DecideAction", "ExecuteAction", "ImplementMeasureAction",
    "OpenCaseAction", "Outcome", "TaskMessage", "TaskStep",
    "apply_action", "business_day", "check_time", "clock", "colour", "execution_input", "ladder_length",
    "lateness", "limits", "machine_for", "parse_action", "plan_steps", "remaining_working_days", "task_due",
    "task_id", "workday_ladder", "worklist_order",
]

# --------------------------------------------------------------------------- from action to events


@dataclass
class ActionContext:
    """What an action is judged against: the case, its item, the task it resumes, the registries."""

    case_no: str
    item: ItemVersion
    at: datetime
    actor: dict[str, Any]
    view: CaseView | None
    task: Mapping[str, Any] | None
    calendar: Calendar
    cfg: RuleConfig
    type_counts: Mapping[str, int] = field(default_factory=dict)
    officers: Mapping[str, Officer | None] = field(default_factory=dict)
    #: Legal bases of the item with their repeal date (None: in force).
    repealed: Mapping[str, date | None] = field(default_factory=dict)
    #: The case's stored events (``type``, ``occurred_at``, ``data``): what a coercion case has done.
    records: Sequence[Mapping[str, Any]] = ()


@dataclass
class Outcome:
    """The events an action writes and what it tells the execution besides the clock."""

    events: list[ExchangeEvent]
    extra: dict[str, Any] = field(default_factory=dict)


class _Events:
    def __init__(self, ctx: ActionContext):
        self.ctx = ctx
        self.counts = dict(ctx.type_counts)
        self.items: list[ExchangeEvent] = []

    def add(self, etype: str, data: dict[str, Any], at: datetime | None = None) -> None:
        self.counts[etype] = self.counts.get(etype, 0) + 1
        raw = {
            "event_id": f"{self.ctx.case_no}-{etype}-{self.counts[etype]}",
            "case_no": self.ctx.case_no,
            "item_code": self.ctx.item.code,
            "type": etype,
            "occurred_at": (at or self.ctx.at).isoformat(),
            "data_version": 1,
            "actor": self.ctx.actor or None,
            "data": {k: v for k, v in data.items() if v is not None},
        }
        event, errors = parse_event(_jsonable(raw))
        if event is None:
            raise ValidationError("操作数据不符合数据交换规范", errors)
        self.items.append(event)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _require_penalty(ctx: ActionContext) -> Penalty:
    terms = ctx.item.item.penalty
    if terms is None:
        raise ConflictError("该事项不是行政处罚事项")
    return terms


def apply_action(action: Action, ctx: ActionContext) -> Outcome:
    """Run the blocking checks of ``action`` and build the exchange events it writes.

    Raises ``ValidationError`` (400, message in Chinese, code ``BLOCKED`` for blocking checks)
    or ``ConflictError`` (409) when the case is not in a state that allows the action.
    """
    out = Problems()
    ev = _Events(ctx)
    extra: dict[str, Any] = {}
    item = ctx.item.item
    if isinstance(action, AcceptAction):
        limit = item.promised_limit
        ev.add(
            "accepted",
            {
                "status": "accepted",
                "materials": action.materials,
                "limit": {"value": limit.value, "unit": limit.unit},
            },
        )
    elif isinstance(action, RejectAction):
        if not (action.reason or "").strip():
            out.add("不予受理" + REASON_HEADLINE, "reason", "不予受理必须说明理由", "missing")
        out.raise_if_any()
        ev.add("accepted", {"status": "rejected", "reason": action.reason})
        ev.add("concluded", {"result_code": 6, "result_desc": RESULT_CODES[6], "reason": action.reason})
        extra["result_code"] = 6
    elif isinstance(action, RequestSupplementAction):
        _request_supplement(action, ctx, ev, out)
    elif isinstance(action, ReceiveSupplementAction):
        if not action.materials:
            out.add("补交材料不能为空", "materials", "请列明收到的补正材料", "missing")
        out.raise_if_any()
        ev.add("supplement_received", {"materials": action.materials})
    elif isinstance(action, CompleteStepAction):
        _complete_step(action, ctx, ev, out)
    elif isinstance(action, ReturnStepAction):
        _return_step(action, ctx, ev)
    elif isinstance(action, VoidAction):
        _void(action, ctx, ev)
        extra["result_code"] = 2
    elif isinstance(action, StartSpecialAction):
        _start_special(action, ctx, ev, out)
    elif isinstance(action, EndSpecialAction):
        open_seqs = {p.seq for p in (ctx.view.pauses if ctx.view else []) if p.end is None}
        if action.seq not in open_seqs:
            raise ConflictError(
                f"没有序号为 {action.seq} 的进行中的特别程序",
                [field_error("seq", "特别程序不存在或已结束", "not_found")],
            )
        ev.add("special_ended", {"seq": action.seq, "result": action.result})
    elif isinstance(action, ConcludeAction):
        _conclude(action, ctx, ev, out)
        extra["result_code"] = action.result_code
    elif isinstance(action, DeliverAction):
        ev.add("delivered", {"mode": action.mode})
    elif action.action in COERCION_ACTIONS:
        _coercion_action(action, ctx, ev, extra)
    else:
        _penalty_action(action, ctx, ev, out, extra)
    return Outcome(ev.items, extra)


def _request_supplement(action: RequestSupplementAction, ctx: ActionContext, ev: _Events, out: Problems) -> None:
    """补正告知: once per case, listing every missing material at once."""
    if ctx.view is not None and ctx.view.supplements:
        out.add(SUPPLEMENT_HEADLINE, "action", "本件已发出过补正告知，补正材料只能一次性告知，不得再次要求补正", "repeated")
    if not action.missing_materials:
        out.add(SUPPLEMENT_HEADLINE, "missing_materials", "补正告知须一次性列明全部需补正的材料", "missing")
    out.raise_if_any()
    ev.add("supplement_requested", {"reason": action.reason, "missing_materials": action.missing_materials})


def _conclude(action: ConcludeAction, ctx: ActionContext, ev: _Events, out: Problems) -> None:
    """办结: a refusal-like result needs its reason, and the fee must be the catalog's."""
    name = RESULT_CODES[action.result_code]
    if action.result_code in (1, 2, 3, 4, 5) and not (action.reason or "").strip():
        out.add(f"「{name}」" + REASON_HEADLINE, "reason", f"办结结果为「{name}」时必须说明理由", "missing")
    fee_problems(ctx.item.item.fee, action.fee_amount, action.result_code, out)
    out.raise_if_any()
    ev.add("concluded", {"result_code": action.result_code, "result_desc": action.result_desc or name,
                         "reason": action.reason, "cert_name": action.cert_name, "cert_no": action.cert_no,
                         "fee_amount": action.fee_amount})


def _complete_step(action: CompleteStepAction, ctx: ActionContext, ev: _Events, out: Problems) -> None:
    task = ctx.task or {}
    step = task.get("step") or {}
    if action.step_code is not None and action.step_code != step.get("code"):
        raise ConflictError(
            f"当前环节为「{step.get('name')}」（{step.get('code')}），不是 {action.step_code}",
            [field_error("step_code", "与当前待办环节不符", "conflict")],
        )
    if not (action.opinion or "").strip():
        out.add("请填写审批意见", "opinion", "完成环节须填写审批意见", "missing")
    out.raise_if_any()
    if ctx.item.item.category == "CF":
        return  # no exchange event exists for a penalty's internal posts; the task record keeps it
    index = task.get("step_index")
    ev.add(
        "step",
        {
            "step_code": step.get("code"),
            "step_name": step.get("name"),
            "opinion": action.opinion,
            "status": action.status,
            "step_seq": index + 1 if isinstance(index, int) else None,
        },
    )


def _return_step(action: ReturnStepAction, ctx: ActionContext, ev: _Events) -> None:
    """退回: back to the previous approval step, recorded as that step's event with status ``returned``
    and the reason as its opinion; the first step has nothing before it."""
    task = ctx.task or {}
    step = task.get("step") or {}
    index = task.get("step_index")
    if not isinstance(index, int) or index < 1:
        raise ConflictError("已是第一个审批环节，无法退回上一环节",
                            [field_error("action", "当前环节之前没有可退回的审批环节", "conflict")])
    ev.add("step", {"step_code": step.get("code"), "step_name": step.get("name"), "opinion": action.reason,
                    "status": "returned", "step_seq": index + 1})


def _void(action: VoidAction, ctx: ActionContext, ev: _Events) -> None:
    """作废: the case ends with 办结结果 2 (作废) and the reason, unless it has ended already."""
    if ctx.item.item.category == "CF":
        raise ConflictError("行政处罚案件不能作废，请依法作出不予处罚或撤销立案决定并结案",
                            [field_error("action", "处罚案件不适用作废", "conflict")])
    view = ctx.view
    if view is not None and view.status in ("concluded", "rejected"):
        raise ConflictError("办件已办结或不予受理，不能作废", [field_error("action", "办件已结束", "conflict")])
    ev.add("concluded", {"result_code": 2, "result_desc": RESULT_CODES[2], "reason": action.reason})


def _start_special(action: StartSpecialAction, ctx: ActionContext, ev: _Events, out: Problems) -> None:
    view = ctx.view
    if view is None or view.status not in ("accepted", "in_progress", "suspended"):
        raise ConflictError("只有已受理、尚未办结的办件可以启动特别程序")
    item = ctx.item.item
    statutory = item.statutory_limit.value if item.statutory_limit.unit == "working_day" else None
    total = sum(int((p.declared_limit or {}).get("value") or 0) for p in view.pauses if p.kind == "A")
    cap = ctx.cfg.int_value(extension_cap_param(item), business_day(ctx.at))
    special_problems(
        action, category=item.category, statutory_wd=statutory, extension_total=total, cap=cap, out=out
    )
    out.raise_if_any()
    seq = str(len(view.pauses) + 1)
    name = action.name or ("延长审批" if action.kind == "A" else "特别程序")
    limit = action.limit.model_dump() if action.limit else None
    ev.add(
        "special_started",
        {
            "seq": seq,
            "kind": action.kind,
            "name": name,
            "approver": action.approver,
            "reason": action.reason,
            "limit": limit,
        },
    )


def _penalty_action(
    action: Action, ctx: ActionContext, ev: _Events, out: Problems, extra: dict[str, Any]
) -> None:
    terms = _require_penalty(ctx)
    day = business_day(ctx.at)
    view = ctx.view
    penalty = view.penalty if view is not None else None
    if isinstance(action, OpenCaseAction):
        officer_problems(action.officers, ctx.officers, day, ctx.item.item.dept_code, ctx.item.code, out)
        out.raise_if_any()
        ev.add(
            "case_opened",
            {
                "party": action.party.model_dump(),
                "cause": action.cause,
                "officers": list(dict.fromkeys(action.officers)),
                "source": action.source,
            },
        )
    elif isinstance(action, NotifyAction):
        penalty_range_problems(terms, action.proposed.types, action.proposed.amount, out, "proposed.")
        needs = (
            hearing_required(view, action.proposed.types, action.proposed.amount, day, ctx.cfg)
            if view is not None
            else None
        )
        if needs and not action.hearing_notified:
            out.add(HEARING_HEADLINE, "hearing_notified", f"{needs}，须告知当事人有要求听证的权利", "missing")
        out.raise_if_any()
        ev.add(
            "notice_served",
            {"proposed": action.proposed.model_dump(), "hearing_notified": action.hearing_notified},
        )
        extra["hearing_notified"] = action.hearing_notified
    elif isinstance(action, HoldHearingAction):
        _hold_hearing(action, ctx, ev, out)
    elif isinstance(action, DecideAction):
        penalty_range_problems(terms, action.types, action.amount, out)
        tier_problems(
            terms, action.amount, action.tier, action.tier_reason, action.collective_discussion, out
        )
        officer_problems(
            penalty.officers if penalty else [],
            ctx.officers,
            day,
            ctx.item.item.dept_code,
            ctx.item.code,
            out,
            "officers",
        )
        known = {b.id for b in ctx.item.item.legal_basis}
        if not action.basis_ids:
            out.add("处罚决定须引用法律依据", "basis_ids", "处罚决定须引用本事项的法律依据", "missing")
        for i, basis_id in enumerate(action.basis_ids):
            repealed = ctx.repealed.get(basis_id)
            if basis_id not in known:
                out.add("法律依据无效", f"basis_ids.{i}", f"依据 {basis_id} 不在本事项的法定依据之中")
            elif repealed is not None and repealed <= day:
                out.add("法律依据无效", f"basis_ids.{i}", f"依据 {basis_id} 已于 {repealed.isoformat()} 废止")
        if not action.types and action.amount is None:
            out.add(RANGE_HEADLINE, "types", "处罚决定须写明处罚种类或罚款金额", "missing")
        out.raise_if_any()
        ev.add(
            "decided",
            {
                "decision_no": action.decision_no,
                "types": action.types,
                "amount": action.amount,
                "tier": action.tier,
                "tier_reason": action.tier_reason,
                "collective_discussion": action.collective_discussion,
                "basis_ids": action.basis_ids,
            },
        )
    elif isinstance(action, ServeAction):
        ev.add("served", {"mode": action.mode})
    elif isinstance(action, EnforceAction):
        ev.add("enforced", {"paid_amount": action.paid_amount, "mode": action.mode})
    elif isinstance(action, CloseAction):
        ev.add("closed", {"archive_no": action.archive_no})


def _coercion_action(action: Any, ctx: ActionContext, ev: _Events, extra: dict[str, Any]) -> None:
    """行政强制 (QZ): ``coercion_acts.apply`` runs the 行政强制法's checks and says what to write."""
    extra.update(coercion_acts.apply(action, coercion_acts.Act(
        item=ctx.item, at=ctx.at, view=ctx.view, records=ctx.records, officers=ctx.officers,
        calendar=ctx.calendar, cfg=ctx.cfg, add=ev.add)))


def _hold_hearing(action: HoldHearingAction, ctx: ActionContext, ev: _Events, out: Problems) -> None:
    if not action.requested:
        return  # the party did not ask for a hearing within the window: nothing happened
    penalty = ctx.view.penalty if ctx.view is not None else None
    for name in ("requested_at", "noticed_at", "hearing_at", "chair"):
        if getattr(action, name) is None:
            out.add(HEARING_HEADLINE, name, "举行听证须写明申请时间、通知时间、举行时间和主持人", "missing")
    out.raise_if_any()
    assert action.requested_at and action.noticed_at and action.hearing_at and action.chair
    notice_days = ctx.cfg.int_value("hearing_notice_days", business_day(action.hearing_at))
    if business_day(action.hearing_at) - business_day(action.noticed_at) < timedelta(days=notice_days):
        out.add(HEARING_HEADLINE, "hearing_at", f"听证通知应当在举行听证的 {notice_days} 日前送达当事人")
    if penalty is not None and action.chair in penalty.officers:
        out.add(HEARING_HEADLINE, "chair", "听证主持人不得由本案调查人员担任")
    if action.hearing_at > ctx.at:
        out.add(HEARING_HEADLINE, "hearing_at", "听证举行时间不能晚于本次登记时间")
    out.raise_if_any()
    ev.add("hearing_requested", {}, action.requested_at)
    ev.add("hearing_noticed", {"hearing_at": action.hearing_at.isoformat()}, action.noticed_at)
    ev.add("hearing_held", {"chair": action.chair, "result": action.result}, action.hearing_at)


def check_time(at: datetime, *, not_before: datetime | None, now: datetime) -> None:
    """An act is recorded when it happened: never before the task began, never in the future."""
    if at > now + timedelta(minutes=5):
        raise ValidationError("办理时间不能晚于当前时间", [field_error("at", "办理时间不能晚于当前时间")])
    if not_before is not None and at < not_before:
        raise ValidationError(
            "办理时间不能早于本环节开始时间",
            [field_error("at", f"本环节于 {not_before.isoformat()} 开始，办理时间不能早于该时间")],
        )


__all__ = [
    "ACTION_MODELS",
    "Action",
    "ActionContext",
    "MACHINES",
    "Outcome",
    "TASK_ACTIONS",
    "TASK_KINDS",
    "TaskMessage",
    "apply_action",
    "check_time",
    "clock",
    "colour",
    "execution_input",
    "lateness",
    "limits",
    "machine_for",
    "parse_action",
    "plan_steps",
    "remaining_working_days",
    "task_due",
    "task_id",
    "workday_ladder",
    "worklist_order",
]
