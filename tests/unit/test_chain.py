"""Hash chain (防篡改哈希链): any edit, deletion or reordering of a case's log is detectable."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.kernel.chain import GENESIS, canonical, link_hash, seal, verify_chain


def log(n: int = 5) -> list[dict[str, Any]]:
    records = [
        {
            "seq": i,
            "event_id": f"015-2012-000123-{i}",
            "type": "step",
            "occurred_at": f"2012-06-0{i}T09:00:00+08:00",
            "actor": {"name": "王某"},
            "data": {"step_code": str(i), "opinion": "同意", "fee_amount": "0.00"},
            "data_version": 1,
        }
        for i in range(1, n + 1)
    ]
    return seal(records)


def as_dynamodb_returns(value: Any) -> Any:
    """DynamoDB gives every number back as Decimal."""
    if isinstance(value, dict):
        return {k: as_dynamodb_returns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_dynamodb_returns(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def test_a_sealed_log_verifies() -> None:
    records = log()
    report = verify_chain(records)
    assert report.ok and report.length == 5
    assert report.first_broken_seq is None and report.reason is None
    assert records[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(records))
    assert report.head_hash == records[-1]["hash"]


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_record() -> None:
    record = log(1)[0]
    body = {k: v for k, v in record.items() if k != "hash"}
    expected = hashlib.sha256(
        (
            GENESIS + "\n" + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        ).encode()
    ).hexdigest()
    assert record["hash"] == expected == link_hash(GENESIS, record)


def test_canonical_form_is_sorted_compact_utf8_and_stable_across_number_types() -> None:
    assert canonical({"b": 1, "a": "王"}) == '{"a":"王","b":1}'.encode()
    assert canonical({"n": Decimal(1)}) == canonical({"n": 1}) == canonical({"n": 1.0})
    assert canonical({"n": Decimal("12.50")}) == canonical({"n": 12.5}) == b'{"n":12.5}'
    moment = datetime.fromisoformat("2012-06-04T09:30:00+08:00")
    assert canonical({"t": moment}) == b'{"t":"2012-06-04T09:30:00+08:00"}'
    with pytest.raises(TypeError):
        canonical({"x": object()})


def test_a_log_read_back_from_dynamodb_still_verifies() -> None:
    records = [as_dynamodb_returns(r) for r in log()]
    assert verify_chain(records).ok


def test_an_edited_record_is_detected_at_its_seq() -> None:
    # Given a sealed log in which someone changes the opinion of record 3
    records = log()
    records[2]["data"] = {**records[2]["data"], "opinion": "不同意"}
    # Then the chain breaks exactly there
    report = verify_chain(records)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert report.reason == "第 3 条记录内容被改动（哈希不符）"


def test_an_edited_and_rehashed_record_breaks_the_next_link() -> None:
    # Given record 3 edited and its own hash recomputed to hide the edit
    records = log()
    records[2]["data"] = {**records[2]["data"], "opinion": "不同意"}
    records[2]["hash"] = link_hash(records[2]["prev_hash"], records[2])
    # Then record 4 no longer points at it
    report = verify_chain(records)
    assert (report.first_broken_seq, report.reason) == (4, "第 4 条记录的前序哈希与第 3 条不符")


def test_a_deleted_record_is_detected() -> None:
    records = log()
    del records[2]
    report = verify_chain(records)
    assert (report.ok, report.first_broken_seq) == (False, 4)
    assert report.reason == "第 4 条记录的前序哈希与第 2 条不符"


def test_a_deleted_first_record_is_detected() -> None:
    report = verify_chain(log()[1:])
    assert (report.ok, report.first_broken_seq) == (False, 2)
    assert report.reason is not None and "不是链的起点" in report.reason


def test_reordered_records_are_detected() -> None:
    records = log()
    records[2], records[3] = records[3], records[2]
    report = verify_chain(records)
    assert (report.ok, report.first_broken_seq) == (False, 4)


def test_a_deleted_tail_is_detected_only_against_the_recorded_head() -> None:
    records = log()
    head = records[-1]["hash"]
    assert verify_chain(records[:-1]).ok  # the chain alone cannot know it was longer
    report = verify_chain(records[:-1], head_hash=head)
    assert (report.ok, report.first_broken_seq) == (False, 4)


def test_a_record_without_hashes_is_reported() -> None:
    records = log()
    del records[1]["hash"]
    report = verify_chain(records)
    assert (report.ok, report.first_broken_seq, report.reason) == (False, 2, "第 2 条记录缺少哈希字段")


def test_sealing_in_batches_equals_sealing_at_once_and_leaves_inputs_untouched() -> None:
    plain = [{"seq": i, "v": i} for i in range(1, 5)]
    whole = seal(plain)
    first = seal(plain[:2])
    rest = seal(plain[2:], prev_hash=first[-1]["hash"])
    assert first + rest == whole
    assert plain == [{"seq": i, "v": i} for i in range(1, 5)]
    assert verify_chain(rest, prev_hash=first[-1]["hash"]).ok


def test_an_empty_log_is_trivially_intact() -> None:
    report = verify_chain([])
    assert report.ok and report.length == 0
