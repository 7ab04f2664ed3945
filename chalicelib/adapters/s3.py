"""The hall bucket (S3) as the publisher of static files (``kernel.ports.Publisher``)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
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

    def put_file(self, key: str, body: bytes, *, content_type: str, cache_control: str,
                 content_encoding: str | None = None) -> None:
        extra = {"ContentEncoding": content_encoding} if content_encoding else {}
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                                CacheControl=cache_control, **extra)

    def list_files(self, prefix: str) -> list[tuple[str, datetime]]:
        found: list[tuple[str, datetime]] = []
        for page in client("s3").get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            found.extend((obj["Key"], obj["LastModified"]) for obj in page.get("Contents", []))
        return found

    def delete_files(self, keys: Sequence[str]) -> None:
        for i in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
            client("s3").delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})
