"""Nothing touches AWS at import time (docs/DESIGN.md §4.4; issue 9 cold start): importing ``app`` in a
fresh interpreter creates no boto3/botocore client, so a Lambda cold start pays for none.
Not a timing test: ``bench/cold_start.py`` measures the time.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import boto3, boto3.session, botocore.session

    made = []

    def refuse(*args, **kwargs):
        made.append(args[1:2] or kwargs.get("service_name"))
        raise AssertionError("an AWS client was created while importing app")

    boto3.client = boto3.resource = refuse
    boto3.session.Session.client = boto3.session.Session.resource = refuse
    botocore.session.Session.create_client = refuse

    import app

    assert not made, made
    assert app.app.routes, "the app registered no routes"
    try:  # the guard itself works: a client created now is refused
        boto3.client("s3")
    except AssertionError:
        print("GUARD-OK")
""")


def run_probe() -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNLIT_", "AWS_"))}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_importing_app_creates_no_aws_client() -> None:
    # Given a fresh interpreter where creating any boto3/botocore client raises
    # When the app is imported
    result = run_probe()
    # Then the import succeeds without creating one, and the guard was live
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GUARD-OK" in result.stdout
