"""Public item read (issue 9): ``GET /catalog/items/{code}`` through the local API, against a raw
``GetItem`` of the same version record from the same moto server. Target ≤ 3x (median latency).
"""
from __future__ import annotations

import statistics
import time
from typing import Any

import boto3
import requests

from .result import Result, percentile
from .setup import declare_item, department

REQUESTS = 300
DEPT = "811"


def run(stack: Any, n: int = REQUESTS) -> Result:
    department(stack, DEPT)
    code = declare_item(stack, DEPT, "001")
    ddb = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    http = requests.Session()
    url = f"{stack.api_url}/catalog/items/{code}"
    key = {"pk": {"S": f"ITEM#{code}"}, "sk": {"S": "V#0001"}}

    def api_read() -> None:
        r = http.get(url, timeout=30)
        r.raise_for_status()

    def raw_read() -> None:
        if "Item" not in ddb.get_item(TableName="sunlit-local-catalog", Key=key, ConsistentRead=True):
            raise RuntimeError("catalog record missing")

    for _ in range(20):  # warm connections and caches on both sides
        api_read()
        raw_read()
    api_samples: list[float] = []
    raw_samples: list[float] = []
    for _ in range(n):  # interleaved, so load drifts affect both alike
        api_samples.append(_timed(api_read))
        raw_samples.append(_timed(raw_read))
    api_ms, raw_ms = statistics.median(api_samples) * 1000, statistics.median(raw_samples) * 1000
    return Result(
        name="public item read", measured=api_ms, floor=raw_ms, unit="ms", ratio=api_ms / raw_ms, target=3.0,
        what=f"GET /catalog/items/{{code}} median of {n}", floor_what="raw GetItem of the version record",
        details={"api_p95_ms": round(percentile(api_samples, 95) * 1000, 2),
                 "raw_p95_ms": round(percentile(raw_samples, 95) * 1000, 2), "requests": n},
    )


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started
