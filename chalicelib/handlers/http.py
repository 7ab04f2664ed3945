"""The HTTP edge: one ``route`` decorator that authenticates, parses with pydantic, calls the
handler and maps results and typed errors to the contract's shapes. It also records every
route for ``GET /openapi.json``.

Handlers stay about ten lines: they receive a ``Ctx`` and the parsed ``body``/``query``.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from chalice import Blueprint, Response
from chalice.app import Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from chalicelib.identity.domain import roles as identity
from chalicelib.kernel.errors import ForbiddenError, NotFoundError, SunlitError, UnauthorizedError, ValidationError

log = logging.getLogger("sunlit.http")

Auth = Literal["public", "staff", "department", "staff_or_department"]
#: What the edge records in the audit trail: successful writes (default), also successful reads
#: (a case's personal data), every call whatever its outcome, or nothing (the handler records).
Audit = Literal["writes", "reads", "always", "off"]
RESTRICTIONS = {
    "password_change": ("PASSWORD_CHANGE_REQUIRED", "请先修改初始口令（POST /auth/password）"),
    "mfa_enrolment": ("MFA_ENROLMENT_REQUIRED", "请先绑定动态验证码（POST /auth/mfa/totp）"),
}
MAX_BODY_BYTES = 2 * 1024 * 1024
#: No identifier in this API is longer (case numbers ≤ 40, item codes ≤ 20): a longer path
#: parameter names nothing, and refusing it early keeps absurd values away from every parser.
MAX_PATH_PARAM_CHARS = 256
#: CORS: the hall's origin(s) (``SUNLIT_HALL_ORIGINS``) on public routes only — the ones the hall
#: calls; the staff console's (``SUNLIT_CONSOLE_ORIGINS``) on every route a person calls (all but
#: the departments' signed exchange), with the bearer token. No other origin is ever named.
CORS_ALLOW_HEADERS = "Content-Type"
CONSOLE_ALLOW_HEADERS = "Authorization,Content-Type"
CORS_MAX_AGE = "600"


#: A pydantic model, or ``"module:Name"`` naming one, imported at the route's first use (the
#: identity routes' models load that way: cold start pays only for what a request needs).
Model = type[BaseModel] | str
_models: dict[str, type[BaseModel]] = {}


def model_of(model: Model | None) -> type[BaseModel] | None:
    if model is None or not isinstance(model, str):
        return model
    found = _models.get(model)
    if found is None:
        import importlib

        module, _, name = model.partition(":")
        found = _models[model] = getattr(importlib.import_module(module), name)
    return found


@dataclass
class RouteSpec:
    path: str
    method: str
    auth: Auth
    roles: tuple[str, ...]
    body: Model | None
    query: Model | None
    status: int
    summary: str
    tag: str
    #: The 2xx body's model (published in ``/openapi.json``; checked against real answers in tests).
    response: Model | None = None
    #: A non-JSON answer's media type (a spreadsheet download): published as a binary body.
    media: str | None = None
    #: Open to a user who must first change the password or enrol a second factor.
    self_service: bool = False
    audit: Audit = "writes"
    #: The body may be omitted (then the handler gets ``body=None``).
    optional_body: bool = False
    #: True for public reads of published data that carry nothing personal (catalog, statistics,
    #: results…): those may be cached; every other answer is sent with ``Cache-Control: no-store``.
    cache: bool = False


ROUTES: list[RouteSpec] = []
_PREFLIGHT_PATHS: set[str] = set()


@dataclass
class Ctx:
    """What a handler may know about the request."""

    request: Request
    principal: identity.Principal
    params: dict[str, str] = field(default_factory=dict)

    @property
    def source_ip(self) -> str:
        ctx = self.request.context or {}
        return str((ctx.get("identity") or {}).get("sourceIp") or "unknown")

    @property
    def ip_hash(self) -> str | None:
        """The source address as the audit trail keeps it (keyed hash)."""
        from .. import wiring
        from ..identity.services import audit

        return audit.ip_hash(wiring.stores(), wiring.key_vault(), self.source_ip)

    @property
    def auditor(self) -> Any:
        from .. import wiring
        from ..identity.services.audit import Auditor

        return Auditor(wiring.stores(), self.ip_hash)


def error_body(code: str, message: str, details: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": list(details)}}


def error_response(exc: SunlitError) -> Response:
    return json_response(exc.status, error_body(exc.code, exc.message, exc.details))


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    hdrs: dict[str, str | list[str]] = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    text = json.dumps(body, ensure_ascii=False, default=_json_default)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from somewhere: escape rather than fail to send
        text = json.dumps(body, ensure_ascii=True, default=_json_default)
    return Response(body=text, status_code=status, headers=hdrs)


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


#: pydantic's error types in Simplified Chinese (people read these beside the field they concern).
_ZH_MESSAGES: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不认识的字段",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601（如 2026-12-05T09:30:00+08:00）",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601（如 2026-12-05T09:30:00+08:00）",
    "timezone_aware": "时间须带时区（如 +08:00）",
    "url_parsing": "网址格式不正确",
    "url_scheme": "网址须以 http:// 或 https:// 开头",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
}


def _zh(err: Any) -> str:
    """The message of one pydantic error in Chinese (a validator's own message is kept as written)."""
    kind = str(err.get("type", ""))
    if kind == "value_error":
        return str(err.get("msg", "取值无效")).removeprefix("Value error, ")
    template = _ZH_MESSAGES.get(kind)
    if template is None:
        return str(err.get("msg", "取值无效"))
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = ctx["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("，")[0].split("{")[0].strip() or "取值无效"


def pydantic_details(exc: PydanticValidationError, prefix: str = "") -> list[dict[str, Any]]:
    details = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [str(p) for p in err.get("loc", ()) if p != "__root__"]
        name = ".".join([prefix, *loc] if prefix else loc) or (prefix or "body")
        details.append({"field": name, "type": err.get("type", "invalid"), "message": _zh(err)})
    return details


def read_json(request: Request) -> Any:
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BODY_BYTES:
        raise ValidationError("请求体过大", [{"field": "body", "type": "too_large",
                                                 "message": f"最大 {MAX_BODY_BYTES} 字节"}], code="BODY_TOO_LARGE")
    if not raw.strip():
        raise ValidationError("请求体不能为空", [{"field": "body", "type": "missing", "message": "需要 JSON 请求体"}])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("请求体不是有效的 UTF-8", [{"field": "body", "type": "invalid_utf8",
                                                          "message": "请使用 UTF-8 编码"}]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValidationError("JSON 嵌套过深", [{"field": "body", "type": "too_deep",
                                                  "message": "JSON 嵌套层级过深"}]) from None
    except ValueError as exc:
        raise ValidationError("请求体不是有效的 JSON", [{"field": "body", "type": "invalid_json",
                                                          "message": str(exc)[:200]}]) from None
    if "\\u" in text:  # an escaped lone surrogate decodes to a string UTF-8 cannot hold
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("请求体含有无效的 Unicode 转义", [{
                "field": "body", "type": "invalid_unicode", "message": "不成对的代理项（\\ud800–\\udfff）"}]) from None
        except RecursionError:
            raise ValidationError("JSON 嵌套过深", [{"field": "body", "type": "too_deep",
                                                      "message": "JSON 嵌套层级过深"}]) from None
    return data


def _reject_constant(name: str) -> Any:
    """``NaN``/``Infinity`` are not JSON (RFC 8259), though Python's parser accepts them."""
    raise ValueError(f"{name} 不是合法的 JSON 值")


def parse_model(model: type[BaseModel], data: Any, prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError("输入数据有误", pydantic_details(exc, prefix)) from None
    except RecursionError:
        raise ValidationError("输入嵌套过深", [{"field": prefix or "body", "type": "too_deep",
                                                "message": "嵌套层级过深"}]) from None


def request_path(request: Request, params: dict[str, str]) -> str:
    """The contract path (no API Gateway stage prefix) with URI parameters filled in."""
    path = str((request.context or {}).get("resourcePath") or "/")
    for key, value in params.items():
        path = path.replace("{" + key + "}", value)
    return path


def route(
    bp: Blueprint,
    path: str,
    method: str = "GET",
    *,
    auth: Auth = "staff",
    roles: Sequence[str] = (),
    body: Model | None = None,
    query: Model | None = None,
    status: int = 200,
    summary: str = "",
    tag: str = "",
    response: Model | None = None,
    media: str | None = None,
    self_service: bool = False,
    audit: Audit = "writes",
    optional_body: bool = False,
    cache: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    spec = RouteSpec(path, method, auth, tuple(roles), body, query, status, summary, tag or "api",
                     response, media, self_service, audit, optional_body, cache)
    ROUTES.append(spec)
    if auth != "department" and path not in _PREFLIGHT_PATHS:
        _PREFLIGHT_PATHS.add(path)
        _register_preflight(bp, path)

    bp_label = str(getattr(bp, "_import_name", "api")).rsplit(".", 1)[-1]

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        def view(**params: str) -> Response:
            request = bp.current_request
            started = time.monotonic()
            principal = identity.ANONYMOUS
            try:
                if any(len(v) > MAX_PATH_PARAM_CHARS for v in params.values()):
                    raise NotFoundError("资源不存在")
                principal = authenticate(request, spec, params)
                kwargs: dict[str, Any] = {}
                if body is not None:
                    raw = request.raw_body or b""
                    empty = not (raw.strip() if isinstance(raw, (bytes, str)) else raw)
                    kwargs["body"] = (None if spec.optional_body and empty
                                      else parse_model(model_of(body), read_json(request)))  # type: ignore[arg-type]
                if query is not None:
                    kwargs["query"] = parse_model(model_of(query), dict(request.query_params or {}),  # type: ignore[arg-type]
                                                  "query")
                from .. import wiring

                with wiring.span(f"{method} {path}", case_no=params.get("case_no"), dept=principal.dept_code):
                    result = fn(Ctx(request, principal, params), **params, **kwargs)
                response = result if isinstance(result, Response) else json_response(status, result)
                if _check_responses():
                    check_response(spec, response)
                if _audited(spec, principal, response.status_code):
                    _audit(principal, spec, params, request, response.status_code)
                return _edge_headers(spec, request, response)
            except SunlitError as exc:
                if spec.audit == "always" and principal.kind != "anonymous":
                    _audit(principal, spec, params, request, exc.status)
                return _edge_headers(spec, request, error_response(exc))
            except Exception:
                log.exception("unhandled error in %s %s", method, path)
                return _edge_headers(spec, request, json_response(500, error_body("INTERNAL", "服务器内部错误，请稍后再试")))
            finally:
                log.debug("%s %s %.1fms", method, path, (time.monotonic() - started) * 1000)

        # Chalice needs view names unique across blueprints: prefix with the blueprint's module.
        view.__name__ = f"{bp_label}_{fn.__name__}"
        view.__doc__ = fn.__doc__
        bp.route(path, methods=[method], cors=False)(view)
        return fn

    return decorate


def _check_responses() -> bool:
    from ..settings import get_settings

    return get_settings().check_responses


class ResponseDrift(Exception):
    """A 2xx answer does not fit the model its route declares (raised only with ``SUNLIT_CHECK_RESPONSES``)."""


def check_response(spec: RouteSpec, response: Response) -> None:
    """Validate a 2xx JSON answer against the route's declared model. The tests' stacks run with
    ``SUNLIT_CHECK_RESPONSES=1``: every answer any test receives is checked, so a declared model
    cannot drift from what the handler really sends (the answer turns into a 500 and a logged error)."""
    if response.status_code >= 300 or response.status_code == 204:
        return
    model = model_of(spec.response)
    if model is None:
        if spec.media is None:
            raise ResponseDrift(f"{spec.method} {spec.path} declares no response model")
        return
    body = response.body
    data = json.loads(body) if isinstance(body, (str, bytes)) else body
    try:
        model.model_validate(data)
    except PydanticValidationError as exc:
        raise ResponseDrift(f"{spec.method} {spec.path} answered {response.status_code} with a body that does not "
                            f"fit {model.__name__}: {pydantic_details(exc)[:5]}") from None


def _origin_in(request: Request, configured: str) -> str | None:
    headers: Any = request.headers or {}
    origin = str(headers.get("origin") or "")
    allowed = {o.strip().rstrip("/") for o in configured.split(",") if o.strip()}
    return origin if origin and origin.rstrip("/") in allowed else None


def hall_origin(request: Request) -> str | None:
    """The request's ``Origin`` when it is one of the hall's (``SUNLIT_HALL_ORIGINS``), else None."""
    from ..settings import get_settings

    return _origin_in(request, get_settings().hall_origins)


def console_origin(request: Request) -> str | None:
    """The request's ``Origin`` when it is one of the staff console's (``SUNLIT_CONSOLE_ORIGINS``)."""
    from ..settings import get_settings

    return _origin_in(request, get_settings().console_origins)


def _edge_headers(spec: RouteSpec, request: Request, response: Response) -> Response:
    """CORS for the hall on public routes and for the console on every route people call;
    ``no-store`` on everything that is not published data."""
    headers = response.headers
    if spec.auth != "department":
        origin = console_origin(request) or (hall_origin(request) if spec.auth == "public" else None)
        if origin:
            headers["Access-Control-Allow-Origin"] = origin
        headers["Vary"] = "Origin"
    if not (spec.cache and response.status_code < 400):
        headers["Cache-Control"] = "no-store"
    return response


def _register_preflight(bp: Blueprint, path: str) -> None:
    """``OPTIONS`` for a path people call: the hall's origin may call its public methods, the
    console's every method but the signed exchange's (with the bearer token), no one else anything."""

    def preflight(**params: str) -> Response:
        request = bp.current_request
        headers: dict[str, str | list[str]] = {"Vary": "Origin", "Cache-Control": "no-store"}
        console = console_origin(request)
        origin = console or hall_origin(request)
        allowed = ("public", "staff", "staff_or_department") if console else ("public",)
        methods = sorted({r.method for r in ROUTES if r.path == path and r.auth in allowed})
        if origin and methods:
            headers.update({"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": ",".join(methods),
                            "Access-Control-Allow-Headers": CONSOLE_ALLOW_HEADERS if console else CORS_ALLOW_HEADERS,
                            "Access-Control-Max-Age": CORS_MAX_AGE})
        return Response(body="", status_code=204, headers=headers)

    preflight.__name__ = "preflight_" + "".join(c if c.isalnum() else "_" for c in path)
    bp.route(path, methods=["OPTIONS"], cors=False)(preflight)


def _audited(spec: RouteSpec, principal: identity.Principal, status: int) -> bool:
    if spec.audit == "off" or principal.kind == "anonymous":
        return False
    if spec.audit == "always":
        return True
    return status < 400 and (spec.method != "GET" or spec.audit == "reads")


def _audit(principal: identity.Principal, spec: RouteSpec, params: dict[str, str], request: Request,
           status: int) -> None:
    """Record a call (who, when, what, from where) in the hash-chained audit trail."""
    from .. import wiring
    from ..identity.services import audit

    raw = request.raw_body or b""
    body = raw.encode("utf-8") if isinstance(raw, str) else raw
    ctx = request.context or {}
    address = str((ctx.get("identity") or {}).get("sourceIp") or "") or None
    audit.record(wiring.stores(), principal, f"{spec.method} {spec.path}", dict(params), status, body,
                 ip_hash=audit.ip_hash(wiring.stores(), wiring.key_vault(), address))


#: Errors Chalice itself answers before or around a view, in its own ``{"Code", "Message"}`` shape.
_CHALICE_ERRORS = {
    405: ("METHOD_NOT_ALLOWED", "该接口不支持此请求方法"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "请求体应为 JSON（Content-Type: application/json）"),
    400: ("BAD_REQUEST", "请求有误"),
    404: ("NOT_FOUND", "资源不存在"),
}


def contract_errors(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """HTTP middleware: answers Chalice produces itself (unsupported method 405, media type 415,
    its own 500) get the contract's error shape ``{"error": {"code", "message", "details"}}``."""
    response = get_response(event)
    body = response.body
    if response.status_code < 400 or not (isinstance(body, dict) and "Code" in body and "error" not in body):
        return response
    if response.status_code >= 500:
        code, message = "INTERNAL", "服务器内部错误，请稍后再试"
    else:
        code, message = _CHALICE_ERRORS.get(response.status_code, ("BAD_REQUEST", "请求有误"))
    detail = {"field": "request", "type": str(body.get("Code")),
              "message": str(body.get("Message", ""))[:200]}
    keep = {k: str(v) for k, v in (response.headers or {}).items() if k.lower() == "allow"}
    return json_response(response.status_code, error_body(code, message, [detail]), keep)


def principal_of_token(token: str) -> identity.Principal:
    from .. import wiring
    from ..identity.services import sessions

    return sessions.principal_from_token(wiring.stores(), wiring.signing_keys(), wiring.identity_config(), token,
                                         time.time())


def authenticate(request: Request, spec: RouteSpec, params: dict[str, str]) -> identity.Principal:
    headers: Any = request.headers or {}
    if spec.auth == "public":
        token = _bearer(headers)
        principal = principal_of_token(token) if token else identity.ANONYMOUS
        return principal if principal.restriction is None else identity.ANONYMOUS
    if spec.auth in ("department", "staff_or_department") and headers.get("x-sunlit-key"):
        from .. import wiring
        from ..identity.services import departments

        raw = request.raw_body or b""
        body_bytes = raw.encode("utf-8") if isinstance(raw, str) else raw
        return departments.verify_department_request(
            wiring.stores(), wiring.key_vault(),
            key_id=headers.get("x-sunlit-key", ""),
            timestamp=headers.get("x-sunlit-timestamp", ""),
            signature=headers.get("x-sunlit-signature", ""),
            method=spec.method,
            path=request_path(request, params),
            body=body_bytes,
            now=time.time(),
        )
    if spec.auth == "department":
        raise UnauthorizedError("缺少部门系统签名（X-Sunlit-Key / X-Sunlit-Timestamp / X-Sunlit-Signature）")
    token = _bearer(headers)
    if not token:
        raise UnauthorizedError("需要登录：缺少 Authorization: Bearer 令牌")
    principal = principal_of_token(token)
    if principal.kind == "anonymous":
        raise UnauthorizedError("令牌无效或已过期，请重新登录")
    if principal.restriction is not None and not spec.self_service:
        code, message = RESTRICTIONS.get(principal.restriction, ("FORBIDDEN", "请先完成账户设置"))
        raise ForbiddenError(message, code=code)
    if not spec.self_service:
        from ..identity.services import sessions

        sessions.require_roles(principal, spec.roles)
    return principal


def _bearer(headers: Any) -> str | None:
    value = str(headers.get("authorization") or "")
    if value.lower().startswith("bearer "):
        return value[7:].strip() or None
    return None
