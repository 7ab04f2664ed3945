"""Event → signal (issue 20): from the ``POST /exchange/events`` of a late conclusion to the red
signal (R2, promised limit exceeded) readable through ``GET /supervision/signals``, per case; the
target is p95 ≤ 1 s on the local stack.

The path: the events table's stream → ``project_events`` (the case view) → the cases table's
stream → ``supervise_cases`` (rules R1–R14) → the signal record. The local stack polls each stream
shard every ``devstack.pollers.POLL_SECONDS`` (0.25 s, as Lambda polls a DynamoDB stream shard
four times a second), so two stream hops alone may wait up to 0.5 s. The reader polls the API
every 20 ms. Each sample starts with every consumer idle.
"""
from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from devstack.pollers import POLL_SECONDS
from tests.support.fixtures import event

from .localstack import drain_notifications
from .result import Result, percentile
from .setup import api_of, declare_item, department

SAMPLES = 20
DEPT = "804"
TARGET_MS = 1000.0
READ_EVERY = 0.02


def run(stack: Any, samples: int = SAMPLES) -> Result:
    creds = department(stack, DEPT)
    code = declare_item(stack, DEPT, "001")  # promised 5 working days
    api = api_of(stack)
    supervisor = api.user("bench-signal-supervisor", ["supervisor"])
    accepted = datetime.now(UTC) - timedelta(days=30)
    cases = [f"32030080420260{i:05d}" for i in range(samples)]
    setup = [e for c in cases for e in (
        event(c, code, "submitted", (accepted - timedelta(hours=1)).isoformat(), {"applicant": {
            "type": "org", "name": "徐州某机械有限公司"}, "channel": "window"}),
        event(c, code, "accepted", accepted.isoformat(), {"status": "accepted"}))]
    for i in range(0, len(setup), 100):
        api.post_events(creds, setup[i:i + 100]).raise_for_status()
    stack.wait_idle(300)
    http = requests.Session()
    headers = {"Authorization": f"Bearer {supervisor}"}
    latencies: list[float] = []
    reads: list[int] = []
    for case_no in cases:
        drain_notifications(stack)
        stack.wait_idle(120)
        late = event(case_no, code, "concluded", datetime.now(UTC).isoformat(),
                     {"result_code": 0, "cert_name": "批复", "cert_no": f"C-{case_no}"})
        started = time.perf_counter()
        r = api.post_events(creds, [late])
        r.raise_for_status()
        n = 0
        deadline = started + 30
        while True:
            n += 1
            got = http.get(f"{stack.api_url}/supervision/signals", params={"case_no": case_no, "rule": "R2"},
                           headers=headers, timeout=30)
            got.raise_for_status()
            if any(s.get("level") == "red" for s in got.json()["items"]):
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no red R2 signal for {case_no} within 30 s")
            time.sleep(READ_EVERY)
        latencies.append(time.perf_counter() - started)
        reads.append(n)
    p95 = percentile(latencies, 95) * 1000
    return Result.absolute(
        "event → signal p95", p95, "ms", TARGET_MS,
        what=(f"POST of a late conclusion → red R2 readable via the API, p95 of {samples} "
              f"(streams polled every {POLL_SECONDS:g} s, API read every {READ_EVERY * 1000:g} ms)"),
        floor=2 * POLL_SECONDS * 1000,
        floor_what="the longest two stream polls can wait (two hops, each polled every "
                   f"{POLL_SECONDS:g} s)",
        details={"samples_ms": [round(x * 1000, 1) for x in latencies],
                 "median_ms": round(statistics.median(latencies) * 1000, 1),
                 "max_ms": round(max(latencies) * 1000, 1), "api_reads": reads,
                 "poll_interval_s": POLL_SECONDS})
