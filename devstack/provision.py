"""Create every AWS resource of ``infra/`` in the embedded moto server.

Idempotent: against a moto server that already holds the stack (``SUNLIT_AWS_EXTERNAL=1``, a
restart), existing tables, queues, topics, buckets and state machines are reused, not recreated.

The same template that ``chalice package --merge-template`` deploys is read here: tables (with
streams), queues (with redrive), the topic, the hall bucket, the state machines and the event
source mappings, which the local pollers honour with Lambda's semantics.
"""
from __future__ import annotations

import contextlib
import importlib.util
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
    """``infra/build.py`` as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("sunlit_infra_build", ROOT / "infra" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _camel_to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Resolver:
    def __init__(self, stack: Stack):
        self.stack = stack

    def sub(self, text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            if key == "AWS::StackName":
                return self.stack.name
            if key == "AWS::AccountId":
                return ACCOUNT_ID
            if key == "AWS::Partition":
                return "aws"
            if key == "AWS::Region":
                return self.stack.region
            if "." in key:
                res, attr = key.split(".", 1)
                return self.stack.attrs[(res, attr)]
            return self.stack.physical[key]

        return re.sub(r"\$\{([A-Za-z0-9:._]+)\}", repl, text)

    def value(self, v: Any) -> Any:
        if isinstance(v, dict) and len(v) == 1:
            (k, arg), = v.items()
            if k == "Fn::Sub":
                return self.sub(arg)
            if k == "Ref":
                if arg == "AWS::StackName":
                    return self.stack.name
                return self.stack.physical[arg]
            if k == "Fn::GetAtt":
                return self.stack.attrs[(arg[0], arg[1])]
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v


def provision(clients: dict[str, Any], stack_name: str, region: str) -> Stack:
    template = load_infra().build()
    resources: dict[str, Any] = template["Resources"]
    stack = Stack(name=stack_name, region=region)
    r = Resolver(stack)
    ddb, sqs, sns, s3, sfn = (clients[k] for k in ("dynamodb", "sqs", "sns", "s3", "stepfunctions"))

    def of_type(t: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v.get("Properties", {})) for k, v in resources.items() if v.get("Type") == t]

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
        stack.queue_urls[lid] = url
    for lid, props in of_type("AWS::SNS::Topic"):
        arn = sns.create_topic(Name=r.value(props["TopicName"]))["TopicArn"]
        stack.physical[lid] = arn
        stack.attrs[(lid, "TopicArn")] = arn
    for lid, props in of_type("AWS::S3::Bucket"):
        name = r.value(props["BucketName"])
        s3.create_bucket(Bucket=name)
        if "CorsConfiguration" in props:
            rules = [{"AllowedMethods": c["AllowedMethods"], "AllowedOrigins": c["AllowedOrigins"],
                      "AllowedHeaders": c.get("AllowedHeaders", [])}
                     for c in props["CorsConfiguration"]["CorsRules"]]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(Bucket=name,
                                       PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
        stack.physical[lid] = name
        stack.attrs[(lid, "Arn")] = f"arn:aws:s3:::{name}"
    for _lid, props in of_type("AWS::S3::BucketPolicy"):
        document = _local_policy(r.value(props["PolicyDocument"]))
        if document["Statement"]:
            s3.put_bucket_policy(Bucket=r.value(props["Bucket"]), Policy=json.dumps(document))
    _provision_keys(clients, stack, r, of_type)
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/{stack_name}-states"
    for lid, props in of_type("AWS::StepFunctions::StateMachine"):
        definition = json.dumps(props["Definition"])
        subs = {k: str(r.value(v)) for k, v in props.get("DefinitionSubstitutions", {}).items()}
        for key, value in subs.items():
            definition = definition.replace("${" + key + "}", value)
        arn = _ensure_state_machine(sfn, r.value(props["StateMachineName"]), definition, role)
        stack.physical[lid] = arn
    for lid, props in of_type("AWS::Lambda::EventSourceMapping"):
        fn_logical = props["FunctionName"]["Ref"]
        on_failure = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        stack.mappings.append(Mapping(
            logical_id=lid, function=_camel_to_snake(fn_logical), source_arn=r.value(props["EventSourceArn"]),
            batch_size=int(props.get("BatchSize", 100)), max_retries=int(props.get("MaximumRetryAttempts", 3)),
            bisect=bool(props.get("BisectBatchOnFunctionError", False)),
            on_failure_arn=r.value(on_failure) if on_failure else None))
    return stack


def _local_policy(document: dict[str, Any]) -> dict[str, Any]:
    """A bucket policy as the local stack can honour it: the embedded AWS answers plain HTTP on
    127.0.0.1, so a statement denying requests without TLS (``aws:SecureTransport`` false) would
    deny everything; it is left out here and kept in the deployed template (a unit test checks)."""
    def tls_only(statement: dict[str, Any]) -> bool:
        return "aws:SecureTransport" in json.dumps(statement.get("Condition", {}))

    return {**document, "Statement": [st for st in document.get("Statement", []) if not tls_only(st)]}


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
                meta = kms.create_key(Description=props.get("Description", lid))["KeyMetadata"]
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
                arn = sm.create_secret(Name=name, Description=props.get("Description", ""),
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
    props = load_infra().build()["Resources"][logical_id]["Properties"]
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
        "SUNLIT_TOKEN_SECRET_ARN": stack.physical.get("TokenSecret", ""),
        "SUNLIT_KMS_KEY_ID": stack.attrs.get(("IdentityKey", "Arn"), ""),
    }
