"""The actions staff take on a natively run case (运行平台操作), each validated by its own model."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from chalicelib.catalog.domain.items import PenaltyType
from chalicelib.kernel.errors import ValidationError, field_error

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
    #: Documents for this act (ids from ``POST /attachments`` with purpose ``action``); the act's
    #: event names each with its SHA-256.
    attachments: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=10)


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


class ReturnStepAction(_Action):
    """退回: send the case back to the previous approval step, with the reason (the step's task ends)."""

    action: Literal["return_step"]
    reason: _Text = Field(min_length=1)


class VoidAction(_Action):
    """作废: the department head ends the case's procedure for good, with the reason (办结结果 2 作废)."""

    action: Literal["void"]
    reason: _Text = Field(min_length=1)


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
    | ReturnStepAction
    | VoidAction
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
    "return_step": ReturnStepAction,
    "void": VoidAction,
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
    "return_step",
    "void",
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
    "approve_measure",
    "implement_measure",
    "serve_measure",
    "dispose_measure",
    "extend_measure",
    "demand",
    "hear_statement",
    "decide_enforcement",
    "execute",
    "suspend_enforcement",
    "resume_enforcement",
    "terminate_enforcement",
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




# --------------------------------------------------------------------------- 行政强制 (QZ), runtime/domain/coercion.py

#: Grounds of 中止执行 (suspension), 行政强制法 art.39.
SUSPEND_GROUNDS: dict[str, str] = {
    "hardship": "当事人履行行政决定确有困难或者暂无履行能力",
    "third_party": "第三人对执行标的主张权利，确有理由",
    "irreparable": "执行可能造成难以弥补的损失，且中止执行不损害公共利益",
    "other": "行政机关认为需要中止执行的其他情形",
}
#: Grounds of 终结执行 (termination), 行政强制法 art.40 (``performed``: the duty was performed meanwhile).
TERMINATE_GROUNDS: dict[str, str] = {
    "death_no_estate": "公民死亡，无遗产可供执行，又无义务承受人",
    "org_ended": "法人或者其他组织终止，无财产可供执行，又无义务承受人",
    "object_lost": "执行标的灭失",
    "decision_revoked": "据以执行的行政决定被撤销",
    "performed": "当事人已履行行政决定确定的义务",
    "other": "行政机关认为需要终结执行的其他情形",
}
#: How a 查封/扣押 ends (art.27 处理, art.28 解除, art.21 移送).
DISPOSALS: dict[str, str] = {
    "release": "解除查封、扣押",
    "confiscate": "依法没收",
    "destroy": "依法销毁",
    "transfer": "移送司法机关",
}


class ApproveMeasureAction(_Action):
    """报告批准 (art.18(1)): the agency head approves the measure before it is taken; in an emergency
    (情况紧急, art.19) the officers act first and the approval follows within 24 hours."""

    action: Literal["approve_measure"]
    measure: _Short | None = None
    reason: _Text | None = None
    opinion: _Text | None = None
    emergency: bool = False
    implemented_at: AwareDatetime | None = None


class ImplementMeasureAction(_Action):
    """实施 (art.18(2)–(10)): two certified officers, certificates shown, the party told on the spot,
    the statement heard, the on-site record (现场笔录) made; a witness when the party is absent."""

    action: Literal["implement_measure"]
    officers: list[_Short] = Field(default_factory=list, max_length=20)
    certificates_shown: bool = False
    party_present: bool = True
    witness: _Short | None = None
    informed: bool = False
    statement_heard: bool = False
    record_made: bool = False
    goods: list[_Name] = Field(default_factory=list, max_length=200)
    place: _Short | None = None


class ServeMeasureAction(_Action):
    """查封、扣押决定书和清单 served on the spot (art.24) with the term (art.25)."""

    action: Literal["serve_measure"]
    decision_no: _Short = Field(min_length=1)
    term_days: int = Field(ge=0, le=3650)
    mode: _Short = "direct"


class DisposeMeasureAction(_Action):
    """期限内解除或处理 (art.27, 28)."""

    action: Literal["dispose_measure"]
    outcome: Literal["release", "confiscate", "destroy", "transfer"]
    decision_no: _Short | None = None
    reason: _Text | None = None


class ExtendMeasureAction(_Action):
    """延长查封、扣押期限 (art.25): approved by the agency head, at most 30 days."""

    action: Literal["extend_measure"]
    days: int = Field(ge=1, le=3650)
    approver: _Short | None = None
    reason: _Text | None = None


class DemandAction(_Action):
    """催告 (art.35): in writing, with the period, method and amount, and the right to state and defend."""

    action: Literal["demand"]
    decision_no: _Short = Field(min_length=1)
    period_days: int = Field(ge=0, le=3650)
    method: _Short | None = None
    amount: _Money | None = None
    rights_notified: bool = False
    mode: _Short = "direct"


class HearStatementAction(_Action):
    """陈述申辩 (art.36): the party's statement and defence heard and recorded (or none made)."""

    action: Literal["hear_statement"]
    made: bool = False
    content: _Text | None = None
    adopted: bool = False
    performed: bool = False
    opinion: _Text | None = None


class DecideEnforcementAction(_Action):
    """强制执行决定 (art.37): only once the demand's period has passed unperformed."""

    action: Literal["decide_enforcement"]
    decision_no: _Short = Field(min_length=1)
    method: _Short | None = None
    immediate: bool = False
    reason: _Text | None = None


class ExecuteAction(_Action):
    """执行 (art.41–43): never at night nor on a statutory holiday unless urgent."""

    action: Literal["execute"]
    method: _Short | None = None
    officers: list[_Short] = Field(default_factory=list, max_length=20)
    emergency: bool = False
    reason: _Text | None = None
    result: _Text | None = None


class SuspendEnforcementAction(_Action):
    """中止执行 (art.39): the clock stops (a type-B special procedure) until it resumes."""

    action: Literal["suspend_enforcement"]
    ground: Literal["hardship", "third_party", "irreparable", "other"]
    reason: _Text | None = None


class ResumeEnforcementAction(_Action):
    """恢复执行 (art.39 ¶2): the ground of the suspension has gone."""

    action: Literal["resume_enforcement"]
    reason: _Text | None = None


class TerminateEnforcementAction(_Action):
    """终结执行 (art.40): the department head ends the enforcement for one of the law's grounds."""

    action: Literal["terminate_enforcement"]
    ground: Literal["death_no_estate", "org_ended", "object_lost", "decision_revoked", "performed", "other"]
    reason: _Text = Field(min_length=1)


COERCION_ACTIONS: dict[str, type[_Action]] = {
    "approve_measure": ApproveMeasureAction,
    "implement_measure": ImplementMeasureAction,
    "serve_measure": ServeMeasureAction,
    "dispose_measure": DisposeMeasureAction,
    "extend_measure": ExtendMeasureAction,
    "demand": DemandAction,
    "hear_statement": HearStatementAction,
    "decide_enforcement": DecideEnforcementAction,
    "execute": ExecuteAction,
    "suspend_enforcement": SuspendEnforcementAction,
    "resume_enforcement": ResumeEnforcementAction,
    "terminate_enforcement": TerminateEnforcementAction,
}
ACTION_MODELS.update(COERCION_ACTIONS)
