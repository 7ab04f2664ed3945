"""Attachments: the rules of a file (pure) and the bucket as the template deploys it — what moto
cannot tell (public access, TLS, encryption, who reads) is checked here."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.attachments import domain as dom
from chalicelib.kernel.errors import ValidationError
from devstack.provision import load_infra

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


def _template(region: str = "us-east-1") -> dict:
    return load_infra().build(region)


def test_the_attachments_bucket_is_private_encrypted_versioned_and_tls_only():
    resources = _template()["Resources"]
    bucket = resources["AttachmentsBucket"]
    props = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
    # Scans of ID cards and licences: encrypted with the stack's own key, like every record
    [encryption] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms",
                                                           "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}}
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert "WebsiteConfiguration" not in props
    # Browsers may only POST (uploads), and only from the hall and the staff console; reading goes through presigned GETs
    [rule] = props["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == [{"Fn::If": ["HasHallDomain", {"Fn::Sub": "https://${HallDomainName}"},
                                                  {"Fn::Sub": "https://${HallDistribution.DomainName}"}]},
                                      {"Fn::If": ["HasConsoleDomain", {"Fn::Sub": "https://${ConsoleDomainName}"},
                                                  {"Fn::Sub": "https://${ConsoleDistribution.DomainName}"}]}]
    # Uploads never named by a submission disappear
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["Prefix"] == "incoming/" and rule["ExpirationInDays"] <= 7
    # No statement grants anything; the only one denies requests without TLS
    policy = resources["AttachmentsBucketPolicy"]["Properties"]["PolicyDocument"]
    assert [s["Effect"] for s in policy["Statement"]] == ["Deny"]
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert "arn:aws:" not in str(policy)  # ${AWS::Partition}: the China regions too


def test_in_china_only_the_sites_custom_domains_may_upload():
    cors = _template("cn-north-1")["Resources"]["AttachmentsBucket"]["Properties"]["CorsConfiguration"]
    condition, rules, otherwise = cors["Fn::If"]
    assert condition == "HasHallDomain" and otherwise == {"Ref": "AWS::NoValue"}
    assert rules["CorsRules"][0]["AllowedOrigins"] == [
        {"Fn::Sub": "https://${HallDomainName}"},
        {"Fn::If": ["HasConsoleDomain", {"Fn::Sub": "https://${ConsoleDomainName}"}, {"Ref": "AWS::NoValue"}]}]


def test_the_sites_csp_lets_the_browser_post_to_the_attachments_bucket():
    """The hall posts files straight to the bucket: its CSP names the bucket's regional endpoint by
    name (not by reference, which would make a circle with the bucket's CORS rule)."""
    resources = _template()["Resources"]
    config = resources["HallHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp, _ = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    connect = next(p for p in csp.split("; ") if p.startswith("connect-src"))
    assert connect.split() == ["connect-src", "'self'", "${ApiOrigin}",
                               "https://${AWS::StackName}-attachments-${AWS::AccountId}.s3.${AWS::Region}.${AWS::URLSuffix}"]
    assert resources["AttachmentsBucket"]["Properties"]["BucketName"] == {
        "Fn::Sub": "${AWS::StackName}-attachments-${AWS::AccountId}"}


def test_every_function_knows_the_bucket_and_only_the_api_may_touch_it():
    from infra import functions

    resources = _template()["Resources"]
    for fn in functions.FUNCTIONS:
        env = resources[fn.logical_id]["Properties"]["Environment"]["Variables"]
        assert env["SUNLIT_ATTACHMENTS_BUCKET"] == {"Ref": "AttachmentsBucket"}
    touching = {name for name, grants in functions.GRANTS.items() if "AttachmentsBucket" in str(grants)}
    assert touching == {"api_handler"}
