"""Kill the whole local stack mid-ingest and restart it (崩溃恢复): nothing accepted is lost,
nothing is applied twice.

moto runs in a process of its own (the embedded AWS survives, as AWS would); ``python -m devstack``
runs against it with ``SUNLIT_AWS_EXTERNAL=1``. A sender thread posts signed batches; the stack
is SIGKILLed while a batch is in flight, restarted against the same moto (provisioning finds
every resource already there; the stream pollers resume from their checkpoints), and the sender
re-sends every batch whose response it never received — safe because ingest is idempotent.

Department codes 755–759 belong to this module.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devstack.stack import ChildStack, free_port
from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration

CODE = "320300755XK00100"
CASES = [f"RST-{i:04d}" for i in range(40)]
BATCH_CASES = 2  # two cases (eight events) per request: twenty requests
KILL_AT_BATCH = 8


def story(case_no: str) -> list[dict[str, Any]]:
    applicant = {"type": "person", "name": "赵六", "id_type": "身份证", "id_no": "320311199001011234"}
    return [
        event(case_no, CODE, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": applicant}),
        event(case_no, CODE, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": "pw-rst-1"}),
        event(case_no, CODE, "step", "2012-06-05T10:00:00+08:00", {"step_code": "1", "opinion": "同意"}),
        event(case_no, CODE, "concluded", "2012-06-06T15:00:00+08:00",
              {"result_code": 0, "cert_no": f"C-{case_no}"}),
    ]


def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``check`` until it holds (the stack works asynchronously); fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server in its own process: the AWS that outlives the stack."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNLIT_", "MOTO_"))}
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "ab")  # noqa: SIM115 - closed below
    command = [sys.executable, "-c", f"from devstack.stack import serve_moto; serve_moto({port})"]
    proc = subprocess.Popen(command, cwd=str(Path(__file__).resolve().parents[2]), env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: _answers(url), 60, "moto answers")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/moto-api/", timeout=2).status_code < 500
    except requests.RequestException:
        return False


class Sender(threading.Thread):
    """Posts every batch until it has a response for it; a batch whose response was lost (the
    stack died) is re-sent once the stack is back."""

    def __init__(self, api: Api, dept: DeptCreds, batches: list[list[dict[str, Any]]]):
        super().__init__(name="sender", daemon=True)
        self.api, self.dept, self.batches = api, dept, batches
        self.results: dict[int, list[dict[str, Any]]] = {}
        self.resent: set[int] = set()
        self.in_flight_at_kill = threading.Event()
        self.stack_back = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for i, batch in enumerate(self.batches):
                while i not in self.results:
                    if i == KILL_AT_BATCH and not self.in_flight_at_kill.is_set():
                        self.in_flight_at_kill.set()  # the main thread kills the stack now
                    try:
                        r = self.api.post_events(self.dept, batch)
                    except requests.RequestException:
                        self.resent.add(i)
                        assert self.stack_back.wait(180), "the stack did not come back"
                        continue
                    assert r.status_code == 200, r.text
                    self.results[i] = r.json()["results"]
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


def test_a_stack_killed_mid_ingest_loses_no_accepted_event_and_applies_none_twice(
        moto_url: str, tmp_path: Path) -> None:
    # Given a stack on an external moto, with department 755 and its confirmed licence item
    aws_port = int(moto_url.rsplit(":", 1)[1])
    api_port = free_port()
    admin_token, token_secret = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
    env = ChildStack.environment(api_port, aws_port, admin_token, token_secret, external_aws=True)
    log = str(tmp_path / "stack.log")
    stack = ChildStack(env, log).start()
    api = Api(stack.api_url, admin_token)
    try:
        dept = api.department("755", "测试重启恢复局755")
        api.declare_and_confirm(license_item("755", "001"), api.user("restart-legal", ["legal"]))
        events = [ev for c in CASES for ev in story(c)]
        per_batch = 4 * BATCH_CASES
        sender = Sender(api, dept, [events[i:i + per_batch] for i in range(0, len(events), per_batch)])

        # When a sender posts batch after batch and the whole stack is SIGKILLed while one is in flight
        sender.start()
        assert sender.in_flight_at_kill.wait(300), "the sender never reached the kill point"
        stack.kill()
        assert sender.is_alive(), "ingest had already finished: the kill was not mid-ingest"
        # And the stack is restarted against the same moto, and the sender finishes (re-sending
        # what it never got an answer for)
        stack = ChildStack(env, log).start()
        sender.stack_back.set()
        sender.join(300)
        assert sender.error is None, f"{sender.error!r}\n{stack.log_tail()}"
        assert not sender.is_alive()

        # Then the batch in flight was re-sent, and every event ends up accepted: stored once, or a
        # duplicate of what the first, unanswered delivery had already stored
        assert sender.resent and min(sender.resent) in (KILL_AT_BATCH, KILL_AT_BATCH + 1), sender.resent
        statuses = [r["status"] for results in sender.results.values() for r in results]
        assert len(statuses) == len(events)
        assert set(statuses) <= {"stored", "duplicate"}
        # And every case's log holds each of its four events exactly once, its chain intact
        admin = Api(stack.api_url, admin_token)
        reader = admin.reader  # administrators do not read cases: the supervision bureau does

        def all_projected() -> bool:
            for case_no in CASES:
                r = admin.get(f"/staff/cases/{case_no}", token=reader)
                if r.status_code != 200 or r.json()["event_count"] != 4:
                    return False
            return True

        eventually(all_projected, 180, "every case projected with its four events")
        for case_no in CASES:
            verify = admin.get(f"/staff/cases/{case_no}/verify", token=reader).json()
            assert (verify["ok"], verify["length"]) == (True, 4), verify
            view = admin.get(f"/staff/cases/{case_no}", token=reader).json()
            assert [t["type"] for t in view["timeline"]] == ["submitted", "accepted", "step", "concluded"]
            assert view["status"] == "concluded"
        # And the statistics count each case once, though pollers re-delivered after the restart
        eventually(lambda: _stats(admin, "755")["concluded"] == len(CASES), 60, "statistics caught up")
        row = _stats(admin, "755")
        assert (row["received"], row["concluded"], row["on_time"]) == (len(CASES), len(CASES), len(CASES))
    finally:
        stack.stop()


def _stats(api: Api, dept_code: str) -> dict[str, Any]:
    r = api.get("/stats/departments", period="2012-06")
    assert r.status_code == 200, r.text
    return next(row for row in r.json()["items"] if row["dept_code"] == dept_code)
