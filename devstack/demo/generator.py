"""Generate the demo city (演示城市): catalog, officers and a few months of case histories.

``generate(seed, anchor)`` is deterministic: the same seed and anchor always give the same city.
The anchor is "today" of the demo (the caller passes today's Asia/Shanghai date); case histories
cover about 120 days before it and stop before the anchor day begins, so nothing lies in the future.

Working days come from the platform's own calendar (``chalicelib.kernel.calendar.Calendar``), so
a case generated "on time" is on time by the platform's counting rule too.
Every item is a ``POST /catalog/items`` body (docs/CONTRACT.md §4); every event is a ``POST /exchange/events``
event (docs/CONTRACT.md §5).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from chalicelib.kernel.calendar import Calendar, Pause
from devstack.demo import data as ref
from devstack.demo import points

JSON = dict[str, Any]

SHANGHAI = timezone(timedelta(hours=8))
DEFAULT_SEED = 20121
#: Used when the caller passes no anchor; the real caller passes today's Asia/Shanghai date.
DEFAULT_ANCHOR = date(2012, 11, 30)
WINDOW_DAYS = 120
APPLICATION_CASES = (420, 480)
PENALTY_CASES_PER_ITEM = (2, 3)

#: Categories whose items get application-driven cases in the demo (CF has its own lifecycle).
_CASE_CATEGORIES = ("XK", "SP", "QR", "GF", "JL", "QT", "CJ")
_CERT_WORD = {
    "XK": "许",
    "SP": "审",
    "QR": "确",
    "GF": "给",
    "JL": "奖",
    "ZS": "征",
    "QT": "备",
    "CJ": "裁",
    "FW": "服",
    "ZY": "用",
}
_RESULT_DESC = {0: "出证办结", 1: "不予许可", 6: "不予受理"}


@dataclass
class DemoCity:
    """Everything the loader pushes through the public API, in contract shapes."""

    seed: int
    anchor: date
    departments: list[dict[str, str]]
    bases: list[dict[str, Any]]
    officers: list[dict[str, str]]
    items: list[JSON]
    confirmations: list[dict[str, Any]]
    events_by_dept: dict[str, list[JSON]]
    complaints: list[dict[str, Any]]
    evaluations: list[dict[str, str]]
    #: case_no → the scenario the generator meant (on_time, overdue, rejected_no_reason, penalty …).
    scenarios: dict[str, str] = field(default_factory=dict)

    def all_events(self) -> list[JSON]:
        return [e for dept in sorted(self.events_by_dept) for e in self.events_by_dept[dept]]

    def pending(self) -> list[dict[str, Any]]:
        """Declarations with no confirmation: ``{"code", "version"}`` (version = declaration ordinal)."""
        confirmed = {(c["code"], c["version"]) for c in self.confirmations}
        out: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        for item in self.items:
            seen[item["code"]] = seen.get(item["code"], 0) + 1
            if (item["code"], seen[item["code"]]) not in confirmed:
                out.append({"code": item["code"], "version": seen[item["code"]]})
        return out

    def counts(self) -> dict[str, int]:
        events = self.all_events()
        return {
            "departments": len(self.departments),
            "items": len({i["code"] for i in self.items}),
            "declarations": len(self.items),
            "confirmations": len(self.confirmations),
            "officers": len(self.officers),
            "cases": len({e["case_no"] for e in events}),
            "events": len(events),
            "complaints": len(self.complaints),
            "evaluations": len(self.evaluations),
        }


# Small helpers -------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_card_number(region: str, birth: date, serial: int) -> str:
    """A well-formed (fake) 18-digit resident ID number with its ISO 7064 check character."""
    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def credit_code(region: str, org_part: str) -> str:
    """A well-formed (fake) 18-character unified social credit code (统一社会信用代码)."""
    body = f"91{region}{org_part}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _money(value: float) -> float:
    return round(float(value), 2)


@dataclass
class _Item:
    code: str
    template: ref.ItemTemplate
    dept: ref.Department
    versions: list[tuple[date, JSON]]  # confirmed versions: (effective_from, declaration), ascending

    def in_force(self, day: date) -> JSON:
        best: JSON | None = None
        for effective, decl in self.versions:
            if effective <= day:
                best = decl
        if best is None:
            raise ValueError(f"no version of {self.code} in force on {day}")
        return best


@dataclass
class _Person:
    name: str
    staff_no: str
    title: str

    def actor(self) -> dict[str, str]:
        return {"name": self.name, "staff_no": self.staff_no, "title": self.title}


@dataclass
class _Job:
    """A case to write: its first day, kind, item and the scenario it should tell."""

    day: date
    kind: str  # application | penalty
    item: _Item
    scenario: str
    long_pause: bool = False
    start_minute: int = 0  # minutes after 08:30 of the first event


@dataclass
class _Case:
    """One case being written: its number, item and the events so far."""

    case_no: str
    event_prefix: str
    item_code: str
    dept: ref.Department
    events: list[JSON] = field(default_factory=list)
    last: datetime | None = None
    start: datetime | None = None  # when the first event happens
    counts: dict[str, int] = field(default_factory=dict)


class _Generator:
    def __init__(self, seed: int, anchor: date, scale: float = 1.0):
        self.seed = seed
        self.anchor = anchor
        self.scale = scale
        #: Penalty cases per penalty item are ``PENALTY_CASES_PER_ITEM`` times this.
        self.penalty_scale = scale
        #: The departments of the city (the city-size data set adds to them).
        self.department_list: tuple[ref.Department, ...] = ref.DEPARTMENTS
        self.start = anchor - timedelta(days=WINDOW_DAYS)
        self.cal = Calendar()
        self.depts = {d.code: d for d in self.department_list}
        self.serials: dict[tuple[str, int], int] = {}
        self.cert_serials: dict[tuple[str, int], int] = {}
        self.decision_serials: dict[tuple[str, int], int] = {}
        self.staff: dict[str, dict[str, list[_Person]]] = {}
        self.items: dict[str, _Item] = {}
        self.officers: list[dict[str, str]] = []
        self.scenarios: dict[str, str] = {}
        self.case_records: list[dict[str, Any]] = []
        self.next_start: datetime | None = None

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")

    # Calendar ----------------------------------------------------------------------------------------

    def wd_add(self, day: date, n: int) -> date:
        return day if n <= 0 else self.cal.add_working_days(day, n).due

    def workday_on_or_after(self, day: date) -> date:
        return day if self.cal.is_workday(day) else self.cal.next_workday(day)

    def random_workday(self, rng: random.Random, lo: date, hi: date) -> date:
        span = (hi - lo).days
        for _ in range(50):
            day = lo + timedelta(days=rng.randint(0, max(span, 0)))
            if self.cal.is_workday(day):
                return day
        return self.workday_on_or_after(lo)

    def due_date(
        self, accepted: date, limit: dict[str, Any], pauses: list[Pause], extension: int = 0
    ) -> date:
        if limit["unit"] == "working_day":
            return self.cal.add_working_days(accepted, int(limit["value"]), pauses, extension).due
        return self.cal.add_calendar_days(accepted, int(limit["value"]) + extension, pauses).due

    # Reference data ----------------------------------------------------------------------------------

    def departments(self) -> list[dict[str, str]]:
        return [
            {"code": d.code, "name": d.name, "region_code": d.region_code, "level": d.level}
            for d in self.department_list
        ]

    def bases(self) -> list[dict[str, Any]]:
        repealed = {bid: (self.anchor - timedelta(days=days)).isoformat() for bid, days in ref.REPEALED_BASES}
        return [
            {
                "id": bid,
                "title": ref.LAWS[law],
                "article": ref.article_text(art),
                "repealed_on": repealed.get(bid),
            }
            for bid, law, art in ref.BASES
        ]

    def person_name(self, rng: random.Random) -> str:
        given = rng.choice(ref.GIVEN_CHARS) + (rng.choice(ref.GIVEN_CHARS) if rng.random() < 0.7 else "")
        return rng.choice(ref.SURNAMES) + given

    def build_staff(self) -> None:
        rng = self.rng("staff")
        for d in self.department_list:
            pool: dict[str, list[_Person]] = {}
            n = 0
            for role, title, count in (
                ("clerk", "科员", 3),
                ("chief", "科长", 1),
                ("deputy", "副局长", 1),
                ("head", "局长", 1),
            ):
                people = []
                for _ in range(count):
                    n += 1
                    people.append(_Person(self.person_name(rng), f"E{d.code}{n:02d}", title))
                pool[role] = people
            self.staff[d.code] = pool

    def build_officers(self) -> None:
        """执法人员: four per department with penalty items; a few certificates already expired."""
        rng = self.rng("officers")
        expired_in = {"015", "018", "024"}
        enforcing = sorted({t.dept for t in ref.ITEMS if t.category in ("CF", "QZ")})
        for code in enforcing:
            d = self.depts[code]
            total = 5 if code in expired_in else 4
            for n in range(1, total + 1):
                valid_from = self.anchor - timedelta(days=rng.randint(500, 1400))
                if n == 5:
                    valid_to = self.anchor - timedelta(days=rng.randint(130, 200))
                else:
                    valid_to = self.anchor + timedelta(days=rng.randint(200, 1000))
                self.officers.append(
                    {
                        "officer_id": f"ZF{code}{n:03d}",
                        "name": self.person_name(rng),
                        "dept_code": code,
                        "cert_no": f"苏{d.region_code}{code}{n:04d}",
                        "valid_from": valid_from.isoformat(),
                        "valid_to": valid_to.isoformat(),
                    }
                )

    # Catalog -------------------------------------------------------------------------------------------

    def declaration(self, t: ref.ItemTemplate, code: str, promised_extra: int = 0) -> JSON:
        d = self.depts[t.dept]
        stat_default, prom_default, unit_default = ref.DEFAULT_LIMITS[t.category]
        statutory = t.statutory or stat_default
        promised = min(statutory, (t.promised or prom_default) + promised_extra)
        unit = t.unit or unit_default
        steps, risks = self.flow(t.category, promised, unit)
        decl: JSON = {
            "code": code,
            "name": t.name,
            "category": t.category,
            "dept_code": t.dept,
            "legal_basis": [self.basis_ref(bid) for bid in t.bases],
            "conditions": t.conditions or ref.DEFAULT_CONDITIONS[t.category],
            "materials": self.materials(t),
            "statutory_limit": {"value": statutory, "unit": unit},
            "promised_limit": {"value": promised, "unit": unit},
            "fee": (
                {"charged": True, "amount": _money(t.fee[0]), "basis": t.fee[1]}
                if t.fee
                else {"charged": False}
            ),
            "steps": steps,
            "place": d.window,
            "phone": d.phone,
            "supervision_phone": d.supervision_phone,
            "risk_points": risks,
            "penalty": self.penalty(t) if t.penalty else None,
            "keywords": list(t.keywords),
            "co_departments": list(t.co_departments),
            "special_procedures": list(t.special),
            "category_fields": dict(t.fields),
        }
        result_name = t.result_name or ref.DEFAULT_RESULT_NAMES.get(t.category)
        if result_name:
            decl["result_name"] = result_name
        return decl

    def basis_ref(self, basis_id: str) -> dict[str, str]:
        for bid, law, art in ref.BASES:
            if bid == basis_id:
                return {"id": bid, "title": ref.LAWS[law], "article": ref.article_text(art)}
        raise KeyError(basis_id)

    def materials(self, t: ref.ItemTemplate) -> list[JSON]:
        names = t.materials or ref.DEFAULT_MATERIALS[t.category]
        return [{"name": n, "required": not (i >= 4 and i == len(names) - 1)} for i, n in enumerate(names)]

    def flow(self, category: str, promised: int, unit: str) -> tuple[list[JSON], list[JSON]]:
        if category == "CF":
            steps = [
                {"code": c, "name": n, "limit_days": lim, "post": post, "duty": duty}
                for c, n, post, duty, lim in ref.PENALTY_STEPS
            ]
            return steps, self.risks(ref.PENALTY_RISKS, steps)
        if category in ("QZ", "ZY"):
            steps = [
                {"code": c, "name": n, "limit_days": lim, "post": post, "duty": duty}
                for c, n, post, duty, lim in ref.COERCION_STEPS
            ]
            return steps, self.risks(ref.COERCION_RISKS, steps)
        budget = promised if unit == "working_day" else max(3, promised * 5 // 7)
        first = max(1, budget * 2 // 5)
        second = (budget - first) // 2
        limits = (first, second, max(0, budget - first - second))
        table = ref.SERVICE_STEPS if category == "FW" else ref.APPLICATION_STEPS
        steps = [
            {"code": c, "name": n, "limit_days": lim, "post": post, "duty": duty}
            for (c, n, post, duty), lim in zip(table, limits, strict=True)
        ]
        risks = self.risks(ref.APPLICATION_RISKS, steps)
        if category == "FW":
            risks = [dict(r, level=3) for r in risks[:1]]
        return steps, risks

    @staticmethod
    def risks(table: dict[str, tuple[str, int, tuple[str, ...]]], steps: list[JSON]) -> list[JSON]:
        out = []
        for st in steps:
            if st["code"] in table:
                desc, level, controls = table[st["code"]]
                out.append(
                    {
                        "step_code": st["code"],
                        "description": f"{st['name']}环节：{desc}",
                        "level": level,
                        "controls": list(controls),
                        "responsible_role": st["post"],
                    }
                )
        return out

    @staticmethod
    def penalty(t: ref.ItemTemplate) -> JSON:
        p = t.penalty
        assert p is not None
        a, b = p.cuts
        return {
            "types": list(p.types),
            "fine_min": p.fine_min,
            "fine_max": p.fine_max,
            "tiers": [
                {
                    "tier": "light",
                    "min": p.fine_min,
                    "max": a,
                    "conditions": "初次违法，危害后果轻微，并及时改正",
                },
                {"tier": "medium", "min": a, "max": b, "conditions": "违法情节一般，经责令后改正"},
                {
                    "tier": "heavy",
                    "min": b,
                    "max": p.fine_max,
                    "conditions": "违法情节严重，拒不改正或者多次违法",
                },
            ],
            "case_limit_days": 90,
            "violation": p.violation,
        }

    def catalog(self) -> tuple[list[JSON], list[dict[str, Any]]]:
        rng = self.rng("catalog")
        items: list[JSON] = []
        confirmations: list[dict[str, Any]] = []
        year_ago = self.anchor - timedelta(days=365)
        used: dict[tuple[str, str], set[int]] = {}
        for t in ref.ITEMS:
            used.setdefault((t.dept, t.category), set()).update({t.seq} if t.seq else set())
        for t in ref.ITEMS + ref.PENDING_ITEMS:
            seq = t.seq
            if seq is None:
                taken = used.setdefault((t.dept, t.category), set())
                seq = next(n for n in range(1, 1000) if n not in taken)
                taken.add(seq)
            code = f"{self.depts[t.dept].region_code}{t.dept}{t.category}{seq:03d}00"
            if t in ref.PENDING_ITEMS:
                items.append(self.declaration(t, code))
                continue
            info = _Item(code, t, self.depts[t.dept], [])
            if code in ref.TWO_VERSION_CODES:
                v1 = self.declaration(t, code, promised_extra=2)
                v2 = self.declaration(t, code)
                v2_from = self.anchor - timedelta(days=rng.randint(85, 105))
                items += [v1, v2]
                confirmations += [
                    {"code": code, "version": 1, "effective_from": year_ago.isoformat()},
                    {"code": code, "version": 2, "effective_from": v2_from.isoformat()},
                ]
                info.versions = [(year_ago, v1), (v2_from, v2)]
            else:
                decl = self.declaration(t, code)
                effective = year_ago - timedelta(days=rng.randint(0, 200))
                items.append(decl)
                confirmations.append({"code": code, "version": 1, "effective_from": effective.isoformat()})
                info.versions = [(effective, decl)]
            if code in ref.PENDING_VERSION_CODES:
                change = self.declaration(t, code, promised_extra=-2)
                change["keywords"] = change["keywords"] + ["网上办理"]
                items.append(change)
            self.items[code] = info
        return items, confirmations

    # Cases: shared pieces --------------------------------------------------------------------------------

    def new_case(self, item_code: str, dept: ref.Department, first_day: date) -> _Case:
        key = (dept.code, first_day.year)
        self.serials[key] = self.serials.get(key, 0) + 1
        serial = self.serials[key]
        return _Case(
            case_no=f"{dept.region_code}{dept.code}{first_day.year}{serial:06d}",
            event_prefix=f"{dept.code}-{first_day.year}-{serial:06d}",
            item_code=item_code,
            dept=dept,
            start=self.next_start,
        )

    def at(self, rng: random.Random, case: _Case, day: date) -> datetime:
        """A plausible office-hours moment on ``day``, strictly after the case's previous event."""
        if case.last is None and case.start is not None and case.start.date() == day:
            return case.start
        moment = datetime.combine(day, time(8, 30), SHANGHAI) + timedelta(minutes=rng.randint(0, 450))
        if case.last is not None and moment <= case.last:
            moment = case.last + timedelta(minutes=rng.randint(5, 40))
        return moment

    def emit(
        self, rng: random.Random, case: _Case, etype: str, day: date, actor: dict[str, str], payload: JSON
    ) -> datetime:
        moment = self.at(rng, case, day)
        case.last = moment
        case.counts[etype] = case.counts.get(etype, 0) + 1
        n = case.counts[etype]
        suffix = (
            etype
            if etype
            not in ("step", "special_started", "special_ended", "supplement_requested", "supplement_received")
            else f"{etype}-{n}"
        )
        if etype == "step":
            suffix = f"step-{payload['step_code']}"
        case.events.append(
            {
                "event_id": f"{case.event_prefix}-{suffix}",
                "case_no": case.case_no,
                "item_code": case.item_code,
                "type": etype,
                "occurred_at": _iso(moment),
                "data_version": 1,
                "actor": actor,
                "data": payload,
            }
        )
        return moment

    def staff_actor(self, rng: random.Random, dept: str, role: str) -> dict[str, str]:
        return rng.choice(self.staff[dept][role]).actor()

    def company(self, rng: random.Random, dept: ref.Department) -> str:
        region = ref.REGIONS.get(dept.region_code, "徐州")
        place = "徐州" if dept.level == "city" or region.endswith("区") else region.removesuffix("市")
        trade = rng.choice(dept.industries or ("商贸",))
        return f"{place}{rng.choice(ref.COMPANY_WORDS)}{trade}有限公司"

    def party(self, rng: random.Random, dept: ref.Department, kind: str) -> JSON:
        if kind == "mixed":
            kind = "person" if rng.random() < 0.5 else "org"
        phone = rng.choice(ref.MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        if kind == "person":
            county = (
                dept.region_code
                if dept.level == "county"
                else rng.choice(["320302", "320303", "320311", "320312"])
            )
            birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 48))
            return {
                "type": "person",
                "name": self.person_name(rng),
                "id_type": "居民身份证",
                "id_no": id_card_number(county, birth, rng.randint(0, 999)),
                "phone": phone,
            }
        org_part = "".join(rng.choice(_USCC_CHARS) for _ in range(9))
        return {
            "type": "org",
            "name": self.company(rng, dept),
            "id_type": "统一社会信用代码",
            "id_no": credit_code(dept.region_code, org_part),
            "phone": phone,
        }

    def cert_no(self, dept: ref.Department, category: str, year: int) -> str:
        key = (dept.code, year)
        self.cert_serials[key] = self.cert_serials.get(key, 0) + 1
        return f"{dept.prefix}{_CERT_WORD.get(category, '证')}字〔{year}〕第{self.cert_serials[key]:04d}号"

    def finish(self, case: _Case, scenario: str, extra: dict[str, Any] | None = None) -> None:
        cutoff = datetime.combine(self.anchor, time(0, 0), SHANGHAI)
        kept = [e for e in case.events if datetime.fromisoformat(e["occurred_at"]) < cutoff]
        if not kept:
            return
        # A story that continues after the anchor is still open today.
        outcome = "closed" if scenario.startswith("penalty") else "concluded"
        if any(e["type"] == outcome for e in case.events) and not any(e["type"] == outcome for e in kept):
            if scenario == "penalty":
                scenario = "penalty_open"
            elif not scenario.startswith("penalty"):
                scenario = "open"
        case.events = kept
        self.scenarios[case.case_no] = scenario
        record = {
            "case_no": case.case_no,
            "dept_code": case.dept.code,
            "item_code": case.item_code,
            "scenario": scenario,
            "events": case.events,
        }
        record.update(extra or {})
        self.case_records.append(record)

    # Application-driven cases (许可 and the like) -----------------------------------------------------------

    def application_plan(self, rng: random.Random) -> list[str]:
        total = round(rng.randint(*APPLICATION_CASES) * self.scale)
        fixed = (
            ["pause_b"] * 5
            + ["extension_a"] * 2
            + ["rejected_no_reason"] * 2
            + ["refused_no_reason"]
            + ["illegal_fee_free", "illegal_fee_wrong"]
            + ["late_delivery"]
            + ["overdue_statutory"] * 2
            + ["unknown_item"]
        )
        share = {"overdue": 0.075, "supplement": 0.04, "rejected": 0.02, "refused": 0.01, "stalled": 0.02}
        plan = list(fixed)
        for name, fraction in share.items():
            plan += [name] * max(1, round(total * fraction))
        plan += ["on_time"] * max(total - len(plan), 10)
        rng.shuffle(plan)
        return plan

    def case_items(self) -> list[_Item]:
        return [
            i
            for i in self.items.values()
            if i.template.category in _CASE_CATEGORIES and i.template.weight > 0
        ]

    def pick_item(self, rng: random.Random, scenario: str) -> _Item:
        pool = self.candidates(scenario)
        return rng.choices(pool, weights=[i.template.weight for i in pool])[0]

    def candidates(self, scenario: str) -> list[_Item]:
        """The items a case of ``scenario`` may be about."""
        pool = self.case_items()
        if scenario == "pause_b":
            pool = [
                i
                for i in pool
                if i.template.special
                and i.versions[-1][1]["promised_limit"]["unit"] == "working_day"
                and i.versions[-1][1]["promised_limit"]["value"] >= 5
            ]
        elif scenario == "extension_a":
            pool = [
                i
                for i in pool
                if i.template.category == "XK"
                and i.versions[-1][1]["promised_limit"]["unit"] == "working_day"
                and i.versions[-1][1]["promised_limit"]["value"] >= 5
            ]
        elif scenario == "illegal_fee_free":
            pool = [i for i in pool if i.template.category == "XK" and not i.template.fee]
        elif scenario == "illegal_fee_wrong":
            pool = [i for i in pool if i.template.fee]
        elif scenario in ("refused", "refused_no_reason"):
            pool = [i for i in pool if i.template.category in ("XK", "SP")]
        elif scenario == "overdue_statutory":
            pool = [
                i
                for i in pool
                if i.versions[-1][1]["statutory_limit"]["unit"] == "working_day"
                and i.versions[-1][1]["statutory_limit"]["value"] <= 20
            ]
        elif scenario == "unknown_item":
            pool = [self.items["320300016XK00100"]]
        return pool

    def application_jobs(self, rng: random.Random) -> list[_Job]:
        jobs: list[_Job] = []
        pauses = 0
        for scenario in self.application_plan(rng):
            if scenario == "pause_b" and pauses == 0:
                item = self.items["320300015XK00400"]  # the first expert review is on the EIA approval
            else:
                item = self.pick_item(rng, scenario)
            pauses += scenario == "pause_b"
            # Scenarios whose whole story must fit before the anchor start early in the window.
            needs_past = scenario not in ("on_time", "supplement", "rejected", "refused")
            hi = self.anchor - timedelta(days=60 if needs_past else 1)
            submit = self.random_workday(rng, self.start, hi)
            jobs.append(_Job(submit, "application", item, scenario, scenario == "pause_b" and pauses == 5))
        return jobs

    def application_case(
        self, rng: random.Random, item: _Item, scenario: str, submit: date, long_pause: bool = False
    ) -> None:
        """One licence or service case of the given scenario, submitted on ``submit``: intake, the
        special procedure if any, the steps, the conclusion and the delivery."""
        dept = item.dept
        code = "320300016XK09900" if scenario == "unknown_item" else item.code
        case = self.new_case(code, dept, submit)
        clerk = self.staff_actor(rng, dept.code, "clerk")
        scenario, accepted, extra = self._intake(rng, case, item, scenario, submit, clerk)
        if scenario in ("rejected", "rejected_no_reason"):
            self._reject_at_intake(rng, case, scenario, accepted, clerk, extra)
            return
        decl = item.in_force(accepted)
        limits = [int(s["limit_days"]) for s in decl["steps"]]
        promised = decl["promised_limit"]
        small = promised["unit"] == "working_day" and int(promised["value"]) <= 2
        d1 = rng.randint(0 if small else min(1, limits[0]), limits[0])
        chief = self.staff_actor(rng, dept.code, "chief")
        d1, pauses, extension, special = self._special(rng, item, scenario, accepted, d1, long_pause)
        due = self.due_date(accepted, promised, pauses, extension)
        step_days = self._step_days(rng, scenario, decl, accepted, due, pauses, extension, d1)
        extra["due"] = due
        if not self._steps(rng, case, item, scenario, decl, step_days, special, clerk, chief):
            self.finish(case, scenario, extra)
            return
        conclude = step_days[2]
        if special and special[0] == "A":
            self.emit(
                rng, case, "special_ended", conclude, chief, {"seq": 1, "result": "已在批准延长的期限内办结"}
            )
        self._conclude(rng, case, item, scenario, decl, conclude, clerk, extra)
        self.finish(case, scenario, extra)

    @staticmethod
    def _taken_at(case: _Case, item: _Item, channel: str) -> dict[str, Any]:
        """A window case of a department with service points may have been taken at one (基层延伸)."""
        taken = points.intake(case.case_no, item.dept.code) if channel == "window" else None
        return {"channel": taken[0], "service_point": taken[1]} if taken else {}

    def _intake(
        self, rng: random.Random, case: _Case, item: _Item, scenario: str, submit: date, clerk: dict[str, str]
    ) -> tuple[str, date, dict[str, Any]]:
        """Submission, pre-acceptance and supplements (the clock starts only at acceptance).
        Returns the scenario (a supplement needs two materials), the acceptance day and the facts."""
        applicant = self.party(rng, item.dept, item.template.party)
        required = [m["name"] for m in item.in_force(submit)["materials"] if m["required"]]
        channel = rng.choices(["window", "online", "system"], weights=[55, 40, 5])[0]
        missing: list[str] = []
        if scenario == "supplement":
            if len(required) > 1:
                missing = rng.sample(required, k=min(len(required) - 1, rng.choice([1, 1, 2])))
            else:
                scenario = "on_time"
        self.emit(
            rng,
            case,
            "submitted",
            submit,
            clerk,
            {
                "applicant": applicant,
                "channel": channel,
                "materials": [m for m in required if m not in missing],
                **self._taken_at(case, item, channel),
            },
        )
        day = submit
        if channel == "online" or missing:
            day = self.wd_add(submit, rng.choice([0, 1]))
            reason = f"申请材料不齐全，需补正：{'、'.join(missing)}" if missing else ""
            self.emit(
                rng,
                case,
                "pre_accepted",
                day,
                clerk,
                {"status": "supplement" if missing else "passed", "reason": reason},
            )
        if missing:
            day = self.wd_add(day, rng.choice([0, 1, 2]))
            self.emit(
                rng,
                case,
                "supplement_requested",
                day,
                clerk,
                {"reason": "申请材料不齐全，一次性告知需补正的全部材料", "missing_materials": missing},
            )
            day = self.wd_add(day, rng.randint(1, 4))
            self.emit(rng, case, "supplement_received", day, clerk, {"materials": missing})
        elif channel != "window" or rng.random() < 0.4:
            day = self.wd_add(day, 1)
        password = f"{rng.randint(0, 999_999):06d}"
        extra: dict[str, Any] = {"password": password, "applicant": applicant, "accepted_on": day}
        if scenario not in ("rejected", "rejected_no_reason"):
            self.emit(
                rng,
                case,
                "accepted",
                day,
                clerk,
                {"status": "accepted", "reason": "", "query_password": password},
            )
        return scenario, day, extra

    def _reject_at_intake(
        self, rng: random.Random, case: _Case, scenario: str, accepted: date, clerk: dict[str, str], extra: JSON
    ) -> None:
        """不予受理 (with a reason, or without one: the R6 scenario)."""
        reason = (
            ""
            if scenario == "rejected_no_reason"
            else rng.choice(
                (
                    "申请事项不属于本机关职权范围，已告知申请人向有关行政机关申请。",
                    "申请人不具备法定的申请主体资格。",
                    "申请事项依法不需要取得行政许可。",
                )
            )
        )
        self.emit(
            rng,
            case,
            "accepted",
            accepted,
            clerk,
            {"status": "rejected", "reason": reason, "query_password": extra["password"]},
        )
        self.emit(rng, case, "concluded", accepted, clerk, self.conclusion(6, reason))
        self.finish(case, scenario, extra)

    def _special(
        self, rng: random.Random, item: _Item, scenario: str, accepted: date, d1: int, long_pause: bool
    ) -> tuple[int, list[Pause], int, tuple[str, date, date, JSON] | None]:
        """The special procedure of the scenario: an expert review (type B, the clock stops) or an
        approved extension (type A). Returns the first step's days, the pauses, the extension and
        the procedure (kind, start, end, data)."""
        dept = item.dept
        if scenario == "pause_b":
            d1 = 1
            start = self.wd_add(self.wd_add(accepted, d1), 1)
            end = self.wd_add(start, (7 if long_pause else rng.randint(2, 4)) - 1)
            name = "专家评审" if "专家评审" in item.template.special else item.template.special[0]
            return d1, [Pause(start, end)], 0, (
                "B",
                start,
                end,
                {
                    "seq": 1,
                    "kind": "B",
                    "name": name,
                    "approver": self.staff[dept.code]["deputy"][0].name,
                    "reason": f"依法需要{name}，所需时间不计入办理时限，已书面告知申请人",
                    "limit": {"value": 5, "unit": "working_day"},
                },
            )
        if scenario == "extension_a":
            extension = 10
            head = self.staff[dept.code]["head"][0]
            on = self.wd_add(self.wd_add(accepted, d1), 1)
            return d1, [], extension, (
                "A",
                on,
                on,
                {
                    "seq": 1,
                    "kind": "A",
                    "name": "延长审批",
                    "approver": f"{head.name}（{head.title}）",
                    "reason": "项目情况复杂，需组织多部门会商，经本机关负责人批准延长10个工作日，"
                    "已告知申请人理由",
                    "limit": {"value": extension, "unit": "working_day"},
                },
            )
        return d1, [], 0, None

    def _step_days(
        self, rng: random.Random, scenario: str, decl: JSON, accepted: date, due: date, pauses: list[Pause],
        extension: int, d1: int,
    ) -> list[date]:
        """The days of the three steps: how many counted working days until the conclusion (办结)
        the scenario asks for (late, far too late, within the extension, or brisk)."""
        limits = [int(s["limit_days"]) for s in decl["steps"]]
        promised = decl["promised_limit"]
        horizon = self.cal.add_working_days(accepted, 120, pauses).counted

        def pos(k: int) -> date:
            return accepted if k <= 0 else horizon[k - 1]

        def counted_until(day: date) -> int:
            return sum(1 for d in horizon if d <= day)

        d3 = rng.randint(0, limits[2])
        if scenario in ("overdue", "stalled"):
            total = counted_until(due) + rng.randint(1, 4)
        elif scenario == "overdue_statutory":
            total = counted_until(self.due_date(accepted, decl["statutory_limit"], pauses)) + rng.randint(
                1, 3
            )
        elif scenario == "extension_a":
            total = counted_until(self.due_date(accepted, promised, pauses)) + rng.randint(2, extension - 1)
        else:
            floor2 = 1 if pauses else 0
            brisk = rng.random() < 0.6  # most cases finish well before the promised limit
            d2 = rng.randint(floor2, max(limits[1] // 2 if brisk else limits[1], floor2))
            if brisk:
                d3 = rng.randint(0, limits[2] // 2)
            total = min(d1 + d2 + d3, counted_until(due))
        d2 = max(total - d1 - d3, 1 if pauses else 0)
        d3 = max(total - d1 - d2, 0)
        if scenario == "stalled":
            d2 = rng.randint(0, limits[1])
        return [pos(d1), pos(d1 + d2), pos(d1 + d2 + d3)]

    def _steps(
        self, rng: random.Random, case: _Case, item: _Item, scenario: str, decl: JSON, step_days: list[date],
        special: tuple[str, date, date, JSON] | None, clerk: dict[str, str], chief: dict[str, str],
    ) -> bool:
        """The approval steps (承办, 审核, 批准), the special procedure before the second; False when
        the case stalls before its conclusion."""
        refused = scenario in ("refused", "refused_no_reason")
        deputy = self.staff[item.dept.code]["deputy"][0].actor()
        opinions = {
            "1": "材料齐全，符合法定形式，提交审核。",
            "2": "经审查，不符合规定条件，建议不予许可。" if refused else "经审查，符合规定条件，拟同意。",
            "3": "同意不予许可。" if refused else "同意。",
        }
        actors = {"1": clerk, "2": chief, "3": deputy}
        stalled_after = rng.choice([1, 2]) if scenario == "stalled" else 3
        for index, (st, on) in enumerate(zip(decl["steps"], step_days, strict=True)):
            if special and index == 1:
                kind, s_start, s_end, payload = special
                self.emit(rng, case, "special_started", s_start, chief, payload)
                if kind == "B":
                    self.emit(
                        rng,
                        case,
                        "special_ended",
                        s_end,
                        chief,
                        {"seq": 1, "result": f"{payload['name']}已完成，结论为可行"},
                    )
            if index >= stalled_after:
                break
            self.emit(
                rng,
                case,
                "step",
                on,
                actors[st["code"]],
                {
                    "step_code": st["code"],
                    "step_name": st["name"],
                    "opinion": opinions[st["code"]],
                    "status": "rejected" if refused and st["code"] != "1" else "passed",
                },
            )
        return scenario != "stalled"

    def _conclude(
        self, rng: random.Random, case: _Case, item: _Item, scenario: str, decl: JSON, conclude: date,
        clerk: dict[str, str], extra: JSON,
    ) -> None:
        """办结: a refusal (with or without its reason), or approval with the fee charged (right or
        wrong) and the certificate, then its delivery (on time or late)."""
        if scenario in ("refused", "refused_no_reason"):
            reason = (
                ""
                if scenario == "refused_no_reason"
                else rng.choice(
                    (
                        "经现场核查，实际经营场所与申报材料不符，不符合许可条件。",
                        "申请人未取得法律、法规规定的前置审批文件。",
                        "经审查，申请人不具备法定的技术人员条件。",
                    )
                )
            )
            self.emit(rng, case, "concluded", conclude, clerk, self.conclusion(1, reason))
            return
        fee = decl["fee"]
        amount = float(fee.get("amount") or 0) if fee["charged"] else 0.0
        if scenario == "illegal_fee_free":
            amount = 200.0
        elif scenario == "illegal_fee_wrong":
            amount = amount * 2 + 11
        cert = self.cert_no(item.dept, item.template.category, conclude.year)
        self.emit(
            rng,
            case,
            "concluded",
            conclude,
            clerk,
            self.conclusion(0, "", decl.get("result_name") or "办理结果", cert, amount),
        )
        gap = 12 if scenario == "late_delivery" else rng.choice([0, 0, 1, 1, 2, 3])
        self.emit(
            rng,
            case,
            "delivered",
            self.wd_add(conclude, gap),
            clerk,
            {"mode": rng.choices(["window", "post", "online"], weights=[6, 3, 1])[0]},
        )
        extra["fee_amount"] = amount

    @staticmethod
    def conclusion(code: int, reason: str, cert_name: str = "", cert_no: str = "", fee: float = 0.0) -> JSON:
        return {
            "result_code": code,
            "result_desc": _RESULT_DESC[code],
            "reason": reason,
            "cert_name": cert_name,
            "cert_no": cert_no,
            "fee_amount": _money(fee),
        }

    # Penalty cases (行政处罚) ----------------------------------------------------------------------

    def valid_officers(self, dept: str, day: date) -> list[dict[str, str]]:
        return [
            o
            for o in self.officers
            if o["dept_code"] == dept
            and date.fromisoformat(o["valid_from"]) <= day <= date.fromisoformat(o["valid_to"])
        ]

    def penalty_jobs(self, rng: random.Random) -> list[_Job]:
        repealed = {bid: self.anchor - timedelta(days=days) for bid, days in ref.REPEALED_BASES}
        jobs: list[_Job] = []
        for item in (i for i in self.items.values() if i.template.category == "CF"):
            for _ in range(max(1, round(rng.randint(*PENALTY_CASES_PER_ITEM) * self.penalty_scale))):
                opened = self.random_workday(rng, self.start, self.anchor - timedelta(days=25))
                jobs.append(_Job(opened, "penalty", item, "penalty"))
            for bid in item.template.bases:
                if bid in repealed:  # decided after the basis was repealed (L4)
                    opened = self.workday_on_or_after(repealed[bid] - timedelta(days=rng.randint(0, 5)))
                    jobs.append(_Job(opened, "penalty", item, "penalty_repealed_basis"))
        specials = (
            ("320300015CF02100", "penalty_outside_range", 100),
            ("320300015CF01500", "penalty_expired_officer", 80),
            ("320300018CF00100", "penalty_overdue_open", 110),
        )
        for code, scenario, days in specials:
            opened = self.workday_on_or_after(self.anchor - timedelta(days=days))
            jobs.append(_Job(opened, "penalty", self.items[code], scenario))
        return jobs

    def cases(self) -> None:
        """Plan every case, then write them in date order so case numbers grow with time."""
        jobs = self.application_jobs(self.rng("applications")) + self.penalty_jobs(self.rng("penalties"))
        clock = self.rng("first-moments")
        for job in jobs:
            job.start_minute = clock.randint(0, 420)
        order = sorted(range(len(jobs)), key=lambda i: (jobs[i].day, jobs[i].start_minute, i))
        rng = self.rng("stories")
        for i in order:
            job = jobs[i]
            self.next_start = datetime.combine(job.day, time(8, 30), SHANGHAI) + timedelta(
                minutes=job.start_minute
            )
            if job.kind == "application":
                self.application_case(rng, job.item, job.scenario, job.day, job.long_pause)
            else:
                self.penalty_case(rng, job.item, job.scenario, job.day)

    def penalty_case(self, rng: random.Random, item: _Item, scenario: str, opened: date) -> None:
        dept = item.dept
        t = item.template
        p = t.penalty
        assert p is not None
        decl = item.in_force(opened)
        pen = decl["penalty"]
        case = self.new_case(item.code, dept, opened)
        pool = self.valid_officers(dept.code, opened)
        team = rng.sample(pool, 2)
        if scenario == "penalty_expired_officer":
            expired = [
                o
                for o in self.officers
                if o["dept_code"] == dept.code and date.fromisoformat(o["valid_to"]) < opened
            ]
            team = [team[0], expired[0]]
        lead = {"name": team[0]["name"], "staff_no": team[0]["officer_id"], "title": "执法人员"}
        party = self.party(rng, dept, p.party)
        in_business = p.in_business
        self.emit(
            rng,
            case,
            "case_opened",
            opened,
            lead,
            {
                "party": {
                    "type": party["type"],
                    "name": party["name"],
                    "id_no": party["id_no"],
                    "in_business": in_business,
                },
                "cause": f"涉嫌{p.violation}",
                "officers": [o["officer_id"] for o in team],
            },
        )
        tier_name = rng.choices(["light", "medium", "heavy"], weights=[45, 40, 15])[0]
        if scenario == "penalty_outside_range":
            tier_name = "heavy"
        tier = next(x for x in pen["tiers"] if x["tier"] == tier_name)
        lo, hi = int(tier["min"]), int(tier["max"])
        unit = 100 if hi - lo >= 1000 else 10
        amount = float(rng.randint(lo // unit + 1, max(lo // unit + 1, (hi - 1) // unit)) * unit)
        if scenario == "penalty_outside_range":
            amount = float(p.fine_max * 2)
        types = ["fine"]
        if "warning" in p.types and tier_name == "light" and rng.random() < 0.5:
            types = ["warning", "fine"]
        if "confiscation" in p.types and rng.random() < 0.3:
            types.append("confiscation")
        if "suspension" in p.types and tier_name == "heavy":
            types.append("suspension")
        hearing_needed = self.hearing_required(party["type"], in_business, types, amount)
        quick = scenario == "penalty_repealed_basis"
        notice = self.workday_on_or_after(opened + timedelta(days=rng.randint(10, 15 if quick else 30)))
        proposed = {"types": types, "amount": amount, "tier": tier_name}
        self.emit(
            rng,
            case,
            "notice_served",
            notice,
            lead,
            {"proposed": proposed, "hearing_notified": hearing_needed},
        )
        if scenario == "penalty_overdue_open":
            self.finish(case, scenario, {"party": party})
            return
        decide_from = notice + timedelta(days=rng.randint(5, 12))
        if hearing_needed and not quick and rng.random() < 0.5:
            requested = self.workday_on_or_after(notice + timedelta(days=rng.randint(1, 3)))
            self.emit(rng, case, "hearing_requested", requested, lead, {})
            noticed = self.workday_on_or_after(requested + timedelta(days=1))
            hearing_day = self.workday_on_or_after(noticed + timedelta(days=rng.randint(8, 10)))
            hearing_at = datetime.combine(hearing_day, time(9, 30), SHANGHAI)
            self.emit(rng, case, "hearing_noticed", noticed, lead, {"hearing_at": _iso(hearing_at)})
            others = [o for o in self.valid_officers(dept.code, hearing_day) if o not in team]
            chair = (others or self.valid_officers(dept.code, hearing_day))[0]
            case.last = max(case.last or hearing_at, hearing_at - timedelta(minutes=1))
            self.emit(
                rng,
                case,
                "hearing_held",
                hearing_day,
                lead,
                {"chair": chair["officer_id"], "result": "当事人陈述申辩理由不成立，维持拟处罚意见"},
            )
            decide_from = hearing_day + timedelta(days=rng.randint(3, 7))
        decided = self.workday_on_or_after(decide_from)
        year = decided.year
        key = (dept.code, year)
        self.decision_serials[key] = self.decision_serials.get(key, 0) + 1
        head = self.staff[dept.code]["head"][0].actor()
        tier_reason = {
            "light": "当事人系初次违法，危害后果轻微，并已主动改正，适用轻档",
            "medium": "违法情节一般，经责令后改正，适用中档",
            "heavy": "违法情节严重，经责令后拒不改正，适用重档",
        }[tier_name]
        self.emit(
            rng,
            case,
            "decided",
            decided,
            head,
            {
                "decision_no": f"{dept.prefix}罚决字〔{year}〕第{self.decision_serials[key]}号",
                "types": types,
                "amount": amount,
                "tier": tier_name,
                "tier_reason": tier_reason,
                "collective_discussion": tier_name == "heavy" or amount >= 50000,
                "basis_ids": list(t.bases),
            },
        )
        served = self.workday_on_or_after(decided + timedelta(days=rng.randint(0, 3)))
        self.emit(rng, case, "served", served, lead, {})
        enforced = self.workday_on_or_after(served + timedelta(days=rng.randint(3, 15)))
        self.emit(rng, case, "enforced", enforced, lead, {"paid_amount": amount})
        closed = self.workday_on_or_after(enforced + timedelta(days=rng.randint(1, 5)))
        self.emit(rng, case, "closed", closed, lead, {})
        self.finish(case, scenario, {"party": party, "amount": amount, "tier": tier_name})

    @staticmethod
    def hearing_required(party_type: str, in_business: bool, types: list[str], amount: float) -> bool:
        """Jiangsu thresholds (docs/DOMAIN.md defaults): suspension/revocation, or a large fine."""
        if "suspension" in types or "revocation" in types:
            return True
        if in_business:
            return amount >= 20000
        return amount >= (500 if party_type == "person" else 1000)

    # Hall side: complaints and evaluations ----------------------------------------------------------------

    def complaints(self) -> list[dict[str, Any]]:
        rng = self.rng("complaints")
        by_scenario: dict[str, list[dict[str, Any]]] = {}
        for rec in self.case_records:
            by_scenario.setdefault(rec["scenario"], []).append(rec)
        out: list[dict[str, Any]] = []

        def item_name(rec: dict[str, Any]) -> str:
            info = self.items.get(rec["item_code"]) or self.items["320300016XK00100"]
            return info.template.name

        for rec in by_scenario.get("overdue", [])[:3] + by_scenario.get("stalled", [])[:1]:
            out.append(
                {
                    "dept_code": rec["dept_code"],
                    "case_no": rec["case_no"],
                    "category": "efficiency",
                    "content": f"申请办理{item_name(rec)}，已超过承诺办理时限仍未办结，"
                    "多次电话询问没有答复。",
                    "real_name": True,
                    "name": self.person_name(rng),
                }
            )
        for rec in by_scenario.get("illegal_fee_free", []) + by_scenario.get("illegal_fee_wrong", []):
            out.append(
                {
                    "dept_code": rec["dept_code"],
                    "case_no": rec["case_no"],
                    "category": "fee",
                    "content": f"办理{item_name(rec)}时被收取{rec.get('fee_amount', 0):.0f}元，"
                    "窗口未出示收费依据。",
                    "real_name": True,
                    "name": self.person_name(rng),
                }
            )
        for rec in by_scenario.get("rejected_no_reason", [])[:1]:
            out.append(
                {
                    "dept_code": rec["dept_code"],
                    "case_no": rec["case_no"],
                    "category": "violation",
                    "content": f"申请{item_name(rec)}被不予受理，窗口没有说明任何理由。",
                    "real_name": False,
                    "name": "",
                }
            )
        for dept in ("011", "019", "022"):
            out.append(
                {
                    "dept_code": dept,
                    "category": "attitude",
                    "content": "窗口工作人员服务态度生硬，对咨询的问题不耐烦，没有一次性告知所需材料。",
                    "real_name": rng.random() < 0.5,
                    "name": "",
                }
            )
        out.append(
            {
                "dept_code": "016",
                "category": "efficiency",
                "content": "网上申报后一周内没有任何受理反馈，希望尽快处理。",
                "real_name": False,
                "name": "",
            }
        )
        for c in out:
            if c["real_name"] and not c["name"]:
                c["name"] = self.person_name(rng)
        return out

    def evaluations(self) -> list[dict[str, str]]:
        rng = self.rng("evaluations")
        out: list[dict[str, str]] = []
        for rec in self.case_records:
            if "password" not in rec or not any(e["type"] == "delivered" for e in rec["events"]):
                continue
            if rng.random() >= 0.15 and rec["scenario"] not in ("overdue", "illegal_fee_free"):
                continue
            if rec["scenario"] in ("overdue", "illegal_fee_free", "illegal_fee_wrong", "late_delivery"):
                rating = rng.choice(["dissatisfied", "basic"])
            else:
                rating = rng.choices(["satisfied", "basic", "dissatisfied"], weights=[85, 12, 3])[0]
            out.append({"case_no": rec["case_no"], "password": rec["password"], "rating": rating})
        return out

    # All together -------------------------------------------------------------------------------------------

    def run(self) -> DemoCity:
        self.build_staff()
        self.build_officers()
        items, confirmations = self.catalog()
        self.cases()
        events_by_dept: dict[str, list[JSON]] = {d.code: [] for d in self.department_list}
        for rec in self.case_records:
            events_by_dept[rec["dept_code"]].extend(rec["events"])
        for events in events_by_dept.values():
            events.sort(key=lambda e: (e["occurred_at"], e["event_id"]))
        return DemoCity(
            seed=self.seed,
            anchor=self.anchor,
            departments=self.departments(),
            bases=self.bases(),
            officers=self.officers,
            items=items,
            confirmations=confirmations,
            events_by_dept=events_by_dept,
            complaints=self.complaints(),
            evaluations=self.evaluations(),
            scenarios=dict(sorted(self.scenarios.items())),
        )


def generate(seed: int = DEFAULT_SEED, anchor: date | None = None, *, scale: float = 1.0) -> DemoCity:
    """The demo city for ``seed`` as of ``anchor`` (default: ``DEFAULT_ANCHOR``).

    ``scale`` shrinks or grows the number of ordinary cases (1.0 ≈ 450 applications and 40
    penalty cases); the named scenarios (pauses, extension, rejections without reason, illegal
    fees, the out-of-range penalty …) are always present.
    """
    if not 0 < scale <= 4:
        raise ValueError("scale must be in (0, 4]")
    return _Generator(seed, anchor or DEFAULT_ANCHOR, scale).run()
