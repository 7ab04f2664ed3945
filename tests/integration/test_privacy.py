"""Personal data (个人信息) never leaves through a public response or a log line.

Events carrying 18-digit resident ID numbers and 11-digit mobile numbers go in (applicants,
penalty parties, complaints; some events rejected, some processing failing on purpose so the
error paths log). Then every public route is read, and the hall's published files too, and the
responses and every captured log record are scanned for ID-number and phone patterns. Positive
controls make sure the scan is not vacuous: the data is stored (staff see it), the public side
shows the masked name, and the log capture did catch the consumers' error logging.

Department codes 775–779 belong to this module.
"""
from __future__ import annotations

import gzip
import json
import logging
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import event, license_item, penalty_item

pytestmark = pytest.mark.integration

DEPT = "775"
XK = f"320300{DEPT}XK00100"
CF = f"320300{DEPT}CF02100"
ID_NO = "32031119800101771X"
ID_NO_2 = "320302198512250018"
PHONE = "13977512345"
PHONE_2 = "18675500775"
PASSWORD = "pw-prv-0001"

#: A mainland resident ID number (18 characters, birth date inside) and a mobile number.
ID_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
                   r"[0-9Xx](?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def leaks(text: str) -> list[str]:
    return ID_RE.findall(text) + PHONE_RE.findall(text)


class Capture(logging.Handler):
    """Every record of the app's loggers (any level) and every warning or worse of anyone's."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("sunlit", "chalicelib", "app")) or record.levelno >= logging.WARNING:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self.lines.append(f"{record.name} {record.levelname} {text}")


@pytest.fixture
def captured_logs() -> Iterator[Capture]:
    """Chalice's app logger (``sunlit``, the app's name) has its own handler and does not
    propagate, so the capture listens there as well as on the root logger."""
    handler = Capture()
    app_logger = logging.getLogger("sunlit")
    level = app_logger.level
    app_logger.setLevel(logging.DEBUG)
    for logger in (logging.getLogger(), app_logger):
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in (logging.getLogger(), app_logger):
            logger.removeHandler(handler)
        app_logger.setLevel(level)


@pytest.fixture(scope="module")
def dept(api: Api) -> DeptCreds:
    creds = api.department(DEPT, "测试隐私保护局775")
    legal = api.user("privacy-legal", ["legal"])
    api.declare_and_confirm(license_item(DEPT, "001"), legal)
    api.declare_and_confirm(penalty_item(DEPT, "021"), legal)
    return creds


def personal_events() -> list[dict[str, Any]]:
    person = {"type": "person", "name": "王小明", "id_type": "身份证", "id_no": ID_NO, "phone": PHONE}
    party = {"type": "person", "name": "陈大文", "id_no": ID_NO_2, "in_business": True}
    return [
        # A licence case, concluded with a certificate: it is published in the results
        event("PRV-0001", XK, "submitted", "2012-06-01T10:00:00+08:00",
              {"applicant": person, "channel": "online", "materials": ["申请书"]}),
        event("PRV-0001", XK, "accepted", "2012-06-04T09:30:00+08:00",
              {"status": "accepted", "query_password": PASSWORD}),
        event("PRV-0001", XK, "concluded", "2012-06-06T15:00:00+08:00",
              {"result_code": 0, "cert_name": "批复", "cert_no": "PRV-CERT-1"}),
        # A penalty decision against a natural person: published with the party masked
        event("PRV-0002", CF, "case_opened", "2012-06-01T10:00:00+08:00",
              {"party": party, "cause": "未批先建", "officers": ["OF-1", "OF-2"]}),
        event("PRV-0002", CF, "decided", "2012-06-20T10:00:00+08:00",
              {"decision_no": "徐环罚〔2012〕775号", "types": ["fine"], "amount": 2000, "tier": "light",
               "collective_discussion": False, "basis_ids": ["EIA-LAW-31"]}),
        # A malformed event full of personal data: rejected, and its errors must not echo it
        event("PRV-0003", XK, "submitted", "2012-06-01T10:00:00+08:00",
              {"applicant": {**person, "type": "alien", "phone": PHONE_2}}),
        # A case whose projection fails on purpose, so the consumers' error paths log
        event("PRV-0004", XK, "submitted", "2012-06-01T10:00:00+08:00", {"applicant": person}),
    ]


def public_reads(api: Api, complaint: dict[str, Any]) -> list[tuple[str, requests.Response]]:
    """Every public GET route (path parameters filled with this module's records), with every
    query parameter a public route might take."""
    import app  # noqa: F401 - registers every route
    from chalicelib.handlers.http import ROUTES

    values = {"case_no": "PRV-0001", "code": XK, "complaint_no": complaint.get("complaint_no", "PRV-X"),
              "no": complaint.get("complaint_no", "PRV-X")}
    query = {"password": PASSWORD, "code": complaint.get("query_code", ""), "dept_code": DEPT,
             "period": "2012-06", "from": "2012-06-01", "working_days": "5", "at": "2012-06-05"}
    out = []
    for spec in ROUTES:
        if spec.auth != "public" or spec.method != "GET":
            continue
        path = re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "PRV-X"), spec.path)
        for params in ({}, query, {"period": "2012Q2"}, {"period": "2012"}, {"kind": "penalty"}):
            out.append((f"GET {path} {params}", api.call("GET", path, params=params)))
    return out


def test_no_id_number_or_phone_in_any_public_response_or_log(
        api: Api, dept: DeptCreds, local_stack: Any, settle: Any, captured_logs: Capture) -> None:
    # Given events with ID numbers and phones, one rejected and one whose processing keeps failing
    os.environ["SUNLIT_FAULTS"] = json.dumps({"project": {"keys": ["PRV-0004"]}})
    try:
        r = api.post_events(dept, personal_events())
        settle()
    finally:
        os.environ.pop("SUNLIT_FAULTS", None)
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["stored"] * 5 + ["rejected", "stored"]
    # And a complaint with the complainant's name and phone, and an application form with errors
    complaint_r = api.post("/complaints", {"dept_code": DEPT, "category": "attitude", "content": "窗口态度差",
                                           "real_name": True, "name": "李小红", "phone": PHONE_2})
    complaint = complaint_r.json() if complaint_r.status_code == 201 else {}
    bad_application = api.post("/applications", {"item_code": XK, "applicant": {
        "type": "alien", "name": "王小明", "id_type": "身份证", "id_no": ID_NO, "phone": "1" + PHONE}})

    # When every public route is read, and every file the hall publishes
    responses = public_reads(api, complaint)
    responses.append(("POST /applications (invalid)", bad_application))
    responses.append(("POST /complaints", complaint_r))
    responses.append(("POST /exchange/events (with a rejection)", r))  # the department's own answer
    s3 = local_stack.clients["s3"]
    bucket = local_stack.stack.physical["HallBucket"]
    published = []
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        if obj["Key"].endswith(".json"):
            got = s3.get_object(Bucket=bucket, Key=obj["Key"])
            body = got["Body"].read()
            text = (gzip.decompress(body) if got.get("ContentEncoding") == "gzip" else body).decode("utf-8")
            published.append((f"s3://{bucket}/{obj['Key']}", text))

    # Then no response, published file or log line holds an ID number or a phone number
    found = [f"{where}: {leaks(resp.text)}" for where, resp in responses if leaks(resp.text)]
    found += [f"{where}: {leaks(text)}" for where, text in published if leaks(text)]
    found += [f"log: {line[:300]}" for line in captured_logs.lines if leaks(line)]
    assert not found, "\n".join(found)

    # And the scan was not vacuous: the public side shows our cases, masked; staff see the data;
    # the log capture caught the failing consumer
    case = api.get("/cases/PRV-0001", password=PASSWORD)
    assert case.status_code == 200 and case.json()["applicant"]["name"] == "王*"
    results = {x["case_no"]: x for x in api.get("/results", dept_code=DEPT).json()["items"]}
    assert results["PRV-0001"]["party"] == "王*" and results["PRV-0002"]["party"] == "陈*"
    staff = api.get("/staff/cases/PRV-0001", token=api.reader).json()
    assert staff["applicant"]["id_no"] == ID_NO and staff["applicant"]["phone"] == PHONE
    assert any("PRV-0004" in line for line in captured_logs.lines), "the consumer's error log went uncaptured"
    local_stack.replay_dlq()  # leave the dead-letter queue as we found it
