"""The Step Functions state machines of the operation platform (运行平台), embedded from
``state_machines/*.asl.json``. Names, ARNs and the partition reach the definitions only through
``DefinitionSubstitutions``; the machines' role may send to the tasks queue and nothing else."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .cfn import allow, arn, camel, policy, ref, sub

ROOT = Path(__file__).resolve().parent.parent


def state_machine_files() -> list[Path]:
    return sorted((ROOT / "state_machines").glob("*.asl.json"))


def state_machine_logical_id(path: Path) -> str:
    return f"{camel(path.name.removesuffix('.asl.json'))}StateMachine"


def placeholders(definition: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z0-9_]+)\}", definition))


#: Service integrations are whole substitutions (cfn-lint validates a literal Resource as an
#: ``arn:aws:`` ARN, which would not deploy in China): the partition comes from the stack.
SUBSTITUTIONS: dict[str, Any] = {
    "SqsWaitForTaskToken": sub("arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken"),
    "SqsSendMessage": sub("arn:${AWS::Partition}:states:::sqs:sendMessage"),
    "TasksQueueUrl": ref("TasksQueue"),
}


def role() -> dict[str, Any]:
    return {"Type": "AWS::IAM::Role", "Properties": {
        "Description": sub("Sunlit ${AWS::StackName}: the state machines (send waiting tasks to the tasks queue)"),
        "AssumeRolePolicyDocument": policy({"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}),
        "Policies": [{"PolicyName": "tasks-queue-only", "PolicyDocument": policy(
            allow(["sqs:SendMessage"], arn("TasksQueue")),
            allow(["kms:Decrypt", "kms:GenerateDataKey"], arn("DataKey"),
                  condition={"StringEquals": {"kms:ViaService": sub("sqs.${AWS::Region}.${AWS::URLSuffix}")}}),
            # X-Ray has no resource-level permissions
            allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                   "xray:GetSamplingTargets"], "*"),
        )}],
    }}


def resources() -> dict[str, Any]:
    out: dict[str, Any] = {"StateMachineRole": role()}
    for path in state_machine_files():
        text = path.read_text("utf-8")
        unknown = placeholders(text) - set(SUBSTITUTIONS)
        if unknown:
            raise SystemExit(f"{path.name}: unknown placeholders {sorted(unknown)}")
        out[state_machine_logical_id(path)] = {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": sub(f"${{AWS::StackName}}-{path.name.removesuffix('.asl.json')}"),
                "Definition": json.loads(text),
                "DefinitionSubstitutions": dict(SUBSTITUTIONS),
                "RoleArn": arn("StateMachineRole"),
                "TracingConfiguration": {"Enabled": True},
            },
        }
    return out
