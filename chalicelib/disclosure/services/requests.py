"""依申请公开: requests from the hall, the applicant's progress query, the department's handling.

* ``submit_request`` — the hall's form (or staff registering a request made in person, by letter,
  fax or e-mail): the log's first record, the summary and the ``disclosure_received`` counter in
  one transaction; the receipt carries the number and the password (kept only as a keyed hash).
* ``public_request`` — progress with number and password; a wrong password is an unknown request
  (404), and repeated wrong guesses lock the request's query for a while (429).
* ``staff_request`` / ``list_requests`` — the department's own requests (监察局 and the legal
  office see every department's), with overdue flags as of an instant.
* ``act`` — answer, extend, clarify/clarified, consult_start/consult_end, withdraw: the lifecycle
  in ``domain.requests`` decides; each act appends one record and moves ``due``.

Keys: ``disclosure.repositories``; the clock: ``domain.clock``.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from chalicelib.attachments import services as attachments
from chalicelib.cases.services import query_passwords
from chalicelib.identity.domain.roles import Principal
from chalicelib.kernel import chain
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
    field_error,
)
from chalicelib.kernel.periods import local_date, periods_of
from chalicelib.kernel.ports import ConditionFailedError, CounterDelta, Item

from ..domain import terms
from ..domain.clock import receipt_day
from ..domain.passwords import new_password, password_hash, password_ok
from ..domain.requests import DisclosureRequest, mask_applicant, masked_view
from ..domain.summary import RequestSummary, summarize
from ..repositories import Requests
from .models import REQUIRED_FIELDS, WITHDRAW_REASONS, ActionIn, DisclosureRequestIn, RequestListQuery
from .shared import department_name, require_department

DEPT_ROLES = frozenset({"handler", "dept_head", "dept_supervision"})
ACTORS = frozenset({"handler", "dept_head"})
READERS_ALL = frozenset({"supervisor", "legal", "admin"})
REGISTRARS = frozenset({"handler", "dept_head"})


def _counters(dept_code: str, day: date, moves: dict[str, int]) -> list[CounterDelta]:
    return [CounterDelta(p, dept_code, dict(moves)) for p in periods_of(day)]


def _actor(principal: Principal) -> dict[str, Any]:
    if principal.kind == "anonymous":
        return {"kind": "applicant"}
    return {"kind": principal.kind, "username": principal.username, "dept_code": principal.dept_code}


def _record(kind: str, on: date, at: datetime, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "on": on.isoformat(), "at": at.isoformat(), "by": _actor(principal), "data": data}


def _new_no(dept_code: str, day: date) -> str:
    """``GK{yyyymmdd}{dept}{5 digits}``: 公开 + the receipt day + the department + a random tail."""
    return f"GK{day:%Y%m%d}{dept_code}{secrets.randbelow(10**5):05d}"


# --- intake --------------------------------------------------------------------------------------


def _submitted_on(principal: Principal, body: DisclosureRequestIn, now: datetime) -> date:
    """The day the request came in: today for the hall's; staff registering a request made another
    way may give the day it was received, never in the future. (It counts as received on that day,
    or on the next working day when that is a rest day: ``clock.receipt_day``.)"""
    today = local_date(now)
    if body.channel == "online" and body.received_on is None:
        return today
    if principal.kind == "anonymous":
        raise UnauthorizedError("登记当面、信函、传真或电子邮件申请，或指定收到日期，需要工作人员登录")
    if not (principal.roles & REGISTRARS and principal.dept_code == body.dept_code):
        raise ForbiddenError("只有本机关的办理人员可以登记申请")
    day = body.received_on or today
    if day > today:
        raise ValidationError("收到日期不能晚于今天", [field_error("received_on", "不能是将来的日期")])
    return day


def submit_request(deps: Deps, principal: Principal, body: DisclosureRequestIn, key: bytes,
                   now: datetime | None = None) -> dict[str, Any]:
    """Register a request; the receipt (回执) shows the number, the password, the receipt day and the due date."""
    at = now or deps.now()
    require_department(deps, body.dept_code)
    submitted_on = _submitted_on(principal, body, at)
    received_on = receipt_day(deps.calendar, submitted_on)
    files = attachments.verify(deps, principal, body.attachments, "disclosure")
    applicant = body.applicant.model_dump(exclude_none=True)
    password = new_password()
    repo = Requests(deps.stores)
    for _ in range(8):
        no = _new_no(body.dept_code, received_on)
        data = {"request_no": no, "dept_code": body.dept_code, "applicant": applicant,
                "description": body.description, "purpose": body.purpose, "format": body.format,
                "delivery": body.delivery, "channel": body.channel, "received_on": received_on.isoformat(),
                "attachments": files, "password_hash": password_hash(key, no, password)}
        record = _record("received", submitted_on, at, principal, data)
        request = DisclosureRequest.fold([{**record, "seq": 1}])
        summary = summarize(request, deps.calendar)
        try:
            repo.append(no, record, summary, read=None,
                        counters=_counters(body.dept_code, received_on, {"disclosure_received": 1}))
        except ConditionFailedError:  # the number is taken already: draw another
            continue
        attachments.bind(deps, files, owner_kind="disclosure", owner_id=no, dept_code=body.dept_code)
        return {"request_no": no, "query_password": password, "received_on": received_on.isoformat(),
                "due": summary.due.isoformat() if summary.due else None, "status": summary.status,
                "dept_code": body.dept_code, "dept_name": department_name(deps, body.dept_code)}
    raise ConflictError("编号生成冲突，请重试")


# --- the applicant's query -------------------------------------------------------------------------


def public_request(deps: Deps, no: str, password: str | None, key: bytes, now: datetime | None = None) -> dict[str, Any]:
    """The applicant's view with number and password; anything else is 404 (no oracle)."""
    at = now or deps.now()
    query_passwords.check_lock(deps.stores, no, at, "申请")
    records = Requests(deps.stores).records(no)
    request = DisclosureRequest.fold(records) if records else None
    if request is None or not password_ok(key, no, request.password_hash, password):
        if password:
            query_passwords.record_failure(deps.stores, no, at)
        raise NotFoundError("未找到申请或查询密码错误")
    view = request.public_view(deps.calendar)
    view["dept_name"] = department_name(deps, request.dept_code)
    return view


# --- staff -----------------------------------------------------------------------------------------


def _may_read(principal: Principal, dept_code: str) -> bool:
    if principal.roles & READERS_ALL and not principal.is_department_scoped:
        return principal.may_see_dept(dept_code)  # a region's bureau or legal office: its region only (两级)
    return bool(principal.roles & DEPT_ROLES) and principal.dept_code == dept_code


def handles(principal: Principal, dept_code: str) -> bool:
    """Does the principal handle the department's requests (and so see its applicants in full)?"""
    return bool(principal.roles & ACTORS) and principal.dept_code == dept_code


def _load(deps: Deps, no: str) -> tuple[DisclosureRequest, Item]:
    found = Requests(deps.stores).summary(no)
    records = Requests(deps.stores).records(no) if found else []
    if found is None or not records:
        raise NotFoundError("申请不存在")
    return DisclosureRequest.fold(records), found[1]


def staff_request(deps: Deps, principal: Principal, no: str, as_of: datetime | None = None) -> dict[str, Any]:
    """The department's view of one request, with its hash-chained log verified. Those who handle it
    see the applicant in full; department supervision, 监察局 and the legal office see them masked."""
    request, _ = _load(deps, no)
    if not _may_read(principal, request.dept_code):
        raise ForbiddenError("只能查看本机关收到的申请")
    view = request.staff_view(deps.calendar, as_of or deps.now(), with_log=True)
    if not handles(principal, request.dept_code):
        view = masked_view(view)
    view["may_act"] = handles(principal, request.dept_code)
    view["dept_name"] = department_name(deps, request.dept_code)
    head = Requests(deps.stores).head_hash(no)
    report = chain.verify_chain(request.records, head_hash=head)
    view["chain"] = {"verified": report.ok, "head": head, "records": report.length, "problem": report.reason}
    return view


def list_requests(deps: Deps, principal: Principal, query: RequestListQuery) -> dict[str, Any]:
    """Newest first (``sort=due``: the earliest due date first); a department's staff see their own,
    监察局 and the legal office their region's (platform-wide: any department's)."""
    dept = query.dept_code
    if principal.is_department_scoped or not principal.roles & READERS_ALL:
        if dept and dept != principal.dept_code:
            raise ForbiddenError("只能查看本机关收到的申请")
        dept = principal.dept_code
    scope = principal.scope.narrow(dept)  # a region's bureau or legal office: its region's departments (两级)
    dept = dept or scope.single
    as_of = query.as_of or deps.now()
    today = local_date(as_of)
    repo = Requests(deps.stores)

    def keep(s: RequestSummary, row: dict[str, Any]) -> bool:
        if not scope.allows(s.dept_code):
            return False
        if query.status == "pending" and s.closed:
            return False
        if query.status and query.status != "pending" and s.status != query.status:
            return False
        return not query.overdue or bool(row["overdue"])

    def shown(summary: RequestSummary) -> dict[str, Any]:
        row = summary.list_item(as_of)
        row["working_days_left"] = _days_left(deps, summary, today)
        if not handles(principal, summary.dept_code):
            row["applicant_name"] = mask_applicant({"type": summary.applicant_kind,
                                                    "name": summary.applicant_name}).get("name")
        return row

    if query.sort == "due":
        return _by_due(_collect(repo, dept, None, DUE_ORDER_READ_LIMIT, keep, shown)[0], query.limit, as_of)
    # read no more than still fits, so the cursor skips nothing
    out, cursor = _collect(repo, dept, query.cursor, query.limit, keep, shown)
    return {"items": out, "next": cursor if len(out) >= query.limit else None, "as_of": as_of.isoformat()}


def _collect(repo: Requests, dept: str | None, cursor: str | None, want: int,
             keep: Callable[[RequestSummary, dict[str, Any]], bool],
             shown: Callable[[RequestSummary], dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """Up to ``want`` rows that ``keep`` admits, newest received first, and the cursor after the last read."""
    out: list[dict[str, Any]] = []
    while len(out) < want:
        page = repo.page(dept, min(want - len(out), 500), cursor)
        for it in page.items:
            summary = RequestSummary.model_validate(it.body)
            row = shown(summary)
            if keep(summary, row):
                out.append(row)
        cursor = page.next
        if not cursor:
            break
    return out, cursor


def _days_left(deps: Deps, summary: RequestSummary, today: date) -> int | None:
    """Working days from ``today`` to the due date (negative: overdue by that many); None without a running clock."""
    if summary.closed or summary.clock_state != "running" or summary.due is None:
        return None
    if today <= summary.due:
        return deps.calendar.working_days_between(today, summary.due)
    return -deps.calendar.working_days_between(summary.due, today)


#: How many requests a due-date ordering reads at most (a department's open requests are far fewer).
DUE_ORDER_READ_LIMIT = 5000


def _by_due(rows: list[dict[str, Any]], limit: int, as_of: datetime) -> dict[str, Any]:
    """The first ``limit`` of ``rows``, the earliest due date first: running clocks by due date, then those
    whose clock stands still (补正, 征求意见) oldest first, then closed ones, most recently closed first."""

    def order(row: dict[str, Any]) -> tuple[int, str, str, str]:
        if row.get("due"):
            return (0, str(row["due"]), str(row["received_on"]), row["request_no"])
        return (1, str(row["received_on"]), "", row["request_no"])

    closed = sorted((r for r in rows if r.get("closed_on")), key=lambda r: (str(r["closed_on"]), r["request_no"]),
                    reverse=True)
    rows = sorted((r for r in rows if not r.get("closed_on")), key=order) + closed
    return {"items": rows[:limit], "next": None, "total": len(rows), "as_of": as_of.isoformat()}


#: The actions and their fields as the console's forms name them (for messages to staff).
ACTION_LABELS = {"answer": "作出答复", "extend": "延长答复期限", "clarify": "告知补正", "clarified": "登记收到补正",
                 "consult_start": "征求第三方意见", "consult_end": "结束征求意见", "withdraw": "终止办理"}
FIELD_LABELS = {"type": "答复类型", "text": "内容", "working_days": "延长的工作日数", "approver": "批准人",
                "reason": "理由"}


def _shape(body: ActionIn) -> dict[str, Any]:
    missing = [f for f in REQUIRED_FIELDS[body.action] if getattr(body, f) is None]
    if missing:
        act = ACTION_LABELS.get(body.action, body.action)
        raise ValidationError("缺少必填项", [field_error(f, f"{act}须填写{FIELD_LABELS.get(f, f)}", "missing")
                                             for f in missing])
    if body.action == "withdraw" and body.reason_code not in (None, *WITHDRAW_REASONS):
        raise ValidationError("终止理由有误", [field_error("reason_code", "可选：" + "、".join(
            f"{k}（{terms.OTHER_REASONS[k]}）" for k in WITHDRAW_REASONS))])
    return body.model_dump(exclude={"attachments"})


def act(deps: Deps, principal: Principal, no: str, body: ActionIn, now: datetime | None = None) -> dict[str, Any]:
    """One staff action (handler, dept_head of the request's department): a record appended, ``due`` moved."""
    at = now or deps.now()
    request, read = _load(deps, no)
    if not (principal.roles & ACTORS and principal.dept_code == request.dept_code):
        raise ForbiddenError("只有本机关的办理人员可以办理该申请")
    kind, on, data = request.plan(_shape(body), local_date(at), deps.calendar)
    files = attachments.verify(deps, principal, body.attachments, "action")
    if files:
        data["attachments"] = files
    record = _record(kind, on, at, principal, data)
    after = DisclosureRequest.fold([*request.records, {**record, "seq": len(request.records) + 1}])
    summary = summarize(after, deps.calendar)
    moves: list[CounterDelta] = []
    if kind == "answered":
        counts = {"disclosure_answered": 1, **({} if data.get("late") else {"disclosure_on_time": 1})}
        moves = _counters(request.dept_code, on, counts)
    try:
        Requests(deps.stores).append(no, record, summary, read=read, counters=moves)
    except ConditionFailedError:
        raise ConflictError("该申请已被他人办理，请刷新后重试") from None
    attachments.bind(deps, files, owner_kind="disclosure", owner_id=no, dept_code=request.dept_code)
    view = after.staff_view(deps.calendar, at)
    view["dept_name"] = department_name(deps, request.dept_code)
    view["may_act"] = True
    return view
