"""Catalog publication (目录公开): the static JSON the hall reads — a small manifest, one shard per
department, the pinyin reading table and the item guides — exact shape, public fields only."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.catalog.domain.items import ItemDeclaration, ItemVersion
from chalicelib.catalog.domain.publication import (
    MANIFEST_KEY,
    build_item_doc,
    build_manifest,
    build_shard,
    content_key,
    derived_pinyin,
    expand_shard,
    item_doc_key,
    json_safe,
    pinyin_table,
    shard_entry,
    shard_prefix,
)
from chalicelib.catalog.domain.search import search_text

LICENSE: dict[str, Any] = {
    "code": "320300015XK00400",
    "name": "建设项目环境影响评价文件审批",
    "category": "XK",
    "dept_code": "015",
    "legal_basis": [
        {"id": "EIA-LAW-22", "title": "《中华人民共和国环境影响评价法》", "article": "第二十二条"}
    ],
    "conditions": "依法应当编制环境影响报告表的建设项目",
    "materials": [{"name": "环境影响报告表", "required": True}],
    "statutory_limit": {"value": 20, "unit": "working_day"},
    "promised_limit": {"value": 5, "unit": "working_day"},
    "fee": {"charged": True, "amount": "100.50", "basis": "苏价费〔2012〕1号"},
    "steps": [
        {"code": "1", "name": "承办", "limit_days": 2},
        {"code": "2", "name": "审核", "limit_days": 1},
        {"code": "3", "name": "批准", "limit_days": 1},
    ],
    "place": "徐州市政务服务中心",
    "phone": "0516-00000000",
    "supervision_phone": "0516-11111111",
    "risk_points": [
        {"step_code": "1", "description": "故意刁难申请人", "level": 2, "controls": ["限时办结"]}
    ],
    "penalty": None,
    "keywords": ["环评"],
}
PENALTY_ITEM: dict[str, Any] = {
    **copy.deepcopy(LICENSE),
    "code": "320300015CF02100",
    "name": "对未批先建的行政处罚",
    "category": "CF",
    "fee": {"charged": False},
    "keywords": [],
    "penalty": {
        "types": ["warning", "fine"],
        "fine_min": 1000,
        "fine_max": 10000,
        "tiers": [
            {"tier": "light", "min": 1000, "max": 3000},
            {"tier": "medium", "min": 3000, "max": "6000.50"},
            {"tier": "heavy", "min": "6000.50", "max": 10000},
        ],
        "case_limit_days": 90,
    },
}
CATERING: dict[str, Any] = {
    **copy.deepcopy(LICENSE),
    "code": "320300021XK00100",
    "name": "小餐饮经营许可证核发",
    "dept_code": "021",
    "fee": {"charged": False},
    "keywords": ["餐饮", "小餐饮"],
}
DEPARTMENTS = [
    {"code": "021", "name": "徐州市市场监督管理局", "region_code": "320300", "level": "city"},
    {"code": "015", "name": "徐州市生态环境局", "region_code": "320300", "level": "city"},
    {"code": "030", "name": "徐州市民政局", "region_code": "320300", "level": "city"},
]


def version(
    raw: dict[str, Any],
    number: int,
    status: str = "confirmed",
    effective: str | None = "2012-07-01",
    **extra: Any,
) -> ItemVersion:
    return ItemVersion(
        code=raw["code"],
        version=number,
        status=status,  # type: ignore[arg-type]
        declared_at="2012-06-20T10:00:00+08:00",
        declared_by="wangmou015",
        effective_from=date.fromisoformat(effective) if effective else None,
        confirmed_at="2012-06-25T16:00:00+08:00" if status == "confirmed" else None,
        confirmed_by="legal_zhao" if status == "confirmed" else None,
        item=ItemDeclaration.model_validate(raw),
        **extra,
    )


NAMES = {d["code"]: d["name"] for d in DEPARTMENTS}
PINYIN_KEY = "catalog/pinyin.000000000000.json"


def publish(items: list[ItemVersion], departments: list[dict[str, Any]] = DEPARTMENTS
            ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The manifest and the shards (by path), as the publication service builds them."""
    names = {d["code"]: d["name"] for d in departments}
    shards = {}
    for prefix in sorted({shard_prefix(v.code) for v in items}):
        shards[prefix] = build_shard(prefix, items, names.get(prefix[6:], ""))
    entries = [shard_entry(content_key("shards", p, s), s) for p, s in shards.items()]
    manifest = build_manifest(entries, departments, "2012-07-01T08:00:00+08:00", PINYIN_KEY)
    by_path = {m["path"]: shards[m["prefix"]] for m in manifest["shards"]}
    return manifest, by_path


def hall_index(items: list[ItemVersion], departments: list[dict[str, Any]] = DEPARTMENTS) -> list[dict[str, Any]]:
    """Every row the hall gets after loading the manifest and each shard it names."""
    manifest, shards = publish(items, departments)
    return sorted((row for s in manifest["shards"] for row in expand_shard(shards[s["path"]])),
                  key=lambda r: r["code"])


def test_the_manifest_counts_departments_and_categories_and_names_each_shard() -> None:
    # Given three confirmed items of two departments
    items = [version(CATERING, 1), version(PENALTY_ITEM, 1), version(LICENSE, 1)]
    # When the catalog is published
    manifest, shards = publish(items)
    # Then the manifest is plain JSON with the agreed keys
    assert json.loads(json.dumps(manifest, ensure_ascii=False)) == manifest
    assert set(manifest) == {"generated_at", "item_count", "pinyin", "departments", "categories", "featured", "shards"}
    assert manifest["item_count"] == 3 and manifest["pinyin"] == "pinyin.000000000000.json"
    # And departments keep their order, each counting its published items
    assert manifest["departments"] == [
        {**DEPARTMENTS[0], "item_count": 1},
        {**DEPARTMENTS[1], "item_count": 2},
        {**DEPARTMENTS[2], "item_count": 0},
    ]
    # And every category is listed with its count
    counts = {c["code"]: c["item_count"] for c in manifest["categories"]}
    assert len(manifest["categories"]) == 12
    assert counts["XK"] == 2 and counts["CF"] == 1 and counts["ZS"] == 0
    assert manifest["categories"][0] == {"code": "XK", "name": "行政许可", "item_count": 2}
    # And one shard per department segment, under a key that changes with its content
    assert [(s["prefix"], s["count"]) for s in manifest["shards"]] == [("320300015", 2), ("320300021", 1)]
    assert all(s["path"].startswith(f"shards/{s['prefix']}.") for s in manifest["shards"])
    changed = build_shard("320300015", [version(LICENSE, 1)], "徐州市生态环境局")
    assert content_key("shards", "320300015", changed) != "catalog/" + manifest["shards"][0]["path"]
    assert set(shards) == {s["path"] for s in manifest["shards"]}


def test_a_shard_row_is_compact_and_the_hall_expands_it_to_the_summary_and_the_search_text() -> None:
    shard = build_shard("320300015", [version(LICENSE, 1)], "徐州市生态环境局")
    assert shard == {"prefix": "320300015", "region_code": "320300", "dept_code": "015",
                     "dept_name": "徐州市生态环境局", "items": [["XK00400", "建设项目环境影响评价文件审批", ["环评"],
                                                             [5, "w"], [20, "w"], 1]]}
    assert expand_shard(shard) == [
        {
            "code": "320300015XK00400",
            "display_code": "320300-015-XK-004-00",
            "name": "建设项目环境影响评价文件审批",
            "category": "XK",
            "category_name": "行政许可",
            "dept_code": "015",
            "dept_name": "徐州市生态环境局",
            "promised_limit": {"value": 5, "unit": "working_day"},
            "statutory_limit": {"value": 20, "unit": "working_day"},
            "fee_charged": True,
            "keywords": ["环评"],
            "search": search_text("建设项目环境影响评价文件审批", "320300015XK00400", ["环评"]),
        }
    ]


def test_the_hall_can_find_small_catering_by_name_initials_and_dashed_code() -> None:
    rows = hall_index([version(CATERING, 1), version(LICENSE, 1)])
    for query in ("小餐饮", "xcy", "xiaocanyin", "320300-021-xk-001-00"):
        assert [i["code"] for i in rows if query in i["search"]] == ["320300021XK00100"]


def test_polyphones_and_rare_characters_carry_their_own_pinyin_so_the_search_text_is_exact() -> None:
    # Given names whose characters the reading table reads otherwise (银行 háng, 重庆 chóng) or
    # does not hold at all (堃 is outside GB 2312 level 1)
    bank = {**copy.deepcopy(CATERING), "code": "320300021XK00200", "name": "银行业金融机构设立审批",
            "keywords": ["重庆", "商业银行"]}
    rare = {**copy.deepcopy(CATERING), "code": "320300021XK00300", "name": "堃源化工危险化学品经营许可", "keywords": []}
    assert derived_pinyin("银行") != ("yh", "yinhang")
    # When they are published
    shard = build_shard("320300021", [version(bank, 1), version(rare, 1)], "徐州市市场监督管理局")
    # Then only their rows carry the exact pinyin, and the hall's search text is the platform's
    assert [len(row) for row in shard["items"]] == [7, 7]
    for row, raw in zip(expand_shard(shard), (bank, rare), strict=True):
        assert row["search"] == search_text(raw["name"], raw["code"], raw["keywords"])
    assert "yinhang" in expand_shard(shard)[0]["search"]


def test_the_reading_table_covers_the_common_characters_once_each() -> None:
    table = pinyin_table()
    chars = "".join(table.values())
    assert len(chars) == len(set(chars)) == 3755
    assert "餐" in table["can"] and "饮" in table["yin"]


def test_unconfirmed_versions_are_never_published() -> None:
    pending = version(CATERING, 1, status="declared", effective=None)
    rejected = version(PENALTY_ITEM, 1, status="rejected", effective=None, rejected_reason="依据不全")
    manifest, _ = publish([pending, rejected, version(LICENSE, 1)])
    assert [r["code"] for r in hall_index([pending, rejected, version(LICENSE, 1)])] == ["320300015XK00400"]
    assert manifest["departments"][0]["item_count"] == 0
    assert [s["prefix"] for s in manifest["shards"]] == ["320300015"]


def test_when_two_versions_of_one_code_are_given_the_latest_effective_is_published() -> None:
    renamed = {**copy.deepcopy(LICENSE), "name": "建设项目环境影响报告表审批"}
    rows = hall_index([version(renamed, 2, effective="2012-09-01"), version(LICENSE, 1, effective="2012-01-01")])
    assert [i["name"] for i in rows] == ["建设项目环境影响报告表审批"]


def test_an_item_of_an_unlisted_department_is_published_with_an_empty_department_name() -> None:
    assert hall_index([version(CATERING, 1)], DEPARTMENTS[1:])[0]["dept_name"] == ""


def test_the_home_page_features_one_application_item_per_department_without_a_shard() -> None:
    # Given licences, a service and a penalty in three departments
    service = {**copy.deepcopy(CATERING), "code": "320300030FW00100", "name": "婚姻登记档案查询", "dept_code": "030",
               "category": "FW", "penalty": None}
    items = [version(CATERING, 1), version(PENALTY_ITEM, 1), version(LICENSE, 1), version(service, 1)]
    # When published, the manifest lists, licences first, one featured item per department
    manifest, _ = publish(items)
    assert [(f["code"], f["dept_name"]) for f in manifest["featured"]] == [
        ("320300015XK00400", "徐州市生态环境局"), ("320300021XK00100", "徐州市市场监督管理局"),
        ("320300030FW00100", "徐州市民政局")]
    assert manifest["featured"][0]["promised_limit"] == {"value": 5, "unit": "working_day"}


def test_the_item_document_has_every_declared_field_with_numbers_for_amounts() -> None:
    # Given the penalty item in force, version 2
    current = version(PENALTY_ITEM, 2)
    # When its document is built
    doc = build_item_doc(current, [current], "徐州市生态环境局")
    # Then every declared field is there, amounts as JSON numbers, not strings
    assert set(ItemDeclaration.model_fields) <= set(doc)
    assert doc["penalty"]["fine_min"] == 1000 and isinstance(doc["penalty"]["fine_min"], int)
    assert doc["penalty"]["tiers"][1] == {"tier": "medium", "min": 3000, "max": 6000.5, "conditions": None}
    assert doc["legal_basis"] == LICENSE["legal_basis"]
    assert doc["steps"][0] == {"code": "1", "name": "承办", "limit_days": 2, "post": None, "duty": None}
    assert doc["promised_limit"] == {"value": 5, "unit": "working_day"}
    # And the version and display data the guide page needs
    assert doc["code"] == "320300015CF02100"
    assert doc["display_code"] == "320300-015-CF-021-00"
    assert doc["version"] == 2
    assert doc["status"] == "confirmed"
    assert doc["effective_from"] == "2012-07-01"
    assert doc["category_name"] == "行政处罚"
    assert doc["dept_name"] == "徐州市生态环境局"
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc


def test_a_charged_fee_is_published_as_a_number() -> None:
    doc = build_item_doc(version(LICENSE, 1), [], "徐州市生态环境局")
    assert doc["fee"] == {"charged": True, "amount": 100.5, "basis": "苏价费〔2012〕1号"}
    assert doc["history"] == []


def test_history_lists_versions_oldest_first_without_who_declared_or_confirmed() -> None:
    v1 = version(LICENSE, 1, effective="2012-01-01")
    v2 = version(LICENSE, 2, status="rejected", effective=None, rejected_reason="法律依据条款不准确")
    v3 = version(LICENSE, 3, effective="2012-07-01")
    doc = build_item_doc(v3, [v3, v1, v2], "徐州市生态环境局")
    assert doc["history"] == [
        {
            "version": 1,
            "status": "confirmed",
            "effective_from": "2012-01-01",
            "declared_at": "2012-06-20T10:00:00+08:00",
            "confirmed_at": "2012-06-25T16:00:00+08:00",
            "rejected_reason": None,
        },
        {
            "version": 2,
            "status": "rejected",
            "effective_from": None,
            "declared_at": "2012-06-20T10:00:00+08:00",
            "confirmed_at": None,
            "rejected_reason": "法律依据条款不准确",
        },
        {
            "version": 3,
            "status": "confirmed",
            "effective_from": "2012-07-01",
            "declared_at": "2012-06-20T10:00:00+08:00",
            "confirmed_at": "2012-06-25T16:00:00+08:00",
            "rejected_reason": None,
        },
    ]
    text = json.dumps(doc, ensure_ascii=False)
    assert "wangmou015" not in text and "legal_zhao" not in text
    assert "declared_by" not in text and "confirmed_by" not in text


def test_category_specific_fields_are_published_with_their_chinese_labels() -> None:
    levy = {
        **copy.deepcopy(CATERING),
        "code": "320300021ZS00100",
        "category": "ZS",
        "category_fields": {"levy_payer": "排污单位", "levy_standard": "按排放量"},
    }
    doc = build_item_doc(version(levy, 1), [], "徐州市市场监督管理局")
    assert doc["category_fields"] == {"levy_payer": "排污单位", "levy_standard": "按排放量"}
    assert doc["category_field_labels"] == {"levy_payer": "征收对象", "levy_standard": "征收标准"}


def test_keys_and_json_safety_helpers() -> None:
    assert MANIFEST_KEY == "catalog/manifest.json"
    assert item_doc_key("320300015XK00400") == "catalog/items/320300015XK00400.json"
    assert json_safe({"a": [Decimal("2.00"), Decimal("2.5"), date(2012, 7, 1)]}) == {
        "a": [2, 2.5, "2012-07-01"]
    }
