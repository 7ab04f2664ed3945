"""The Java sample's signer (clients/java, JDK only) signs exactly as the one Python signer does,
for a body with Chinese text, compiled with javac here."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sunlit_client.signing import sign_request, string_to_sign

ROOT = Path(__file__).resolve().parents[2]


def test_java_and_python_sign_the_same_request_identically(tmp_path: Path) -> None:
    javac, java = shutil.which("javac"), shutil.which("java")
    assert javac and java, "a JDK is needed (make jdk installs default-jdk-headless)"
    sources = sorted(str(p) for p in (ROOT / "clients/java/src").rglob("*.java"))
    done = subprocess.run([javac, "-encoding", "UTF-8", "-d", str(tmp_path / "build"), *sources],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    body = json.dumps({"events": [{"event_id": "015-受理", "data": {"reason": "材料不全\n请补正"}}]},
                      ensure_ascii=False).encode("utf-8")
    (tmp_path / "body.json").write_bytes(body)
    run = subprocess.run([java, "-cp", str(tmp_path / "build"), "cn.sunlit.exchange.SignExample", "s3cr3t-015",
                          "1767225600", "post", "/exchange/events", str(tmp_path / "body.json")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    shown, signature = run.stdout.splitlines()
    assert shown == string_to_sign(1767225600, "POST", "/exchange/events", body).replace("\n", "\\n")
    assert signature == sign_request("s3cr3t-015", "1767225600", "POST", "/exchange/events", body)
