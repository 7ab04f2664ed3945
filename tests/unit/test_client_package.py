"""clients/python (sunlit_client): the one signer, typed events generated from the API's schemas,
event files, batched posting with safe retries, and what stays off the API's import path."""
from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sunlit_client import events, models
from sunlit_client.client import ApiError, ExchangeClient, RetryPolicy
from sunlit_client.signing import sign_request, signature_problem, signed_headers, string_to_sign

from chalicelib.cases.domain.events import parse_event

ROOT = Path(__file__).resolve().parents[2]
AT = datetime.fromisoformat("2012-06-04T09:30:00+08:00")


def test_the_generated_event_models_match_the_api_schemas() -> None:
    # Given the generator that writes sunlit_client/models.py from chalicelib/cases/domain/events.py
    spec = importlib.util.spec_from_file_location("generate_models", ROOT / "clients/python/tools/generate_models.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    # Then the committed file is exactly what it writes today (run `make models` after a schema change)
    committed = (ROOT / "clients/python/sunlit_client/models.py").read_text("utf-8")
    assert committed == gen.render(), "clients/python/sunlit_client/models.py is stale: run `make models`"


def test_the_api_verifies_what_the_client_signs_and_nothing_else() -> None:
    body = json.dumps({"events": []}).encode()
    headers = signed_headers("k015", "s3cr3t", "POST", "/exchange/events", body, timestamp=1_700_000_000)
    assert headers["X-Sunlit-Timestamp"] == "1700000000"
    assert string_to_sign(1_700_000_000, "post", "/exchange/events", b"") == (
        "1700000000\nPOST\n/exchange/events\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    ok = signature_problem("s3cr3t", headers["X-Sunlit-Timestamp"], "POST", "/exchange/events", body,
                           headers["X-Sunlit-Signature"], now=1_700_000_100)
    assert ok is None
    # A changed body, another secret, a stale clock: refused
    assert signature_problem("s3cr3t", "1700000000", "POST", "/exchange/events", body + b" ",
                             headers["X-Sunlit-Signature"], now=1_700_000_000) == "签名不正确"
    assert signature_problem("other", "1700000000", "POST", "/exchange/events", body,
                             headers["X-Sunlit-Signature"], now=1_700_000_000) == "签名不正确"
    assert "300" in str(signature_problem("s3cr3t", "1700000000", "POST", "/exchange/events", body,
                                          headers["X-Sunlit-Signature"], now=1_700_000_301))
    # And the API's own module re-exports this very function (one implementation)
    from chalicelib.identity.domain import signing as server

    assert server.sign_request is sign_request


def test_built_events_are_accepted_by_the_api_parser() -> None:
    built = [
        events.build(models.SubmittedData(applicant=models.Applicant(type="person", name="张三"), channel="online"),
                     case_no="3203000152012000123", item_code="320300-015-XK-004-00", occurred_at=AT),
        events.build(models.AcceptedData(status="accepted", query_password="834205"), case_no="3203000152012000123",
                     item_code="320300015XK00400", occurred_at=AT, actor=models.Actor(name="王某", staff_no="E0123")),
        events.build(models.StepData(step_code="2", opinion="同意"), case_no="3203000152012000123",
                     item_code="320300015XK00400", occurred_at=AT),
        events.build(models.DecidedData(types=["fine"], amount="5000", tier="medium"), case_no="CF-2012-01",
                     item_code="320300015CF02100", occurred_at=AT),
    ]
    for ev in built:
        parsed, errors = parse_event(ev)
        assert errors == [] and parsed is not None, (ev, errors)
    # And each act gets a stable id: re-building the same act gives the same event_id (safe retries)
    assert [e["event_id"] for e in built] == ["3203000152012000123-submitted", "3203000152012000123-accepted",
                                             "3203000152012000123-step-2", "CF-2012-01-decided"]
    assert built[1]["data"] == {"status": "accepted", "query_password": "834205", "materials": []}


def test_validate_reports_what_the_api_would_reject() -> None:
    bad = {"event_id": "x-1", "case_no": "3203000152012000123", "item_code": "320300015XK00400", "type": "accepted",
           "occurred_at": "2012-06-04 09:30", "data": {"status": "maybe"}}
    fields = {p["field"] for p in events.validate(bad)}
    assert {"occurred_at", "data.status"} <= fields
    assert parse_event(bad)[0] is None


def test_event_files_are_json_or_json_lines() -> None:
    ev = {"event_id": "a", "case_no": "C-0001"}
    assert events.parse_events(json.dumps({"events": [ev, ev]})) == [ev, ev]
    assert events.parse_events(json.dumps([ev])) == [ev]
    assert events.parse_events("\ufeff" + json.dumps(ev) + "\n\n" + json.dumps(ev) + "\n") == [ev, ev]
    with pytest.raises(events.EventFileError, match="第 2 行"):
        events.parse_events(json.dumps(ev) + "\n{oops\n", "f.jsonl")


class FlakySession(requests.Session):
    """Answers 503 the first time a batch arrives, then stores it (as an idempotent API would)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []
        self.seen: set[str] = set()
        self.stored: set[str] = set()

    def request(self, method: str, url: str, data: Any = None, headers: Any = None, **_: Any) -> Any:  # type: ignore[override]
        body = json.loads(data)
        self.calls.append({"headers": dict(headers), "n": len(body["events"])})
        problem = signature_problem("sec", headers["X-Sunlit-Timestamp"], method, "/exchange/events", data,
                                    headers["X-Sunlit-Signature"], now=float(headers["X-Sunlit-Timestamp"]))
        assert problem is None
        first = body["events"][0]["event_id"]
        resp = requests.Response()
        if first not in self.seen:
            self.seen.add(first)
            for e in body["events"]:  # stored, but the answer is lost
                self.stored.add(e["event_id"])
            resp.status_code, resp._content = 503, b'{"error": {"code": "UNAVAILABLE", "message": "busy", "details": []}}'
            return resp
        results = [{"event_id": e["event_id"], "status": "duplicate" if e["event_id"] in self.stored else "stored",
                    "errors": []} for e in body["events"]]
        resp.status_code, resp._content = 200, json.dumps({"results": results}).encode()
        return resp


def test_posting_batches_at_most_500_and_retries_safely() -> None:
    session = FlakySession()
    sleeps: list[float] = []
    client = ExchangeClient("http://api.test/", "k", "sec", session=session,
                            retry=RetryPolicy(attempts=3, backoff_s=0.1, sleep=sleeps.append))
    batch = [{"event_id": f"e{i}", "case_no": "C-0001"} for i in range(1203)]
    results = client.post_events(batch)
    # Then 1,203 events went in three batches (500, 500, 203), each retried once after a 503
    assert [c["n"] for c in session.calls] == [500, 500, 500, 500, 203, 203]
    assert sleeps == [0.1, 0.1, 0.1]
    # And the retried events come back duplicate: stored once, nothing lost, in request order
    assert [r["event_id"] for r in results] == [e["event_id"] for e in batch]
    assert {r["status"] for r in results} == {"duplicate"}


def test_a_refused_batch_marks_its_events_failed_and_the_rest_still_go() -> None:
    class Refuses(requests.Session):
        n = 0

        def request(self, method: str, url: str, data: Any = None, **_: Any) -> Any:  # type: ignore[override]
            self.n += 1
            resp = requests.Response()
            body = json.loads(data)
            if self.n == 1:
                resp.status_code = 403
                resp._content = json.dumps({"error": {"code": "FORBIDDEN", "message": "不属于本部门", "details": [
                    {"field": "events.0.item_code", "type": "forbidden", "message": "不属于本部门"}]}}).encode()
            else:
                resp.status_code = 200
                resp._content = json.dumps({"results": [{"event_id": e["event_id"], "status": "stored", "errors": []}
                                                        for e in body["events"]]}).encode()
            return resp

    client = ExchangeClient("http://api.test", "k", "sec", session=Refuses())
    results = client.post_events([{"event_id": f"e{i}"} for i in range(4)], batch_size=2)
    assert [r["status"] for r in results] == ["failed", "failed", "stored", "stored"]
    assert results[0]["http_status"] == 403 and results[0]["errors"][0]["field"] == "events.0.item_code"
    with pytest.raises(ApiError) as caught:
        ExchangeClient("http://api.test", "k", "sec", session=Refuses()).post_events([{"event_id": "x"}],
                                                                                    stop_on_error=True)
    assert caught.value.code == "FORBIDDEN"


def test_importing_app_loads_no_excel_word_or_cli_library() -> None:
    probe = ("import sys, app; print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'openpyxl', 'docx', 'docxtpl', 'click', 'sunlit_client.cli'}))")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_the_cli_reads_options_from_the_environment() -> None:
    from click.testing import CliRunner
    from sunlit_client.cli import main

    runner = CliRunner()
    got = runner.invoke(main, ["events", "post", "-"], input="{}", env={"SUNLIT_API": "", "SUNLIT_KEY_ID": ""})
    assert got.exit_code == 2 and "SUNLIT_API" in got.output
    got = runner.invoke(main, ["events", "post", "-"], input="", env={"SUNLIT_API": "http://x", "SUNLIT_KEY_ID": "",
                                                                       "SUNLIT_SECRET": ""})
    assert got.exit_code == 2 and "SUNLIT_KEY_ID" in got.output
    bad = io.StringIO('{"event_id": "a"}\n{oops')
    got = runner.invoke(main, ["--api", "http://x", "--key-id", "k", "--secret", "s", "events", "post", "-"],
                        input=bad.getvalue())
    assert got.exit_code == 2 and "第 2 行" in got.output


def test_long_uploads_show_a_progress_bar(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner
    from sunlit_client import cli

    sent: list[int] = []

    def post_batch(self: Any, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        sent.append(len(batch))
        return [{"event_id": e["event_id"], "status": "stored", "errors": []} for e in batch]

    monkeypatch.setattr(cli.ExchangeClient, "post_batch", post_batch)
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [{"event_id": f"e{i}"} for i in range(1200)]}), "utf-8")
    got = CliRunner().invoke(cli.main, ["--api", "http://x", "--key-id", "k", "--secret", "s", "--progress",
                                        "events", "post", str(path)])
    assert got.exit_code == 0, got.output
    assert sent == [500, 500, 200]
    assert "上传事件" in got.stderr  # (click draws the bar itself only on a terminal)
    assert len(got.stdout.splitlines()) == 1200


def test_paginate_follows_the_next_cursor_to_the_end() -> None:
    from sunlit_client.client import StaffClient

    class Pages(requests.Session):
        seen: list[Any] = []

        def request(self, method: str, url: str, params: Any = None, headers: Any = None, **_: Any) -> Any:  # type: ignore[override]
            self.seen.append((params.get("cursor"), params.get("limit"), params.get("dept_code"), headers["Authorization"]))
            page = {None: {"items": [1, 2], "next": "c1"}, "c1": {"items": [3], "next": "c2"},
                    "c2": {"items": [], "next": None}}[params.get("cursor")]
            resp = requests.Response()
            resp.status_code, resp._content = 200, json.dumps(page).encode()
            return resp

    session = Pages()
    items = list(StaffClient("http://api.test", "tok", session=session).paginate("/complaints", limit=2, dept_code="015"))
    assert items == [1, 2, 3]
    assert session.seen == [(None, 2, "015", "Bearer tok"), ("c1", 2, "015", "Bearer tok"), ("c2", 2, "015", "Bearer tok")]
