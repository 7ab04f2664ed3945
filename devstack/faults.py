"""Fault injection (故障注入) for the local stack's reliability tests, wired in by ``LocalStack``.

``SUNLIT_FAULTS='{"project": {"rate": 0.2, "keys": ["CASE-1"]}}'`` makes a stream consumer
(``project``, ``supervise``, ``legal``) fail for the named cases, or at a rate; it is read on every
call, so a test can switch it on and off around a block. The app itself only offers the seam
(``chalicelib.handlers.streams.before_case``); no deployment installs this.
"""
from __future__ import annotations

import json
import os
import random


class InjectedFaultError(RuntimeError):
    """Raised by the fault switch."""


def maybe_fail(consumer: str, key: str) -> None:
    raw = os.environ.get("SUNLIT_FAULTS")
    if not raw:
        return
    spec = json.loads(raw).get(consumer) or {}
    if key in spec.get("keys", []) or (spec.get("rate") and random.random() < float(spec["rate"])):
        raise InjectedFaultError(f"injected fault in {consumer} for {key}")


def install() -> None:
    """Let ``SUNLIT_FAULTS`` reach the stream consumers of this process."""
    from chalicelib.handlers import streams

    streams.before_case = maybe_fail
