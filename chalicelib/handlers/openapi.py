"""``GET /openapi.json``: OpenAPI 3.1 generated from the routes and their pydantic models."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import api_catalog
from .http import ROUTES

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "type": {"type": "string"}, "message": {"type": "string"}}}}}}},
}


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    models: set[type[BaseModel]] = set()
    for spec in ROUTES:
        for m in (spec.body, spec.response):
            if m is not None:
                models.add(m)
    models.add(api_catalog.DECLARATION_MODEL)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in ordered],
                                 ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Error"] = ERROR_SCHEMA
    paths: dict[str, Any] = {}
    for spec in ROUTES:
        op: dict[str, Any] = {
            "summary": spec.summary or spec.path, "tags": [spec.tag.rsplit(".", 1)[-1]],
            "operationId": re.sub(r"[^A-Za-z0-9]+", "_", f"{spec.method}_{spec.path}").strip("_"),
            "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                           for p in re.findall(r"\{([^}]+)\}", spec.path)],
            "responses": {
                str(spec.status): {"description": "OK", "content": {"application/json": {"schema": (
                    {"$ref": f"#/components/schemas/{spec.response.__name__}"} if spec.response
                    else {"type": "object"})}}},
                "4XX": {"description": "Client error", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        if spec.query is not None:
            op["parameters"] += _query_params(spec.query)
        body_model = spec.body or (api_catalog.DECLARATION_MODEL if spec.path == "/catalog/items"
                                   and spec.method == "POST" else None)
        if body_model is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{body_model.__name__}"}}}}
        if spec.auth == "staff":
            op["security"] = [{"bearer": []}]
        elif spec.auth == "department":
            op["security"] = [{"departmentSignature": []}]
        paths.setdefault(spec.path, {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sunlit 阳光政务 API", "version": "1.0.0",
                 "description": "One library, four platforms: catalog, operation, supervision, legal oversight, "
                                "online hall. Errors: {error: {code, message, details}}."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "departmentSignature": {"type": "apiKey", "in": "header", "name": "X-Sunlit-Signature",
                                    "description": "HMAC-SHA256 with X-Sunlit-Key and X-Sunlit-Timestamp"}}},
    }
