"""Commands run against a deployed stack by whoever deployed it, with their own AWS credentials
(``bootstrap``, ``upgrade``): which stack and region, in one place."""
from __future__ import annotations

import argparse
import os


def add_stack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="CloudFormation stack name (the table prefix), e.g. sunlit-prod")
    parser.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION"), help="AWS region, e.g. cn-north-1")
    parser.add_argument("--endpoint-url", default=os.environ.get("SUNLIT_AWS_ENDPOINT"), help=argparse.SUPPRESS)


def use_stack(args: argparse.Namespace) -> None:
    """Point the settings at the stack's tables (before ``wiring`` builds anything)."""
    os.environ["SUNLIT_TABLE_PREFIX"] = f"{args.stack}-"
    os.environ["SUNLIT_STAGE"] = args.stack
    if args.region:
        os.environ["AWS_DEFAULT_REGION"] = args.region
    if args.endpoint_url:
        os.environ["SUNLIT_AWS_ENDPOINT"] = args.endpoint_url
