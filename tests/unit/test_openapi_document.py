"""The OpenAPI lint of `make test`: `/openapi.json` is a valid OpenAPI 3.1 document (openapi-spec-validator)
and fully typed — no route's 2xx answer is an untyped object, and every list says what it lists."""
from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    import app  # noqa: F401 - registers every route
    from chalicelib.handlers.openapi import document

    return document()


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = doc["components"]["schemas"][name]
    return schema


def untyped(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object that says nothing of its fields (``{}``, ``{"type": "object"}``)."""
    schema = _resolve(doc, schema)
    if any(k in schema for k in ("properties", "oneOf", "anyOf", "allOf", "const", "enum")):
        return False
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        return untyped(doc, schema["additionalProperties"])
    kind = schema.get("type")
    return kind in (None, "object")


def problems_of(doc: dict[str, Any]) -> list[str]:
    found = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            where = f"{method.upper()} {path}"
            ok = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            if not ok:
                found.append(f"{where}: no 2xx answer documented")
            for code, answer in ok.items():
                if code == "204":
                    continue
                content = answer.get("content") or {}
                if not content:
                    found.append(f"{where}: {code} has no content")
                for media, body in content.items():
                    schema = body.get("schema") or {}
                    if media != "application/json":
                        continue
                    if untyped(doc, schema):
                        found.append(f"{where}: {code} is an untyped object")
                        continue
                    # every list of the answer says what it lists
                    for name, prop in (_resolve(doc, schema).get("properties") or {}).items():
                        for variant in [prop, *prop.get("anyOf", [])]:
                            variant = _resolve(doc, variant)
                            if variant.get("type") == "array" and untyped(doc, variant.get("items") or {}):
                                found.append(f"{where}: {code} lists untyped objects in {name!r}")
    return found


def test_the_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    validate(doc)


def test_no_route_answers_an_untyped_object(doc: dict[str, Any]) -> None:
    assert problems_of(doc) == []


def test_the_lint_catches_an_untyped_answer_and_an_untyped_list(doc: dict[str, Any]) -> None:
    # Given a copy of the document where one answer is a bare object and another lists bare objects
    broken = {**doc, "paths": {
        "/a": {"get": {"responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}},
        "/b": {"get": {"responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"items": {"type": "array", "items": {}}}}}}}}}},
        "/c": {"post": {"responses": {"204": {"description": "No content"}}}},
    }}
    # Then both are named, and a 204 without a body is fine
    assert problems_of(broken) == ["GET /a: 200 is an untyped object", "GET /b: 200 lists untyped objects in 'items'"]


def test_every_route_declares_its_answer_on_the_route_itself() -> None:
    import app  # noqa: F401
    from chalicelib.handlers.http import ROUTES, model_of

    missing = [f"{r.method} {r.path}" for r in ROUTES
               if r.status != 204 and r.media is None and model_of(r.response) is None]
    assert missing == []
