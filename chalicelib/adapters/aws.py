"""Lazy, cached boto3 clients: nothing touches AWS at import time (docs/DESIGN.md §4.4)."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, cast

from ..settings import get_settings

_traced = False


def _trace_once() -> None:
    """In Lambda with X-Ray on, patch botocore once so every AWS call is a subsegment."""
    global _traced
    if _traced:
        return
    _traced = True
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and os.environ.get("AWS_XRAY_SDK_ENABLED", "true") != "false":
        from aws_xray_sdk.core import patch

        patch(["boto3", "botocore"])


@lru_cache(maxsize=16)
def client(service: str) -> Any:
    _trace_once()
    import boto3
    from botocore.config import Config

    settings = get_settings()
    cfg = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                 max_pool_connections=32)
    return cast(Any, boto3).client(service, region_name=settings.region, endpoint_url=settings.endpoint_url, config=cfg)


def reset_clients() -> None:
    client.cache_clear()
