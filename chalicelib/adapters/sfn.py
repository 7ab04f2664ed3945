"""Step Functions as the operation platform's process runner (``kernel.ports.ProcessRunner``)."""
from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.ports import TaskGoneError

from .aws import client

#: What Step Functions answers for a task token that can no longer be completed.
GONE_CODES = frozenset({"TaskDoesNotExist", "InvalidToken", "TaskTimedOut"})
_machine_arns: dict[str, str] = {}


class StepFunctionsRunner:
    """Executions of the deployed state machines: their ARNs from the template (``deployed``), else
    ``{prefix}{machine}`` looked up by name once per process (``states:ListStateMachines``, which
    deployed functions are not granted: local stacks and older deployments only)."""

    def __init__(self, prefix: str, sfn: Any | None = None, deployed: dict[str, str] | None = None):
        self.prefix = prefix
        self._sfn = sfn
        self.deployed = dict(deployed or {})

    @property
    def sfn(self) -> Any:
        return self._sfn if self._sfn is not None else client("stepfunctions")

    def machine_arn(self, machine: str) -> str:
        if self.deployed.get(machine):
            return self.deployed[machine]
        name = f"{self.prefix}{machine}"
        if name in _machine_arns:
            return _machine_arns[name]
        token: str | None = None
        while True:
            page = self.sfn.list_state_machines(**({"nextToken": token} if token else {}))
            for sm in page.get("stateMachines", []):
                _machine_arns[sm["name"]] = sm["stateMachineArn"]
            token = page.get("nextToken")
            if name in _machine_arns or not token:
                break
        if name not in _machine_arns:
            raise RuntimeError(f"state machine {name} is not deployed")
        return _machine_arns[name]

    def start(self, machine: str, name: str, payload: dict[str, Any]) -> str:
        answer = self.sfn.start_execution(stateMachineArn=self.machine_arn(machine), name=name,
                                          input=json.dumps(payload, ensure_ascii=False))
        return str(answer["executionArn"])

    def resume(self, token: str, output: dict[str, Any]) -> None:
        try:
            self.sfn.send_task_success(taskToken=token, output=json.dumps(output, ensure_ascii=False))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in GONE_CODES:
                raise TaskGoneError(str(exc)) from None
            raise

    def heartbeat(self, token: str) -> None:
        try:
            self.sfn.send_task_heartbeat(taskToken=token)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in GONE_CODES:
                raise TaskGoneError(str(exc)) from None
            raise
