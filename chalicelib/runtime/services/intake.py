"""Starting natively run cases (运行平台): online applications (网上申办) and penalty case intake (受案).

A case of a department without its own system runs as one execution (name = case number) of
``state_machines/{license,penalty,service}.asl.json`` (``deps.runner``). The bound item version's
confirmed steps are in the execution input; the submission is written as the same exchange event a
department system would send (source ``hall``). Records: ``runtime.repositories``.
"""

from __future__ import annotations

import secrets
import string
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from chalicelib.attachments import services as attachments
from chalicelib.cases.domain.events import ExchangeEvent, parse_event
from chalicelib.cases.repositories import EventLog
from chalicelib.cases.services import exchange, projection, query_passwords
from chalicelib.catalog import services as catalog
from chalicelib.catalog.domain.items import InvalidCodeError, ItemVersion, normalize_code, version_in_force
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError, field_error
from chalicelib.kernel.ports import ConditionFailedError
from chalicelib.servicepoints import services as points

from ..domain import coercion, process, task_waits
from ..repositories import Runs

STAFF_ROLES = frozenset({"handler", "dept_head"})
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")


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
    attachments: list[str] = Field(default_factory=list, max_length=10,
                                   description="ids of uploaded files (POST /attachments, purpose application)")
    channel: Literal["online", "mobile", "window", "service_center", "agency", "post"] | None = Field(
        default=None, description="申办渠道: the hall online/mobile; the department's staff also window, service_center, "
                                  "agency (代办点) or post (default: online, or window for the department's staff)")
    service_point: str | None = Field(default=None, max_length=32,
                                      description="the registered service point taking the application (基层延伸)")


class PenaltyCaseIn(BaseModel):
    """``POST /penalty-cases``: register a penalty case source (受案) and start its procedure."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    item_code: str = Field(max_length=40)
    received_at: AwareDatetime | None = None
    source: str | None = Field(default=None, max_length=100)
    summary: str | None = Field(default=None, max_length=2000)


def _code(raw: str) -> str:
    try:
        return normalize_code(raw)
    except InvalidCodeError as exc:
        raise ValidationError("事项编码格式有误", [field_error("item_code", str(exc))]) from None


def _version_on(deps: Deps, code: str, day: date) -> ItemVersion:
    versions = catalog.versions_of(deps, code)
    if not versions:
        raise NotFoundError(f"事项 {code} 不存在", [field_error("item_code", f"权力目录中没有事项 {code}", "not_found")])
    version = version_in_force(versions, day)
    if version is None:
        raise ValidationError(f"事项 {code} 未经法制办确认或在 {day.isoformat()} 不在有效期内",
                              [field_error("item_code", "事项未确认或不在有效期内，不能办理", "not_in_force")])
    return version


def is_staff_of(principal: Principal, dept_code: str) -> bool:
    return principal.kind == "user" and principal.dept_code == dept_code and bool(principal.roles & STAFF_ROLES)


def _password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(8))


def _create_run(deps: Deps, version: ItemVersion, machine: str, at: datetime, steps: list[dict[str, Any]],
                task_limits: dict[str, int]) -> tuple[str, dict[str, Any]]:
    """A new platform-unique case number (``{region}{dept}{year}W{serial}``), claimed conditionally:
    the run record and the case's HEAD (owned by the item's department) in one transaction, so no
    department system can have reported that number before, nor report it afterwards."""
    year = process.business_day(at).year
    owner = version.item.dept_code
    for _ in range(8):
        case_no = f"{version.code[:9]}{year}W{secrets.randbelow(10**7):07d}"
        run = {
            "case_no": case_no, "machine": machine, "item_code": version.code, "item_version": version.version,
            "dept_code": owner,
            "co_departments": list(version.item.co_departments) if machine == "license" else [],
            "started_at": at.isoformat(), "status": "starting",
            "ladder_len": process.ladder_length(steps, task_limits), "execution_arn": None,
        }
        tx = deps.stores.transaction()
        Runs.claim(tx, run)
        EventLog.claim(tx, case_no, owner)
        try:
            tx.commit()
        except ConditionFailedError:
            continue
        return case_no, run
    raise ConflictError("生成办件编号冲突，请重试")


def _start(deps: Deps, run: dict[str, Any], version: ItemVersion, steps: list[dict[str, Any]],
           task_limits: dict[str, int], at: datetime, now: datetime, extra: dict[str, Any] | None = None) -> str:
    day = process.business_day(at)
    start_clock = process.clock(
        action="submit" if run["machine"] not in ("penalty", "coercion") else "register", at=at,
        ladder=process.workday_ladder(deps.calendar, day, int(run["ladder_len"])), case_due=None)
    start_clock["wait"] = task_waits.for_clock(start_clock, max(at, now))
    payload = process.execution_input(case_no=run["case_no"], version=version, steps=steps,
                                      task_limits=task_limits, clock=start_clock) | (extra or {})
    arn = deps.runner.start(run["machine"], run["case_no"], payload)
    runs = Runs(deps.stores)
    current = runs.get(run["case_no"])
    if current is not None:
        current.body.update({"execution_arn": arn, "status": "running"})
        runs.save(current)
    return arn


def _prepare(deps: Deps, code: str, at: datetime) -> tuple[ItemVersion, list[dict[str, Any]], dict[str, int]]:
    version = _version_on(deps, code, process.business_day(at))
    steps = process.plan_steps(version)
    return version, steps, process.limits(deps.rule_config, process.business_day(at))


def _runtime_event(case_no: str, code: str, etype: str, at: datetime, data: dict[str, Any],
                   what: str = "申请") -> ExchangeEvent:
    """An event the platform writes for a case it runs, checked like a department system's."""
    raw = {"event_id": f"{case_no}-{etype}-1", "case_no": case_no, "item_code": code, "type": etype,
           "occurred_at": at.isoformat(), "data_version": 1, "actor": None,
           "data": {k: v for k, v in data.items() if v is not None}}
    event, errors = parse_event(raw)
    if event is None:
        raise ValidationError(f"{what}数据不符合数据交换规范", errors)
    return event


def submit_application(deps: Deps, principal: Principal, body: ApplicationIn, now: datetime) -> dict[str, Any]:
    """网上申办: record the submission (source ``hall``) and start the application-driven machine."""
    code = _code(body.item_code)
    window = is_staff_of(principal, code[6:9])
    if body.submitted_at is not None and not window:
        raise ValidationError("只有本部门窗口工作人员可以补录申请时间",
                              [field_error("submitted_at", "网上申请以提交时刻为准，不能指定申请时间", "forbidden")])
    at = body.submitted_at or now
    process.check_time(at, not_before=None, now=now)
    version, steps, task_limits = _prepare(deps, code, at)
    machine = process.machine_for(version.item.category)
    if machine not in ("license", "service"):
        raise ValidationError(f"事项 {code} 不接受网上申请",
                              [field_error("item_code", "行政处罚、行政强制等事项不通过网上申办启动", "not_applicable")])
    channel = body.channel or ("window" if window else "online")
    if channel not in ("online", "mobile") and not window:
        raise ValidationError("网上申请的渠道只能是 online 或 mobile",
                              [field_error("channel", "只有本部门工作人员可以登记窗口、便民服务中心、代办点或邮寄收件",
                                           "forbidden")])
    point = points.require_point(deps, body.service_point, code)
    files = attachments.verify(deps, principal, list(dict.fromkeys(body.attachments)), "application")
    case_no, run = _create_run(deps, version, machine, at, steps, task_limits)
    password = _password()
    event = _runtime_event(case_no, code, "submitted", at, {
        "applicant": body.applicant.model_dump(exclude_none=True), "channel": channel, "service_point": point,
        "materials": body.materials, "project_name": body.project_name, "query_password": password,
        "attachments": files or None})
    exchange.append(deps.stores, case_no, [(0, event)], now, "hall", owner=version.item.dept_code,
                    key=query_passwords.key(deps))
    attachments.bind(deps, files, owner_kind="case", owner_id=case_no, dept_code=version.item.dept_code)
    # The receipt answers the progress query at once (docs/CONTRACT.md §7 v2): project the case now
    # instead of waiting for the event stream (whose consumer then finds the view up to date).
    projection.apply(deps, case_no)
    _start(deps, run, version, steps, task_limits, at, now)
    return {"case_no": case_no, "query_password": password, "item_code": code, "item_version": version.version,
            "submitted_at": at.isoformat()}


def open_penalty_case(deps: Deps, principal: Principal, body: PenaltyCaseIn, now: datetime) -> dict[str, Any]:
    """受案: start the penalty machine; its first task is 立案 (``open_case``)."""
    code = _code(body.item_code)
    if not is_staff_of(principal, code[6:9]):
        raise ForbiddenError("只能为本部门的处罚事项受案",
                             [field_error("item_code", f"事项 {code} 不属于本部门", "forbidden")])
    at = body.received_at or now
    process.check_time(at, not_before=None, now=now)
    version, steps, task_limits = _prepare(deps, code, at)
    if process.machine_for(version.item.category) != "penalty":
        raise ValidationError(f"事项 {code} 不是行政处罚事项", [field_error("item_code", "应为行政处罚（CF）事项")])
    case_no, run = _create_run(deps, version, "penalty", at, steps, task_limits)
    arn = _start(deps, run, version, steps, task_limits, at, now)
    return {"case_no": case_no, "item_code": code, "item_version": version.version, "execution_arn": arn,
            "received_at": at.isoformat()}


class CoercionPartyIn(ApplicantIn):
    """当事人 of a coercion case (an organisation unless said otherwise)."""

    type: Literal["person", "org"] = "org"


class CoercionCaseIn(BaseModel):
    """``POST /coercion-cases``: register a coercion case (行政强制立案) and start the 行政强制法's process."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)
    item_code: str = Field(max_length=40)
    party: CoercionPartyIn
    cause: str = Field(min_length=1, max_length=2000, description="事由: the facts and why coercion is needed")
    decision_no: str | None = Field(default=None, max_length=100,
                                    description="强制执行: the 行政决定 the party has not performed (文号)")
    source: str | None = Field(default=None, max_length=100)
    received_at: AwareDatetime | None = None


def open_coercion_case(deps: Deps, principal: Principal, body: CoercionCaseIn, now: datetime) -> dict[str, Any]:
    """行政强制立案: record the party and the cause (申办 + 受理 + the route's 立案 step, the events a
    department system would send for a QZ case) and start ``coercion.asl.json`` on the item's route."""
    code = _code(body.item_code)
    if not is_staff_of(principal, code[6:9]):
        raise ForbiddenError("只能为本部门的行政强制事项立案",
                             [field_error("item_code", f"事项 {code} 不属于本部门", "forbidden")])
    at = body.received_at or now
    process.check_time(at, not_before=None, now=now)
    version, _, task_limits = _prepare(deps, code, at)
    if process.machine_for(version.item.category) != "coercion":
        raise ValidationError(f"事项 {code} 不是行政强制事项", [field_error("item_code", "应为行政强制（QZ）事项")])
    route = coercion.route_for(version)
    step_code, step_name = coercion.stages(route)["qz_open"]
    case_no, run = _create_run(deps, version, "coercion", at, [], task_limits)
    limit = version.item.promised_limit
    facts: list[tuple[str, dict[str, Any]]] = [
        ("submitted", {"applicant": body.party.model_dump(exclude_none=True)}),
        ("accepted", {"status": "accepted", "limit": {"value": limit.value, "unit": limit.unit}}),
        ("step", {"step_code": step_code, "step_name": step_name, "status": "done", "opinion": body.cause,
                  "route": route, "decision_no": body.decision_no, "source": body.source,
                  "measure_type": version.item.category_fields.get("measure_type")}),
    ]
    events = [_runtime_event(case_no, code, etype, at, data, what="立案") for etype, data in facts]
    exchange.append(deps.stores, case_no, list(enumerate(events)), now, "runtime", owner=version.item.dept_code,
                    key=query_passwords.key(deps))
    projection.apply(deps, case_no)
    arn = _start(deps, run, version, [], task_limits, at, now, extra={"route": route})
    return {"case_no": case_no, "item_code": code, "item_version": version.version, "execution_arn": arn,
            "received_at": at.isoformat(), "route": route, "route_name": coercion.ROUTE_NAMES[route]}
