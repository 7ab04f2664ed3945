"""Create every AWS resource of ``infra/`` in the embedded moto server.

Idempotent: against a moto server that already holds the stack (``SUNLIT_AWS_EXTERNAL=1``, a
restart), existing tables, queues, topics, buckets and state machines are reused, not recreated.

The same template that ``chalice package --merge-template`` deploys is read here: tables (with
streams), queues (with redrive), the topic, the hall bucket, the state machines and the event
source mappings, which the local pollers honour with Lambda's semantics.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_ID = "123456789012"


@dataclass
class Mapping:
    logical_id: str
    function: str
    source_arn: str
    batch_size: int
    max_retries: int
    bisect: bool
    on_failure_arn: str | None


@dataclass
class Stack:
    name: str
    region: str
    physical: dict[str, str] = field(default_factory=dict)
    attrs: dict[tuple[str, str], str] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    queue_urls: dict[str, str] = field(default_factory=dict)


def load_infra() -> Any:
    """``infra/build.py`` (the module that writes the template ``chalice package`` merges)."""
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("infra.build")


_template: dict[str, Any] | None = None


def template() -> dict[str, Any]:
    """The built template (once per process: building imports the app's route table)."""
    global _template
    if _template is None:
        _template = load_infra().build()
    return _template


def _camel_to_snake(name: str) -> str:
    return "api_handler" if name == "APIHandler" else re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_NO_VALUE = object()


class Resolver:
    """Resolves the template's intrinsic functions for the local stack (partition ``aws``,
    parameters at their defaults)."""

    def __init__(self, stack: Stack, parameters: dict[str, Any] | None = None,
                 conditions: dict[str, Any] | None = None):
        self.stack = stack
        self.parameters = {k: str(v.get("Default", "")) for k, v in (parameters or {}).items()}
        self.conditions = conditions or {}

    def ref(self, name: str) -> Any:
        pseudo = {"AWS::StackName": self.stack.name, "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws",
                  "AWS::Region": self.stack.region, "AWS::URLSuffix": "amazonaws.com"}
        if name in pseudo:
            return pseudo[name]
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        return self.stack.physical[name]

    def sub(self, text: str, variables: dict[str, Any] | None = None) -> str:
        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            if variables and key in variables:
                return str(self.value(variables[key]))
            if "." in key and not key.startswith("AWS::"):
                res, attr = key.split(".", 1)
                return self.stack.attrs[(res, attr)]
            return str(self.ref(key))

        return re.sub(r"\$\{([A-Za-z0-9:._]+)\}", repl, text)

    def condition(self, name: str) -> bool:
        return bool(self.value(self.conditions[name]))

    def value(self, v: Any) -> Any:
        if isinstance(v, dict) and len(v) == 1:
            (k, arg), = v.items()
            if k == "Fn::Sub":
                return self.sub(arg) if isinstance(arg, str) else self.sub(arg[0], arg[1])
            if k == "Ref":
                return self.ref(arg)
            if k == "Fn::GetAtt":
                return self.stack.attrs[(arg[0], arg[1])]
            if k == "Fn::If":
                return self.value(arg[1] if self.condition(arg[0]) else arg[2])
            if k == "Fn::Join":
                return str(arg[0]).join(str(self.value(x)) for x in arg[1])
            if k == "Fn::Equals":
                return self.value(arg[0]) == self.value(arg[1])
            if k == "Fn::Not":
                return not self.value(arg[0])
            if k == "Fn::And":
                return all(self.value(x) for x in arg)
            if k == "Fn::Or":
                return any(self.value(x) for x in arg)
            if k == "Condition":
                return self.condition(arg)
        if isinstance(v, dict):
            out = {k: self.value(x) for k, x in v.items()}
            return {k: x for k, x in out.items() if x is not _NO_VALUE}
        if isinstance(v, list):
            return [x for x in (self.value(y) for y in v) if x is not _NO_VALUE]
        return v


def provision(clients: dict[str, Any], stack_name: str, region: str) -> Stack:
    built = template()
    resources: dict[str, Any] = built["Resources"]
    stack = Stack(name=stack_name, region=region)
    r = Resolver(stack, built.get("Parameters"), built.get("Conditions"))
    ddb, sqs, sns, s3, sfn = (clients[k] for k in ("dynamodb", "sqs", "sns", "s3", "stepfunctions"))

    def of_type(t: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v.get("Properties", {})) for k, v in resources.items() if v.get("Type") == t]

    _provision_keys(clients, stack, r, of_type)  # (first: the rest names the keys)
    # What exists only as a name locally: functions (run in-process) and their log groups.
    for lid, res in resources.items():
        if res.get("Type") == "AWS::Logs::LogGroup":
            name = r.value(res["Properties"]["LogGroupName"])
            stack.physical[lid] = name
            stack.attrs[(lid, "Arn")] = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{name}:*"
        elif res.get("Type") == "AWS::IAM::Role":
            stack.physical[lid] = f"{stack_name}-{lid}"[:64]
            stack.attrs[(lid, "Arn")] = f"arn:aws:iam::{ACCOUNT_ID}:role/{stack.physical[lid]}"
        elif "FunctionName" in (res.get("Properties") or {}) and "Role" in res["Properties"]:
            name = r.value(res["Properties"]["FunctionName"])
            stack.physical[lid] = name
            stack.attrs[(lid, "Arn")] = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"
    for lid, props in of_type("AWS::DynamoDB::Table"):
        name = r.value(props["TableName"])
        kwargs: dict[str, Any] = {k: props[k] for k in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                                        "BillingMode") if k in props}
        if "StreamSpecification" in props:
            kwargs["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        try:
            desc = ddb.create_table(TableName=name, **kwargs)["TableDescription"]
        except ddb.exceptions.ResourceInUseException:  # an external moto that already has it
            desc = ddb.describe_table(TableName=name)["Table"]
        stack.physical[lid] = name
        stack.attrs[(lid, "Arn")] = desc["TableArn"]
        if desc.get("LatestStreamArn"):
            stack.attrs[(lid, "StreamArn")] = desc["LatestStreamArn"]
    # Queues: dead-letter queues first, so redrive policies can name them.
    queues = sorted(of_type("AWS::SQS::Queue"), key=lambda kv: "RedrivePolicy" in kv[1])
    for lid, props in queues:
        name = r.value(props["QueueName"])
        attributes = {}
        if "VisibilityTimeout" in props:
            attributes["VisibilityTimeout"] = str(props["VisibilityTimeout"])
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(r.value(props["RedrivePolicy"]))
        url = _ensure_queue(sqs, name, attributes)
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        stack.physical[lid] = url
        stack.attrs[(lid, "Arn")] = arn
        stack.attrs[(lid, "QueueUrl")] = url
        stack.attrs[(lid, "QueueName")] = name
        stack.queue_urls[lid] = url
    for lid, props in of_type("AWS::SNS::Topic"):
        arn = sns.create_topic(Name=r.value(props["TopicName"]))["TopicArn"]
        stack.physical[lid] = arn
        stack.attrs[(lid, "TopicArn")] = arn
    for lid, props in of_type("AWS::S3::Bucket"):
        name = r.value(props["BucketName"])
        if props.get("ObjectLockEnabled"):
            s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
            rule = r.value(props["ObjectLockConfiguration"]["Rule"])
            retention = rule["DefaultRetention"]
            s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": retention["Mode"], "Days": int(retention["Days"])}}})
        else:
            s3.create_bucket(Bucket=name)
        stack.physical[lid] = name
        stack.attrs[(lid, "Arn")] = f"arn:aws:s3:::{name}"
    # (Bucket policies name CloudFront distributions: locally devstack/edge.py reads the buckets.)
    role = stack.attrs[("StateMachineRole", "Arn")]
    for lid, props in of_type("AWS::StepFunctions::StateMachine"):
        definition = json.dumps(props["Definition"])
        subs = {k: str(r.value(v)) for k, v in props.get("DefinitionSubstitutions", {}).items()}
        for key, value in subs.items():
            definition = definition.replace("${" + key + "}", value)
        name = r.value(props["StateMachineName"])
        arn = _ensure_state_machine(sfn, name, definition, role)
        stack.physical[lid] = arn
        stack.attrs[(lid, "Name")] = name
        stack.attrs[(lid, "Arn")] = arn
    for lid, props in of_type("AWS::Lambda::EventSourceMapping"):
        fn_logical = props["FunctionName"]["Ref"]
        on_failure = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        stack.mappings.append(Mapping(
            logical_id=lid, function=_camel_to_snake(fn_logical), source_arn=r.value(props["EventSourceArn"]),
            batch_size=int(props.get("BatchSize", 100)), max_retries=int(props.get("MaximumRetryAttempts", 3)),
            bisect=bool(props.get("BisectBatchOnFunctionError", False)),
            on_failure_arn=r.value(on_failure) if on_failure else None))
    return stack


def roles(stack: Stack) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every function's role and the state machines' role, resolved for this stack: the policy
    documents and trust policies ``devstack/iam.py`` creates in moto."""
    built = template()
    r = Resolver(stack, built.get("Parameters"), built.get("Conditions"))
    policies: dict[str, dict[str, Any]] = {}
    trust: dict[str, dict[str, Any]] = {}
    for lid, res in built["Resources"].items():
        if res.get("Type") != "AWS::IAM::Role" or not res["Properties"].get("Policies"):
            continue
        statements: list[Any] = []
        for p in res["Properties"]["Policies"]:
            statements += r.value(p["PolicyDocument"])["Statement"]
        policies[lid] = {"Version": "2012-10-17", "Statement": statements}
        trust[lid] = r.value(res["Properties"]["AssumeRolePolicyDocument"])
    return policies, trust


def function_roles() -> dict[str, str]:
    """Function logical ID → its role's logical ID (from the functions' ``Role``)."""
    out = {}
    for lid, res in template()["Resources"].items():
        role = (res.get("Properties") or {}).get("Role")
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            out[lid] = role["Fn::GetAtt"][0]
    return out


def _provision_keys(clients: dict[str, Any], stack: Stack, r: Resolver, of_type: Any) -> None:
    """The identity KMS key (found again by its alias on a restart) and the Secrets Manager secrets."""
    kms, sm = clients.get("kms"), clients.get("secretsmanager")
    if kms is not None:
        aliases = {props["TargetKeyId"]["Ref"]: r.value(props["AliasName"]) for _, props in of_type("AWS::KMS::Alias")}
        for lid, props in of_type("AWS::KMS::Key"):
            alias = aliases.get(lid)
            try:
                meta = kms.describe_key(KeyId=alias)["KeyMetadata"] if alias else None
            except kms.exceptions.NotFoundException:
                meta = None
            if meta is None:
                meta = kms.create_key(Description=str(r.value(props.get("Description", lid))))["KeyMetadata"]
                if alias:
                    kms.create_alias(AliasName=alias, TargetKeyId=meta["KeyId"])
            stack.physical[lid] = meta["KeyId"]
            stack.attrs[(lid, "Arn")] = meta["Arn"]
    if sm is not None:
        import secrets

        for lid, props in of_type("AWS::SecretsManager::Secret"):
            name = r.value(props["Name"])
            try:
                arn = sm.describe_secret(SecretId=name)["ARN"]
            except sm.exceptions.ResourceNotFoundException:
                arn = sm.create_secret(Name=name, Description=str(r.value(props.get("Description", ""))),
                                       SecretString=secrets.token_urlsafe(48))["ARN"]
            stack.physical[lid] = arn


def _ensure_queue(sqs: Any, name: str, attributes: dict[str, str]) -> str:
    """Create the queue, or reuse it (keeping its attributes in step) when it already exists."""
    try:
        return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
    except sqs.exceptions.QueueDoesNotExist:
        pass
    try:
        return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])
    except sqs.exceptions.QueueNameExists:  # created concurrently by another provisioner
        url = str(sqs.get_queue_url(QueueName=name)["QueueUrl"])
        if attributes:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
        return url


def _ensure_state_machine(sfn: Any, name: str, definition: str, role: str) -> str:
    """Create the state machine, or update the existing one of that name to this definition."""
    try:
        return str(sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"])
    except sfn.exceptions.StateMachineAlreadyExists:
        pass
    paginator = sfn.get_paginator("list_state_machines")
    for page in paginator.paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                sfn.update_state_machine(stateMachineArn=machine["stateMachineArn"], definition=definition,
                                         roleArn=role)
                return str(machine["stateMachineArn"])
    raise RuntimeError(f"state machine {name} exists but cannot be listed")


def checkpoint_table(ddb: Any, stack_name: str) -> str:
    """The local stand-in for the position Lambda keeps for each event-source mapping: one item
    per (function, shard) holding the last sequence number delivered. Local only: in AWS the
    mapping itself remembers where it is."""
    name = f"{stack_name}-devstack-checkpoints"
    with contextlib.suppress(ddb.exceptions.ResourceInUseException):
        ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    return name


def queue_url(sqs: Any, stack_name: str, logical_id: str, region: str) -> str:
    """The URL of one of ``infra/``'s queues in an already provisioned stack (no side effects)."""
    props = template()["Resources"][logical_id]["Properties"]
    name = Resolver(Stack(name=stack_name, region=region)).value(props["QueueName"])
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def app_environment(stack: Stack) -> dict[str, str]:
    """The same variables ``infra/build.py`` gives the Lambda functions in AWS."""
    return {
        "SUNLIT_STAGE": "local",
        "SUNLIT_TABLE_PREFIX": f"{stack.name}-",
        "SUNLIT_TASKS_QUEUE_URL": stack.physical.get("TasksQueue", ""),
        "SUNLIT_STREAM_DLQ_URL": stack.physical.get("StreamDeadLetterQueue", ""),
        "SUNLIT_HALL_BUCKET": stack.physical.get("HallBucket", ""),
        "SUNLIT_ATTACHMENTS_BUCKET": stack.physical.get("AttachmentsBucket", ""),
        "SUNLIT_SIGNALS_TOPIC_ARN": stack.physical.get("SignalsTopic", ""),
        "SUNLIT_STATE_MACHINE_PREFIX": f"{stack.name}-",
        "SUNLIT_AUDIT_ARCHIVE_BUCKET": stack.physical.get("AuditArchiveBucket", ""),
        "SUNLIT_STATE_MACHINES": json.dumps({
            lid.removesuffix("StateMachine").lower(): arn for lid, arn in stack.physical.items()
            if lid.endswith("StateMachine")}),
        "SUNLIT_TOKEN_SECRET_ARN": stack.physical.get("TokenSecret", ""),
        "SUNLIT_KMS_KEY_ID": stack.attrs.get(("IdentityKey", "Arn"), ""),
    }
