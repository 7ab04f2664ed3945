"""The identity context's configuration, built by ``wiring.identity_config()`` from the settings
(imported on first use: services name it in annotations only)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str
    jwks_url: str
    user_claim: str = "preferred_username"
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    #: When set, users whose roles need a second factor must come with an ``amr`` naming one.
    require_mfa_amr: bool = False


@dataclass(frozen=True)
class IdentityConfig:
    stage: str = "dev"
    #: The local stage (devstack, tests): the bootstrap token works, ``POST /admin/users``
    #: returns a token, first sign-in does not force a password change or MFA enrolment.
    local_stage: bool = False
    admin_token: str | None = None
    oidc: OidcConfig | None = None
    import_enabled: bool = True

    @property
    def issuer(self) -> str:
        return f"sunlit-{self.stage}"
