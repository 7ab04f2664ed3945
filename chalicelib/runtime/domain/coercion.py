"""行政强制 (administrative coercion, category QZ) run natively: the fixed process of the
《中华人民共和国行政强制法》 (Administrative Coercion Law, in force 2012-01-01; "the law" below) and the
checks it fixes (docs/DOMAIN.md §4.4, §3.3).

Two routes, chosen by the item's QZ fields (``category_fields.measure_type`` …, read leniently):

* **强制措施 measure** (law ch.3, art.9, 17–33; e.g. 查封 sealing, 扣押 seizure, 扣留, 冻结 freezing):
  立案 → 报告批准 (approval, art.18(1), 19) → 实施 (carried out: 当场告知, 现场笔录, art.18) →
  决定书送达 (decision and list served on the spot, art.24) → 期限内解除/处理 (released or dealt
  with within the term, art.25, 27, 28); the term is at most 30 days, extendable by at most 30 days
  with the head's approval (art.25: 延长 as a type-A special procedure).
* **强制执行 enforcement** by the agency itself (law ch.4 §1, art.12, 34–44; e.g. 强制拆除 demolition,
  代履行 substitute performance, 加处罚款 late-payment fines): 立案 → 催告 (demand, art.35) →
  陈述申辩 (statement and defence, art.36) → 强制执行决定 (decision, art.37) → 执行 (art.43);
  中止执行 (suspension, art.39) stops the clock as a type-B special procedure until 恢复执行;
  终结执行 (termination, art.40) ends the case.

Every stage writes the licensing family's ``step`` event (codes ``QZ-M*`` / ``QZ-E*`` below, the
stage's facts as extra ``data`` fields), the end writes ``concluded``: the same events a department
system may send for a QZ case, so supervision, the hall and the legal office read them unchanged.

Pure: no AWS, no clock. Values the law leaves open are dated rule parameters
(``kernel/rules_config.py``: ``coercion_*``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from chalicelib.cases.domain import coercion_steps as steps
from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar

from .actions import (
    DISPOSALS,
    ApproveMeasureAction,
    DecideEnforcementAction,
    DemandAction,
    DisposeMeasureAction,
    ExecuteAction,
    ExtendMeasureAction,
    HearStatementAction,
    ImplementMeasureAction,
    ServeMeasureAction,
)
from .checks import Problems

Route = Literal["measure", "enforcement"]
ROUTE_NAMES: dict[str, str] = {"measure": "强制措施", "enforcement": "强制执行"}

#: The stages of each route: task kind → (step code written to the case, Chinese name).
MEASURE_STAGES: dict[str, tuple[str, str]] = {
    kind: (code, steps.STAGE_NAMES[code])
    for kind, code in (("qz_open", steps.MEASURE_OPENED), ("qz_approve", steps.MEASURE_APPROVED),
                       ("qz_implement", steps.MEASURE_TAKEN), ("qz_serve", steps.MEASURE_SERVED))
}
ENFORCEMENT_STAGES: dict[str, tuple[str, str]] = {
    kind: (code, steps.STAGE_NAMES[code])
    for kind, code in (("qz_open", steps.ENFORCEMENT_OPENED), ("qz_demand", steps.DEMANDED),
                       ("qz_statement", steps.STATEMENT_HEARD), ("qz_decide", steps.ENFORCEMENT_DECIDED))
}
#: Task kinds of the coercion machine (``state_machines/coercion.asl.json``) and their actions.
TASK_KINDS: dict[str, str] = {
    "qz_approve": "报告批准",
    "qz_implement": "实施强制措施",
    "qz_serve": "决定书送达",
    "qz_dispose": "期限内解除/处理",
    "qz_demand": "催告",
    "qz_statement": "陈述申辩",
    "qz_decide": "强制执行决定",
    "qz_execute": "强制执行",
}
TASK_ACTIONS: dict[str, tuple[str, ...]] = {
    "qz_approve": ("approve_measure",),
    "qz_implement": ("implement_measure",),
    "qz_serve": ("serve_measure",),
    "qz_dispose": ("dispose_measure",),
    "qz_demand": ("demand",),
    "qz_statement": ("hear_statement",),
    "qz_decide": ("decide_enforcement",),
    "qz_execute": ("execute",),
}
#: Actions beside the tasks: 延长 (art.25), 中止/恢复 (art.39), 终结 (art.40, ends the execution).
SIDE_ACTIONS = frozenset({"extend_measure", "suspend_enforcement", "resume_enforcement", "terminate_enforcement"})
#: Working-day limits of the stages [inferred, configurable defaults: the law sets none except the
#: emergency approval within 24 hours (art.19) and serving the decision on the spot (art.24)].
LIMITS_WD: dict[str, int] = {
    "qz_approve": 1, "qz_implement": 1, "qz_serve": 1,
    "qz_demand": 10, "qz_statement": 10, "qz_decide": 5, "qz_execute": 10,
}

SUSPENSION_NAME = steps.SUSPENSION_NAME
EXTENSION_NAME = steps.EXTENSION_NAME

# Words of the item's measure type (强制措施或执行种类) that name a route: art.9 lists the measures,
# art.12 the ways of enforcement.
_MEASURE_WORDS = ("查封", "扣押", "冻结", "扣留", "留置", "封存", "限制", "约束", "隔离", "强制措施",
                  "measure", "seal", "seiz", "freez", "detain")
_ENFORCEMENT_WORDS = ("强制执行", "拆除", "代履行", "划拨", "拍卖", "加处罚款", "滞纳金", "排除妨碍", "恢复原状",
                      "执行", "enforce", "demoli", "substitute")


def _first(text: str, words: Sequence[str]) -> int | None:
    hits = [i for i in (text.find(w) for w in words) if i >= 0]
    return min(hits) if hits else None


def _route_of_text(text: str) -> Route | None:
    lowered = text.lower()
    m, e = _first(lowered, _MEASURE_WORDS), _first(lowered, _ENFORCEMENT_WORDS)
    if m is None and e is None:
        return None
    if e is None or (m is not None and m <= e):
        return "measure"
    return "enforcement"


def route_for(version: ItemVersion) -> Route:
    """Which route an item runs: an explicit ``route``/``coercion_route`` field (``measure``,
    ``enforcement`` or the Chinese names) wins; else the words of ``measure_type`` (查封、扣押 → measure;
    强制拆除、代履行 → enforcement), else of the item's name; else the measure route (most QZ items
    of a city catalog are 查封/扣押)."""
    fields = version.item.category_fields or {}
    for key in ("route", "coercion_route", "kind"):
        value = str(fields.get(key) or "").strip().lower()
        if value in ("measure", "measures", "强制措施", "措施"):
            return "measure"
        if value in ("enforcement", "enforce", "强制执行", "执行"):
            return "enforcement"
    for text in (str(fields.get("measure_type") or ""), version.item.name):
        found = _route_of_text(text)
        if found is not None:
            return found
    return "measure"


def stages(route: Route) -> dict[str, tuple[str, str]]:
    return MEASURE_STAGES if route == "measure" else ENFORCEMENT_STAGES


def route_of_steps(codes: Iterable[str]) -> Route | None:
    """The route a case runs, from the step codes it has recorded (its 立案 is the first)."""
    for code in codes:
        if code.startswith("QZ-M"):
            return "measure"
        if code.startswith("QZ-E"):
            return "enforcement"
    return None


def period_end(calendar: Calendar, start: date, days: int) -> date:
    """The last day of a period the law sets in days, the start day not counted: periods of ten days
    or less are working days without statutory holidays (art.69 本法中十日以内期限的规定是指工作日),
    longer ones calendar days."""
    if days <= 10:
        return calendar.add_working_days(start, days).due
    return start + timedelta(days=days)


# --------------------------------------------------------------------------- what the case has done


@dataclass
class Stage:
    code: str
    at: datetime
    data: Mapping[str, Any]


@dataclass
class CoercionFacts:
    """The stages a coercion case has recorded (its ``step`` events with the QZ codes) and its special
    procedures (type A: extensions of the term; type B: suspensions)."""

    stages: dict[str, Stage] = field(default_factory=dict)
    extensions: list[int] = field(default_factory=list)
    suspended: bool = False
    ended: bool = False

    @classmethod
    def of(cls, records: Iterable[Mapping[str, Any]], *, open_pause: bool = False, extensions: Sequence[int] = (),
           ended: bool = False) -> CoercionFacts:
        """From the case's stored events (``type``, ``occurred_at``, ``data``); the latest record of
        a stage counts. ``open_pause``/``extensions``/``ended`` come from the case view."""
        found: dict[str, Stage] = {}
        for r in records:
            data = r.get("data") if isinstance(r.get("data"), Mapping) else {}
            code = str((data or {}).get("step_code") or "")
            if r.get("type") != "step" or not code.startswith("QZ-"):
                continue
            at = r.get("occurred_at")
            moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
            if code not in found or found[code].at <= moment:
                found[code] = Stage(code, moment, data or {})
        return cls(found, list(extensions), open_pause, ended)

    def stage(self, code: str) -> Stage | None:
        return self.stages.get(code)

    def term_end(self) -> date | None:
        """The last day of a 查封/扣押: the term served (art.25) plus every approved extension."""
        served = self.stage(steps.MEASURE_SERVED)
        raw = served.data.get("term_end") if served else None
        if not raw:
            return None
        return date.fromisoformat(str(raw)) + timedelta(days=sum(self.extensions))


# --------------------------------------------------------------------------- the checks the law fixes

HEADLINE = "行政强制程序不符合《行政强制法》规定"
APPROVAL_HEADLINE = "强制措施未依法报告批准"
IMPLEMENT_HEADLINE = "实施强制措施不符合法定程序"
TERM_HEADLINE = "查封、扣押期限不符合规定"
DEMAND_HEADLINE = "催告不符合规定"
DECIDE_HEADLINE = "不得作出强制执行决定"
EXECUTE_HEADLINE = "不得在夜间或法定节假日实施强制执行"
SUSPENDED_HEADLINE = "强制执行已中止"

#: art.43 ¶2: 不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行.
_UTILITY_CUTS = ("停水", "停电", "停气", "停暖", "停止供水", "停止供电", "停止供热", "停止供燃气", "断水", "断电")


def approval_problems(action: ApproveMeasureAction, at: datetime, emergency_hours: int, out: Problems) -> None:
    """art.18(1): the reason and basis of the measure are reported to the head; art.19: a measure taken
    on the spot in an emergency is approved within 24 hours of it (``coercion_emergency_report_hours``)."""
    if not (action.reason or "").strip():
        out.add(APPROVAL_HEADLINE, "reason", "报告批准须写明采取强制措施的理由和依据（第十八条第一项）", "missing")
    if action.emergency:
        if action.implemented_at is None:
            out.add(APPROVAL_HEADLINE, "implemented_at", "情况紧急当场实施的，须写明实施时间（第十九条）", "missing")
        elif at - action.implemented_at > timedelta(hours=emergency_hours):
            out.add(APPROVAL_HEADLINE, "at",
                    f"当场实施后应在 {emergency_hours} 小时内向行政机关负责人报告并补办批准手续（第十九条），"
                    f"已超过时限，应当立即解除强制措施")


def implementation_problems(action: ImplementMeasureAction, out: Problems) -> None:
    """art.18: the procedure every measure follows on the spot (officers' certificates are checked by
    ``checks.officer_problems``, art.18(2) two officers with law-enforcement qualification)."""
    if not action.certificates_shown:
        out.add(IMPLEMENT_HEADLINE, "certificates_shown", "实施前须出示执法身份证件（第十八条第三项）", "missing")
    if not action.informed:
        out.add(IMPLEMENT_HEADLINE, "informed",
                "须当场告知当事人采取强制措施的理由、依据以及当事人依法享有的权利、救济途径（第十八条第五项）", "missing")
    if action.party_present and not action.statement_heard:
        out.add(IMPLEMENT_HEADLINE, "statement_heard", "须听取当事人的陈述和申辩（第十八条第六项）", "missing")
    if not action.record_made:
        out.add(IMPLEMENT_HEADLINE, "record_made", "须制作现场笔录（第十八条第七项）", "missing")
    if not action.party_present and not (action.witness or "").strip():
        out.add(IMPLEMENT_HEADLINE, "witness", "当事人不到场的，须邀请见证人到场并在现场笔录上签名或盖章（第十八条第九项）",
                "missing")


def term_problems(action: ServeMeasureAction, max_days: int, out: Problems) -> None:
    """art.25: 查封、扣押的期限不得超过三十日 (``coercion_measure_days``)."""
    if action.term_days < 1:
        out.add(TERM_HEADLINE, "term_days", "须写明查封、扣押的期限", "missing")
    elif action.term_days > max_days:
        out.add(TERM_HEADLINE, "term_days",
                f"查封、扣押的期限不得超过 {max_days} 日（第二十五条），延长须另经批准")


def extension_problems(action: ExtendMeasureAction, facts: CoercionFacts, on: date, *, max_days: int,
                       max_times: int, out: Problems) -> None:
    """art.25: 情况复杂的，经行政机关负责人批准，可以延长，但是延长期限不得超过三十日; the extension is
    decided while the measure is in force. ``coercion_extension_days`` caps the total,
    ``coercion_extensions_max`` the number of extensions [inferred: one, as practice reads art.25]."""
    if facts.stage(steps.MEASURE_SERVED) is None or facts.ended:
        out.add(TERM_HEADLINE, "action", "只有已送达查封、扣押决定书且尚未解除的强制措施可以延长期限")
        return
    if not (action.approver or "").strip():
        out.add(TERM_HEADLINE, "approver", "延长查封、扣押期限须经行政机关负责人批准，须写明批准人（第二十五条）", "missing")
    if not (action.reason or "").strip():
        out.add(TERM_HEADLINE, "reason", "须写明延长理由（情况复杂，第二十五条）", "missing")
    if len(facts.extensions) >= max_times:
        out.add(TERM_HEADLINE, "action", f"查封、扣押期限只能延长 {max_times} 次，已经延长过")
    elif sum(facts.extensions) + action.days > max_days:
        out.add(TERM_HEADLINE, "days", f"延长期限不得超过 {max_days} 日（第二十五条）")
    end = facts.term_end()
    if end is not None and on > end:
        out.add(TERM_HEADLINE, "at", f"查封、扣押期限已于 {end.isoformat()} 届满，不能再延长，应当解除（第二十八条）")


def disposal_problems(action: DisposeMeasureAction, facts: CoercionFacts, on: date, out: Problems) -> None:
    """art.27/28: within the term the goods are confiscated, destroyed or the case transferred by a
    decision; once the term has run out the measure must be released (art.28(4) 期限已经届满)."""
    end = facts.term_end()
    if action.outcome != "release":
        if end is not None and on > end:
            out.add(TERM_HEADLINE, "outcome",
                    f"查封、扣押期限已于 {end.isoformat()} 届满，应当及时解除（第二十八条第四项），不能再作出"
                    f"「{DISPOSALS[action.outcome]}」处理")
        if not (action.decision_no or "").strip():
            out.add(TERM_HEADLINE, "decision_no", f"「{DISPOSALS[action.outcome]}」须依法作出处理决定并写明文号（第二十七条）",
                    "missing")
    if not (action.reason or "").strip() and action.outcome != "release":
        out.add(TERM_HEADLINE, "reason", "须写明处理理由和依据", "missing")


def demand_problems(action: DemandAction, out: Problems) -> None:
    """art.35: 催告 in writing states the period and method of performance (and the amount for money)
    and the party's right to state and defend."""
    if action.period_days < 1:
        out.add(DEMAND_HEADLINE, "period_days", "催告书须写明履行义务的期限（第三十五条第一项）", "missing")
    if not action.rights_notified:
        out.add(DEMAND_HEADLINE, "rights_notified", "催告书须载明当事人依法享有的陈述权和申辩权（第三十五条第四项）",
                "missing")


def decision_problems(action: DecideEnforcementAction, facts: CoercionFacts, on: date, out: Problems) -> None:
    """art.35–37: the decision only after the demand was served, the party's statement and defence
    heard (and not upheld), and the period the demand set has passed without performance — unless,
    during that period, the goods are being moved or hidden (art.37 ¶3: 立即强制执行, with the reason)."""
    demand = facts.stage(steps.DEMANDED)
    statement = facts.stage(steps.STATEMENT_HEARD)
    if facts.suspended:
        out.add(SUSPENDED_HEADLINE, "action", "强制执行已中止（第三十九条），恢复执行前不能作出强制执行决定")
    if demand is None:
        out.add(DECIDE_HEADLINE, "action", "作出强制执行决定前，应当事先催告当事人履行义务（第三十五条）")
        return
    if statement is None:
        out.add(DECIDE_HEADLINE, "action", "尚未听取当事人的陈述和申辩（第三十六条）")
    else:
        if statement.data.get("adopted") is True:
            out.add(DECIDE_HEADLINE, "action", "当事人的陈述申辩意见已被采纳（第三十六条），不得作出强制执行决定")
        if statement.data.get("performed") is True:
            out.add(DECIDE_HEADLINE, "action", "当事人已履行义务，不得强制执行，请终结执行（第四十条）")
    raw_end = demand.data.get("period_end")
    end = date.fromisoformat(str(raw_end)) if raw_end else None
    if end is not None and on <= end:
        if action.immediate:
            if not (action.reason or "").strip():
                out.add(DECIDE_HEADLINE, "reason", "催告期间立即强制执行，须写明当事人转移或者隐匿财物的证据（第三十七条第三款）",
                        "missing")
        else:
            out.add(DECIDE_HEADLINE, "at",
                    f"催告书确定的履行期限至 {end.isoformat()} 届满，期限届满前当事人仍可履行，不得作出强制执行决定"
                    f"（第三十七条）；有转移或者隐匿财物迹象的，可以勾选立即强制执行并说明理由")


def execution_problems(action: ExecuteAction, at: datetime, local_hour: int, working_day: bool, *, night_start: int,
                       night_end: int, out: Problems) -> None:
    """art.43: 不得在夜间或者法定节假日实施行政强制执行, 但是情况紧急的除外; never by cutting water,
    power, heating or gas to a home. 夜间 is ``coercion_night_start_hour``–``coercion_night_end_hour``
    [inferred: the law does not define it; 22:00–06:00 as in the noise and public-security rules];
    a statutory holiday is any day the working-day calendar marks as not working."""
    del at
    night = local_hour >= night_start or local_hour < night_end
    if (night or not working_day) and not action.emergency:
        when = f"夜间（{night_start}:00–次日 {night_end}:00）" if night else "法定节假日"
        out.add(EXECUTE_HEADLINE, "at", f"执行时间在{when}，不得实施行政强制执行（第四十三条）；情况紧急的须勾选并写明理由")
    if action.emergency and (night or not working_day) and not (action.reason or "").strip():
        out.add(EXECUTE_HEADLINE, "reason", "情况紧急在夜间或法定节假日执行的，须写明紧急情况（第四十三条）", "missing")
    method = action.method or ""
    if any(w in method for w in _UTILITY_CUTS):
        out.add(HEADLINE, "method", "不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行（第四十三条第二款）")


def statement_problems(action: HearStatementAction, out: Problems) -> None:
    """art.36: what the party stated is recorded; an upheld objection needs its reasons."""
    if action.made and not (action.content or "").strip():
        out.add(HEADLINE, "content", "须记录当事人陈述申辩的事实、理由和证据（第三十六条）", "missing")
    if action.adopted and not (action.opinion or "").strip():
        out.add(HEADLINE, "opinion", "采纳陈述申辩意见的，须写明复核意见", "missing")
