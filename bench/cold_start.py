"""Cold start (issues 9, 20), two figures, each against a floor measured in the same run.

1. **Import** (``run``, as issue 20 defines it): ``import app`` in a fresh interpreter, against
   ``import chalice, boto3`` (what any Chalice Lambda pays). Importing ``app`` registers every
   route and function but loads no context (services, repositories, domain models), nor boto3,
   botocore or pynamodb: the handlers import what they reach in their bodies. That it creates no AWS
   client and loads no context is asserted by ``tests/unit/test_import_side_effects.py``, not here.
2. **First answer** (``first_answer``, against the running local stack): what a cold instance pays
   before it can answer — a fresh interpreter with the environment the local stack gives its
   handlers imports ``app`` and hands the Chalice app an API Gateway proxy event for one request of
   a route family (a public item read, a department's signed event batch, a staff worklist behind a
   session), checking the answer's status; so the route family's contexts, boto3/botocore,
   pynamodb and the AWS clients it creates are in the figure. Its floor: a fresh interpreter that
   imports chalice and boto3, creates a DynamoDB client against the same moto server and makes one
   raw request of the same kind (GetItem for a read, PutItem of the same batch for the write).

Target ≤ 1.35x for both (issue 20). Medians of interleaved rounds; every side imports bytecode, as
in the deployed function: pip compiled the libraries when it installed them, and
``infra/bytecode.py`` compiles ``chalicelib`` the way ``make package`` ships it (checked-hash
``.pyc`` inside the deployment zip); no side writes any (``PYTHONDONTWRITEBYTECODE``).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infra.bytecode import compile_app

from .localstack import drain_notifications
from .result import Result

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET = 1.35
APP = "import app"
FLOOR = "import chalice, boto3"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIT_")}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "PYTHONDONTWRITEBYTECODE": "1"})
    env["PYTHONPATH"] = str(ROOT)
    return env


def import_seconds(statement: str, cpu: list[float] | None = None) -> float:
    """Wall time of a fresh ``python -c statement`` (interpreter start included, as in a Lambda);
    its CPU time (user + system, exit included) appended to ``cpu`` when given."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, env=_env(), check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds


def run(runs: int = RUNS) -> Result:
    if not compile_app(ROOT):
        raise RuntimeError("chalicelib does not compile")
    import_seconds(APP)  # warm the file-system cache for both, so neither pays for the first read
    import_seconds(FLOOR)
    app_samples: list[float] = []
    floor_samples: list[float] = []
    app_cpu: list[float] = []
    floor_cpu: list[float] = []
    for _ in range(runs):  # interleaved, so machine load drifts affect both alike
        app_samples.append(import_seconds(APP, app_cpu))
        floor_samples.append(import_seconds(FLOOR, floor_cpu))
    app_s, floor_s = statistics.median(app_samples), statistics.median(floor_samples)
    return Result(
        name="cold start", measured=app_s * 1000, floor=floor_s * 1000, unit="ms", ratio=app_s / floor_s,
        target=TARGET, what=f"python -c '{APP}', median of {runs}", floor_what=f"python -c '{FLOOR}'",
        details={"app_ms": [round(s * 1000, 1) for s in app_samples],
                 "floor_ms": [round(s * 1000, 1) for s in floor_samples],
                 "app_cpu_ms_median": round(statistics.median(app_cpu) * 1000, 1),
                 "floor_cpu_ms_median": round(statistics.median(floor_cpu) * 1000, 1),
                 "cpu_ratio": round(statistics.median(app_cpu) / statistics.median(floor_cpu), 2),
                 "load_average": [round(x, 2) for x in os.getloadavg()]},
    )


# ----- cold start to first answer ---------------------------------------------------------------
#: A fresh interpreter as a cold Lambda instance runs it: from before ``import app`` to the answer of
#: its first request, an API Gateway proxy event handed to the Chalice app (what the deployed
#: handler ``app.app`` receives; ``exchange_handler`` hands its event to the same object). The
#: request arrives as the first argument (JSON), built by the parent so the child does nothing else.
APP_CHILD = """\
import time
started = time.perf_counter()
import json, sys
request = json.loads(sys.argv[1])
import app
class Context:
    function_name = request["function"]
    memory_limit_in_mb = 1024
    aws_request_id = "bench-first-answer"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + request["function"]
    def get_remaining_time_in_millis(self):
        return 30000
answer = app.app(request["event"], Context())
seconds, cpu = time.perf_counter() - started, time.process_time()
print(json.dumps({"status": answer["statusCode"], "seconds": seconds, "cpu": cpu, "body": answer.get("body")}),
      flush=True)
"""
#: The floor: what any Chalice function talking to DynamoDB pays before its first answer — import
#: chalice and boto3, create the client the same way (the stack's endpoint, region and credentials
#: from the environment) and make one raw request of the same kind.
FLOOR_CHILD = """\
import time
started = time.perf_counter()
import json, os, sys
request = json.loads(sys.argv[1])
import chalice, boto3
ddb = boto3.client("dynamodb", endpoint_url=os.environ["SUNLIT_AWS_ENDPOINT"])
answer = getattr(ddb, request["operation"])(**request["params"])
seconds, cpu = time.perf_counter() - started, time.process_time()
print(json.dumps({"status": answer["ResponseMetadata"]["HTTPStatusCode"], "seconds": seconds, "cpu": cpu,
                  "found": "Item" in answer}), flush=True)
"""
FIRST_ANSWER_DEPT = "812"
FLOOR_WRITE_TABLE = "bench-first-answer-floor"
ROUNDS = 7


def proxy_event(method: str, resource: str, path_parameters: dict[str, str] | None = None, *,
                headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
                body: str | None = None, source_ip: str = "203.0.113.7") -> dict[str, Any]:
    """An API Gateway REST (v1) proxy event, as API Gateway sends it to the function: the route's
    resource path with its ``{parameters}``, the concrete path, single- and multi-value headers and
    query parameters, the caller's address in ``requestContext.identity.sourceIp``."""
    path = resource
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    hdrs = {"Host": "api.example.gov.cn", "User-Agent": "bench-first-answer", **(headers or {})}
    if body is not None:
        hdrs.setdefault("Content-Type", "application/json")
    return {
        "resource": resource, "path": path, "httpMethod": method,
        "headers": hdrs, "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "queryStringParameters": dict(query) if query else None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": dict(path_parameters) if path_parameters else None, "stageVariables": None,
        "requestContext": {"resourcePath": resource, "httpMethod": method, "path": f"/api{path}", "stage": "api",
                           "requestId": "bench-first-answer", "identity": {"sourceIp": source_ip}},
        "body": body, "isBase64Encoded": False,
    }


def alternating(rounds: int) -> list[tuple[str, str]]:
    """The order of each round's two sides: the app first in even rounds, the floor first in odd ones,
    so neither always runs in the other's wake (a page cache warmed, a stream batch just finished)."""
    return [("app", "floor") if i % 2 == 0 else ("floor", "app") for i in range(rounds)]


def lambda_environment(stack_env: dict[str, str]) -> dict[str, str]:
    """What a deployed function would see: the variables the local stack gives its handlers (its
    ``SUNLIT_*`` settings, table prefix, queue/bucket/topic names, the moto endpoint, region and
    credentials), plus the literal ones ``infra/functions.py`` sets on every function; bytecode as in
    :func:`_env` (read, never written)."""
    from infra.functions import BY_NAME, environment

    env = _env()
    env.update({k: v for k, v in stack_env.items() if k.startswith(("SUNLIT_", "AWS_", "MOTO_"))})
    env.update({k: v for k, v in environment(BY_NAME["api_handler"]).items() if isinstance(v, str)})
    return env


@dataclass
class Probe:
    """One request of a cold start: what it asks, the status it must answer, and its floor's request."""

    name: str
    what: str
    floor_what: str
    expected: int
    request: Callable[[int], dict[str, Any]]  # round → the child's request (a fresh one each round)
    floor: Callable[[int], dict[str, Any]]
    check: Callable[[dict[str, Any]], str | None] = lambda answer: None  # what is wrong with the answer
    after: Callable[[], None] = lambda: None  # let the stack finish what the request started


def first_answer_seconds(script: str, request: dict[str, Any], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Wall time from starting a fresh ``python -c script`` to its answer line (interpreter start
    included, as in a Lambda cold start; its exit not), and the answer it printed."""
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", script, json.dumps(request, ensure_ascii=False)], cwd=ROOT,
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stderr is not None
        line = child.stdout.readline()
        answered = time.perf_counter() - started
        rest, errors = child.communicate()
    if child.returncode or not line:
        raise RuntimeError(f"the cold start failed ({child.returncode}): {errors[-2000:]}")
    return answered, json.loads(line)


def _probes(stack: Any) -> list[Probe]:
    from sunlit_client.signing import sign_request

    from .ingest import floor_table, story
    from .setup import api_of, declare_item, department

    dept = department(stack, FIRST_ANSWER_DEPT)
    code = declare_item(stack, FIRST_ANSWER_DEPT, "001")
    handler_token = api_of(stack).user(f"bench-cold-handler-{FIRST_ANSWER_DEPT}", ["handler"],
                                       dept_code=FIRST_ANSWER_DEPT)
    catalog_table = os.environ.get("SUNLIT_TABLE_PREFIX", "sunlit-local-") + "catalog"
    version_key = {"pk": {"S": f"ITEM#{code}"}, "sk": {"S": "V#0001"}}
    get_version = {"operation": "get_item", "params": {"TableName": catalog_table, "Key": version_key,
                                                       "ConsistentRead": True}}
    floor_table(stack.aws_url, FLOOR_WRITE_TABLE)
    tag = f"{int(time.time()) % 100000:05d}"

    def batch(i: int) -> list[dict[str, Any]]:
        return story(f"CS{tag}{i:04d}", code, datetime.now(UTC) - timedelta(hours=2))

    def exchange(i: int) -> dict[str, Any]:
        body = json.dumps({"events": batch(i)}, ensure_ascii=False)
        stamp = str(int(time.time()))
        signature = sign_request(dept.secret, stamp, "POST", "/exchange/events", body.encode("utf-8"))
        return {"function": "exchange_handler", "event": proxy_event(
            "POST", "/exchange/events", body=body,
            headers={"X-Sunlit-Key": dept.key_id, "X-Sunlit-Timestamp": stamp, "X-Sunlit-Signature": signature})}

    def put_batch(i: int) -> dict[str, Any]:
        body = json.dumps({"events": batch(i)}, ensure_ascii=False)
        return {"operation": "put_item", "params": {"TableName": FLOOR_WRITE_TABLE, "Item": {
            "pk": {"S": f"CASE#CS{tag}{i:04d}"}, "sk": {"S": "LOG#00000000"}, "body": {"S": body}}}}

    def all_stored(answer: dict[str, Any]) -> str | None:
        results = json.loads(answer.get("body") or "{}").get("results", [])
        statuses = {r.get("status") for r in results}
        return None if results and statuses == {"stored"} else f"not every event stored: {statuses}"

    def settle() -> None:  # the stream consumers process the batch before the next measurement
        stack.wait_idle(300)
        drain_notifications(stack)

    return [
        Probe("cold start: public item read",
              "fresh python: import app, first request GET /catalog/items/{code} (200)",
              "fresh python: import chalice, boto3, one raw GetItem of the item's version record", 200,
              lambda i: {"function": "api_handler",
                         "event": proxy_event("GET", "/catalog/items/{code}", {"code": code})},
              lambda i: get_version),
        Probe("cold start: exchange batch",
              "fresh python: import app, first request a signed POST /exchange/events of 7 events (200, all stored)",
              "fresh python: import chalice, boto3, one raw PutItem of the same batch", 200, exchange, put_batch,
              check=all_stored, after=settle),
        Probe("cold start: staff worklist",
              "fresh python: import app, first request GET /worklist with a handler's session (200)",
              "fresh python: import chalice, boto3, one raw GetItem", 200,
              lambda i: {"function": "api_handler", "event": proxy_event(
                  "GET", "/worklist", headers={"Authorization": f"Bearer {handler_token}"})},
              lambda i: get_version),
    ]


def first_answer(stack: Any, rounds: int = ROUNDS) -> list[Result]:
    """Cold start to first answer against the running local stack, per route family, each beside its
    floor; ``rounds`` interleaved rounds (sides alternating), medians."""
    if not compile_app(ROOT):
        raise RuntimeError("chalicelib does not compile")
    env = lambda_environment(dict(os.environ))
    probes = _probes(stack)
    samples: dict[str, dict[str, list[float]]] = {p.name: {"app": [], "floor": [], "app_in": [], "floor_in": [],
                                                                  "app_cpu": [], "floor_cpu": []}
                                                  for p in probes}

    def once(probe: Probe, side: str, i: int) -> None:
        if side == "app":
            seconds, answer = first_answer_seconds(APP_CHILD, probe.request(i), env)
            problem = (f"answered {answer['status']}, expected {probe.expected}: {str(answer.get('body'))[:500]}"
                       if answer["status"] != probe.expected else probe.check(answer))
            probe.after()
        else:
            seconds, answer = first_answer_seconds(FLOOR_CHILD, probe.floor(i), env)
            problem = None if answer["status"] == 200 else f"raw request answered {answer['status']}"
            if probe.floor(i)["operation"] == "get_item" and not answer.get("found"):
                problem = "the raw GetItem found nothing"
        if problem:
            raise RuntimeError(f"{probe.name}: {problem}")
        samples[probe.name][side].append(seconds)
        samples[probe.name][f"{side}_in"].append(answer["seconds"])
        samples[probe.name][f"{side}_cpu"].append(answer["cpu"])

    for probe in probes:  # warm the file-system cache (and the stack's first-use paths) for both sides
        once(probe, "app", rounds)
        once(probe, "floor", rounds)
        for kept in samples[probe.name].values():
            kept.clear()
    for i, order in enumerate(alternating(rounds)):
        for probe in probes:
            for side in order:
                once(probe, side, i)
    results = []
    for probe in probes:
        got = samples[probe.name]
        app_s, floor_s = statistics.median(got["app"]), statistics.median(got["floor"])
        results.append(Result(
            name=probe.name, measured=app_s * 1000, floor=floor_s * 1000, unit="ms", ratio=app_s / floor_s,
            target=TARGET, what=f"{probe.what}, from the interpreter's start, median of {rounds}",
            floor_what=probe.floor_what,
            details={"app_ms": [round(s * 1000, 1) for s in got["app"]],
                     "floor_ms": [round(s * 1000, 1) for s in got["floor"]],
                     "app_from_import_ms_median": round(statistics.median(got["app_in"]) * 1000, 1),
                     "floor_from_import_ms_median": round(statistics.median(got["floor_in"]) * 1000, 1),
                     # the child's own CPU from its start to the answer (not moto's, which serves it in
                     # this process): what a loaded machine distorts least
                     "app_cpu_ms_median": round(statistics.median(got["app_cpu"]) * 1000, 1),
                     "floor_cpu_ms_median": round(statistics.median(got["floor_cpu"]) * 1000, 1),
                     "cpu_ratio": round(statistics.median(got["app_cpu"]) / statistics.median(got["floor_cpu"]), 2),
                     "load_average": [round(x, 2) for x in os.getloadavg()]}))
    return results
