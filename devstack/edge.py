"""The local stand-in for CloudFront: serves a site's bucket (the hall, the console) from moto S3
with the response headers the deployed distributions add (``infra/sites.py``), so the browser
tests run the sites under the same Content-Security-Policy — an inline script would be refused
here as it would be in production.

Like CloudFront with origin access control, it reads the private bucket itself (signed as the
local stack); ``/`` serves ``index.html``. Only HSTS and ``upgrade-insecure-requests`` cannot
mean anything over local HTTP: the CSP omits the latter, browsers ignore the former.
"""
from __future__ import annotations

import logging
import threading
from datetime import UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger("sunlit.devstack.edge")
PASSED = ("Content-Type", "Content-Encoding", "Cache-Control", "ETag", "Content-Language")


def local_headers(api_url: str, files_url: str | None = None) -> dict[str, str]:
    """The sites' headers with the local API (and the embedded S3 the hall uploads attachments to)."""
    from infra.sites import content_security_policy, security_headers

    return security_headers(content_security_policy([api_url, *([files_url] if files_url else [])], https=False))


class Edge:
    def __init__(self, s3: Any, bucket: str, port: int, headers: dict[str, str]):
        self.s3 = s3
        self.bucket = bucket
        self.headers = headers
        edge = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def do_GET(self) -> None:
                edge.serve(self, head=False)

            def do_HEAD(self) -> None:
                edge.serve(self, head=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"edge-{bucket}", daemon=True)

    def start(self) -> Edge:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve(self, request: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = request.path.split("?", 1)[0].split("#", 1)[0]
        key = path.lstrip("/") or "index.html"
        if key.endswith("/"):
            key += "index.html"
        try:
            got = self.s3.get_object(Bucket=self.bucket, Key=key)
        except Exception as exc:  # noqa: BLE001 - a missing key (or anything else) is a 404, as CloudFront shows OAC's 403
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
            status = 404 if code in ("NoSuchKey", "404", "NoSuchBucket") else 502
            self._send(request, status, {"Content-Type": "text/plain; charset=utf-8"}, b"Not Found" if status == 404
                       else b"Bad Gateway", head)
            return
        body = got["Body"].read()
        headers = {name: str(got[name.replace("-", "")]) for name in PASSED if got.get(name.replace("-", ""))}
        if got.get("LastModified"):
            headers["Last-Modified"] = format_datetime(got["LastModified"].astimezone(UTC), usegmt=True)
        etag = got.get("ETag")
        if etag and request.headers.get("If-None-Match") == etag:
            self._send(request, 304, {"ETag": etag}, b"", True)
            return
        self._send(request, 200, headers, body, head)

    def _send(self, request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes,
              head: bool) -> None:
        request.send_response(status)
        for name, value in {**headers, **self.headers}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if not head:
            request.wfile.write(body)
