"""The whole system on one machine: moto in server mode as the embedded AWS, every resource
from ``infra/``, the Chalice API, stream/queue pollers invoking the app's own Lambda handlers,
the schedules, and the hall uploaded to its bucket.

``python -m devstack`` (what ``make run`` calls) runs it in the foreground; tests use
``LocalStack`` in-process.
"""
from __future__ import annotations

import logging
import mimetypes
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .provision import ROOT, Stack, app_environment, provision

log = logging.getLogger("sunlit.devstack")
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalStack:
    api_port: int = 0
    aws_port: int = 0
    demo: bool = False
    admin_token: str | None = None
    stack_name: str = "sunlit-local"
    schedules: bool = True
    log_fn: Callable[[str], None] = print
    api_url: str = ""
    hall_url: str = ""
    aws_url: str = ""
    stack: Stack | None = None
    pollers: list[Any] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _moto: Any = None
    _http: Any = None
    clients: dict[str, Any] = field(default_factory=dict)
    handlers: dict[str, Any] = field(default_factory=dict)

    # ----- lifecycle ----------------------------------------------------------------------------
    def start(self) -> LocalStack:
        self.aws_port = self.aws_port or free_port()
        self.api_port = self.api_port or free_port()
        self.admin_token = self.admin_token or secrets.token_urlsafe(24)
        self.aws_url = f"http://127.0.0.1:{self.aws_port}"
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self._environment()
        self._start_moto()
        self._make_clients()
        self.stack = provision(self.clients, self.stack_name, REGION)
        os.environ.update(app_environment(self.stack))
        from chalicelib import wiring
        from chalicelib.handlers import api_system

        wiring.reset()
        api_system.READINESS["ready"] = False
        self._start_api()
        self._start_pollers()
        self._subscribe_outbox()
        self.upload_hall()
        from chalicelib.services import catalog

        catalog.publish(wiring.stores())
        if self.demo:
            self.load_demo()
        if self.schedules:
            self._start_schedules()
        api_system.READINESS["ready"] = True
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server.server_close()
        for t in self._threads:
            t.join(timeout=3)
        if self._moto is not None:
            self._moto.stop()

    # ----- parts -------------------------------------------------------------------------------
    def _environment(self) -> None:
        env = {
            "MOTO_PORT": str(self.aws_port),
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_XRAY_SDK_ENABLED": "false",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            "SUNLIT_AWS_ENDPOINT": self.aws_url,
            "SUNLIT_ADMIN_TOKEN": self.admin_token or "",
            "SUNLIT_TOKEN_SECRET": os.environ.get("SUNLIT_TOKEN_SECRET") or secrets.token_urlsafe(32),
            "SUNLIT_PUBLIC_RATE_LIMIT": os.environ.get("SUNLIT_PUBLIC_RATE_LIMIT", "120"),
        }
        os.environ.update(env)

    def _start_moto(self) -> None:
        import requests
        from moto.server import ThreadedMotoServer

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.aws_port, verbose=False)
        self._moto.start()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        requests.post(f"{self.aws_url}/moto-api/config",
                      json={"stepfunctions": {"execute_state_machine": True}}, timeout=10).raise_for_status()

    def _make_clients(self) -> None:
        import boto3
        from botocore.config import Config

        cfg = Config(retries={"max_attempts": 3}, max_pool_connections=32)
        for name in ("dynamodb", "dynamodbstreams", "sqs", "sns", "s3", "stepfunctions"):
            self.clients[name] = boto3.client(name, region_name=REGION, endpoint_url=self.aws_url, config=cfg)

    def _start_api(self) -> None:
        from chalice.config import Config
        from chalice.local import ChaliceRequestHandler, LocalDevServer

        class QuietHandler(ChaliceRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

        sys.path.insert(0, str(ROOT))
        import app as app_module

        config = Config(chalice_stage="local", config_from_disk={}, user_provided_params={})
        self._http = LocalDevServer(app_module.app, config, "127.0.0.1", self.api_port,
                                    handler_cls=QuietHandler)
        self._http.server.daemon_threads = True
        t = threading.Thread(target=self._http.serve_forever, name="api", daemon=True)
        t.start()
        self._threads.append(t)
        self.handlers = _lambda_handlers(app_module.app)

    def _start_pollers(self) -> None:
        from .pollers import QueuePoller, StreamPoller

        assert self.stack is not None
        dlq = self.stack.queue_urls.get("StreamDeadLetterQueue")
        url_by_arn = {self.stack.attrs[(lid, "Arn")]: url for lid, url in self.stack.queue_urls.items()}
        for mapping in self.stack.mappings:
            handler = self.handlers.get(mapping.function)
            if handler is None:
                raise RuntimeError(f"infra maps an event source to unknown function {mapping.function}")
            poller: Any
            if ":sqs:" in mapping.source_arn:
                poller = QueuePoller(self.clients, url_by_arn[mapping.source_arn], mapping.function, handler,
                                     self._stop)
            else:
                poller = StreamPoller(self.clients, mapping, handler, dlq, REGION, self._stop)
            poller.start()
            self.pollers.append(poller)
            self._threads.append(poller)

    def _subscribe_outbox(self) -> None:
        """Signal notifications are visible locally in the ``…-notifications`` queue."""
        assert self.stack is not None
        topic = self.stack.physical.get("SignalsTopic")
        if not topic:
            return
        url = self.clients["sqs"].create_queue(QueueName=f"{self.stack_name}-notifications")["QueueUrl"]
        arn = self.clients["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self.clients["sns"].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        self.stack.queue_urls["Notifications"] = url

    def _start_schedules(self) -> None:
        from chalice.app import Rate

        import app as app_module

        for name, rate_or_cron, fn in _schedules(app_module.app):
            if isinstance(rate_or_cron, Rate):
                seconds = rate_or_cron.value * {"minutes": 60, "hours": 3600, "days": 86400}[rate_or_cron.unit]
            else:
                seconds = 86400
            interval = float(os.environ.get("SUNLIT_SCHEDULE_SECONDS", seconds))

            def loop(fn: Any = fn, interval: float = interval, name: str = name) -> None:
                while not self._stop.wait(interval):
                    try:
                        fn({"source": "devstack.schedule", "detail-type": "Scheduled Event"})
                    except Exception:
                        log.exception("schedule %s failed", name)

            t = threading.Thread(target=loop, name=f"schedule-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def upload_hall(self) -> None:
        assert self.stack is not None
        bucket = self.stack.physical["HallBucket"]
        s3 = self.clients["s3"]
        hall = ROOT / "hall"
        for path in sorted(hall.rglob("*")):
            if path.is_dir() or path.name == "config.js":
                continue
            key = path.relative_to(hall).as_posix()
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json",
                                                      "image/svg+xml"):
                ctype += "; charset=utf-8"
            s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=ctype)
        config = f'window.SUNLIT_CONFIG = {{"api": "{self.api_url}", "catalog": "catalog/"}};\n'
        s3.put_object(Bucket=bucket, Key="config.js", Body=config.encode(),
                      ContentType="application/javascript; charset=utf-8")
        self.hall_url = f"{self.aws_url}/{bucket}/index.html"

    def load_demo(self) -> None:
        from .demo.generator import generate
        from .demo.loader import load

        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        city = generate(anchor=today)
        summary = load(self.api_url, self.admin_token or "", city, log=lambda m: log.info(m))
        self.demo_summary = summary
        self.wait_idle()
        from chalicelib import wiring
        from chalicelib.services import rules

        rules.sweep(wiring.stores(), datetime.now(UTC))
        self.wait_idle()

    def wait_idle(self, timeout: float = 300.0, quiet: float = 0.6) -> bool:
        """Wait until every poller has found nothing to do for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        calm_since: float | None = None
        while time.monotonic() < deadline:
            if all(p.idle.is_set() for p in self.pollers):
                calm_since = calm_since or time.monotonic()
                if time.monotonic() - calm_since >= quiet:
                    return True
            else:
                calm_since = None
            time.sleep(0.05)
        return False

    def replay_dlq(self) -> dict[str, int]:
        from .pollers import replay_dlq

        assert self.stack is not None
        return replay_dlq(self.clients, self.stack.queue_urls["StreamDeadLetterQueue"], self.handlers)


def _lambda_handlers(app: Any) -> dict[str, Any]:
    """The app's plain Lambda functions by name (what the event-source mappings invoke)."""
    return {fn.name: fn.func for fn in app.pure_lambda_functions}


def _schedules(app: Any) -> list[tuple[str, Any, Any]]:
    from chalice.app import ScheduledEventConfig

    out = []
    for ev in app.event_sources:
        if isinstance(ev, ScheduledEventConfig):
            out.append((ev.name, ev.schedule_expression, app.handler_map[ev.name]))
    return out


def main() -> None:
    logging.basicConfig(level=os.environ.get("SUNLIT_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    given = os.environ.get("SUNLIT_ADMIN_TOKEN")
    stack = LocalStack(api_port=int(os.environ.get("SUNLIT_API_PORT", "8000")),
                       aws_port=int(os.environ.get("SUNLIT_AWS_PORT", "4566")),
                       demo=os.environ.get("SUNLIT_DEMO", "1") != "0", admin_token=given)
    done = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        done.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("Starting Sunlit (阳光政务) local stack…", flush=True)
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    if not given:
        print(f"ADMIN TOKEN: {stack.admin_token}", flush=True)
    print(f"API: {stack.api_url}", flush=True)
    print(f"HALL: {stack.hall_url}", flush=True)
    done.wait()
    print("Stopping…", flush=True)
    stack.stop()


if __name__ == "__main__":
    main()
