"""The event rules (R6, R8–R11, R13): true from the case's events alone, no clock needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.cases.domain.case_view import CaseView, PauseSpan, TimelineEntry
from chalicelib.catalog.domain.items import ItemVersion, extension_cap_param
from chalicelib.kernel.rules_config import RuleConfig

from .common import (
    EVENT_NAMES,
    REASON_REQUIRED_CODES,
    RECIPIENTS,
    Breach,
    _limit_value,
    aware,
    business_date,
    day_start,
    fmt_amount,
    fmt_time,
    received_time,
    timeline_entries,
)
from .records import Level, SignalDraft


class _Drafts:
    """Collects drafts for one case with the case's number and department filled in."""

    def __init__(self, view: CaseView) -> None:
        self.view = view
        self.items: list[SignalDraft] = []

    def add(
        self,
        rule: str,
        level: Level,
        cause: str,
        message: str,
        raised_at: datetime,
        event_id: str | None = None,
    ) -> None:
        self.items.append(
            SignalDraft(
                rule=rule,
                level=level,
                case_no=self.view.case_no,
                dept_code=self.view.dept_code,
                cause=cause,
                message=message,
                recipients=list(RECIPIENTS[rule]),
                raised_at=raised_at,
                event_id=event_id,
            )
        )

    def add_breach(self, b: Breach) -> None:
        self.add(b.code, b.level, b.cause, b.message, b.instant, b.event_id)


_NO_FIELD = object()


def _r6(view: CaseView, out: _Drafts) -> None:
    """R6 未说明理由: a rejection, refusal, return or void without a reason."""
    flagged = {a.event_id for a in view.anomalies if a.code == "rejected_without_reason" and a.event_id}
    for entry in timeline_entries(view, "accepted", "pre_accepted"):
        if entry.status != "rejected":
            continue
        reason = getattr(entry, "reason", _NO_FIELD)
        missing = entry.event_id in flagged if reason is _NO_FIELD else not str(reason or "").strip()
        if missing:
            what = "不予受理" if entry.type == "accepted" else "预受理不予受理"
            out.add(
                "R6",
                "red",
                f"R6:{entry.event_id}",
                f"{what}未说明理由：{fmt_time(entry.at)} 的「{EVENT_NAMES[entry.type]}」记录"
                "没有填写不予受理原因。",
                received_time(entry),
                entry.event_id,
            )
    result = view.result
    if result is not None and result.code in REASON_REQUIRED_CODES and not (result.reason or "").strip():
        entries = timeline_entries(view, "concluded")
        last = entries[-1] if entries else None
        label = REASON_REQUIRED_CODES[result.code]
        out.add(
            "R6",
            "red",
            f"R6:concluded:{result.code}",
            f"办结结果为「{label}」（代码 {result.code}），但未说明理由。",
            received_time(last) if last else aware(result.concluded_at),
            last.event_id if last else None,
        )


def _r8(view: CaseView, cfg: RuleConfig, out: _Drafts) -> None:
    """R8: yellow for late reporting (补录), red for a conclusion with no acceptance record."""
    seen: set[str] = set()
    for entry in timeline_entries(view):
        # A correction (higher data_version) is not a back-entry: use the first receipt when known.
        reported: datetime | None = getattr(entry, "first_received_at", None) or entry.received_at
        if reported is None or entry.type in seen:
            continue
        hours = cfg.int_value("late_report_hours", business_date(entry.at))
        delay = aware(reported) - aware(entry.at)
        if delay > timedelta(hours=hours):
            seen.add(entry.type)
            late_hours = int(delay.total_seconds() // 3600)
            out.add(
                "R8",
                "yellow",
                f"R8:late:{entry.type}",
                f"「{EVENT_NAMES.get(entry.type, entry.type)}」发生于 {fmt_time(entry.at)}，"
                f"至 {fmt_time(reported)} 才报送（迟报约 {late_hours} 小时，超过 {hours} 小时）。",
                aware(reported),
                entry.event_id,
            )
    if view.category == "CF" or view.result is None:
        return
    intake = timeline_entries(view, "accepted", "pre_accepted")
    if intake or view.accepted_at is not None:
        return
    concluded = timeline_entries(view, "concluded")
    last = concluded[-1] if concluded else None
    out.add(
        "R8",
        "red",
        "R8:no_acceptance",
        f"办件于 {fmt_time(view.result.concluded_at)} 办结，但没有任何受理记录，未在网上运行。",
        received_time(last) if last else aware(view.result.concluded_at),
        last.event_id if last else None,
    )


def _r9(view: CaseView, item: ItemVersion | None, out: _Drafts) -> None:
    """R9 违规收费: a fee on a no-fee item, or an amount different from the catalog standard."""
    result = view.result
    if item is None or result is None or result.fee_amount is None or result.fee_amount <= 0:
        return
    fee = item.item.fee
    entries = timeline_entries(view, "concluded")
    entry = entries[-1] if entries else None
    raised = received_time(entry) if entry else aware(result.concluded_at)
    charged = fmt_amount(result.fee_amount)
    if not fee.charged:
        message = f"违规收费：本事项目录规定不收费，办结时却收取 {charged} 元。"
    elif fee.amount is not None and result.fee_amount != fee.amount:
        message = f"违规收费：收取 {charged} 元，与目录规定的收费标准 {fmt_amount(fee.amount)} 元不符。"
    else:
        return
    out.add("R9", "red", "R9:fee", message, raised, entry.event_id if entry else None)


def _r10_repeat(view: CaseView, out: _Drafts) -> None:
    """R10 (red): a second supplement request on one case (the law allows a single notice)."""
    entries = timeline_entries(view, "supplement_requested")
    if len(entries) >= 2:
        second = entries[1]
        out.add(
            "R10",
            "red",
            "R10:repeat",
            f"多次补正：本案第 2 次补交告知发生于 {fmt_time(second.at)}，应一次性告知需补正的全部材料。",
            received_time(second),
            second.event_id,
        )
    elif len(view.supplements) >= 2:
        at = sorted(aware(s.requested_at) for s in view.supplements)[1]
        out.add(
            "R10",
            "red",
            "R10:repeat",
            f"多次补正：本案第 2 次补交告知发生于 {fmt_time(at)}，应一次性告知需补正的全部材料。",
            at,
        )


def _pause_entry(view: CaseView, pause: PauseSpan) -> TimelineEntry | None:
    event_id: str | None = getattr(pause, "event_id", None)
    entries = timeline_entries(view, "special_started")
    if event_id:
        match = [e for e in entries if e.event_id == event_id]
        if match:
            return match[0]
    same_day = [e for e in entries if business_date(e.at) == pause.start]
    return same_day[0] if same_day else None


def _r11_extensions(view: CaseView, item: ItemVersion | None, cfg: RuleConfig, out: _Drafts) -> None:
    """R11 (red): an extension (延长审批) without approver or reason, or beyond the license cap."""
    total = 0
    for pause in sorted((p for p in view.pauses if p.kind == "A"), key=lambda p: (p.start, p.seq)):
        entry = _pause_entry(view, pause)
        raised = received_time(entry) if entry else day_start(pause.start)
        event_id = entry.event_id if entry else None
        missing = [
            label
            for label, value in (("批准人", pause.approver), ("延期理由", pause.reason))
            if not (value or "").strip()
        ]
        if missing:
            out.add(
                "R11",
                "red",
                f"R11:ext:{pause.seq}",
                f"延长审批「{pause.name}」（{pause.start.isoformat()}）未记录{'和'.join(missing)}。",
                raised,
                event_id,
            )
        limit = _limit_value(pause.declared_limit)
        total += limit[0] if limit else 0
        if view.category != "XK":
            continue
        cap = cfg.int_value(extension_cap_param(item.item if item is not None else None), pause.start)
        if total > cap:
            statutory = item.item.statutory_limit.value if item is not None else None
            base = f"法定时限 {statutory} 个工作日 + " if statutory is not None else ""
            joint = "联合办理事项" if item is not None and item.item.co_departments else "行政许可"
            out.add(
                "R11",
                "red",
                "R11:cap",
                f"延长审批累计 {total} 个工作日，超过{joint}延期上限（{base}{cap} 个工作日）。",
                raised,
                event_id,
            )


def _r13(view: CaseView, item: ItemVersion | None, out: _Drafts) -> None:
    """R13 事项不符: the item is not in the catalog (in force) or belongs to another department."""
    entries = timeline_entries(view)
    first = entries[0] if entries else None
    raised = received_time(first) if first else None
    if raised is None:
        return
    bound_on = view.accepted_at or view.submitted_at or (first.at if first else None)
    on_text = business_date(bound_on).isoformat() if bound_on else ""
    if item is None:
        out.add(
            "R13",
            "red",
            "R13:item",
            f"事项编码 {view.item_code} 在 {on_text} 不在权力目录中或未生效，办件所依据的事项不符。",
            raised,
            first.event_id if first else None,
        )
    elif item.item.dept_code != view.dept_code:
        out.add(
            "R13",
            "red",
            "R13:dept",
            f"事项 {view.item_code} 的实施部门为 {item.item.dept_code}，与办件部门 {view.dept_code} 不符。",
            raised,
            first.event_id if first else None,
        )


