"""The lateness rules (R1–R5, R10–R12, R14) as breach conditions: each true from an instant unless
the event that ends the exposure came before it (``common.Breach``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from chalicelib.cases.domain.case_view import CaseView, PenaltyRecord
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar, Pause
from chalicelib.kernel.rules_config import RuleConfig

from .common import (
    Breach,
    _clock_stopped_before,
    _concluded_at,
    _in_pause,
    _limit_value,
    _type_b_pauses,
    _unit_name,
    add_wd,
    aware,
    business_date,
    day_start,
    over_working_limit,
    timeline_entries,
)


def _r1(view: CaseView, calendar: Calendar, cfg: RuleConfig, concluded: datetime | None) -> list[Breach]:
    due, accepted_at = view.due, view.accepted_at
    if due is None or accepted_at is None or _clock_stopped_before(view, due):
        return []
    accepted_day = business_date(accepted_at)
    pauses = _type_b_pauses(view)
    if cfg.str_value("r1_mode", accepted_day) == "ratio":
        counted = _counted_days(view, calendar, accepted_day, due, pauses)
        ratio = cfg.float_value("r1_ratio", accepted_day)
        index = math.ceil(ratio * len(counted) - 1e-9)
        if not counted or index >= len(counted):
            return []
        day = counted[index]
        what = f"截至 {day.isoformat()} 已用承诺时限 {index}/{len(counted)} 个工作日（达到 {ratio:.0%}）"
    else:
        day = calendar.previous_workday(due)
        while _in_pause(day, pauses) and day > accepted_day:
            day = calendar.previous_workday(day)
        what = f"{day.isoformat()} 是期限前的最后一个工作日"
        if day <= accepted_day:
            # A one-day promise: the "last working day before the due date" is the acceptance day
            # itself, so a near-deadline reminder would only repeat the acceptance.
            return []
    instant = day_start(day)
    message = f"临期提示：承诺办结期限为 {due.isoformat()}，{what}，办件尚未办结，请抓紧办理。"
    return [
        Breach("R1", "yellow", f"R1:due:{due.isoformat()}", instant, concluded, message, warning_only=True)
    ]


def _counted_days(
    view: CaseView, calendar: Calendar, start: date, due: date, pauses: Sequence[Pause]
) -> list[date]:
    derivation = view.due_derivation
    if derivation is not None and derivation.unit == "working_day" and derivation.counted:
        return sorted(derivation.counted)
    days: list[date] = []
    day = start
    while day < due:
        day += timedelta(days=1)
        if calendar.is_workday(day) and not _in_pause(day, pauses):
            days.append(day)
    return days


def _overdue(
    rule: str,
    label: str,
    due: date | None,
    view: CaseView,
    calendar: Calendar,
    concluded: datetime | None,
) -> list[Breach]:
    """R2 / R3: the (promised / statutory) due day ended without a conclusion."""
    if due is None or view.accepted_at is None or _clock_stopped_before(view, due):
        return []
    instant = day_start(due + timedelta(days=1))
    if concluded is not None and concluded >= instant:
        done = business_date(concluded)
        late = calendar.working_days_between(due, done)
        message = f"办件于 {done.isoformat()} 办结，超过{label} {due.isoformat()}" + (
            f"（超出 {late} 个工作日）。" if late else "。"
        )
    else:
        message = f"{label} {due.isoformat()} 已届满，办件仍未办结。"
    return [Breach(rule, "red", f"{rule}:due:{due.isoformat()}", instant, concluded, message)]


def _r4(
    view: CaseView,
    item: ItemVersion,
    calendar: Calendar,
    concluded: datetime | None,
) -> list[Breach]:
    """R4 环节超时: each completed step, and the running one, against its ``limit_days``."""
    steps = item.item.steps
    by_code = {s.code: s for s in steps}
    order = [s.code for s in steps]
    pauses = _type_b_pauses(view)
    out: list[Breach] = []
    prev_at = view.accepted_at
    # Only the item's own steps form the chain; co-department reviews (并联审批, codes outside the
    # catalog's steps) run beside it and must not move the start of the next step.
    records = sorted((r for r in view.steps if r.code in by_code), key=lambda r: aware(r.at))
    for rec in records:
        start_at, prev_at = prev_at, rec.at
        spec = by_code.get(rec.code)
        if spec is None or start_at is None:
            continue
        deadline = add_wd(calendar, business_date(start_at), spec.limit_days, pauses)
        instant = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
        if deadline is None or instant is None:
            continue
        done = business_date(rec.at)
        message = (
            f"环节「{spec.name}」（{spec.code}）时限 {spec.limit_days} 个工作日，"
            f"应于 {deadline.isoformat()} 前完成，实际于 {done.isoformat()} 完成。"
        )
        out.append(
            Breach(
                "R4",
                "yellow",
                f"R4:step:{spec.code}",
                instant,
                aware(rec.at),
                message,
            )
        )
    if concluded is not None or view.accepted_at is None:
        return out
    last = records[-1] if records else None
    if last is None:
        index: int | None = 0
    elif last.code in order:
        index = order.index(last.code) + 1
    else:
        index = None
    if index is None or index >= len(order):
        return out
    spec = steps[index]
    start_at = last.at if last is not None else view.accepted_at
    deadline = add_wd(calendar, business_date(start_at), spec.limit_days, pauses)
    running = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
    if deadline is not None and running is not None:
        message = (
            f"环节「{spec.name}」（{spec.code}）时限 {spec.limit_days} 个工作日，"
            f"应于 {deadline.isoformat()} 前完成，目前仍未完成。"
        )
        out.append(
            Breach(
                "R4",
                "yellow",
                f"R4:step:{spec.code}",
                running,
                None,
                message,
                warning_only=True,
            )
        )
    return out


def _r5(
    view: CaseView,
    item: ItemVersion,
    calendar: Calendar,
    cfg: RuleConfig,
    concluded: datetime | None,
) -> list[Breach]:
    """R5 初审报送超期: a lower-level preliminary review (下级初审) not forwarded in time."""
    if str(item.item.category_fields.get("preliminary_review", "")).strip().lower() != "true":
        return []
    if view.accepted_at is None:
        return []
    start = business_date(view.accepted_at)
    days = cfg.int_value("preliminary_review_days", start)
    pauses = _type_b_pauses(view)
    deadline = add_wd(calendar, start, days, pauses)
    instant = over_working_limit(calendar, deadline, pauses) if deadline is not None else None
    if deadline is None or instant is None:
        return []
    message = (
        f"下级初审事项应自受理日 {start.isoformat()} 起 {days} 个工作日内"
        f"（{deadline.isoformat()} 前）报送上级机关，"
        + ("实际报送超期。" if concluded is not None else "至今未报送。")
    )
    return [
        Breach(
            "R5",
            "yellow",
            f"R5:forward:{deadline.isoformat()}",
            instant,
            concluded,
            message,
        )
    ]


def _r10_first_notice(view: CaseView, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """R10 (yellow): no supplement notice nor intake decision within 5 working days of submission."""
    if view.submitted_at is None:
        return []
    submitted = business_date(view.submitted_at)
    days = cfg.int_value("supplement_first_notice_wd", submitted)
    deadline = add_wd(calendar, submitted, days)
    if deadline is None:
        return []
    intake = timeline_entries(view, "supplement_requested", "pre_accepted", "accepted")
    decisions = [(aware(e.at), e.type, e.event_id) for e in intake]
    if not decisions and view.accepted_at is not None:
        decisions = [(aware(view.accepted_at), "accepted", "")]
    if not decisions and view.supplements:
        first = min(view.supplements, key=lambda s: aware(s.requested_at))
        decisions = [(aware(first.requested_at), "supplement_requested", "")]
    stopper, kind, event_id = min(decisions) if decisions else (None, "", "")
    instant = day_start(calendar.next_workday(deadline))
    if kind == "supplement_requested" and stopper is not None:
        what = f"首次补正告知于 {business_date(stopper).isoformat()} 才发出"
    else:
        what = "未作出补正告知或受理决定"
    message = (
        f"申请于 {submitted.isoformat()} 提交，"
        f"应在 {days} 个工作日内（{deadline.isoformat()} 前）一次性告知补正，{what}。"
    )
    return [
        Breach(
            "R10",
            "yellow",
            "R10:first_notice",
            instant,
            stopper,
            message,
            warning_only=kind != "supplement_requested",
            event_id=event_id or None,
        )
    ]


def _r11_pauses(view: CaseView, calendar: Calendar, concluded: datetime | None) -> list[Breach]:
    """R11 (yellow): a type-B special procedure lasting longer than it declared."""
    out: list[Breach] = []
    for pause in view.pauses:
        limit = _limit_value(pause.declared_limit)
        if pause.kind != "B" or limit is None or limit[0] < 1:
            continue
        value, unit = limit
        if unit == "working_day":
            deadline = calendar.add_working_days(pause.start - timedelta(days=1), value).due
            instant = day_start(calendar.next_workday(deadline))
        else:
            deadline = pause.start + timedelta(days=value - 1)
            instant = day_start(deadline + timedelta(days=1))
        stopper = day_start(pause.end) if pause.end is not None else concluded
        ended = f"实际至 {pause.end.isoformat()} 才结束" if pause.end is not None else "至今尚未结束"
        message = (
            f"特别程序「{pause.name}」申明时限 {value}{_unit_name(unit)}"
            f"（应于 {deadline.isoformat()} 前结束），{ended}。"
        )
        out.append(
            Breach(
                "R11",
                "yellow",
                f"R11:pause:{pause.seq}",
                instant,
                stopper,
                message,
            )
        )
    return out


def _r12(view: CaseView, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """R12 证照送达超期: delivery more than 10 working days after an approving conclusion."""
    if view.result is None or view.result.code != 0 or view.category == "QZ":
        return []  # a coercion case ends with its release or execution: no certificate to deliver
    concluded = business_date(view.result.concluded_at)
    days = cfg.int_value("delivery_wd", concluded)
    deadline = add_wd(calendar, concluded, days)
    if deadline is None:
        return []
    delivered = aware(view.delivered_at) if view.delivered_at else None
    cert = f"（{view.result.cert_name or '证照'}）"
    message = (
        f"办件于 {concluded.isoformat()} 准予办结{cert}，"
        f"应在 {days} 个工作日内（{deadline.isoformat()} 前）送达，"
        + (f"实际于 {business_date(delivered).isoformat()} 送达。" if delivered else "至今未送达。")
    )
    return [
        Breach(
            "R12", "yellow", "R12:delivery", day_start(calendar.next_workday(deadline)), delivered, message
        )
    ]


def penalty_limit(view: CaseView, item: ItemVersion | None) -> date | None:
    """The last day of a penalty case's limit (办案期限): the view's due, else 立案日 + case_limit_days."""
    if view.due is not None:
        return view.due
    penalty = view.penalty
    if penalty is None or penalty.opened_at is None or item is None or item.item.penalty is None:
        return None
    return business_date(penalty.opened_at) + timedelta(days=item.item.penalty.case_limit_days)


def penalty_stopper(penalty: PenaltyRecord) -> datetime | None:
    """What ends a penalty case's limit: the decision (处罚决定), else closing the case (结案)."""
    moments = [m for m in (penalty.decision.decided_at if penalty.decision else None, penalty.closed_at) if m]
    return min(aware(m) for m in moments) if moments else None


def _r14(view: CaseView, item: ItemVersion | None, cfg: RuleConfig) -> list[Breach]:
    """R14 处罚办案超时: yellow within ``penalty_near_days`` of the limit, red past it."""
    penalty = view.penalty
    limit = penalty_limit(view, item)
    if penalty is None or penalty.opened_at is None or limit is None:
        return []
    opened = aware(penalty.opened_at)
    decided = penalty_stopper(penalty)
    near_days = cfg.int_value("penalty_near_days", business_date(opened))
    near = max(day_start(limit - timedelta(days=near_days)), opened)
    over = day_start(limit + timedelta(days=1))
    opened_text = business_date(opened).isoformat()
    near_msg = f"处罚案件于 {opened_text} 立案，办案期限至 {limit.isoformat()}，即将届满，尚未作出处罚决定。"
    if decided is not None and decided >= over:
        over_msg = (
            f"处罚案件于 {opened_text} 立案，办案期限至 {limit.isoformat()}，"
            f"实际于 {business_date(decided).isoformat()} 才作出处罚决定。"
        )
    else:
        over_msg = f"处罚案件于 {opened_text} 立案，办案期限 {limit.isoformat()} 已届满，仍未作出处罚决定。"
    return [
        Breach("R14", "yellow", f"R14:near:{limit.isoformat()}", near, decided, near_msg, warning_only=True),
        Breach("R14", "red", f"R14:over:{limit.isoformat()}", over, decided, over_msg),
    ]


def runs_coercion_process(view: CaseView) -> bool:
    """A QZ case that runs the 行政强制法's fixed stages (step codes ``QZ-…``, runtime/domain/coercion.py):
    its stages are timed by their own limits (the worklist's due dates and the task timeouts), not by
    the item's internal steps, so R4 does not read them against those."""
    return view.category == "QZ" and any(s.code.startswith("QZ-") for s in view.steps)


def breaches(view: CaseView, item: ItemVersion | None, calendar: Calendar, cfg: RuleConfig) -> list[Breach]:
    """Every lateness condition of the case, raised or not yet."""
    concluded = _concluded_at(view)
    out: list[Breach] = []
    if view.category == "CF":
        return _r14(view, item, cfg)
    out += _r1(view, calendar, cfg, concluded)
    out += _overdue("R2", "承诺办结期限", view.due, view, calendar, concluded)
    out += _overdue("R3", "法定办结期限", view.statutory_due, view, calendar, concluded)
    if item is not None and not runs_coercion_process(view):
        out += _r4(view, item, calendar, concluded)
        out += _r5(view, item, calendar, cfg, concluded)
    out += _r10_first_notice(view, calendar, cfg)
    out += _r11_pauses(view, calendar, concluded)
    out += _r12(view, calendar, cfg)
    return out


