"""What a case costs (issue 20): every AWS request of 1,000 department-reported licence cases and of
1,000 natively run ones, counted by ``bench.meter`` and priced at on-demand rates for ``us-east-1``
(USD) and ``cn-north-1`` (CNY) from ``bench/prices.json``; plus the monthly cost at rest.

* **reported**: a department's own system pushes each case's seven events (submitted, accepted,
  three steps, concluded, delivered) to ``POST /exchange/events`` as they happen, one signed
  request per event, as a system pushing live would; the measured window ends when every
  projection, signal and statistic is done.
* **native**: a citizen applies in the hall (``POST /applications``); the case runs in Step
  Functions; staff accept it, complete its three steps, conclude and deliver through
  ``POST /cases/{no}/actions`` whenever its task is waiting. Staff browsing (worklist, case pages)
  and citizens' progress queries are not included: they are per visit, not per case.
* **at rest**: the schedules that run with no cases at all, measured once each with nothing to do,
  times a month: the sweep every 15 minutes (on the empty platform) and the nightly republication
  of the catalog (with the city-size catalog, nothing changed); storage of a city's year of cases
  (12,500 a month) from the bytes each case leaves in the tables.

Lambda is priced at the deployed memory (``.chalice/config.json``, stage ``prod``) and the wall time
each invocation took here (rounded up to the millisecond); the local stack's CPU is shared, so
durations are an upper bound. Free tiers are not subtracted from the per-case cost.
"""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import requests

from .ingest import story
from .localstack import drain_notifications
from .meter import Meter, Usage, item_size
from .result import Result
from .setup import api_of, declare_item, department

ROOT = Path(__file__).resolve().parents[1]
PRICES = json.loads((ROOT / "bench" / "prices.json").read_text(encoding="utf-8"))
CASES = 1000
WAVE = 100
#: Department systems pushing, staff acting, at the same time.
PARALLEL = 4
REPORTED_DEPT = "821"
NATIVE_DEPT = "822"
REPORTED_TARGET_USD = 0.50
NATIVE_TARGET_USD = 1.50
#: A city the size of the data set: 50,000 cases in 120 days.
CITY_CASES_PER_MONTH = 50_000 * 30 / 120
SWEEPS_PER_MONTH = 4 * 24 * 30
PUBLISHES_PER_MONTH = 30
#: DynamoDB bills 100 bytes of overhead per stored item (and per index copy).
ITEM_OVERHEAD = 100


def lambda_memory_mb(stage: str = "prod") -> int:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return int(config.get("stages", {}).get(stage, {}).get("lambda_memory_size") or config.get("lambda_memory_size", 128))


# ---- pricing -----------------------------------------------------------------------------------------

def quantities(usage: Usage, memory_mb: int) -> dict[str, float]:
    """Billable quantities of a usage, by price-table rate name."""
    billed = usage.billed_requests()
    by_service: dict[str, int] = {}
    for (service, _op), n in billed.items():
        by_service[service] = by_service.get(service, 0) + n
    s3_put = sum(n for (s, op), n in billed.items() if s == "s3" and op in ("PutObject", "CopyObject", "ListObjectsV2",
                                                                            "DeleteObjects"))
    s3_get = sum(n for (s, op), n in billed.items() if s == "s3" and op in ("GetObject", "HeadObject"))
    sns = sum(n for (s, op), n in billed.items() if s == "sns" and op == "Publish")
    return {
        "lambda_request": sum(usage.lambda_invocations.values()),
        "lambda_gb_second": sum(usage.lambda_ms_billed.values()) / 1000 * memory_mb / 1024,
        "api_gateway_rest_request": usage.api_requests,
        "dynamodb_write_request_unit": sum(usage.write_units.values()),
        "dynamodb_read_request_unit": sum(usage.read_units.values()),
        "step_functions_state_transition": usage.state_transitions,
        "sqs_request": by_service.get("sqs", 0),
        "sns_publish": sns,
        "s3_put_request": s3_put,
        "s3_get_request": s3_get,
    }


def price(amounts: dict[str, float], region: str) -> dict[str, Any]:
    """Cost lines, the total, and which non-zero quantities have no known rate in ``region``."""
    table = PRICES["regions"][region]
    lines = {}
    missing = []
    total = 0.0
    for name, quantity in amounts.items():
        rate = table["rates"][name]
        if not quantity:
            continue
        if rate["price"] is None:
            missing.append(name)
            lines[name] = {"quantity": round(quantity, 3), "cost": None}
            continue
        cost = quantity / rate["per"] * rate["price"]
        total += cost
        lines[name] = {"quantity": round(quantity, 3), "cost": round(cost, 6)}
    return {"currency": table["currency"], "total": round(total, 6), "lines": lines, "not_priced": missing}


def per_thousand(usage: Usage, cases: int, memory_mb: int) -> dict[str, Any]:
    amounts = {k: v * 1000 / cases for k, v in quantities(usage, memory_mb).items()}
    return {region: price(amounts, region) for region in PRICES["regions"]}


# ---- storage -----------------------------------------------------------------------------------------

def stored_bytes() -> int:
    """Billable bytes of every table of the local stack: items plus their index copies, each with overhead."""
    from moto.dynamodb.models import dynamodb_backends

    total = 0
    for table in dynamodb_backends["123456789012"]["us-east-1"].tables.values():
        if not table.name.startswith("sunlit-local-"):
            continue
        index_keys = [[k["AttributeName"] for k in g.schema] for g in table.global_indexes]
        for item in table.all_items():
            attrs = item.to_json()["Attributes"]
            size = item_size(attrs) + ITEM_OVERHEAD
            copies = 1 + sum(1 for keys in index_keys if all(k in attrs for k in keys))
            total += size * copies
    return total


# ---- workloads ---------------------------------------------------------------------------------------

def reported(stack: Any, meter: Meter, cases: int) -> tuple[Usage, int, float]:
    """``cases`` licence cases reported live by a department system, one event per request."""
    creds = department(stack, REPORTED_DEPT)
    code = declare_item(stack, REPORTED_DEPT, "001")
    start = datetime.now(UTC) - timedelta(hours=2)
    stories = [story(f"32030082120260{i:05d}", code, start) for i in range(cases)]
    events = [s[k] for k in range(7) for s in stories]  # in time order: every case's first event, …
    stack.wait_idle(120)
    drain_notifications(stack)
    before = stored_bytes()
    started = time.perf_counter()
    def push(share: list[dict[str, Any]]) -> None:
        client = api_of(stack)
        for ev in share:
            r = client.post_events(creds, [ev])
            r.raise_for_status()
            if r.json()["results"][0]["status"] != "stored":
                raise RuntimeError(f"event not stored: {r.text[:300]}")

    with meter.measuring() as usage:  # several systems of the department push at once, each in time order
        with ThreadPoolExecutor(PARALLEL) as pool:
            list(pool.map(push, [events[i::PARALLEL] for i in range(PARALLEL)]))
        stack.wait_idle(1800)
    return usage, stored_bytes() - before, time.perf_counter() - started


def native(stack: Any, meter: Meter, cases: int) -> tuple[Usage, int, float]:
    """``cases`` licence cases applied for in the hall and run in Step Functions by staff actions."""
    api = api_of(stack)
    api.department(NATIVE_DEPT, f"基准测试部门{NATIVE_DEPT}")
    handler = api.user(f"bench-handler-{NATIVE_DEPT}", ["handler"], NATIVE_DEPT)
    head = api.user(f"bench-head-{NATIVE_DEPT}", ["dept_head"], NATIVE_DEPT)
    code = declare_item(stack, NATIVE_DEPT, "001")
    ddb = meter.harness(boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1"))
    http = requests.Session()
    work = stack.stack.physical.get("WorkTable", "sunlit-local-work") if stack.stack else "sunlit-local-work"
    applicant = {"type": "org", "name": "徐州某机械有限公司", "id_type": "统一社会信用代码", "id_no": "91320300MA1X00000X"}
    stack.wait_idle(120)
    drain_notifications(stack)
    before = stored_bytes()
    since = time.time() - 1
    started = time.perf_counter()

    def pending(case_no: str) -> list[dict[str, Any]]:
        items = ddb.query(TableName=work, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": f"RTTASK#{case_no}"}}, ConsistentRead=True)["Items"]
        bodies = [json.loads(i["body"]["S"]) for i in items]
        return [b for b in bodies if b.get("status") == "pending"]

    def act(case_no: str, task: dict[str, Any]) -> None:
        kind = task["kind"]
        body: dict[str, Any] = {"accept": {"action": "accept"}, "conclude": {
            "action": "conclude", "result_code": 0, "cert_name": "准予许可决定书", "cert_no": f"徐审〔{case_no[-5:]}〕号"},
            "deliver": {"action": "deliver", "mode": "window"}}.get(kind) or {
            "action": "complete_step", "opinion": "同意"}
        token = head if task.get("role") == "dept_head" else handler
        r = requests.post(f"{stack.api_url}/cases/{case_no}/actions", json=body,
                          headers={"Authorization": f"Bearer {token}"}, timeout=60)
        if r.status_code != 200:
            raise RuntimeError(f"{kind} of {case_no}: HTTP {r.status_code} {r.text[:300]}")

    acted: dict[str, set[str]] = {}  # case → tasks acted on
    delivered: set[str] = set()

    def advance(case_no: str) -> bool:
        """Act on the case's waiting tasks; whether anything moved."""
        moved = False
        for task in pending(case_no):
            if task["task_id"] in acted[case_no]:
                continue
            act(case_no, task)
            acted[case_no].add(task["task_id"])
            moved = True
            if task["kind"] == "deliver":
                delivered.add(case_no)
        return moved

    with meter.measuring() as usage, ThreadPoolExecutor(PARALLEL) as pool:  # several staff at work at once
        for first in range(0, cases, WAVE):
            wave = []
            for _ in range(min(WAVE, cases - first)):
                r = http.post(f"{stack.api_url}/applications", json={"item_code": code, "applicant": applicant,
                                                                      "materials": ["申请书"]}, timeout=60)
                if r.status_code != 201:
                    raise RuntimeError(f"application: HTTP {r.status_code} {r.text[:300]}")
                wave.append(r.json()["case_no"])
                acted[wave[-1]] = set()
            deadline = time.monotonic() + 600
            while any(c not in delivered for c in wave):
                if time.monotonic() > deadline:
                    raise RuntimeError("native cases did not finish within 10 minutes")
                if not any(list(pool.map(advance, [c for c in wave if c not in delivered]))):
                    time.sleep(0.2)
        stack.wait_idle(1800)
    elapsed = time.perf_counter() - started
    meter.count_transitions(stack.clients["stepfunctions"], since)
    return usage, stored_bytes() - before, elapsed


SCHEDULES = {"scheduled_sweep": SWEEPS_PER_MONTH, "nightly_publish": PUBLISHES_PER_MONTH}


def schedule_run(stack: Any, name: str) -> Usage:
    """One run of a scheduled function as EventBridge invokes it (after a warm-up run: a deployed
    function is warm for most of its runs), metered."""
    import app as app_module
    from devstack.pollers import LambdaContext
    from devstack.stack import scheduled_event

    stack.wait_idle(300)
    fn = app_module.app.handler_map[name]
    fn(scheduled_event(name), LambdaContext(name))
    meter = Meter(stack).install()
    try:
        with meter.measuring() as usage:
            started = time.perf_counter()
            meter._current.name = name
            try:
                fn(scheduled_event(name), LambdaContext(name))
            finally:
                meter._current.name = None
            meter._invoked(name, time.perf_counter() - started)
    finally:
        meter.uninstall()
    return usage


# ---- the benchmark -----------------------------------------------------------------------------------

def run(stack: Any, cases: int = CASES) -> tuple[list[Result], dict[str, Any]]:
    """The cost of 1,000 reported and 1,000 native cases; also what a case leaves in the tables."""
    memory = lambda_memory_mb()
    meter = Meter(stack).install()
    try:
        rep_usage, rep_bytes, rep_seconds = reported(stack, meter, cases)
        nat_usage, nat_bytes, nat_seconds = native(stack, meter, cases)
    finally:
        meter.uninstall()
    reported_cost = per_thousand(rep_usage, cases, memory)
    native_cost = per_thousand(nat_usage, cases, memory)
    cost_per_1000 = {"reported": reported_cost, "native": native_cost}
    details_common = {"cases": cases, "lambda_memory_mb": memory, "prices_looked_up": PRICES["looked_up"]}
    usd = "us-east-1"
    results = [
        Result.absolute(
            "cost: reported", reported_cost[usd]["total"], "USD/1k", REPORTED_TARGET_USD,
            what=f"{cases} licence cases pushed live (7 events, one signed request each), us-east-1 on-demand",
            details={**details_common, "seconds": round(rep_seconds, 1), "usage": rep_usage.as_dict(),
                     "cost_per_1000_cases": reported_cost, "bytes_stored_per_case": round(rep_bytes / cases)}),
        Result.absolute(
            "cost: native", native_cost[usd]["total"], "USD/1k", NATIVE_TARGET_USD,
            what=f"{cases} licence cases applied for in the hall and run in Step Functions (6 staff actions)",
            details={**details_common, "seconds": round(nat_seconds, 1), "usage": nat_usage.as_dict(),
                     "cost_per_1000_cases": native_cost, "bytes_stored_per_case": round(nat_bytes / cases)}),
    ]
    return results, {"cost_per_1000_cases": cost_per_1000, "bytes_per_case": (rep_bytes + nat_bytes) / (2 * cases),
                     "price_table": {"file": "bench/prices.json", "looked_up": PRICES["looked_up"]}}


def at_rest(schedules: dict[str, Usage], bytes_per_case: float, context: str) -> tuple[Result, dict[str, Any]]:
    """A month with no cases: each schedule's measured run times its runs a month (compute and
    requests), and a year of a city's cases in the tables (storage)."""
    memory = lambda_memory_mb()
    month_amounts: dict[str, float] = {}
    for name, usage in schedules.items():
        for k, v in quantities(usage, memory).items():
            month_amounts[k] = month_amounts.get(k, 0.0) + v * SCHEDULES[name]
    compute_keys = ("lambda_request", "lambda_gb_second")
    year_gb = bytes_per_case * CITY_CASES_PER_MONTH * 12 / 1024 ** 3
    monthly: dict[str, Any] = {}
    for region, table in PRICES["regions"].items():
        free = table["free_tier"]
        compute = price({k: month_amounts.get(k, 0.0) for k in compute_keys}, region)
        billed_compute = price({
            "lambda_request": max(0.0, month_amounts.get("lambda_request", 0.0) - free["lambda_requests_per_month"]),
            "lambda_gb_second": max(0.0, month_amounts.get("lambda_gb_second", 0.0) - free["lambda_gb_seconds_per_month"]),
        }, region)
        requests_ = price({k: v for k, v in month_amounts.items() if k not in compute_keys}, region)
        storage = price({"dynamodb_storage_gb_month": year_gb}, region)
        monthly[region] = {
            "currency": table["currency"],
            "compute_before_free_tier": compute["total"], "compute_billed": billed_compute["total"],
            "schedule_requests": requests_["total"], "storage_after_a_year": storage["total"],
            "not_priced": sorted(set(compute["not_priced"] + requests_["not_priced"] + storage["not_priced"])),
            "lines": {**compute["lines"], **requests_["lines"], **storage["lines"]},
        }
    usd = monthly["us-east-1"]
    result = Result.absolute(
        "cost: compute at rest", usd["compute_billed"], "USD/mo", 0.0,
        what=(f"Lambda a month with no cases ({context}): the sweep every 15 min, the nightly publication; "
              f"USD {usd['compute_before_free_tier']:.4f} before Lambda's always-free tier"),
        details={"monthly_at_rest": monthly,
                 "schedules": {n: {"runs_per_month": SCHEDULES[n], "usage": u.as_dict()} for n, u in schedules.items()},
                 "city_storage_gb_after_a_year": round(year_gb, 3), "bytes_per_case": round(bytes_per_case),
                 "city_cases_per_month": CITY_CASES_PER_MONTH})
    return result, {"monthly_at_rest": monthly}


def summary(cost: dict[str, Any]) -> str:
    """Lines for the console: cost per 1,000 cases per region and kind, and what is not priced."""
    lines = []
    for kind, regions in cost["cost_per_1000_cases"].items():
        for region, c in regions.items():
            missing = f" (not priced: {', '.join(c['not_priced'])})" if c["not_priced"] else ""
            lines.append(f"cost_per_1000_cases {kind:<8} {region:<10} {c['total']:>10.4f} {c['currency']}{missing}")
    for region, m in cost["monthly_at_rest"].items():
        lines.append(f"at rest / month      {region:<10} compute {m['compute_billed']:.4f} "
                     f"(before free tier {m['compute_before_free_tier']:.4f}), schedule requests "
                     f"{m['schedule_requests']:.4f}, storage after a year {m['storage_after_a_year']:.4f} {m['currency']}"
                     + (f" (not priced: {', '.join(m['not_priced'])})" if m["not_priced"] else ""))
    return "\n".join(lines)
