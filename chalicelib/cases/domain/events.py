"""Exchange events (交换事件): what department systems push to ``POST /exchange/events``.

One schema per event ``type`` (docs/CONTRACT.md §5, docs/DOMAIN.md §5.2–5.3). Validation here is
*structural* only: types, enums, ranges, required keys. Semantic oddities such as a
rejection without a reason or a conclusion without an acceptance are stored and raise
signals later (docs/DOMAIN.md §6.5); they are never schema errors.

``parse_event`` never raises: any input yields either a typed ``ExchangeEvent`` or a list
of contract ``details`` entries ``{"field", "type", "message"}`` (field paths relative to
the event, dotted, list indexes as numbers; ``""`` names the event itself).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializeAsAny,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from chalicelib.catalog.domain.items import InvalidCodeError, PenaltyType, normalize_code
from chalicelib.kernel.errors import field_error

from .channels import normalize_channel, point_code

LicensingType = Literal[
    "submitted",
    "pre_accepted",
    "accepted",
    "step",
    "supplement_requested",
    "supplement_received",
    "special_started",
    "special_ended",
    "concluded",
    "delivered",
]
PenaltyEventType = Literal[
    "case_opened",
    "notice_served",
    "hearing_requested",
    "hearing_noticed",
    "hearing_held",
    "decided",
    "served",
    "enforced",
    "closed",
    "filed",
]
EventType = Literal[
    "submitted",
    "pre_accepted",
    "accepted",
    "step",
    "supplement_requested",
    "supplement_received",
    "special_started",
    "special_ended",
    "concluded",
    "delivered",
    "case_opened",
    "notice_served",
    "hearing_requested",
    "hearing_noticed",
    "hearing_held",
    "decided",
    "served",
    "enforced",
    "closed",
    "filed",
]

LICENSING_TYPES: tuple[str, ...] = get_args(LicensingType)
PENALTY_TYPES: tuple[str, ...] = get_args(PenaltyEventType)
EVENT_TYPES: tuple[str, ...] = LICENSING_TYPES + PENALTY_TYPES

#: Chinese names of event types, as shown in timelines (办件过程).
TYPE_NAMES: dict[str, str] = {
    "submitted": "申办",
    "pre_accepted": "预受理",
    "accepted": "受理",
    "step": "审批环节",
    "supplement_requested": "补交告知",
    "supplement_received": "补交受理",
    "special_started": "特别程序开始",
    "special_ended": "特别程序结束",
    "concluded": "办结",
    "delivered": "领取/送达",
    "case_opened": "立案",
    "notice_served": "事先告知",
    "hearing_requested": "申请听证",
    "hearing_noticed": "听证通知",
    "hearing_held": "举行听证",
    "decided": "处罚决定",
    "served": "送达",
    "enforced": "执行",
    "closed": "结案",
    "filed": "听证案件备案",
}

#: Conclusion result codes (办结结果代码 BJJGDM, docs/DOMAIN.md §4.2 variant a).
RESULT_CODES: dict[int, str] = {
    0: "出证办结",
    1: "不予许可",
    2: "作废",
    3: "删除",
    4: "转报",
    5: "退件",
    6: "不予受理",
}

#: Standard approval step codes (审批环节代码 SPHJDM).
STEP_NAMES: dict[str, str] = {"1": "承办", "2": "审核", "3": "批准"}

#: ``event_id`` is opaque (docs/CONTRACT.md §5 v2): 1–128 printable characters — Chinese, spaces,
#: ``+ : / # 〔〕`` included; no control, format or separator-line characters.
EVENT_ID_MAX = 128
#: Fields beyond the contract inside ``data`` (the provincial standard has many more) are kept, within bounds.
EXTRA_MAX_FIELDS = 100
EXTRA_MAX_BYTES = 32 * 1024
EXTRA_NAME_MAX = 64
#: Names inside ``data`` that only the platform writes (a department may not set them).
RESERVED_DATA_FIELDS = frozenset({"query_password_hash"})
CASE_NO_PATTERN = r"^[A-Za-z0-9\-]{4,40}$"
PENALTY_CATEGORY = "CF"

_MIN_YEAR, _MAX_YEAR = 1990, 2099


# --- reusable field types -------------------------------------------------------------------


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("应为整数")
    return value


def _seq_text(value: Any) -> Any:
    """Special-procedure serial numbers (序号 XH) arrive as numbers or text; keep text."""
    if isinstance(value, bool):
        raise ValueError("序号应为字符串或整数")
    if isinstance(value, int):
        return str(value)
    return value


def _iso_time(value: Any) -> Any:
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError("时间应为 ISO 8601 字符串（如 2012-06-04T09:30:00+08:00）")
    return value


def _in_range(value: datetime) -> datetime:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise ValueError(f"时间应在 {_MIN_YEAR} 年至 {_MAX_YEAR} 年之间")
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(max_length=200)]
ShortText = Annotated[str, Field(max_length=100)]
Code = Annotated[str, Field(min_length=1, max_length=32)]
Seq = Annotated[str, BeforeValidator(_seq_text), Field(min_length=1, max_length=32)]
Money = Annotated[
    Decimal, BeforeValidator(_no_bool), Field(ge=0, max_digits=16, decimal_places=2, allow_inf_nan=False)
]
NameList = Annotated[list[Name], Field(max_length=200)]


def _channel(value: Any) -> Any:
    """申办渠道 as a department wrote it: a known word becomes its code, anything else is kept."""
    if isinstance(value, bool):
        raise ValueError("渠道应为文字")
    if isinstance(value, int):
        value = str(value)
    return normalize_channel(value) if isinstance(value, str) else value


def _point(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("网点编码应为文字")
    if isinstance(value, int):
        value = str(value)
    return point_code(value) if isinstance(value, str) else value


#: 申办渠道 (TJFS): ``online``, ``mobile``, ``window``, ``service_center``, ``agency``, ``system``, ``post``
#: or the department's own word (docs/CONTRACT.md §11).
Channel = Annotated[str, BeforeValidator(_channel), Field(max_length=100)]
#: 申办具体网点 (SBJTWD): the code of a registered service point (便民服务中心/代办点), kept even when unknown.
PointCode = Annotated[str, BeforeValidator(_point), Field(max_length=100)]
#: A department-supplied query password (查询密码 CXMM): at least 6 characters (docs/DOMAIN.md §8.2).
QueryPassword = Annotated[str, Field(min_length=6, max_length=100)]


def _check_range(value: datetime | None) -> datetime | None:
    return None if value is None else _in_range(value)


Time = Annotated[AwareDatetime, BeforeValidator(_iso_time)]


class _Strict(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)


def _printable(value: str) -> str:
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), None)
    if bad is not None:
        raise ValueError(f"不能包含控制字符或不可见字符（U+{ord(bad):04X}）")
    return value


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class _Open(BaseModel):
    """A part of ``data``: fields beyond the contract's are kept (bounded), never a reason to reject."""

    model_config = ConfigDict(defer_build=True, extra="allow", str_strip_whitespace=True)

    @model_validator(mode="after")
    def _bounded_extras(self) -> Any:
        extra = self.model_extra or {}
        if not extra:
            return self
        if len(extra) > EXTRA_MAX_FIELDS:
            raise ValueError(f"扩展字段不能超过 {EXTRA_MAX_FIELDS} 个")
        for name in extra:
            if not name or len(name) > EXTRA_NAME_MAX:
                raise ValueError(f"扩展字段名长度应为 1–{EXTRA_NAME_MAX} 个字符")
        try:
            size = len(_json_text(extra).encode("utf-8"))
        except (TypeError, ValueError):
            raise ValueError("扩展字段应为有限的 JSON 值") from None
        if size > EXTRA_MAX_BYTES:
            raise ValueError(f"扩展字段合计不能超过 {EXTRA_MAX_BYTES // 1024} KB")
        return self


# --- shared nested parts --------------------------------------------------------------------


class Actor(_Strict):
    """经办人: the person who performed the act."""

    name: ShortText | None = None
    staff_no: ShortText | None = None
    title: ShortText | None = None
    officer_id: ShortText | None = None


class Applicant(_Open):
    """申请人 of an application."""

    type: Literal["person", "org"] | None = None
    name: Name | None = None
    id_type: ShortText | None = None
    id_no: ShortText | None = None
    phone: ShortText | None = None


class PartyData(_Open):
    """当事人 of a penalty case."""

    type: Literal["person", "org"] | None = None
    name: Name | None = None
    id_type: ShortText | None = None
    id_no: ShortText | None = None
    phone: ShortText | None = None
    in_business: bool | None = None


class EventLimit(_Open):
    """A declared time limit ``{value, unit}`` (特别程序时限 TBCXSX + 单位)."""

    value: Int = Field(ge=0, le=3650)
    unit: Literal["working_day", "calendar_day"] = "working_day"


class Proposed(_Open):
    """拟处罚: the proposed penalty stated in the prior notice."""

    types: list[PenaltyType] = Field(default_factory=list, max_length=10)
    amount: Money | None = None
    tier: ShortText | None = None


# --- data models, licensing family ----------------------------------------------------------


class AttachmentRef(_Open):
    """A file the act came with (附件): uploaded to the platform's private store, named here with its
    SHA-256 so the case's hash chain covers the file as well."""

    attachment_id: Annotated[str, Field(pattern=r"^att-[a-z0-9]{20,40}$")]
    name: Name
    content_type: ShortText
    size: Int = Field(ge=0)
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class EventData(_Open):
    """Base of every ``data`` model."""

    remark: Text | None = None
    attachments: list[AttachmentRef] | None = Field(default=None, max_length=10)


class SubmittedData(EventData):
    """申办."""

    applicant: Applicant | None = None
    channel: Channel | None = None
    service_point: PointCode | None = None
    materials: NameList = Field(default_factory=list)
    project_name: Name | None = None
    receipt_no: ShortText | None = None
    query_password: QueryPassword | None = None


class PreAcceptedData(EventData):
    """预受理: passed (审核通过), rejected (不受理) or supplement (补交补正)."""

    status: Literal["passed", "rejected", "supplement"]
    reason: Text | None = None


class AcceptedData(EventData):
    """受理 (status accepted) or 不予受理 (status rejected)."""

    status: Literal["accepted", "rejected"] = "accepted"
    reason: Text | None = None
    query_password: QueryPassword | None = None
    receipt_no: ShortText | None = None
    materials: NameList = Field(default_factory=list)
    limit: EventLimit | None = None
    channel: Channel | None = None
    service_point: PointCode | None = None


class StepData(EventData):
    """审批环节: 1 承办, 2 审核, 3 批准 (or a department's own step codes)."""

    step_code: Code
    step_name: Name | None = None
    opinion: Text | None = None
    status: ShortText | None = None
    step_seq: Int | None = Field(default=None, ge=0, le=1000)


class SupplementRequestedData(EventData):
    """补交告知."""

    reason: Text | None = None
    missing_materials: NameList = Field(default_factory=list)


class SupplementReceivedData(EventData):
    """补交受理."""

    materials: NameList = Field(default_factory=list)


class SpecialStartedData(EventData):
    """特别程序开始: kind A 延长审批 (extension), kind B any other (hearing, expert review …)."""

    seq: Seq
    kind: Literal["A", "B"]
    name: Name | None = None
    approver: ShortText | None = None
    reason: Text | None = None
    content: Text | None = None
    limit: EventLimit | None = None


class SpecialEndedData(EventData):
    """特别程序结束."""

    seq: Seq
    result: Text | None = None
    fee_amount: Money | None = None


class ConcludedData(EventData):
    """办结, with its result code (BJJGDM)."""

    result_code: Int = Field(ge=0, le=6)
    result_desc: Name | None = None
    reason: Text | None = None
    cert_name: Name | None = None
    cert_no: ShortText | None = None
    fee_amount: Money | None = None


class DeliveredData(EventData):
    """领取登记 / 送达."""

    mode: ShortText | None = None


# --- data models, penalty family ------------------------------------------------------------


class CaseOpenedData(EventData):
    """立案."""

    party: PartyData | None = None
    cause: Text | None = None
    officers: list[ShortText] = Field(default_factory=list, max_length=20)
    source: ShortText | None = None


class NoticeServedData(EventData):
    """事先告知 (prior notice with the right to statement, defence and hearing)."""

    proposed: Proposed | None = None
    hearing_notified: bool | None = None


class HearingRequestedData(EventData):
    """当事人申请听证."""


class HearingNoticedData(EventData):
    """听证通知: when the hearing will be held."""

    hearing_at: Time | None = None
    place: Name | None = None

    @field_validator("hearing_at")
    @classmethod
    def _hearing_in_range(cls, v: datetime | None) -> datetime | None:
        return _check_range(v)


class HearingHeldData(EventData):
    """举行听证."""

    chair: ShortText | None = None
    result: Text | None = None


class DecidedData(EventData):
    """处罚决定. Needs at least the penalty types or the amount."""

    decision_no: ShortText | None = None
    types: list[PenaltyType] = Field(default_factory=list, max_length=10)
    amount: Money | None = None
    tier: ShortText | None = None
    tier_reason: Text | None = None
    collective_discussion: bool | None = None
    basis_ids: list[ShortText] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _types_or_amount(self) -> DecidedData:
        if not self.types and self.amount is None:
            raise ValueError("处罚决定应写明处罚种类（types）或金额（amount）")
        return self


class ServedData(EventData):
    """送达."""

    mode: ShortText | None = None


class EnforcedData(EventData):
    """执行."""

    paid_amount: Money | None = None
    mode: ShortText | None = None


class ClosedData(EventData):
    """结案."""

    archive_no: ShortText | None = None


class FiledData(EventData):
    """听证案件备案: a decision taken after a hearing, filed with the legal office (extension of
    docs/CONTRACT.md §5; docs/DOMAIN.md §4.3 requires the filing within 15 days of the decision, rule L9)."""

    filing_no: ShortText | None = None
    office: ShortText | None = None


DATA_MODELS: dict[str, type[EventData]] = {
    "submitted": SubmittedData,
    "pre_accepted": PreAcceptedData,
    "accepted": AcceptedData,
    "step": StepData,
    "supplement_requested": SupplementRequestedData,
    "supplement_received": SupplementReceivedData,
    "special_started": SpecialStartedData,
    "special_ended": SpecialEndedData,
    "concluded": ConcludedData,
    "delivered": DeliveredData,
    "case_opened": CaseOpenedData,
    "notice_served": NoticeServedData,
    "hearing_requested": HearingRequestedData,
    "hearing_noticed": HearingNoticedData,
    "hearing_held": HearingHeldData,
    "decided": DecidedData,
    "served": ServedData,
    "enforced": EnforcedData,
    "closed": ClosedData,
    "filed": FiledData,
}


# --- the envelope -----------------------------------------------------------------------------


class EventEnvelope(_Strict):
    """The outside of one exchange event; ``data`` is checked per ``type`` by ``parse_event``."""

    event_id: Annotated[str, AfterValidator(_printable)] = Field(min_length=1, max_length=EVENT_ID_MAX)
    case_no: str = Field(pattern=CASE_NO_PATTERN)
    item_code: str = Field(max_length=40)
    type: EventType
    occurred_at: Time
    data_version: Int = Field(default=1, ge=1, le=1_000_000_000)
    actor: Actor | None = None
    data: Any = None

    @field_validator("item_code")
    @classmethod
    def _code(cls, v: str) -> str:
        try:
            return normalize_code(v)
        except InvalidCodeError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("occurred_at")
    @classmethod
    def _occurred_in_range(cls, v: datetime) -> datetime:
        return _in_range(v)


class ExchangeEvent(BaseModel):
    """A structurally valid exchange event with its typed ``data``."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    event_id: str
    case_no: str
    item_code: str
    type: EventType
    occurred_at: datetime
    data_version: int = 1
    actor: Actor | None = None
    data: SerializeAsAny[EventData]

    @property
    def category(self) -> str:
        return self.item_code[9:11]

    def data_dict(self) -> dict[str, Any]:
        """``data`` made JSON-safe for storage: Decimals as strings, datetimes ISO, no nulls."""
        dumped: dict[str, Any] = self.data.model_dump(mode="json", exclude_none=True)
        return dumped

    def actor_dict(self) -> dict[str, Any] | None:
        return None if self.actor is None else self.actor.model_dump(mode="json", exclude_none=True)

    def to_record(self) -> dict[str, Any]:
        """The whole event, JSON-safe, as it is stored in the case's append-only log."""
        return {
            "event_id": self.event_id,
            "case_no": self.case_no,
            "item_code": self.item_code,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "data_version": self.data_version,
            "actor": self.actor_dict(),
            "data": self.data_dict(),
        }


# --- parsing -----------------------------------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限数字",
    "bool_type": "应为布尔值（true/false）",
    "bool_parsing": "应为布尔值（true/false）",
    "datetime_type": "应为 ISO 8601 时间（如 2012-06-04T09:30:00+08:00）",
    "datetime_parsing": "应为 ISO 8601 时间（如 2012-06-04T09:30:00+08:00）",
    "datetime_from_date_parsing": "应为 ISO 8601 时间（如 2012-06-04T09:30:00+08:00）",
    "timezone_aware": "时间必须带时区偏移（如 +08:00）",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
}


def _message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"长度不能少于 {ctx.get('min_length')} 个字符"
    if kind == "string_too_long":
        return f"长度不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_long":
        return f"元素不能超过 {ctx.get('max_length')} 个"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return f"取值应为 {expected} 之一"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        return "金额位数过多（最多两位小数）"
    if kind == "value_error":
        text = str(err.get("msg", ""))
        return text.removeprefix("Value error, ")
    return _MESSAGES.get(kind, str(err.get("msg", "格式不正确")))[:300]


def _details(exc: PydanticValidationError, prefix: str = "") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False, include_input=False):
        parts = [prefix] if prefix else []
        parts += [str(p) for p in err.get("loc", ())]
        field = ".".join(parts)[:300]
        out.append(field_error(field, _message(err), str(err.get("type", "invalid"))))
    return out


def prefix_errors(errors: Iterable[Mapping[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Re-root error fields, e.g. under ``events.3`` for a batch; ``""`` becomes the prefix."""
    out: list[dict[str, Any]] = []
    for e in errors:
        field = str(e.get("field", ""))
        out.append({**e, "field": f"{prefix}.{field}" if field else prefix})
    return out


def family_error(item_code: str, event_type: str) -> dict[str, Any] | None:
    """Penalty events only for CF items, licensing events only for the others."""
    is_cf = item_code[9:11] == PENALTY_CATEGORY
    if event_type in PENALTY_TYPES and not is_cf:
        return field_error("type", f"事件类型 {event_type} 只适用于行政处罚（CF）事项", "family_mismatch")
    if event_type in LICENSING_TYPES and is_cf:
        message = f"行政处罚（CF）事项应使用立案、告知、决定等处罚类事件，而不是 {event_type}"
        return field_error("type", message, "family_mismatch")
    return None


def parse_data(event_type: str, raw: Any) -> tuple[EventData | None, list[dict[str, Any]]]:
    """Validate ``data`` for one known event type; errors are rooted at ``data``."""
    model = DATA_MODELS.get(event_type)
    if model is None:
        return None, [field_error("type", f"未知的事件类型 {event_type}", "literal_error")]
    if isinstance(raw, dict):
        reserved = sorted(RESERVED_DATA_FIELDS & set(raw))
        if reserved:
            return None, [field_error(f"data.{name}", f"{name} 由平台生成，不能报送", "reserved") for name in reserved]
    try:
        return model.model_validate({} if raw is None else raw), []
    except PydanticValidationError as exc:
        return None, _details(exc, "data")


def parse_event(raw: Any) -> tuple[ExchangeEvent | None, list[dict[str, Any]]]:
    """Parse one raw event. Returns ``(event, [])`` or ``(None, details)``; never raises."""
    try:
        return _parse_event(raw)
    except Exception:  # noqa: BLE001 - the contract: no input may cause a failure upstream
        return None, [field_error("", "无法解析的事件", "invalid")]


def _parse_event(raw: Any) -> tuple[ExchangeEvent | None, list[dict[str, Any]]]:
    if not isinstance(raw, dict):
        return None, [field_error("", "事件应为 JSON 对象", "model_type")]
    errors: list[dict[str, Any]] = []
    envelope: EventEnvelope | None = None
    try:
        envelope = EventEnvelope.model_validate(raw)
    except PydanticValidationError as exc:
        errors += _details(exc)

    raw_type = raw.get("type")
    data: EventData | None = None
    if isinstance(raw_type, str) and raw_type in DATA_MODELS:
        data, data_errors = parse_data(raw_type, raw.get("data"))
        errors += data_errors

    if envelope is not None:
        problem = family_error(envelope.item_code, envelope.type)
        if problem:
            errors.append(problem)
    else:
        code = raw.get("item_code")
        if isinstance(raw_type, str) and raw_type in DATA_MODELS and isinstance(code, str):
            try:
                problem = family_error(normalize_code(code), raw_type)
            except InvalidCodeError:
                problem = None
            if problem:
                errors.append(problem)

    if errors or envelope is None or data is None:
        return None, errors or [field_error("", "无法解析的事件", "invalid")]
    event = ExchangeEvent(
        event_id=envelope.event_id,
        case_no=envelope.case_no,
        item_code=envelope.item_code,
        type=envelope.type,
        occurred_at=envelope.occurred_at,
        data_version=envelope.data_version,
        actor=envelope.actor,
        data=data,
    )
    return event, []


def is_penalty_type(event_type: str) -> bool:
    return event_type in PENALTY_TYPES


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The data-part model a field holds (``Applicant | None`` → ``Applicant``), if any."""
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, _Open):
            return arg
    return None


def unknown_fields(event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a stored event's ``data`` beyond the contract's tables, for staff: top-level ones by
    name, those inside a known object as ``applicant.contact_email``; platform-written fields left out."""
    model = DATA_MODELS.get(event_type)
    if model is None:
        return {}
    out: dict[str, Any] = {}
    for name, value in data.items():
        field = model.model_fields.get(name)
        if name in RESERVED_DATA_FIELDS or name == "query_password":
            continue
        if field is None:
            out[name] = value
            continue
        part = _model_of(field.annotation)
        if part is not None and isinstance(value, Mapping):
            for key, inner in value.items():
                if key not in part.model_fields:
                    out[f"{name}.{key}"] = inner
    return out
