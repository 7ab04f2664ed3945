"""One typed settings model, read lazily from the environment (never at import time)."""
from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel


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
    signals_topic_arn: str = ""
    state_machine_prefix: str = ""
    admin_token: str | None = None
    token_secret: str = ""
    public_rate_limit: int = 30
    #: Origins the online hall is served from (comma-separated): CORS names them on public routes.
    hall_origins: str = ""
    timezone: str = "Asia/Shanghai"

    def table(self, name: str) -> str:
        return f"{self.table_prefix}{name}"


_ENV = {
    "stage": "SUNLIT_STAGE",
    "region": "AWS_DEFAULT_REGION",
    "endpoint_url": "SUNLIT_AWS_ENDPOINT",
    "table_prefix": "SUNLIT_TABLE_PREFIX",
    "tasks_queue_url": "SUNLIT_TASKS_QUEUE_URL",
    "stream_dlq_url": "SUNLIT_STREAM_DLQ_URL",
    "hall_bucket": "SUNLIT_HALL_BUCKET",
    "signals_topic_arn": "SUNLIT_SIGNALS_TOPIC_ARN",
    "state_machine_prefix": "SUNLIT_STATE_MACHINE_PREFIX",
    "admin_token": "SUNLIT_ADMIN_TOKEN",
    "token_secret": "SUNLIT_TOKEN_SECRET",
    "public_rate_limit": "SUNLIT_PUBLIC_RATE_LIMIT",
    "hall_origins": "SUNLIT_HALL_ORIGINS",
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    values = {field: os.environ[env] for field, env in _ENV.items() if os.environ.get(env)}
    return Settings.model_validate(values)


def reset_settings() -> None:
    """For tests and the local stack: re-read the environment on next use."""
    get_settings.cache_clear()
