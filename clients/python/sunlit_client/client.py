"""HTTP clients for Sunlit: ``ExchangeClient`` for department systems (signed), ``StaffClient`` for
staff and administrators (bearer token).

Posting is batched (at most 500 events a request, the contract's limit) and retried on network
errors, 429 and 5xx answers (and the exchange's 409 for colliding deliveries) with exponential
backoff. Retrying is safe because the platform is
idempotent on ``event_id`` + ``data_version``: an event stored by an attempt whose answer was lost
comes back ``duplicate`` the next time, and nothing is stored twice. Every attempt is signed
afresh (the timestamp must be within 300 s of the server's clock).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from .events import Event, chunks
from .signing import signed_headers

MAX_BATCH = 500
EXCHANGE_PATH = "/exchange/events"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: The exchange also answers 409 when concurrent deliveries of one case collide: re-send the same batch.
EXCHANGE_RETRY_STATUSES = RETRY_STATUSES | {409}
DEFAULT_TIMEOUT = 120.0
USER_AGENT = "sunlit-client/0.1"


class ApiError(RuntimeError):
    """A request the platform answered with an error (after retries, for retryable ones)."""

    def __init__(self, status: int, body: Any, method: str = "", path: str = ""):
        self.status = status
        self.body = body
        self.method = method
        self.path = path
        error = body.get("error") if isinstance(body, dict) else None
        self.code = str(error.get("code")) if isinstance(error, dict) else f"HTTP_{status}"
        self.message = str(error.get("message")) if isinstance(error, dict) else str(body)[:300]
        self.details: list[dict[str, Any]] = list(error.get("details") or []) if isinstance(error, dict) else []
        super().__init__(f"{method} {path} → {status} {self.code}: {self.message}")


@dataclass
class RetryPolicy:
    """How often and how patiently to retry (attempts include the first)."""

    attempts: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), self.max_backoff_s)
        return min(self.backoff_s * (2 ** attempt), self.max_backoff_s)


class _Http:
    def __init__(self, api: str, session: requests.Session | None, retry: RetryPolicy | None, timeout: float):
        self.api = api.rstrip("/")
        self.http = session or requests.Session()
        self.retry = retry or RetryPolicy()
        self.timeout = timeout

    def send(self, method: str, path: str, *, body: bytes | None = None, params: dict[str, Any] | None = None,
             headers: Callable[[], dict[str, str]] | None = None, retry: bool = True,
             accept: str = "application/json", retry_on: frozenset[int] = RETRY_STATUSES) -> requests.Response:
        """One request, retried (for retryable failures) with fresh headers on every attempt."""
        attempts = self.retry.attempts if retry else 1
        for attempt in range(attempts):
            hdrs = {"Accept": accept, "User-Agent": USER_AGENT, **(headers() if headers else {})}
            if body is not None:
                hdrs["Content-Type"] = "application/json; charset=utf-8"
            try:
                resp = self.http.request(method, self.api + path, data=body, params=_clean(params), headers=hdrs,
                                         timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout):
                if attempt + 1 >= attempts:
                    raise
                self.retry.sleep(self.retry.delay(attempt))
                continue
            if resp.status_code in retry_on and attempt + 1 < attempts:
                self.retry.sleep(self.retry.delay(attempt, resp.headers.get("Retry-After")))
                continue
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def parse(resp: requests.Response, method: str, path: str) -> Any:
        try:
            body = resp.json() if resp.content else None
        except ValueError:
            body = resp.text
        if resp.status_code >= 400:
            raise ApiError(resp.status_code, body, method, path)
        return body


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if params is None else {k: v for k, v in params.items() if v is not None}


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ExchangeClient:
    """A department system's client: signs every request with the department's key (docs/CONTRACT.md §2)."""

    def __init__(self, api: str, key_id: str, secret: str, *, session: requests.Session | None = None,
                 retry: RetryPolicy | None = None, timeout: float = DEFAULT_TIMEOUT):
        self._http = _Http(api, session, retry, timeout)
        self.key_id = key_id
        self._secret = secret

    def post_batch(self, events: list[Event]) -> list[dict[str, Any]]:
        """Post at most 500 events in one signed request; the per-event results in request order.

        Raises ``ApiError`` when the whole request is refused (401 signature, 403 another
        department's item or case, 400 a malformed batch) or still fails after the retries.
        """
        if not 1 <= len(events) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1–{MAX_BATCH} events, not {len(events)}")
        body = _encode({"events": events})
        resp = self._http.send("POST", EXCHANGE_PATH, body=body, retry_on=EXCHANGE_RETRY_STATUSES,
                               headers=lambda: signed_headers(self.key_id, self._secret, "POST", EXCHANGE_PATH, body))
        return list(self._http.parse(resp, "POST", EXCHANGE_PATH)["results"])

    def post_events(self, events: Iterable[Event], *, batch_size: int = MAX_BATCH,
                    on_batch: Callable[[list[Event], list[dict[str, Any]]], None] | None = None,
                    stop_on_error: bool = False) -> list[dict[str, Any]]:
        """Post any number of events in batches; one result per event, in order.

        A batch the platform refuses as a whole gives each of its events the result
        ``{"event_id", "status": "failed", "errors": [...], "http_status"}``; later batches are
        still sent unless ``stop_on_error``. ``on_batch(batch, results)`` is called after each batch
        (the CLI's progress bar).
        """
        size = max(1, min(batch_size, MAX_BATCH))
        out: list[dict[str, Any]] = []
        for batch in chunks(events, size):
            try:
                results = self.post_batch(batch)
            except ApiError as exc:
                if stop_on_error:
                    raise
                results = [failed_result(ev, exc) for ev in batch]
            out += results
            if on_batch:
                on_batch(batch, results)
        return out


def failed_result(event: Any, exc: ApiError) -> dict[str, Any]:
    event_id = event.get("event_id") if isinstance(event, dict) else None
    errors = exc.details or [{"field": "", "type": exc.code, "message": exc.message}]
    return {"event_id": event_id, "status": "failed", "errors": errors, "http_status": exc.status}


class StaffClient:
    """Staff and administrators: every request carries ``Authorization: Bearer <token>``."""

    def __init__(self, api: str, token: str | None = None, *, session: requests.Session | None = None,
                 retry: RetryPolicy | None = None, timeout: float = DEFAULT_TIMEOUT):
        self._http = _Http(api, session, retry, timeout)
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        """JSON in, JSON out; ``ApiError`` for a 4xx/5xx. Only GETs are retried (a POST may not be idempotent)."""
        resp = self._http.send(method, path, body=None if body is None else _encode(body), params=params,
                               headers=self._headers, retry=method == "GET")
        return self._http.parse(resp, method, path)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, body if body is not None else {})

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def paginate(self, path: str, *, limit: int = 500, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint (``{"items", "next"}``), following the ``next`` cursor."""
        cursor: str | None = None
        while True:
            page = self.get(path, **params, limit=limit, cursor=cursor)
            yield from page.get("items", [])
            cursor = page.get("next")
            if not cursor:
                return

    def download(self, path: str, accept: str, **params: Any) -> bytes:
        """A binary download (an .xlsx report); ``ApiError`` when the answer is an error."""
        resp = self._http.send("GET", path, params=params, headers=self._headers, accept=accept)
        if resp.status_code >= 400:
            self._http.parse(resp, "GET", path)
        return resp.content
