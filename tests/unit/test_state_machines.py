"""Static checks of every state machine in ``state_machines/`` (docs/DESIGN.md §4.6): valid JSON, every
target exists, every state is reachable, every placeholder is substituted by ``infra/build.py``,
every Task has Retry and Catch, and every waiting task sends what the task worker needs.

The same files are executed for real in moto by ``tests/integration/test_runtime.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.runtime.domain import process

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "state_machines").glob("*.asl.json"))
WAIT = "${SqsWaitForTaskToken}"
SEND = "${SqsSendMessage}"
TERMINAL = {"Succeed", "Fail"}


def _build() -> Any:
    from devstack.provision import load_infra

    return load_infra()


def scopes(definition: dict[str, Any], where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``{StartAt, States}`` scope: the machine, each Parallel branch, each Map processor."""
    yield where or "machine", definition
    for name, state in definition["States"].items():
        for i, branch in enumerate(state.get("Branches", [])):
            yield from scopes(branch, f"{where}{name}.branch{i}/")
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from scopes(processor, f"{where}{name}.processor/")


def all_states(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for _, scope in scopes(definition):
        yield from scope["States"].items()


def targets(state: dict[str, Any]) -> list[str]:
    found = [state["Next"]] if "Next" in state else []
    found += [c["Next"] for c in state.get("Choices", [])]
    found += [state["Default"]] if "Default" in state else []
    found += [c["Next"] for c in state.get("Catch", [])]
    return found


def load(path: Path) -> dict[str, Any]:
    definition: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return definition


def waiting_tasks(definition: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (n, s) for n, s in all_states(definition) if s.get("Type") == "Task" and s.get("Resource") == WAIT
    ]


def test_the_process_families_exist() -> None:
    # Given the issues' process families (coercion: issue #18), Then each has its machine
    assert {p.name for p in FILES} == {"license.asl.json", "penalty.asl.json", "service.asl.json",
                                       "coercion.asl.json"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_target_exists_and_every_state_is_reachable(path: Path) -> None:
    definition = load(path)
    for where, scope in scopes(definition):
        states = scope["States"]
        assert scope["StartAt"] in states, where
        reached, todo = set(), [scope["StartAt"]]
        while todo:
            name = todo.pop()
            if name in reached:
                continue
            reached.add(name)
            state = states[name]
            for target in targets(state):
                assert target in states, f"{where}{name} → {target} does not exist"
                todo.append(target)
            ends = state.get("End") is True or state["Type"] in TERMINAL or state["Type"] == "Choice"
            assert ends or "Next" in state, f"{where}{name} neither ends nor continues"
        assert reached == set(states), f"{where}: unreachable {sorted(set(states) - reached)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_task_has_retry_and_catch(path: Path) -> None:
    for name, state in all_states(load(path)):
        if state["Type"] in ("Task", "Parallel"):
            assert state.get("Catch"), f"{name} has no Catch"
        if state["Type"] == "Task":
            assert state.get("Retry"), f"{name} has no Retry"
            for rule in state["Retry"]:
                assert "States.ALL" not in rule["ErrorEquals"], f"{name} would retry a deliberate failure"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_partition_is_written_into_a_definition(path: Path) -> None:
    # Given a definition, Then every service ARN comes from the template (aws-cn in China)
    text = path.read_text("utf-8")
    assert "arn:" not in text
    substitutions = _build().build()["Resources"][_build().state_machine_logical_id(path)]["Properties"][
        "DefinitionSubstitutions"]
    for name in ("SqsWaitForTaskToken", "SqsSendMessage"):
        assert substitutions[name]["Fn::Sub"].startswith("arn:${AWS::Partition}:states:::"), name
    resources = {s["Resource"] for _, s in all_states(load(path)) if s.get("Type") == "Task"}
    assert resources <= {WAIT, SEND}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_wait_is_bounded_by_the_items_limits_and_reports_its_timeout(path: Path) -> None:
    definition = load(path)
    states: dict[str, dict[str, Any]] = {}
    for _, scope in scopes(definition):
        states.update(scope["States"])
    for name, state in waiting_tasks(definition):
        # Given a human step waiting on a task token, Then it times out from the clock's wait
        assert state["HeartbeatSecondsPath"] == "$.clock.wait.heartbeat", name
        assert state["TimeoutSecondsPath"] == "$.clock.wait.timeout", name
        # And a timeout (heartbeat or hard) goes to a report state before anything else can catch it
        first = state["Catch"][0]
        assert set(first["ErrorEquals"]) == {"States.HeartbeatTimeout", "States.Timeout"}, name
        assert first["ResultPath"] == "$.timeout"
        report = states[first["Next"]]
        # which tells the task worker (a plain message, not another wait) and issues the task again
        assert report["Resource"] == SEND and report["Next"] == name
        assert report["ResultPath"] is None  # the case's data flows on unchanged
        body = report["Parameters"]["MessageBody"]
        assert report["Parameters"]["QueueUrl"] == "${TasksQueueUrl}"
        assert body["kind"] == "timeout" and body["state"] == name
        assert body["error.$"] == "$.timeout.Error" and body["at.$"] == "$$.State.EnteredTime"
        task_body = state["Parameters"]["MessageBody"]
        for key in ("case_no.$", "dept_code.$", "item_code.$"):
            assert body[key] == task_body[key], (name, key)
        assert body["task_kind"] == task_body["kind"] and body["due_rule"] == task_body["due_rule"]


def test_every_placeholder_is_substituted_by_the_infra_build() -> None:
    build = _build()
    template = build.build()  # raises SystemExit on an unknown placeholder
    for path in FILES:
        used = build.placeholders(path.read_text("utf-8"))
        assert used, f"{path.name} names no queue"
        resource = template["Resources"][build.state_machine_logical_id(path)]["Properties"]
        assert used <= set(resource["DefinitionSubstitutions"]), path.name
        assert resource["Definition"] == load(path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_waiting_tasks_send_what_the_worker_stores(path: Path) -> None:
    required = {name for name, f in process.TaskMessage.model_fields.items() if f.is_required()}
    required |= {"due_at", "kind", "role", "step", "actions"}
    tasks = waiting_tasks(load(path))
    assert tasks
    for name, state in tasks:
        params = state["Parameters"]
        assert params["QueueUrl"] == "${TasksQueueUrl}"
        body = params["MessageBody"]
        keys = {k.removesuffix(".$") for k in body}
        assert required <= keys, f"{name} lacks {sorted(required - keys)}"
        assert body["task_token.$"] == "$$.Task.Token"
        assert body["kind"] in process.TASK_KINDS, name
        # a machine may offer fewer actions than the kind allows (no supplements for 便民服务)
        assert body["actions"] and set(body["actions"]) <= set(process.TASK_ACTIONS[body["kind"]]), name
        assert state["ResultPath"] == "$.clock", f"{name}: the action's clock must replace the last one"


STEP_LOOPS = [p for p in FILES if p.name != "coercion.asl.json"]  # QZ runs the law's stages, not the item's


@pytest.mark.parametrize("path", STEP_LOOPS, ids=lambda p: p.name)
def test_the_confirmed_steps_are_read_in_order_and_never_rewritten(path: Path) -> None:
    definition = load(path)
    states = dict(all_states(definition))
    # Nothing writes the execution input's steps, so a case cannot add, drop or reorder them
    for name, state in states.items():
        assert state.get("ResultPath") not in ("$", "$.steps"), name
        assert state.get("OutputPath") in (None, "$"), name
    # The loop starts at index 0, takes steps[index], and advances by exactly one
    assert states["Begin Steps"]["Parameters"] == {"index": 0, "count.$": "States.ArrayLength($.steps)"}
    assert states["Select Step"]["Parameters"]["step.$"] == "States.ArrayGetItem($.steps, $.cursor.index)"
    assert states["Advance Step"]["Parameters"]["index.$"] == "States.MathAdd($.cursor.index, 1)"
    assert states["Advance Step"]["Next"] == "Has Next Step"
    loop = states["Has Next Step"]["Choices"]
    assert loop == [
        {"Variable": "$.cursor.index", "NumericLessThanPath": "$.cursor.count", "Next": "Select Step"}
    ]
    step_task = states["Await Step"]["Parameters"]["MessageBody"]
    assert step_task["due_at.$"] == "States.ArrayGetItem($.clock.workdays, $.cursor.step.limit_days)"


def test_joint_handling_runs_co_department_reviews_in_parallel_with_the_steps() -> None:
    states = dict(all_states(load(ROOT / "state_machines" / "license.asl.json")))
    joint = states["Joint Handling"]
    assert joint["Type"] == "Parallel" and len(joint["Branches"]) == 2
    reviews = states["Co-department Reviews"]
    assert reviews["Type"] == "Map" and reviews["ItemsPath"] == "$.co_departments"
    assert reviews["MaxConcurrency"] == 0  # every co-department at once
    co_task = states["Await Co-review"]["Parameters"]["MessageBody"]
    assert co_task["dept_code.$"] == "$.co_dept" and co_task["owner_dept.$"] == "$.dept_code"
    # The conclusion waits for the whole Parallel state, i.e. for every review
    assert joint["Next"] == "Resume Clock" and states["Resume Clock"]["Next"] == "Await Conclusion"


def test_penalty_machine_follows_the_general_procedure() -> None:
    definition = load(ROOT / "state_machines" / "penalty.asl.json")
    order, name = [], definition["StartAt"]
    states = definition["States"]
    while states[name]["Type"] not in TERMINAL:
        order.append(name)
        state = states[name]
        name = state.get("Default") or state["Next"]
    kinds = [states[n]["Parameters"]["MessageBody"]["kind"] for n in order if states[n]["Type"] == "Task"]
    assert kinds == ["open_case", "notify", "decide", "serve", "enforce", "close"]
    hearing = states["Hearing Notified"]["Choices"][0]
    assert (hearing["Variable"], hearing["Next"]) == ("$.clock.hearing_notified", "Await Hearing")
    assert states["Await Hearing"]["Next"] == "Await Decision"
    assert states["Await Decision"]["Parameters"]["MessageBody"]["role"] == "dept_head"
