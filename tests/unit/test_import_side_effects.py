"""Nothing touches AWS at import time (docs/DESIGN.md §4.4; issue 9 cold start): importing ``app`` in a
fresh interpreter creates no boto3/botocore client, so a Lambda cold start pays for none; and it loads
only the edge (the routes, their query models, wiring), not the contexts' services, repositories and
domain models, which the handlers import in their bodies (issue 20: a request loads what it reaches).
Not a timing test: ``bench/cold_start.py`` measures the time.
"""
from __future__ import annotations

import json
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


#: What importing ``app`` may load of ``chalicelib``: the edge (every handler module but the answers'
#: models and the OpenAPI document, which load on first use), the composition root, and the few
#: kernel and identity modules ``handlers/http.py`` needs to route and authorise.
EDGE = {"app", "chalicelib", "chalicelib.handlers", "chalicelib.wiring", "chalicelib.kernel", "chalicelib.kernel.errors",
        "chalicelib.kernel.regions", "chalicelib.identity", "chalicelib.identity.domain",
        "chalicelib.identity.domain.roles", "chalicelib.identity.domain.scope"}
#: Libraries only a request needs (the AWS SDK and its models, the tracer, spreadsheets, pinyin).
LATER = ("boto3", "botocore", "pynamodb", "aws_xray_sdk", "openpyxl", "docx", "pypinyin")


def run_probe(probe: str = PROBE) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNLIT_", "AWS_"))}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_importing_app_creates_no_aws_client() -> None:
    # Given a fresh interpreter where creating any boto3/botocore client raises
    # When the app is imported
    result = run_probe()
    # Then the import succeeds without creating one, and the guard was live
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GUARD-OK" in result.stdout


def _loaded_by_import(statement: str) -> set[str]:
    result = run_probe(f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))")
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_app_loads_only_the_edge() -> None:
    # Given a fresh interpreter
    # When the app is imported (every route registered, as Chalice needs)
    loaded = _loaded_by_import("import app; assert len(app.app.routes) > 100")
    # Then of chalicelib only the edge is loaded: no context's services, repositories or domain
    # models, no adapter, no settings, no answer model, and none of the request-time libraries
    ours = {m for m in loaded if m == "app" or m.startswith("chalicelib")}
    beyond = sorted(m for m in ours - EDGE
                    if not (m.startswith("chalicelib.handlers.") and not m.startswith(("chalicelib.handlers.answers",
                                                                                       "chalicelib.handlers.openapi"))))
    assert beyond == [], f"import app loads {beyond}: import it in the handler body that needs it"
    assert sorted(m for m in loaded if m.split(".")[0] in LATER) == []


def test_a_route_family_loads_its_context_on_first_use() -> None:
    # Given a fresh interpreter with the app imported
    # When the models of every route are resolved (as a request to each route would)
    loaded = _loaded_by_import("import app\nfrom chalicelib.handlers.http import ROUTES, model_of\n"
                               "for r in ROUTES:\n    [model_of(m) for m in (r.body, r.query, r.response)]")
    # Then the contexts those models live in are loaded: the names the routes give resolve
    assert {"chalicelib.catalog.services", "chalicelib.runtime.services.actions", "chalicelib.cases.services.exchange",
            "chalicelib.disclosure.services.models", "chalicelib.supervision.services.complaints"} <= loaded


FIRST_CALL = textwrap.dedent("""
    import gc, json
    import app
    from bench.cold_start import proxy_event

    @app.app.route("/__collector")
    def collector():
        return {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}

    after_import = gc.get_freeze_count()
    answers = [json.loads(app.app(proxy_event("GET", "/__collector"), None)["body"]) for _ in range(2)]
    print(json.dumps({"after_import": after_import, "answers": answers, "enabled": gc.isenabled(),
                      "frozen": gc.get_freeze_count()}))
""")


def test_a_cold_instances_first_invocation_runs_without_the_collector_and_freezes_what_it_built() -> None:
    """The first request's imports (the contexts it reaches) are not walked by the collector while
    they run, and are frozen after; the second invocation runs with the collector as usual."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIT_")}
    env.update({"PYTHONPATH": str(ROOT), "AWS_DEFAULT_REGION": "us-east-1"})
    out = subprocess.run([sys.executable, "-c", FIRST_CALL], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])

    first, second = got["answers"]
    assert first["enabled"] is False and second["enabled"] is True
    assert second["frozen"] > first["frozen"] == got["after_import"] > 0
    assert got["enabled"] is True
