"""行政强制 (QZ) acts: the 行政强制法's checks for each stage (``coercion.py``), then the events the stage
writes — the licensing family's ``step`` with the stage's code and facts, ``concluded`` at the end, a
type-A special procedure for an extension and a type-B one for a suspension. Called by
``process.apply_action``; pure: no AWS, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar
from chalicelib.kernel.errors import ConflictError, field_error
from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.legal.domain.checks import Officer

from . import coercion
from .actions import (
    DISPOSALS,
    SUSPEND_GROUNDS,
    TERMINATE_GROUNDS,
    ApproveMeasureAction,
    DecideEnforcementAction,
    DemandAction,
    DisposeMeasureAction,
    ExecuteAction,
    ExtendMeasureAction,
    HearStatementAction,
    ImplementMeasureAction,
    ResumeEnforcementAction,
    ServeMeasureAction,
    SuspendEnforcementAction,
    TerminateEnforcementAction,
)
from .checks import Problems, officer_problems
from .plan import SHANGHAI, business_day


@dataclass
class Act:
    """What a coercion act is judged against, and ``add(type, data)`` to write an event."""

    item: ItemVersion
    at: datetime
    view: CaseView | None
    records: Sequence[Mapping[str, Any]]
    officers: Mapping[str, Officer | None]
    calendar: Calendar
    cfg: RuleConfig
    add: Callable[[str, dict[str, Any]], None]

    @property
    def day(self) -> date:
        return business_day(self.at)

    def facts(self) -> coercion.CoercionFacts:
        view = self.view
        pauses = view.pauses if view is not None else []
        return coercion.CoercionFacts.of(
            self.records,
            open_pause=any(p.kind == "B" and p.end is None for p in pauses),
            extensions=[int((p.declared_limit or {}).get("value") or 0) for p in pauses if p.kind == "A"],
            ended=view is not None and view.status in ("concluded", "rejected"),
        )

    def next_seq(self) -> str:
        return str(len(self.view.pauses) + 1 if self.view else 1)


def apply(action: Any, act: Act) -> dict[str, Any]:
    """Check ``action`` and write its events; returns what the execution is told besides the clock."""
    if act.item.item.category != "QZ":
        raise ConflictError("该事项不是行政强制事项", [field_error("action", "仅适用于行政强制（QZ）事项", "conflict")])
    facts = act.facts()
    if facts.ended:
        raise ConflictError("行政强制案件已办结", [field_error("action", "案件已结束", "conflict")])
    route = coercion.route_of_steps(facts.stages) or coercion.route_for(act.item)
    out = Problems()
    extra: dict[str, Any] = {}

    def stage(kind: str, data: dict[str, Any]) -> None:
        code, name = coercion.stages(route)[kind]
        act.add("step", {"step_code": code, "step_name": name, "status": "done", **data})

    if isinstance(action, ApproveMeasureAction | ImplementMeasureAction | ServeMeasureAction
                  | DisposeMeasureAction | ExtendMeasureAction):
        _measure(action, act, facts, stage, out, extra)
    else:
        _enforcement(action, act, facts, route, stage, out, extra)
    return extra


Stage = Callable[[str, dict[str, Any]], None]


def _measure(action: Any, act: Act, facts: coercion.CoercionFacts, stage: Stage, out: Problems,
             extra: dict[str, Any]) -> None:
    """强制措施: 报告批准, 实施, 决定书送达, 延长, 解除/处理."""
    cfg, day, item = act.cfg, act.day, act.item
    if isinstance(action, ApproveMeasureAction):
        coercion.approval_problems(action, act.at, cfg.int_value("coercion_emergency_report_hours", day), out)
        out.raise_if_any()
        stage("qz_approve", {"opinion": action.opinion or action.reason, "reason": action.reason,
                             "measure": action.measure or item.item.category_fields.get("measure_type"),
                             "emergency": action.emergency or None,
                             "implemented_at": action.implemented_at.isoformat() if action.implemented_at else None})
    elif isinstance(action, ImplementMeasureAction):
        officer_problems(action.officers, act.officers, day, item.item.dept_code, item.code, out)
        coercion.implementation_problems(action, out)
        out.raise_if_any()
        stage("qz_implement", {"officers": list(dict.fromkeys(action.officers)),
                               "certificates_shown": action.certificates_shown, "party_present": action.party_present,
                               "witness": action.witness, "informed": action.informed,
                               "statement_heard": action.statement_heard, "record_made": action.record_made,
                               "goods": action.goods or None, "place": action.place})
    elif isinstance(action, ServeMeasureAction):
        coercion.term_problems(action, cfg.int_value("coercion_measure_days", day), out)
        out.raise_if_any()
        taken = facts.stage(coercion.steps.MEASURE_TAKEN)
        start = business_day(taken.at) if taken else day
        end = coercion.period_end(act.calendar, start, action.term_days)
        stage("qz_serve", {"decision_no": action.decision_no, "term_days": action.term_days,
                           "term_start": start.isoformat(), "term_end": end.isoformat(), "mode": action.mode})
        extra["term_end"] = end.isoformat()
    elif isinstance(action, DisposeMeasureAction):
        coercion.disposal_problems(action, facts, day, out)
        out.raise_if_any()
        act.add("concluded", {"result_code": 0, "result_desc": DISPOSALS[action.outcome], "reason": action.reason,
                              "cert_no": action.decision_no, "outcome": action.outcome})
        extra["result_code"] = 0
    elif isinstance(action, ExtendMeasureAction):
        coercion.extension_problems(action, facts, day, max_days=cfg.int_value("coercion_extension_days", day),
                                    max_times=cfg.int_value("coercion_extensions_max", day), out=out)
        out.raise_if_any()
        act.add("special_started", {"seq": act.next_seq(), "kind": "A", "name": coercion.EXTENSION_NAME,
                                    "approver": action.approver, "reason": action.reason,
                                    "limit": {"value": action.days, "unit": "calendar_day"}})


def _enforcement(action: Any, act: Act, facts: coercion.CoercionFacts, route: str, stage: Stage, out: Problems,
                 extra: dict[str, Any]) -> None:
    """强制执行: 催告, 陈述申辩, 强制执行决定, 执行, 中止/恢复, 终结."""
    cfg, day, item = act.cfg, act.day, act.item
    if isinstance(action, DemandAction):
        coercion.demand_problems(action, out)
        out.raise_if_any()
        end = coercion.period_end(act.calendar, day, action.period_days)
        stage("qz_demand", {"decision_no": action.decision_no, "period_days": action.period_days,
                            "period_end": end.isoformat(), "method": action.method, "amount": action.amount,
                            "rights_notified": action.rights_notified, "mode": action.mode})
    elif isinstance(action, HearStatementAction):
        coercion.statement_problems(action, out)
        out.raise_if_any()
        stage("qz_statement", {"made": action.made, "content": action.content, "adopted": action.adopted,
                               "performed": action.performed, "opinion": action.opinion})
    elif isinstance(action, DecideEnforcementAction):
        coercion.decision_problems(action, facts, day, out)
        out.raise_if_any()
        stage("qz_decide", {"decision_no": action.decision_no, "method": action.method,
                            "immediate": action.immediate or None, "reason": action.reason,
                            "opinion": action.reason or action.method})
    elif isinstance(action, ExecuteAction):
        if facts.suspended:
            out.add(coercion.SUSPENDED_HEADLINE, "action", "强制执行已中止（第三十九条），恢复执行后才能执行")
        if action.officers:
            officer_problems(action.officers, act.officers, day, item.item.dept_code, item.code, out)
        coercion.execution_problems(action, act.at, act.at.astimezone(SHANGHAI).hour, act.calendar.is_workday(day),
                                    night_start=cfg.int_value("coercion_night_start_hour", day),
                                    night_end=cfg.int_value("coercion_night_end_hour", day), out=out)
        out.raise_if_any()
        act.add("concluded", {"result_code": 0, "result_desc": "执行完毕", "reason": action.result,
                              "method": action.method, "officers": action.officers or None,
                              "emergency": action.emergency or None, "emergency_reason": action.reason})
        extra["result_code"] = 0
    elif isinstance(action, SuspendEnforcementAction):
        if route != "enforcement":
            raise ConflictError("只有强制执行可以中止", [field_error("action", "强制措施不适用中止执行", "conflict")])
        if facts.suspended:
            raise ConflictError("强制执行已经中止", [field_error("action", "已中止", "conflict")])
        act.add("special_started", {"seq": act.next_seq(), "kind": "B", "name": coercion.SUSPENSION_NAME,
                                    "ground": action.ground, "reason": SUSPEND_GROUNDS[action.ground]
                                    + (f"：{action.reason}" if action.reason else "")})
    elif isinstance(action, ResumeEnforcementAction):
        open_seqs = [p.seq for p in (act.view.pauses if act.view else []) if p.kind == "B" and p.end is None]
        if not open_seqs:
            raise ConflictError("强制执行没有中止，无需恢复", [field_error("action", "未中止", "conflict")])
        act.add("special_ended", {"seq": open_seqs[-1], "result": action.reason or "中止执行的情形消失，恢复执行"})
    elif isinstance(action, TerminateEnforcementAction):
        act.add("concluded", {"result_code": 2, "result_desc": "终结执行", "ground": action.ground,
                              "reason": f"{TERMINATE_GROUNDS[action.ground]}：{action.reason}"})
        extra["result_code"] = 2
