"""Least privilege, proven: the local stack runs every function under its own IAM role from the
template, and moto enforces IAM on every request.

moto checks signatures and policies once ``INITIAL_NO_AUTH_ACTION_COUNT`` requests have been
made (we switch it to 0 once the stack is provisioned), but on its own it knows the resource of a
request only for S3 and SQS, and evaluates policies loosely. This module makes the check mean what
IAM means:

* **Credentials per function.** Each function's role (``infra/functions.py`` ``GRANTS``, resolved
  from the same ``build()`` that ``chalice package`` merges) is created in moto and assumed; the
  request signer signs each call with the credentials of the function whose code is running —
  bound per thread by ``acting_as`` around every API request (the exchange route as
  ``ExchangeHandler``, every other route as ``APIHandler``), every poller delivery (which also
  reads the stream or queue and parks failures, as Lambda's event-source mapping does with the
  function's role), every schedule and every dead-letter replay. Step Functions' own calls (the
  waiting tasks' ``sqs:SendMessage``) are signed with the state machines' role. The local stack's
  own housekeeping (provisioning, checkpoints, uploads, tests' direct reads) signs as an
  administrator.
* **Resources and actions as IAM sees them.** ``requested`` derives the ARNs a request touches
  (tables and their indexes, streams, queues, topics, state machines and executions — a task
  token is traced to its execution's machine — buckets and keys) and the actions IAM checks
  (each action of a ``TransactWriteItems`` separately, ``SendMessageBatch`` as ``SendMessage``…).
* **Evaluation as IAM does it.** An explicit ``Deny`` wins, otherwise some ``Allow`` must match
  action and resource (wildcards ``*``/``?``); a statement with a ``Condition`` never allows
  (nothing here can prove a condition holds). Where a request's resource cannot be known the
  action must be allowed on some resource.

Every refusal is recorded (``DENIALS``) with the function, action and resource, and answered as
AWS would (``AccessDeniedException``), so the code path fails the way it would in AWS.
"""
from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

log = logging.getLogger("sunlit.devstack.iam")
ACCOUNT_ID = "123456789012"
STATES = "StateMachineRole"
#: The access key moto's Step Functions interpreter signs its service calls with.
INTERPRETER_KEY = "ak"
#: Session name of the state machines' assumed role (found again inside an external moto).
STATES_SESSION = "sunlit-state-machines"

_local = threading.local()
DENIALS: list[dict[str, Any]] = []
#: Every (principal, action, resource) moto allowed: what each role was actually used for.
USAGE: set[tuple[str, str, str | None]] = set()
_lock = threading.Lock()


@dataclass
class Identity:
    name: str  # a function's logical ID (``APIHandler``…), ``StateMachineRole`` or ``admin``
    access_key: str
    secret_key: str
    token: str | None = None


@dataclass
class Credentials:
    admin: Identity | None = None
    roles: dict[str, Identity] = field(default_factory=dict)


CREDENTIALS = Credentials()


# ----------------------------------------------------------------------------- who is calling


def current() -> str | None:
    return getattr(_local, "identity", None)


@contextlib.contextmanager
def acting_as(identity: str | None) -> Iterator[None]:
    """Run the block as a function (its logical ID) or, with None, as the local administrator."""
    before = current()
    _local.identity = identity
    try:
        yield
    finally:
        _local.identity = before


def _signing_identity(original_key: str | None) -> Identity | None:
    name = current()
    if name is not None and name in CREDENTIALS.roles:
        return CREDENTIALS.roles[name]
    if original_key == INTERPRETER_KEY:
        return CREDENTIALS.roles.get(STATES) or _states_identity_from_moto()
    return CREDENTIALS.admin


def _states_identity_from_moto() -> Identity | None:
    """Inside a moto server in another process (``SUNLIT_AWS_EXTERNAL``): the state machines'
    session assumed by the stack, read from moto's own STS backend."""
    try:
        from moto.sts.models import sts_backends

        roles = [r for r in sts_backends[ACCOUNT_ID]["aws"].assumed_roles if r.session_name == STATES_SESSION]
    except Exception:  # noqa: BLE001 - no moto here
        return None
    if not roles:
        return None
    r = roles[-1]
    return Identity(STATES, r.access_key_id, r.secret_access_key, r.session_token)


_signer_patched = False


def patch_signer() -> None:
    """Sign every botocore request in this process with the credentials of the code running it."""
    global _signer_patched
    if _signer_patched:
        return
    _signer_patched = True
    from botocore.credentials import ReadOnlyCredentials
    from botocore.signers import RequestSigner

    original = RequestSigner.get_auth_instance

    def get_auth_instance(self: Any, *args: Any, **kwargs: Any) -> Any:
        auth = original(self, *args, **kwargs)
        creds = getattr(auth, "credentials", None)
        if creds is None:
            return auth
        who = _signing_identity(getattr(creds, "access_key", None))
        if who is not None:
            auth.credentials = ReadOnlyCredentials(who.access_key, who.secret_key, who.token)
        return auth

    RequestSigner.get_auth_instance = get_auth_instance  # type: ignore[method-assign]


# ----------------------------------------------------------------------------- what IAM would check


def _json(body: Any) -> dict[str, Any]:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.strip().startswith("{"):
        try:
            value = json.loads(body)
            return value if isinstance(value, dict) else {}
        except ValueError:
            return {}
    return {}


def _param(data: Any, name: str) -> str | None:
    if isinstance(data, dict):
        value = data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        return str(value) if value is not None else None
    return None


def _table(region: str, account: str, name: str, index: str | None = None) -> str:
    if name.startswith("arn:"):
        base = name
    else:
        base = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
    return f"{base}/index/{index}" if index else base


def _queue(region: str, account: str, url_or_name: str) -> str:
    name = url_or_name.rstrip("/").rsplit("/", 1)[-1] if "/" in url_or_name else url_or_name
    return f"arn:aws:sqs:{region}:{account}:{name}"


def _machine_of_token(token: str, region: str, account: str) -> str | None:
    try:
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        backend = stepfunctions_parser_backends[account][region]
        for machine in backend.state_machines:
            for execution in machine.executions:
                worker = getattr(execution, "exec_worker", None)
                env = getattr(worker, "env", None)
                pool = getattr(env, "callback_pool_manager", None)
                if pool is not None and pool.get(token) is not None:
                    return str(machine.arn)
    except Exception:  # noqa: BLE001 - moto internals moved: fall back to an action-only check
        return None
    return None


def _machine_of_execution(execution_arn: str) -> str:
    # arn:aws:states:region:account:execution:machine:name → the execution ARN itself is the resource
    return execution_arn


#: moto's names for S3 requests that IAM authorises under another action: listing a bucket is
#: ``s3:ListBucket``, a HEAD is a read, a POST upload a write, a multi-object delete deletes each key.
S3_IAM_ACTIONS = {"HeadObject": "GetObject", "HeadBucket": "ListBucket", "PostObject": "PutObject",
                  "ListObjectsV2": "ListBucket", "ListObjects": "ListBucket", "DeleteObjects": "DeleteObject",
                  "ListObjectVersions": "ListBucketVersions", "GetObjectAttributes": "GetObject"}


def requested(service: str, action: str, data: Any, body: Any, path: str, region: str,
              account: str, moto_resource: str, headers: Any = None) -> list[tuple[str, str | None]]:
    """The (action, resource ARN) pairs IAM authorises for one request (None: resource unknown)."""
    op = action.split(":", 1)[1]
    payload = _json(body) or _json(data)
    if service == "dynamodb":
        if op in ("BatchGetItem", "BatchWriteItem"):
            return [(action, _table(region, account, t)) for t in (payload.get("RequestItems") or {})]
        if op == "TransactWriteItems":
            names = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}
            out: list[tuple[str, str | None]] = []
            for entry in payload.get("TransactItems") or []:
                for kind, spec in entry.items():
                    out.append((f"dynamodb:{names.get(kind, kind)}", _table(region, account, spec.get("TableName", ""))))
            return out
        if op == "TransactGetItems":
            return [("dynamodb:GetItem", _table(region, account, e.get("Get", {}).get("TableName", "")))
                    for e in payload.get("TransactItems") or []]
        if payload.get("StreamArn"):
            return [(action, str(payload["StreamArn"]))]
        if payload.get("ShardIterator"):
            return [(action, str(payload["ShardIterator"]).split("|", 1)[0])]
        if payload.get("TableName"):
            return [(action, _table(region, account, str(payload["TableName"]), payload.get("IndexName")))]
        return [(action, None if op not in ("ListTables", "ListStreams") else "*")]
    if service == "sqs":
        renamed = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
                   "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}
        act = f"sqs:{renamed.get(op, op)}"
        url = payload.get("QueueUrl") or _param(data, "QueueUrl") or payload.get("QueueName") or _param(data, "QueueName")
        if url:
            return [(act, _queue(region, account, str(url)))]
        return [(act, moto_resource if moto_resource != "*" else None)]
    if service == "sns":
        topic = payload.get("TopicArn") or _param(data, "TopicArn") or _param(data, "TargetArn")
        return [(action, str(topic) if topic else None)]
    if service == "states":
        if payload.get("stateMachineArn"):
            return [(action, str(payload["stateMachineArn"]))]
        if payload.get("executionArn"):
            return [(action, _machine_of_execution(str(payload["executionArn"])))]
        if payload.get("taskToken"):
            return [(action, _machine_of_token(str(payload["taskToken"]), region, account))]
        return [(action, "*" if op.startswith("List") else None)]
    if service == "s3":
        # IAM has no HeadObject, HeadBucket or PostObject: they are GetObject, ListBucket, PutObject
        target = moto_resource if moto_resource != "*" else None
        if op == "CopyObject":  # IAM: PutObject on the copy, GetObject on its source
            source = unquote(str((headers or {}).get("x-amz-copy-source") or "")).lstrip("/").split("?", 1)[0]
            return [("s3:PutObject", target), ("s3:GetObject", f"arn:aws:s3:::{source}" if source else None)]
        act = f"s3:{S3_IAM_ACTIONS.get(op, op)}"
        if op == "DeleteObjects" and moto_resource.startswith("arn:"):  # IAM checks each key deleted
            bucket = moto_resource.split("/", 1)[0]
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
            keys = [html.unescape(k) for k in re.findall(r"<Key>(.*?)</Key>", text, re.S)]
            return [(act, f"{bucket}/{k}") for k in keys] or [(act, None)]
        return [(act, target)]
    if service == "kms":
        key = str(payload.get("KeyId") or "")
        if key.startswith("arn:"):
            return [(action, key)]
        if key and not key.startswith("alias/"):
            return [(action, f"arn:aws:kms:{region}:{account}:key/{key}")]
        return [(action, None)]
    if service == "lambda":
        m = re.search(r"/functions/([^/]+)", unquote(urlparse(path).path))
        name = m.group(1) if m else ""
        arn = name if name.startswith("arn:") else f"arn:aws:lambda:{region}:{account}:function:{name}"
        return [(action, arn if name else None)]
    return [(action, moto_resource if moto_resource != "*" else None)]


# ----------------------------------------------------------------------------- how IAM decides


@functools.lru_cache(maxsize=4096)
def _pattern(pattern: str, case: bool) -> re.Pattern[str]:
    regex = "^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + "$"
    return re.compile(regex, 0 if case else re.IGNORECASE)


def _glob(pattern: str, value: str, *, case: bool = True) -> bool:
    return _pattern(pattern, case).match(value) is not None


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def _statement_matches(statement: dict[str, Any], action: str, resource: str | None) -> bool:
    if "Action" in statement:
        if not any(_glob(p, action, case=False) for p in _listed(statement["Action"])):
            return False
    elif "NotAction" in statement and any(_glob(p, action, case=False) for p in _listed(statement["NotAction"])):
        return False
    if resource is None:  # the request's resource cannot be known: any resource of the statement
        return True
    if "Resource" in statement:
        return any(_glob(p, resource) for p in _listed(statement["Resource"]))
    if "NotResource" in statement:
        return not any(_glob(p, resource) for p in _listed(statement["NotResource"]))
    return False


def evaluate(documents: list[dict[str, Any]], action: str, resource: str | None) -> str:
    """``allow``, ``deny`` (explicit) or ``implicit`` (no statement allows it)."""
    allowed = False
    for document in documents:
        statements = document.get("Statement") or []
        for statement in [statements] if isinstance(statements, dict) else statements:
            if not _statement_matches(statement, action, resource):
                continue
            if statement.get("Effect") == "Deny":
                if resource is None and "Resource" in statement and "*" not in _listed(statement["Resource"]):
                    continue  # a deny on particular resources cannot be said to match an unknown one
                return "deny"
            if statement.get("Effect") == "Allow" and not statement.get("Condition"):
                allowed = True
    return "allow" if allowed else "implicit"


@functools.lru_cache(maxsize=256)
def _parsed(text: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text)
    return value


def _documents(access_key: Any) -> list[dict[str, Any]]:
    docs: list[Any] = []
    for policy in access_key.collect_policies():
        if isinstance(policy, str):
            docs.append(_parsed(policy))
        elif isinstance(policy, dict):
            text = policy.get("policy_document")
            docs.append(_parsed(text) if isinstance(text, str) else text)
        else:  # a managed Policy object
            version = next(v for v in policy.versions if v.is_default)
            doc = version.document
            docs.append(json.loads(doc) if isinstance(doc, str) else doc)
    return docs


def _who(access_key: Any) -> str:
    arn = str(getattr(access_key, "arn", ""))
    role = re.search(r"assumed-role/([^/]+)/", arn)
    return role.group(1) if role else arn.rsplit("/", 1)[-1]


_moto_patched = False
JSON_SERVICES = ("dynamodb", "states", "kms", "secretsmanager", "lambda")


def patch_moto() -> None:
    """Replace moto's policy check with ``requested`` + ``evaluate`` (in the moto server's process)."""
    global _moto_patched
    if _moto_patched:
        return
    _moto_patched = True
    from moto.iam import access_control

    def check_action_permitted(self: Any, resource: str) -> None:
        if self._action == "sts:GetCallerIdentity":
            return
        docs = _documents(self._access_key)
        region = getattr(self, "_region", "us-east-1")
        for action, arn in requested(self._service, self._action, self._data, self._body, self._path, region,
                                     self.account_id, resource, _lower_keys(getattr(self, "_headers", None))):
            decision = evaluate(docs, action, arn)
            if decision == "allow":
                with _lock:
                    USAGE.add((_who(self._access_key), action, arn))
            else:
                denial = {"principal": _who(self._access_key), "action": action, "resource": arn, "decision": decision}
                with _lock:
                    DENIALS.append(denial)
                log.error("IAM denied %s on %s to %s (%s)", action, arn, denial["principal"], decision)
                self._action = action
                if self._service in JSON_SERVICES:  # what AWS answers there (moto answers XML)
                    from moto.core.exceptions import JsonRESTError

                    error = JsonRESTError("AccessDeniedException", f"User: {self._access_key.arn} is not authorized "
                                                                   f"to perform: {action} on resource: {arn}")
                    error.code = 400
                    raise error
                self._raise_access_denied()

    access_control.IAMRequestBase.check_action_permitted = check_action_permitted  # type: ignore[method-assign]
    _patch_presigned_s3()


def presigned_credential(values: dict[str, Any]) -> tuple[str, str | None] | None:
    """The signer's credential scope and session token of a presigned S3 request (query string of a
    presigned URL, fields of a presigned POST form); None when it is not one."""
    lowered = {str(k).lower(): v[0] if isinstance(v, list) else v for k, v in values.items()}
    credential = lowered.get("x-amz-credential")
    if not credential:
        return None
    token = lowered.get("x-amz-security-token")
    return str(credential), str(token) if token else None


def _lower_keys(headers: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in dict(headers or {}).items()}


def _patch_presigned_s3() -> None:
    """moto reads the signer of a request only from its ``Authorization`` header, so a presigned URL
    or POST form (the signature in the query or the form) fails with a server error under
    enforcement. AWS authorises such a request as the principal that signed it: here the signer's
    role is evaluated like any other call, on the object the form or URL names. The signature itself
    is not recomputed (the ``post_policy`` fix checks the form against its policy)."""
    from moto.core.authorization import ActionAuthenticatorMixin

    stock = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authorize_action(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        headers = getattr(self, "headers", None) or {}
        if "Authorization" in headers or "authorization" in headers:
            return stock(self, iam_request_cls, resource)
        form = dict(getattr(self, "form_data", None) or {})
        found = presigned_credential(form) or presigned_credential(dict(getattr(self, "querystring", None) or {}))
        if found is None:
            return stock(self, iam_request_cls, resource)
        credential, token = found
        if form.get("key") and resource.count("/") == 0:  # a form POST names its object in the form
            resource = f"{resource}/{form['key']}"
        signed = dict(headers)
        signed["Authorization"] = f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=presigned"
        if token:
            signed["X-Amz-Security-Token"] = token
        if ActionAuthenticatorMixin.request_count < _initial_no_auth():
            ActionAuthenticatorMixin.request_count += 1
            return None
        request = iam_request_cls(account_id=self.current_account, method=self.method, path=self.raw_path,
                                  data=self.data, body=self.raw_body, headers=signed, action=self._get_action())
        request.check_action_permitted(resource)
        return None

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize_action  # type: ignore[method-assign]


def _initial_no_auth() -> int:
    from moto import settings

    return int(settings.INITIAL_NO_AUTH_ACTION_COUNT)


def authorize(identity: str, action: str, resource: str) -> bool:
    """The same decision for a call that never reaches moto (the local stand-in for
    ``lambda:InvokeFunction``): checked against the identity's role as created in moto."""
    from moto.iam.models import iam_backends

    role_name = ROLE_NAMES.get(identity)
    if role_name is None:
        return True
    backend = iam_backends[ACCOUNT_ID]["aws"]
    docs = []
    for policy_name in backend.list_role_policies(role_name):
        _, doc = backend.get_role_policy(role_name, policy_name)
        docs.append(json.loads(doc) if isinstance(doc, str) else doc)
    decision = evaluate(docs, action, resource)
    if decision != "allow":
        with _lock:
            DENIALS.append({"principal": role_name, "action": action, "resource": resource, "decision": decision})
        log.error("IAM denied %s on %s to %s (%s)", action, resource, role_name, decision)
        return False
    return True


# ----------------------------------------------------------------------------- setting it up

ROLE_NAMES: dict[str, str] = {}


def role_name(stack_name: str, logical_id: str) -> str:
    return f"{stack_name}-{logical_id}"[:64]


def set_enforcement(aws_url: str, on: bool) -> None:
    """Switch moto's authentication on (every request from now on) or off (``inf``)."""
    import requests

    requests.post(f"{aws_url}/moto-api/reset-auth", data=b"0" if on else b"inf", timeout=10).raise_for_status()


def setup(clients: dict[str, Any], stack_name: str, policies: dict[str, dict[str, Any]],
          trust: dict[str, dict[str, Any]], functions: dict[str, str]) -> Credentials:
    """Create an administrator and one role per function (and the state machines'), assume them.
    ``functions`` maps each function's logical ID to its role's: code bound to a function signs
    with that role's session."""
    import secrets

    iam, sts = clients["iam"], clients["sts"]
    admin = f"{stack_name}-devstack-admin-{secrets.token_hex(3)}"
    iam.create_user(UserName=admin)
    iam.put_user_policy(UserName=admin, PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=admin)["AccessKey"]
    creds = Credentials(admin=Identity("admin", key["AccessKeyId"], key["SecretAccessKey"]))
    for logical_id, document in policies.items():
        name = role_name(stack_name, logical_id)
        ROLE_NAMES[logical_id] = name
        try:
            arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust[logical_id]))["Role"]["Arn"]
        except iam.exceptions.EntityAlreadyExistsException:
            arn = iam.get_role(RoleName=name)["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName="least-privilege", PolicyDocument=json.dumps(document))
        session = STATES_SESSION if logical_id == STATES else f"{logical_id}-local"
        got = sts.assume_role(RoleArn=arn, RoleSessionName=session, DurationSeconds=43200)["Credentials"]
        creds.roles[logical_id] = Identity(logical_id, got["AccessKeyId"], got["SecretAccessKey"], got["SessionToken"])
    for function, role in functions.items():
        if role not in creds.roles:
            raise RuntimeError(f"{function} names role {role}, which the template does not define")
        creds.roles[function] = creds.roles[role]
        ROLE_NAMES[function] = ROLE_NAMES[role]
    CREDENTIALS.admin, CREDENTIALS.roles = creds.admin, creds.roles
    return creds


def credentials_file(aws_port: int) -> Path:
    """Where a running local stack leaves its (moto-only) credentials for local operator tools
    such as ``make replay-dlq``."""
    return Path(__file__).resolve().parent.parent / "build" / "devstack" / f"aws-{aws_port}.json"


def save(aws_port: int) -> None:
    path = credentials_file(aws_port)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"admin": CREDENTIALS.admin.__dict__ if CREDENTIALS.admin else None,
            "roles": {k: v.__dict__ for k, v in CREDENTIALS.roles.items()}}
    path.write_text(json.dumps(data), "utf-8")
    path.chmod(0o600)


def load(aws_port: int) -> bool:
    """Sign this process's calls as the local stack on ``aws_port`` does (False: it enforces nothing)."""
    path = credentials_file(aws_port)
    if not path.exists():
        return False
    data = json.loads(path.read_text("utf-8"))
    CREDENTIALS.admin = Identity(**data["admin"]) if data.get("admin") else None
    CREDENTIALS.roles = {k: Identity(**v) for k, v in data.get("roles", {}).items()}
    patch_signer()
    return True


def usage() -> set[tuple[str, str, str | None]]:
    with _lock:
        return set(USAGE)


def denials() -> list[dict[str, Any]]:
    with _lock:
        return list(DENIALS)


def clear_denials() -> list[dict[str, Any]]:
    with _lock:
        out = list(DENIALS)
        DENIALS.clear()
        return out
