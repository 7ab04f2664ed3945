"""What 政府信息公开's use cases share: the departments (bodies that disclose)."""
from __future__ import annotations

from typing import Any

from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ValidationError, field_error


def require_department(deps: Deps, dept_code: str) -> dict[str, Any]:
    """The department registered under ``dept_code``; 400 naming the field when there is none."""
    dept = identity.get_department(deps.stores, dept_code)
    if dept is None:
        raise ValidationError("部门不存在", [field_error("dept_code", f"未知部门代码 {dept_code}", "unknown")])
    return dept


def department_name(deps: Deps, dept_code: str) -> str:
    dept = identity.get_department(deps.stores, dept_code)
    return str(dept.get("name") or "") if dept else ""


def departments(deps: Deps) -> list[dict[str, Any]]:
    return sorted(identity.list_departments(deps.stores), key=lambda d: d["code"])
