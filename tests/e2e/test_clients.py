"""Department clients against the started stack (what `make run` runs): the installed `sunlit` CLI
posts a file and prints one result per event, and the JDK-only Java sample compiles with javac and
its signed batch is stored — the signature proven across languages."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sunlit_client import events, models

from tests.e2e.conftest import RunningStack, wait_for

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
DEPT = "097"
ITEM = f"320300{DEPT}XK00100"  # not in the catalog: stored all the same (and raises R13)


@pytest.fixture(scope="module")
def department(stack: RunningStack) -> dict[str, str]:
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    r = requests.post(f"{stack.api}/admin/departments", headers=admin, timeout=30,
                      json={"code": DEPT, "name": "徐州市客户端测试局", "region_code": "320300", "level": "city"})
    assert r.status_code == 201, r.text
    r2 = requests.post(f"{stack.api}/admin/users", headers=admin, timeout=30,
                       json={"username": "e2e-clients-sup", "roles": ["supervisor"]})
    assert r2.status_code == 201, r2.text
    return {**r.json(), "supervisor": r2.json()["token"]}


def staff_case(stack: RunningStack, token: str, case_no: str) -> dict[str, Any] | None:
    r = requests.get(f"{stack.api}/staff/cases/{case_no}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return r.json() if r.status_code == 200 else None


def sunlit(stack: RunningStack, dept: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("sunlit", path=str(Path(sys.executable).parent))
    assert exe, "the client package is installed with its `sunlit` command (make setup)"
    env = {**os.environ, "SUNLIT_API": stack.api, "SUNLIT_KEY_ID": dept["key_id"], "SUNLIT_SECRET": dept["secret"]}
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=300)


def test_the_cli_posts_a_file_and_prints_each_result(stack: RunningStack, department: dict[str, str],
                                                      tmp_path: Path) -> None:
    # Given a JSON Lines file: two cases of four events each, and one event with a bad time
    start = datetime.now(UTC) - timedelta(hours=5)
    lines: list[dict[str, Any]] = []
    for n in (1, 2):
        case_no = f"320300{DEPT}2026CLI00{n}"
        kw = {"case_no": case_no, "item_code": ITEM}
        lines += [
            events.build(models.SubmittedData(channel="online", applicant=models.Applicant(type="person", name="李四")),
                         occurred_at=start, **kw),
            events.build(models.AcceptedData(status="accepted", query_password="cli-pw"),
                         occurred_at=start + timedelta(minutes=20), **kw),
            events.build(models.StepData(step_code="1", opinion="同意"), occurred_at=start + timedelta(hours=1), **kw),
            events.build(models.ConcludedData(result_code=0, cert_no=f"CLI-{n}"),
                         occurred_at=start + timedelta(hours=2), **kw),
        ]
    bad = {**lines[0], "event_id": "cli-bad-1", "occurred_at": "yesterday"}
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in [*lines, bad]) + "\n", "utf-8")
    # When the department posts it with the CLI (options from SUNLIT_API/SUNLIT_KEY_ID/SUNLIT_SECRET)
    run = sunlit(stack, department, "events", "post", str(path))
    # Then it prints one JSON line per event, in file order, and exits 1 because one was rejected
    assert run.returncode == 1, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["event_id"] for r in results] == [e["event_id"] for e in lines] + ["cli-bad-1"]
    assert [r["status"] for r in results] == ["stored"] * 8 + ["rejected"]
    assert results[-1]["errors"][0]["field"] == "occurred_at"
    # And the cases are stored and projected for staff
    case = wait_for(lambda: (c := staff_case(stack, department["supervisor"], f"320300{DEPT}2026CLI001"))
                    and c.get("status") == "concluded" and c, timeout=60)
    assert case, "the posted case was not projected"
    # And posting the good events again (as a {"events": [...]} file) stores nothing twice: exit 0
    again = tmp_path / "events.json"
    again.write_text(json.dumps({"events": lines}, ensure_ascii=False), "utf-8")
    run = sunlit(stack, department, "--no-progress", "events", "post", str(again))
    assert run.returncode == 0, run.stderr
    assert {json.loads(line)["status"] for line in run.stdout.splitlines()} == {"duplicate"}


def test_the_java_sample_compiles_and_its_batch_is_stored(stack: RunningStack, department: dict[str, str],
                                                          tmp_path: Path) -> None:
    javac, java = shutil.which("javac"), shutil.which("java")
    assert javac and java, "a JDK is needed (make jdk / .ci/run install default-jdk-headless)"
    sources = sorted(str(p) for p in (ROOT / "clients" / "java" / "src").rglob("*.java"))
    build = tmp_path / "build"
    compiled = subprocess.run([javac, "-encoding", "UTF-8", "-Xlint:all", "-Werror", "-d", str(build), *sources],
                              capture_output=True, text=True, timeout=300)
    assert compiled.returncode == 0, compiled.stderr
    env = {**os.environ, "SUNLIT_API": stack.api, "SUNLIT_KEY_ID": department["key_id"],
           "SUNLIT_SECRET": department["secret"]}
    case_no = f"320300{DEPT}2026JAVA01"
    run = subprocess.run([java, "-cp", str(build), "cn.sunlit.exchange.PostEventsExample", ITEM, case_no],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    answer = json.loads(run.stdout)
    assert [r["status"] for r in answer["results"]] == ["stored"] * 4
    # Then the case is in the platform as the Java system reported it
    case = wait_for(lambda: (c := staff_case(stack, department["supervisor"], case_no)) and c.get("result") and c,
                    timeout=60)
    assert case and case["status"] == "concluded" and case["dept_code"] == DEPT
    assert [t["type"] for t in case["timeline"]][:4] == ["submitted", "accepted", "step", "concluded"]
    # And re-sending is harmless: the platform answers duplicate
    rerun = subprocess.run([java, "-cp", str(build), "cn.sunlit.exchange.PostEventsExample", ITEM, case_no],
                           capture_output=True, text=True, env=env, timeout=120)
    assert rerun.returncode == 0 and {r["status"] for r in json.loads(rerun.stdout)["results"]} == {"duplicate"}
    # And a wrong secret is refused (401): the signature really is checked
    wrong = subprocess.run([java, "-cp", str(build), "cn.sunlit.exchange.PostEventsExample", ITEM, case_no],
                           capture_output=True, text=True, env={**env, "SUNLIT_SECRET": "not-the-secret"}, timeout=120)
    assert wrong.returncode == 1 and json.loads(wrong.stdout)["error"]["code"] == "UNAUTHORIZED"
