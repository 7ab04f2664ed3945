"""Validating a declaration (申报) as a whole: every problem at once, each as a contract ``details``
entry in Chinese naming its field — pydantic's own errors and the cross-field rules alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from .items import ItemDeclaration, _cross_field_problems, declaration_problems

_PATTERN_MESSAGES = {"dept_code": "部门代码应为 3 位数字"}


def _chinese_message(err: Mapping[str, Any], field: str) -> str:
    kind: str = err["type"]
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "不支持的字段"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "string_type":
        return "应为文本"
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "不能为空" if n == 1 else f"长度不得少于 {n} 个字符"
    if kind == "string_too_long":
        return f"长度不得超过 {ctx.get('max_length')} 个字符"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(field, "格式不正确")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "应为整数"
    if kind in {"bool_type", "bool_parsing"}:
        return "应为 true 或 false"
    if kind in {"decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number"}:
        return "应为数字"
    if kind in {"decimal_max_places", "decimal_whole_digits", "decimal_max_digits"}:
        return "金额最多两位小数，且不超过 12 位整数"
    if kind == "greater_than_equal":
        return f"不得小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不得大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return "至少填写一项" if n == 1 else f"至少填写 {n} 项"
    if kind == "too_long":
        return f"最多填写 {ctx.get('max_length')} 项"
    if kind == "list_type":
        return "应为列表"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "应为对象"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"取值应为 {expected} 之一"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return "应为 YYYY-MM-DD 格式的日期"
    return f"字段值无效：{err['msg']}"


def _join(loc: tuple[Any, ...], sub: str = "") -> str:
    parts = [str(p) for p in loc]
    if sub:
        parts.append(sub)
    return ".".join(parts)


def pydantic_details(exc: PydanticValidationError) -> list[dict[str, Any]]:
    """Convert a pydantic error into contract ``details`` with dotted paths and Chinese messages.

    Rule errors raised by model validators (type ``rules``) expand into one entry per problem,
    each naming its own field (``penalty.tiers``, ``penalty.fine_max``, ``fee.basis`` …).
    """
    details: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "rules" and "problems" in ctx:
            for sub, message in ctx["problems"]:
                details.append({"field": _join(loc, sub), "type": "invalid", "message": message})
            continue
        field = _join(loc) or "body"
        details.append({"field": field, "type": err["type"], "message": _chinese_message(err, field)})
    return details


def _dedupe(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for d in details:
        key = (d["field"], d["message"])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _valid_fields(raw: Mapping[str, Any], bad: set[str]) -> dict[str, Any]:
    """Top-level fields of ``raw`` that are valid on their own (defaults for absent optional ones)."""
    validator = ItemDeclaration.__pydantic_validator__
    values: dict[str, Any] = {}
    for name, info in ItemDeclaration.model_fields.items():
        if name in bad:
            continue
        if name not in raw:
            if not info.is_required():
                values[name] = info.get_default(call_default_factory=True)
            continue
        probe = ItemDeclaration.model_construct()
        try:
            validator.validate_assignment(probe, name, raw[name])
        except PydanticValidationError:
            continue
        values[name] = probe.__dict__[name]
    return values


def validate_declaration(raw: Any) -> tuple[ItemDeclaration | None, list[dict[str, Any]]]:
    """Validate a ``POST /catalog/items`` body; never raises.

    Returns ``(item, [])`` when valid, else ``(None, details)`` with ALL problems at once: field
    errors with dotted paths (``penalty.tiers.1.min``), penalty and fee rules naming their own
    field, and the cross-field rules of :func:`declaration_problems`.
    """
    if not isinstance(raw, Mapping):
        return None, [{"field": "body", "type": "type", "message": "请求体应为 JSON 对象"}]
    try:
        try:
            item = ItemDeclaration.model_validate(dict(raw))
        except PydanticValidationError as exc:
            details = pydantic_details(exc)
            bad = {d["field"].split(".", 1)[0] for d in details}
            details += _cross_field_problems(_valid_fields(raw, bad))
            return None, _dedupe(details)
        problems = declaration_problems(item)
    except Exception as exc:  # noqa: BLE001 - the contract promises a 4xx, never a crash, on any input
        return None, [
            {"field": "body", "type": "invalid", "message": f"无法解析事项声明：{type(exc).__name__}"}
        ]
    if problems:
        return None, problems
    return item, []


