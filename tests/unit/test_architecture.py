"""The shape the design card asks for, enforced: a pure domain, services on ports, adapters
as the only AWS import site, and infra that matches the pynamodb models."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"boto3", "botocore", "pynamodb", "chalice", "moto"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
            if node.module.startswith("chalicelib.adapters"):
                names.add("adapters")
        elif isinstance(node, ast.ImportFrom) and node.level and node.module and node.module.startswith("adapters"):
            names.add("adapters")
    return names


def _layer_files(layer: str) -> list[Path]:
    """Every module of a layer in every context (``chalicelib/<context>/<layer>.py`` or ``…/<layer>/*.py``)."""
    chalicelib = ROOT / "chalicelib"
    return sorted({*chalicelib.glob(f"{layer}/*.py"), *chalicelib.glob(f"*/{layer}.py"), *chalicelib.glob(f"*/{layer}/*.py")})


@pytest.mark.parametrize("layer", ["domain", "services"])
def test_domain_and_services_import_no_aws_or_web_framework(layer: str) -> None:
    offenders = {}
    for path in _layer_files(layer):
        bad = _imports(path) & (FORBIDDEN | {"adapters"})
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_domain_reads_no_environment() -> None:
    for path in _layer_files("domain"):
        assert "os.environ" not in path.read_text("utf-8"), path.name


def test_app_is_a_switchboard_only() -> None:
    tree = ast.parse((ROOT / "app.py").read_text("utf-8"))
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert defs == []


def test_infra_tables_match_the_pynamodb_models() -> None:
    from chalicelib.adapters.tables import TABLE_MODELS
    from devstack.provision import load_infra

    infra = load_infra()
    TABLES, table_logical_id = infra.TABLES, infra.table_logical_id
    template = infra.build()
    assert set(TABLES) == set(TABLE_MODELS)
    for name, model in TABLE_MODELS.items():
        props = template["Resources"][table_logical_id(name)]["Properties"]
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        attrs = model.get_attributes()
        assert attrs[keys["HASH"]].is_hash_key and attrs[keys["RANGE"]].is_range_key
        infra_indexes = {g["IndexName"]: {k["KeyType"]: k["AttributeName"] for k in g["KeySchema"]}
                         for g in props.get("GlobalSecondaryIndexes", [])}
        for index_name, index in model._indexes.items():
            index_attrs = index._get_schema()["key_schema"]
            schema = {k["KeyType"]: k["AttributeName"] for k in index_attrs}
            assert infra_indexes[index_name] == schema
        for attr in set(keys.values()) | {a for i in infra_indexes.values() for a in i.values()}:
            assert attr in attrs, f"{name}: infra key {attr} has no model attribute"


def test_every_event_source_mapping_names_a_function_of_the_app() -> None:
    import app
    from devstack.provision import load_infra

    build = load_infra().build
    functions = {"".join(p.capitalize() for p in f.name.split("_")) for f in app.app.pure_lambda_functions}
    mappings = [r for r in build()["Resources"].values() if r.get("Type") == "AWS::Lambda::EventSourceMapping"]
    assert mappings
    for m in mappings:
        assert m["Properties"]["FunctionName"]["Ref"] in functions
        if "StreamArn" in json.dumps(m["Properties"]["EventSourceArn"]):
            p = m["Properties"]
            assert p["BisectBatchOnFunctionError"] is True
            assert 0 < p["MaximumRetryAttempts"] <= 10
            assert p["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert "OnFailure" in p["DestinationConfig"]
