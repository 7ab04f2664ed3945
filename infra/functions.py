"""The Lambda functions: one role each (least privilege, proven by ``tests/integration/test_iam.py``
running every path under moto's IAM enforcement), one log group each (JSON logs, retention ≥ 180
days), their environment, reserved concurrency and event-source mappings.

``GRANTS`` is the one place that says what a function may do. Adding an AWS call to a function
means adding its action here; the IAM-enforced tests fail until you do.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cfn import NO_VALUE, allow, arn, camel, deny, getatt, if_, policy, ref, sub
from .data import APPEND_ONLY, MUTATIONS, table_logical_id


@dataclass(frozen=True)
class Function:
    name: str  # the Chalice function name (``api_handler`` is the REST API's handler)
    trigger: str  # http | stream | queue | schedule
    summary: str

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == "api_handler" else camel(self.name)

    @property
    def role(self) -> str:
        return f"{self.logical_id}Role"

    @property
    def log_group(self) -> str:
        return f"{self.logical_id}LogGroup"


FUNCTIONS: tuple[Function, ...] = (
    Function("api_handler", "http", "the REST API: the hall, staff and administrators"),
    Function("exchange_handler", "http", "POST /exchange/events only: departments' signed event batches"),
    Function("project_events", "stream", "events stream to case views, counters, public results"),
    Function("supervise_cases", "stream", "cases stream to supervision rules R1-R14"),
    Function("legal_check_cases", "stream", "cases stream to legality checks L1-L12"),
    Function("task_worker", "queue", "tasks queue to the worklist (task tokens), timeouts to signals"),
    Function("scheduled_sweep", "schedule", "every 15 minutes: time-driven rules as of now"),
    Function("nightly_publish", "schedule", "00:05 Asia/Shanghai: republish the catalog to the hall"),
    Function("export_audit_digests", "schedule", "monthly: audit digests into the Object Lock archive"),
)
BY_NAME = {f.name: f for f in FUNCTIONS}
STATE_MACHINES = ("License", "Penalty", "Service", "Coercion")
STREAM_CONSUMERS = ("project_events", "supervise_cases", "legal_check_cases")
#: REST routes served by a function of their own (API Gateway integrates them directly).
ROUTE_FUNCTIONS: dict[tuple[str, str], str] = {("/exchange/events", "post"): "exchange_handler"}

PARAMETERS: dict[str, Any] = {
    "LogLevel": {"Type": "String", "Default": "INFO", "AllowedValues": ["DEBUG", "INFO", "WARN", "ERROR"],
                 "Description": "Application log level of every function (JSON logs)."},
    "LogRetentionDays": {
        "Type": "Number", "Default": 180,
        "AllowedValues": [180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
        "Description": "Days logs are kept: at least 180 (网络安全法 §21, MLPS level 3).",
    },
    "ApiReservedConcurrency": {
        "Type": "Number", "Default": 100, "MinValue": 0,
        "Description": "Concurrency reserved for (and capping) the REST API function; 0 = none. "
                       "With the exchange's, it must leave 100 unreserved of the account's quota (default 1,000).",
    },
    "ExchangeReservedConcurrency": {
        "Type": "Number", "Default": 20, "MinValue": 0,
        "Description": "Concurrency reserved for departments' signed event batches, so a public flood cannot "
                       "starve them; 0 = none (accounts whose quota is still below 1,000).",
    },
}
CONDITIONS: dict[str, Any] = {
    "ReserveApiConcurrency": {"Fn::Not": [{"Fn::Equals": [ref("ApiReservedConcurrency"), 0]}]},
    "ReserveExchangeConcurrency": {"Fn::Not": [{"Fn::Equals": [ref("ExchangeReservedConcurrency"), 0]}]},
}
RESERVATIONS = {"api_handler": ("ReserveApiConcurrency", "ApiReservedConcurrency"),
                "exchange_handler": ("ReserveExchangeConcurrency", "ExchangeReservedConcurrency")}

# ----------------------------------------------------------------------------- permissions

READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
APPEND = [*READ, "dynamodb:PutItem", "dynamodb:ConditionCheckItem"]
WRITE = [*APPEND, "dynamodb:UpdateItem"]
STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
QUEUE_CONSUME = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                 "sqs:GetQueueAttributes"]
#: X-Ray has no resource-level permissions: these two are the only write actions on "*".
XRAY = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


def tables(actions: list[str], *names: str) -> dict[str, Any]:
    if set(actions) - set(APPEND) and set(names) & set(APPEND_ONLY):
        raise ValueError(f"{sorted(set(names) & set(APPEND_ONLY))} are append-only")
    resources: list[Any] = []
    for name in names:
        resources += [arn(table_logical_id(name)), sub(f"${{{table_logical_id(name)}.Arn}}/index/*")]
    return allow(actions, resources)


def streams(*names: str) -> dict[str, Any]:
    return allow(STREAM_READ, [getatt(table_logical_id(n), "StreamArn") for n in names])


#: Lambda's event-source mapping lists a table's streams with the function's role; the action has
#: no resource-level permissions (a read, so "*" is the only choice).
LIST_STREAMS = allow(["dynamodb:ListStreams"], "*")


def queue(actions: list[str], *queues: str) -> dict[str, Any]:
    return allow(actions, [arn(q) for q in queues])


def publish(*topics: str) -> dict[str, Any]:
    return allow(["sns:Publish"], [ref(t) for t in topics])


def objects(actions: list[str], bucket: str) -> dict[str, Any]:
    return allow(actions, sub(f"${{{bucket}.Arn}}/*"))


def machines(actions: list[str]) -> dict[str, Any]:
    return allow(actions, [ref(f"{m}StateMachine") for m in STATE_MACHINES])


def executions() -> dict[str, Any]:
    return allow(["states:DescribeExecution"], [
        sub(f"arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:execution:${{{m}StateMachine.Name}}:*")
        for m in STATE_MACHINES])


def invoke(*functions: str) -> dict[str, Any]:
    return allow(["lambda:InvokeFunction"], [arn(BY_NAME[f].logical_id) for f in functions])


def identity_secrets(*actions: str) -> dict[str, Any]:
    """The staff tokens' signing key (Secrets Manager, read at run time; rotated by the API)."""
    return allow(list(actions), ref("TokenSecret"))


def identity_key(*actions: str) -> dict[str, Any]:
    """Direct use of the identity key (envelope encryption of department secrets and TOTP seeds)."""
    return allow(list(actions), arn("IdentityKey"))


def key(*services: str) -> dict[str, Any]:
    """Use of the data key, only through the services the function calls (``kms:ViaService``)."""
    via = [sub(f"{s}.${{AWS::Region}}.${{AWS::URLSuffix}}") for s in services]
    return allow(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], arn("DataKey"),
                 condition={"StringEquals": {"kms:ViaService": via}})


GRANTS: dict[str, list[dict[str, Any]]] = {
    "api_handler": [
        tables(WRITE, "catalog", "identity", "cases", "oversight", "stats", "work"),
        tables(["dynamodb:DeleteItem"], "oversight"),  # the sweep drops explanation-deadline pointers it has handled
        tables(APPEND, "events", "audit"),
        streams("events", "cases"),  # replaying a parked batch re-reads its range from the stream
        queue(QUEUE_CONSUME, "StreamDeadLetterQueue"),
        publish("SignalsTopic"),
        objects(["s3:PutObject"], "HallBucket"),  # the catalog is published on every confirmation
        # attachments: presigned POSTs (signed with this role) put into incoming/, verification copies
        # to files/ and reads the copy, rejected or moved uploads are deleted, presigned GETs read
        objects(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], "AttachmentsBucket"),
        # without ListBucket, S3 answers a HEAD of an upload not yet made with 403 instead of 404
        allow(["s3:ListBucket"], arn("AttachmentsBucket")),
        machines(["states:StartExecution", "states:SendTaskSuccess", "states:SendTaskFailure"]),
        executions(),
        invoke(*STREAM_CONSUMERS),  # a replayed batch runs in its own consumer, with its own role
        identity_secrets("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                         "secretsmanager:DescribeSecret"),
        identity_key("kms:GenerateDataKey", "kms:Decrypt"),
        key("dynamodb", "sqs", "sns", "secretsmanager", "s3"),  # s3: the attachments are SSE-KMS
    ],
    "exchange_handler": [
        tables(READ, "identity"),  # the department's key
        tables(APPEND, "events", "audit"),  # the batch, and its audit record
        identity_key("kms:Decrypt"),  # the department's secret is stored encrypted
        key("dynamodb"),
    ],
    "project_events": [
        tables(READ, "events", "catalog"),
        tables(WRITE, "cases", "stats"),
        streams("events"), LIST_STREAMS,
        queue(["sqs:SendMessage"], "StreamDeadLetterQueue"),  # the mapping's on-failure destination
        key("dynamodb", "sqs"),
    ],
    "supervise_cases": [
        tables(READ, "catalog"),
        tables(WRITE, "oversight", "stats"),
        streams("cases"), LIST_STREAMS,
        queue(["sqs:SendMessage"], "StreamDeadLetterQueue"),
        publish("SignalsTopic"),
        key("dynamodb", "sqs", "sns"),
    ],
    "legal_check_cases": [
        tables(READ, "catalog"),
        tables(WRITE, "oversight"),
        streams("cases"), LIST_STREAMS,
        queue(["sqs:SendMessage"], "StreamDeadLetterQueue"),
        publish("SignalsTopic"),
        key("dynamodb", "sqs", "sns"),
    ],
    "task_worker": [
        # a task that follows the case's deadline reads it from the log, projected with the bound item
        # version; a timed-out task's signal names its step's risk points (the case view, the catalog)
        tables(READ, "events", "cases", "catalog"),
        tables(WRITE, "work", "oversight", "stats"),  # the worklist; a timed-out task's signal
        queue(QUEUE_CONSUME, "TasksQueue"),
        machines(["states:SendTaskHeartbeat"]),
        publish("SignalsTopic"),
        key("dynamodb", "sqs", "sns"),
    ],
    "scheduled_sweep": [
        tables(READ, "events", "catalog"),
        tables(WRITE, "cases", "oversight", "stats"),
        tables(["dynamodb:DeleteItem"], "oversight"),  # explanation-deadline pointers once handled
        publish("SignalsTopic"),
        key("dynamodb", "sns"),
    ],
    "nightly_publish": [
        tables(READ, "catalog", "identity"),  # the hall's catalog names each item's department
        # what was published (PUBLISHED records: each shard's key and its guides' digests), so
        # unchanged files are not rewritten
        tables(["dynamodb:PutItem"], "catalog"),
        # shards no manifest has named for a day are deleted (listing the prefix needs ListBucket)
        objects(["s3:PutObject", "s3:DeleteObject"], "HallBucket"),
        allow(["s3:ListBucket"], arn("HallBucket")),
        key("dynamodb"),
    ],
    "export_audit_digests": [
        tables(READ, "audit"),
        objects(["s3:GetObject", "s3:PutObject"], "AuditArchiveBucket"),
        # without ListBucket, S3 answers a missing digest with 403 instead of 404
        allow(["s3:ListBucket"], arn("AuditArchiveBucket")),
        key("dynamodb", "s3"),
    ],
}


def role_policy(fn: Function) -> dict[str, Any]:
    return policy(
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], arn(fn.log_group)),
        *GRANTS[fn.name],
        allow(XRAY, "*"),
        deny(MUTATIONS, [arn(table_logical_id(t)) for t in APPEND_ONLY], sid="AppendOnlyRecords"),
    )


def role(fn: Function) -> dict[str, Any]:
    return {"Type": "AWS::IAM::Role", "Properties": {
        "Description": sub(f"Sunlit ${{AWS::StackName}}: {fn.logical_id} only ({fn.summary})"),
        "AssumeRolePolicyDocument": policy({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}),
        "Policies": [{"PolicyName": "least-privilege", "PolicyDocument": role_policy(fn)}],
    }}


def log_group(fn: Function) -> dict[str, Any]:
    return {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"LogGroupName": sub(f"/sunlit/${{AWS::StackName}}/{fn.name}"),
                           "RetentionInDays": ref("LogRetentionDays"), "KmsKeyId": arn("DataKey")}}


def environment(fn: Function) -> dict[str, Any]:
    env: dict[str, Any] = {
        "SUNLIT_STAGE": ref("AWS::StackName"),
        "SUNLIT_TABLE_PREFIX": sub("${AWS::StackName}-"),
        "SUNLIT_TASKS_QUEUE_URL": ref("TasksQueue"),
        "SUNLIT_STREAM_DLQ_URL": ref("StreamDeadLetterQueue"),
        "SUNLIT_HALL_BUCKET": ref("HallBucket"),
        "SUNLIT_ATTACHMENTS_BUCKET": ref("AttachmentsBucket"),
        "SUNLIT_SIGNALS_TOPIC_ARN": ref("SignalsTopic"),
        "SUNLIT_AUDIT_ARCHIVE_BUCKET": ref("AuditArchiveBucket"),
        "SUNLIT_STATE_MACHINE_PREFIX": sub("${AWS::StackName}-"),
        # No pydantic plugin is installed; without this, pydantic reads the entry points of every
        # distribution in the package on the first validation (≈4 ms of a cold start's first request).
        "PYDANTIC_DISABLE_PLUGINS": "__all__",
    }
    if fn.trigger == "http":  # only the functions that authenticate callers reach the identity secrets
        # Read at run time, so the signing key rotates without a deploy (identity, issue 14).
        env["SUNLIT_TOKEN_SECRET_ARN"] = ref("TokenSecret")
        env["SUNLIT_KMS_KEY_ID"] = arn("IdentityKey")
    if fn.name == "api_handler":
        env["SUNLIT_STATE_MACHINES"] = sub(
            "{" + ",".join(f'"{m.lower()}":"${{{m}StateMachine}}"' for m in STATE_MACHINES) + "}")
        env["SUNLIT_CONSUMER_FUNCTIONS"] = sub(
            "{" + ",".join(f'"{c}":"${{{BY_NAME[c].logical_id}.Arn}}"' for c in STREAM_CONSUMERS) + "}")
    return env


def function_overrides(fn: Function) -> dict[str, Any]:
    """What the merge template sets on each function Chalice generates."""
    props: dict[str, Any] = {
        # a predictable name: the dead-letter queue's failure records name the function by its ARN
        "FunctionName": sub(f"${{AWS::StackName}}-{fn.name}"),
        "Role": arn(fn.role),
        "Environment": {"Variables": environment(fn)},
        "LoggingConfig": {"LogFormat": "JSON", "ApplicationLogLevel": ref("LogLevel"), "SystemLogLevel": "WARN",
                          "LogGroup": ref(fn.log_group)},
    }
    if fn.name in RESERVATIONS:
        condition, parameter = RESERVATIONS[fn.name]
        props["ReservedConcurrentExecutions"] = if_(condition, ref(parameter), NO_VALUE)
    else:
        props["ReservedConcurrentExecutions"] = NO_VALUE
    return {"Properties": props}


def _stream_mapping(fn: str, table: str) -> dict[str, Any]:
    return {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
        "EventSourceArn": getatt(table_logical_id(table), "StreamArn"),
        "FunctionName": ref(BY_NAME[fn].logical_id),
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 100,
        "MaximumBatchingWindowInSeconds": 1,
        "BisectBatchOnFunctionError": True,
        "MaximumRetryAttempts": 5,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "DestinationConfig": {"OnFailure": {"Destination": arn("StreamDeadLetterQueue")}},
    }}


def mappings() -> dict[str, Any]:
    return {
        "ProjectEventsMapping": _stream_mapping("project_events", "events"),
        "SuperviseCasesMapping": _stream_mapping("supervise_cases", "cases"),
        "LegalCheckCasesMapping": _stream_mapping("legal_check_cases", "cases"),
        "TaskWorkerMapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "EventSourceArn": arn("TasksQueue"), "FunctionName": ref("TaskWorker"), "BatchSize": 10,
            "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
    }


#: Schedules of plain functions (Chalice's own ``@schedule`` functions get theirs from Chalice).
#: The audit export runs at 00:30 UTC on the 1st: the audit trail is partitioned by UTC month.
SCHEDULES = {"export_audit_digests": "cron(30 0 1 * ? *)"}


def schedules() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, expression in SCHEDULES.items():
        fn = BY_NAME[name]
        out[f"{fn.logical_id}Schedule"] = {"Type": "AWS::Events::Rule", "Properties": {
            "Description": f"Sunlit: {fn.summary}", "ScheduleExpression": expression, "State": "ENABLED",
            "Targets": [{"Arn": arn(fn.logical_id), "Id": fn.name}]}}
        out[f"{fn.logical_id}SchedulePermission"] = {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": ref(fn.logical_id), "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com", "SourceArn": arn(f"{fn.logical_id}Schedule")}}
    return out


def resources() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fn in FUNCTIONS:
        out[fn.role] = role(fn)
        out[fn.log_group] = log_group(fn)
        out[fn.logical_id] = function_overrides(fn)
    out.update(mappings())
    out.update(schedules())
    return out
