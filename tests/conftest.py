"""Shared fixtures. Integration tests run against one in-process local stack (moto server with
real HTTP endpoints, the Chalice API, stream pollers) started once per session."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")


@pytest.fixture(scope="session")
def local_stack() -> Iterator[object]:
    from devstack.stack import LocalStack

    os.environ["SUNLIT_PUBLIC_RATE_LIMIT"] = "100000"
    stack = LocalStack(demo=False, schedules=False, log_fn=lambda m: None).start()
    yield stack
    stack.stop()


@pytest.fixture(autouse=True)
def no_access_denied(request: pytest.FixtureRequest) -> Iterator[None]:
    """Least privilege, proven on every integration test: the stack runs each function with its own
    role under moto's IAM enforcement (devstack/iam.py); any call a role does not allow fails the
    test that made it (stream consumers may report it a test later, but never silently)."""
    if "local_stack" not in request.fixturenames:
        yield
        return
    stack = request.getfixturevalue("local_stack")
    yield
    if getattr(request.node, "expects_access_denied", False):
        return
    denied = stack.iam_denials(clear=True)  # type: ignore[attr-defined]
    assert denied == [], "calls the function's role does not allow (infra/functions.py GRANTS):\n" + "\n".join(
        f"  {d['principal']}: {d['action']} on {d['resource']} ({d['decision']})" for d in denied)


@pytest.fixture(scope="session")
def api(local_stack: object) -> object:
    from tests.support.client import Api

    return Api(local_stack.api_url, local_stack.admin_token)  # type: ignore[attr-defined]


@pytest.fixture
def settle(local_stack: object):  # type: ignore[no-untyped-def]
    """Wait until the stream pollers have processed everything written so far."""

    def wait() -> None:
        assert local_stack.wait_idle(60), "stream processing did not settle"  # type: ignore[attr-defined]

    return wait
