"""Task worker: human steps of natively run cases wait on SQS ``.waitForTaskToken``; this
consumer stores each pending task for the worklist (docs/DESIGN.md §2.3), acknowledges it to the
execution with a heartbeat, and turns the machines' timeout reports into signals."""
from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from .. import wiring

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

log = logging.getLogger("sunlit.tasks")
bp = Blueprint(__name__)


@bp.lambda_function(name="task_worker")
def task_worker(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.runtime.services import task_timeouts, tasks

    deps = wiring.deps()
    failures = []
    for record in event.get("Records", []):
        try:
            message = json.loads(record["body"])
            with wiring.span("task", case_no=message.get("case_no"), dept=message.get("dept_code"),
                             kind=message.get("kind")):
                if task_timeouts.is_timeout(message):
                    task_timeouts.report_timeout(deps, message)
                else:
                    tasks.store_task(deps, message)
                    task_timeouts.acknowledge(deps, message)
        except Exception:
            log.exception("task message %s failed", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
