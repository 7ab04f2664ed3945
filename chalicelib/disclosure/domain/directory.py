"""主动公开: each body's 政府信息公开指南 (guide) and 目录 (categories and documents), 条例 art. 19–26.

A document carries the day the information was formed or changed (``formed_on``) and the day it
was published (``published_on``); art. 26 gives 20 working days between them, so a later
publication is flagged ``late`` (逾期公开). Each document gets an index number (索引号)
``{dept}-{year}-{seq:05d}``. Withdrawing a document (撤销公开) keeps its record with the reason.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.kernel.calendar import Calendar

#: Publish within 20 working days of forming or changing the information (art. 26).
PUBLISH_WORKING_DAYS = 20

#: The categories a department's directory starts with (art. 20's list, as most guides group it).
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("org", "机构职能"),
    ("policy", "法规文件"),
    ("plan", "规划计划"),
    ("power", "权责清单与办事服务"),
    ("licence_penalty", "行政许可和行政处罚"),
    ("fees", "行政事业性收费"),
    ("finance", "财政预决算"),
    ("procurement", "政府采购"),
    ("stats", "统计信息"),
    ("notice", "通知公告"),
    ("report", "政府信息公开年度报告"),
)

DEFAULT_GUIDE: dict[str, str] = {
    "scope": "本机关主动公开机构职能、法规文件、规划计划、权责清单、行政许可和行政处罚、收费项目、"
             "财政预决算、政府采购、统计信息等政府信息，自信息形成或者变更之日起 20 个工作日内在本平台公开。",
    "how_to_apply": "公民、法人或者其他组织可以通过本平台在线提交政府信息公开申请，也可以当面、信函、传真提交。"
                    "本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起 20 个工作日内答复；"
                    "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过 20 个工作日。",
    "fees": "行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
            "可以依法收取信息处理费。",
    "remedies": "申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
                "政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
}


def categories(custom: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """The department's categories: its own list, else the default one."""
    if custom:
        return [{"code": str(c["code"]), "name": str(c["name"])} for c in custom]
    return [{"code": code, "name": name} for code, name in DEFAULT_CATEGORIES]


def index_no(dept_code: str, year: int, seq: int) -> str:
    return f"{dept_code}-{year}-{seq:05d}"


def publication_due(calendar: Calendar, formed_on: date) -> date:
    return calendar.add_working_days(formed_on, PUBLISH_WORKING_DAYS).due


def public_document(doc: dict[str, Any]) -> dict[str, Any]:
    """What the hall shows of a document (who entered it stays internal)."""
    keep = ("doc_id", "index_no", "category", "title", "doc_no", "issuer", "formed_on", "published_on",
            "summary", "body", "url", "valid", "late")
    return {k: doc.get(k) for k in keep}


def published_directory(guide: dict[str, Any], docs: list[dict[str, Any]], dept_name: str) -> dict[str, Any]:
    """The department's directory as the hall reads it: the guide, categories with counts, documents."""
    live = [d for d in docs if d.get("status") == "published"]
    cats = categories(guide.get("categories"))
    counts: dict[str, int] = {}
    for d in live:
        counts[d["category"]] = counts.get(d["category"], 0) + 1
    return {
        "dept_code": guide["dept_code"], "dept_name": dept_name,
        "guide": {k: guide.get(k) for k in ("office", "scope", "how_to_apply", "fees", "remedies", "updated_on")},
        "categories": [{**c, "count": counts.get(c["code"], 0)} for c in cats],
        "documents": [public_document(d) for d in live],
    }
