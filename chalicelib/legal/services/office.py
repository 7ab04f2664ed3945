"""What the legal office's use cases share: record ids, action dates, department checks, paging,
and the legal-office limits (filing deadline, reconsideration and litigation limits)."""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from chalicelib.identity.domain.roles import Principal
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import ForbiddenError, ValidationError, field_error

from ..domain import reconsideration as recon
from ..repositories import OfficeSettings

LEVEL_NAMES = {"city": "市级", "county": "县级"}
TEXT_LIMIT = 20000


def record_id(prefix: str, *parts: str) -> str:
    """Ids derive from natural keys (issuer + document number, reference number, trigger), so a
    repeated request answers 409 instead of creating a twin."""
    return f"{prefix}-{hashlib.sha256('|'.join(parts).encode()).hexdigest()[:16].upper()}"


def office_config(deps: Deps) -> recon.OfficeConfig:
    return OfficeSettings(deps.stores).load()


def save_office_config(deps: Deps, raw: Any) -> dict[str, Any]:
    cfg = OfficeSettings(deps.stores).save(raw, deps.now())
    return {"overrides": raw, "config": cfg.to_dict()}


def get_office_config(deps: Deps) -> dict[str, Any]:
    settings = OfficeSettings(deps.stores)
    return {"overrides": settings.raw(), "config": settings.load().to_dict()}


def departments(deps: Deps) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in identity.list_departments(deps.stores)}


def require_dept(deps: Deps, principal: Principal, dept_code: str, field: str = "dept_code") -> dict[str, Any]:
    if not principal.may_see_dept(dept_code):
        raise ForbiddenError("只能办理本部门的事项", [field_error(field, "不是本部门", "forbidden")])
    dept = identity.get_department(deps.stores, dept_code)
    if dept is None:
        raise ValidationError("部门不存在", [field_error(field, "未知部门代码", "unknown")])
    return dept


def action_day(on: date | None, today: date, floor: date | None, field: str, floor_name: str) -> date:
    """An action date: today by default, never in the future, never before ``floor``."""
    day = on or today
    if day > today:
        raise ValidationError("日期不能晚于今天", [field_error(field, "日期不能晚于今天")])
    if floor is not None and day < floor:
        raise ValidationError("日期有误", [field_error(field, f"不能早于{floor_name}（{floor.isoformat()}）")])
    return day


def page_rows(rows: list[dict[str, Any]], limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    start = int(cursor) if cursor and cursor.isdigit() else 0
    end = start + limit
    return rows[start:end], (str(end) if end < len(rows) else None)
