"""The whole system on one machine: moto in server mode as the embedded AWS, every resource
from ``infra/``, the Chalice API, stream/queue pollers invoking the app's own Lambda handlers,
the schedules, and the hall uploaded to its bucket.

``python -m devstack`` (what ``make run`` calls) runs it in the foreground; tests use
``LocalStack`` in-process.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import iam
from .pollers import Activity
from .provision import ROOT, Stack, app_environment, function_roles, provision, roles

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
    #: ``demo`` (the 16-department demo city) or ``city`` (the city-size data set, ``SUNLIT_DEMO_SCALE=city``).
    demo_scale: str = "demo"
    admin_token: str | None = None
    #: The demo staff's password (docs/CONTRACT.md §8): ``SUNLIT_DEMO_PASSWORD`` or generated at start.
    demo_password: str | None = None
    demo_password_generated: bool = False
    #: The department of ``demo-handler`` and ``demo-head`` (the demo's busiest, city level).
    demo_dept: str | None = None
    stack_name: str = "sunlit-local"
    schedules: bool = True
    #: Use a moto server someone else runs (``SUNLIT_AWS_EXTERNAL=1``): provision idempotently,
    #: resume the stream pollers from their checkpoints, and leave moto running on stop.
    external_aws: bool = False
    #: Fixes to moto's emulation this stack applies (``devstack.moto_fixes``); None: from
    #: ``SUNLIT_MOTO_FIXES`` (unset: the ``transactions`` and ``post_policy`` correctness fixes).
    moto_fixes: tuple[str, ...] | None = None
    #: Enforce IAM (``SUNLIT_IAM``, on by default): every function runs with its own role from the
    #: template and moto refuses what the role does not allow (``devstack/iam.py``).
    enforce_iam: bool = field(default_factory=lambda: os.environ.get("SUNLIT_IAM", "1") != "0")
    hall_port: int = 0
    console_port: int = 0
    console_url: str = ""
    log_fn: Callable[[str], None] = print
    api_url: str = ""
    hall_url: str = ""
    aws_url: str = ""
    stack: Stack | None = None
    pollers: list[Any] = field(default_factory=list)
    #: The pollers' shared clock of work (what ``wait_idle`` proves settlement with).
    activity: Activity = field(default_factory=Activity)
    _stop: threading.Event = field(default_factory=threading.Event)
    #: What ``GET /health`` reports: 503 until everything is up (the demo city loaded).
    _ready: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _moto: Any = None
    _http: Any = None
    clients: dict[str, Any] = field(default_factory=dict)
    handlers: dict[str, Any] = field(default_factory=dict)
    #: Function name → logical ID of the function (and of its role): who runs what.
    identities: dict[str, str] = field(default_factory=dict)
    edges: list[Any] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)

    # ----- lifecycle ----------------------------------------------------------------------------
    def start(self) -> LocalStack:
        self.aws_port = self.aws_port or free_port()
        self.api_port = self.api_port or free_port()
        self.admin_token = self.admin_token or secrets.token_urlsafe(24)
        self.hall_port = self.hall_port or free_port()
        self.console_port = self.console_port or free_port()
        self.aws_url = f"http://127.0.0.1:{self.aws_port}"
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self._environment()
        if self.external_aws:
            self._connect_moto()
        else:
            self._start_moto()
        self._make_clients()
        if self.enforce_iam:
            iam.set_enforcement(self.aws_url, False)  # (a restart against an external moto)
        self.stack = provision(self.clients, self.stack_name, REGION)
        os.environ.update(app_environment(self.stack))
        from chalicelib import wiring
        from chalicelib.catalog import services as catalog
        from chalicelib.disclosure.services import directory as disclosure_directory
        from chalicelib.handlers import api_system

        from . import faults

        wiring.reset()
        faults.install()
        api_system.readiness = self._ready.is_set
        self.identities = {_function_name(fn): fn for fn in function_roles()}
        if self.enforce_iam:
            self._enforce_iam()
        self._start_api()
        self._start_pollers()
        self._subscribe_outbox()
        self._start_edges()
        self.upload_hall()
        catalog.publish(wiring.deps())
        disclosure_directory.publish(wiring.deps())
        fresh = self.demo and not self._already_loaded()
        if fresh:
            self.load_demo()
        if self.demo:
            self.ensure_demo_staff()
        if fresh:
            self.seed_workbench()
        if self.schedules:
            self._start_schedules()
        self._ready.set()
        return self

    def stop(self) -> None:
        self._stop.set()
        for edge in self.edges:
            edge.stop()
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
            # The city-size data set's 9,000 citizens rating their cases all come from 127.0.0.1
            # here; the per-address limit would keep its load waiting for an hour.
            "SUNLIT_PUBLIC_RATE_LIMIT": os.environ.get(
                "SUNLIT_PUBLIC_RATE_LIMIT", "100000" if self.demo and self.demo_scale == "city" else "120"),
            # the hall and the console are served each from its own edge (devstack/edge.py), as
            # CloudFront serves them: the API names those origins in its CORS answers (the hall's
            # also moto's S3 origin, where its files can be opened path-style)
            "SUNLIT_HALL_ORIGINS": f"http://127.0.0.1:{self.hall_port},http://localhost:{self.hall_port},{self.aws_url}",
            "SUNLIT_CONSOLE_ORIGINS": f"http://127.0.0.1:{self.console_port},http://localhost:{self.console_port}",
        }
        os.environ.update(env)

    def _start_moto(self) -> None:
        import requests
        from moto.server import ThreadedMotoServer

        from . import moto_fixes as fixes

        fixes.apply(fixes.from_environment() if self.moto_fixes is None else self.moto_fixes)
        iam.patch_moto()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.aws_port, verbose=False)
        self._moto.start()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        requests.post(f"{self.aws_url}/moto-api/config",
                      json={"stepfunctions": {"execute_state_machine": True}}, timeout=10).raise_for_status()

    def _connect_moto(self, timeout: float = 30.0) -> None:
        """Wait for the external moto server to answer, then switch on Step Functions execution."""
        import requests

        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.post(f"{self.aws_url}/moto-api/config",
                              json={"stepfunctions": {"execute_state_machine": True}}, timeout=5).raise_for_status()
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no moto server answers at {self.aws_url}") from None
                self._stop.wait(0.2)

    def _make_clients(self) -> None:
        import boto3
        from botocore.config import Config

        cfg = Config(retries={"max_attempts": 3}, max_pool_connections=32)
        for name in ("dynamodb", "dynamodbstreams", "sqs", "sns", "s3", "stepfunctions", "kms", "secretsmanager",
                     "iam", "sts"):
            self.clients[name] = boto3.client(name, region_name=REGION, endpoint_url=self.aws_url, config=cfg)

    def _start_api(self) -> None:
        from chalice.config import Config
        from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalDevServer

        class QuietHandler(ChaliceRequestHandler):
            # Chalice's local server writes headers and body in two segments; with Nagle's
            # algorithm every answer waited ~40 ms for the client's delayed ACK.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def _generic_handle(self) -> None:
                # API Gateway reports the caller's address as sourceIp (the public rate limits key
                # on it); chalice local says 127.0.0.1 for everyone. Report the real peer.
                self.local_gateway.event_converter.LOCAL_SOURCE_IP = str(self.client_address[0])
                # The function API Gateway would invoke for this route runs it, with its role.
                with iam.acting_as(stack.route_function(self.command, self.path)):
                    super()._generic_handle()

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

            def _send_http_response(self, code: Any, headers: Any, body: Any) -> None:
                # A client that gave up waiting (a health probe's timeout on a busy machine) is not
                # a server error: API Gateway would drop the answer just the same.
                try:
                    super()._send_http_response(code, headers, body)
                except (BrokenPipeError, ConnectionResetError):
                    log.debug("the client closed the connection before the answer")

            def _send_error_response(self, error: Any) -> None:
                # A path no route serves: API Gateway's MISSING_AUTHENTICATION_TOKEN answer. The
                # deployed API maps it (a gateway response) to the contract's 404; so does this.
                if isinstance(error, ForbiddenError):
                    body = json.dumps({"error": {"code": "NOT_FOUND", "message": "接口不存在", "details": []}},
                                      ensure_ascii=False).encode("utf-8")
                    self._send_http_response(404, {"Content-Type": "application/json; charset=utf-8"}, body)
                    return
                super()._send_error_response(error)

        sys.path.insert(0, str(ROOT))
        import app as app_module

        stack = self
        config = Config(chalice_stage="local", config_from_disk={}, user_provided_params={})
        self._http = LocalDevServer(app_module.app, config, "127.0.0.1", self.api_port,
                                    handler_cls=QuietHandler)
        self._http.server.daemon_threads = True
        self._http.server.handle_error = _quiet_disconnects(self._http.server.handle_error)
        t = threading.Thread(target=self._http.serve_forever, name="api", daemon=True)
        t.start()
        self._threads.append(t)
        self.handlers = _lambda_handlers(app_module.app)

    def _start_pollers(self) -> None:
        from .pollers import Checkpoints, QueuePoller, StreamPoller
        from .provision import checkpoint_table

        assert self.stack is not None
        checkpoints = Checkpoints(self.clients["dynamodb"], checkpoint_table(self.clients["dynamodb"], self.stack_name))
        dlq = self.stack.queue_urls.get("StreamDeadLetterQueue")
        url_by_arn = {self.stack.attrs[(lid, "Arn")]: url for lid, url in self.stack.queue_urls.items()}
        for mapping in self.stack.mappings:
            handler = self.handlers.get(mapping.function)
            if handler is None:
                raise RuntimeError(f"infra maps an event source to unknown function {mapping.function}")
            poller: Any
            identity = self.identities.get(mapping.function)
            if ":sqs:" in mapping.source_arn:
                poller = QueuePoller(self.clients, url_by_arn[mapping.source_arn], mapping.function, handler,
                                     self._stop, identity=identity, activity=self.activity)
            else:
                poller = StreamPoller(self.clients, mapping, handler, dlq, REGION, self._stop,
                                      checkpoints=checkpoints, identity=identity, activity=self.activity)
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
        t = threading.Thread(target=self._read_outbox, args=(url,), name="notifications", daemon=True)
        t.start()
        self._threads.append(t)

    def _read_outbox(self, url: str) -> None:
        """The local stand-in for SMS/email subscribers: log each notification (INFO) and keep the
        last 200 in ``self.notifications``. Reading them also keeps moto's SNS delivery fast."""
        sqs = self.clients["sqs"]
        while not self._stop.is_set():
            try:
                got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            except Exception:  # noqa: BLE001 - the stack is stopping or moto hiccuped
                self._stop.wait(0.5)
                continue
            for m in got:
                try:
                    note = json.loads(m["Body"])
                except ValueError:
                    note = {"Message": m["Body"]}
                self.notifications.append(note)
                log.info("notification: %s", note.get("Subject", ""))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            del self.notifications[:-200]

    def _start_schedules(self) -> None:
        from chalice.app import Rate

        import app as app_module

        from .pollers import LambdaContext

        for name, rate_or_cron, fn in _schedules(app_module.app):
            if isinstance(rate_or_cron, Rate):
                seconds = rate_or_cron.value * {"minutes": 60, "hours": 3600, "days": 86400}[str(rate_or_cron.unit).lower()]
            else:
                seconds = 86400
            interval = float(os.environ.get("SUNLIT_SCHEDULE_SECONDS", seconds))

            def loop(fn: Any = fn, interval: float = interval, name: str = name) -> None:
                while not self._stop.wait(interval):
                    try:
                        with iam.acting_as(self.identities.get(name)):
                            fn(scheduled_event(name), LambdaContext(name))
                    except Exception:
                        log.exception("schedule %s failed", name)

            t = threading.Thread(target=loop, name=f"schedule-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def upload_hall(self) -> None:
        """Upload ``hall/`` (and ``console/`` once it exists) to their buckets, with a ``config.js``
        naming the API — what ``infra/publish_sites.py`` does for a deployed stack."""
        from infra.publish_sites import upload_site

        assert self.stack is not None
        for site, bucket_id in (("hall", "HallBucket"), ("console", "ConsoleBucket")):
            if (ROOT / site).is_dir() and bucket_id in self.stack.physical:
                upload_site(self.clients["s3"], ROOT / site, self.stack.physical[bucket_id], self.api_url,
                            f"http://127.0.0.1:{self.hall_port}" if self.hall_port else None)
        self.hall_url = f"{self.edges[0].url}/index.html" if self.edges else ""
        self.console_url = f"{self.edges[1].url}/index.html" if len(self.edges) > 1 else ""

    def _start_edges(self) -> None:
        """The hall and the console, each on its own origin, as CloudFront serves them."""
        from .edge import Edge, local_headers

        assert self.stack is not None
        # The browser also posts attachments straight to the bucket: locally, the embedded AWS.
        headers = local_headers(self.api_url, self.aws_url)
        for bucket_id, port in (("HallBucket", self.hall_port), ("ConsoleBucket", self.console_port)):
            self.edges.append(Edge(self.clients["s3"], self.stack.physical[bucket_id], port, headers).start())
        # The edges' ports were chosen up front (start), so the API's CORS origins (_environment) already
        # name them, as the template names the CloudFront domains; the attachments bucket admits uploads
        # from the hall's and the console's (infra/build.py: the sites' origins in AWS).
        hall, console = self.edges[0].url, self.edges[1].url
        origins = (hall, hall.replace("127.0.0.1", "localhost"), console, console.replace("127.0.0.1", "localhost"))
        if "AttachmentsBucket" in self.stack.physical:
            self.clients["s3"].put_bucket_cors(Bucket=self.stack.physical["AttachmentsBucket"], CORSConfiguration={
                "CORSRules": [{"AllowedMethods": ["POST"], "AllowedOrigins": list(origins), "AllowedHeaders": ["*"],
                               "MaxAgeSeconds": 3000}]})

    # ----- IAM ---------------------------------------------------------------------------------
    def _enforce_iam(self) -> None:
        """Create each function's role from the template, sign each function's calls with it, and
        switch moto's IAM enforcement on (``devstack/iam.py``)."""
        from chalicelib import wiring

        assert self.stack is not None
        policies, trust = roles(self.stack)
        iam.setup(self.clients, self.stack_name, policies, trust, function_roles())
        iam.patch_signer()
        wiring.local_invoker = self.invoke
        iam.save(self.aws_port)
        iam.set_enforcement(self.aws_url, True)

    def route_function(self, method: str, path: str) -> str:
        """The function (logical ID) API Gateway invokes for a request (``ROUTE_FUNCTIONS``)."""
        from infra.functions import BY_NAME, ROUTE_FUNCTIONS

        bare = path.split("?", 1)[0].rstrip("/") or "/"
        for (route, verb), name in ROUTE_FUNCTIONS.items():
            if bare == route and method.lower() == verb:
                return BY_NAME[name].logical_id
        return "APIHandler"

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        """Lambda ``Invoke`` of one of the app's functions, locally: the caller's role must allow
        ``lambda:InvokeFunction`` on it, and it runs with its own role."""
        assert self.stack is not None
        target = self.identities[name]
        caller = iam.current()
        if caller is not None and not iam.authorize(caller, "lambda:InvokeFunction", self.stack.attrs[(target, "Arn")]):
            raise PermissionError(f"AccessDeniedException: {caller} may not invoke {name}")
        with iam.acting_as(target):
            return self.handlers[name](event, None)

    def as_function(self, name: str) -> Any:
        """``with stack.as_function("scheduled_sweep"): …`` runs a block as that function (tests)."""
        return iam.acting_as(self.identities[name])

    def as_identity(self, logical_id: str) -> Any:
        """The same by the function's logical ID (``APIHandler``…)."""
        return iam.acting_as(logical_id)

    def iam_denials(self, clear: bool = False) -> list[dict[str, Any]]:
        return iam.clear_denials() if clear else iam.denials()

    def _already_loaded(self) -> bool:
        """A restart against an external moto finds the city it loaded before: load it only once."""
        if not self.external_aws:
            return False
        from chalicelib import wiring
        from chalicelib.identity.services import departments

        return bool(departments.list_departments(wiring.stores()))

    def load_demo(self) -> None:
        from .demo.city import generate_city
        from .demo.generator import generate
        from .demo.loader import BATCH, MAX_BATCH, load

        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        big = self.demo_scale == "city"
        city = generate_city(anchor=today) if big else generate(anchor=today)
        if big:
            self.log_fn(f"demo: the city-size data set {city.counts()}")
        # History older than two days comes in as a migration with its original receipt times;
        # the last two days are pushed live through the signed exchange.
        summary = load(self.api_url, self.admin_token or "", city, log=self.log_fn,
                       history_before=datetime.now(UTC) - timedelta(hours=48),
                       batch_size=MAX_BATCH if big else BATCH)
        self.demo_summary = summary
        self.demo_dept = busiest_department(city)
        self.wait_idle()

    def seed_workbench(self) -> None:
        """Work waiting in the console for every demo role (``devstack/demo/workbench.py``), then a
        sweep as of now so the deadlines that passed raise their signals."""
        from chalicelib import wiring
        from chalicelib.cases.services import sweep as timer

        from .demo.workbench import seed

        assert self.demo_dept and self.demo_password
        seed(self.api_url, self.admin_token or "", self.demo_password, self.demo_dept, log_fn=self.log_fn)
        self.wait_idle()
        timer.sweep(wiring.deps(), datetime.now(UTC))
        self.wait_idle()
        self.publish_demo_grades()

    def publish_demo_grades(self) -> None:
        """The supervision bureau has published the last finished quarter's grades, for the hall."""
        from chalicelib import wiring
        from chalicelib.identity.domain.roles import Principal
        from chalicelib.supervision.services import evaluation

        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        year, quarter = today.year, (today.month - 1) // 3  # the previous quarter (0: last year's Q4)
        period = f"{year}Q{quarter}" if quarter else f"{year - 1}Q4"
        bureau = Principal(kind="user", username="demo-supervisor", roles=frozenset({"supervisor"}))
        evaluation.publish_grades(wiring.deps(), bureau, period, datetime.now(UTC))

    def ensure_demo_staff(self) -> None:
        """The demo staff accounts of docs/CONTRACT.md §8, with this start's demo password."""
        from chalicelib import wiring
        from chalicelib.identity.repositories import Users
        from chalicelib.identity.services import bootstrap

        if not self.demo_password:
            from chalicelib.identity.domain.passwords import generate_password

            self.demo_password, self.demo_password_generated = generate_password(), True
        stores = wiring.stores()
        dept = self.demo_dept
        if dept is None:  # a restart that found the city loaded: keep the department the accounts had
            found = Users(stores).get("demo-handler")
            dept = found.body.get("dept_code") if found else None
        if dept is None:
            dept = min(d["code"] for d in bootstrap_departments(stores))
        bootstrap.ensure_demo_staff(stores, wiring.identity_config(), password=self.demo_password, dept_code=dept,
                                    regions=demo_regions(stores))
        self.demo_dept = dept

    def wait_idle(self, timeout: float = 300.0, quiet: float = 0.6) -> bool:
        """Wait until every poller has found nothing to do for ``quiet`` seconds, each having begun a
        poll that found nothing after the last work anywhere and after this call (``pollers.Activity``)."""
        deadline = time.monotonic() + timeout
        called = self.activity.tick()
        calm_since: float | None = None
        while time.monotonic() < deadline:
            settled_after = max(called, self.activity.last_work)
            if all(p.idle.is_set() and p.calm_from > settled_after for p in self.pollers):
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
        def consumer(name: str) -> Any:
            return lambda event, _ctx: self.invoke(name, event)

        consumers = {name: consumer(name) for name in self.handlers}
        return replay_dlq(self.clients, self.stack.queue_urls["StreamDeadLetterQueue"], consumers,
                          region=REGION)


def scheduled_event(rule: str) -> dict[str, Any]:
    """The event EventBridge hands a scheduled function (Chalice reads every one of these fields)."""
    return {"version": "0", "id": secrets.token_hex(16), "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": REGION,
            "resources": [f"arn:aws:events:{REGION}:123456789012:rule/{rule}"], "detail": {}}


def _quiet_disconnects(handle_error: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """A client that hangs up before its answer (a health probe's timeout on a busy machine) is not
    an error of the stack: no traceback in its log for it (API Gateway does not log one either)."""

    def handle(request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        handle_error(request, client_address)

    return handle


def _function_name(logical_id: str) -> str:
    from infra.functions import FUNCTIONS

    return next((f.name for f in FUNCTIONS if f.logical_id == logical_id), logical_id)


def busiest_department(city: Any) -> str:
    """The demo department with the most open cases (no conclusion yet), city level first."""
    final = {"concluded", "closed", "delivered"}
    open_cases: dict[str, int] = {}
    for dept, events in city.events_by_dept.items():
        done = {e["case_no"] for e in events if e["type"] in final}
        open_cases[dept] = len({e["case_no"] for e in events} - done)
    city_level = {d["code"] for d in city.departments if d.get("level") == "city"}
    return max(open_cases, key=lambda d: (d in city_level, open_cases[d], d))


def demo_regions(stores: Any) -> dict[str, str]:
    """The demo city and each of its counties/districts that has a department (两级): code → name."""
    from .demo.data import CITY_REGION, REGIONS

    codes = {d.get("region_code") for d in bootstrap_departments(stores)} | {CITY_REGION}
    return {c: REGIONS[c] for c in sorted(c for c in codes if c in REGIONS)}


def bootstrap_departments(stores: Any) -> list[dict[str, Any]]:
    from chalicelib.identity.services import departments

    return departments.list_departments(stores) or [{"code": "001"}]


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


def serve_moto(port: int, moto_fixes: tuple[str, ...] | None = None) -> None:
    """A moto server in the foreground until SIGTERM/SIGINT — the embedded AWS of an
    ``SUNLIT_AWS_EXTERNAL=1`` stack: ``python -c "from devstack.stack import serve_moto; serve_moto(4566)"``.
    ``moto_fixes``: see ``devstack.moto_fixes`` (default: from ``SUNLIT_MOTO_FIXES``)."""
    from moto.server import ThreadedMotoServer

    from . import moto_fixes as fixes

    os.environ["MOTO_PORT"] = str(port)
    fixes.apply(fixes.from_environment() if moto_fixes is None else moto_fixes)
    iam.patch_moto()
    iam.patch_signer()  # the Step Functions interpreter signs as the state machines' role
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print(f"MOTO: http://127.0.0.1:{port}", flush=True)
    done.wait()
    server.stop()


class ChildStack:
    """``python -m devstack`` as a child process in its own session, for tests that must kill the
    whole stack (restart mid-ingest) or need a stack of their own (fuzzing with admin rights).

    ``env`` is added to a copy of this process's environment stripped of every ``SUNLIT_*`` and
    ``MOTO_*`` variable (an in-process test stack sets those for itself)."""

    def __init__(self, env: dict[str, str], log_path: str):
        self.env = env
        self.log_path = log_path
        self.api_url = f"http://127.0.0.1:{env['SUNLIT_API_PORT']}"
        self.process: Any = None

    @staticmethod
    def environment(api_port: int, aws_port: int, admin_token: str, token_secret: str, *, external_aws: bool,
                    **extra: str) -> dict[str, str]:
        # the tests' response check (SUNLIT_CHECK_RESPONSES) holds in a child stack too
        check = {"SUNLIT_CHECK_RESPONSES": os.environ["SUNLIT_CHECK_RESPONSES"]} \
            if os.environ.get("SUNLIT_CHECK_RESPONSES") else {}
        return {"SUNLIT_API_PORT": str(api_port), "SUNLIT_AWS_PORT": str(aws_port), "SUNLIT_DEMO": "0",
                "SUNLIT_ADMIN_TOKEN": admin_token, "SUNLIT_TOKEN_SECRET": token_secret,
                "SUNLIT_AWS_EXTERNAL": "1" if external_aws else "0", **check, **extra}

    def start(self, timeout: float = 120.0) -> ChildStack:
        import subprocess

        import requests

        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNLIT_", "MOTO_"))}
        env.update(self.env)
        env["PYTHONUNBUFFERED"] = "1"
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=str(ROOT), env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stack exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the stack did not become healthy in {timeout:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no flushing — a crash."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self, timeout: float = 15.0) -> None:
        import subprocess

        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, chars: int = 6000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-chars:]
        except OSError:
            return ""


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _stop_within(stack: LocalStack, seconds: float, code: int) -> None:
    """Stop everything, but never take longer than ``seconds`` (the contract allows 10 s)."""
    stopper = threading.Thread(target=stack.stop, daemon=True)
    stopper.start()
    stopper.join(seconds)
    sys.stdout.flush()
    os._exit(code)


def demo_scale() -> str:
    """``SUNLIT_DEMO_SCALE``: ``demo`` (default) or ``city`` (the city-size data set)."""
    value = os.environ.get("SUNLIT_DEMO_SCALE", "demo").strip().lower() or "demo"
    if value not in ("demo", "city"):
        print(f"SUNLIT_DEMO_SCALE must be demo or city, not {value!r}", file=sys.stderr, flush=True)
        sys.exit(2)
    return value


def main() -> None:
    logging.basicConfig(level=os.environ.get("SUNLIT_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    given = os.environ.get("SUNLIT_ADMIN_TOKEN")
    external = os.environ.get("SUNLIT_AWS_EXTERNAL") == "1"
    stack = LocalStack(api_port=int(os.environ.get("SUNLIT_API_PORT", "8000")),
                       aws_port=int(os.environ.get("SUNLIT_AWS_PORT", "4566")),
                       demo=os.environ.get("SUNLIT_DEMO", "1") != "0", admin_token=given,
                       demo_scale=demo_scale(),
                       external_aws=external, demo_password=os.environ.get("SUNLIT_DEMO_PASSWORD") or None,
                       hall_port=int(os.environ.get("SUNLIT_HALL_PORT", "0")),
                       console_port=int(os.environ.get("SUNLIT_CONSOLE_PORT", "0")))
    busy = [p for p in ([stack.api_port] + ([] if external else [stack.aws_port])) if not _port_free(p)]
    if busy:
        print(f"端口被占用 (port in use): {', '.join(map(str, busy))}. "
              "Set SUNLIT_API_PORT / SUNLIT_AWS_PORT to free ports.", file=sys.stderr, flush=True)
        sys.exit(2)
    done = threading.Event()
    started = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if started.is_set():
            done.set()
            return
        # Still starting (provisioning or loading the demo): stop right away, not after the load.
        print("Stopping…", flush=True)
        _stop_within(stack, 7.0, 128 + signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("Starting Sunlit (阳光政务) local stack…", flush=True)
    try:
        stack.start()
    except Exception:  # noqa: BLE001 - report, stop what started, exit non-zero
        traceback.print_exc()
        _stop_within(stack, 5.0, 1)
    started.set()
    if not given:
        print(f"ADMIN TOKEN: {stack.admin_token}", flush=True)
    if stack.demo and stack.demo_password_generated:
        print(f"DEMO PASSWORD: {stack.demo_password}", flush=True)
    print(f"API: {stack.api_url}", flush=True)
    print(f"HALL: {stack.hall_url}", flush=True)
    print(f"CONSOLE: {stack.console_url}", flush=True)
    done.wait()
    print("Stopping…", flush=True)
    _stop_within(stack, 7.0, 0)


if __name__ == "__main__":
    main()
