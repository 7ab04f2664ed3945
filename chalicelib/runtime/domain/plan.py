"""The process plan of a natively run case (运行平台流程计划): which state machine runs an item, the
steps and roles passed into its execution, the working-day ladder (工作日阶梯) each action hands back
so the state machine can set every waiting task's deadline without calendar arithmetic, and the
task message between a waiting task and the worklist, with its colour on the supervision board.

Pure: no AWS, no clock. Every instant is a parameter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.catalog.domain.items import ItemVersion
from chalicelib.kernel.calendar import Calendar, OpenPauseError, Pause, light
from chalicelib.kernel.rules_config import RuleConfig

from . import coercion

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

Machine = Literal["license", "penalty", "service", "coercion"]
Role = Literal["handler", "dept_head"]
Colour = Literal["green", "yellow", "red"]
DueRule = Literal["limit", "case_due", "none"]

#: Which state machine runs an item of a category. QZ (行政强制) runs the 行政强制法's own fixed process
#: (``coercion.py``, ``state_machines/coercion.asl.json``).
MACHINES: dict[str, Machine] = {
    "XK": "license",
    "SP": "license",
    "GF": "license",
    "JL": "license",
    "QR": "license",
    "CJ": "license",
    "QT": "license",
    "ZS": "license",
    "ZY": "license",
    "CF": "penalty",
    "FW": "service",
    "QZ": "coercion",
}

#: Task kinds (待办类型) a state machine waits on, with their Chinese names.
TASK_KINDS: dict[str, str] = {
    "accept": "受理",
    "supplement": "补正材料接收",
    "step": "审批环节",
    "co_review": "并联审查",
    "conclude": "办结",
    "deliver": "送达",
    "open_case": "立案",
    "notify": "事先告知",
    "hearing": "听证",
    "decide": "处罚决定",
    "serve": "送达",
    "enforce": "执行",
    "close": "结案",
    **coercion.TASK_KINDS,
}

#: The action each task kind accepts (a task resumes its execution with one of these).
TASK_ACTIONS: dict[str, tuple[str, ...]] = {
    "accept": ("accept", "reject", "request_supplement"),
    "supplement": ("receive_supplement",),
    "step": ("complete_step", "return_step"),
    "co_review": ("complete_step",),
    "conclude": ("conclude",),
    "deliver": ("deliver",),
    "open_case": ("open_case",),
    "notify": ("notify",),
    "hearing": ("hold_hearing",),
    "decide": ("decide",),
    "serve": ("serve",),
    "enforce": ("enforce",),
    "close": ("close",),
    **coercion.TASK_ACTIONS,
}

#: Actions that do not resume a waiting task: they only write events (特别程序), or end the whole
#: procedure (作废: the execution is stopped, every pending task ends as voided).
SIDE_ACTIONS = frozenset({"start_special", "end_special", "void"}) | coercion.SIDE_ACTIONS
#: The names of the ways a task comes to a named person (docs/CONTRACT.md §10, issue #18).
ASSIGNMENT_KINDS: dict[str, str] = {"claim": "认领", "assign": "分派", "reassign": "改派", "release": "退回待领"}

#: Time limits of the runtime's own tasks, in working days. ``accept`` and ``deliver`` follow the
#: supervision defaults (R10 first supplement notice, R12 delivery); the penalty ones are
#: [inferred] configurable defaults: 受案→立案 7, 决定→送达 5 (≈ 7 days), 送达→执行 10 (≈ 15 days),
#: 执行→结案 10.
PENALTY_LIMITS_WD: dict[str, int] = {"open": 7, "serve": 5, "enforce": 10, "close": 10}

UNKNOWN_DUE = "9999-12-31"


def business_day(moment: datetime) -> date:
    """The Asia/Shanghai date of an instant (a naive instant is taken as +08:00)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)
    return aware.astimezone(SHANGHAI).date()


# --------------------------------------------------------------------------- the process plan


def machine_for(category: str) -> Machine | None:
    return MACHINES.get(category)


def step_role(index: int, count: int) -> Role:
    """The final post of an internal flow chart is the approval (批准) by the department head."""
    return "dept_head" if count > 1 and index == count - 1 else "handler"


def plan_steps(version: ItemVersion) -> list[dict[str, Any]]:
    """The bound version's confirmed steps, in order, each with the role of its post."""
    steps = version.item.steps
    return [
        {"code": s.code, "name": s.name, "limit_days": s.limit_days, "role": step_role(i, len(steps))}
        for i, s in enumerate(steps)
    ]


def limits(cfg: RuleConfig, on: date) -> dict[str, int]:
    """The working-day limits a state machine applies to the runtime's own tasks."""
    return {
        "accept": cfg.int_value("supplement_first_notice_wd", on),
        "deliver": cfg.int_value("delivery_wd", on),
        **PENALTY_LIMITS_WD,
        **coercion.LIMITS_WD,
    }


def ladder_length(steps: Sequence[Mapping[str, Any]], task_limits: Mapping[str, int]) -> int:
    """How many rungs every ladder of a case needs: the longest limit it may look up, plus one."""
    longest = max([int(s["limit_days"]) for s in steps] + list(task_limits.values()) + [0])
    return longest + 1


def workday_ladder(
    calendar: Calendar, start: date, length: int, pauses: Iterable[Pause] = ()
) -> list[str | None]:
    """``[start, 1st working day after, 2nd, …]`` as ISO dates: rung *n* is the due date of an
    *n*-working-day limit counted from ``start`` (the start day not counted, paused days
    excluded). While an open pause stops the clock the rungs from there on are unknown (None).
    """
    spans = list(pauses)
    out: list[str | None] = [start.isoformat()]
    day = start
    for _ in range(1, length):
        try:
            day = calendar.add_working_days(day, 1, spans).due
        except OpenPauseError:
            return out + [None] * (length - len(out))
        out.append(day.isoformat())
    return out


def execution_input(
    *,
    case_no: str,
    version: ItemVersion,
    steps: list[dict[str, Any]],
    task_limits: Mapping[str, int],
    clock: Mapping[str, Any],
) -> dict[str, Any]:
    """The input of a case's execution: identity, the process plan and the starting clock."""
    item = version.item
    return {
        "case_no": case_no,
        "item_code": version.code,
        "item_name": item.name,
        "item_version": version.version,
        "dept_code": item.dept_code,
        "category": item.category,
        "steps": steps,
        "co_departments": list(item.co_departments) if machine_for(item.category) == "license" else [],
        "limits": dict(task_limits),
        "clock": dict(clock),
    }


def clock(
    *,
    action: str,
    at: datetime,
    ladder: list[str | None],
    case_due: date | None,
    due_at: date | None = None,
    late_days: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What an action hands back to the execution (task output): when it happened, whether the
    task ran past its deadline, and the ladder and case deadline the next tasks are timed by."""
    return {
        "action": action,
        "at": at.isoformat(),
        "due_at": due_at.isoformat() if due_at else None,
        "late": late_days > 0,
        "late_days": late_days,
        "workdays": ladder,
        "case_due": case_due.isoformat() if case_due else None,
        **(extra or {}),
    }


# --------------------------------------------------------------------------- tasks and the worklist


class TaskStep(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    code: str
    name: str
    limit_days: int | None = None
    role: str | None = None


class TaskMessage(BaseModel):
    """The SQS message body a waiting task sends (see ``state_machines/*.asl.json``)."""

    model_config = ConfigDict(defer_build=True, extra="ignore")

    task_token: str = Field(min_length=1)
    execution: str | None = None
    state: str | None = None
    case_no: str
    dept_code: str
    owner_dept: str
    item_code: str
    item_name: str | None = None
    kind: str
    role: Role
    actions: list[str] = Field(default_factory=list)
    step: TaskStep
    step_index: int | None = None
    started_at: AwareDatetime
    due_rule: DueRule = "limit"
    due_at: date | None = None


def task_id(token: str) -> str:
    """A short, stable identifier of a waiting task (the token itself is a secret)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:24]


def task_due(
    calendar: Calendar,
    *,
    due_rule: str,
    started_at: datetime,
    limit_days: int | None,
    case_due: date | None,
    pauses: Iterable[Pause] = (),
) -> date | None:
    """A waiting task's deadline, recomputed after special procedures moved the clock."""
    if due_rule == "case_due":
        return case_due
    if due_rule != "limit" or limit_days is None:
        return None
    try:
        return calendar.add_working_days(business_day(started_at), limit_days, pauses).due
    except OpenPauseError:
        return None


def colour(calendar: Calendar, due: date | None, as_of: date) -> Colour:
    """The colour on the supervision board (``kernel.calendar.light``, which the board shares)."""
    return light(calendar, due, as_of)


def remaining_working_days(calendar: Calendar, due: date | None, as_of: date) -> int | None:
    """Working days left until the end of ``due`` (0 on the due day, negative once overdue)."""
    if due is None:
        return None
    if as_of <= due:
        return calendar.working_days_between(as_of, due)
    return -calendar.working_days_between(due, as_of)


def lateness(calendar: Calendar, due: date | None, done: date) -> int:
    """Working days a task ran past its deadline (0 when on time or without a deadline)."""
    if due is None or done <= due:
        return 0
    return max(1, calendar.working_days_between(due, done))


def worklist_order(tasks: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Least remaining working time first: ordered by deadline, then by when the task started."""
    return sorted(
        tasks,
        key=lambda t: (
            t.get("due_at") or UNKNOWN_DUE,
            str(t.get("started_at") or ""),
            str(t.get("case_no") or ""),
        ),
    )




@dataclass
class Task:
    """A waiting task of a natively run case (``body`` as stored): pending → resuming (one person
    took it) → done, or back to pending when resuming the execution failed."""

    body: dict[str, Any]

    def claimed(self) -> dict[str, Any]:
        return {**self.body, "status": "resuming"}

    def released(self) -> dict[str, Any]:
        return {**self.body, "status": "pending"}

    def complete(self, action: str, at: datetime, late_days: int, by: str, opinion: str | None) -> None:
        self.body.update({"status": "done", "action": action, "completed_at": at.isoformat(), "late_days": late_days,
                          "completed_by": by, "opinion": opinion})

    def public(self) -> dict[str, Any]:
        """The task as staff see it: without the execution's task token."""
        return {k: v for k, v in self.body.items() if k != "task_token"}

    # --- the named person (承办人) --------------------------------------------------------------

    @property
    def assignee(self) -> str | None:
        value = self.body.get("assignee")
        return str(value) if value else None

    def may_be_done_by(self, username: str | None) -> bool:
        """An unassigned task may be done by anyone of its role; an assigned one by its assignee only."""
        return self.assignee is None or self.assignee == username

    def assign(self, to: str | None, by: str, at: datetime, reason: str | None = None) -> str:
        """Give the task to ``to`` (None: back to the department's pool). Returns the kind of change
        (``claim``, ``assign``, ``reassign``, ``release``; ``unchanged`` when ``to`` holds it already).
        Only a pending task changes hands."""
        if self.body.get("status") != "pending":
            raise ValueError("not pending")
        before = self.assignee
        if before == to:
            return "unchanged"
        if to is None:
            kind = "release"
        elif before is None:
            kind = "claim" if to == by else "assign"
        else:
            kind = "reassign"
        self.body.update({"assignee": to, "assigned_by": by if to else None,
                          "assigned_at": at.isoformat() if to else None})
        history = list(self.body.get("assignments") or [])
        history.append({"kind": kind, "kind_name": ASSIGNMENT_KINDS[kind], "from": before, "to": to, "by": by,
                        "at": at.isoformat(), "reason": reason})
        self.body["assignments"] = history
        return kind

    def void(self, at: datetime, by: str, reason: str) -> None:
        """The case was voided (作废): the task ends without being done."""
        self.body.update({"status": "voided", "completed_at": at.isoformat(), "completed_by": by, "opinion": reason,
                          "action": "void"})
