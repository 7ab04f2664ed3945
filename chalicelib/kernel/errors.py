"""Typed domain errors. Handlers map them to the contract's error shape
``{"error": {"code", "message", "details"}}``."""
from __future__ import annotations

from typing import Any


class SunlitError(Exception):
    """Base class; ``status`` is the HTTP status the handlers answer with."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class ValidationError(SunlitError):
    status = 400
    code = "VALIDATION_ERROR"


class NotFoundError(SunlitError):
    status = 404
    code = "NOT_FOUND"


class UnauthorizedError(SunlitError):
    status = 401
    code = "UNAUTHORIZED"


class ForbiddenError(SunlitError):
    status = 403
    code = "FORBIDDEN"


class ConflictError(SunlitError):
    status = 409
    code = "CONFLICT"


class RateLimitedError(SunlitError):
    status = 429
    code = "RATE_LIMITED"


def field_error(field: str, message: str, kind: str = "invalid") -> dict[str, Any]:
    """One entry of ``details``: which field is bad and why."""
    return {"field": field, "type": kind, "message": message}
