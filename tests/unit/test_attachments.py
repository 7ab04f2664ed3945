"""Attachments: the rules of a file (pure) and the bucket as the template deploys it — what moto
cannot tell (public access, TLS, encryption, who reads) is checked here."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.attachments import domain as dom
from chalicelib.kernel.errors import ValidationError
from devstack.provision import _local_policy, load_infra

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_names_lose_directories_and_control_characters_but_keep_chinese():
    assert dom.clean_name("C:\\Users\\张三\\身份证\u0000.pdf") == "身份证.pdf"
    assert dom.clean_name("../../etc/passwd") == "passwd"
    assert dom.clean_name("   ") == "附件"


def test_declared_type_size_and_extension_are_checked_before_a_ticket():
    assert dom.check_declared("营业执照.PDF", "application/pdf; charset=binary", 1000) == "application/pdf"
    with pytest.raises(ValidationError) as bad:
        dom.check_declared("x.exe", "application/x-msdownload", dom.MAX_BYTES + 1)
    assert {d["field"] for d in bad.value.details} == {"content_type", "size"}
    with pytest.raises(ValidationError) as mismatch:
        dom.check_declared("photo.png", "application/pdf", 10)
    assert mismatch.value.details[0]["field"] == "filename"


@pytest.mark.parametrize(("ctype", "head", "ok"), [
    ("application/pdf", b"%PDF-1.7\n", True),
    ("application/pdf", b"<html>", False),
    ("image/png", b"\x89PNG\r\n\x1a\n\x00", True),
    ("image/jpeg", b"\x89PNG\r\n\x1a\n\x00", False),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04", True),
])
def test_the_stored_bytes_must_be_what_the_type_says(ctype: str, head: bytes, ok: bool):
    assert (dom.content_problem(ctype, 100, ctype, head) is None) is ok


def test_the_stored_type_and_size_must_match_the_ticket():
    assert "不符" in (dom.content_problem("application/pdf", 10, "text/html", b"%PDF-") or "")
    assert dom.content_problem("application/pdf", dom.MAX_BYTES + 1, "application/pdf", b"%PDF-") is not None
    assert dom.content_problem("application/pdf", 0, "application/pdf", b"") == "文件为空"


def test_an_upload_attaches_once_for_its_purpose_and_in_time():
    upload = dom.Upload.ticket(dom.new_id(), "disclosure", "a.pdf", "application/pdf", 10, None, None, NOW)
    assert dom.valid_id(upload.id) and upload.body["key"] == f"incoming/{upload.id}"
    with pytest.raises(ValidationError, match="用途不符"):
        upload.check_usable("complaint", "attachments[0]", None, NOW)
    with pytest.raises(ValidationError, match="过期"):
        upload.check_usable("disclosure", "attachments[0]", None, NOW + timedelta(hours=25))
    upload.check_usable("disclosure", "attachments[0]", None, NOW + timedelta(hours=1))
    upload.verified("files/2026/12/x", 10, "0" * 64, NOW)
    upload.attach("disclosure", "GK1", "015", NOW)
    with pytest.raises(ValidationError, match="已被使用"):
        upload.check_usable("disclosure", "attachments[0]", None, NOW)


def test_staff_documents_are_usable_by_their_own_department_only():
    upload = dom.Upload.ticket(dom.new_id(), "action", "答复书.pdf", "application/pdf", 10, "h1", "015", NOW)
    upload.check_usable("action", "attachments[0]", "015", NOW)
    with pytest.raises(ValidationError, match="不属于本机关"):
        upload.check_usable("action", "attachments[0]", "016", NOW)


def test_who_may_download():
    case = {"kind": "case", "id": "C1", "dept_code": "015"}
    complaint = {"kind": "complaint", "id": "TS1", "dept_code": "015"}
    assert dom.may_download(case, frozenset({"handler"}), "015", True)
    assert not dom.may_download(case, frozenset({"handler"}), "016", True)
    assert not dom.may_download(case, frozenset({"supervisor"}), None, False)
    assert not dom.may_download(case, frozenset({"admin"}), None, False)
    assert dom.may_download(complaint, frozenset({"supervisor"}), None, False)
    assert not dom.may_download(complaint, frozenset({"dept_head"}), "015", True)
    assert not dom.may_download(None, frozenset({"handler"}), "015", True)


# --- the bucket as deployed ------------------------------------------------------------------------


def _template() -> dict:
    return load_infra().build()


def test_the_attachments_bucket_is_private_encrypted_versioned_and_tls_only():
    resources = _template()["Resources"]
    bucket = resources["AttachmentsBucket"]
    props = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert "WebsiteConfiguration" not in props
    # Browsers may only POST (uploads); reading goes through presigned GETs, which need no CORS
    assert [r["AllowedMethods"] for r in props["CorsConfiguration"]["CorsRules"]] == [["POST"]]
    # Uploads never named by a submission disappear
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["Prefix"] == "incoming/" and rule["ExpirationInDays"] <= 7
    # No statement grants anything; the only one denies requests without TLS
    policy = resources["AttachmentsBucketPolicy"]["Properties"]["PolicyDocument"]
    assert [s["Effect"] for s in policy["Statement"]] == ["Deny"]
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert "arn:aws:" not in str(policy)  # ${AWS::Partition}: the China regions too


def test_every_function_knows_the_bucket_and_the_local_stack_leaves_only_the_tls_rule_out():
    resources = _template()["Resources"]
    for fn in ("APIHandler", "ProjectEvents", "SuperviseCases", "TaskWorker", "ScheduledSweep"):
        env = resources[fn]["Properties"]["Environment"]["Variables"]
        assert env["SUNLIT_ATTACHMENTS_BUCKET"] == {"Ref": "AttachmentsBucket"}
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "x",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "y"}]}
    assert [s["Effect"] for s in _local_policy(doc)["Statement"]] == ["Allow"]
