"""Upload the static sites — ``hall/`` and ``console/``, each with ``shared/`` — to a deployed stack's
buckets, with a ``config.js`` naming the API, then invalidate their CloudFront distributions.

    python infra/publish_sites.py --stack sunlit-prod [--region cn-north-1]

The bucket names, the API URL and the distribution IDs come from the stack's outputs. The local
stack uploads the same way (``upload_site``), to moto.
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "shared"
TEXT_TYPES = ("application/javascript", "application/json", "image/svg+xml", "application/manifest+json")
#: HTML and config.js change with every release and are revalidated on every visit; scripts,
#: styles and icons (not content-hashed: modules import each other by name) live five minutes.
NO_CACHE = {"index.html", "config.js"}
ASSET_CACHE = "public, max-age=300"
#: Developer files that stay out of the bucket.
SKIPPED = {"config.js", "config.example.js", "README.md"}


def content_type(path: Path) -> str:
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".js":
        ctype = "application/javascript"
    if ctype.startswith("text/") or ctype in TEXT_TYPES:
        ctype += "; charset=utf-8"
    return ctype


def config_js(api_url: str, catalog: str = "catalog/", hall_url: str | None = None) -> str:
    """The sites' runtime settings: the API, the published catalog, and the hall's address (the console
    links the API documentation published with the hall)."""
    settings = {"api": api_url.rstrip("/"), "catalog": catalog}
    if hall_url:
        settings["hall"] = hall_url.rstrip("/")
    return f"window.SUNLIT_CONFIG = {json.dumps(settings)};\n"


def site_files(directory: Path) -> list[tuple[str, Path]]:
    """A site's files as (key, path): its own directory, then the building blocks both sites load
    from ``shared/`` (DOM builder, i18n, charts, forms, the API client), kept under ``shared/``."""
    out: list[tuple[str, Path]] = []
    for base, prefix in ((directory, ""), (SHARED, "shared/")):
        for path in sorted(base.rglob("*")):
            if path.is_dir() or path.name in SKIPPED or path.name.startswith("."):
                continue
            out.append((prefix + path.relative_to(base).as_posix(), path))
    return out


def put_file(s3: Any, bucket: str, key: str, body: bytes, ctype: str) -> None:
    """One file, gzip-encoded (``Content-Encoding: gzip``: CloudFront and browsers pass it on and
    decode it; a phone's first visit transfers a fifth of the bytes) with its cache lifetime."""
    import gzip

    s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(body, mtime=0), ContentType=ctype,
                  ContentEncoding="gzip", CacheControl="no-cache" if key in NO_CACHE else ASSET_CACHE)


def upload_site(s3: Any, directory: Path, bucket: str, api_url: str, hall_url: str | None = None) -> int:
    """Every file of ``directory`` and ``shared/`` (the site's own ``config.js`` excepted), then the
    generated ``config.js``."""
    count = 0
    for key, path in site_files(directory):
        put_file(s3, bucket, key, path.read_bytes(), content_type(path))
        count += 1
    put_file(s3, bucket, "config.js", config_js(api_url, hall_url=hall_url).encode("utf-8"),
             "application/javascript; charset=utf-8")
    return count + 1


def main(argv: list[str] | None = None) -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region")
    args = parser.parse_args(argv)
    session = boto3.session.Session(region_name=args.region)
    stack = session.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    s3, cloudfront = session.client("s3"), session.client("cloudfront")
    for site in ("hall", "console"):
        directory = ROOT / site
        bucket = outputs.get(f"{site.capitalize()}BucketName")
        if not directory.is_dir() or not bucket:
            print(f"{site}: nothing to upload", file=sys.stderr)
            continue
        count = upload_site(s3, directory, bucket, outputs["ApiURL"], outputs.get("HallURL"))
        print(f"{site}: {count} files → s3://{bucket}")
        distribution = outputs.get(f"{site.capitalize()}DistributionId")
        if distribution:
            cloudfront.create_invalidation(DistributionId=distribution, InvalidationBatch={
                "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"{site}-{time.time_ns()}"})
            print(f"{site}: invalidated {distribution} → {outputs.get(f'{site.capitalize()}URL', '')}")


if __name__ == "__main__":
    main()
