"""Legal-oversight checks (法制监督检查) L1–L12 as pure functions.

docs/DOMAIN.md §4.3 (penalty procedure, Jiangsu hearing rules), §7.3 (the checks) and the defaults
table; docs/CONTRACT.md §6. Findings are red unless stated otherwise. Thresholds come from
:class:`RuleConfig` as of the act's date, so a legal change applies only to later acts.

The checks L1–L11 concern enforcement acts (行政处罚, category CF). L12 is catalog governance
(目录动态调整) and works on :class:`GovernanceRecord` rather than on a case.
Lateness checks (L9, L11) use the same breach model as the supervision rules: the finding's
``raised_at`` is the instant the limit was passed, whichever path raises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.cases.domain.case_view import CaseView, PenaltyRecord, TimelineEntry
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.supervision.domain.common import (
    Breach,
    aware,
    business_date,
    day_start,
    dedupe_sorted,
    fmt_amount,
    next_instant,
    received_time,
    timeline_entries,
)
from chalicelib.supervision.domain.lateness import penalty_limit, penalty_stopper
from chalicelib.supervision.domain.records import FindingDraft, Level

from . import coercion_checks
from .governance import GovernanceRecord, governance_findings
from .registers import InMemoryRegistry, LegalBasis, LegalRegistry, Officer

__all__ = [
    "CASE_RECIPIENTS", "CHECK_NAMES", "HEARING_TYPES", "PENALTY_TYPE_NAMES", "FindingDraft", "GovernanceRecord",
    "InMemoryRegistry", "LegalBasis", "LegalRegistry", "Officer", "event_findings", "governance_findings",
    "hearing_required", "next_finding_check_at", "time_findings",
]

#: Check names as published (docs/CONTRACT.md §6).
CHECK_NAMES: dict[str, str] = {
    "L1": "超出法定幅度",
    "L2": "裁量档次不符",
    "L3": "执法人员资格",
    "L4": "依据无效",
    "L5": "未告知听证",
    "L6": "听证期限未满即决定",
    "L7": "听证通知期限/主持人",
    "L8": "未事先告知",
    "L9": "听证案件未备案",
    "L10": "越权/事项不在目录",
    "L11": "处罚办案超时",
    "L12": "目录调整超期",
    "L13": coercion_checks.NAME,
}

#: Default recipients: the department (its head stands for its legal section) and the 法制办.
CASE_RECIPIENTS: tuple[str, ...] = ("dept_head", "legal")

PENALTY_TYPE_NAMES: dict[str, str] = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "suspension": "责令停产停业",
    "revocation": "暂扣或者吊销许可证、执照",
    "detention": "行政拘留",
    "other": "其他",
}

#: Penalty types that always need a hearing notice (听证告知), whatever the amount.
HEARING_TYPES = frozenset({"suspension", "revocation"})


# --------------------------------------------------------------------------- helpers


def _decimal(raw: Any) -> Decimal | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _types_text(types: Iterable[str]) -> str:
    return "、".join(PENALTY_TYPE_NAMES.get(t, t) for t in types)


class _Findings:
    def __init__(self, view: CaseView) -> None:
        self.view = view
        self.items: list[FindingDraft] = []

    def add(
        self,
        check: str,
        cause: str,
        message: str,
        raised_at: datetime,
        event_id: str | None = None,
        level: Level = "red",
    ) -> None:
        self.items.append(
            FindingDraft(
                rule=check,
                level=level,
                case_no=self.view.case_no,
                dept_code=self.view.dept_code,
                cause=cause,
                message=message,
                recipients=list(CASE_RECIPIENTS),
                raised_at=raised_at,
                event_id=event_id,
            )
        )

    def add_at(
        self,
        check: str,
        cause: str,
        message: str,
        entry: TimelineEntry | None,
        fallback: datetime,
        level: Level = "red",
    ) -> None:
        raised = received_time(entry) if entry is not None else aware(fallback)
        self.add(check, cause, message, raised, entry.event_id if entry is not None else None, level)

    def add_breach(self, b: Breach) -> None:
        self.add(b.code, b.cause, b.message, b.instant, b.event_id, b.level)


def _last_entry(view: CaseView, kind: str) -> TimelineEntry | None:
    entries = timeline_entries(view, kind)
    return entries[-1] if entries else None


def _threshold_name(view: CaseView) -> tuple[str, str]:
    """Which hearing threshold applies to the party: business activity, organisation or person."""
    party = view.applicant
    if party is not None and party.in_business:
        return "hearing_threshold_business", "经营活动"
    if party is not None and party.type == "org":
        return "hearing_threshold_org_non_business", "法人或其他组织非经营活动"
    return "hearing_threshold_person_non_business", "公民非经营活动"


def hearing_required(
    view: CaseView,
    types: Iterable[str],
    amount: Decimal | None,
    on: date,
    cfg: RuleConfig,
) -> str | None:
    """Why a hearing notice (听证告知) is required for this penalty, or None when it is not."""
    chosen = [t for t in types if t in HEARING_TYPES]
    if chosen:
        return f"拟处以{_types_text(chosen)}"
    if amount is None:
        return None
    name, label = _threshold_name(view)
    threshold = cfg.decimal_value(name, on)
    if amount >= threshold:
        return f"罚款 {fmt_amount(amount)} 元，达到{label}较大数额罚款标准 {fmt_amount(threshold)} 元"
    return None


# --------------------------------------------------------------------------- checks


def _l1_l2(view: CaseView, item: ItemVersion, penalty: PenaltyRecord, out: _Findings) -> None:
    decision = penalty.decision
    terms = item.item.penalty
    if decision is None or terms is None:
        return
    entry = _last_entry(view, "decided")
    at = decision.decided_at
    amount = decision.amount
    types = list(dict.fromkeys([*decision.types, *(["fine"] if amount is not None and amount > 0 else [])]))
    unlisted = [t for t in types if t not in terms.types]
    if unlisted:
        out.add_at(
            "L1",
            "L1:types",
            f"处罚种类「{_types_text(unlisted)}」不在本事项规定的处罚种类"
            f"（{_types_text(terms.types)}）之内，超出法定处罚幅度。",
            entry,
            at,
        )
    if "fine" not in types or amount is None:
        return
    if (
        terms.fine_min is not None
        and terms.fine_max is not None
        and not terms.fine_min <= amount <= terms.fine_max
    ):
        out.add_at(
            "L1",
            "L1:amount",
            f"罚款 {fmt_amount(amount)} 元超出法定处罚幅度"
            f"（{fmt_amount(terms.fine_min)}–{fmt_amount(terms.fine_max)} 元）。",
            entry,
            at,
        )
    if not terms.tiers:
        return
    tier = terms.tier_named(decision.tier) if decision.tier else None
    if tier is None:
        problem = f"所选裁量档次「{decision.tier}」不存在" if decision.tier else "未记录适用的裁量档次"
    elif not terms.tier_contains(tier, amount):
        problem = (
            f"罚款 {fmt_amount(amount)} 元不在所选「{tier.tier}」档"
            f"（{fmt_amount(tier.min)}–{fmt_amount(tier.max)} 元）范围内"
        )
    else:
        return
    justified = bool((decision.tier_reason or "").strip()) and decision.collective_discussion
    if justified:
        out.add_at(
            "L2", "L2:tier", f"{problem}；已说明理由并经集体讨论，请法制机构复核。", entry, at, "yellow"
        )
    else:
        missing = [
            w
            for w, ok in (
                ("书面理由", bool((decision.tier_reason or "").strip())),
                ("集体讨论", decision.collective_discussion),
            )
            if not ok
        ]
        out.add_at("L2", "L2:tier", f"{problem}，且未记录{'和'.join(missing)}。", entry, at)


def _l3(view: CaseView, penalty: PenaltyRecord, registry: LegalRegistry, out: _Findings) -> None:
    """L3 执法人员资格: at least 2 officers, each with a certificate valid on the act date."""
    officers = list(dict.fromkeys(o for o in penalty.officers if o))
    opened_entry = _last_entry(view, "case_opened")
    decided_entry = _last_entry(view, "decided")
    acts: list[tuple[str, datetime, TimelineEntry | None]] = []
    if penalty.opened_at is not None:
        acts.append(("立案", penalty.opened_at, opened_entry))
    if penalty.decision is not None:
        acts.append(("作出处罚决定", penalty.decision.decided_at, decided_entry))
    if not acts:
        return
    first_name, first_at, first_entry = acts[0]
    if len(officers) < 2:
        out.add_at(
            "L3",
            "L3:count",
            f"{first_name}时执法人员只有 {len(officers)} 名，少于法定的 2 名。",
            first_entry,
            first_at,
        )
    for officer_id in officers:
        registered = registry.officer(officer_id)
        for act_name, act_at, entry in acts:
            day = business_date(act_at)
            officer = registered.as_of(day) if registered is not None else None
            if officer is None:
                problem = f"执法人员 {officer_id} 未在执法人员库中登记，无执法资格"
            elif not officer.valid_on(day):
                problem = (
                    f"执法人员 {officer.name}（证号 {officer.cert_no or '无'}）的执法证有效期为 "
                    f"{officer.periods()}，"
                    f"{act_name}日 {day.isoformat()} 不在有效期内"
                )
            elif officer.dept_code != view.dept_code:
                problem = (
                    f"执法人员 {officer.name} 的执法证属于部门 {officer.dept_code}，"
                    f"不能代表部门 {view.dept_code} 执法"
                )
            elif not officer.covers(view.item_code):
                problem = f"执法人员 {officer.name} 的执法证范围不包括事项 {view.item_code}"
            else:
                continue
            out.add_at("L3", f"L3:officer:{officer_id}", problem + "。", entry, act_at)
            break


def _l4(
    view: CaseView, item: ItemVersion, penalty: PenaltyRecord, registry: LegalRegistry, out: _Findings
) -> None:
    """L4 依据无效: a cited basis not among the item's bases, or repealed on or before the decision date."""
    decision = penalty.decision
    if decision is None:
        return
    entry = _last_entry(view, "decided")
    day = business_date(decision.decided_at)
    basis_ids = list(dict.fromkeys(b for b in decision.basis_ids if b))
    if not basis_ids:
        out.add_at("L4", "L4:none", "处罚决定未引用任何法律依据。", entry, decision.decided_at)
        return
    known = {b.id for b in item.item.legal_basis}
    for basis_id in basis_ids:
        basis = registry.basis(basis_id)
        title = basis.title if basis is not None else basis_id
        if basis_id not in known:
            problem = f"引用的依据「{title}」（{basis_id}）不在本事项的法定依据之中"
        elif basis is not None and not basis.valid_on(day):
            repealed = basis.repealed_on.isoformat() if basis.repealed_on else ""
            problem = f"引用的依据「{title}」已于 {repealed} 废止，处罚决定日 {day.isoformat()} 已无效"
        else:
            continue
        out.add_at("L4", f"L4:basis:{basis_id}", problem + "。", entry, decision.decided_at)


def _l5_to_l8(view: CaseView, penalty: PenaltyRecord, cfg: RuleConfig, out: _Findings) -> None:
    decision = penalty.decision
    proposed = penalty.proposed or {}
    notice_at = penalty.notice_served_at
    notice_entry = _last_entry(view, "notice_served")
    decided_entry = _last_entry(view, "decided")
    notified = penalty.hearing_notified is True

    # L5 未告知听证
    if not notified:
        reason = None
        if notice_at is not None:
            raw_types = proposed.get("types")
            proposed_types = [str(t) for t in raw_types] if isinstance(raw_types, list) else []
            reason = hearing_required(
                view, proposed_types, _decimal(proposed.get("amount")), business_date(notice_at), cfg
            )
            if reason is not None:
                out.add_at(
                    "L5",
                    "L5:hearing",
                    f"{reason}，应告知当事人有要求听证的权利，但事先告知未告知听证。",
                    notice_entry,
                    notice_at,
                )
        if reason is None and decision is not None:
            reason = hearing_required(
                view, decision.types, decision.amount, business_date(decision.decided_at), cfg
            )
            if reason is not None:
                out.add_at(
                    "L5",
                    "L5:hearing",
                    f"处罚决定{reason}，应告知听证权利，但没有听证告知记录。",
                    decided_entry,
                    decision.decided_at,
                )

    if decision is None:
        return
    decided_at = aware(decision.decided_at)
    decided_day = business_date(decided_at)

    # L8 未事先告知
    if notice_at is None or aware(notice_at) > decided_at:
        out.add_at(
            "L8",
            "L8:notice",
            f"处罚决定（{decided_day.isoformat()}）作出前没有事先告知（陈述申辩）记录。",
            decided_entry,
            decided_at,
        )

    # L6 听证期限未满即决定
    requested = penalty.hearing_requested_at
    if requested is not None and aware(requested) <= decided_at:
        held = penalty.hearing_held_at
        if held is None or aware(held) > decided_at:
            out.add_at(
                "L6",
                "L6:pending",
                f"当事人已于 {business_date(requested).isoformat()} 要求听证，听证尚未举行即作出处罚决定。",
                decided_entry,
                decided_at,
            )
    elif notified and notice_at is not None and getattr(penalty, "hearing_waived", None) is not True:
        notice_day = business_date(notice_at)
        days = cfg.int_value("hearing_request_days", notice_day)
        window_end = notice_day + timedelta(days=days)
        if decided_day <= window_end:
            out.add_at(
                "L6",
                "L6:window",
                f"听证告知于 {notice_day.isoformat()} 送达，当事人可在 {days} 日内"
                f"（至 {window_end.isoformat()}）要求听证，但处罚决定在 {decided_day.isoformat()} 即已作出。",
                decided_entry,
                decided_at,
            )


def _l7(view: CaseView, penalty: PenaltyRecord, cfg: RuleConfig, out: _Findings) -> None:
    """L7: hearing held less than 7 days after its notice, or chaired by one of the case officers."""
    held = penalty.hearing_held_at
    if held is None:
        return
    entry = _last_entry(view, "hearing_held")
    held_day = business_date(held)
    noticed = penalty.hearing_noticed_at
    if noticed is not None:
        noticed_day = business_date(noticed)
        days = cfg.int_value("hearing_notice_days", noticed_day)
        if (held_day - noticed_day).days < days:
            out.add_at(
                "L7",
                "L7:notice",
                f"听证通知于 {noticed_day.isoformat()} 送达，听证于 {held_day.isoformat()} 举行，"
                f"不足 {days} 日。",
                entry,
                held,
            )
    chair = penalty.hearing_chair
    if chair and chair in penalty.officers:
        out.add_at("L7", "L7:chair", f"听证主持人 {chair} 是本案调查人员，应当回避。", entry, held)


def _l10(view: CaseView, item: ItemVersion | None, out: _Findings) -> None:
    """L10 越权/事项不在目录: the item is not in the catalog, or the acting body is not its 实施主体."""
    entries = timeline_entries(view)
    first = entries[0] if entries else None
    if first is None:
        return
    if item is None:
        out.add_at(
            "L10",
            "L10:catalog",
            f"处罚事项 {view.item_code} 不在权力目录中或在立案时未生效，无权实施。",
            first,
            first.at,
        )
        return
    acting = getattr(view, "acting_dept_code", None) or view.dept_code
    owner = item.item.dept_code
    segment = view.item_code.replace("-", "")[6:9]
    if acting != owner or segment != acting:
        out.add_at(
            "L10",
            "L10:authority",
            f"事项 {view.item_code} 的实施主体为部门 {owner}，部门 {acting} 实施属越权。",
            first,
            first.at,
        )


def _penalty_breaches(view: CaseView, item: ItemVersion | None, cfg: RuleConfig) -> list[Breach]:
    """L9 (filing after a hearing) and L11 (case limit) lateness conditions."""
    penalty = view.penalty
    if view.category != "CF" or penalty is None:
        return []
    out: list[Breach] = []
    decision = penalty.decision
    decided = aware(decision.decided_at) if decision is not None else None
    if decision is not None and decided is not None and penalty.hearing_held_at is not None:
        day = business_date(decided)
        days = cfg.int_value("hearing_filing_days", day)
        deadline = day + timedelta(days=days)
        filed_raw = getattr(penalty, "filed_at", None)
        filed = (
            aware(filed_raw)
            if isinstance(filed_raw, datetime)
            else (day_start(filed_raw) if isinstance(filed_raw, date) else None)
        )
        state = f"实际于 {business_date(filed).isoformat()} 才备案" if filed is not None else "至今未备案"
        out.append(
            Breach(
                "L9",
                "yellow",
                "L9:filing",
                day_start(deadline + timedelta(days=1)),
                filed,
                f"经听证的处罚决定（{day.isoformat()}）应在 {days} 日内（{deadline.isoformat()} 前）"
                f"报法制办备案，{state}。",
            )
        )
    limit = penalty_limit(view, item)
    if penalty.opened_at is not None and limit is not None:
        decided = penalty_stopper(penalty)
        opened = aware(penalty.opened_at)
        near_days = cfg.int_value("penalty_near_days", business_date(opened))
        over = day_start(limit + timedelta(days=1))
        opened_text = business_date(opened).isoformat()
        out.append(
            Breach(
                "L11",
                "yellow",
                f"L11:near:{limit.isoformat()}",
                max(day_start(limit - timedelta(days=near_days)), opened),
                decided,
                f"处罚案件于 {opened_text} 立案，办案期限至 {limit.isoformat()}，即将届满，尚未作出决定。",
                warning_only=True,
            )
        )
        state = (
            f"实际于 {business_date(decided).isoformat()} 才作出决定或结案"
            if decided is not None and decided >= over
            else "仍未作出决定"
        )
        out.append(
            Breach(
                "L11",
                "red",
                f"L11:over:{limit.isoformat()}",
                over,
                decided,
                f"处罚案件于 {opened_text} 立案，办案期限 {limit.isoformat()} 已届满，{state}。",
            )
        )
    return out


# --------------------------------------------------------------------------- public functions


def event_findings(
    view: CaseView,
    item: ItemVersion | None,
    registry: LegalRegistry,
    calendar: Calendar,
    cfg: RuleConfig,
) -> list[FindingDraft]:
    """L1–L8, L10 and the event side of L9/L11 for a penalty case; L13 for a coercion case; empty for others.

    ``calendar`` is accepted for symmetry with the supervision rules: the penalty limits in force
    are calendar days.
    """
    del calendar
    if view.category == "QZ":
        return _coercion_findings(view, cfg)
    if view.category != "CF":
        return []
    out = _Findings(view)
    _l10(view, item, out)
    penalty = view.penalty
    if penalty is not None:
        _l3(view, penalty, registry, out)
        if item is not None:
            _l1_l2(view, item, penalty, out)
            _l4(view, item, penalty, registry, out)
        if item is None or not item.item.summary_procedure:
            _l5_to_l8(view, penalty, cfg, out)
            _l7(view, penalty, cfg, out)
    for b in _penalty_breaches(view, item, cfg):
        if not b.warning_only and b.happened_late:
            out.add_breach(b)
    return dedupe_sorted(out.items)


def time_findings(
    view: CaseView, item: ItemVersion | None, cfg: RuleConfig, as_of: datetime
) -> list[FindingDraft]:
    """L9, L11 and L13's time conditions as of ``as_of``: idempotent, ``raised_at`` is when each became true."""
    out = _Findings(view)
    as_of = aware(as_of)
    for b in _penalty_breaches(view, item, cfg) + coercion_checks.time_breaches(view, cfg):
        if b.true_by(as_of):
            out.add_breach(b)
    return dedupe_sorted(out.items)


def _coercion_findings(view: CaseView, cfg: RuleConfig) -> list[FindingDraft]:
    """L13 (行政强制程序违法) on a QZ case's recorded stages: the event side, and every time condition
    that the events already show was missed (coercion_checks.py)."""
    out = _Findings(view)
    for cause, message, when in coercion_checks.event_breaches(view, cfg):
        out.add(coercion_checks.CHECK, cause, message, when)
    for b in coercion_checks.time_breaches(view, cfg):
        if b.happened_late:
            out.add_breach(b)
    return dedupe_sorted(out.items)


def next_finding_check_at(
    view: CaseView,
    item: ItemVersion | None,
    cfg: RuleConfig,
    after: datetime | None = None,
) -> datetime | None:
    """The earliest instant (strictly after ``after``) at which :func:`time_findings` could add one."""
    return next_instant(_penalty_breaches(view, item, cfg) + coercion_checks.time_breaches(view, cfg),
                        aware(after) if after else None)
