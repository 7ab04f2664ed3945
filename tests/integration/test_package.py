"""`make package`: the same infra/ definition packaged by `chalice package --merge-template` for AWS,
and the result passes cfn-lint (DESIGN §2.6)."""
from __future__ import annotations

import json
import os
import py_compile
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_chalice_package_with_the_merged_infra_passes_cfn_lint(tmp_path: Path) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    merge = tmp_path / "merge-template.json"
    subprocess.run([sys.executable, str(ROOT / "infra" / "build.py"), str(merge)], check=True, env=env)
    # (an ordinary import may have left a timestamp pyc behind: it must not be what ships)
    py_compile.compile(str(ROOT / "chalicelib" / "wiring.py"), invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
    subprocess.run([sys.executable, str(ROOT / "infra" / "bytecode.py")], check=True, env=env)
    subprocess.run([sys.executable, str(ROOT / "clients" / "python" / "tools" / "vendor_signer.py")], check=True,
                   env=env, capture_output=True)
    out = tmp_path / "package"
    chalice = shutil.which("chalice", path=str(BIN)) or "chalice"
    subprocess.run([chalice, "package", "--stage", "prod", "--merge-template", str(merge), str(out)],
                   check=True, cwd=ROOT, env=env, capture_output=True, timeout=600)
    subprocess.run([sys.executable, str(ROOT / "infra" / "bytecode.py"), "--zip", str(out / "deployment.zip")],
                   check=True, env=env, capture_output=True)
    template = json.loads((out / "sam.json").read_text("utf-8"))
    resources = template["Resources"]
    # Then every table, the stream mappings, the state machines and the API are in one template
    kinds = {r["Type"] for r in resources.values()}
    assert {"AWS::DynamoDB::Table", "AWS::Lambda::EventSourceMapping", "AWS::StepFunctions::StateMachine",
            "AWS::Serverless::Api", "AWS::SQS::Queue", "AWS::S3::Bucket"} <= kinds
    assert resources["EventsTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "KEYS_ONLY"
    assert resources["CasesTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    assert "SUNLIT_TABLE_PREFIX" in resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    # And API Gateway passes the .xlsx downloads through as binary
    api_body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in \
        api_body["x-amazon-apigateway-binary-media-types"]
    # And cfn-lint finds nothing
    lint = subprocess.run([shutil.which("cfn-lint", path=str(BIN)) or "cfn-lint", str(out / "sam.json")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    # And the deployment zip ships bytecode for our code and the vendored libraries (a cold start on
    # Lambda's read-only disk would otherwise compile every module), checked-hash so it cannot go stale
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(out / "deployment.zip") as bundle:
        names = set(bundle.namelist())
        for package in ("chalicelib", "pydantic", "pynamodb"):
            sources = {n for n in names if n.startswith(f"{package}/") and n.endswith(".py")}
            pycs = {n for n in names if n.startswith(f"{package}/") and n.endswith(f".{tag}.pyc")}
            assert len(pycs) == len(sources) > 10, package
        flags = {int.from_bytes(bundle.read(n)[4:8], "little") for n in names if n.endswith(f".{tag}.pyc")}
    assert flags == {0b11}, "checked-hash pyc (PEP 552)"

    # And the zip carries the one request signer (vendored from clients/python) and the locked libraries,
    # but neither the CLI nor the Word libraries (they stay off the API's import path)
    assert "sunlit_client/signing.py" in names and "sunlit_client/__init__.py" in names
    assert not {n for n in names if n.startswith(("sunlit_client/cli", "docx/", "docxtpl/", "click/"))}
    assert any(n.startswith("openpyxl/") for n in names), "the .xlsx downloads' library is vendored"
    locked = {line.split("==")[0].lower().replace("-", "_") for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line}
    assert {"pydantic", "pynamodb", "openpyxl", "chinesecalendar"} <= locked

    # And `import app` works from the zip's contents alone: no site-packages, no source tree
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out / "deployment.zip") as bundle:
        bundle.extractall(unpacked)
    probe = ("import os, sys; sys.path.insert(0, os.getcwd()); import app, sunlit_client.signing as s; "
             "assert s.__file__.startswith(os.getcwd()), s.__file__; "
             "from chalicelib.identity.domain.signing import sign_request; "
             "print(sign_request('s3cr3t-015', '1349050000', 'POST', '/exchange/events', b'{\"events\":[]}'), "
             "sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'docx', 'docxtpl', 'click')))")
    run = subprocess.run([sys.executable, "-S", "-c", probe], cwd=unpacked, capture_output=True, text=True, timeout=120,
                         env={"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1",
                              "PYTHONDONTWRITEBYTECODE": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["115ca0fbecd88e1af8d056a4441ed733246eba3a0e3f99150ef5837b6f470406", "[]"], run.stdout
