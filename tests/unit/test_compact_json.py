"""How a record's ``body`` is stored (``adapters.tables.CompactJSONAttribute``): Chinese text as itself,
so a record's DynamoDB size (UTF-8 bytes, which its write units follow) is not doubled by ``\\uXXXX``
escapes; records written escaped before still read the same."""
from __future__ import annotations

import json

from chalicelib.adapters.tables import CompactJSONAttribute

VIEW = {"item_name": "建设项目环境影响评价文件审批", "dept_name": "徐州市生态环境局", "steps": [1, 2], "ok": True}


def test_chinese_text_is_stored_as_itself_and_reads_back_the_same() -> None:
    attr = CompactJSONAttribute()
    stored = attr.serialize(VIEW)
    assert stored is not None and "徐州市生态环境局" in stored and "\\u" not in stored
    assert len(stored.encode("utf-8")) < len(json.dumps(VIEW).encode("utf-8")) * 0.75
    assert attr.deserialize(stored) == VIEW


def test_a_record_stored_escaped_before_reads_the_same() -> None:
    assert CompactJSONAttribute().deserialize(json.dumps(VIEW)) == VIEW


def test_text_that_cannot_be_utf8_is_stored_escaped() -> None:
    attr = CompactJSONAttribute()
    stored = attr.serialize({"note": "a\ud800b"})
    assert stored is not None and stored.isascii()
    stored.encode("utf-8")  # sendable
    assert attr.deserialize(stored) == {"note": "a\ud800b"}
