"""Small helpers for writing CloudFormation in Python (intrinsic functions, partition-agnostic ARNs).

Nothing here names a partition, region or account: every ARN is built with ``${AWS::Partition}``,
``${AWS::Region}`` and ``${AWS::AccountId}`` (or comes from ``Ref``/``Fn::GetAtt``), so one template
deploys to ``aws`` and ``aws-cn`` alike (a test rejects any ``arn:aws:`` literal).
"""
from __future__ import annotations

from typing import Any

Json = Any


def ref(name: str) -> dict[str, Any]:
    return {"Ref": name}


def getatt(resource: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [resource, attribute]}


def arn(resource: str) -> dict[str, Any]:
    return getatt(resource, "Arn")


def sub(text: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"Fn::Sub": [text, variables] if variables else text}


def if_(condition: str, then: Any, otherwise: Any) -> dict[str, Any]:
    return {"Fn::If": [condition, then, otherwise]}


NO_VALUE = ref("AWS::NoValue")


def not_empty(parameter: str) -> dict[str, Any]:
    return {"Fn::Not": [{"Fn::Equals": [ref(parameter), ""]}]}


def equals(parameter: str, value: Any) -> dict[str, Any]:
    return {"Fn::Equals": [ref(parameter), value]}


def service_principal(service: str) -> dict[str, Any]:
    """A regional service principal such as ``logs.cn-north-1.amazonaws.com.cn`` (the URL suffix
    differs by partition)."""
    return sub(f"{service}.${{AWS::Region}}.${{AWS::URLSuffix}}")


def statement(effect: str, actions: list[str], resources: Any, sid: str | None = None,
              condition: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect, "Action": sorted(actions), "Resource": resources}
    if sid:
        out = {"Sid": sid, **out}
    if condition:
        out["Condition"] = condition
    return out


def allow(actions: list[str], resources: Any, sid: str | None = None,
          condition: dict[str, Any] | None = None) -> dict[str, Any]:
    return statement("Allow", actions, resources, sid, condition)


def deny(actions: list[str], resources: Any, sid: str | None = None) -> dict[str, Any]:
    return statement("Deny", actions, resources, sid)


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))
