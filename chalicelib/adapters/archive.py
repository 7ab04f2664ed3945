"""The audit archive: an S3 bucket with Object Lock (``infra/data.py``). Objects written here get
the bucket's default retention, so nobody can change or delete them before it ends."""
from __future__ import annotations

from typing import Any

from .aws import client


class S3Archive:
    def __init__(self, bucket: str):
        self.bucket = bucket

    def read(self, key: str) -> bytes | None:
        s3: Any = client("s3")
        try:
            body = s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        except s3.exceptions.NoSuchKey:
            return None
        return bytes(body.read())

    def write(self, key: str, body: bytes, content_type: str = "application/json; charset=utf-8") -> None:
        # Object Lock needs an integrity checksum on every write.
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                                ChecksumAlgorithm="SHA256")
