"""``GET /openapi.json``: OpenAPI 3.1 generated from the routes and their pydantic models."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.cases.domain import events as ev
from chalicelib.cases.services.exchange import MAX_BATCH

from . import api_catalog
from .http import ROUTES, model_of

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


def _exchange_schemas(schemas: dict[str, Any]) -> None:
    """The typed body of ``POST /exchange/events`` (docs/CONTRACT.md §5): one schema per event type, the
    envelope's fields plus ``type`` fixed and ``data`` of that type, chosen by ``type``; and the
    per-event results. The same pydantic models validate each event on the server."""
    models: list[type[BaseModel]] = [ev.EventEnvelope, *ev.DATA_MODELS.values()]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    schemas.update(defs.get("$defs", {}))
    envelope = dict(schemas["EventEnvelope"])
    variants: dict[str, str] = {}
    for event_type, model in ev.DATA_MODELS.items():
        name = f"{model.__name__.removesuffix('Data')}Event"
        schemas[name] = {
            "title": name, "description": f"{ev.TYPE_NAMES.get(event_type, event_type)} ({event_type})",
            "type": "object", "required": envelope.get("required", []),
            "properties": {**envelope["properties"], "type": {"type": "string", "const": event_type},
                           "data": {"$ref": f"#/components/schemas/{model.__name__}"}},
        }
        variants[event_type] = f"#/components/schemas/{name}"
    schemas["ExchangeBatch"] = {
        "title": "ExchangeBatch", "type": "object", "required": ["events"], "additionalProperties": False,
        "properties": {"events": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH, "items": {
            "oneOf": [{"$ref": ref} for ref in variants.values()],
            "discriminator": {"propertyName": "type", "mapping": variants}}}},
        "description": "Each event is validated on its own: one that does not fit is answered `rejected` "
                       "with its errors, the others are stored.",
    }
    schemas["ExchangeResult"] = {
        "title": "ExchangeResult", "type": "object", "required": ["event_id", "status", "errors"],
        "properties": {"event_id": {"type": "string"},
                       "status": {"type": "string", "enum": ["stored", "duplicate", "superseded", "rejected"]},
                       "errors": {"type": "array", "items": {"type": "object", "properties": {
                           "field": {"type": "string"}, "type": {"type": "string"}, "message": {"type": "string"}}}}},
    }
    schemas["ExchangeResults"] = {
        "title": "ExchangeResults", "type": "object", "required": ["results"],
        "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/ExchangeResult"}}},
        "description": "One result per event, in request order.",
    }


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    models: set[type[BaseModel]] = set()
    for spec in ROUTES:
        for m in (model_of(spec.body), spec.response):
            if m is not None:
                models.add(m)
    models.add(api_catalog.DECLARATION_MODEL)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in ordered],
                                 ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Error"] = ERROR_SCHEMA
    _exchange_schemas(schemas)
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
        if spec.status == 204:
            op["responses"]["204"] = {"description": "No content"}
        query = model_of(spec.query)
        if query is not None:
            op["parameters"] += _query_params(query)
        body_model = model_of(spec.body) or (api_catalog.DECLARATION_MODEL if spec.path == "/catalog/items"
                                   and spec.method == "POST" else None)
        if body_model is not None:
            op["requestBody"] = {"required": not spec.optional_body, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{body_model.__name__}"}}}}
        if spec.path == "/exchange/events" and spec.method == "POST":
            op["requestBody"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/ExchangeBatch"}
            op["responses"][str(spec.status)]["content"]["application/json"]["schema"] = {
                "$ref": "#/components/schemas/ExchangeResults"}
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
