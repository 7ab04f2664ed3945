"""Operation platform (运行平台): natively run cases on Step Functions, with a worklist.

A case of a department without its own system runs as one execution (name = case number) of
``state_machines/{license,penalty,service}.asl.json``. The bound item version's confirmed steps
are in the execution input; human steps wait on SQS ``.waitForTaskToken``. The task worker
(:func:`store_task`) keeps each waiting task as a pending record for the worklist; an action
(:func:`act`) passes the blocking checks of ``domain.process``, writes the same exchange events a
department system would send (through ``exchange.append``, source ``runtime``/``hall``) and
resumes the execution with ``send_task_success``.

Deadlines: the state machines cannot do calendar arithmetic, so every action hands back a
*working-day ladder* (its business date and the working days after it) and the case deadline;
a waiting task picks its ``due_at`` from them (rung *n* for an *n*-working-day limit). The
action that completes a task reports ``late``/``late_days`` against that ``due_at`` in its task
output, so the execution history itself records every step that ran past its limit.

Work table layout: ``RTRUN#{case_no} / RUN`` the run (machine, execution, bound version);
``RTTASK#{case_no} / T#{task_id}`` one task (pending or done); index ``gsi1``
``RTWL#{dept_code}`` (sparse: pending tasks only) ordered by deadline, for the worklist.
"""

from __future__ import annotations

import json
import logging
import secrets
import string
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .. import wiring
from ..domain import process, task_waits
from ..domain.calendar import Calendar, Pause, provisional_warning, unknown_years
from ..domain.case_view import CaseView
from ..domain.catalog import InvalidCodeError, ItemVersion, normalize_code, version_in_force
from ..domain.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from ..domain.events import ExchangeEvent, parse_event
from ..domain.legal import Officer
from ..identity.domain.roles import Principal
from . import catalog, exchange, projection
from .ports import ConditionFailedError, Item, Stores

log = logging.getLogger("sunlit.runtime")

TABLE = "work"
STAFF_ROLES = frozenset({"handler", "dept_head"})
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
MAX_WORKLIST = 5000
_machine_arns: dict[str, str] = {}


# --------------------------------------------------------------------------- request bodies


class ApplicantIn(BaseModel):
    """申请人 of an online application."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    type: Literal["person", "org"]
    name: str = Field(min_length=1, max_length=200)
    id_type: str | None = Field(default=None, max_length=100)
    id_no: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=100)


class ApplicationIn(BaseModel):
    """``POST /applications``. ``submitted_at`` only for window staff entering a paper application."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    item_code: str = Field(max_length=40)
    applicant: ApplicantIn
    materials: list[str] = Field(default_factory=list, max_length=200)
    project_name: str | None = Field(default=None, max_length=200)
    submitted_at: AwareDatetime | None = None


class PenaltyCaseIn(BaseModel):
    """``POST /penalty-cases``: register a penalty case source (受案) and start its procedure."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    item_code: str = Field(max_length=40)
    received_at: AwareDatetime | None = None
    source: str | None = Field(default=None, max_length=100)
    summary: str | None = Field(default=None, max_length=2000)


# --------------------------------------------------------------------------- helpers


def _sfn(sfn: Any | None) -> Any:
    return sfn if sfn is not None else wiring.aws("stepfunctions")


def state_machine_arn(machine: str, sfn: Any | None = None) -> str:
    """The ARN of ``{prefix}{machine}``: from the deployment's settings, else looked up by name
    once per process (``states:ListStateMachines``, which deployed functions are not granted)."""
    from ..settings import get_settings

    deployed = get_settings().state_machines.get(machine)
    if deployed:
        return deployed
    name = f"{get_settings().state_machine_prefix}{machine}"
    if name in _machine_arns:
        return _machine_arns[name]
    client = _sfn(sfn)
    token: str | None = None
    while True:
        page = client.list_state_machines(**({"nextToken": token} if token else {}))
        for sm in page.get("stateMachines", []):
            _machine_arns[sm["name"]] = sm["stateMachineArn"]
        token = page.get("nextToken")
        if name in _machine_arns or not token:
            break
    if name not in _machine_arns:
        raise RuntimeError(f"state machine {name} is not deployed")
    return _machine_arns[name]


def _code(raw: str) -> str:
    try:
        return normalize_code(raw)
    except InvalidCodeError as exc:
        raise ValidationError("事项编码格式有误", [field_error("item_code", str(exc))]) from None


def _version_on(stores: Stores, code: str, day: date) -> ItemVersion:
    versions = catalog.versions_of(stores, code)
    if not versions:
        raise NotFoundError(
            f"事项 {code} 不存在", [field_error("item_code", f"权力目录中没有事项 {code}", "not_found")]
        )
    version = version_in_force(versions, day)
    if version is None:
        raise ValidationError(
            f"事项 {code} 未经法制办确认或在 {day.isoformat()} 不在有效期内",
            [field_error("item_code", "事项未确认或不在有效期内，不能办理", "not_in_force")],
        )
    return version


def _is_staff_of(principal: Principal, dept_code: str) -> bool:
    return (
        principal.kind == "user" and principal.dept_code == dept_code and bool(principal.roles & STAFF_ROLES)
    )


def _password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(8))


def _pauses(view: CaseView | None) -> list[Pause]:
    return [Pause(p.start, p.end) for p in (view.pauses if view else []) if p.kind == "B"]


def _run_key(case_no: str) -> tuple[str, str]:
    return f"RTRUN#{case_no}", "RUN"


def _get_run(stores: Stores, case_no: str) -> Item:
    pk, sk = _run_key(case_no)
    run = stores.table(TABLE).get(pk, sk) if len(case_no) <= 64 else None
    if run is None:
        raise NotFoundError("办件不存在或不在运行平台办理")
    return run


def _bound_version(stores: Stores, run: dict[str, Any]) -> ItemVersion:
    for v in catalog.versions_of(stores, run["item_code"]):
        if v.version == int(run["item_version"]):
            return v
    raise NotFoundError(f"办件绑定的事项版本 {run['item_code']} 第 {run['item_version']} 版不存在")


def _create_run(
    stores: Stores,
    version: ItemVersion,
    machine: str,
    at: datetime,
    steps: list[dict[str, Any]],
    task_limits: dict[str, int],
) -> tuple[str, dict[str, Any]]:
    """A new platform-unique case number (``{region}{dept}{year}W{serial}``), claimed conditionally:
    the run record and the case's HEAD (owned by the item's department) in one transaction, so no
    department system can have reported that number before, nor report it afterwards."""
    year = process.business_day(at).year
    owner = version.item.dept_code
    for _ in range(8):
        case_no = f"{version.code[:9]}{year}W{secrets.randbelow(10**7):07d}"
        run = {
            "case_no": case_no,
            "machine": machine,
            "item_code": version.code,
            "item_version": version.version,
            "dept_code": version.item.dept_code,
            "co_departments": list(version.item.co_departments) if machine == "license" else [],
            "started_at": at.isoformat(),
            "status": "starting",
            "ladder_len": process.ladder_length(steps, task_limits),
            "execution_arn": None,
        }
        pk, sk = _run_key(case_no)
        tx = stores.transaction()
        tx.put(TABLE, Item(pk=pk, sk=sk, body=run), if_absent=True)
        tx.put("events", Item(pk=exchange.case_pk(case_no), sk=exchange.HEAD_SK, body=exchange.Head().body(owner)),
               if_absent=True)
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return case_no, run
    raise ConflictError("生成办件编号冲突，请重试")


def _start(
    stores: Stores,
    run: dict[str, Any],
    version: ItemVersion,
    steps: list[dict[str, Any]],
    task_limits: dict[str, int],
    at: datetime,
    sfn: Any | None,
    now: datetime,
) -> str:
    calendar = wiring.calendar()
    day = process.business_day(at)
    start_clock = process.clock(
        action="submit" if run["machine"] != "penalty" else "register",
        at=at,
        ladder=process.workday_ladder(calendar, day, int(run["ladder_len"])),
        case_due=None,
    )
    start_clock["wait"] = task_waits.for_clock(start_clock, max(at, now))
    payload = process.execution_input(
        case_no=run["case_no"], version=version, steps=steps, task_limits=task_limits, clock=start_clock
    )
    client = _sfn(sfn)
    arn = client.start_execution(
        stateMachineArn=state_machine_arn(run["machine"], client),
        name=run["case_no"],
        input=json.dumps(payload, ensure_ascii=False),
    )["executionArn"]
    table = stores.table(TABLE)
    pk, sk = _run_key(run["case_no"])
    current = table.get(pk, sk)
    if current is not None:
        current.body.update({"execution_arn": arn, "status": "running"})
        table.put(current, expected_version=current.version)
    return str(arn)


def _prepare(
    stores: Stores, code: str, at: datetime
) -> tuple[ItemVersion, list[dict[str, Any]], dict[str, int]]:
    from .rules import rule_config

    version = _version_on(stores, code, process.business_day(at))
    steps = process.plan_steps(version)
    return version, steps, process.limits(rule_config(), process.business_day(at))


def _submitted_event(case_no: str, code: str, at: datetime, data: dict[str, Any]) -> ExchangeEvent:
    raw = {
        "event_id": f"{case_no}-submitted-1",
        "case_no": case_no,
        "item_code": code,
        "type": "submitted",
        "occurred_at": at.isoformat(),
        "data_version": 1,
        "actor": None,
        "data": {k: v for k, v in data.items() if v is not None},
    }
    event, errors = parse_event(raw)
    if event is None:
        raise ValidationError("申请数据不符合数据交换规范", errors)
    return event


# --------------------------------------------------------------------------- starting cases


def submit_application(
    stores: Stores, principal: Principal, body: ApplicationIn, now: datetime, sfn: Any | None = None
) -> dict[str, Any]:
    """网上申办: record the submission (source ``hall``) and start the application-driven machine."""
    code = _code(body.item_code)
    dept = code[6:9]
    window = _is_staff_of(principal, dept)
    if body.submitted_at is not None and not window:
        raise ValidationError(
            "只有本部门窗口工作人员可以补录申请时间",
            [field_error("submitted_at", "网上申请以提交时刻为准，不能指定申请时间", "forbidden")],
        )
    at = body.submitted_at or now
    process.check_time(at, not_before=None, now=now)
    version, steps, task_limits = _prepare(stores, code, at)
    machine = process.machine_for(version.item.category)
    if machine not in ("license", "service"):
        raise ValidationError(
            f"事项 {code} 不接受网上申请",
            [field_error("item_code", "行政处罚、行政强制等事项不通过网上申办启动", "not_applicable")],
        )
    case_no, run = _create_run(stores, version, machine, at, steps, task_limits)
    password = _password()
    event = _submitted_event(
        case_no,
        code,
        at,
        {
            "applicant": body.applicant.model_dump(exclude_none=True),
            "channel": "window" if window else "online",
            "materials": body.materials,
            "project_name": body.project_name,
            "query_password": password,
        },
    )
    exchange.append(stores, case_no, [(0, event)], now, "hall", owner=version.item.dept_code)
    # The receipt answers the progress query at once (docs/CONTRACT.md §7 v2): project the case now
    # instead of waiting for the event stream (whose consumer then finds the view up to date).
    projection.apply(stores, case_no)
    _start(stores, run, version, steps, task_limits, at, sfn, now)
    return {
        "case_no": case_no,
        "query_password": password,
        "item_code": code,
        "item_version": version.version,
        "submitted_at": at.isoformat(),
    }


def open_penalty_case(
    stores: Stores, principal: Principal, body: PenaltyCaseIn, now: datetime, sfn: Any | None = None
) -> dict[str, Any]:
    """受案: start the penalty machine; its first task is 立案 (``open_case``)."""
    code = _code(body.item_code)
    if not _is_staff_of(principal, code[6:9]):
        raise ForbiddenError(
            "只能为本部门的处罚事项受案", [field_error("item_code", f"事项 {code} 不属于本部门", "forbidden")]
        )
    at = body.received_at or now
    process.check_time(at, not_before=None, now=now)
    version, steps, task_limits = _prepare(stores, code, at)
    if process.machine_for(version.item.category) != "penalty":
        raise ValidationError(
            f"事项 {code} 不是行政处罚事项", [field_error("item_code", "应为行政处罚（CF）事项")]
        )
    case_no, run = _create_run(stores, version, "penalty", at, steps, task_limits)
    arn = _start(stores, run, version, steps, task_limits, at, sfn, now)
    return {
        "case_no": case_no,
        "item_code": code,
        "item_version": version.version,
        "execution_arn": arn,
        "received_at": at.isoformat(),
    }


# --------------------------------------------------------------------------- the task worker


def _task_item(body: dict[str, Any], version: int | None = None) -> Item:
    pending = body.get("status") == "pending"
    due = body.get("due_at") or process.UNKNOWN_DUE
    return Item(
        pk=f"RTTASK#{body['case_no']}",
        sk=f"T#{body['task_id']}",
        body=body,
        gsi1pk=f"RTWL#{body['dept_code']}" if pending else None,
        gsi1sk=f"{due}#{body['started_at']}#{body['case_no']}#{body['task_id']}" if pending else None,
        version=version,
    )


def store_task(stores: Stores, message: dict[str, Any]) -> None:
    """Keep one waiting task (from its SQS message) as a pending record for the worklist.

    Idempotent: a redelivered message finds its record and changes nothing. A deadline that
    follows the case (``due_rule`` ``case_due``) is read from the event log, since a special
    procedure may have moved it after the execution composed the message.
    """
    msg = process.TaskMessage.model_validate(message)
    due = msg.due_at
    if msg.due_rule == "case_due":
        view = projection.build_view(stores, msg.case_no)
        due = view.due if view is not None else due
    body = msg.model_dump(mode="json")
    body.update(
        {
            "task_id": process.task_id(msg.task_token),
            "status": "pending",
            "started_at": msg.started_at.isoformat(),
            "due_at": due.isoformat() if due else None,
            "created_at": datetime.now(UTC).isoformat(),
        }
    )
    try:
        stores.table(TABLE).put(_task_item(body), if_absent=True)
    except ConditionFailedError:
        log.info("task %s of %s already stored", body["task_id"], msg.case_no)


def _tasks_of(stores: Stores, case_no: str) -> list[Item]:
    return stores.table(TABLE).query(f"RTTASK#{case_no}", "T#", limit=500).items


def _public_task(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "task_token"}


def _refresh_dues(stores: Stores, case_no: str, view: CaseView | None, calendar: Calendar) -> None:
    """After a special procedure moved the clock, recompute every pending task's deadline."""
    pauses = _pauses(view)
    for it in _tasks_of(stores, case_no):
        body = it.body
        if body.get("status") != "pending":
            continue
        due = process.task_due(
            calendar,
            due_rule=str(body.get("due_rule")),
            started_at=datetime.fromisoformat(body["started_at"]),
            limit_days=(body.get("step") or {}).get("limit_days"),
            case_due=view.due if view else None,
            pauses=pauses,
        )
        new = due.isoformat() if due else None
        if new == body.get("due_at"):
            continue
        body["due_at"] = new
        try:
            stores.table(TABLE).put(_task_item(body, it.version), expected_version=it.version)
        except ConditionFailedError:
            log.info(
                "task %s changed meanwhile; its deadline is refreshed by its own action", body["task_id"]
            )


# --------------------------------------------------------------------------- the worklist


def worklist(
    stores: Stores,
    principal: Principal,
    *,
    as_of: datetime,
    dept_code: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """A user's pending tasks in their department for their roles, least remaining time first."""
    dept = principal.dept_code
    roles = frozenset(principal.roles & STAFF_ROLES)
    if dept_code is not None and dept_code != dept:
        raise ForbiddenError(
            "只能查看本部门的待办", [field_error("query.dept_code", "不是本部门", "forbidden")]
        )
    if not dept:
        raise ValidationError(
            "请指定部门", [field_error("query.dept_code", "管理员查看待办须指定 dept_code", "missing")]
        )
    try:
        offset = int(cursor) if cursor else 0
        if offset < 0:
            raise ValueError
    except ValueError:
        raise ValidationError("分页游标无效", [field_error("query.cursor", "游标无效", "invalid")]) from None
    table = stores.table(TABLE)
    found: list[dict[str, Any]] = []
    page_cursor: str | None = None
    while len(found) < MAX_WORKLIST:
        page = table.query(f"RTWL#{dept}", index="gsi1", limit=500, cursor=page_cursor)
        found.extend(
            i.body for i in page.items if i.body.get("status") == "pending" and i.body.get("role") in roles
        )
        page_cursor = page.next
        if not page_cursor:
            break
    calendar = wiring.calendar()
    day = process.business_day(as_of)
    ordered = process.worklist_order(found)
    window = ordered[offset : offset + limit]
    items = []
    for body in window:
        due = date.fromisoformat(body["due_at"]) if body.get("due_at") else None
        items.append(
            {
                **_public_task(body),
                "kind_name": process.TASK_KINDS.get(str(body.get("kind")), ""),
                "remaining_working_days": process.remaining_working_days(calendar, due, day),
                "colour": process.colour(calendar, due, day),
            }
        )
    nxt = str(offset + limit) if offset + limit < len(ordered) else None
    dues = [date.fromisoformat(b["due_at"]) for b in window if b.get("due_at")]
    warning = provisional_warning([y for y in unknown_years(calendar, [day, *dues]) if y >= day.year])
    return {"items": items, "next": nxt, "as_of": as_of.isoformat(), "dept_code": dept,
            "warnings": [warning] if warning else []}


def case_tasks(stores: Stores, principal: Principal, case_no: str) -> dict[str, Any]:
    """Every task of a natively run case, pending and done, in the order they began."""
    run = _get_run(stores, case_no).body
    depts = {run["dept_code"], *run.get("co_departments", [])}
    if principal.is_department_scoped and principal.dept_code not in depts:
        raise ForbiddenError("只能查看本部门的办件")
    tasks = sorted(
        (_public_task(i.body) for i in _tasks_of(stores, case_no)),
        key=lambda t: (str(t.get("started_at")), str(t.get("created_at"))),
    )
    return {
        "case_no": case_no,
        "machine": run["machine"],
        "item_code": run["item_code"],
        "item_version": run["item_version"],
        "execution_arn": run.get("execution_arn"),
        "items": tasks,
        "next": None,
    }


# --------------------------------------------------------------------------- actions


def _actor(principal: Principal, action: process.Action) -> dict[str, Any]:
    given = action.actor.model_dump(exclude_none=True) if action.actor else {}
    return {"name": principal.username or principal.actor_name, **given}


def _pick_task(stores: Stores, principal: Principal, run: dict[str, Any], action: process.Action) -> Item:
    candidates = [
        i
        for i in _tasks_of(stores, run["case_no"])
        if i.body.get("status") == "pending" and action.action in (i.body.get("actions") or [])
    ]
    if action.task_id:
        candidates = [i for i in candidates if i.body.get("task_id") == action.task_id]
    candidates = [i for i in candidates if i.body.get("dept_code") == principal.dept_code]
    if not candidates:
        raise ConflictError(
            f"办件当前没有可以执行「{action.action}」的待办任务",
            [field_error("action", "当前环节不能执行该操作（或上一步尚在流转，请稍后刷新待办）", "conflict")],
        )
    mine = [i for i in candidates if i.body.get("role") in principal.roles]
    if not mine:
        role = candidates[0].body.get("role")
        raise ForbiddenError(
            "当前角色不能办理该环节", [field_error("action", f"该环节须由 {role} 办理", "forbidden")]
        )
    mine.sort(key=lambda i: (i.body.get("dept_code") != run["dept_code"], str(i.body.get("started_at"))))
    return mine[0]


def _registries(
    stores: Stores, action: process.Action, view: CaseView | None
) -> tuple[dict[str, Officer | None], dict[str, date | None]]:
    from .rules import Registry

    registry = Registry(stores)
    ids: list[str] = []
    if isinstance(action, process.OpenCaseAction):
        ids = list(action.officers)
    elif isinstance(action, process.DecideAction) and view is not None and view.penalty is not None:
        ids = list(view.penalty.officers)
    officers = {i: registry.officer(i) for i in dict.fromkeys(ids) if i}
    repealed: dict[str, date | None] = {}
    if isinstance(action, process.DecideAction):
        for basis_id in action.basis_ids:
            basis = registry.basis(basis_id)
            repealed[basis_id] = basis.repealed_on if basis else None
    return officers, repealed


def _type_counts(stores: Stores, case_no: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for marker in stores.table("events").query(exchange.case_pk(case_no), "ID#", limit=1000).items:
        event_id = str(marker.body.get("event_id", ""))
        prefix = f"{case_no}-"
        if event_id.startswith(prefix):
            etype = event_id[len(prefix) :].rsplit("-", 1)[0]
            counts[etype] = counts.get(etype, 0) + 1
    return counts


def act(
    stores: Stores,
    principal: Principal,
    case_no: str,
    raw: dict[str, Any],
    now: datetime,
    sfn: Any | None = None,
) -> dict[str, Any]:
    """Take one action on a natively run case (``POST /cases/{case_no}/actions``)."""
    run_item = _get_run(stores, case_no)
    run = run_item.body
    action = process.parse_action(raw)
    depts = {run["dept_code"], *run.get("co_departments", [])}
    if principal.dept_code not in depts:
        raise ForbiddenError(
            "只能办理本部门的办件", [field_error("case_no", "办件不属于本部门", "forbidden")]
        )
    version = _bound_version(stores, run)
    view = projection.build_view(stores, case_no)
    at = action.at or now
    task_item: Item | None = None
    if action.action in process.SIDE_ACTIONS:
        if principal.dept_code != run["dept_code"]:
            raise ForbiddenError("特别程序只能由主办部门启动或结束")
        not_before = view.accepted_at if view else None
    else:
        task_item = _pick_task(stores, principal, run, action)
        not_before = datetime.fromisoformat(task_item.body["started_at"])
    process.check_time(at, not_before=not_before, now=now)
    calendar = wiring.calendar()
    from .rules import rule_config

    officers, repealed = _registries(stores, action, view)
    ctx = process.ActionContext(
        case_no=case_no,
        item=version,
        at=at,
        actor=_actor(principal, action),
        view=view,
        task=task_item.body if task_item else None,
        calendar=calendar,
        cfg=rule_config(),
        type_counts=_type_counts(stores, case_no),
        officers=officers,
        repealed=repealed,
    )
    outcome = process.apply_action(action, ctx)
    if task_item is None:
        _append(stores, run, outcome.events, now)
        after = projection.build_view(stores, case_no)
        _refresh_dues(stores, case_no, after, calendar)
        return _answer(case_no, action, outcome.events, None, after)
    claimed = _claim(stores, task_item)
    try:
        _append(stores, run, outcome.events, now)
        after = projection.build_view(stores, case_no)
        due = date.fromisoformat(claimed.body["due_at"]) if claimed.body.get("due_at") else None
        day = process.business_day(at)
        late_days = process.lateness(calendar, due, day)
        ladder = process.workday_ladder(calendar, day, int(run.get("ladder_len") or 1), _pauses(after))
        output = process.clock(
            action=action.action,
            at=at,
            ladder=ladder,
            case_due=after.due if after else None,
            due_at=due,
            late_days=late_days,
            extra=outcome.extra,
        )
        output["wait"] = task_waits.for_clock(output, now)
        _resume(sfn, claimed.body["task_token"], output)
    except Exception:
        _release(stores, claimed)
        raise
    claimed.body.update(
        {
            "status": "done",
            "action": action.action,
            "completed_at": at.isoformat(),
            "late_days": late_days,
            "completed_by": principal.actor_name,
            "opinion": getattr(action, "opinion", None),
        }
    )
    stores.table(TABLE).put(_task_item(claimed.body, claimed.version), expected_version=claimed.version)
    answer = _answer(case_no, action, outcome.events, claimed.body, after)
    answer.update({"late": late_days > 0, "late_days": late_days})
    return answer


def _append(stores: Stores, run: dict[str, Any], events: list[ExchangeEvent], now: datetime) -> None:
    """The action's events go into the case's log under the lead department's ownership (co-handling
    departments act on the lead department's case)."""
    if events:
        exchange.append(stores, run["case_no"], list(enumerate(events)), now, "runtime", owner=run["dept_code"])


def _claim(stores: Stores, task_item: Item) -> Item:
    """Take the task so that two people cannot resume it twice."""
    body = {**task_item.body, "status": "resuming"}
    try:
        stored = stores.table(TABLE).put(
            _task_item(body, task_item.version), expected_version=task_item.version
        )
    except ConditionFailedError:
        raise ConflictError("该待办任务已被他人处理") from None
    return Item(
        pk=stored.pk,
        sk=stored.sk,
        body=body,
        gsi1pk=stored.gsi1pk,
        gsi1sk=stored.gsi1sk,
        version=stored.version,
    )


def _release(stores: Stores, claimed: Item) -> None:
    body = {**claimed.body, "status": "pending"}
    try:
        stores.table(TABLE).put(_task_item(body, claimed.version), expected_version=claimed.version)
    except ConditionFailedError:
        log.warning("could not release task %s", body.get("task_id"))


def _resume(sfn: Any | None, token: str, output: dict[str, Any]) -> None:
    try:
        _sfn(sfn).send_task_success(taskToken=token, output=json.dumps(output, ensure_ascii=False))
    except Exception as exc:  # a botocore ClientError; services never import botocore (docs/DESIGN.md §4.3)
        response = getattr(exc, "response", None) or {}
        if response.get("Error", {}).get("Code") in ("TaskDoesNotExist", "InvalidToken", "TaskTimedOut"):
            raise ConflictError("流程任务已失效，请刷新待办后重试") from None
        raise


def _answer(
    case_no: str,
    action: process.Action,
    events: list[ExchangeEvent],
    task: dict[str, Any] | None,
    view: CaseView | None,
) -> dict[str, Any]:
    return {
        "case_no": case_no,
        "action": action.action,
        "event_ids": [e.event_id for e in events],
        "task_id": task.get("task_id") if task else None,
        "due_at": task.get("due_at") if task else None,
        "status": view.status if view else None,
        "due": view.due.isoformat() if view and view.due else None,
    }
