"""The adapters to the services outside the tables: Step Functions answers become typed errors
(no guessing at botocore error shapes in the services), SNS failures never lose a signal."""
from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters import sfn as sfn_adapter
from chalicelib.adapters.sfn import StepFunctionsRunner
from chalicelib.adapters.sns import SnsNotifier
from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.ports import TaskGoneError
from chalicelib.runtime.services import actions


def client_error(code: str, operation: str = "SendTaskSuccess") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


class FakeSfn:
    def __init__(self, fail_with: str | None = None) -> None:
        self.fail_with = fail_with
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def list_state_machines(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("list", kwargs))
        if "nextToken" not in kwargs:
            return {"stateMachines": [{"name": "sunlit-t-other", "stateMachineArn": "arn:other"}], "nextToken": "p2"}
        return {"stateMachines": [{"name": "sunlit-t-license", "stateMachineArn": "arn:license"}]}

    def start_execution(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("start", kwargs))
        return {"executionArn": f"{kwargs['stateMachineArn']}:{kwargs['name']}"}

    def send_task_success(self, **kwargs: Any) -> None:
        self.calls.append(("resume", kwargs))
        if self.fail_with:
            raise client_error(self.fail_with)


@pytest.fixture(autouse=True)
def fresh_arns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sfn_adapter, "_machine_arns", {})


def test_an_execution_starts_on_the_stages_machine_found_across_pages() -> None:
    fake = FakeSfn()
    arn = StepFunctionsRunner("sunlit-t-", fake).start("license", "C-1", {"case_no": "C-1", "名称": "许可"})
    assert arn == "arn:license:C-1"
    started = next(kw for call, kw in fake.calls if call == "start")
    assert json.loads(started["input"]) == {"case_no": "C-1", "名称": "许可"}


def test_a_machine_that_is_not_deployed_is_named() -> None:
    with pytest.raises(RuntimeError, match="sunlit-t-penalty"):
        StepFunctionsRunner("sunlit-t-", FakeSfn()).start("penalty", "C-2", {})


@pytest.mark.parametrize("code", ["TaskDoesNotExist", "InvalidToken", "TaskTimedOut"])
def test_a_task_that_can_no_longer_be_completed_is_a_typed_error(code: str) -> None:
    with pytest.raises(TaskGoneError):
        StepFunctionsRunner("sunlit-t-", FakeSfn(fail_with=code)).resume("token", {"action": "accept"})


def test_other_step_functions_errors_are_not_mistaken_for_a_gone_task() -> None:
    with pytest.raises(ClientError):
        StepFunctionsRunner("sunlit-t-", FakeSfn(fail_with="ThrottlingException")).resume("token", {})


def test_staff_resuming_a_gone_task_get_a_conflict_to_refresh_their_worklist() -> None:
    class GoneRunner:
        def resume(self, token: str, output: dict[str, Any]) -> None:
            raise TaskGoneError("TaskTimedOut")

    deps: Any = type("D", (), {"runner": GoneRunner()})()
    with pytest.raises(ConflictError, match="流程任务已失效"):
        actions._resume(deps, "token", {})


def test_a_failed_notification_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def publish(self, **kwargs: Any) -> None:
            raise client_error("InternalError", "Publish")

    monkeypatch.setattr("chalicelib.adapters.sns.client", lambda _service: Broken())
    SnsNotifier("arn:topic").notify("[行政监察]红牌 R6", {"id": "S-1"}, {"dept_code": "015"})
    monkeypatch.setattr("chalicelib.adapters.sns.client", lambda _service: pytest.fail("no topic, no call"))
    SnsNotifier("").notify("[行政监察]红牌 R6", {"id": "S-1"}, {"dept_code": "015"})
