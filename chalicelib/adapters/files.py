"""The attachments bucket (S3) as the private file store (``kernel.ports.FileStore``).

Presigned POSTs and GETs are signed with Signature Version 4 (the only one the China regions and
every newer region accept). The POST policy admits exactly one key, one content type and a size
range; S3 refuses anything else before storing it (moto does not check policies, so the local
stack applies the ``post_policy`` fix of ``devstack.moto_fixes``).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ..kernel.ports import FileStat
from ..settings import get_settings
from .aws import _trace_once, boto3_session

CHUNK = 1024 * 1024


@lru_cache(maxsize=1)
def _client() -> Any:
    _trace_once()
    from botocore.config import Config

    settings = get_settings()
    # Deployed: bucket.s3.<region>.<suffix> in every region, us-east-1 too (the sites' CSP names it).
    cfg = Config(signature_version="s3v4", retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5,
                 read_timeout=30, s3={"addressing_style": "path" if settings.endpoint_url else "virtual",
                                      "us_east_1_regional_endpoint": "regional"})
    return boto3_session().client("s3", region_name=settings.region, endpoint_url=settings.endpoint_url, config=cfg)


def reset() -> None:
    _client.cache_clear()


class S3FileStore:
    def __init__(self, bucket: str):
        self.bucket = bucket

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_seconds: int) -> dict[str, Any]:
        post = _client().generate_presigned_post(
            self.bucket, key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_seconds)
        return {"url": post["url"], "fields": post["fields"]}

    def stat(self, key: str) -> FileStat | None:
        from botocore.exceptions import ClientError

        try:
            head = _client().head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return FileStat(size=int(head["ContentLength"]), content_type=str(head.get("ContentType") or ""))

    def copy(self, source: str, target: str) -> None:
        _client().copy_object(Bucket=self.bucket, Key=target, CopySource={"Bucket": self.bucket, "Key": source},
                              MetadataDirective="COPY")

    def digest(self, key: str, head_bytes: int = 16) -> tuple[str, bytes]:
        body = _client().get_object(Bucket=self.bucket, Key=key)["Body"]
        sha = hashlib.sha256()
        head = b""
        for chunk in iter(lambda: body.read(CHUNK), b""):
            if len(head) < head_bytes:
                head += chunk[: head_bytes - len(head)]
            sha.update(chunk)
        return sha.hexdigest(), head

    def download_url(self, key: str, filename: str, content_type: str, expires_seconds: int) -> str:
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return str(_client().generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key, "ResponseContentDisposition": disposition,
                                  "ResponseContentType": content_type}, ExpiresIn=expires_seconds))

    def delete(self, key: str) -> None:
        _client().delete_object(Bucket=self.bucket, Key=key)
