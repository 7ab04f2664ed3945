"""Counting what a workload asks of AWS, for the cost benchmark (and for profiling the others).

``Meter`` hooks botocore in this process (the local stack runs in-process: the Chalice API, the
stream and queue consumers, and the moto server whose Step Functions interpreter calls the other
services) and records every request by **caller**, **service** and **operation**:

* ``app`` — the application's own requests (API handler, consumers, schedules): billed;
* ``states`` — requests Step Functions makes for a task (``sqs:sendMessage.waitForTaskToken``):
  billed to the account like any other request;
* ``platform`` — the local stand-ins for what AWS does itself (stream pollers, provisioning).
  Lambda reads DynamoDB streams for free; its SQS event-source polling is billed, so a receive
  that returned messages counts as one billed ``ReceiveMessage`` plus one ``DeleteMessageBatch``
  (what an SQS event source mapping does per batch), and idle polling is priced as cost at rest;
* ``harness`` — the benchmark's own reads and setup: never counted.

DynamoDB capacity is computed from item sizes with DynamoDB's rules (moto does not meter it):
reads round the bytes read up to 4 KB (half for eventually consistent reads, per item for
``BatchGetItem``, per page for ``Query``), writes round each item up to 1 KB taking the larger of
the item before and after, transactional writes count double, and every write also writes each
global secondary index (all attributes projected) whose keys the item has before or after — two
index writes when the index key changes. The item before a write is read from the in-process
moto backend, so updates and overwrites are charged at their real size.

Lambda invocations (API requests and event-source deliveries) and their wall time are recorded by
wrapping the Chalice app and the pollers' handlers; Step Functions transitions are counted from
the executions' histories (every ``…StateEntered`` event is a billed transition).
"""
from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

WRITE_UNIT = 1024
READ_UNIT = 4096
ACCOUNT = "123456789012"
REGION = "us-east-1"
_PATCH_LOCK = threading.Lock()
_installed: list[Meter] = []


# ---- DynamoDB item sizes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html)

def value_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value in DynamoDB's wire form."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode("utf-8"))
    if kind == "N":
        digits = str(v).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(v) if isinstance(v, bytes | bytearray) else len(str(v))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(x.encode("utf-8")) for x in v)
    if kind == "NS":
        return sum(value_size({"N": x}) for x in v)
    if kind == "BS":
        return sum(len(x) for x in v)
    if kind == "M":
        return 3 + sum(len(k.encode("utf-8")) + value_size(x) + 1 for k, x in v.items())
    if kind == "L":
        return 3 + sum(value_size(x) + 1 for x in v)
    return 0


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes of an item: attribute names plus values."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(v) for name, v in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / WRITE_UNIT))


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / READ_UNIT))
    return float(units) if consistent else units / 2


# ---- the meter -------------------------------------------------------------------------------------

@dataclass
class Usage:
    """What one measured window asked of AWS."""

    requests: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (caller, service, op) → n
    read_units: Counter[str] = field(default_factory=Counter)   # table → RRU
    write_units: Counter[str] = field(default_factory=Counter)  # table (or table/index) → WRU
    lambda_invocations: Counter[str] = field(default_factory=Counter)  # function → n
    lambda_seconds: Counter[str] = field(default_factory=Counter)      # function → wall seconds
    lambda_ms_billed: Counter[str] = field(default_factory=Counter)    # function → ms rounded up per call
    #: (function, service, operation) → requests and seconds inside them, for profiles
    requests_by_function: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    aws_seconds_by_function: Counter[str] = field(default_factory=Counter)
    api_requests: int = 0
    state_transitions: int = 0
    executions: int = 0
    sqs_messages_consumed: int = 0

    def billed_requests(self) -> Counter[tuple[str, str]]:
        """(service, operation) → requests the account pays for."""
        out: Counter[tuple[str, str]] = Counter()
        for (caller, service, op), n in self.requests.items():
            if caller in ("app", "states", "esm"):
                out[(service, op)] += n
        return out

    def as_dict(self) -> dict[str, Any]:
        by_caller: dict[str, dict[str, int]] = defaultdict(dict)
        for (caller, service, op), n in sorted(self.requests.items()):
            by_caller[caller][f"{service}:{op}"] = n
        return {
            "requests": dict(by_caller),
            "dynamodb_read_units": {k: round(v, 1) for k, v in sorted(self.read_units.items())},
            "dynamodb_write_units": dict(sorted(self.write_units.items())),
            "lambda_invocations": dict(sorted(self.lambda_invocations.items())),
            "lambda_seconds": {k: round(v, 3) for k, v in sorted(self.lambda_seconds.items())},
            "api_gateway_requests": self.api_requests,
            "requests_by_function": {f"{fn} {service}:{op}": n for (fn, service, op), n
                                     in sorted(self.requests_by_function.items())},
            "aws_seconds_by_function": {k: round(v, 3) for k, v in sorted(self.aws_seconds_by_function.items())},
            "step_functions_executions": self.executions,
            "step_functions_state_transitions": self.state_transitions,
        }


class Meter:
    """Records AWS requests and Lambda invocations of the in-process stack while ``active``."""

    def __init__(self, stack: Any):
        self.stack = stack
        self.usage = Usage()
        self.active = False
        self._lock = threading.Lock()
        self._platform = {id(c) for c in stack.clients.values()}
        self._harness: set[int] = set()
        self._indexes: dict[str, list[str]] = {}
        self._gsi_keys: dict[tuple[str, str], list[str]] = {}
        self._restore: list[Any] = []
        self._current = threading.local()  # the Lambda function this thread is running, if any

    # -- who is calling
    def harness(self, client: Any) -> Any:
        """Mark a client of the benchmark itself: its requests are never counted."""
        self._harness.add(id(client))
        return client

    def _caller(self, client: Any) -> str:
        if id(client) in self._harness:
            return "harness"
        if id(client) in self._platform:
            return "platform"
        credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
        if getattr(credentials, "access_key", None) == "ak":  # moto's Step Functions interpreter
            return "states"
        return "app"

    # -- installation
    def install(self) -> Meter:
        import botocore.client
        from chalice import Chalice

        meter = self
        with _PATCH_LOCK:
            _installed.append(self)
            original = botocore.client.BaseClient._make_api_call

            def make_api_call(client: Any, operation: str, params: dict[str, Any]) -> Any:
                if not meter.active:
                    return original(client, operation, params)
                caller = meter._caller(client)
                service = client.meta.service_model.service_name
                before = meter._before(service, operation, params) if caller in ("app", "states") else None
                started = time.perf_counter()
                response = original(client, operation, params)
                meter._record(caller, service, operation, params, response, before, time.perf_counter() - started)
                return response

            botocore.client.BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
            self._restore.append(lambda: setattr(botocore.client.BaseClient, "_make_api_call", original))

            call = Chalice.__call__

            def api_call(app: Any, event: Any, context: Any) -> Any:
                if not meter.active:
                    return call(app, event, context)
                started = time.perf_counter()
                meter._current.name = "api_handler"
                try:
                    return call(app, event, context)
                finally:
                    meter._current.name = None
                    meter._invoked("api_handler", time.perf_counter() - started, api=True)

            Chalice.__call__ = api_call  # type: ignore[method-assign]
            self._restore.append(lambda: setattr(Chalice, "__call__", call))
        for poller in self.stack.pollers:
            if not hasattr(poller, "handler"):
                continue
            handler = poller.handler
            name = getattr(poller, "fn_name", None) or getattr(getattr(poller, "mapping", None), "function", "consumer")

            def wrapped(event: Any, context: Any, _run: Any = handler, _name: str = name) -> Any:
                if not meter.active:
                    return _run(event, context)
                started = time.perf_counter()
                meter._current.name = _name
                try:
                    return _run(event, context)
                finally:
                    meter._current.name = None
                    meter._invoked(_name, time.perf_counter() - started)

            poller.handler = wrapped
            self._restore.append(lambda p=poller, h=handler: setattr(p, "handler", h))
        return self

    def uninstall(self) -> None:
        with _PATCH_LOCK:
            for undo in reversed(self._restore):
                undo()
            self._restore.clear()
            if self in _installed:
                _installed.remove(self)

    @contextmanager
    def measuring(self) -> Iterator[Usage]:
        """Count everything between entering and leaving into a fresh ``Usage``."""
        self.usage = Usage()
        self.active = True
        try:
            yield self.usage
        finally:
            self.active = False

    # -- recording
    def _invoked(self, function: str, seconds: float, api: bool = False) -> None:
        with self._lock:
            self.usage.lambda_invocations[function] += 1
            self.usage.lambda_seconds[function] += seconds
            self.usage.lambda_ms_billed[function] += math.ceil(seconds * 1000)
            if api:
                self.usage.api_requests += 1

    def _record(self, caller: str, service: str, operation: str, params: dict[str, Any], response: Any,
                before: Any, seconds: float) -> None:
        function = getattr(self._current, "name", None) or caller
        with self._lock:
            self.usage.requests_by_function[(function, service, operation)] += 1
            self.usage.aws_seconds_by_function[function] += seconds
            if caller == "platform" and service == "sqs":
                # An SQS event source mapping: a batch received is one receive and one batch delete.
                if operation == "ReceiveMessage" and response.get("Messages"):
                    self.usage.requests[("esm", "sqs", "ReceiveMessage")] += 1
                    self.usage.requests[("esm", "sqs", "DeleteMessageBatch")] += 1
                    self.usage.sqs_messages_consumed += len(response["Messages"])
                elif operation != "ReceiveMessage" and operation != "DeleteMessage":
                    self.usage.requests[(caller, service, operation)] += 1
                return
            self.usage.requests[(caller, service, operation)] += 1
            if service == "dynamodb" and caller in ("app", "states"):
                self._capacity(operation, params, response, before)

    # -- DynamoDB capacity
    def _table(self, name: str) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[ACCOUNT][REGION].get_table(name)

    def _gsis(self, name: str) -> list[str]:
        if name not in self._indexes:
            table = self._table(name)
            self._indexes[name] = [g.name for g in table.global_indexes]
            for g in table.global_indexes:
                self._gsi_keys[(name, g.name)] = [k["AttributeName"] for k in g.schema]
        return self._indexes[name]

    def _stored(self, name: str, key: dict[str, Any]) -> dict[str, Any] | None:
        table = self._table(name)
        hash_key = key.get(table.hash_key_attr)
        range_key = key.get(table.range_key_attr) if table.range_key_attr else None
        from moto.dynamodb.models.dynamo_type import DynamoType

        try:
            item = table.get_item(DynamoType(hash_key), DynamoType(range_key) if range_key else None)
        except Exception:  # noqa: BLE001 - no such item
            return None
        return item.to_json()["Attributes"] if item is not None else None

    def _key_of(self, name: str, item: dict[str, Any]) -> dict[str, Any]:
        table = self._table(name)
        key = {table.hash_key_attr: item[table.hash_key_attr]}
        if table.range_key_attr:
            key[table.range_key_attr] = item[table.range_key_attr]
        return key

    def _before(self, service: str, operation: str, params: dict[str, Any]) -> Any:
        """The stored items a write is about to change (for sizes and index keys)."""
        if service != "dynamodb":
            return None
        try:
            if operation == "PutItem":
                return [(params["TableName"], self._stored(params["TableName"], self._key_of(params["TableName"],
                                                                                         params["Item"])))]
            if operation in ("UpdateItem", "DeleteItem"):
                return [(params["TableName"], self._stored(params["TableName"], params["Key"]))]
            if operation == "BatchWriteItem":
                out = []
                for name, requests in params["RequestItems"].items():
                    for r in requests:
                        key = r["DeleteRequest"]["Key"] if "DeleteRequest" in r else self._key_of(
                            name, r["PutRequest"]["Item"])
                        out.append((name, self._stored(name, key)))
                return out
            if operation == "TransactWriteItems":
                out = []
                for entry in params["TransactItems"]:
                    (kind, op), = entry.items()
                    key = self._key_of(op["TableName"], op["Item"]) if kind == "Put" else op["Key"]
                    out.append((op["TableName"], self._stored(op["TableName"], key)))
                return out
        except Exception:  # noqa: BLE001 - never let metering break the workload
            return None
        return None

    def _written(self, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None, factor: int) -> None:
        size = max(item_size(old), item_size(new))
        self.usage.write_units[name] += factor * write_units(size)
        for index in self._gsis(name):
            keys = self._gsi_keys[(name, index)]
            had = old is not None and all(k in old for k in keys)
            has = new is not None and all(k in new for k in keys)
            if not (had or has):
                continue
            writes = 1
            if had and has and any(old[k] != new[k] for k in keys):  # type: ignore[index]
                writes = 2  # the old index entry is deleted, the new one written
            self.usage.write_units[f"{name}/{index}"] += writes * write_units(size)

    def _capacity(self, operation: str, params: dict[str, Any], response: Any, before: Any) -> None:
        try:
            self._capacity_of(operation, params, response, before)
        except Exception:  # noqa: BLE001 - metering is best effort; the request itself succeeded
            self.usage.requests[("meter", "dynamodb", f"unmetered:{operation}")] += 1

    def _capacity_of(self, operation: str, params: dict[str, Any], response: Any, before: Any) -> None:
        u = self.usage
        if operation == "GetItem":
            u.read_units[params["TableName"]] += read_units(item_size(response.get("Item")),
                                                            bool(params.get("ConsistentRead")))
        elif operation == "BatchGetItem":
            for name, request in params["RequestItems"].items():
                consistent = bool(request.get("ConsistentRead"))
                found = response.get("Responses", {}).get(name, [])
                missing = len(request["Keys"]) - len(found) - len(
                    response.get("UnprocessedKeys", {}).get(name, {}).get("Keys", []))
                u.read_units[name] += sum(read_units(item_size(i), consistent) for i in found)
                u.read_units[name] += max(0, missing) * read_units(0, consistent)
        elif operation in ("Query", "Scan"):
            name = params["TableName"] + (f"/{params['IndexName']}" if params.get("IndexName") else "")
            size = sum(item_size(i) for i in response.get("Items", []))
            u.read_units[name] += read_units(size, bool(params.get("ConsistentRead")))
        elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
            name = params["TableName"]
            old = (before or [(name, None)])[0][1]
            if operation == "PutItem":
                new = params["Item"]
            elif operation == "UpdateItem":
                new = self._stored(name, params["Key"])
            else:
                new = None
            self._written(name, old, new, 1)
        elif operation == "BatchWriteItem":
            olds = iter(before or [])
            for name, requests in params["RequestItems"].items():
                for r in requests:
                    _, old = next(olds, (name, None))
                    self._written(name, old, r["PutRequest"]["Item"] if "PutRequest" in r else None, 1)
        elif operation == "TransactWriteItems":
            olds = iter(before or [])
            for entry in params["TransactItems"]:
                (kind, op), = entry.items()
                _, old = next(olds, (op["TableName"], None))
                if kind == "Put":
                    new = op["Item"]
                elif kind == "Update":
                    new = self._stored(op["TableName"], op["Key"])
                elif kind == "Delete":
                    new = None
                else:  # ConditionCheck: charged as a transactional write of the item checked
                    new = old
                    self.usage.write_units[op["TableName"]] += 2 * write_units(item_size(old))
                    continue
                self._written(op["TableName"], old, new, 2)
        elif operation == "TransactGetItems":
            for entry in params["TransactItems"]:
                name = entry["Get"]["TableName"]
                u.read_units[name] += 2 * read_units(0, True)

    # -- Step Functions
    def count_transitions(self, sfn: Any, since: float) -> None:
        """Add the state transitions of every execution started after ``since`` (epoch seconds)."""
        for machine in sfn.list_state_machines()["stateMachines"]:
            token = None
            while True:
                page = sfn.list_executions(stateMachineArn=machine["stateMachineArn"], maxResults=1000,
                                           **({"nextToken": token} if token else {}))
                for ex in page["executions"]:
                    if ex["startDate"].timestamp() < since:
                        continue
                    self.usage.executions += 1
                    history_token = None
                    while True:
                        hist = sfn.get_execution_history(executionArn=ex["executionArn"], maxResults=1000,
                                                         **({"nextToken": history_token} if history_token else {}))
                        self.usage.state_transitions += sum(1 for e in hist["events"]
                                                            if e["type"].endswith("StateEntered"))
                        history_token = hist.get("nextToken")
                        if not history_token:
                            break
                token = page.get("nextToken")
                if not token:
                    break
