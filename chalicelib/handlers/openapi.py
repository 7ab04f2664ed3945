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
from .http import ROUTES, RouteSpec, model_of

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "type": {"type": "string"}, "message": {"type": "string"}}}}}}},
}


#: The document's tags, in the order the docs page shows them, with the platform's Chinese name.
TAGS = {
    "exchange": "数据交换：部门业务系统签名推送办件事件 (data exchange, docs/CONTRACT.md §5)",
    "public": "公开查询：办件进度、结果公开、部门统计 (the hall's public API, §7)",
    "hall": "网上政务大厅：投诉、咨询、满意度评价 (complaints, consultations, ratings)",
    "catalog": "行政权力库：事项申报、审核确认、版本 (the power catalog, §4)",
    "runtime": "运行平台：网上申办、处罚立案、待办与办理 (the operation platform, §10)",
    "cases": "办件：内部视图与哈希链校验 (the case record)",
    "supervision": "行政监察：预警纠错、异常、抽查、绩效评估 (administrative supervision, §6)",
    "legal": "法制监督：合法性检查、执法人员、规范性文件、行政复议与应诉 (legal oversight, §6)",
    "auth": "登录与会话 (staff sign-in, §8)",
    "identity": "用户、部门与密钥 (users, departments, keys)",
    "audit": "审计 (the audit trail)",
    "rules": "规则与参数配置 (rules and the legal office's settings)",
    "calendar": "工作日历与期限计算 (calendar and deadlines, §3)",
    "servicepoints": "基层延伸：便民服务中心与代办点、就近办理、网点统计 (service points, §11)",
    "ops": "运维：死信队列 (operations)",
    "system": "系统 (health, this document)",
}


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def _exchange_schemas(schemas: dict[str, Any]) -> None:
    """The typed body of ``POST /exchange/events`` (docs/CONTRACT.md §5): one schema per event type, the
    envelope's fields plus ``type`` fixed and ``data`` of that type, chosen by ``type`` (the per-event
    results are the route's response model). The same pydantic models validate each event on the server."""
    models: list[type[BaseModel]] = [ev.EventEnvelope, *ev.DATA_MODELS.values()]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    for name, schema in defs.get("$defs", {}).items():
        # the routes' models and the events' share a name only when they are the same model
        assert schemas.setdefault(name, schema) == schema, f"two schemas named {name}"
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


def _success(spec: RouteSpec, refs: dict[type[BaseModel], str]) -> dict[str, Any]:
    """The route's 2xx answer: its declared model, a binary download, or no content (204)."""
    if spec.status == 204:
        return {"description": "No content"}
    if spec.media:
        return {"description": "OK (a file to download)", "content": {spec.media: {
            "schema": {"type": "string", "contentMediaType": spec.media}}}}
    model = model_of(spec.response)
    schema = {"$ref": refs[model]} if model else {"type": "object"}
    return {"description": (model.__doc__ or "OK").strip().splitlines()[0] if model else "OK",
            "content": {"application/json": {"schema": schema}}}


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    models: set[type[BaseModel]] = set()
    for spec in ROUTES:
        for m in (model_of(spec.body), model_of(spec.response)):
            if m is not None:
                models.add(m)
    declaration = model_of(api_catalog.DECLARATION_MODEL)
    assert declaration is not None
    models.add(declaration)
    ordered = sorted(models, key=lambda m: m.__name__)
    keyed, defs = models_json_schema([(m, "validation") for m in ordered],
                                     ref_template="#/components/schemas/{model}")
    # pydantic names each model's schema (qualified by module when two models share a class name)
    refs: dict[type[BaseModel], str] = {model: ref["$ref"] for (model, _), ref in keyed.items()
                                        if isinstance(model, type) and issubclass(model, BaseModel)}
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
                str(spec.status): _success(spec, refs),
                "4XX": {"description": "Client error", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        query = model_of(spec.query)
        if query is not None:
            op["parameters"] += _query_params(query)
        body_model = model_of(spec.body) or (declaration if spec.path == "/catalog/items"
                                             and spec.method == "POST" else None)
        if body_model is not None:
            op["requestBody"] = {"required": not spec.optional_body, "content": {"application/json": {
                "schema": {"$ref": refs[body_model]}}}}
        if spec.path == "/exchange/events" and spec.method == "POST":
            op["requestBody"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/ExchangeBatch"}
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
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()]
        + [{"name": t} for t in sorted({s.tag.rsplit(".", 1)[-1] for s in ROUTES} - set(TAGS))],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "departmentSignature": {"type": "apiKey", "in": "header", "name": "X-Sunlit-Signature",
                                    "description": "HMAC-SHA256 with X-Sunlit-Key and X-Sunlit-Timestamp"}}},
    }
