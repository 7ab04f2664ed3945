"""Lazy, cached boto3 clients: nothing touches AWS at import time (DESIGN §4.4)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..settings import get_settings


@lru_cache(maxsize=16)
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    settings = get_settings()
    cfg = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                 max_pool_connections=32)
    return boto3.client(service, region_name=settings.region, endpoint_url=settings.endpoint_url, config=cfg)


def reset_clients() -> None:
    client.cache_clear()
