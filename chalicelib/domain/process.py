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

Pure: no AWS, no clock. Every instant is a parameter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from .calendar import Calendar, OpenPauseError, Pause
from .case_view import CaseView
from .catalog import Fee, ItemVersion, Penalty, PenaltyType, extension_cap_param
from .errors import ConflictError, ValidationError, field_error
from .events import RESULT_CODES, ExchangeEvent, parse_event
from .legal import PENALTY_TYPE_NAMES, Officer, hearing_required
from .rules_config import RuleConfig

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

Machine = Literal["license", "penalty", "service"]
Role = Literal["handler", "dept_head"]
Colour = Literal["green", "yellow", "red"]
DueRule = Literal["limit", "case_due", "none"]

#: Which state machine runs an item of a category. QZ (行政强制) is not run natively.
MACHINES: dict[str, Machine] = {
    "XK": "license",
    "SP": "license",
    "GF": "license",
    "JL": "license",
    "QR": "license",
    "CJ": "license",
    "QT": "license",
    "ZS": "license",
    "ZY": "license",
    "CF": "penalty",
    "FW": "service",
}

#: Task kinds (待办类型) a state machine waits on, with their Chinese names.
TASK_KINDS: dict[str, str] = {
    "accept": "受理",
    "supplement": "补正材料接收",
    "step": "审批环节",
    "co_review": "并联审查",
    "conclude": "办结",
    "deliver": "送达",
    "open_case": "立案",
    "notify": "事先告知",
    "hearing": "听证",
    "decide": "处罚决定",
    "serve": "送达",
    "enforce": "执行",
    "close": "结案",
}

#: The action each task kind accepts (a task resumes its execution with one of these).
TASK_ACTIONS: dict[str, tuple[str, ...]] = {
    "accept": ("accept", "reject", "request_supplement"),
    "supplement": ("receive_supplement",),
    "step": ("complete_step",),
    "co_review": ("complete_step",),
    "conclude": ("conclude",),
    "deliver": ("deliver",),
    "open_case": ("open_case",),
    "notify": ("notify",),
    "hearing": ("hold_hearing",),
    "decide": ("decide",),
    "serve": ("serve",),
    "enforce": ("enforce",),
    "close": ("close",),
}

#: Actions that do not resume a waiting task: they only write events (特别程序).
SIDE_ACTIONS = frozenset({"start_special", "end_special"})

#: Time limits of the runtime's own tasks, in working days. ``accept`` and ``deliver`` follow the
#: supervision defaults (R10 first supplement notice, R12 delivery); the penalty ones are
#: [inferred] configurable defaults: 受案→立案 7, 决定→送达 5 (≈ 7 days), 送达→执行 10 (≈ 15 days),
#: 执行→结案 10.
PENALTY_LIMITS_WD: dict[str, int] = {"open": 7, "serve": 5, "enforce": 10, "close": 10}

UNKNOWN_DUE = "9999-12-31"


def business_day(moment: datetime) -> date:
    """The Asia/Shanghai date of an instant (a naive instant is taken as +08:00)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)
    return aware.astimezone(SHANGHAI).date()


# --------------------------------------------------------------------------- the process plan


def machine_for(category: str) -> Machine | None:
    return MACHINES.get(category)


def step_role(index: int, count: int) -> Role:
    """The final post of an internal flow chart is the approval (批准) by the department head."""
    return "dept_head" if count > 1 and index == count - 1 else "handler"


def plan_steps(version: ItemVersion) -> list[dict[str, Any]]:
    """The bound version's confirmed steps, in order, each with the role of its post."""
    steps = version.item.steps
    return [
        {"code": s.code, "name": s.name, "limit_days": s.limit_days, "role": step_role(i, len(steps))}
        for i, s in enumerate(steps)
    ]


def limits(cfg: RuleConfig, on: date) -> dict[str, int]:
    """The working-day limits a state machine applies to the runtime's own tasks."""
    return {
        "accept": cfg.int_value("supplement_first_notice_wd", on),
        "deliver": cfg.int_value("delivery_wd", on),
        **PENALTY_LIMITS_WD,
    }


def ladder_length(steps: Sequence[Mapping[str, Any]], task_limits: Mapping[str, int]) -> int:
    """How many rungs every ladder of a case needs: the longest limit it may look up, plus one."""
    longest = max([int(s["limit_days"]) for s in steps] + list(task_limits.values()) + [0])
    return longest + 1


def workday_ladder(
    calendar: Calendar, start: date, length: int, pauses: Iterable[Pause] = ()
) -> list[str | None]:
    """``[start, 1st working day after, 2nd, …]`` as ISO dates: rung *n* is the due date of an
    *n*-working-day limit counted from ``start`` (the start day not counted, paused days
    excluded). While an open pause stops the clock the rungs from there on are unknown (None).
    """
    spans = list(pauses)
    out: list[str | None] = [start.isoformat()]
    day = start
    for _ in range(1, length):
        try:
            day = calendar.add_working_days(day, 1, spans).due
        except OpenPauseError:
            return out + [None] * (length - len(out))
        out.append(day.isoformat())
    return out


def execution_input(
    *,
    case_no: str,
    version: ItemVersion,
    steps: list[dict[str, Any]],
    task_limits: Mapping[str, int],
    clock: Mapping[str, Any],
) -> dict[str, Any]:
    """The input of a case's execution: identity, the process plan and the starting clock."""
    item = version.item
    return {
        "case_no": case_no,
        "item_code": version.code,
        "item_name": item.name,
        "item_version": version.version,
        "dept_code": item.dept_code,
        "category": item.category,
        "steps": steps,
        "co_departments": list(item.co_departments) if machine_for(item.category) == "license" else [],
        "limits": dict(task_limits),
        "clock": dict(clock),
    }


def clock(
    *,
    action: str,
    at: datetime,
    ladder: list[str | None],
    case_due: date | None,
    due_at: date | None = None,
    late_days: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What an action hands back to the execution (task output): when it happened, whether the
    task ran past its deadline, and the ladder and case deadline the next tasks are timed by."""
    return {
        "action": action,
        "at": at.isoformat(),
        "due_at": due_at.isoformat() if due_at else None,
        "late": late_days > 0,
        "late_days": late_days,
        "workdays": ladder,
        "case_due": case_due.isoformat() if case_due else None,
        **(extra or {}),
    }


# --------------------------------------------------------------------------- tasks and the worklist


class TaskStep(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    code: str
    name: str
    limit_days: int | None = None
    role: str | None = None


class TaskMessage(BaseModel):
    """The SQS message body a waiting task sends (see ``state_machines/*.asl.json``)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")

    task_token: str = Field(min_length=1)
    execution: str | None = None
    state: str | None = None
    case_no: str
    dept_code: str
    owner_dept: str
    item_code: str
    item_name: str | None = None
    kind: str
    role: Role
    actions: list[str] = Field(default_factory=list)
    step: TaskStep
    step_index: int | None = None
    started_at: AwareDatetime
    due_rule: DueRule = "limit"
    due_at: date | None = None


def task_id(token: str) -> str:
    """A short, stable identifier of a waiting task (the token itself is a secret)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:24]


def task_due(
    calendar: Calendar,
    *,
    due_rule: str,
    started_at: datetime,
    limit_days: int | None,
    case_due: date | None,
    pauses: Iterable[Pause] = (),
) -> date | None:
    """A waiting task's deadline, recomputed after special procedures moved the clock."""
    if due_rule == "case_due":
        return case_due
    if due_rule != "limit" or limit_days is None:
        return None
    try:
        return calendar.add_working_days(business_day(started_at), limit_days, pauses).due
    except OpenPauseError:
        return None


def colour(calendar: Calendar, due: date | None, as_of: date) -> Colour:
    """The colour on the supervision board: red once the due day has ended, yellow from the start
    of the last working day before it (R1 临期), otherwise green. No deadline: green."""
    if due is None:
        return "green"
    if as_of > due:
        return "red"
    if as_of >= calendar.previous_workday(due):
        return "yellow"
    return "green"


def remaining_working_days(calendar: Calendar, due: date | None, as_of: date) -> int | None:
    """Working days left until the end of ``due`` (0 on the due day, negative once overdue)."""
    if due is None:
        return None
    if as_of <= due:
        return calendar.working_days_between(as_of, due)
    return -calendar.working_days_between(due, as_of)


def lateness(calendar: Calendar, due: date | None, done: date) -> int:
    """Working days a task ran past its deadline (0 when on time or without a deadline)."""
    if due is None or done <= due:
        return 0
    return max(1, calendar.working_days_between(due, done))


def worklist_order(tasks: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Least remaining working time first: ordered by deadline, then by when the task started."""
    return sorted(
        tasks,
        key=lambda t: (
            t.get("due_at") or UNKNOWN_DUE,
            str(t.get("started_at") or ""),
            str(t.get("case_no") or ""),
        ),
    )


# --------------------------------------------------------------------------- actions

_Text = Annotated[str, Field(max_length=2000)]
_Name = Annotated[str, Field(min_length=1, max_length=200)]
_Short = Annotated[str, Field(max_length=100)]
_Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2, allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)


class ActorIn(_In):
    name: _Short | None = None
    staff_no: _Short | None = None
    title: _Short | None = None
    officer_id: _Short | None = None


class _Action(_In):
    #: When the act happened (defaults to now); never before the task began, never in the future.
    at: AwareDatetime | None = None
    #: Which waiting task to resume when several could take this action (optional).
    task_id: _Short | None = None
    actor: ActorIn | None = None


class AcceptAction(_Action):
    """受理."""

    action: Literal["accept"]
    materials: list[_Name] = Field(default_factory=list, max_length=200)


class RejectAction(_Action):
    """不予受理: a reason is mandatory (R6)."""

    action: Literal["reject"]
    reason: _Text | None = None


class RequestSupplementAction(_Action):
    """补交告知: once, listing every missing material (R10)."""

    action: Literal["request_supplement"]
    missing_materials: list[_Name] = Field(default_factory=list, max_length=200)
    reason: _Text | None = None


class ReceiveSupplementAction(_Action):
    """补交受理."""

    action: Literal["receive_supplement"]
    materials: list[_Name] = Field(default_factory=list, max_length=200)


class CompleteStepAction(_Action):
    """Complete the current step (审批环节) or a co-department review (并联审查) with an opinion."""

    action: Literal["complete_step"]
    opinion: _Text | None = None
    status: Literal["approved", "objected"] = "approved"
    step_code: _Short | None = None


class LimitIn(_In):
    value: int = Field(ge=1, le=3650)
    unit: Literal["working_day", "calendar_day"] = "working_day"


class StartSpecialAction(_Action):
    """特别程序开始: A 延长审批 (approver, reason, extension days), B other (expected duration)."""

    action: Literal["start_special"]
    kind: Literal["A", "B"]
    name: _Name | None = None
    approver: _Short | None = None
    reason: _Text | None = None
    limit: LimitIn | None = None


class EndSpecialAction(_Action):
    """特别程序结束."""

    action: Literal["end_special"]
    seq: _Short
    result: _Text | None = None


class ConcludeAction(_Action):
    """办结 with its result code (BJJGDM 0–5; 6 不予受理 is the ``reject`` action)."""

    action: Literal["conclude"]
    result_code: int = Field(ge=0, le=5)
    result_desc: _Name | None = None
    reason: _Text | None = None
    cert_name: _Name | None = None
    cert_no: _Short | None = None
    fee_amount: _Money | None = None


class DeliverAction(_Action):
    """领取登记 / 送达."""

    action: Literal["deliver"]
    mode: _Short = "window"


class PartyIn(_In):
    type: Literal["person", "org"]
    name: _Name
    id_type: _Short | None = None
    id_no: _Short | None = None
    phone: _Short | None = None
    in_business: bool = False


class OpenCaseAction(_Action):
    """立案: the party, the cause and at least two certified officers (L3)."""

    action: Literal["open_case"]
    party: PartyIn
    cause: _Text = Field(min_length=1)
    officers: list[_Short] = Field(default_factory=list, max_length=20)
    source: _Short | None = None


class ProposedIn(_In):
    types: list[PenaltyType] = Field(default_factory=list, max_length=10)
    amount: _Money | None = None
    tier: _Short | None = None


class NotifyAction(_Action):
    """事先告知 (statement and defence, and the hearing right where required: L5)."""

    action: Literal["notify"]
    proposed: ProposedIn
    hearing_notified: bool = False


class HoldHearingAction(_Action):
    """听证: whether the party asked for one; if so, its notice, date, chair and result."""

    action: Literal["hold_hearing"]
    requested: bool
    requested_at: AwareDatetime | None = None
    noticed_at: AwareDatetime | None = None
    hearing_at: AwareDatetime | None = None
    chair: _Short | None = None
    result: _Text | None = None


class DecideAction(_Action):
    """处罚决定 (blocked outside the statutory range, L1; tier mismatch needs reason and
    collective discussion, L2)."""

    action: Literal["decide"]
    decision_no: _Short = Field(min_length=1)
    types: list[PenaltyType] = Field(default_factory=list, max_length=10)
    amount: _Money | None = None
    tier: _Short | None = None
    tier_reason: _Text | None = None
    collective_discussion: bool = False
    basis_ids: list[_Short] = Field(default_factory=list, max_length=50)


class ServeAction(_Action):
    action: Literal["serve"]
    mode: _Short = "direct"


class EnforceAction(_Action):
    action: Literal["enforce"]
    paid_amount: _Money | None = None
    mode: _Short = "voluntary"


class CloseAction(_Action):
    action: Literal["close"]
    archive_no: _Short | None = None


Action = (
    AcceptAction
    | RejectAction
    | RequestSupplementAction
    | ReceiveSupplementAction
    | CompleteStepAction
    | StartSpecialAction
    | EndSpecialAction
    | ConcludeAction
    | DeliverAction
    | OpenCaseAction
    | NotifyAction
    | HoldHearingAction
    | DecideAction
    | ServeAction
    | EnforceAction
    | CloseAction
)

ACTION_MODELS: dict[str, type[_Action]] = {
    "accept": AcceptAction,
    "reject": RejectAction,
    "request_supplement": RequestSupplementAction,
    "receive_supplement": ReceiveSupplementAction,
    "complete_step": CompleteStepAction,
    "start_special": StartSpecialAction,
    "end_special": EndSpecialAction,
    "conclude": ConcludeAction,
    "deliver": DeliverAction,
    "open_case": OpenCaseAction,
    "notify": NotifyAction,
    "hold_hearing": HoldHearingAction,
    "decide": DecideAction,
    "serve": ServeAction,
    "enforce": EnforceAction,
    "close": CloseAction,
}

ActionName = Literal[
    "accept",
    "reject",
    "request_supplement",
    "receive_supplement",
    "complete_step",
    "start_special",
    "end_special",
    "conclude",
    "deliver",
    "open_case",
    "notify",
    "hold_hearing",
    "decide",
    "serve",
    "enforce",
    "close",
]


def parse_action(raw: Any) -> Action:
    """Validate an action body with the model of its ``action``; 400 naming each bad field."""
    if not isinstance(raw, Mapping):
        raise ValidationError(
            "请求体应为 JSON 对象", [field_error("body", "请求体应为 JSON 对象", "model_type")]
        )
    name = raw.get("action")
    model = ACTION_MODELS.get(name) if isinstance(name, str) else None
    if model is None:
        raise ValidationError(
            "未知的操作",
            [field_error("action", f"操作应为 {'、'.join(ACTION_MODELS)} 之一", "literal_error")],
        )
    try:
        parsed: Action = model.model_validate(dict(raw))  # type: ignore[assignment]
    except PydanticValidationError as exc:
        details = []
        for err in exc.errors(include_url=False, include_input=False):
            where = ".".join(str(p) for p in err.get("loc", ())) or "body"
            details.append(
                field_error(where, str(err.get("msg", "格式不正确")), str(err.get("type", "invalid")))
            )
        raise ValidationError("操作数据有误", details) from None
    return parsed


# --------------------------------------------------------------------------- blocking checks


class _Problems:
    """Collects blocking problems; the first one's headline becomes the error message."""

    def __init__(self) -> None:
        self.headline: str | None = None
        self.details: list[dict[str, Any]] = []

    def add(self, headline: str, where: str, message: str, kind: str = "blocked") -> None:
        self.headline = self.headline or headline
        self.details.append(field_error(where, message, kind))

    def raise_if_any(self) -> None:
        if self.details:
            raise ValidationError(self.headline or "操作被阻止", self.details, code="BLOCKED")


RANGE_HEADLINE = "超出法定处罚幅度"
TIER_HEADLINE = "裁量档次不符：须书面说明理由并经集体讨论"
OFFICER_HEADLINE = "执法人员资格不符"
FEE_HEADLINE = "收费与目录标准不一致"
SUPPLEMENT_HEADLINE = "补正材料应一次性告知"
EXTENSION_HEADLINE = "延长审批不符合规定"
SPECIAL_HEADLINE = "特别程序信息不完整"
REASON_HEADLINE = "必须说明理由"
HEARING_HEADLINE = "听证程序不符合规定"


def _money(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _type_names(types: Iterable[str]) -> str:
    return "、".join(PENALTY_TYPE_NAMES.get(t, t) for t in types)


def penalty_range_problems(
    terms: Penalty, types: Sequence[str], amount: Decimal | None, out: _Problems, prefix: str = ""
) -> None:
    """L1: penalty types not listed for the item, or a fine outside the statutory range."""
    chosen = list(dict.fromkeys([*types, *(["fine"] if amount is not None and amount > 0 else [])]))
    unlisted = [t for t in chosen if t not in terms.types]
    if unlisted:
        out.add(
            RANGE_HEADLINE,
            f"{prefix}types",
            f"处罚种类「{_type_names(unlisted)}」不在本事项规定的处罚种类（{_type_names(terms.types)}）之内",
        )
    if amount is None or "fine" not in chosen or terms.fine_min is None or terms.fine_max is None:
        return
    if not terms.fine_min <= amount <= terms.fine_max:
        out.add(
            RANGE_HEADLINE,
            f"{prefix}amount",
            f"罚款 {_money(amount)} 元超出法定处罚幅度"
            f"（{_money(terms.fine_min)}–{_money(terms.fine_max)} 元）",
        )


def tier_problems(
    terms: Penalty,
    amount: Decimal | None,
    tier: str | None,
    tier_reason: str | None,
    collective: bool,
    out: _Problems,
) -> None:
    """L2: the fine must lie in the chosen discretion tier (裁量档次) unless a written reason is
    recorded AND the case went through collective discussion (集体讨论)."""
    if amount is None or not terms.tiers:
        return
    chosen = terms.tier_named(tier) if tier else None
    if chosen is None:
        problem = f"所选裁量档次「{tier}」不存在" if tier else "未选择适用的裁量档次"
    elif not terms.tier_contains(chosen, amount):
        problem = (
            f"罚款 {_money(amount)} 元不在「{chosen.tier}」档"
            f"（{_money(chosen.min)}–{_money(chosen.max)} 元）范围内"
        )
    else:
        return
    if (tier_reason or "").strip() and collective:
        return
    missing = [
        w
        for w, ok in (
            ("书面理由（tier_reason）", bool((tier_reason or "").strip())),
            ("集体讨论（collective_discussion）", collective),
        )
        if not ok
    ]
    out.add(TIER_HEADLINE, "tier", f"{problem}，须记录{'和'.join(missing)}")


def officer_problems(
    officer_ids: Sequence[str],
    registry: Mapping[str, Officer | None],
    on: date,
    dept_code: str,
    item_code: str,
    out: _Problems,
    where: str = "officers",
) -> None:
    """L3: at least two officers, each with a certificate valid on the act date, of the acting
    department and covering the item."""
    ids = list(dict.fromkeys(o for o in officer_ids if o))
    if len(ids) < 2:
        out.add(OFFICER_HEADLINE, where, f"执法人员只有 {len(ids)} 名，不得少于两名")
    for i, officer_id in enumerate(ids):
        registered = registry.get(officer_id)
        officer = registered.as_of(on) if registered is not None else None
        if officer is None:
            problem = f"执法人员 {officer_id} 未在执法人员库中登记，无执法资格"
        elif not officer.valid_on(on):
            problem = (
                f"执法人员 {officer.name}（证号 {officer.cert_no or '无'}）的执法证有效期为 "
                f"{officer.periods()}，"
                f"{on.isoformat()} 不在有效期内"
            )
        elif officer.dept_code != dept_code:
            problem = (
                f"执法人员 {officer.name} 的执法证属于部门 {officer.dept_code}，不能代表部门 {dept_code} 执法"
            )
        elif not officer.covers(item_code):
            problem = f"执法人员 {officer.name} 的执法证范围不包括事项 {item_code}"
        else:
            continue
        out.add(OFFICER_HEADLINE, f"{where}.{i}", problem)


def fee_problems(fee: Fee, amount: Decimal | None, result_code: int, out: _Problems) -> None:
    """R9 违规收费, prevented: no fee on a no-fee item; the catalog standard on a charged one."""
    if not fee.charged:
        if amount is not None and amount != 0:
            out.add(FEE_HEADLINE, "fee_amount", f"本事项不收费，不得收取 {_money(amount)} 元")
        return
    standard = fee.amount if fee.amount is not None else Decimal(0)
    if amount is None:
        if result_code == 0:
            out.add(
                FEE_HEADLINE,
                "fee_amount",
                f"收费事项办结时须填写收费金额（目录标准 {_money(standard)} 元）",
                "missing",
            )
        return
    if amount != 0 and amount != standard or amount == 0 and result_code == 0:
        out.add(
            FEE_HEADLINE, "fee_amount", f"收费金额 {_money(amount)} 元与目录标准 {_money(standard)} 元不一致"
        )


def special_problems(
    action: StartSpecialAction,
    *,
    category: str,
    statutory_wd: int | None,
    extension_total: int,
    cap: int,
    out: _Problems,
) -> None:
    """Type A needs an approver, a reason, the extension days and stays within the license cap
    (statutory + ``cap`` working days); type B states its expected duration (R11)."""
    if action.kind == "A":
        if not (action.approver or "").strip():
            out.add(EXTENSION_HEADLINE, "approver", "延长审批须写明批准人", "missing")
        if not (action.reason or "").strip():
            out.add(EXTENSION_HEADLINE, "reason", "延长审批须写明延期理由", "missing")
        if action.limit is None:
            out.add(EXTENSION_HEADLINE, "limit", "延长审批须写明延长的工作日数", "missing")
        elif action.limit.unit != "working_day":
            out.add(EXTENSION_HEADLINE, "limit.unit", "延长审批以工作日计算")
        elif category == "XK" and extension_total + action.limit.value > cap:
            base = f"法定时限 {statutory_wd} 个工作日 + " if statutory_wd is not None else ""
            out.add(
                EXTENSION_HEADLINE,
                "limit.value",
                f"延长审批累计 {extension_total + action.limit.value} 个工作日，"
                f"超过上限（{base}{cap} 个工作日）",
            )
    elif action.limit is None:
        out.add(SPECIAL_HEADLINE, "limit", "特别程序须写明预计所需时限", "missing")


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
    out = _Problems()
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
        if ctx.view is not None and ctx.view.supplements:
            out.add(
                SUPPLEMENT_HEADLINE,
                "action",
                "本件已发出过补正告知，补正材料只能一次性告知，不得再次要求补正",
                "repeated",
            )
        if not action.missing_materials:
            out.add(
                SUPPLEMENT_HEADLINE, "missing_materials", "补正告知须一次性列明全部需补正的材料", "missing"
            )
        out.raise_if_any()
        ev.add(
            "supplement_requested", {"reason": action.reason, "missing_materials": action.missing_materials}
        )
    elif isinstance(action, ReceiveSupplementAction):
        if not action.materials:
            out.add("补交材料不能为空", "materials", "请列明收到的补正材料", "missing")
        out.raise_if_any()
        ev.add("supplement_received", {"materials": action.materials})
    elif isinstance(action, CompleteStepAction):
        _complete_step(action, ctx, ev, out)
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
        if action.result_code in (1, 2, 3, 4, 5) and not (action.reason or "").strip():
            out.add(
                f"「{RESULT_CODES[action.result_code]}」" + REASON_HEADLINE,
                "reason",
                f"办结结果为「{RESULT_CODES[action.result_code]}」时必须说明理由",
                "missing",
            )
        fee_problems(item.fee, action.fee_amount, action.result_code, out)
        out.raise_if_any()
        ev.add(
            "concluded",
            {
                "result_code": action.result_code,
                "result_desc": action.result_desc or RESULT_CODES[action.result_code],
                "reason": action.reason,
                "cert_name": action.cert_name,
                "cert_no": action.cert_no,
                "fee_amount": action.fee_amount,
            },
        )
        extra["result_code"] = action.result_code
    elif isinstance(action, DeliverAction):
        ev.add("delivered", {"mode": action.mode})
    else:
        _penalty_action(action, ctx, ev, out, extra)
    return Outcome(ev.items, extra)


def _complete_step(action: CompleteStepAction, ctx: ActionContext, ev: _Events, out: _Problems) -> None:
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


def _start_special(action: StartSpecialAction, ctx: ActionContext, ev: _Events, out: _Problems) -> None:
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
    action: Action, ctx: ActionContext, ev: _Events, out: _Problems, extra: dict[str, Any]
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


def _hold_hearing(action: HoldHearingAction, ctx: ActionContext, ev: _Events, out: _Problems) -> None:
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
