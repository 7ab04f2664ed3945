"""Work waiting in the staff console (工作台演示数据): natively run cases — real Step Functions
executions — stopped at every step in several departments, penalty cases at every stage, signals
explained and not, a pending item version with a visible change, complaints transferred to the
departments, a normative-document filing and a reconsideration — so each demo role signs in to
real work.

Everything goes through the HTTP API as the department's staff would do it, backdated where the
API allows (window staff may enter a paper application's time; every action may state when it
happened, never before its task began): the lights on the worklist and the board come out green,
yellow and red because the clock really ran. Kept apart from ``generator.py`` (the history) and
``loader.py`` (which pushes it) on purpose: this module only acts on what is already loaded.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

log = logging.getLogger("sunlit.devstack.workbench")
TIMEOUT_S = 60.0
SEED = 20261205
NAMES = ["王晓明", "李华", "赵敏", "陈静", "刘洋", "周婷", "吴刚", "孙丽", "郑伟", "冯雪"]
STAFF = ["张科员", "李科员", "王副科长", "刘科长", "陈科员"]
COMPANIES = ["徐州市鑫达商贸有限公司", "徐州恒远物流有限公司", "云龙区好再来餐饮店", "徐州博文文化传播有限公司",
             "铜山区金盛建材经营部"]
OPINIONS = ["材料齐全，符合条件，同意。", "经审查符合规定，拟同意。", "已现场核查，情况属实。"]
EXPLANATIONS = ["该件因申请人补正材料时间较长导致超期，已督促经办人加快办理并完善告知。",
                "系统时间记录有误，实际已按期办结，现提供纸质办结记录备查。",
                "因专家评审安排延误，已调整内部流程，确保后续同类事项按期办结。"]


class WorkbenchError(RuntimeError):
    """A request of the console's demo work failed (the message names it)."""


@dataclass
class Api:
    base: str
    http: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, token: str | None, body: Any = None, ok: tuple[int, ...] = (200, 201, 204),
             params: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = self.http.request(method, self.base + path, json=body, headers=headers, params=params, timeout=TIMEOUT_S)
        if r.status_code not in ok:
            raise WorkbenchError(f"{method} {path} → {r.status_code} {r.text[:400]}")
        return r.json() if r.content else None


@dataclass
class Dept:
    code: str
    tokens: dict[str, str]
    items: list[dict[str, Any]]
    officers: list[dict[str, Any]]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Case:
    """One case driven step by step: each action waits for the task it resumes."""

    def __init__(self, api: Api, dept: Dept, item: dict[str, Any], rng: random.Random, now: datetime):
        self.api, self.dept, self.item, self.rng, self.now = api, dept, item, rng, now
        self.case_no = ""
        self.at = now

    def _task(self, action: str, timeout: float = 45.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.api.call("GET", f"/cases/{self.case_no}/tasks", self.dept.tokens["handler"])
            for t in got["items"]:
                if t.get("status") == "pending" and action in (t.get("actions") or []):
                    return dict(t)
            if time.monotonic() > deadline:
                raise WorkbenchError(f"{self.case_no}: no pending task allows {action}")
            time.sleep(0.25)

    def step(self, action: str, gap_hours: float, **data: Any) -> Case:
        """Take ``action`` ``gap_hours`` after the previous one (never later than a few minutes ago)."""
        return self._step(action, gap_hours, False, data)

    def daytime_step(self, action: str, gap_hours: float, **data: Any) -> Case:
        """The same, at 10:00 Beijing time on a weekday (行政强制法 art.43: no enforcement at night or on holidays)."""
        return self._step(action, gap_hours, True, data)

    def _step(self, action: str, gap_hours: float, daytime: bool, data: dict[str, Any]) -> Case:
        task = self._task(action)
        self.at = min(self.at + timedelta(hours=gap_hours), self.now - timedelta(minutes=5))
        started = datetime.fromisoformat(task["started_at"])
        self.at = max(self.at, started + timedelta(minutes=1))
        if daytime:
            self.at = _daytime(self.at, started)
        body = {"action": action, "task_id": task["task_id"], "at": _iso(self.at),
                "actor": {"name": self.rng.choice(STAFF), "title": "科员" if task["role"] == "handler" else "负责人"}, **data}
        if action == "complete_step":
            body["step_code"] = task["step"]["code"]
            body.setdefault("opinion", self.rng.choice(OPINIONS))
        self.api.call("POST", f"/cases/{self.case_no}/actions", self.dept.tokens[task["role"]], body)
        return self

    def side(self, action: str, gap_hours: float, **data: Any) -> Case:
        """A special procedure (特别程序): no task to resume, only events."""
        self.at = min(self.at + timedelta(hours=gap_hours), self.now - timedelta(minutes=5))
        self.api.call("POST", f"/cases/{self.case_no}/actions", self.dept.tokens["handler"],
                      {"action": action, "at": _iso(self.at), "actor": {"name": self.rng.choice(STAFF)}, **data})
        return self

    def apply(self, days_ago: float) -> Case:
        self.at = self.now - timedelta(days=days_ago)
        name = self.rng.choice(NAMES)
        birth = f"1988{self.rng.randrange(1, 13):02d}{self.rng.randrange(1, 28):02d}"
        applicant = {"type": "person", "name": name, "id_type": "居民身份证",
                     "id_no": f"320302{birth}{self.rng.randrange(1000):03d}X",
                     "phone": f"139{self.rng.randrange(10**8):08d}"}
        got = self.api.call("POST", "/applications", self.dept.tokens["handler"],
                            {"item_code": self.item["code"], "applicant": applicant,
                             "materials": [m["name"] for m in self.item.get("materials", []) if m.get("required")],
                             "submitted_at": _iso(self.at)})
        self.case_no = got["case_no"]
        return self

    def coerce(self, days_ago: float) -> Case:
        """行政强制立案 (POST /coercion-cases): the route follows the item's QZ fields."""
        self.at = self.now - timedelta(days=days_ago)
        party = {"type": "org", "name": self.rng.choice(COMPANIES), "id_type": "统一社会信用代码",
                 "id_no": f"91320300MA{self.rng.randrange(10**7):07d}X"}
        got = self.api.call("POST", "/coercion-cases", self.dept.tokens["handler"],
                            {"item_code": self.item["code"], "party": party, "received_at": _iso(self.at),
                             "cause": "执法检查中发现涉嫌违法的物品和场所，依法需要采取行政强制。",
                             "decision_no": f"徐罚〔{self.now.year}〕{self.rng.randrange(10, 999)}号"})
        self.case_no = got["case_no"]
        return self

    def officer_ids(self, gap: float) -> list[str]:
        on = (self.at + timedelta(hours=gap)).date().isoformat()
        return [o["officer_id"] for o in self.dept.officers if o["valid_from"] <= on <= o["valid_to"]][:2]

    def seize(self, upto: str, extend: bool = False) -> Case:
        """A 查封/扣押 taken through its stages up to ``upto`` (approve, implement, serve, dispose)."""
        self.step("approve_measure", 2, reason="现场检查发现涉嫌违法的物品，存在安全隐患，需立即查封、扣押。")
        if upto == "approve":
            return self
        self.step("implement_measure", 2, officers=self.officer_ids(2), certificates_shown=True, informed=True,
                  statement_heard=True, record_made=True, goods=["涉案物品一批（详见清单）"])
        if upto == "implement":
            return self
        self.step("serve_measure", 1, decision_no=f"徐查封〔{self.now.year}〕{self.rng.randrange(10, 999)}号", term_days=30)
        if extend:
            self.side("extend_measure", 24 * 20, days=30, approver="局长", reason="情况复杂，需送检验机构检验。")
        if upto == "dispose":
            self.step("dispose_measure", 24 * 5, outcome="release", reason="经检验合格，解除查封、扣押。")
        return self

    def enforce(self, upto: str, period_days: int = 10) -> Case:
        """A 强制执行 through 催告, 陈述申辩, 决定, 执行 up to ``upto``."""
        self.step("demand", 20, decision_no=f"徐罚〔{self.now.year}〕{self.rng.randrange(10, 999)}号",
                  period_days=period_days, method="自行拆除", rights_notified=True)
        if upto == "demand":
            return self
        self.step("hear_statement", 48, made=True, content="当事人称正在筹措资金，请求宽限。", opinion="理由不成立，不予采纳。")
        if upto == "statement":
            return self
        self.step("decide_enforcement", 24 * 14, decision_no=f"徐强执〔{self.now.year}〕{self.rng.randrange(10, 99)}号",
                  method="强制拆除")
        if upto == "execute":
            self.daytime_step("execute", 48, method="强制拆除", officers=self.officer_ids(48), result="违法建筑已依法拆除。")
        return self

    def receive(self, days_ago: float) -> Case:
        self.at = self.now - timedelta(days=days_ago)
        got = self.api.call("POST", "/penalty-cases", self.dept.tokens["handler"],
                            {"item_code": self.item["code"], "received_at": _iso(self.at), "source": "日常检查",
                             "summary": "执法人员日常检查中发现涉嫌违法行为，予以受案。"})
        self.case_no = got["case_no"]
        return self

    # ----- a licence's way through the platform --------------------------------------------------
    def accept(self, gap: float = 6) -> Case:
        self.step("accept", gap, materials=[m["name"] for m in self.item.get("materials", [])])
        return self

    def steps(self, n: int, gap: float = 20) -> Case:
        for _ in range(n):
            self.step("complete_step", gap)
        return self

    def conclude(self, gap: float = 4) -> Case:
        result = self.item.get("result_name") or f"{self.item['name']}决定书"
        self.step("conclude", gap, result_code=0, cert_name=result, cert_no=f"{self.item['code'][6:9]}-{self.case_no[-6:]}")
        return self

    # ----- a penalty's procedure ---------------------------------------------------------------------
    def open_case(self, gap: float = 10) -> Case:
        party = {"type": "org", "name": self.rng.choice(COMPANIES), "id_type": "统一社会信用代码",
                 "id_no": f"91320300MA{self.rng.randrange(10**7):07d}X", "in_business": True}
        on = (self.at + timedelta(hours=gap)).date().isoformat()
        valid = [o["officer_id"] for o in self.dept.officers if o["valid_from"] <= on <= o["valid_to"]]
        self.step("open_case", gap, party=party, cause="涉嫌违反相关法律法规规定，经初步调查，予以立案。",
                  officers=valid[:2], source="日常检查")
        return self

    def _penalty_terms(self) -> tuple[list[str], float | None, str | None]:
        pen = self.item.get("penalty") or {}
        tiers = pen.get("tiers") or []
        if "fine" in pen.get("types", []) and tiers:
            tier = tiers[len(tiers) // 2]
            return ["fine"], float(int((float(tier["min"]) + float(tier["max"])) / 2)), tier["tier"]
        return [pen.get("types", ["warning"])[0]], None, None

    def notify(self, gap: float = 30) -> Case:
        types, amount, tier = self._penalty_terms()
        self.step("notify", gap, proposed={"types": types, **({"amount": amount, "tier": tier} if amount else {})},
                  hearing_notified=True)
        return self

    def hearing(self, gap: float = 80) -> Case:
        self.step("hold_hearing", gap, requested=False)
        return self

    def decide(self, bases: list[str], gap: float = 30) -> Case:
        types, amount, tier = self._penalty_terms()
        self.step("decide", gap, decision_no=f"徐罚〔{self.now.year}〕{self.rng.randrange(10, 999)}号", types=types,
                  **({"amount": amount, "tier": tier} if amount else {}), collective_discussion=True, basis_ids=bases)
        return self


def _daytime(at: datetime, not_before: datetime) -> datetime:
    """The latest weekday 10:00 Beijing time not after ``at`` (nor before ``not_before``)."""
    beijing = timedelta(hours=8)
    local = (at + beijing).replace(tzinfo=None)
    day = local.date() if local.hour >= 10 else local.date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) - beijing
    return max(moment, not_before + timedelta(minutes=1))


def _enforcement(item: dict[str, Any]) -> bool:
    """An item on the 强制执行 route (the platform decides by the same words: runtime/domain/coercion.py)."""
    text = f"{(item.get('category_fields') or {}).get('measure_type', '')}{item.get('name', '')}"
    return item.get("category") == "QZ" and any(w in text for w in ("拆除", "代履行", "强制执行"))


def _coercion_plans(depts: list[Dept]) -> list[tuple[Dept, dict[str, Any], Callable[[Case], Any]]]:
    """行政强制 cases at every stage: 查封/扣押 in the departments that have such items, 强制执行 in one."""
    plans: list[tuple[Dept, dict[str, Any], Callable[[Case], Any]]] = []
    for d in depts:
        if len(d.officers) < 2:
            continue
        qz = [i for i in d.items if i["category"] == "QZ"]
        demolish = [i for i in qz if _enforcement(i)]
        seize = [i for i in qz if i not in demolish]
        if seize:
            plans += [
                (d, seize[0], lambda c: c.coerce(0.5)),                               # 报告批准 (head)
                (d, seize[-1], lambda c: c.coerce(3).seize("approve")),               # 实施
                (d, seize[0], lambda c: c.coerce(12).seize("serve")),                 # 期限内解除/处理
                (d, seize[-1], lambda c: c.coerce(26).seize("serve", extend=True)),   # extended once
                (d, seize[0], lambda c: c.coerce(40).seize("dispose")),               # released
            ]
        if demolish:
            plans += [
                (d, demolish[0], lambda c: c.coerce(2)),                              # 催告
                (d, demolish[0], lambda c: c.coerce(6).enforce("statement")),         # 决定: period still running
                (d, demolish[0], lambda c: c.coerce(30).enforce("statement")),        # 决定 (head)
                (d, demolish[0], lambda c: c.coerce(9).enforce("demand").side(
                    "suspend_enforcement", 24, ground="hardship", reason="当事人暂无履行能力，经核实属实。")),  # 中止
                (d, demolish[0], lambda c: c.coerce(35).enforce("execute")),          # 执行完毕
            ]
    return plans


def _departments(api: Api, admin: str, password: str, codes: list[str], main: str, login: Callable[[str], str]) -> list[Dept]:
    out = []
    for code in codes:
        tokens: dict[str, str] = {}
        for role, label in (("handler", "办理人"), ("dept_head", "部门负责人")):
            name = f"demo-{'handler' if role == 'handler' else 'head'}"
            if code == main:
                tokens[role] = login(name)
                continue
            username = f"{name}-{code}"
            got = api.call("POST", "/admin/users", admin, {"username": username, "roles": [role], "dept_code": code,
                                                           "password": password, "display_name": f"演示{label}（{code}）"},
                           ok=(201, 409))
            tokens[role] = got["token"] if got and got.get("token") else login(username)
        items = api.call("GET", "/catalog/items", None, params={"dept_code": code, "limit": 500})["items"]
        officers = api.call("GET", "/legal/officers", tokens["handler"], params={"dept_code": code})["items"]
        out.append(Dept(code, tokens, items, officers))
    return out


def _licence_plans(d: Dept, full: bool) -> list[tuple[dict[str, Any], Callable[[Case], Any]]]:
    """(item, script) pairs: where each licence case should stop. ``full``: every step (the main department)."""
    licences = [i for i in d.items if i["category"] in ("XK", "SP", "QR", "JL", "GF", "CJ", "QT", "ZS")]
    service = [i for i in d.items if i["category"] == "FW"]
    if not licences:
        return []
    pick = lambda n: licences[n % len(licences)]  # noqa: E731 - a tiny local chooser
    plans: list[tuple[dict[str, Any], Callable[[Case], Any]]] = [
        (pick(0), lambda c: c.apply(16).accept(20).steps(1, 30)),             # at step 2, the most overdue
        (pick(1), lambda c: c.apply(9)),                                       # acceptance overdue (red)
        (pick(2), lambda c: c.apply(0.2)),                                     # just submitted (green)
        (pick(0), lambda c: c.apply(6).accept(3).steps(2, 30)),                # at the head's approval
        (pick(1), lambda c: c.apply(4).accept(2)),                             # at step 1
    ]
    if full:
        plans += [
            (pick(2), lambda c: c.apply(5).step("request_supplement", 20, reason="缺少材料，请一次性补齐。",
                                                 missing_materials=[m["name"] for m in c.item.get("materials", [])[:1]]
                                                 or ["身份证明"])),
            (pick(0), lambda c: c.apply(20).accept(10).steps(3, 40)),          # waiting for the conclusion
            (pick(1), lambda c: c.apply(25).accept(10).steps(3, 40).conclude(20)),  # waiting for delivery
            (pick(2), lambda c: c.apply(8).accept(10).side("start_special", 10, kind="B", name="专家评审",
                                                            reason="需组织专家对申请材料进行技术评审",
                                                            limit={"value": 10, "unit": "working_day"})),
            (pick(0), lambda c: c.apply(30).accept(8).steps(3, 30).conclude(10).step("deliver", 10, mode="window")),  # done
            (pick(1), lambda c: c.apply(7).step("reject", 20, reason="申请事项不属于本机关职权范围，已告知向有关机关申请。")),
        ]
    if service:
        plans.append((service[0], lambda c: c.apply(3).accept(4)))
    return plans


def _penalty_plans(d: Dept, bases: set[str]) -> list[tuple[dict[str, Any], Callable[[Case], Any]]]:
    items = [i for i in d.items if i["category"] == "CF"]
    if not items or len(d.officers) < 2:
        return []
    item = max(items, key=lambda i: sum(1 for b in i.get("legal_basis", []) if b["id"] not in bases))
    usable = [b["id"] for b in item.get("legal_basis", []) if b["id"] not in bases]
    n = len(item.get("steps", []))
    # Each stage starts early enough for the case's own deadlines to have run, not so early that
    # the late stages dwarf everything else on the worklist (gaps in hours: 立案 24, each step 20,
    # 告知 24, 听证 100, 决定 48, 送达 24, 执行 72).
    plans: list[tuple[dict[str, Any], Callable[[Case], Any]]] = [
        (item, lambda c: c.receive(10)),                                            # 立案 overdue
        (item, lambda c: c.receive(6).open_case(24).steps(2, 30)),                  # investigating
        (item, lambda c: c.receive(9).open_case(24).steps(n, 20)),                  # 事先告知
        (item, lambda c: c.receive(12).open_case(24).steps(n, 20).notify(24)),      # 听证 window
    ]
    if usable:
        plans += [
            (item, lambda c: c.receive(15).open_case(24).steps(n, 20).notify(24).hearing(100)),  # 决定 (head)
            (item, lambda c: c.receive(16).open_case(24).steps(n, 20).notify(24).hearing(100).decide(usable, 48)),  # 送达
            (item, lambda c: c.receive(18).open_case(24).steps(n, 20).notify(24).hearing(100).decide(usable, 48)
             .step("serve", 24, mode="direct")),                                    # 执行
            (item, lambda c: c.receive(22).open_case(24).steps(n, 20).notify(24).hearing(100).decide(usable, 48)
             .step("serve", 24, mode="direct").step("enforce", 72, paid_amount=c._penalty_terms()[1])),  # 结案
        ]
    return plans


def seed(api_url: str, admin_token: str, password: str, main_dept: str, *, extra_depts: int = 2,
         now: datetime | None = None, log_fn: Callable[[str], None] = print) -> dict[str, Any]:
    """Put the console's demo work in place; returns counts. Failures of single cases are reported
    and skipped (a demo with one case fewer is still a demo)."""
    started = time.monotonic()
    api = Api(api_url.rstrip("/"))
    at = now or datetime.now(UTC)
    rng = random.Random(SEED)

    def login(username: str) -> str:
        return str(api.call("POST", "/auth/login", None, {"username": username, "password": password})["access_token"])

    supervisor = login("demo-supervisor")
    repealed = {b["id"] for b in api.call("GET", "/legal/bases", supervisor, params={"repealed": "true"})["items"]}
    candidates = [d["code"] for d in api.call("GET", "/departments", None)["items"]
                  if d.get("level") == "city" and d["code"] != main_dept]
    def has_penalties(code: str) -> bool:
        return any(i["category"] == "CF" for i in api.call("GET", "/catalog/items", None, params={"dept_code": code})["items"])

    with_penalties = [c for c in candidates if has_penalties(c)]
    codes = [main_dept, *with_penalties[:extra_depts]]
    # 行政强制 (issue #18): the department that has an enforcement item (强制拆除…) joins as well
    enforcing = [c for c in candidates if c not in codes and any(
        _enforcement(i) for i in api.call("GET", "/catalog/items", None, params={"dept_code": c, "category": "QZ"})["items"])]
    codes += enforcing[:1]
    depts = _departments(api, admin_token, password, codes, main_dept, login)
    jobs: list[tuple[Dept, dict[str, Any], Callable[[Case], Any], bool]] = []
    for d in depts:
        jobs += [(d, item, script, False) for item, script in _licence_plans(d, full=d.code == main_dept)]
        plans = _penalty_plans(d, repealed)
        jobs += [(d, item, script, True) for item, script in (plans if d.code == main_dept else plans[:3])]
    jobs += [(d, item, script, False) for d, item, script in _coercion_plans(depts)]
    ok, failed = 0, 0

    def run(job: tuple[Dept, dict[str, Any], Callable[[Case], Any], bool], k: int) -> bool:
        d, item, script, _penalty = job
        case = Case(api, d, item, random.Random(SEED + k), at)
        try:
            script(case)
            return True
        except Exception as exc:  # noqa: BLE001 - one case fewer still makes a demo; say which and why
            log_fn(f"workbench: a demo case of {d.code} ({case.case_no or item['code']}) stopped early: {exc}")
            return False

    with ThreadPoolExecutor(max_workers=6) as pool:
        for done in pool.map(run, jobs, range(len(jobs))):
            ok, failed = ok + int(done), failed + int(not done)
    explained = _explain_some(api, depts, rng)
    transferred = _transfer_complaints(api, supervisor, codes)
    letters = _issue_letters(api, supervisor, at)
    declared = _declare_version(api, depts[0])
    registers = _legal_registers(api, login("demo-legal"), depts[0])
    log_fn(f"workbench: {ok} native cases in {len(codes)} departments ({failed} stopped early), {explained} signals "
           f"explained, {transferred} complaints transferred, {letters} 监察建议书, {declared} version declared, "
           f"{registers} legal records "
           f"({time.monotonic() - started:.0f} s)")
    return {"cases": ok, "failed": failed, "departments": codes, "explained": explained, "transferred": transferred}


def _explain_some(api: Api, depts: list[Dept], rng: random.Random) -> int:
    """Each department explains some of its open red signals; the others stay unexplained."""
    done = 0
    for d in depts:
        open_red = api.call("GET", "/supervision/signals", d.tokens["dept_head"],
                            params={"status": "open", "level": "red", "limit": 20})["items"]
        for s in open_red[: max(1, len(open_red) // 2)]:
            api.call("POST", f"/supervision/signals/{s['signal_id']}/explanation", d.tokens["dept_head"],
                     {"explanation": rng.choice(EXPLANATIONS)}, ok=(200, 409))
            done += 1
    return done


def _transfer_complaints(api: Api, supervisor: str, codes: list[str]) -> int:
    """The supervision bureau accepts the complaints about these departments and transfers half of them."""
    moved = 0
    for code in codes:
        for c in api.call("GET", "/complaints", supervisor, params={"status": "received", "dept_code": code})["items"][:2]:
            api.call("POST", f"/complaints/{c['complaint_no']}/decision", supervisor, {"decision": "accept"}, ok=(200, 409))
            if moved % 2 == 0:
                api.call("POST", f"/complaints/{c['complaint_no']}/transfer", supervisor,
                         {"reply_working_days": 5, "note": "请核实情况并于期限内书面答复。"}, ok=(200, 409))
            moved += 1
    return moved


def _issue_letters(api: Api, supervisor: str, now: datetime) -> int:
    """The last quarter's 监察建议书 to every department graded 不合格."""
    quarter = (now.astimezone().month - 1) // 3
    period = f"{now.year}Q{quarter}" if quarter else f"{now.year - 1}Q4"
    got = api.call("POST", f"/supervision/evaluation/{period}/letters", supervisor, {}, ok=(200, 409))
    return int((got or {}).get("issued", 0) + (got or {}).get("already_issued", 0))


def _declare_version(api: Api, d: Dept) -> int:
    """A new version of one of the department's penalty items: shorter case limit, clearer tiers."""
    items = [i for i in d.items if i["category"] == "CF" and (i.get("penalty") or {}).get("tiers")]
    if not items:
        return 0
    base = items[0]
    keep = ("code", "name", "category", "dept_code", "legal_basis", "conditions", "materials", "statutory_limit",
            "promised_limit", "fee", "steps", "place", "phone", "supervision_phone", "risk_points", "penalty", "keywords",
            "co_departments", "result_name")
    body = {k: base[k] for k in keep if k in base and base[k] is not None}
    pen = dict(body["penalty"])
    pen["case_limit_days"] = max(30, int(pen.get("case_limit_days") or 90) - 30)
    pen["tiers"] = [{**t, "conditions": t.get("conditions") or f"{t['tier']}：依违法情节、后果和改正情况适用"}
                    for t in pen["tiers"]]
    body["penalty"] = pen
    body["keywords"] = [*body.get("keywords", []), "裁量基准"]
    api.call("POST", "/catalog/items", d.tokens["handler"], body)
    return 1


def _legal_registers(api: Api, legal: str, d: Dept) -> int:
    """A normative-document filing for the department and a reconsideration of one of its decisions."""
    today = datetime.now(UTC).astimezone().date()
    count = 0
    api.call("POST", "/legal/normative-documents", d.tokens["dept_head"], {
        "doc_no": f"徐规〔{today.year}〕{d.code}号", "title": "关于进一步规范行政审批服务的若干规定", "dept_code": d.code,
        "published_on": (today - timedelta(days=12)).isoformat(), "effective_on": (today + timedelta(days=20)).isoformat(),
        "parts": {"filing_report": "关于报送规范性文件备案的报告", "official_text": "（正式文本略）",
                  "explanatory_note": "起草说明：依据上位法规定，结合本市实际制定。", "legal_office_opinion": "经审核，合法。"}},
             ok=(201, 409))
    count += 1
    decided = api.call("GET", "/results", None, params={"dept_code": d.code, "kind": "penalty", "limit": 5})["items"]
    if decided:
        api.call("POST", "/legal/reconsiderations", legal, {
            "ref_no": f"徐复〔{today.year}〕{d.code}01号", "case_no": decided[0]["case_no"], "applicant": "某公司",
            "request": "请求撤销原处罚决定", "learned_on": (today - timedelta(days=10)).isoformat(),
            "applied_on": (today - timedelta(days=3)).isoformat()}, ok=(201, 400, 409))
        count += 1
    return count
