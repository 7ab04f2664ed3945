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


