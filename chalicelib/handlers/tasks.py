"""Task worker: human steps of natively run cases wait on SQS ``.waitForTaskToken``; this
consumer stores each pending task for the worklist (DESIGN §2.3)."""
from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from chalicelib.runtime.services import tasks

from .. import wiring

log = logging.getLogger("sunlit.tasks")
bp = Blueprint(__name__)


@bp.lambda_function(name="task_worker")
def task_worker(event: dict[str, Any], context: Any) -> dict[str, Any]:
    deps = wiring.deps()
    failures = []
    for record in event.get("Records", []):
        try:
            tasks.store_task(deps, json.loads(record["body"]))
        except Exception:
            log.exception("task message %s failed", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
