"""The IAM check the local stack enforces (``devstack/iam.py``): it must decide as IAM does, or
the proof of least privilege proves nothing. Pure: no moto server."""
from __future__ import annotations

import json
from typing import Any

from devstack.iam import evaluate, requested

EVENTS = "arn:aws:dynamodb:us-east-1:123456789012:table/s-events"
CASES = "arn:aws:dynamodb:us-east-1:123456789012:table/s-cases"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions: list[str], resources: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def test_an_explicit_deny_wins_over_any_allow() -> None:
    policy = doc(allow(["dynamodb:*"], "*"), {"Effect": "Deny", "Action": ["dynamodb:UpdateItem"], "Resource": [EVENTS]})
    assert evaluate([policy], "dynamodb:UpdateItem", EVENTS) == "deny"
    assert evaluate([policy], "dynamodb:UpdateItem", CASES) == "allow"
    assert evaluate([policy], "dynamodb:PutItem", EVENTS) == "allow"


def test_actions_and_resources_must_both_match_with_wildcards() -> None:
    policy = doc(allow(["dynamodb:Get*"], [f"{EVENTS}/index/*"]), allow(["sqs:SendMessage"], "arn:aws:sqs:*:*:s-t?sks"))
    assert evaluate([policy], "dynamodb:GetItem", f"{EVENTS}/index/gsi1") == "allow"
    assert evaluate([policy], "dynamodb:GetItem", EVENTS) == "implicit"  # the table is not its index
    assert evaluate([policy], "dynamodb:Query", f"{EVENTS}/index/gsi1") == "implicit"
    assert evaluate([policy], "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:s-tasks") == "allow"
    assert evaluate([policy], "SQS:sendmessage", "arn:aws:sqs:us-east-1:1:s-tasks") == "allow"  # actions ignore case
    assert evaluate([policy], "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:s-tasks-dlq") == "implicit"


def test_a_conditional_allow_proves_nothing_locally() -> None:
    policy = doc(allow(["kms:Decrypt"], "*", Condition={"StringEquals": {"kms:ViaService": "sqs.x"}}))
    assert evaluate([policy], "kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k") == "implicit"


def test_an_unknown_resource_needs_the_action_allowed_somewhere() -> None:
    policy = doc(allow(["states:SendTaskSuccess"], ["arn:aws:states:us-east-1:1:stateMachine:m"]),
                 {"Effect": "Deny", "Action": ["states:SendTaskFailure"], "Resource": ["arn:aws:states:*:*:x"]})
    assert evaluate([policy], "states:SendTaskSuccess", None) == "allow"
    assert evaluate([policy], "states:SendTaskHeartbeat", None) == "implicit"


def test_a_transaction_is_authorised_action_by_action_and_table_by_table() -> None:
    body = json.dumps({"TransactItems": [
        {"Put": {"TableName": "s-events", "Item": {}}},
        {"Update": {"TableName": "s-cases", "Key": {}}},
        {"ConditionCheck": {"TableName": "s-events", "Key": {}}},
    ]})
    got = requested("dynamodb", "dynamodb:TransactWriteItems", {}, body, "/", "us-east-1", "123456789012", "*")
    assert got == [("dynamodb:PutItem", EVENTS), ("dynamodb:UpdateItem", CASES), ("dynamodb:ConditionCheckItem", EVENTS)]


def test_requests_name_the_resources_iam_checks() -> None:
    def req(service: str, action: str, body: Any = None, data: Any = None) -> list[Any]:
        return requested(service, action, data or {}, json.dumps(body or {}), "/", "us-east-1", "123456789012", "*")

    assert req("dynamodb", "dynamodb:BatchGetItem", {"RequestItems": {"s-events": {}, "s-cases": {}}}) == [
        ("dynamodb:BatchGetItem", EVENTS), ("dynamodb:BatchGetItem", CASES)]
    assert req("dynamodb", "dynamodb:Query", {"TableName": "s-cases", "IndexName": "gsi2"}) == [
        ("dynamodb:Query", f"{CASES}/index/gsi2")]
    iterator = f"{EVENTS}/stream/2026-01-01T00:00:00|1|abc"
    assert req("dynamodb", "dynamodb:GetRecords", {"ShardIterator": iterator}) == [
        ("dynamodb:GetRecords", f"{EVENTS}/stream/2026-01-01T00:00:00")]
    assert req("sqs", "sqs:SendMessageBatch", {"QueueUrl": "http://h/123456789012/s-tasks"}) == [
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:s-tasks")]
    assert req("sns", "sns:Publish", data={"TopicArn": ["arn:aws:sns:us-east-1:1:t"]}) == [
        ("sns:Publish", "arn:aws:sns:us-east-1:1:t")]
    assert req("states", "states:ListStateMachines") == [("states:ListStateMachines", "*")]


def test_s3_requests_are_authorised_under_the_actions_iam_knows() -> None:
    obj = "arn:aws:s3:::b/files/x"

    def req(action: str, headers: dict[str, str] | None = None) -> list[Any]:
        return requested("s3", action, {}, b"", "/", "us-east-1", "123456789012", obj, headers)

    assert req("s3:HeadObject") == [("s3:GetObject", obj)]
    assert req("s3:PostObject") == [("s3:PutObject", obj)]
    assert req("s3:CopyObject", {"x-amz-copy-source": "b/incoming/att-%E9%99%84"}) == [
        ("s3:PutObject", obj), ("s3:GetObject", "arn:aws:s3:::b/incoming/att-附")]


def test_a_presigned_request_names_its_signer_in_the_query_or_the_form() -> None:
    from devstack.iam import presigned_credential

    assert presigned_credential({"X-Amz-Credential": ["AK/20261205/us-east-1/s3/aws4_request"],
                                 "X-Amz-Security-Token": ["tok"]}) == ("AK/20261205/us-east-1/s3/aws4_request", "tok")
    assert presigned_credential({"x-amz-credential": "AK/d/r/s3/aws4_request", "key": "k"}) == (
        "AK/d/r/s3/aws4_request", None)
    assert presigned_credential({"key": "k"}) is None
