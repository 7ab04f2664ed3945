"""Blocking checks (阻断性校验): where the operation platform prevents a violation instead of reporting
it afterwards (docs/DOMAIN.md §4.1, §7.3) — penalty range and tier, officers' certificates, fees, the
one-time supplement notice, extensions, special procedures, reasons, hearings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.catalog.domain.items import Fee, Penalty
from chalicelib.kernel.errors import ValidationError, field_error
from chalicelib.legal.domain.checks import PENALTY_TYPE_NAMES, Officer

from .actions import StartSpecialAction


class Problems:
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
    terms: Penalty, types: Sequence[str], amount: Decimal | None, out: Problems, prefix: str = ""
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
    out: Problems,
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
    out: Problems,
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


def fee_problems(fee: Fee, amount: Decimal | None, result_code: int, out: Problems) -> None:
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
    out: Problems,
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


