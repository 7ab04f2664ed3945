"""Lazy, cached boto3 clients: nothing touches AWS at import time (docs/DESIGN.md §4.4)."""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

from ..settings import get_settings

_traced = False
_sessions = threading.local()


def _trace_once() -> None:
    """In Lambda with X-Ray on, patch botocore once so every AWS call is a subsegment."""
    global _traced
    if _traced:
        return
    _traced = True
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and os.environ.get("AWS_XRAY_SDK_ENABLED", "true") != "false":
        from aws_xray_sdk.core import patch

        patch(["boto3", "botocore"])


def botocore_session() -> Any:
    """This thread's botocore session, which every client the adapters make comes from — pynamodb's
    per-table connections too (``tables.configure_models``). A session loads the endpoint table and
    each service's model once; pynamodb made a session per table model, so a cold start's first
    request reloaded them for every table it touched (40–130 ms of CPU each, issue 20's first answer
    in ``bench/cold_start.py``). One per thread, as pynamodb keeps them: creating a client from a
    session is not thread-safe in botocore."""
    session = getattr(_sessions, "botocore", None)
    if session is None:
        from botocore.session import get_session

        session = _sessions.botocore = get_session()
    return session


def boto3_session() -> Any:
    """This thread's boto3 session over :func:`botocore_session` (wrapped once: boto3 registers its
    handlers on the botocore session each time it wraps one)."""
    session = getattr(_sessions, "boto3", None)
    if session is None:
        import boto3.session

        session = _sessions.boto3 = boto3.session.Session(botocore_session=botocore_session())
    return session


@lru_cache(maxsize=16)
def client(service: str) -> Any:
    _trace_once()
    from botocore.config import Config

    settings = get_settings()
    cfg = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                 max_pool_connections=32)
    return boto3_session().client(service, region_name=settings.region, endpoint_url=settings.endpoint_url, config=cfg)


def reset_clients() -> None:
    client.cache_clear()
