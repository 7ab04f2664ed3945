"""Catalog items and events used across tests (docs/DOMAIN.md §10 fixtures)."""
from __future__ import annotations

from typing import Any


def license_item(dept: str = "015", seq: str = "004", region: str = "320300", **over: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": f"{region}{dept}XK{seq}00", "name": "建设项目环境影响评价文件审批（报告表）", "category": "XK",
        "dept_code": dept,
        "legal_basis": [{"id": "EIA-LAW-22", "title": "《中华人民共和国环境影响评价法》", "article": "第二十二条"}],
        "conditions": "建设项目依法应当编制环境影响报告表", "materials": [{"name": "环境影响报告表", "required": True}],
        "statutory_limit": {"value": 20, "unit": "working_day"},
        "promised_limit": {"value": 5, "unit": "working_day"},
        "fee": {"charged": False},
        "steps": [{"code": "1", "name": "承办", "limit_days": 2}, {"code": "2", "name": "审核", "limit_days": 1},
                  {"code": "3", "name": "批准", "limit_days": 1}],
        "place": "徐州市政务服务中心三楼生态环境窗口", "phone": "0516-83700000", "supervision_phone": "0516-83700001",
        "risk_points": [{"step_code": "1", "description": "故意刁难申请人", "level": 2, "controls": ["限时办结"]}],
        "keywords": ["环评", "报告表"], "penalty": None,
    }
    item.update(over)
    return item


def penalty_item(dept: str = "015", seq: str = "021", region: str = "320300", **over: Any) -> dict[str, Any]:
    item = license_item(dept, seq, region)
    item.update({
        "code": f"{region}{dept}CF{seq}00", "name": "对未批先建建设项目的处罚", "category": "CF",
        "legal_basis": [{"id": "EIA-LAW-31", "title": "《中华人民共和国环境影响评价法》", "article": "第三十一条"}],
        "statutory_limit": {"value": 90, "unit": "calendar_day"}, "promised_limit": {"value": 90, "unit": "calendar_day"},
        "steps": [{"code": "1", "name": "立案", "limit_days": 7}, {"code": "2", "name": "调查", "limit_days": 30},
                  {"code": "3", "name": "决定", "limit_days": 7}],
        "penalty": {"types": ["warning", "fine"], "fine_min": 1000, "fine_max": 10000, "case_limit_days": 90,
                    "tiers": [{"tier": "light", "min": 1000, "max": 3000}, {"tier": "medium", "min": 3000, "max": 6000},
                              {"tier": "heavy", "min": 6000, "max": 10000}]},
        "keywords": ["未批先建"],
    })
    item.update(over)
    return item


def event(case_no: str, item_code: str, etype: str, at: str, data: dict[str, Any] | None = None,
          event_id: str | None = None, version: int = 1) -> dict[str, Any]:
    return {"event_id": event_id or f"{case_no}-{etype}", "case_no": case_no, "item_code": item_code, "type": etype,
            "occurred_at": at, "data_version": version, "actor": {"name": "王某", "staff_no": "E0123", "title": "科员"},
            "data": data or {}}
