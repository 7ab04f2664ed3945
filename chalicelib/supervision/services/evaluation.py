"""Evaluation: the applicant's satisfaction rating of a case (满意度评价) and the supervision
bureau's performance evaluation of departments (绩效评估) with its 监察建议书 letters.

Satisfaction (docs/DOMAIN.md §8.1 item 6): once per case, by whoever holds the case's query password,
after the case is concluded or rejected. The rating moves the period counters in the same
transaction as the record: ``evaluations`` +1 and ``satisfied`` +1 for 满意 *or* 基本满意, so the
published satisfaction rate is "satisfied or mostly satisfied" / all ratings. The counters go
to the period in which the case was concluded (or rejected), so satisfaction is reported beside
the on-time figures of the same work. A 不满意 rating opens a yellow supervision signal ``E1``
(办件评价不满意) on the case.

Performance (docs/DOMAIN.md §6.3): ``domain.performance`` computes metrics and the grade from each
department's period counters; a 不合格 department of a finished quarter receives one 监察建议书
(supervision recommendation letter) per quarter with a rectification deadline in working days.

Keys: ``supervision.repositories`` (``Ratings``, ``Letters``).
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.services import projection
from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.periods import local_date, period_end, periods_of, valid_period
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta
from chalicelib.kernel.regions import region_covers, region_level, rollup
from chalicelib.public import services as public

from ..domain.performance import (
    GradeThresholds,
    PeriodCounters,
    compute_metrics,
    grade,
    letter_no,
    quarter_end,
)
from ..domain.records import SignalDraft
from ..repositories import Letters, PublishedGrades, Ratings
from . import oversight

Rating = Literal["satisfied", "basic", "dissatisfied"]
RATING_NAMES: dict[str, str] = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
#: Rule id of the signal a 不满意 rating opens (besides R1–R14; see the module docstring).
EVALUATION_RULE = "E1"
EVALUATION_RECIPIENTS: tuple[str, ...] = ("handler", "dept_head", "dept_supervision")
#: Default time to rectify after a 监察建议书 [inferred; the supervisor may set 1–120].
DEFAULT_RECTIFY_WORKING_DAYS = 20


class EvaluationIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    password: str = Field(min_length=1, max_length=64, description="the case's query password")
    rating: Rating
    comment: str | None = Field(default=None, max_length=500)


class LettersIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    rectify_working_days: int = Field(default=DEFAULT_RECTIFY_WORKING_DAYS, ge=1, le=120)
    issued_at: AwareDatetime | None = Field(default=None, description="when issued (default: now)")


# --- satisfaction ---------------------------------------------------------------------------------


def handled_on(view: CaseView) -> date | None:
    """The business date the case was concluded, or rejected at intake; None while still open."""
    if view.concluded_at is not None:
        return local_date(view.concluded_at)
    if view.status == "rejected":
        rejections = [t.at for t in view.timeline if t.type in ("accepted", "pre_accepted")]
        return local_date(max(rejections)) if rejections else None
    return None


def _current_view(deps: Deps, case_no: str) -> CaseView | None:
    """The projected view; rebuilt from the case's event log when the projection has not caught up
    yet (missing, or still open), so an applicant can rate right after the conclusion arrives."""
    if len(case_no) > 64:
        return None
    found = projection.get_view(deps.stores, case_no)
    if found is not None and not found[0].is_open:
        return found[0]
    rebuilt = projection.build_view(deps, case_no)
    return rebuilt if rebuilt is not None else (found[0] if found else None)


def evaluate_case(deps: Deps, case_no: str, body: EvaluationIn, now: datetime) -> dict[str, Any]:
    """Store the applicant's rating (once) and count it; 不满意 opens a yellow ``E1`` signal."""
    view = _current_view(deps, case_no)
    if not public.password_ok(deps, case_no, view, body.password, now):
        raise NotFoundError("未找到办件或查询密码错误")
    if view is None:
        raise NotFoundError("未找到办件或查询密码错误")
    if view.is_open:
        raise ConflictError("办件尚未办结，办结后才能评价")
    day = handled_on(view) or local_date(now)
    ratings = Ratings(deps.stores)
    if ratings.exists(case_no):
        raise ConflictError("该办件已评价，不能重复评价")
    record = {"case_no": case_no, "dept_code": view.dept_code, "item_code": view.item_code,
              "rating": body.rating, "comment": body.comment, "evaluated_at": now.isoformat(),
              "counted_in": day.isoformat()}
    deltas = {"evaluations": 1, "satisfied": 1 if body.rating in ("satisfied", "basic") else 0}
    try:
        ratings.add(record, now, [CounterDelta(p, view.dept_code, deltas) for p in periods_of(day)])
    except ConditionFailedError:
        raise ConflictError("该办件已评价，不能重复评价") from None
    if body.rating == "dissatisfied":
        comment = f"：{body.comment[:100]}" if body.comment else ""
        oversight.raise_record(deps, SignalDraft(
            rule=EVALUATION_RULE, level="yellow", case_no=case_no, dept_code=view.dept_code,
            cause="evaluation",
            message=f"申请人对办件 {case_no} 的办理评价为「不满意」{comment}",
            recipients=list(EVALUATION_RECIPIENTS), raised_at=now))
    return {"case_no": case_no, "rating": body.rating, "rating_name": RATING_NAMES[body.rating],
            "evaluated_at": record["evaluated_at"]}


# --- performance evaluation -----------------------------------------------------------------------


def _check_period(period: str, *, quarter_only: bool = False) -> None:
    if not valid_period(period) or (quarter_only and quarter_end(period) is None):
        expected = "2012Q3" if quarter_only else "2012Q3、2012-07 或 2012"
        raise ValidationError("评估期间格式有误", [field_error("period", f"期间格式应为 {expected}")])


def _letters_of(deps: Deps, period: str) -> dict[str, dict[str, Any]]:
    if quarter_end(period) is None:
        return {}
    return Letters(deps.stores).of_period(period)


def department_evaluation(deps: Deps, principal: Principal, period: str, dept_code: str | None = None,
                          thresholds: GradeThresholds | None = None,
                          region_code: str | None = None) -> dict[str, Any]:
    """Metrics and grade per department for a period (one counters read, one letters read), and per
    region (两级): each county's departments, rolled up into the city's (its own and all counties').

    Only what the principal's scope allows: a county's bureau sees its county, the city's the city
    and every county, a department itself."""
    _check_period(period)
    thresholds = thresholds or GradeThresholds.from_config(deps.rule_config, period_end(period))
    scope = principal.scope.narrow(dept_code)
    rows = {r["dept_code"]: r for r in deps.stores.counters().read(period)}
    letters = _letters_of(deps, period)
    items: list[dict[str, Any]] = []
    by_region: list[tuple[str | None, dict[str, int]]] = []
    for d in sorted(identity.list_departments(deps.stores), key=lambda d: d["code"]):
        if not scope.allows(d["code"]) or (region_code and not region_covers(region_code, d.get("region_code"))):
            continue
        counters = PeriodCounters.from_row(rows.get(d["code"], {}))
        metrics = compute_metrics(counters)
        assessment = grade(metrics, thresholds)
        letter = letters.get(d["code"])
        items.append({"dept_code": d["code"], "dept_name": d.get("name"), "level": d.get("level"),
                      "region_code": d.get("region_code"), **metrics.as_dict(), **assessment.as_dict(),
                      "letter_no": letter["letter_no"] if letter else None})
        by_region.append((d.get("region_code"), asdict(counters)))
    regions = []
    for code, totals in sorted(rollup(by_region).items()):
        # a region is shown whole or not at all: the city only to those who see all of it
        if (region_code and not region_covers(region_code, code)) or not sees_region(principal, code):
            continue
        departments = totals.pop("departments")
        metrics = compute_metrics(PeriodCounters.from_row(totals))
        regions.append({"region_code": code, "level": region_level(code), "departments": departments,
                        **metrics.as_dict(), **grade(metrics, thresholds).as_dict()})
    return {"period": period, "items": items, "regions": regions, "next": None, "thresholds": thresholds.as_dict()}


def sees_region(principal: Principal, region: str) -> bool:
    """Whether the principal sees every department of ``region`` (and so may see its totals)."""
    if principal.is_department_scoped:
        return False
    return principal.region_code is None or region_covers(principal.region_code, region)


def issue_letters(deps: Deps, principal: Principal, period: str, body: LettersIn,
                  now: datetime, thresholds: GradeThresholds | None = None) -> dict[str, Any]:
    """One 监察建议书 per 不合格 department of a finished quarter; repeating issues nothing twice."""
    _check_period(period, quarter_only=True)
    issued_at = body.issued_at or now
    issued_on = local_date(issued_at)
    end = quarter_end(period)
    if end is None or issued_on <= end:
        raise ConflictError(f"{period} 尚未结束，季度结束后才能出具监察建议书",
                            [field_error("issued_at", f"应晚于 {end}")])
    deadline = deps.calendar.add_working_days(issued_on, body.rectify_working_days).due
    evaluation = department_evaluation(deps, principal, period, None, thresholds)
    letters = Letters(deps.stores)
    out: list[dict[str, Any]] = []
    issued: list[str] = []
    for row in evaluation["items"]:
        if row["grade"] != "不合格":
            continue
        dept = row["dept_code"]
        no = letter_no(period, dept)
        metric_keys = ("received", "concluded", "on_time", "on_time_rate", "yellow_per_100", "red_per_100",
                       "complaints_per_100", "satisfaction_rate", "supplement_rate", "avg_days_used")
        letter = {
            "letter_no": no, "kind": "监察建议书", "period": period, "dept_code": dept,
            "dept_name": row.get("dept_name"), "grade": row["grade"], "shortfalls": row["shortfalls"],
            "metrics": {k: row.get(k) for k in metric_keys},
            "content": (f"经 {period} 绩效评估，你单位评定为「不合格」：{'；'.join(row['shortfalls'])}。"
                        f"请于 {deadline.isoformat()} 前完成整改，并将整改情况书面报送监察局。"),
            "issued_at": issued_at.isoformat(), "issued_by": principal.actor_name,
            "rectify_working_days": body.rectify_working_days, "rectify_deadline": deadline.isoformat(),
            "status": "issued",
        }
        stored, new = letters.add(letter)
        if new:
            issued.append(no)
        if stored is not None:
            out.append(stored)
    return {"period": period, "items": out, "issued": len(issued), "issued_letters": issued,
            "already_issued": len(out) - len(issued), "next": None}


def list_letters(deps: Deps, principal: Principal, period: str | None, dept_code: str | None, limit: int,
                 cursor: str | None) -> dict[str, Any]:
    """监察建议书 records, newest period first; a department sees its own."""
    if period:
        _check_period(period, quarter_only=True)
    letters = Letters(deps.stores)

    def fetch(dept: str | None, n: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        page = letters.page(period, dept, n, after)
        return [i.body for i in page.items], page.next

    items, nxt = principal.scope.narrow(dept_code).collect(fetch, lambda b: b.get("dept_code"), limit, cursor)
    return {"items": items, "next": nxt}


# --- grades published in the hall (公开) -----------------------------------------------------------

#: What the hall shows of a department's quarter: the grade and the public figures, nothing personal.
PUBLISHED_FIELDS = ("dept_code", "dept_name", "level", "region_code", "grade", "received", "concluded",
                    "on_time_rate", "satisfaction_rate", "complaints_per_100")


def publish_grades(deps: Deps, principal: Principal, period: str, now: datetime) -> dict[str, Any]:
    """The supervision bureau publishes a finished quarter's grades for the hall: the departments of its
    region (两级: a county its own, the city every one). Publishing again replaces the published
    figures with the current ones (a correction), never another region's."""
    _check_period(period, quarter_only=True)
    end = quarter_end(period)
    if end is None or local_date(now) <= end:
        raise ConflictError(f"{period} 尚未结束，季度结束后才能公布评估等次", [field_error("period", f"应晚于 {end}")])
    evaluation = department_evaluation(deps, principal, period)
    at = now.isoformat()
    rows = [{**{k: row.get(k) for k in PUBLISHED_FIELDS}, "period": period, "published_at": at,
             "published_by": principal.actor_name} for row in evaluation["items"]]
    PublishedGrades(deps.stores).publish(period, rows, at)
    return {"period": period, "published": len(rows), "items": rows, "next": None}


def published_grades(deps: Deps, period: str | None, region_code: str | None = None) -> dict[str, Any]:
    """What the hall shows (public): a quarter's published grades (the latest published without ``period``)."""
    repo = PublishedGrades(deps.stores)
    periods = repo.periods()
    if period is None:
        period = max(periods) if periods else None
    elif not valid_period(period) or quarter_end(period) is None:
        raise ValidationError("评估期间格式有误", [field_error("period", "期间格式应为 2012Q3")])
    items = repo.of_period(period) if period else []
    if region_code:
        items = [i for i in items if region_covers(region_code, i.get("region_code"))]
    public_rows = [{k: i.get(k) for k in (*PUBLISHED_FIELDS, "published_at")} for i in items]
    return {"period": period, "periods": sorted(periods, reverse=True), "items": public_rows, "next": None}
