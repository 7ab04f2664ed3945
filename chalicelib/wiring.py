"""Composition root (cosmicpython's bootstrap): builds the adapters once per Lambda instance and
hands a :class:`~chalicelib.kernel.deps.Deps` to each call. Only the handlers (and the local
stack) use it; services receive what they need (docs/DESIGN.md §3).

Everything here is built on first use, and imported then too: the handlers import this module at
the top, so importing ``app`` (a cold start, ``bench/cold_start.py``) must not load the contexts
through it; a call loads what it reaches (``chalicelib/handlers/__init__.py``).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chalicelib.kernel.errors import NotFoundError

if TYPE_CHECKING:
    from chalicelib.cases.domain.case_view import CaseView
    from chalicelib.identity.services.platform import PlatformKeys
    from chalicelib.kernel.calendar import Calendar
    from chalicelib.kernel.deps import Deps
    from chalicelib.kernel.overrides import Cached
    from chalicelib.kernel.ports import Stores
    from chalicelib.kernel.rules_config import RuleConfig


class CaseHooks:
    """What supervision (R1–R14, E2), legal oversight (L1–L12) and the hall contribute to a case's
    projection and timer (``kernel.deps.CaseHooks``)."""

    def next_check(self, deps: Deps, view: CaseView, after: datetime | None = None) -> datetime | None:
        from chalicelib.cases.services.projection import bound_item
        from chalicelib.legal.services import checks as legal_checks
        from chalicelib.supervision.services import rules as supervision

        item = bound_item(deps, view)
        found = [c for c in (supervision.next_check(deps, view, item, after), legal_checks.next_check(deps, view, item, after))
                 if c is not None]
        return min(found) if found else None

    def public_result(self, deps: Deps, view: CaseView) -> dict[str, Any] | None:
        from chalicelib.public import services as public

        return public.published_result(deps, view)

    def sweep_case(self, deps: Deps, view: CaseView, as_of: datetime) -> int:
        from chalicelib.cases.services.projection import bound_item
        from chalicelib.legal.services import checks as legal_checks
        from chalicelib.supervision.services import rules as supervision

        item = bound_item(deps, view)
        return supervision.sweep_case(deps, view, item, as_of) + legal_checks.sweep_case(deps, view, item, as_of)

    def sweep_periodic(self, deps: Deps, as_of: datetime) -> int:
        from chalicelib.kernel.periods import local_date
        from chalicelib.legal.services import governance
        from chalicelib.supervision.services import disclosure as disclosure_supervision
        from chalicelib.supervision.services import oversight

        # L12 (目录调整超期): catalog-governance deadlines; E2 (逾期未说明): red signals unexplained;
        # R15 (依申请公开超期): requests for disclosure whose due day has ended.
        raised = int(governance.governance_check(deps, local_date(as_of)).get("raised", 0) or 0)
        return raised + oversight.flag_unexplained(deps, as_of) + disclosure_supervision.sweep_requests(deps, as_of)


@lru_cache(maxsize=1)
def stores() -> Stores:
    from .adapters.dynamo import DynamoStores

    return DynamoStores(cursor_key=lambda: platform_keys().key("cursor"))


@lru_cache(maxsize=1)
def _sources() -> tuple[Cached[Calendar], Cached[RuleConfig]]:
    """The calendar and the rule parameters, re-read at most once a minute per instance."""
    from chalicelib.kernel.overrides import Cached, CalendarOverrides, RuleOverrides

    return (Cached(lambda: CalendarOverrides(stores()).load()), Cached(lambda: RuleOverrides(stores()).load()))


@lru_cache(maxsize=1)
def _outside() -> tuple[Any, Any, Any, Any]:
    from .adapters.files import S3FileStore
    from .adapters.s3 import S3Publisher
    from .adapters.sfn import StepFunctionsRunner
    from .adapters.sns import SnsNotifier
    from .settings import get_settings

    settings = get_settings()
    files = S3FileStore(settings.attachments_bucket) if settings.attachments_bucket else None
    return (StepFunctionsRunner(settings.state_machine_prefix, deployed=settings.state_machines),
            SnsNotifier(settings.signals_topic_arn),
            S3Publisher(settings.hall_bucket), files)


def deps() -> Deps:
    """The dependencies of one call (cheap: every part is built once per instance)."""
    from chalicelib.kernel.deps import Deps, SystemClock
    from chalicelib.settings import get_settings

    calendars, rules = _sources()
    runner, notifier, publisher, files = _outside()
    return Deps(stores=stores(), clock=SystemClock(), calendars=calendars, rules=rules, runner=runner,
                notifier=notifier, publisher=publisher, hooks=CaseHooks(), keys=platform_keys(),
                public_rate_limit=get_settings().public_rate_limit, files=files)


@lru_cache(maxsize=1)
def platform_keys() -> PlatformKeys:
    """Keys derived from the platform secret (``identity.services.platform``), read once per instance."""
    from chalicelib.identity.services.platform import PlatformKeys

    return PlatformKeys(stores, key_vault)


def span(name: str, *, case_no: str | None = None, dept: str | None = None,
         **annotations: str | None) -> AbstractContextManager[None]:
    """An X-Ray subsegment annotated with the case and department (nothing outside Lambda)."""
    from .adapters import tracing

    return tracing.span(name, case_no=case_no, dept=dept, **annotations)


#: Runs one of the app's functions by name with an event. In AWS (``SUNLIT_CONSUMER_FUNCTIONS``)
#: a synchronous Lambda invocation, so the target runs with its own role; the local stack installs
#: an in-process invoker that does the same under the target's local credentials.
FunctionInvoker = Callable[[str, dict[str, Any]], Any]
local_invoker: FunctionInvoker | None = None


def invoke_function(name: str, event: dict[str, Any], fallback: Callable[[dict[str, Any], Any], Any]) -> Any:
    from .adapters.aws import client
    from .settings import get_settings

    target = get_settings().consumer_functions.get(name)
    if target:
        response = client("lambda").invoke(FunctionName=target, InvocationType="RequestResponse",
                                           Payload=json.dumps(event).encode("utf-8"))
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise RuntimeError(f"{name} failed: {str(payload)[:500]}")
        return payload
    if local_invoker is not None:
        return local_invoker(name, event)
    return fallback(event, None)


def audit_archive() -> Any:
    """The Object Lock bucket of monthly audit digests (``identity.services.audit_export.Archive``)."""
    from .adapters.archive import S3Archive
    from .settings import get_settings

    return S3Archive(get_settings().audit_archive_bucket)


def dead_letters() -> Any:
    """This stage's stream dead-letter queue (``adapters.dlq.DeadLetterQueue``); 404 when it has none."""
    from .adapters.dlq import DeadLetterQueue
    from .settings import get_settings

    settings = get_settings()
    if not settings.stream_dlq_url:
        raise NotFoundError("该环境未配置数据流死信队列")
    return DeadLetterQueue(settings.stream_dlq_url, settings.region)


def reset() -> None:
    """Forget every cached adapter (tests and the local stack call this after env changes)."""
    from .adapters import aws as aws_adapter
    from .adapters import files, tables
    from .settings import reset_settings

    reset_settings()
    stores.cache_clear()
    _sources.cache_clear()
    _outside.cache_clear()
    platform_keys.cache_clear()
    key_vault.cache_clear()
    signing_keys.cache_clear()
    from .identity.services import audit, departments, sessions

    sessions.forget()
    departments.forget()
    audit.forget_cached_keys()
    aws_adapter.reset_clients()
    files.reset()
    tables.reset_models()


# ----- identity (身份与权限): its configuration and key adapters -------------------------------------

def identity_config() -> Any:
    """Built from the (cached) settings on each call: cheap, and follows ``reset_settings``."""
    from .identity.services.config import IdentityConfig, OidcConfig
    from .settings import get_settings

    s = get_settings()
    oidc = None
    if s.oidc_issuer:
        oidc = OidcConfig(issuer=s.oidc_issuer, audience=s.oidc_audience or "sunlit",
                          jwks_url=s.oidc_jwks_url or s.oidc_issuer.rstrip("/") + "/.well-known/jwks.json",
                          user_claim=s.oidc_user_claim, require_mfa_amr=s.oidc_require_mfa)
    local = s.local_stage
    return IdentityConfig(stage=s.stage, local_stage=local, admin_token=s.admin_token if local else None, oidc=oidc,
                          import_enabled=local if s.import_enabled is None else s.import_enabled)


@lru_cache(maxsize=1)
def key_vault() -> Any:
    from .adapters.keys import KmsKeyVault
    from .settings import get_settings

    return KmsKeyVault(get_settings().kms_key_id)


@lru_cache(maxsize=1)
def signing_keys() -> Any:
    from .adapters.keys import SecretsManagerSigningKeys, StaticSigningKeys
    from .settings import get_settings

    s = get_settings()
    return SecretsManagerSigningKeys(s.token_secret_arn) if s.token_secret_arn else StaticSigningKeys(s.token_secret)
