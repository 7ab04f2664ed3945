"""The base of request bodies people fill in (the hall's forms, the console's)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


class FormIn(BaseModel):
    """Strict (unknown fields refused), trimmed, and an empty optional text field (forms send
    ``""`` for what was left blank) means "not given"."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        optional = name in cls.model_fields and not cls.model_fields[name].is_required()
        return None if optional and isinstance(value, str) and not value.strip() else value
