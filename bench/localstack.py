"""The local stack as the benchmarks (and the integration tests) need it: started in-process and
hardened against three faults of the local emulation that AWS does not have.

1. **Every local API answer waits ~40 ms.** Chalice's local server writes headers and body in
   two segments on a keep-alive connection; Nagle's algorithm holds the second until the client's
   delayed ACK. ``no_nagle`` sets ``TCP_NODELAY`` on the server's connections (API Gateway has no
   such delay). Without it every request, /health included, costs 40+ ms.
2. **moto's base-table Query filters every item of the table**, where DynamoDB reads one
   partition, so each case-log read costs O(all events ever stored). The benchmarks' stack asks
   for ``devstack.moto_fixes``' ``partitions`` fix (a speed fix only; the tests run without it).
   GSI queries still scan the table (the sweep benchmark reports that cost next to its numbers).
3. **Pollers report idle while a batch runs** (fixed in ``devstack/pollers.py`` by the
   ``idle.clear()`` before the handler runs; ``honest_idle`` is a no-op once that is in).
4. **The local notifications queue is never read**, and moto's SNS publish slows with its
   length; the benchmarks ``drain_notifications`` before each measurement.

(moto's ``TransactWriteItems`` deep-copy and rollback are handled by ``devstack.moto_fixes``'
``transactions`` fix, which every local stack applies.) 1 is in ``devstack`` too; ``harden(stack)``
applies 1–3 to a running in-process stack. Everything here is idempotent.
"""
from __future__ import annotations

import os
from typing import Any

BENCH_MOTO_FIXES = ("transactions", "partitions")


def partition_queries() -> None:
    """moto's base-table queries read one partition (``devstack.moto_fixes``, idempotent)."""
    from devstack import moto_fixes

    moto_fixes.apply(["partitions"])


def honest_idle(stack: Any) -> None:
    """Clear each poller's idle flag while its handler runs, so ``wait_idle`` waits for work in flight."""
    for poller in stack.pollers:
        if getattr(poller, "_sunlit_honest_idle", False) or not hasattr(poller, "handler"):
            continue

        def busy(event: Any, context: Any, _run: Any = poller.handler, _poller: Any = poller) -> Any:
            _poller.idle.clear()
            return _run(event, context)

        poller.handler = busy
        poller._sunlit_honest_idle = True


def no_nagle(stack: Any) -> None:
    """``TCP_NODELAY`` on the local API server's connections (its handler class sits in a partial)."""
    factory = stack._http.server.RequestHandlerClass
    getattr(factory, "func", factory).disable_nagle_algorithm = True


def drain_notifications(stack: Any) -> None:
    """Empty the local stand-in for the signals' SMS/email subscribers (an SQS queue nobody reads).

    moto's SNS→SQS delivery slows with every message left in that queue (8 ms per publish when
    empty, 24 ms after 1,200), so without this a later measurement pays for an earlier one's
    signals. AWS's SNS publish does not depend on what subscribers have not read.
    """
    url = (stack.stack.queue_urls if stack.stack else {}).get("Notifications")
    if not url:
        return
    sqs = stack.clients["sqs"]
    while True:  # PurgeQueue is allowed once a minute; reading and deleting is not limited
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                       VisibilityTimeout=60).get("Messages", [])
        if not messages:
            return
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])


def harden(stack: Any) -> None:
    partition_queries()
    honest_idle(stack)
    no_nagle(stack)


def iam_enforced() -> bool:
    """Whether the benchmarks' stack runs under moto's IAM enforcement: ``SUNLIT_IAM=1`` (off by default).

    Off, because it measures moto, not the platform: with it on, every request is signed with its
    function's role and moto's server checks the signature and evaluates the role's policy in
    Python (``devstack/iam.py``), ~1 ms a request on this machine that AWS does inside the service
    without a client noticing. The pipeline makes several requests per event where the raw
    ``PutItem`` floor makes one, so that emulation cost would weigh on the ratios as if it were the
    platform's (README's benchmark notes give the figures with it on). What IAM enforcement proves
    — every call within its function's grants — the integration tests prove on every path
    (``tests/integration/test_iam.py`` and the autouse ``no_access_denied`` check); with
    ``SUNLIT_IAM=1`` the benchmarks run under it too and report any refusal.
    """
    return os.environ.get("SUNLIT_IAM", "0") != "0"


def start_stack() -> Any:
    """A fresh in-process stack without the demo city or schedules, hardened; IAM as ``iam_enforced``."""
    os.environ["SUNLIT_IAM"] = "1" if iam_enforced() else "0"
    for key, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                       ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled"),
                       ("AWS_XRAY_SDK_ENABLED", "false")):
        os.environ.setdefault(key, value)
    os.environ["SUNLIT_PUBLIC_RATE_LIMIT"] = "1000000"  # the throttle is measured, never hit
    from devstack.stack import LocalStack

    stack = LocalStack(demo=False, schedules=False, moto_fixes=BENCH_MOTO_FIXES, log_fn=lambda m: None).start()
    harden(stack)
    return stack
