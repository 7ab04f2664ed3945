"""Fault injection (故障注入): stream consumers that fail at a rate or always on chosen cases.

Evidence for issue 9: retries and bisecting leave every accepted event either processed or
parked in the stream dead-letter queue (死信队列); parked batches are listed and replayable
(``local_stack.replay_dlq()``, ``POST /admin/dlq/replay``, ``python -m devstack.replay``),
and the counts add up: accepted = processed + parked, and after replay every case is projected.

The switch is ``SUNLIT_FAULTS`` (read at call time by ``devstack.faults.maybe_fail``, which the local
stack installs into the consumers).
Department codes 750–754 belong to this module.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from chalicelib.adapters import dlq
from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

CODE = "320300750XK00100"
AWS_FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sunlit-prod-project_events"
APPLICANT = {"type": "person", "name": "李四", "id_type": "身份证", "id_no": "320311198507071234",
             "phone": "13800001111"}


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    """Department 750 with one confirmed licence item (5 of 20 working days promised)."""
    creds = api.department("750", "测试故障注入局750")
    api.declare_and_confirm(license_item("750", "001"), api.user("faults-legal", ["legal"]))
    return creds


@contextmanager
def faults(spec: dict[str, Any]) -> Iterator[None]:
    """Switch fault injection on for the duration of the block (the consumers read it per call)."""
    os.environ["SUNLIT_FAULTS"] = json.dumps(spec)
    try:
        yield
    finally:
        os.environ.pop("SUNLIT_FAULTS", None)


def story(case_no: str) -> list[dict[str, Any]]:
    """A small licence case: submitted → accepted → concluded on time."""
    return [
        event(case_no, CODE, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": APPLICANT}),
        event(case_no, CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": "pw-" + case_no[-4:]}),
        event(case_no, CODE, "concluded", "2012-06-06T15:00:00+08:00",
              {"result_code": 0, "cert_name": "批复", "cert_no": f"CERT-{case_no}"}),
    ]


def post_cases(api: Api, dept: DeptCreds, case_nos: list[str]) -> dict[str, int]:
    """Send every case's story; return how many events of each case the platform accepted."""
    accepted: dict[str, int] = {}
    events = [ev for c in case_nos for ev in story(c)]
    for i in range(0, len(events), 60):
        r = api.post_events(dept, events[i:i + 60])
        assert r.status_code == 200, r.text
        for ev, result in zip(events[i:i + 60], r.json()["results"], strict=True):
            assert result["status"] == "stored", result
            accepted[ev["case_no"]] = accepted.get(ev["case_no"], 0) + 1
    return accepted


def projected(api: Api, case_no: str) -> int:
    """How many of the case's events its projection holds (0: not projected at all)."""
    r = api.get(f"/staff/cases/{case_no}", token=api.reader)
    if r.status_code == 404:
        return 0
    assert r.status_code == 200, r.text
    return int(r.json()["event_count"])


def parked_messages(local_stack: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every message in the stream dead-letter queue, left in place (received, then released)."""
    sqs = local_stack.clients["sqs"]
    url = local_stack.stack.queue_urls["StreamDeadLetterQueue"]
    seen: dict[str, dict[str, Any]] = {}
    handles: list[str] = []
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30,
                                   WaitTimeSeconds=0).get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            seen[m["MessageId"]] = json.loads(m["Body"])
            handles.append(m["ReceiptHandle"])
    for h in handles:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=h, VisibilityTimeout=0)
    return list(seen.items())


def parked_events(local_stack: Any, prefix: str) -> set[tuple[str, int]]:
    """(case_no, seq) of every event-log record of cases starting with ``prefix`` that a consumer
    gave up on — from the records in the message, else re-read from the stream by range."""
    out: set[tuple[str, int]] = set()
    for _, body in parked_messages(local_stack):
        records = body.get("records")
        if not isinstance(records, list):
            records = dlq.read_range(local_stack.clients["dynamodbstreams"], body["DDBStreamBatchInfo"])
        for rec in records:
            keys = rec["dynamodb"]["Keys"]
            pk, sk = keys["pk"]["S"], keys["sk"]["S"]
            case_no = pk.removeprefix("CASE#")
            if sk.startswith("LOG#") and case_no.startswith(prefix):
                out.add((case_no, int(sk[4:])))
    return out


def ledger(api: Api, local_stack: Any, accepted: dict[str, int],
           prefix: str) -> dict[str, set[tuple[str, int]]]:
    """The three sets whose sizes must add up: accepted, processed (in a projection), parked."""
    all_events = {(c, seq) for c, n in accepted.items() for seq in range(1, n + 1)}
    processed = {(c, seq) for c in accepted for seq in range(1, projected(api, c) + 1)}
    return {"accepted": all_events, "processed": processed, "parked": parked_events(local_stack, prefix)}


def project_failures(local_stack: Any) -> int:
    return sum(p.stats.failures for p in local_stack.pollers if getattr(p, "mapping", None)
               and p.mapping.function == "project_events")


def stats_row(api: Api, dept_code: str, period: str) -> dict[str, Any]:
    r = api.get("/stats/departments", period=period)
    assert r.status_code == 200, r.text
    return next(row for row in r.json()["items"] if row["dept_code"] == dept_code)


def test_failures_at_a_rate_leave_every_event_processed_or_parked_and_the_counts_add_up(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any) -> None:
    # Given the projection consumer failing on 30 % of its invocations
    settle()
    failures_before = project_failures(local_stack)
    cases = [f"FLT-RATE-{i:04d}" for i in range(40)]
    with faults({"project": {"rate": 0.3}}):
        # When 40 cases (120 events) arrive and the stream is worked off
        accepted = post_cases(api, dept, cases)
        settle()
    # Then failures did happen, were retried and bisected, and nothing fell through the cracks:
    # every accepted event is in a projection or parked in the dead-letter queue
    assert project_failures(local_stack) > failures_before
    sets = ledger(api, local_stack, accepted, "FLT-RATE-")
    assert len(sets["accepted"]) == 120
    assert sets["accepted"] == sets["processed"] | sets["parked"]
    assert len(sets["accepted"]) == len(sets["processed"]) + len(sets["parked"] - sets["processed"])

    # When whatever was parked is replayed with the fault gone
    local_stack.replay_dlq()
    settle()
    # Then every case is fully projected, nothing of them is parked, and the statistics count each
    # case once (retries and replays do not double the counters)
    assert {c: projected(api, c) for c in cases} == {c: 3 for c in cases}
    assert parked_events(local_stack, "FLT-RATE-") == set()
    row = stats_row(api, "750", "2012-06")
    assert (row["received"], row["concluded"], row["on_time"]) == (40, 40, 40)


def test_a_poison_case_is_parked_listed_and_replayed_once_the_fault_is_gone(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any) -> None:
    # Given a case the projection consumer always fails on, among healthy ones
    settle()
    poison = "FLT-POISON-0001"
    cases = [poison] + [f"FLT-HEALTHY-{i:04d}" for i in range(5)]
    with faults({"project": {"keys": [poison]}}):
        # When their events arrive
        accepted = post_cases(api, dept, cases)
        settle()
        # Then the healthy cases are projected, the poison case's events are parked, and the counts add up
        sets = ledger(api, local_stack, accepted, "FLT-")
        assert {c: projected(api, c) for c in cases} == {poison: 0, **{c: 3 for c in cases[1:]}}
        assert {(poison, s) for s in (1, 2, 3)} <= sets["parked"]
        assert sets["accepted"] == sets["processed"] | sets["parked"]
        assert sets["accepted"] - sets["processed"] == {(poison, s) for s in (1, 2, 3)}

        # And an administrator sees the parked batch: which consumer, why, and where in the stream
        r = api.get("/admin/dlq", token=api.admin_token)
        assert r.status_code == 200, r.text
        mine = [b for b in r.json()["items"] if b["function"] == "project_events"
                and any(poison in k for k in b["keys"])]
        assert mine, r.json()
        assert mine[0]["condition"] == "RetryAttemptsExhausted"
        assert mine[0]["shard_id"] and mine[0]["start_sequence_number"] and mine[0]["stream_arn"]
        assert "id_no" not in r.text and APPLICANT["id_no"] not in r.text  # no record contents listed

        # When a replay runs while the consumer still fails
        report = local_stack.replay_dlq()
        # Then the batch stays parked
        assert report["failed_messages"] >= 1
        assert {(poison, s) for s in (1, 2, 3)} <= parked_events(local_stack, "FLT-POISON-")

    # When the fault is gone and the dead-letter queue is replayed
    report = local_stack.replay_dlq()
    settle()
    # Then the poison case is projected in full, its chain verifies, and nothing of it is parked
    assert report["failed_messages"] == 0 and report["replayed_records"] >= 3
    assert projected(api, poison) == 3
    verify = api.get(f"/staff/cases/{poison}/verify", token=api.reader).json()
    assert (verify["ok"], verify["length"]) == (True, 3)
    assert parked_events(local_stack, "FLT-POISON-") == set()


def test_a_parked_batch_without_its_records_is_replayed_from_the_stream_by_the_admin_endpoint(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any) -> None:
    # Given a parked batch shaped as AWS sends it: only the shard and sequence range, no records
    settle()
    poison = "FLT-AWSSHAPE-0001"
    with faults({"project": {"keys": [poison]}}):
        accepted = post_cases(api, dept, [poison])
        settle()
    assert projected(api, poison) == 0
    sqs, url = local_stack.clients["sqs"], local_stack.stack.queue_urls["StreamDeadLetterQueue"]
    stripped = 0
    for _ in range(50):
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                   VisibilityTimeout=30).get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            body = json.loads(m["Body"])
            keys = [json.dumps(rec["dynamodb"]["Keys"]) for rec in body.get("records") or []]
            if "records" in body and any(poison in k for k in keys):
                body.pop("records")
                body.pop("function", None)
                body["requestContext"]["functionArn"] = AWS_FUNCTION_ARN
                sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                stripped += 1
            else:
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                                              VisibilityTimeout=0)
    assert stripped >= 1
    listed = api.get("/admin/dlq", token=api.admin_token).json()["items"]
    aws_shaped = [b for b in listed if b["records_in_message"] == 0 and b["function"] == "project_events"]
    assert len(aws_shaped) >= stripped

    # When an administrator replays the dead-letter queue through the API
    r = api.call("POST", "/admin/dlq/replay", {"max_messages": 500}, token=api.admin_token)
    settle()
    # Then the records are read back from the stream by their range and the case is projected
    assert r.status_code == 200, r.text
    assert r.json()["failed_messages"] == 0 and r.json()["expired_messages"] == 0
    assert r.json()["replayed_records"] >= accepted[poison]
    assert projected(api, poison) == 3
    assert [b for b in api.get("/admin/dlq", token=api.admin_token).json()["items"]
            if b["records_in_message"] == 0] == []


def test_make_replay_dlq_replays_a_running_stack_from_the_command_line(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any) -> None:
    # Given a parked poison case in the running stack
    settle()
    poison = "FLT-CLI-0001"
    with faults({"project": {"keys": [poison]}}):
        post_cases(api, dept, [poison])
        settle()
    assert projected(api, poison) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNLIT_", "MOTO_"))}
    env["SUNLIT_AWS_PORT"] = str(local_stack.aws_port)
    # When the operator lists the queue, then replays it (what `make replay-dlq` runs)
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "devstack.replay", *args], env=env, capture_output=True,
                              text=True, timeout=120, check=False)

    listing = run("--list")
    replay = run()
    settle()
    # Then the listing names the parked batch, the replay succeeds, and the case is projected
    assert listing.returncode == 0, listing.stderr
    assert any(poison in k for b in json.loads(listing.stdout)["items"] for k in b["keys"])
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert json.loads(replay.stdout)["replayed_records"] >= 3
    assert projected(api, poison) == 3
