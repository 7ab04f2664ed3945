"""Least privilege, proven (issue 16): every function of the local stack runs with its own role
from the template, under moto's IAM enforcement (``devstack/iam.py``), and every integration test
fails if any call was refused (``tests/conftest.py::no_access_denied``). These tests show the
mechanism bites: a role missing one action breaks exactly the path that needs it, the append-only
tables refuse rewrites, and the schedules and the audit export run under their own roles.

Department codes 880–884 belong to this module.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item

pytestmark = pytest.mark.integration
ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department("880", "测试权限部门880")
    api.declare_and_confirm(license_item("880", "001"), api.user("iam-legal", ["legal"]))
    return creds


@pytest.fixture
def expecting_denials(request: pytest.FixtureRequest, local_stack: Any) -> Iterator[None]:
    """This test provokes refusals on purpose: it checks them itself."""
    request.node.expects_access_denied = True
    local_stack.iam_denials(clear=True)
    yield
    local_stack.iam_denials(clear=True)


@contextlib.contextmanager
def without(local_stack: Any, function: str, action: str) -> Iterator[None]:
    """The function's role, as created in moto from the template, minus one action."""
    from devstack import iam

    client, role = local_stack.clients["iam"], iam.ROLE_NAMES[function]
    original = client.get_role_policy(RoleName=role, PolicyName="least-privilege")["PolicyDocument"]
    document = original if isinstance(original, dict) else json.loads(original)
    stripped = json.loads(json.dumps(document))
    for statement in stripped["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if statement["Effect"] == "Allow" and action in actions:
            statement["Action"] = [a for a in actions if a != action] or ["sts:GetCallerIdentity"]
    client.put_role_policy(RoleName=role, PolicyName="least-privilege", PolicyDocument=json.dumps(stripped))
    try:
        yield
    finally:
        client.put_role_policy(RoleName=role, PolicyName="least-privilege", PolicyDocument=json.dumps(document))


def used(principal_suffix: str, action: str) -> set[str]:
    from devstack import iam

    return {str(r) for who, a, r in iam.usage() if who.endswith(principal_suffix) and a == action}


# ----------------------------------------------------------------------------- the roles at work


def test_a_departments_batch_runs_in_the_exchange_function_with_its_own_role(api: Api, dept: DeptCreds,
                                                                            settle: Any) -> None:
    # Given a department's signed batch
    r = api.post_events(dept, [event("IAM-880-0001", "320300880XK00100", "submitted", "2012-06-01T10:00:00+08:00")])
    # Then it is stored, by the exchange's role reading the cases' heads in one BatchGetItem
    assert r.status_code == 200, r.text
    settle()
    events_table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/sunlit-local-events"
    assert events_table in used("ExchangeHandlerRole", "dynamodb:BatchGetItem")
    assert events_table in used("ExchangeHandlerRole", "dynamodb:PutItem")
    # And the department's secret was opened with the identity key, by the exchange's own role
    assert used("ExchangeHandlerRole", "kms:Decrypt")
    # And the projection wrote the case view with its own role, not the exchange's
    cases_table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/sunlit-local-cases"
    assert cases_table in used("ProjectEventsRole", "dynamodb:PutItem") | used("ProjectEventsRole", "dynamodb:UpdateItem")
    assert not any("cases" in r for r in used("ExchangeHandlerRole", "dynamodb:PutItem"))


def test_the_state_machines_send_their_tasks_with_their_own_role(api: Api, local_stack: Any) -> None:
    # Given an online application (its execution sends the acceptance task to the tasks queue)
    d = api.department("881", "测试权限部门881")
    item = license_item("881", "001")
    api.declare_and_confirm(item, api.user("iam-legal-881", ["legal"]))
    r = api.post("/applications", {"item_code": item["code"], "applicant": {"type": "org", "name": "某公司"}})
    assert r.status_code == 201, r.text
    assert d.code == "881"
    # Then the send was signed by the state machines' role, allowed on the tasks queue only
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not used("StateMachineRole", "sqs:SendMessage"):
        time.sleep(0.1)
    assert used("StateMachineRole", "sqs:SendMessage") == {f"arn:aws:sqs:us-east-1:{ACCOUNT}:sunlit-local-tasks"}


# ----------------------------------------------------------------------------- a missing action fails


def test_without_batch_get_item_a_signed_batch_fails_and_says_why(api: Api, dept: DeptCreds, local_stack: Any,
                                                                 expecting_denials: None) -> None:
    batch = [event("IAM-880-0002", "320300880XK00100", "submitted", "2012-06-02T10:00:00+08:00")]
    # Given the exchange's role without dynamodb:BatchGetItem (the gap of .chalice/policy.json)
    with without(local_stack, "ExchangeHandler", "dynamodb:BatchGetItem"):
        # When a department posts a batch, then it fails
        assert api.post_events(dept, batch).status_code == 500
        # naming the exact action, resource and role
        denied = local_stack.iam_denials(clear=True)
    assert {(d["principal"], d["action"], d["resource"]) for d in denied} == {
        ("sunlit-local-ExchangeHandlerRole", "dynamodb:BatchGetItem",
         f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/sunlit-local-events")}
    # And with the template's role the same batch is accepted
    assert api.post_events(dept, batch).status_code == 200


def test_a_presigned_upload_is_authorised_as_the_role_that_signed_it(api: Api, local_stack: Any,
                                                                   expecting_denials: None) -> None:
    """The browser posts a file with the API's presigned POST: S3 authorises it as the API's role,
    so without s3:PutObject on the attachments bucket the citizen's upload is refused."""
    import requests

    pdf = b"%PDF-1.4\n%%EOF\n"

    def upload() -> int:
        r = api.post("/attachments", {"purpose": "complaint", "filename": "照片.pdf", "content_type": "application/pdf",
                                      "size": len(pdf)})
        assert r.status_code == 201, r.text
        form = r.json()["upload"]
        return requests.post(form["url"], data=form["fields"], files={"file": ("f", pdf)}, timeout=30).status_code

    # Given the API's role without s3:PutObject
    with without(local_stack, "APIHandler", "s3:PutObject"):
        # When a citizen uploads with a ticket it signed, then S3 refuses the form
        assert upload() == 403
        denied = local_stack.iam_denials(clear=True)
    assert [(d["principal"], d["action"]) for d in denied] == [("sunlit-local-APIHandlerRole", "s3:PutObject")]
    assert denied[0]["resource"].startswith(f"arn:aws:s3:::sunlit-local-attachments-{ACCOUNT}/incoming/att-")
    # And with the template's role the same upload is stored
    assert upload() == 204
    assert used("APIHandlerRole", "s3:PutObject")


def test_looking_state_machines_up_by_name_is_refused_so_the_template_passes_their_arns(
        api: Api, dept: DeptCreds, local_stack: Any, expecting_denials: None) -> None:
    from chalicelib import wiring
    from chalicelib.adapters import sfn as runtime

    # Given the API without the state machines' ARNs (what the old template gave it)
    saved = os.environ.pop("SUNLIT_STATE_MACHINES")
    wiring.reset()
    runtime._machine_arns.clear()
    try:
        # When a citizen applies online, then the runtime's fallback lookup is refused
        r = api.post("/applications", {"item_code": "320300880XK00100", "applicant": {"type": "org", "name": "某公司"}})
        assert r.status_code == 500
        denied = local_stack.iam_denials(clear=True)
        assert [(d["principal"], d["action"]) for d in denied] == [("sunlit-local-APIHandlerRole",
                                                                   "states:ListStateMachines")]
    finally:
        os.environ["SUNLIT_STATE_MACHINES"] = saved
        wiring.reset()
        runtime._machine_arns.clear()
    # And with the ARNs from the template the same application starts its machine
    r = api.post("/applications", {"item_code": "320300880XK00100", "applicant": {"type": "org", "name": "某公司"}})
    assert r.status_code == 201, r.text


def test_nobody_rewrites_the_event_log_or_the_audit_trail(local_stack: Any, expecting_denials: None) -> None:
    import boto3
    from botocore.exceptions import ClientError

    ddb = boto3.client("dynamodb", endpoint_url=local_stack.aws_url, region_name="us-east-1")
    for function in ("APIHandler", "ExchangeHandler", "ProjectEvents"):
        for table in ("sunlit-local-events", "sunlit-local-audit"):
            # Given any function, When it tries to update or delete a record of an append-only table
            with local_stack.as_identity(function):
                for call in (lambda t=table: ddb.update_item(TableName=t, Key={"pk": {"S": "X"}, "sk": {"S": "Y"}},
                                                             UpdateExpression="SET body = :b",
                                                             ExpressionAttributeValues={":b": {"S": "{}"}}),
                             lambda t=table: ddb.delete_item(TableName=t, Key={"pk": {"S": "X"}, "sk": {"S": "Y"}})):
                    with pytest.raises(ClientError) as refused:
                        call()
                    assert refused.value.response["Error"]["Code"] in ("AccessDenied", "AccessDeniedException")
    # Then every refusal came from the explicit Deny every role carries, not from a missing Allow
    denied = local_stack.iam_denials(clear=True)
    assert len(denied) == 12 and {d["decision"] for d in denied} == {"deny"}


# ----------------------------------------------------------------------------- the schedules


def test_the_schedules_run_with_their_own_roles(api: Api, local_stack: Any) -> None:
    from chalicelib import wiring
    from chalicelib.cases.services import sweep as rules
    from chalicelib.catalog import services as catalog

    # Given open cases past their deadlines (this module's, among others)
    # When the scheduled sweep and the nightly publication run as their functions, as scheduled
    with local_stack.as_function("scheduled_sweep"):
        report = rules.sweep(wiring.deps(), datetime.now(UTC))
    with local_stack.as_function("nightly_publish"):
        catalog.publish(wiring.deps())
    # Then both did their work within their roles (the autouse check finds no refusal)
    assert report["examined"] >= 1
    assert used("ScheduledSweepRole", "dynamodb:Query")
    assert used("NightlyPublishRole", "s3:PutObject")


def test_the_nightly_publication_deletes_superseded_shards_within_its_role(api: Api, local_stack: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import wiring
    from chalicelib.catalog import services as catalog
    from chalicelib.catalog.domain.publication import MANIFEST_KEY

    s3, bucket = local_stack.clients["s3"], local_stack.stack.physical["HallBucket"]
    # Given a shard no manifest names any more, older than the grace period (here: any age)
    stale = "catalog/shards/320300881.0123456789abcdef.json"
    s3.put_object(Bucket=bucket, Key=stale, Body=b"{}")
    monkeypatch.setattr(catalog, "STALE_SHARD_SECONDS", -3600)
    # When the nightly publication runs as its function
    with local_stack.as_function("nightly_publish"):
        catalog.publish(wiring.deps())
    # Then the shard is gone, the manifest's shards are all still there, and the role listed the
    # bucket and deleted that key (IAM's s3:ListBucket and s3:DeleteObject, no refusal)
    left = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="catalog/shards/").get("Contents", [])}
    assert stale not in left
    manifest = json.loads(gzip.decompress(s3.get_object(Bucket=bucket, Key=MANIFEST_KEY)["Body"].read()))
    assert {f"catalog/{s['path']}" for s in manifest["shards"]} <= left
    assert used("NightlyPublishRole", "s3:ListBucket") == {f"arn:aws:s3:::{bucket}"}
    assert f"arn:aws:s3:::{bucket}/{stale}" in used("NightlyPublishRole", "s3:DeleteObject")
