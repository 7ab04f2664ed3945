"""Answers of the operation platform (运行平台): applications, penalty cases, the worklist, actions."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ...runtime.domain.plan import Colour
from . import Answer, Page


class ApplicationReceipt(Answer):
    """网上申办 receipt: the case number and the query password (shown once; answers GET /cases at once)."""

    case_no: str
    query_password: str
    item_code: str
    item_version: int
    submitted_at: datetime


class PenaltyCaseOpened(Answer):
    """受案: the penalty case registered and its procedure started."""

    case_no: str
    item_code: str
    item_version: int
    execution_arn: str | None
    received_at: datetime


class CoercionCaseOpened(PenaltyCaseOpened):
    """行政强制立案: the case registered and the route of the 行政强制法 it runs."""

    route: Literal["measure", "enforcement"]
    route_name: str


class Task(Answer):
    """A task of a natively run case (the Step Functions task token never leaves the platform)."""

    model_config = ConfigDict(defer_build=True, extra="allow")
    task_id: str
    case_no: str
    dept_code: str
    item_code: str
    item_name: str | None = None
    kind: str
    role: str
    actions: list[str] = []
    step: dict[str, Any]
    status: str
    started_at: datetime
    due_rule: str | None = None
    due_at: date | None


class WorklistTask(Task):
    """A pending task with its remaining working days and the supervision board's colour."""

    kind_name: str
    remaining_working_days: int | None
    colour: Colour


class Worklist(Page[WorklistTask]):
    as_of: datetime
    dept_code: str
    scope: Literal["role", "mine", "dept"] = "role"
    mine: bool = False  # scope == "mine"
    total: int | None = None
    warnings: list[str]


class CaseTasks(Page[Task]):
    """Every task of a natively run case, pending and done, in the order they began."""

    case_no: str
    machine: str
    item_code: str
    item_version: int
    execution_arn: str | None


class Assignment(Answer):
    """One change of a task's named handler (承办人): 认领, 分派, 改派 or 退回待领."""

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)
    kind: Literal["claim", "assign", "reassign", "release"]
    kind_name: str
    from_: str | None = Field(alias="from")
    to: str | None
    by: str
    at: datetime
    reason: str | None = None


class TaskAssigned(Task):
    """The task after a claim, an assignment or a release, and what changed (``unchanged``: it was so already)."""

    assignee: str | None = None
    assigned_by: str | None = None
    assigned_at: datetime | None = None
    assignments: list[Assignment] = []
    change: Literal["claim", "assign", "reassign", "release", "unchanged"]


class Colleague(Answer):
    """A member of staff a task can go to: the account name, the name people read, the staff roles."""

    username: str
    display_name: str | None = None
    roles: list[str]


class Colleagues(Page[Colleague]):
    """The active staff of the caller's department (分派/改派), by name."""

    dept_code: str


class ActionDone(Answer):
    """What an action did: the events it wrote (as a department system would send them) and the case after it."""

    case_no: str
    action: str
    event_ids: list[str]
    task_id: str | None
    due_at: date | None
    status: str | None
    due: date | None
