"""Settings on a deployed stage come from the stack, never from the dev stage's defaults."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import settings
from devstack.provision import load_infra


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for env in settings._ENV.values():
        monkeypatch.delenv(env, raising=False)
    settings.reset_settings()
    yield monkeypatch
    settings.reset_settings()


def test_a_deployed_stage_missing_a_name_fails_naming_it(fresh: pytest.MonkeyPatch) -> None:
    # Given a Lambda function whose environment lacks the table prefix and the hall bucket
    fresh.setenv("AWS_LAMBDA_FUNCTION_NAME", "sunlit-prod-project_events")
    for field in settings.REQUIRED_WHEN_DEPLOYED:
        if field not in ("table_prefix", "hall_bucket"):
            fresh.setenv(settings._ENV[field], f"value-of-{field}")
    # When it reads its settings, then it stops, naming both, instead of using sunlit-dev-…
    with pytest.raises(settings.SettingsError, match="SUNLIT_TABLE_PREFIX, SUNLIT_HALL_BUCKET"):
        settings.get_settings()


def test_a_deployed_stage_with_every_name_starts(fresh: pytest.MonkeyPatch) -> None:
    fresh.setenv("AWS_LAMBDA_FUNCTION_NAME", "sunlit-prod-project_events")
    for field in settings.REQUIRED_WHEN_DEPLOYED:
        fresh.setenv(settings._ENV[field], f"sunlit-prod-{field}")
    assert settings.get_settings().table("events") == "sunlit-prod-table_prefixevents"


def test_outside_a_stack_the_defaults_still_serve_scripts_and_tests(fresh: pytest.MonkeyPatch) -> None:
    fresh.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    assert settings.get_settings().table("events") == "sunlit-dev-events"


def test_the_template_gives_every_function_each_required_setting() -> None:
    template = load_infra().build()
    environments = [r["Properties"]["Environment"]["Variables"] for r in template["Resources"].values()
                    if "Environment" in r.get("Properties", {})]
    assert environments
    for variables in environments:
        assert {settings._ENV[f] for f in settings.REQUIRED_WHEN_DEPLOYED} <= set(variables)
        # and no function's first request scans the package for pydantic plugins (cold start, issue 20)
        assert variables["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
