"""The scheduled functions (the sweep every 15 minutes, the nightly republication) as the local
stack and EventBridge call them: with a scheduled event and a Lambda context."""
from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("name", ["scheduled_sweep", "nightly_publish"])
def test_each_schedule_runs_with_the_event_eventbridge_sends(local_stack: Any, name: str) -> None:
    import app as app_module
    from devstack.pollers import LambdaContext
    from devstack.stack import scheduled_event

    # Given the function the local stack's schedule thread invokes
    handler = app_module.app.handler_map[name]
    # When EventBridge's scheduled event arrives
    result = handler(scheduled_event(name), LambdaContext(name))
    # Then it ran to its end and said what it did
    assert isinstance(result, dict) and result
