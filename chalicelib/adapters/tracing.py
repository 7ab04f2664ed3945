"""X-Ray annotations (case_no, dept) so a case's traces can be found across API Gateway, the
functions and the state machines (the executions are named by case number).

In Lambda with tracing active, ``span`` opens a subsegment carrying the annotations (the
function's own segment cannot be annotated); everywhere else it does nothing.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("sunlit.tracing")


def enabled() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and os.environ.get("AWS_XRAY_SDK_ENABLED", "true") != "false"


@contextmanager
def span(name: str, *, case_no: str | None = None, dept: str | None = None, **annotations: str | None) -> Iterator[None]:
    if not enabled():
        yield
        return
    from aws_xray_sdk.core import xray_recorder

    try:
        subsegment = xray_recorder.begin_subsegment(name[:200])
    except Exception:  # noqa: BLE001 - tracing never breaks the work it traces
        log.debug("no X-Ray subsegment for %s", name)
        subsegment = None
    if subsegment is not None:
        for key, value in {"case_no": case_no, "dept": dept, **annotations}.items():
            if value:
                subsegment.put_annotation(key, str(value)[:500])
    try:
        yield
    finally:
        if subsegment is not None:
            xray_recorder.end_subsegment()
