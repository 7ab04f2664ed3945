"""The audit trail's monthly digests, exported to the Object Lock bucket (issue 16): an export
locks the month's head hash outside the database, and a rewrite of the table — even one that
recomputes every hash so the chain itself still verifies — fails the next run.

The function runs as it does in AWS: invoked with ``{"month": …}``, under its own role.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.kernel import chain
from chalicelib.kernel.errors import SunlitError

pytestmark = pytest.mark.integration
MONTH = "2011-03"  # a month of its own: no other test records audit entries this long ago


@pytest.fixture(scope="module")
def archived_month(local_stack: Any) -> str:
    """Three audit records in ``MONTH``, written the way the HTTP edge writes them."""
    from chalicelib import wiring
    from chalicelib.identity.domain.roles import Principal
    from chalicelib.identity.services import audit

    admin = Principal(kind="user", username="archive-admin", roles=frozenset({"admin"}))
    start = datetime(2011, 3, 5, 9, 0, tzinfo=UTC)
    for n in range(3):
        audit.record(wiring.stores(), admin, "POST /admin/departments", {"code": f"88{n}"}, 201, b"{}",
                     at=start + timedelta(hours=n))
    return MONTH


def archive(local_stack: Any) -> tuple[Any, str]:
    return local_stack.clients["s3"], local_stack.stack.physical["AuditArchiveBucket"]


def test_a_month_is_exported_once_under_object_lock_and_verified_after(local_stack: Any, archived_month: str) -> None:
    # When the monthly export runs for the month (as its function, with its role)
    report = local_stack.invoke("export_audit_digests", {"month": archived_month})
    # Then the month's digest is in the archive, locked in compliance mode for years
    assert report["results"][0]["status"] == "exported" and report["results"][0]["count"] == 3
    s3, bucket = archive(local_stack)
    head = s3.head_object(Bucket=bucket, Key=f"audit-digests/{archived_month}.json")
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] > datetime.now(UTC) + timedelta(days=365 * 9)
    digest = json.loads(s3.get_object(Bucket=bucket, Key=f"audit-digests/{archived_month}.json")["Body"].read())
    assert digest["count"] == 3 and digest["chain_ok"] is True and len(digest["head_hash"]) == 64
    # And the digest's version cannot be deleted while it is locked
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        s3.delete_object(Bucket=bucket, Key=f"audit-digests/{archived_month}.json", VersionId=head["VersionId"])
    # When it runs again, Then it compares instead of exporting
    again = local_stack.invoke("export_audit_digests", {"month": archived_month})
    assert again["results"][0]["status"] == "verified" and again["results"][0]["ok"] is True


def test_a_rewritten_month_fails_the_next_run_even_with_a_valid_chain(local_stack: Any, archived_month: str) -> None:
    from chalicelib import wiring
    from chalicelib.identity.services import audit
    from chalicelib.kernel.ports import Item

    local_stack.invoke("export_audit_digests", {"month": archived_month})  # (archived, if not yet)
    # Given someone with write access to the table rewrites the month's second record and re-links
    # every hash after it, so the chain on its own still verifies
    table = wiring.stores().table("audit")
    records = [dict(r) for r in audit.entries(wiring.stores(), archived_month)]
    records[1]["target"] = {"code": "forged"}
    prev = records[0]["hash"]
    for record in records[1:]:
        record["prev_hash"] = prev
        record["hash"] = chain.link_hash(prev, {k: v for k, v in record.items() if k != "hash"})
        prev = record["hash"]
        stored = table.get(f"AUDIT#{archived_month}", f"{int(record['seq']):010d}")
        assert stored is not None
        table.put(Item(pk=stored.pk, sk=stored.sk, body=record), expected_version=stored.version)
    assert audit.verify(wiring.stores(), archived_month)["ok"] is True
    # When the export runs again, Then it fails (an error alarms the ops topic), naming the month
    with pytest.raises(SunlitError) as failed:
        local_stack.invoke("export_audit_digests", {"month": archived_month})
    assert archived_month in failed.value.message
    assert "head_hash" in json.dumps(failed.value.details)
