"""The REST API at the edge: a REGIONAL endpoint (the China regions have no edge-optimized one),
stage throttling with tighter limits on the public POST routes, an optional WAF web ACL with
rate-based rules, access logs with the caller's source IP, X-Ray, gateway responses in the
contract's error shape, an optional custom domain, and the exchange route on its own function."""
from __future__ import annotations

import json
from typing import Any

from .cfn import arn, if_, not_empty, ref, sub

STAGE = "api"
#: The stage SAM generates for ``RestAPI`` (``{Api}{StageName}Stage``).
STAGE_RESOURCE = f"RestAPI{STAGE}Stage"

PARAMETERS: dict[str, Any] = {
    "ApiThrottleRateLimit": {"Type": "Number", "Default": 200, "MinValue": 1,
                             "Description": "Steady requests per second for the whole API stage."},
    "ApiThrottleBurstLimit": {"Type": "Number", "Default": 400, "MinValue": 1,
                              "Description": "Burst of requests for the whole API stage."},
    "PublicPostRateLimit": {"Type": "Number", "Default": 20, "MinValue": 1,
                            "Description": "Requests per second for each public POST route (applications, "
                                           "complaints, consultations, ratings, evaluations)."},
    "PublicPostBurstLimit": {"Type": "Number", "Default": 40, "MinValue": 1,
                             "Description": "Burst for each public POST route."},
    "EnableWaf": {"Type": "String", "Default": "false", "AllowedValues": ["true", "false"],
                  "Description": "Attach a regional AWS WAF web ACL with rate-based rules to the API (billed)."},
    "WafRateLimit": {"Type": "Number", "Default": 2000, "MinValue": 10,
                     "Description": "WAF: requests per client IP per 5 minutes before it is blocked."},
    "WafPublicPostRateLimit": {"Type": "Number", "Default": 100, "MinValue": 10,
                               "Description": "WAF: public POSTs per client IP per 5 minutes (the exchange is exempt)."},
    "ApiDomainName": {"Type": "String", "Default": "",
                      "Description": "Optional custom domain of the API (in China it needs an ICP filing, 备案)."},
    "ApiCertificateArn": {"Type": "String", "Default": "",
                          "Description": "Regional ACM certificate of ApiDomainName (same region as the stack)."},
}
CONDITIONS: dict[str, Any] = {
    "UseWaf": {"Fn::Equals": [ref("EnableWaf"), "true"]},
    "HasApiDomain": {"Fn::And": [not_empty("ApiDomainName"), not_empty("ApiCertificateArn")]},
}

ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "sourceIp": "$context.identity.sourceIp",
    "time": "$context.requestTime", "method": "$context.httpMethod", "path": "$context.resourcePath",
    "status": "$context.status", "bytes": "$context.responseLength", "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency", "userAgent": "$context.identity.userAgent",
    "xrayTraceId": "$context.xrayTraceId", "error": "$context.error.responseType",
}, separators=(",", ":"))


def _error(code: str, message: str) -> str:
    return json.dumps({"error": {"code": code, "message": message, "details": []}}, ensure_ascii=False)


#: API Gateway's own answers (no Lambda involved) in the contract's error shape (docs/CONTRACT.md §1).
GATEWAY_RESPONSES: dict[str, tuple[int, str, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "NOT_FOUND", "接口不存在"),
    "THROTTLED": (429, "RATE_LIMITED", "请求过于频繁，请稍后再试"),
    "QUOTA_EXCEEDED": (429, "RATE_LIMITED", "请求过于频繁，请稍后再试"),
    "WAF_FILTERED": (403, "FORBIDDEN", "请求被拒绝"),
    "REQUEST_TOO_LARGE": (413, "PAYLOAD_TOO_LARGE", "请求体过大"),
    "DEFAULT_5XX": (502, "UNAVAILABLE", "服务暂时不可用，请稍后再试"),
}


def public_posts() -> list[str]:
    """The public (no sign-in) POST routes, read from the app's own route table."""
    import app  # noqa: F401  (registers every blueprint's routes)
    from chalicelib.handlers.http import ROUTES

    return sorted({r.path for r in ROUTES if r.auth == "public" and r.method == "POST"})


def method_path(path: str) -> str:
    """``/cases/{case_no}/evaluation`` → ``/~1cases~1{case_no}~1evaluation`` (MethodSettings' encoding)."""
    return "/" + path.replace("/", "~1")


def rest_api(route_functions: dict[tuple[str, str], str]) -> dict[str, Any]:
    """What the merge template sets on Chalice's ``RestAPI``."""
    settings = [{"ResourcePath": "/*", "HttpMethod": "*", "MetricsEnabled": True,
                 "ThrottlingRateLimit": ref("ApiThrottleRateLimit"),
                 "ThrottlingBurstLimit": ref("ApiThrottleBurstLimit")}]
    settings += [{"ResourcePath": method_path(p), "HttpMethod": "POST", "MetricsEnabled": True,
                  "ThrottlingRateLimit": ref("PublicPostRateLimit"), "ThrottlingBurstLimit": ref("PublicPostBurstLimit")}
                 for p in public_posts()]
    paths: dict[str, Any] = {}
    for (path, method), logical_id in route_functions.items():
        paths.setdefault(path, {})[method] = {"x-amazon-apigateway-integration": {"uri": sub(
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
            f"${{{logical_id}.Arn}}/invocations")}}
    responses = {
        kind: {"StatusCode": str(status),
               "ResponseParameters": {"Headers": {"Access-Control-Allow-Origin": "'*'"}},
               "ResponseTemplates": {"application/json": _error(code, message)}}
        for kind, (status, code, message) in GATEWAY_RESPONSES.items()
    }
    return {
        "DependsOn": ["ApiGatewayAccount"],
        "Properties": {
            "Name": ref("AWS::StackName"),
            "EndpointConfiguration": {"Type": "REGIONAL"},
            "TracingEnabled": True,
            "MethodSettings": settings,
            "AccessLogSetting": {"DestinationArn": arn("ApiAccessLogGroup"), "Format": ACCESS_LOG_FORMAT},
            "GatewayResponses": responses,
            "DefinitionBody": {"paths": paths},
        },
    }


def _rate_rule(name: str, priority: int, limit: str, scope_down: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Limit": ref(limit), "AggregateKeyType": "IP"}
    if scope_down:
        statement["ScopeDownStatement"] = scope_down
    return {"Name": name, "Priority": priority, "Action": {"Block": {}},
            "Statement": {"RateBasedStatement": statement},
            "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}}


def _match(field: dict[str, Any], value: str, how: str) -> dict[str, Any]:
    return {"ByteMatchStatement": {"FieldToMatch": field, "PositionalConstraint": how, "SearchString": value,
                                   "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}


def waf() -> dict[str, Any]:
    public_post = {"AndStatement": {"Statements": [
        _match({"Method": {}}, "POST", "EXACTLY"),
        {"NotStatement": {"Statement": _match({"UriPath": {}}, f"/{STAGE}/exchange/", "STARTS_WITH")}},
    ]}}
    return {
        "ApiWebAcl": {"Type": "AWS::WAFv2::WebACL", "Condition": "UseWaf", "Properties": {
            "Name": sub("${AWS::StackName}-api"), "Scope": "REGIONAL", "DefaultAction": {"Allow": {}},
            "Description": "Sunlit API - rate limits per client IP, exchange exempt from the public POST rule",
            "Rules": [_rate_rule("PerClientRate", 0, "WafRateLimit"),
                      _rate_rule("PublicPostRate", 1, "WafPublicPostRateLimit", public_post)],
            "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                                 "MetricName": "SunlitApi"}}},
        "ApiWebAclAssociation": {"Type": "AWS::WAFv2::WebACLAssociation", "Condition": "UseWaf",
                                 "DependsOn": [STAGE_RESOURCE], "Properties": {
            "ResourceArn": sub(f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{RestAPI}}/stages/{STAGE}"),
            "WebACLArn": arn("ApiWebAcl")}},
    }


def resources(route_functions: dict[tuple[str, str], str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "RestAPI": rest_api(route_functions),
        "ApiAccessLogGroup": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain",
                              "UpdateReplacePolicy": "Retain", "Properties": {
            "LogGroupName": sub("/sunlit/${AWS::StackName}/api-access"),
            "RetentionInDays": ref("LogRetentionDays"), "KmsKeyId": arn("DataKey")}},
        # API Gateway writes access logs with one role per account and region (a singleton): kept
        # on stack deletion so that other APIs of the account keep logging.
        "ApiGatewayCloudWatchRole": {"Type": "AWS::IAM::Role", "DeletionPolicy": "Retain",
                                     "UpdateReplacePolicy": "Retain", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")]}},
        "ApiGatewayAccount": {"Type": "AWS::ApiGateway::Account", "DeletionPolicy": "Retain",
                              "UpdateReplacePolicy": "Retain",
                              "Properties": {"CloudWatchRoleArn": arn("ApiGatewayCloudWatchRole")}},
        "ApiDomain": {"Type": "AWS::ApiGateway::DomainName", "Condition": "HasApiDomain", "Properties": {
            "DomainName": ref("ApiDomainName"), "RegionalCertificateArn": ref("ApiCertificateArn"),
            "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "TLS_1_2"}},
        "ApiDomainMapping": {"Type": "AWS::ApiGateway::BasePathMapping", "Condition": "HasApiDomain",
                             "DependsOn": [STAGE_RESOURCE], "Properties": {
            "DomainName": ref("ApiDomain"), "RestApiId": ref("RestAPI"), "Stage": STAGE}},
    }
    for (path, method), function in route_functions.items():
        out[f"{function}InvokePermission"] = {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": ref(function), "Action": "lambda:InvokeFunction",
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": sub(f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{RestAPI}}/*/"
                             f"{method.upper()}{path}")}}
    out.update(waf())
    return out


def outputs() -> dict[str, Any]:
    return {
        "ApiDomainTarget": {"Condition": "HasApiDomain",
                            "Description": "Point ApiDomainName's DNS (CNAME) here",
                            "Value": {"Fn::GetAtt": ["ApiDomain", "RegionalDomainName"]}},
        "ApiURL": {"Description": "The API's base URL (config.js of the hall and the console)",
                   "Value": if_("HasApiDomain", sub("https://${ApiDomainName}/"),
                                sub(f"https://${{RestAPI}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{STAGE}/"))},
    }



