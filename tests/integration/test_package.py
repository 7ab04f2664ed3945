"""`make package`: the same infra/ definition packaged by `chalice package --merge-template` for AWS,
and the result passes cfn-lint (DESIGN §2.6)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_chalice_package_with_the_merged_infra_passes_cfn_lint(tmp_path: Path) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    merge = tmp_path / "merge-template.json"
    subprocess.run([sys.executable, str(ROOT / "infra" / "build.py"), str(merge)], check=True, env=env)
    out = tmp_path / "package"
    chalice = shutil.which("chalice", path=str(BIN)) or "chalice"
    subprocess.run([chalice, "package", "--stage", "prod", "--merge-template", str(merge), str(out)],
                   check=True, cwd=ROOT, env=env, capture_output=True, timeout=600)
    template = json.loads((out / "sam.json").read_text("utf-8"))
    resources = template["Resources"]
    # Then every table, the stream mappings, the state machines and the API are in one template
    kinds = {r["Type"] for r in resources.values()}
    assert {"AWS::DynamoDB::Table", "AWS::Lambda::EventSourceMapping", "AWS::StepFunctions::StateMachine",
            "AWS::Serverless::Api", "AWS::SQS::Queue", "AWS::S3::Bucket"} <= kinds
    assert resources["EventsTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    assert "SUNLIT_TABLE_PREFIX" in resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    # And cfn-lint finds nothing
    lint = subprocess.run([shutil.which("cfn-lint", path=str(BIN)) or "cfn-lint", str(out / "sam.json")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr
