"""Ingest (issues 4, 9, 20): 1,000 events posted to ``POST /exchange/events`` in signed batches of 50,
timed until every projection, signal and statistic is done (the last stream consumer has finished),
against two floors on the same moto server:

* **in-process**: the same number of sequential raw ``PutItem`` calls of event-sized records made
  by a boto3 client in this process (target: the pipeline within 1.5x);
* **from outside**: the same calls made by a separate Python process over HTTP, as any client
  outside the stack makes them (target: the pipeline within 0.5x of that).

Both sides are timed warm: the floor's client connects and loads its service model before timing,
and one case goes through the whole pipeline before the timed events (each table's client created,
as in a warm Lambda instance).

The events tell a real-time story (occurred within the last hours), as a department system pushing
live would. After the timed run, a smaller metered run (``bench.meter``) records where the time goes:
each component's (Lambda function's) wall time, how much of it was spent inside AWS requests, and
the requests it made, per 1,000 events.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from tests.support.fixtures import event

from .localstack import drain_notifications
from .meter import Meter
from .result import Result
from .setup import api_of, declare_item, department

EVENTS = 1000
BATCH = 50
DEPT = "801"
PROFILE_DEPT = "803"
FLOOR_TABLE = "bench-floor"
TARGET_IN_PROCESS = 1.5
TARGET_OUTSIDE = 0.5


def story(case_no: str, code: str, start: datetime) -> list[dict[str, Any]]:
    """Seven events: submitted, accepted, three steps, concluded, delivered."""
    def at(minutes: int) -> str:
        return (start + timedelta(minutes=minutes)).isoformat()

    applicant = {"type": "org", "name": f"徐州某{case_no[-3:]}有限公司", "id_no": "91320300MA1X00000X"}
    return [
        event(case_no, code, "submitted", at(0), {"applicant": applicant, "channel": "online",
                                                  "materials": ["申请书", "环境影响报告表"]}),
        event(case_no, code, "accepted", at(10),
              {"status": "accepted", "query_password": "pw-" + case_no[-4:]}),
        event(case_no, code, "step", at(20), {"step_code": "1", "opinion": "同意"}, event_id=f"{case_no}-s1"),
        event(case_no, code, "step", at(30), {"step_code": "2", "opinion": "同意"}, event_id=f"{case_no}-s2"),
        event(case_no, code, "step", at(40), {"step_code": "3", "opinion": "批准"}, event_id=f"{case_no}-s3"),
        event(case_no, code, "concluded", at(50),
              {"result_code": 0, "cert_name": "批复", "cert_no": f"C-{case_no}"}),
        event(case_no, code, "delivered", at(60), {"mode": "post"}),
    ]


def stories(prefix: str, code: str, events: int, start: datetime) -> list[dict[str, Any]]:
    """At least ``events`` events of whole seven-event cases, case by case."""
    cases = -(-events // 7)
    return [e for i in range(cases) for e in story(f"{prefix}{i:06d}", code, start)]


class Finish:
    """When the last stream or queue consumer finished its last batch (what "done" means)."""

    def __init__(self, stack: Any):
        self.stack = stack
        self.last = 0.0
        self._undo: list[Any] = []
        for poller in stack.pollers:
            if not hasattr(poller, "handler"):
                continue
            run = poller.handler

            def wrapped(ev: Any, context: Any, _run: Any = run) -> Any:
                try:
                    return _run(ev, context)
                finally:
                    self.last = time.perf_counter()

            poller.handler = wrapped
            self._undo.append((poller, run))

    def wait(self, timeout: float) -> float:
        if not self.stack.wait_idle(timeout):
            raise RuntimeError(f"the stream consumers did not finish within {timeout:.0f} s")
        return self.last

    def remove(self) -> None:
        for poller, run in self._undo:
            poller.handler = run


def post_all(stack: Any, creds: Any, events: list[dict[str, Any]], batch: int = BATCH) -> float:
    """Post every event in signed batches; the seconds spent in the POSTs."""
    api = api_of(stack)
    spent = 0.0
    for i in range(0, len(events), batch):
        t = time.perf_counter()
        r = api.post_events(creds, events[i:i + batch])
        spent += time.perf_counter() - t
        r.raise_for_status()
        bad = [x for x in r.json()["results"] if x["status"] != "stored"]
        if bad:
            raise RuntimeError(f"ingest rejected events: {bad[:3]}")
    return spent


def floor_table(aws_url: str, table: str = FLOOR_TABLE) -> None:
    """A table of the app's key shape for a raw write floor, with no stream: nothing reacts to it."""
    ddb = boto3.client("dynamodb", endpoint_url=aws_url, region_name="us-east-1")
    if table not in ddb.list_tables()["TableNames"]:
        ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "sk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                    {"AttributeName": "sk", "KeyType": "RANGE"}])


#: The floor's writes, as a program: also run as a separate process for the outside floor.
FLOOR_PROGRAM = """
import json, sys, time, boto3
url, table, n, body, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
key, secret = (sys.argv[6], sys.argv[7]) if len(sys.argv) > 7 else ("floor", "floor")
ddb = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id=key, aws_secret_access_key=secret)
ddb.describe_table(TableName=table)  # connect and load the service model before timing
started = time.perf_counter()
for i in range(n):
    ddb.put_item(TableName=table, Item={"pk": {"S": f"CASE#{tag}{i // 7:05d}"}, "sk": {"S": f"LOG#{i:08d}"},
                                        "body": {"S": body}})
print(time.perf_counter() - started)
"""


def floor_in_process(aws_url: str, n: int, body: str, tag: str) -> float:
    ddb = boto3.client("dynamodb", endpoint_url=aws_url, region_name="us-east-1")
    ddb.describe_table(TableName=FLOOR_TABLE)
    started = time.perf_counter()
    for i in range(n):
        ddb.put_item(TableName=FLOOR_TABLE, Item={"pk": {"S": f"CASE#{tag}{i // 7:05d}"},
                                                  "sk": {"S": f"LOG#{i:08d}"}, "body": {"S": body}})
    return time.perf_counter() - started


def floor_outside(aws_url: str, n: int, body: str, tag: str) -> float:
    from devstack import iam

    admin = iam.CREDENTIALS.admin  # with IAM enforced (SUNLIT_IAM=1) moto checks every signature
    keys = [admin.access_key, admin.secret_key] if admin else []
    out = subprocess.run([sys.executable, "-c", FLOOR_PROGRAM, aws_url, FLOOR_TABLE, str(n), body, tag, *keys],
                         check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def sample_record(events: list[dict[str, Any]], start: datetime) -> str:
    """A stored event's body: the event plus its chain fields (what the log really holds)."""
    return json.dumps({"seq": 1, "prev_hash": "0" * 64, "hash": "f" * 64, **events[1],
                       "received_at": start.isoformat(), "source": "exchange"}, ensure_ascii=False)


def profile(stack: Any, events: int) -> dict[str, Any]:
    """A metered run of ``events`` events: per component, wall time, time inside AWS and requests, per 1,000 events."""
    creds = department(stack, PROFILE_DEPT)
    code = declare_item(stack, PROFILE_DEPT, "001")
    evs = stories("32030080320261", code, events, datetime.now(UTC) - timedelta(hours=3))
    stack.wait_idle(120)
    drain_notifications(stack)
    meter = Meter(stack).install()
    try:
        with meter.measuring() as usage:
            started = time.perf_counter()
            post_all(stack, creds, evs)
            stack.wait_idle(600)
            elapsed = time.perf_counter() - started
    finally:
        meter.uninstall()
    scale = 1000 / len(evs)
    components = {}
    for fn, seconds in usage.lambda_seconds.items():
        aws = usage.aws_seconds_by_function.get(fn, 0.0)
        components[fn] = {
            "invocations": round(usage.lambda_invocations[fn] * scale, 1),
            "seconds": round(seconds * scale, 2), "seconds_in_aws_requests": round(aws * scale, 2),
            "requests": {f"{s}:{op}": round(n * scale, 1) for (f, s, op), n in sorted(usage.requests_by_function.items())
                         if f == fn},
        }
    return {"events": len(evs), "wall_seconds_per_1000": round(elapsed * scale, 2), "components": components,
            "dynamodb_write_units_per_1000": round(sum(usage.write_units.values()) * scale),
            "dynamodb_read_units_per_1000": round(sum(usage.read_units.values()) * scale),
            "write_units_per_1000_by_table": {k: round(v * scale) for k, v in sorted(usage.write_units.items())},
            "read_units_per_1000_by_table": {k: round(v * scale, 1) for k, v in sorted(usage.read_units.items())},
            "stream_polls_per_1000": {f"{s}:{op}": round(n * scale) for (c, s, op), n in usage.requests.items()
                                      if c == "platform"}}


def run(stack: Any, events: int = EVENTS, profile_events: int = 350, dept: str = DEPT) -> list[Result]:
    creds = department(stack, dept)
    code = declare_item(stack, dept, "001")
    start = datetime.now(UTC) - timedelta(hours=3)
    evs = stories(f"320300{dept}20260", code, events, start)
    floor_table(stack.aws_url)
    # Warm, as the floor is (it connects and loads its service model before timing): one case through
    # the whole pipeline first, so each table's client exists, as in a warm Lambda instance.
    post_all(stack, creds, stories(f"320300{dept}20269", code, 7, start))
    stack.wait_idle(120)
    drain_notifications(stack)

    finish = Finish(stack)
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        post_seconds = post_all(stack, creds, evs)
        accepted_at = time.perf_counter() - started
        done = finish.wait(1800) - started
        cpu = time.process_time() - cpu_started
    finally:
        finish.remove()
    stack.wait_idle(600)

    body = sample_record(evs, start)
    cpu_started = time.process_time()
    inside = floor_in_process(stack.aws_url, len(evs), body, "I")
    floor_cpu = time.process_time() - cpu_started
    outside = floor_outside(stack.aws_url, len(evs), body, "O")
    details = {"events": len(evs), "cases": len(evs) // 7, "batch": BATCH, "pipeline_seconds": round(done, 2),
               "http_post_seconds": round(post_seconds, 2), "all_accepted_after_seconds": round(accepted_at, 2),
               "floor_in_process_seconds": round(inside, 2), "floor_outside_seconds": round(outside, 2),
               # CPU seconds of the whole in-process stack (moto, API, consumers) for each side
               "pipeline_cpu_seconds": round(cpu, 2), "floor_in_process_cpu_seconds": round(floor_cpu, 2)}
    if profile_events:
        details["profile"] = profile(stack, profile_events)
    what = f"{len(evs)} events ({len(evs) // 7} cases, signed batches of {BATCH}) until every consumer is done"
    return [
        Result(name="ingest", measured=done, floor=inside, unit="s", ratio=done / inside, target=TARGET_IN_PROCESS,
               what=what, floor_what=f"{len(evs)} sequential raw PutItem, in-process boto3, same moto server",
               details=details),
        Result(name="ingest vs outside", measured=done, floor=outside, unit="s", ratio=done / outside,
               target=TARGET_OUTSIDE, what="the same pipeline run",
               floor_what=f"{len(evs)} sequential raw PutItem from a separate process over HTTP",
               details={"pipeline_seconds": round(done, 2), "floor_outside_seconds": round(outside, 2)}),
    ]
