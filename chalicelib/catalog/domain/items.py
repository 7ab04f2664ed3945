"""Power catalog (行政权力库): item declarations, versions and their validation rules.

An item (事项) is declared by its department and confirmed by the legal office (法制办).
Confirmed versions are immutable; a change is a new version with its own ``effective_from``.
Sources: docs/DOMAIN.md §3 and docs/CONTRACT.md §4.

Validation entry point: :func:`validate_declaration` never raises and returns every problem
at once as contract ``details`` entries ``{"field", "type", "message"}`` (messages in Chinese).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError

CATEGORIES: dict[str, str] = {
    "XK": "行政许可",
    "CF": "行政处罚",
    "ZS": "行政征收",
    "QZ": "行政强制",
    "SP": "非行政许可审批",
    "GF": "行政给付",
    "JL": "行政奖励",
    "QR": "行政确认",
    "ZY": "行政征用",
    "CJ": "行政裁决",
    "QT": "其他行政权力",
    "FW": "便民服务",
}

#: Categories whose cases follow the application-driven lifecycle (docs/DOMAIN.md §4.2, §4.4).
APPLICATION_CATEGORIES = frozenset({"XK", "SP", "GF", "JL", "QR", "CJ", "QT", "ZS", "ZY"})

#: Category-specific fields (分类专有信息, docs/DOMAIN.md §3.3 "Other categories"): the keys each category
#: must fill in ``category_fields``, with the Chinese label shown to people. Other keys are allowed.
CATEGORY_FIELDS: dict[str, dict[str, str]] = {
    "ZS": {"levy_payer": "征收对象", "levy_standard": "征收标准"},
    "QZ": {"measure_type": "强制措施或执行种类", "conditions_text": "适用条件", "duration": "期限"},
    "GF": {"recipients": "给付对象", "standard": "给付标准", "cycle": "发放周期"},
    "JL": {"conditions_text": "奖励条件", "standard": "奖励标准"},
    "QR": {"result_form": "结果形式"},
    "ZY": {"target": "征用对象", "compensation": "补偿标准"},
    "CJ": {"scope": "受理范围"},
}

#: Catalog governance (目录动态调整, docs/DOMAIN.md §3.4, S-XZ-PLAN 四(一)): the department declares within
#: 20 days of a law or function change; the legal office replies within 10 days. Calendar days.
DECLARE_WITHIN_DAYS = 20
REVIEW_WITHIN_DAYS = 10

BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_CODE_RE = re.compile(r"^(\d{6})(\d{3})([A-Z]{2})(\d{3})(\d{2})$")
_DASHED_RE = re.compile(r"^(\d{6})-(\d{3})-([A-Z]{2})-(\d{3})-(\d{2})$")

ItemStatus = Literal["declared", "confirmed", "rejected"]
LimitUnit = Literal["working_day", "calendar_day"]
PenaltyType = Literal["warning", "fine", "confiscation", "suspension", "revocation", "detention", "other"]

#: A rule problem found by a model validator: (field path relative to the model, Chinese message).
_Problem = tuple[str, str]


class InvalidCodeError(ValueError):
    """An item code that is neither the plain nor the dashed form."""


def normalize_code(raw: str) -> str:
    """Accept ``320300015XK00400`` or ``320300-015-XK-004-00`` and return the plain form."""
    text = raw.strip().upper() if isinstance(raw, str) else ""
    match = _CODE_RE.match(text) or _DASHED_RE.match(text)
    if not match:
        raise InvalidCodeError(
            "事项编码格式应为 RRRRRRDDDTTSSSNN（如 320300015XK00400 或 320300-015-XK-004-00）"
        )
    code = "".join(match.groups())
    if code[9:11] not in CATEGORIES:
        raise InvalidCodeError(f"未知的权力类别代码 {code[9:11]}")
    return code


def display_code(code: str) -> str:
    """The dashed display form ``320300-015-XK-004-00``."""
    c = normalize_code(code)
    return f"{c[0:6]}-{c[6:9]}-{c[9:11]}-{c[11:14]}-{c[14:16]}"


class CodeParts(BaseModel):
    region_code: str
    dept_code: str
    category: str
    seq: str
    sub: str


def split_code(code: str) -> CodeParts:
    c = normalize_code(code)
    return CodeParts(region_code=c[0:6], dept_code=c[6:9], category=c[9:11], seq=c[11:14], sub=c[14:16])


def _rules_error(problems: list[_Problem]) -> PydanticCustomError:
    """One pydantic error carrying every rule problem of a model; expanded by :func:`pydantic_details`."""
    return PydanticCustomError("rules", "{message}", {"message": problems[0][1], "problems": problems})


class _Model(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)


class LegalBasisRef(_Model):
    """依据: a law or rule, and the article relied on."""

    id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    article: str = Field(min_length=1, max_length=100)


class Material(_Model):
    """申报材料."""

    name: str = Field(min_length=1, max_length=200)
    required: bool = True
    note: str | None = Field(default=None, max_length=500)


class Limit(_Model):
    """A time limit: 法定时限 (statutory) or 承诺时限 (promised)."""

    value: int = Field(ge=1, le=3650)
    unit: LimitUnit = "working_day"


class Fee(_Model):
    """收费: whether charged, the standard amount, and its basis."""

    charged: bool
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    basis: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _charged_needs_amount_and_basis(self) -> Fee:
        problems: list[_Problem] = []
        if self.charged:
            if self.amount is None:
                problems.append(("amount", "收费事项必须写明收费标准（amount）"))
            elif self.amount == 0:
                problems.append(("amount", "收费事项的收费金额应大于 0"))
            if not self.basis:
                problems.append(("basis", "收费事项必须写明收费依据（basis）"))
        elif self.amount not in (None, Decimal(0)):
            problems.append(("amount", "不收费事项不得设置收费金额"))
        if problems:
            raise _rules_error(problems)
        return self


class Step(_Model):
    """内部流程环节: one post of the internal flow chart with its time limit."""

    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=50)
    limit_days: int = Field(ge=0, le=365)
    post: str | None = Field(default=None, max_length=50)
    duty: str | None = Field(default=None, max_length=500)


class RiskPoint(_Model):
    """廉政风险点 with its level: 1 high (一级), 2 medium (二级), 3 low (三级)."""

    step_code: str = Field(min_length=1, max_length=16)
    description: str = Field(min_length=1, max_length=500)
    level: Literal[1, 2, 3]
    controls: list[str] = Field(default_factory=list, max_length=20)
    responsible_role: str | None = Field(default=None, max_length=50)
    #: The supervision rules and legal checks (R4, R7, L1 …) that guard this risk point (docs/DOMAIN.md
    #: §3.6 ``linked_rule_ids``): when given, only those name it on a signal or finding; when empty,
    #: every signal or finding on its step does.
    linked_rule_ids: list[str] = Field(default_factory=list, max_length=30,
                                       validation_alias=AliasChoices("linked_rule_ids", "rule_ids", "linked_rules"))

    @field_validator("linked_rule_ids", mode="before")
    @classmethod
    def _rule_ids(cls, v: Any) -> Any:
        return rule_id_list(v)


#: A rule or check id as the platform names them: R1–R15, C1, E1/E2, L1–L12 (and later ones).
_RULE_ID_RE = re.compile(r"^([A-Z]{1,2})0*(\d{1,3})$")


def rule_id_list(v: Any) -> Any:
    """Rule ids as departments write them: a list or one string split on commas, semicolons, 、 or
    spaces; full-width characters, lower case and leading zeros accepted (``ｒ04`` → ``R4``); blanks
    and repeats dropped. Anything that cannot be a rule id is named as an error."""
    if v is None:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple):
        return v
    out: list[str] = []
    bad: list[str] = []
    for raw in (part for given in v for part in re.split(r"[\s,;，；、|/]+", str(given))):
        text = unicodedata.normalize("NFKC", str(raw)).strip().upper()
        if not text:
            continue
        m = _RULE_ID_RE.match(text)
        if m is None:
            bad.append(str(raw))
            continue
        rid = f"{m.group(1)}{int(m.group(2))}"
        if rid not in out:
            out.append(rid)
    if bad:
        raise PydanticCustomError("rule_id", "不是规则编号（如 R4、L1）：{bad}", {"bad": "、".join(bad)})
    return out


class PenaltyTier(_Model):
    """裁量档次: a quantified range inside the statutory range."""

    tier: str = Field(min_length=1, max_length=20)
    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)
    conditions: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _ordered(self) -> PenaltyTier:
        if self.min > self.max:
            raise _rules_error([("max", "档次上限不得小于下限")])
        return self


#: Largest step between two adjacent tiers that is not a gap: one fen (0.01 yuan), or one yuan when
#: both bounds are whole yuan (1000–3000, 3001–6000: how benchmarks are written, docs/CONTRACT.md §4 v2).
_TIER_STEP = Decimal("0.01")
_YUAN = Decimal("1")


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _step_between(before: PenaltyTier, after: PenaltyTier) -> Decimal:
    return _YUAN if _whole(before.max) and _whole(after.min) else _TIER_STEP


def penalty_rule_problems(penalty: Penalty) -> list[tuple[str, str]]:
    """Every rule problem of a penalty's statutory range and discretion tiers (裁量基准, docs/DOMAIN.md §3.5).

    Paths are relative to the penalty: ``fine_min``, ``fine_max``, ``tiers``, ``tiers.2.max``.
    Tiers are required (at least 轻/中/重) only when the amount can be chosen, i.e. ``fine`` is a type.
    """
    problems: list[_Problem] = []
    tiers = penalty.tiers
    names = [t.tier for t in tiers]
    for i, t in enumerate(tiers):
        if names.index(t.tier) != i:
            problems.append((f"tiers.{i}.tier", f"裁量档次名称 {t.tier} 重复"))
    if "fine" not in penalty.types:
        return problems
    lo, hi = penalty.fine_min, penalty.fine_max
    if lo is None:
        problems.append(("fine_min", "罚款类处罚必须写明法定罚款下限 fine_min"))
    if hi is None:
        problems.append(("fine_max", "罚款类处罚必须写明法定罚款上限 fine_max"))
    range_ok = lo is not None and hi is not None and lo <= hi
    if lo is not None and hi is not None and lo > hi:
        problems.append(("fine_max", "法定罚款上限不得小于下限"))
    if len(tiers) < 3:
        problems.append(("tiers", "裁量基准至少应设轻、中、重三个档次"))
    if range_ok and lo is not None and hi is not None:
        for i, t in enumerate(tiers):
            if t.min < lo:
                problems.append((f"tiers.{i}.min", f"裁量档次 {t.tier} 的下限低于法定罚款下限 {lo}"))
            if t.max > hi:
                problems.append((f"tiers.{i}.max", f"裁量档次 {t.tier} 的上限高于法定罚款上限 {hi}"))
    if not tiers:
        return problems
    ordered = sorted(tiers, key=lambda t: (t.min, t.max))
    if range_ok and lo is not None and hi is not None:
        if ordered[0].min > lo:
            problems.append(("tiers", f"裁量档次未覆盖法定幅度的下端：最低档下限应为 {lo}"))
        if max(t.max for t in tiers) < hi:
            problems.append(("tiers", f"裁量档次未覆盖法定幅度的上端：最高档上限应为 {hi}"))
    for before, after in pairwise(ordered):
        if after.min < before.max:
            problems.append(("tiers", f"裁量档次 {before.tier} 与 {after.tier} 重叠"))
        elif after.min > before.max + _step_between(before, after):
            problems.append(("tiers", f"裁量档次 {before.tier} 与 {after.tier} 之间存在空档"
                                      f"（{before.max} 元与 {after.min} 元之间）"))
    return problems


class Penalty(_Model):
    """Penalty terms of a CF item: types, statutory range, discretion tiers (裁量基准)."""

    types: list[PenaltyType] = Field(min_length=1)
    fine_min: Decimal | None = Field(default=None, ge=0)
    fine_max: Decimal | None = Field(default=None, ge=0)
    tiers: list[PenaltyTier] = Field(default_factory=list)
    case_limit_days: int = Field(default=90, ge=1, le=3650)
    violation: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _tiers_cover_range(self) -> Penalty:
        problems = penalty_rule_problems(self)
        if problems:
            raise _rules_error(problems)
        return self

    def tier_named(self, name: str) -> PenaltyTier | None:
        return next((t for t in self.tiers if t.tier == name), None)

    def tier_contains(self, tier: PenaltyTier, amount: Decimal) -> bool:
        """Whether ``amount`` lies in ``tier``: within its bounds, or — for tiers written in whole
        yuan (…–3000, 3001–…) — in the fractions of a yuan before the next tier begins."""
        if tier.min <= amount <= tier.max:
            return True
        after = [t for t in self.tiers if t.min > tier.max]
        nxt = min(after, key=lambda t: t.min) if after else None
        return (nxt is not None and tier.min <= amount < nxt.min and _whole(tier.max) and _whole(nxt.min)
                and nxt.min - tier.max == _YUAN)


def extension_cap_param(item: ItemDeclaration | None) -> str:
    """Which rule parameter caps a license's extensions (延长审批上限): items handled jointly with
    other departments (联合办理, ``co_departments``) may extend by 15 working days, others by 10
    [S-LIC-LAW art.42]."""
    return "extension_cap_joint_wd" if item is not None and item.co_departments else "extension_cap_wd"


class ItemDeclaration(_Model):
    """The body of ``POST /catalog/items``: one version of one item as declared."""

    code: str
    name: str = Field(min_length=2, max_length=200)
    category: str
    dept_code: str = Field(pattern=r"^\d{3}$")
    legal_basis: list[LegalBasisRef] = Field(min_length=1, max_length=50)
    conditions: str = Field(default="", max_length=5000)
    materials: list[Material] = Field(default_factory=list, max_length=100)
    statutory_limit: Limit
    promised_limit: Limit
    fee: Fee
    steps: list[Step] = Field(min_length=1, max_length=30)
    place: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=50)
    supervision_phone: str = Field(default="", max_length=50)
    risk_points: list[RiskPoint] = Field(default_factory=list, max_length=100)
    penalty: Penalty | None = None
    keywords: list[str] = Field(default_factory=list, max_length=30)
    co_departments: list[str] = Field(default_factory=list, max_length=10)
    result_name: str | None = Field(default=None, max_length=100)
    special_procedures: list[str] = Field(default_factory=list, max_length=20)
    category_fields: dict[str, str] = Field(default_factory=dict)
    summary_procedure: bool = False

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        try:
            return normalize_code(v)
        except InvalidCodeError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        v = v.strip().upper()
        if v not in CATEGORIES:
            raise ValueError(f"权力类别应为 {', '.join(CATEGORIES)} 之一")
        return v

    @field_validator("co_departments")
    @classmethod
    def _co_departments(cls, v: list[str]) -> list[str]:
        for code in v:
            if not re.fullmatch(r"\d{3}", code):
                raise ValueError("并联审批部门代码应为 3 位数字")
        return v

    @field_validator("steps")
    @classmethod
    def _unique_steps(cls, v: list[Step]) -> list[Step]:
        codes = [s.code for s in v]
        if len(set(codes)) != len(codes):
            raise ValueError("环节代码不得重复")
        return v


def _limit_in_days(limit: Limit) -> float:
    # A calendar day compared with a working day: 7 calendar days ≈ 5 working days.
    return limit.value if limit.unit == "working_day" else limit.value * 5 / 7


def _cross_field_problems(v: Mapping[str, Any]) -> list[dict[str, str]]:
    """Cross-field rules over the top-level fields present in ``v`` (already valid one by one).

    A rule runs only when every field it reads is present, so it also works on a partially
    valid declaration and reports its problems next to the field-level ones.
    """
    problems: list[dict[str, str]] = []

    def bad(field: str, message: str, kind: str = "invalid") -> None:
        problems.append({"field": field, "type": kind, "message": message})

    code, category, dept = v.get("code"), v.get("category"), v.get("dept_code")
    if code is not None:
        parts = split_code(code)
        if category is not None and parts.category != category:
            bad("category", f"类别 {category} 与编码中的类别 {parts.category} 不一致")
        if dept is not None and parts.dept_code != dept:
            bad("dept_code", f"部门代码 {dept} 与编码中的部门段 {parts.dept_code} 不一致")
    p: Limit | None = v.get("promised_limit")
    s: Limit | None = v.get("statutory_limit")
    if p is not None and s is not None:
        same_unit = p.unit == s.unit
        if same_unit and p.value > s.value or not same_unit and _limit_in_days(p) > _limit_in_days(s):
            bad("promised_limit", "承诺时限不得超过法定时限")
    if category is not None and "penalty" in v:
        if category == "CF" and v["penalty"] is None:
            bad("penalty", "行政处罚事项必须填写处罚种类、法定幅度和裁量基准", "missing")
        elif category != "CF" and v["penalty"] is not None:
            bad("penalty", "只有行政处罚（CF）事项可以填写处罚裁量信息")
    steps: list[Step] | None = v.get("steps")
    risk_points: list[RiskPoint] | None = v.get("risk_points")
    if steps is not None and risk_points is not None:
        step_codes = {st.code for st in steps}
        for i, rp in enumerate(risk_points):
            if rp.step_code not in step_codes:
                bad(f"risk_points.{i}.step_code", f"风险点所在环节 {rp.step_code} 不在内部流程中")
    step_total = sum(st.limit_days for st in steps) if steps is not None else 0
    if s is not None and s.unit == "working_day" and step_total > _limit_in_days(s):
        bad("steps", "各环节时限之和不得超过法定时限")
    co = v.get("co_departments")
    if dept is not None and co is not None and dept in co:
        bad("co_departments", "并联审批部门不应包含主办部门本身")
    fields: dict[str, str] | None = v.get("category_fields")
    if category is not None and fields is not None:
        for key, label in CATEGORY_FIELDS.get(category, {}).items():
            if not (fields.get(key) or "").strip():
                bad(
                    f"category_fields.{key}", f"{CATEGORIES[category]}事项必须填写{label}（{key}）", "missing"
                )
    return problems


def declaration_problems(item: ItemDeclaration) -> list[dict[str, str]]:
    """Cross-field rules that pydantic field validators cannot see on their own.

    Code segments vs category and department, promised ≤ statutory, penalty present exactly for CF,
    risk points on known steps, step limits within the statutory limit, category-specific fields.
    Returns contract ``details`` entries, one per bad field; empty when the item is valid.
    """
    return _cross_field_problems({name: getattr(item, name) for name in ItemDeclaration.model_fields})


# --- versions ----------------------------------------------------------------------------------


class ItemVersion(BaseModel):
    """One stored version of an item: the declaration plus governance state."""

    model_config = ConfigDict(defer_build=True, extra="ignore")

    code: str
    version: int
    status: ItemStatus
    declared_at: str
    declared_by: str
    effective_from: date | None = None
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    rejected_reason: str | None = None
    item: ItemDeclaration

    def confirm(self, effective_from: date, by: str, at: datetime) -> None:
        """审核确认: the legal office confirms a declared version with the date it takes effect."""
        self._decide("已确认或已退回的版本不可再改")
        self.status = "confirmed"
        self.effective_from = effective_from
        self.confirmed_at = at.isoformat()
        self.confirmed_by = by

    def reject(self, reason: str, by: str, at: datetime) -> None:
        """退回: the legal office sends a declared version back, with a reason."""
        self._decide("不可退回")
        self.status = "rejected"
        self.rejected_reason = reason
        self.confirmed_at = at.isoformat()
        self.confirmed_by = by

    def _decide(self, refusal: str) -> None:
        if self.status != "declared":
            raise ConflictError(f"该版本状态为 {self.status}，{refusal}")

    def in_force_on(self, day: date, next_effective: date | None) -> bool:
        """In force from ``effective_from`` until the next confirmed version takes effect."""
        if self.status != "confirmed" or self.effective_from is None:
            return False
        return self.effective_from <= day and (next_effective is None or day < next_effective)


def version_in_force(versions: list[ItemVersion], day: date) -> ItemVersion | None:
    """The confirmed version in force on ``day``: the latest ``effective_from`` on or before it.

    If two confirmed versions share an effective date the higher version number wins.
    """
    confirmed = [v for v in versions if v.status == "confirmed" and v.effective_from is not None]
    candidates = [v for v in confirmed if v.effective_from is not None and v.effective_from <= day]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.effective_from or date.min, v.version))


# --- governance deadlines (目录动态调整时限, L12) ------------------------------------------------


def business_date(instant: str | datetime) -> date:
    """The Asia/Shanghai business date of an ISO instant (a naive instant is taken as +08:00)."""
    moment = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BUSINESS_TZ)
    return moment.astimezone(BUSINESS_TZ).date()


def _due(start: date, days: int, unit: LimitUnit, calendar: Calendar | None) -> date:
    if unit == "working_day":
        return (calendar or Calendar()).add_working_days(start, days).due
    return start + timedelta(days=days)


def declaration_due(
    trigger_on: date,
    days: int = DECLARE_WITHIN_DAYS,
    unit: LimitUnit = "calendar_day",
    calendar: Calendar | None = None,
) -> date:
    """Last day a department may declare the change caused by a law published on ``trigger_on``.

    The trigger day is not counted (as for case deadlines); the declaration is on time through
    the end of the returned day.
    """
    return _due(trigger_on, days, unit, calendar)


def review_due(
    declared_on: date,
    days: int = REVIEW_WITHIN_DAYS,
    unit: LimitUnit = "calendar_day",
    calendar: Calendar | None = None,
) -> date:
    """Last day the legal office may confirm or reject a version declared on ``declared_on``."""
    return _due(declared_on, days, unit, calendar)


def review_overdue(
    version: ItemVersion,
    as_of: datetime,
    days: int = REVIEW_WITHIN_DAYS,
    unit: LimitUnit = "calendar_day",
    calendar: Calendar | None = None,
) -> bool:
    """Whether the legal office's reply to ``version`` is late as of ``as_of``.

    A pending (``declared``) version is late once its review day has ended; a confirmed one is
    late if it was confirmed after that day. A rejection carries no timestamp and is never late.
    """
    due = review_due(business_date(version.declared_at), days, unit, calendar)
    if version.status == "declared":
        return business_date(as_of) > due
    if version.status == "confirmed" and version.confirmed_at:
        return business_date(version.confirmed_at) > due
    return False
