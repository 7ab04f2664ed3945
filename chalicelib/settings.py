"""One typed settings model, read lazily from the environment (never at import time).

On a deployed stage (inside Lambda) every resource name must come from the environment the
template sets (``infra/build.py``): a missing one is an error naming it, never a silent fallback to
the ``sunlit-dev-…`` names, which would read and write another stage's tables. The defaults are
for code run outside any stack (scripts, unit tests); the local stack sets every variable itself.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    """Runtime settings. In AWS the table/queue/bucket names come from the CloudFormation
    template's environment variables; locally ``devstack`` sets the same variables."""

    stage: str = "dev"
    region: str = "us-east-1"
    endpoint_url: str | None = None
    table_prefix: str = "sunlit-dev-"
    tasks_queue_url: str = ""
    stream_dlq_url: str = ""
    hall_bucket: str = "sunlit-dev-hall"
    attachments_bucket: str = ""
    signals_topic_arn: str = ""
    state_machine_prefix: str = ""
    #: The deployed state machines' ARNs by machine (``license``…), from the template; without
    #: them the runtime looks the machines up by name (local stacks, older deployments).
    state_machines: dict[str, str] = Field(default_factory=dict)
    #: The stream consumers' function ARNs by function name: a replayed dead-letter batch runs in
    #: its own consumer function (with that function's role), not inside the API.
    consumer_functions: dict[str, str] = Field(default_factory=dict)
    audit_archive_bucket: str = ""
    admin_token: str | None = None
    token_secret: str = ""
    #: The Secrets Manager secret whose current version signs staff tokens (rotatable at run time).
    token_secret_arn: str = ""
    #: The KMS key that encrypts department secrets, TOTP seeds and the audit's address key.
    kms_key_id: str = ""
    #: External SSO (OIDC): issuer, audience, JWKS URL and the claim naming the Sunlit user.
    oidc_issuer: str = ""
    oidc_audience: str = ""
    oidc_jwks_url: str = ""
    oidc_user_claim: str = "preferred_username"
    oidc_require_mfa: bool = False
    #: The historical import (POST /admin/import/events); unset: on for the local stage only.
    import_enabled: bool | None = None
    #: True inside AWS Lambda: the local-stage conveniences never apply there, whatever the stage.
    in_lambda: bool = False
    public_rate_limit: int = 30
    #: Origins the online hall is served from (comma-separated): CORS names them on public routes.
    hall_origins: str = ""
    timezone: str = "Asia/Shanghai"

    def table(self, name: str) -> str:
        return f"{self.table_prefix}{name}"

    @property
    def local_stage(self) -> bool:
        """The local stage (devstack and tests): bootstrap token, tokens from POST /admin/users."""
        return self.stage == "local" and not self.in_lambda


_ENV = {
    "stage": "SUNLIT_STAGE",
    "region": "AWS_DEFAULT_REGION",
    "endpoint_url": "SUNLIT_AWS_ENDPOINT",
    "table_prefix": "SUNLIT_TABLE_PREFIX",
    "tasks_queue_url": "SUNLIT_TASKS_QUEUE_URL",
    "stream_dlq_url": "SUNLIT_STREAM_DLQ_URL",
    "hall_bucket": "SUNLIT_HALL_BUCKET",
    "attachments_bucket": "SUNLIT_ATTACHMENTS_BUCKET",
    "signals_topic_arn": "SUNLIT_SIGNALS_TOPIC_ARN",
    "state_machine_prefix": "SUNLIT_STATE_MACHINE_PREFIX",
    "state_machines": "SUNLIT_STATE_MACHINES",
    "consumer_functions": "SUNLIT_CONSUMER_FUNCTIONS",
    "audit_archive_bucket": "SUNLIT_AUDIT_ARCHIVE_BUCKET",
    "admin_token": "SUNLIT_ADMIN_TOKEN",
    "token_secret": "SUNLIT_TOKEN_SECRET",
    "public_rate_limit": "SUNLIT_PUBLIC_RATE_LIMIT",
    "token_secret_arn": "SUNLIT_TOKEN_SECRET_ARN",
    "kms_key_id": "SUNLIT_KMS_KEY_ID",
    "oidc_issuer": "SUNLIT_OIDC_ISSUER",
    "oidc_audience": "SUNLIT_OIDC_AUDIENCE",
    "oidc_jwks_url": "SUNLIT_OIDC_JWKS_URL",
    "oidc_user_claim": "SUNLIT_OIDC_USER_CLAIM",
    "oidc_require_mfa": "SUNLIT_OIDC_REQUIRE_MFA",
    "import_enabled": "SUNLIT_IMPORT_ENABLED",
    "in_lambda": "AWS_LAMBDA_FUNCTION_NAME",
    "hall_origins": "SUNLIT_HALL_ORIGINS",
}


#: What a deployed stage must be given (``infra/build.py`` sets each on every function).
REQUIRED_WHEN_DEPLOYED = ("stage", "table_prefix", "tasks_queue_url", "stream_dlq_url", "hall_bucket",
                          "attachments_bucket", "signals_topic_arn", "state_machine_prefix")


class SettingsError(RuntimeError):
    """A deployed stage started without a setting it needs."""


def deployed() -> bool:
    """Running inside Lambda (the local stack invokes the handlers in its own process)."""
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


_JSON = ("state_machines", "consumer_functions")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values: dict[str, object] = {field: os.environ[env] for field, env in _ENV.items() if os.environ.get(env)}
    for field in _JSON:
        if field in values:
            values[field] = json.loads(str(values[field]))
    if "in_lambda" in values:
        values["in_lambda"] = True
    missing = [_ENV[f] for f in REQUIRED_WHEN_DEPLOYED if f not in values] if deployed() else []
    if missing:
        raise SettingsError(f"deployed stage without {', '.join(missing)}: set by the stack's template, "
                            "never defaulted to the dev stage's names")
    return Settings.model_validate(values)


def reset_settings() -> None:
    """For tests and the local stack: re-read the environment on next use."""
    get_settings.cache_clear()
