"""Data steps of an upgrade, run by whoever deployed it (idempotent: safe to run again)::

    python -m chalicelib.handlers.upgrade --stack sunlit-prod --region cn-north-1

* **Signal markers** (issue #20): the supervision stream looks for stale signals only in cases marked
  as having a withdrawable one (``SIGMARK``). Signals raised by a release before markers existed (or
  by an older release during a rollback) have none: this marks their cases. Run it right after
  deploying a release with markers, or after rolling forward again.
"""
from __future__ import annotations

import argparse
import sys

from .deployed import add_stack_options, use_stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.handlers.upgrade",
                                     description="Data steps of an upgrade of a deployed Sunlit stack (idempotent).")
    add_stack_options(parser)
    args = parser.parse_args(argv)
    use_stack(args)
    from .. import wiring
    from ..supervision.repositories import OversightRecords

    wiring.reset()
    seen = OversightRecords(wiring.stores()).mark_withdrawable()
    print(f"signal markers: {seen} signals looked at, their cases with a withdrawable signal marked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
