"""Data steps of an upgrade, run by whoever deployed it (idempotent: safe to run again)::

    python -m chalicelib.handlers.upgrade --stack sunlit-prod --region cn-north-1

* **Signal markers** (issue #20): the supervision stream looks for stale signals only in cases marked
  as having a withdrawable one (``SIGMARK``). Signals raised by a release before markers existed (or
  by an older release during a rollback) have none: this marks their cases. Run it right after
  deploying a release with markers, or after rolling forward again.
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.handlers.upgrade",
                                     description="Data steps of an upgrade of a deployed Sunlit stack (idempotent).")
    parser.add_argument("--stack", required=True, help="CloudFormation stack name (the table prefix), e.g. sunlit-prod")
    parser.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION"), help="AWS region, e.g. cn-north-1")
    parser.add_argument("--endpoint-url", default=os.environ.get("SUNLIT_AWS_ENDPOINT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["SUNLIT_TABLE_PREFIX"] = f"{args.stack}-"
    os.environ["SUNLIT_STAGE"] = args.stack
    if args.region:
        os.environ["AWS_DEFAULT_REGION"] = args.region
    if args.endpoint_url:
        os.environ["SUNLIT_AWS_ENDPOINT"] = args.endpoint_url
    from .. import wiring
    from ..supervision.repositories import OversightRecords

    wiring.reset()
    seen = OversightRecords(wiring.stores()).mark_withdrawable()
    print(f"signal markers: {seen} signals looked at, their cases with a withdrawable signal marked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
