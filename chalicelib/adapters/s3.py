"""The hall bucket (S3) as the publisher of static documents (``kernel.ports.Publisher``)."""
from __future__ import annotations

import json
from typing import Any

from .aws import client


class S3Publisher:
    def __init__(self, bucket: str, max_age_seconds: int = 60):
        self.bucket = bucket
        self.cache_control = f"max-age={max_age_seconds}"

    def put_json(self, key: str, doc: Any) -> None:
        client("s3").put_object(Bucket=self.bucket, Key=key, ContentType="application/json; charset=utf-8",
                                CacheControl=self.cache_control,
                                Body=json.dumps(doc, ensure_ascii=False).encode("utf-8"))
