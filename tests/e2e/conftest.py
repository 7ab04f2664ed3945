"""The end-to-end tier drives the started stack exactly as a user would: ``python -m devstack``
(what ``make run`` runs) in a subprocess with the demo city, then HTTP and Chromium."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = float(os.environ.get("SUNLIT_E2E_START_TIMEOUT", "1200"))


@dataclass
class RunningStack:
    api: str
    hall: str
    admin_token: str
    process: subprocess.Popen[str]
    output: list[str]
    demo_password: str = ""
    console: str = ""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    attached = os.environ.get("SUNLIT_E2E_API")
    if attached:  # a stack someone already runs (`make run`), to iterate on the browser tests quickly
        yield RunningStack(attached, os.environ["SUNLIT_E2E_HALL"], os.environ["SUNLIT_ADMIN_TOKEN"], None, [],  # type: ignore[arg-type]
                           os.environ.get("SUNLIT_DEMO_PASSWORD", ""), os.environ["SUNLIT_E2E_CONSOLE"])
        return
    env = {**os.environ, "SUNLIT_API_PORT": str(_free_port()), "SUNLIT_AWS_PORT": str(_free_port()),
           "SUNLIT_DEMO": "1", "PYTHONUNBUFFERED": "1", "SUNLIT_PUBLIC_RATE_LIMIT": "100000"}
    env.pop("SUNLIT_ADMIN_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line.rstrip())
            for key in ("API", "HALL", "CONSOLE", "ADMIN TOKEN", "DEMO PASSWORD"):
                if line.startswith(f"{key}: "):
                    found[key] = line.split(": ", 1)[1].strip()
            if {"API", "HALL", "CONSOLE", "ADMIN TOKEN"} <= found.keys():
                ready.set()

    threading.Thread(target=reader, daemon=True).start()
    if not ready.wait(START_TIMEOUT):
        proc.kill()
        pytest.fail("the local stack did not print API/HALL/CONSOLE lines in time:\n" + "\n".join(output[-50:]))
    running = RunningStack(found["API"], found["HALL"], found["ADMIN TOKEN"], proc, output,
                           found.get("DEMO PASSWORD", ""), found["CONSOLE"])
    yield running
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the local stack did not stop within 10 s of SIGTERM")


@pytest.fixture(scope="session")
def api_url(stack: RunningStack) -> str:
    return stack.api


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):  # type: ignore[no-untyped-def]
    """Poll a condition the system makes true asynchronously (streams), bounded in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


__all__ = ["RunningStack", "requests", "wait_for"]
