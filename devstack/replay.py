"""``python -m devstack.replay`` (``make replay-dlq``): re-deliver the batches parked in the stream
dead-letter queue (死信队列) of a running local stack, or just list them.

It talks to the stack's moto server (``SUNLIT_AWS_PORT``, default 4566) and runs the same consumer
functions the pollers run, through the same code as ``POST /admin/dlq/replay``: the records in
the message when present, else the shard range re-read from the stream. A batch leaves the queue
only once its consumer took all of it; consumers are idempotent, so replaying is always safe.

    python -m devstack.replay            # replay everything parked
    python -m devstack.replay --list     # show what is parked, replay nothing
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .provision import ROOT, Stack, app_environment, queue_url

REGION = "us-east-1"
STACK_NAME = "sunlit-local"


def _clients(aws_url: str) -> dict[str, Any]:
    import boto3

    return {name: boto3.client(name, region_name=REGION, endpoint_url=aws_url)
            for name in ("sqs", "dynamodbstreams", "dynamodb")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.replay",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list parked batches, replay nothing")
    parser.add_argument("--max-messages", type=int, default=10_000)
    parser.add_argument("--stack-name", default=STACK_NAME)
    args = parser.parse_args(argv)

    aws_url = f"http://127.0.0.1:{os.environ.get('SUNLIT_AWS_PORT', '4566')}"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
    os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")
    from . import iam

    enforced = iam.load(int(aws_url.rsplit(":", 1)[1]))  # sign as the running stack does
    clients = _clients(aws_url)
    try:
        dlq_url = queue_url(clients["sqs"], args.stack_name, "StreamDeadLetterQueue", REGION)
    except Exception as exc:  # noqa: BLE001 - no stack there: say so plainly
        print(f"没有找到运行中的本地环境（{aws_url}，{args.stack_name}）：{exc}", file=sys.stderr)
        return 2

    from chalicelib.adapters import dlq

    if args.list:
        parked = dlq.list_parked(clients["sqs"], dlq_url, 500)
        print(json.dumps({"items": parked}, ensure_ascii=False, indent=2))
        return 0

    # Point the app's adapters at the stack, as the running stack does for its own functions.
    stack = Stack(name=args.stack_name, region=REGION, physical={"StreamDeadLetterQueue": dlq_url})
    os.environ.update({k: v for k, v in app_environment(stack).items() if v})
    os.environ["SUNLIT_AWS_ENDPOINT"] = aws_url
    sys.path.insert(0, str(ROOT))
    import app as app_module
    from chalicelib import wiring

    wiring.reset()
    from infra.functions import BY_NAME

    def bound(name: str, func: Any) -> Any:  # each consumer with its own role, as in AWS
        def run(event: dict[str, Any], context: Any) -> Any:
            with iam.acting_as(BY_NAME[name].logical_id if enforced and name in BY_NAME else None):
                return func(event, context)
        return run

    handlers = {fn.name: bound(fn.name, fn.func) for fn in app_module.app.pure_lambda_functions}
    report = dlq.replay(clients["sqs"], clients["dynamodbstreams"], dlq_url, handlers,
                        max_messages=args.max_messages, region=REGION)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0 if not (report.failed_messages or report.expired_messages) else 1


if __name__ == "__main__":
    sys.exit(main())
