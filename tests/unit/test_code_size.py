"""CONTRIBUTING.md "Size": no function over 80 lines and no module over 600 lines in ``chalicelib/``
except the modules CONTRIBUTING names with a one-line reason (issue #17)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION, MAX_MODULE = 80, 600


def _excepted() -> set[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("\n## Size\n", 1)[1].split("\n## ", 1)[0]
    return {f"chalicelib/{m}" for m in re.findall(r"^- `([^`]+\.py)`", section, flags=re.M)}


def _modules() -> list[Path]:
    return sorted((ROOT / "chalicelib").rglob("*.py"))


def test_no_module_is_over_600_lines_without_a_reason_in_contributing() -> None:
    excepted = _excepted()
    too_long = [f"{p.relative_to(ROOT)}: {n} lines" for p in _modules()
                if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE
                and p.relative_to(ROOT).as_posix() not in excepted]
    assert too_long == [], "split these modules or give a one-line reason in CONTRIBUTING.md 'Size'"


def test_no_function_is_over_80_lines() -> None:
    too_long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


def test_the_exceptions_name_modules_that_exist() -> None:
    excepted = _excepted()
    assert excepted, "CONTRIBUTING.md 'Size' lists no exception (or its format changed)"
    assert {m for m in excepted if not (ROOT / m).is_file()} == set()
