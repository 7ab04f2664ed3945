"""Build the CloudFormation resources merged into the Chalice app.

``infra/resources.json`` is the hand-written source; the state machines are embedded from
``state_machines/*.asl.json`` here, so one definition serves both ``chalice package
--merge-template`` (AWS) and ``devstack`` (the local moto stack).

Usage: ``python infra/build.py build/merge-template.json``
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("catalog", "identity", "events", "cases", "oversight", "stats", "work", "audit")
# The projection rebuilds a case from its log, so the events stream only has to say which case
# changed (KEYS_ONLY); supervision and legality checks read the new case view from the record.
STREAM_TABLES = {"events": "KEYS_ONLY", "cases": "NEW_IMAGE"}
FUNCTIONS_WITH_ENV = ("APIHandler", "ProjectEvents", "SuperviseCases", "LegalCheckCases",
                      "TaskWorker", "ScheduledSweep", "NightlyPublish")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def table_logical_id(name: str) -> str:
    return f"{_camel(name)}Table"


def state_machine_files() -> list[Path]:
    return sorted((ROOT / "state_machines").glob("*.asl.json"))


def state_machine_logical_id(path: Path) -> str:
    return f"{_camel(path.name.removesuffix('.asl.json'))}StateMachine"


def placeholders(definition: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", definition))


def _table(name: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "TableName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": "S"}
            for a in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": idx,
                "KeySchema": [
                    {"AttributeName": f"{idx}pk", "KeyType": "HASH"},
                    {"AttributeName": f"{idx}sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for idx in ("gsi1", "gsi2")
        ],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    if name in STREAM_TABLES:
        props["StreamSpecification"] = {"StreamViewType": STREAM_TABLES[name]}
    if name in ("events", "audit"):
        # Append-only records (3-year retention, DOMAIN §2.3): protect them from stack deletion.
        return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain", "Properties": props}
    return {"Type": "AWS::DynamoDB::Table", "Properties": props}


def build() -> dict[str, Any]:
    template: dict[str, Any] = json.loads((ROOT / "infra" / "resources.json").read_text("utf-8"))
    resources: dict[str, Any] = template.setdefault("Resources", {})
    for name in TABLES:
        resources[table_logical_id(name)] = _table(name)
    substitutions = {
        "TasksQueueUrl": {"Ref": "TasksQueue"},
        "CasesTable": {"Ref": table_logical_id("cases")},
        "EventsTable": {"Ref": table_logical_id("events")},
    }
    for path in state_machine_files():
        definition = json.loads(path.read_text("utf-8"))
        unknown = placeholders(path.read_text("utf-8")) - set(substitutions)
        if unknown:
            raise SystemExit(f"{path.name}: unknown placeholders {sorted(unknown)}")
        resources[state_machine_logical_id(path)] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": {"Fn::Sub": f"${{AWS::StackName}}-{path.name.removesuffix('.asl.json')}"},
                "Definition": definition,
                "DefinitionSubstitutions": substitutions,
                "RoleArn": {"Fn::GetAtt": ["StateMachineRole", "Arn"]},
            },
        }
    env = {
        "SUNLIT_STAGE": {"Ref": "AWS::StackName"},
        "SUNLIT_TABLE_PREFIX": {"Fn::Sub": "${AWS::StackName}-"},
        "SUNLIT_TASKS_QUEUE_URL": {"Ref": "TasksQueue"},
        "SUNLIT_STREAM_DLQ_URL": {"Ref": "StreamDeadLetterQueue"},
        "SUNLIT_HALL_BUCKET": {"Ref": "HallBucket"},
        "SUNLIT_ATTACHMENTS_BUCKET": {"Ref": "AttachmentsBucket"},
        "SUNLIT_SIGNALS_TOPIC_ARN": {"Ref": "SignalsTopic"},
        "SUNLIT_STATE_MACHINE_PREFIX": {"Fn::Sub": "${AWS::StackName}-"},
        # Read at run time, so the signing key rotates without a deploy (identity, issue 14).
        "SUNLIT_TOKEN_SECRET_ARN": {"Ref": "TokenSecret"},
        "SUNLIT_KMS_KEY_ID": {"Fn::GetAtt": ["IdentityKey", "Arn"]},
    }
    for fn in FUNCTIONS_WITH_ENV:
        resources.setdefault(fn, {}).setdefault("Properties", {}).setdefault("Environment", {})[
            "Variables"] = env
    return template


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "merge-template.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=2), "utf-8")
    print(out)


if __name__ == "__main__":
    main()
