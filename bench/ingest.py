"""Ingest pipeline (issues 4 and 9): events per second from the first ``POST /exchange/events``
until every case projection is complete, against raw ``PutItem`` writes to the same moto server.
Target: the pipeline within 3x of the floor.

The events tell a real-time story (occurred within the last hours), as a department system
pushing live would, in batches of 50 signed events from one client.
"""
from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from tests.support.fixtures import event

from .localstack import drain_notifications
from .result import Result
from .setup import api_of, declare_item, department

CASES = 150
BATCH = 50
DEPT = "801"
FLOOR_TABLE = "bench-floor"


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


def _floor(stack: Any, n: int, sample: dict[str, Any]) -> tuple[float, float]:
    """Raw PutItem rate of records shaped like stored events (same size) into a plain table."""
    ddb = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    ddb.create_table(TableName=FLOOR_TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}])
    body = json.dumps(sample, ensure_ascii=False)
    started = time.perf_counter()
    for i in range(n):
        item = {"pk": {"S": f"CASE#F{i // 7:05d}"}, "sk": {"S": f"LOG#{i:08d}"}, "body": {"S": body}}
        ddb.put_item(TableName=FLOOR_TABLE, Item=item)
    elapsed = time.perf_counter() - started
    return n / elapsed, elapsed


def _complete(ddb: Any, expected: dict[str, int]) -> int:
    """How many of the cases have a projection that includes all their events."""
    done = 0
    kwargs: dict[str, Any] = {"TableName": "sunlit-local-cases", "IndexName": "gsi1",
                              "KeyConditionExpression": "gsi1pk = :d",
                              "ExpressionAttributeValues": {":d": {"S": f"DEPT#{DEPT}"}}}
    while True:
        page = ddb.query(**kwargs)
        for item in page["Items"]:
            view = json.loads(item["body"]["S"])
            if view.get("event_count", 0) >= expected.get(view.get("case_no", ""), 1 << 30):
                done += 1
        if "LastEvaluatedKey" not in page:
            return done
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def run(stack: Any, cases: int = CASES) -> Result:
    creds = department(stack, DEPT)
    code = declare_item(stack, DEPT, "001")
    api = api_of(stack)
    ddb = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    start = datetime.now(UTC) - timedelta(hours=3)
    events = [e for i in range(cases) for e in story(f"32030080120260{i:05d}", code, start)]
    expected = {e["case_no"]: 7 for e in events}
    stack.wait_idle(120)
    drain_notifications(stack)

    started = time.perf_counter()
    post_seconds = 0.0
    for i in range(0, len(events), BATCH):
        batch = events[i:i + BATCH]
        t = time.perf_counter()
        r = api.post_events(creds, batch)
        post_seconds += time.perf_counter() - t
        r.raise_for_status()
        bad = [x for x in r.json()["results"] if x["status"] != "stored"]
        if bad:
            raise RuntimeError(f"ingest rejected events: {bad[:3]}")
    accepted_at = time.perf_counter() - started
    deadline = time.monotonic() + 1800
    while _complete(ddb, expected) < cases:
        if time.monotonic() > deadline:
            raise RuntimeError("projections did not complete within 30 minutes")
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    rate = len(events) / elapsed
    stack.wait_idle(600)  # let supervision finish before the next benchmark

    sample = {"seq": 1, "prev_hash": "0" * 64, "hash": "f" * 64, **events[1],
              "received_at": start.isoformat(), "source": "exchange"}
    floor_rate, floor_seconds = _floor(stack, len(events), sample)
    return Result(
        name="ingest pipeline", measured=rate, floor=floor_rate, unit="events/s", ratio=floor_rate / rate,
        target=3.0, what=f"{len(events)} events, {cases} cases, batches of {BATCH}, until projected",
        floor_what=f"{len(events)} raw PutItem of event-sized records",
        details={"events": len(events), "cases": cases, "pipeline_seconds": round(elapsed, 2),
                 "http_post_seconds": round(post_seconds, 2),
                 "all_accepted_after_seconds": round(accepted_at, 2),
                 "floor_seconds": round(floor_seconds, 2)},
    )
