"""Build the CloudFormation template merged into the Chalice app.

``python infra/build.py [--region cn-north-1] build/merge-template.json`` writes the template that
``chalice package --merge-template`` merges into the generated one (``make package``); the local
stack (``devstack``) provisions its tables, queues, buckets, state machines and — for the IAM
proof — its roles from the same ``build()``.

The template is partition-agnostic (``${AWS::Partition}``, ``${AWS::URLSuffix}``, ``Ref``/``GetAtt``):
the same build serves every region, except that China regions get CloudFront origin access
identities and IAM server certificates (they have no origin access control), since cfn-lint checks
resource types per region.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra import api, data, functions, ops, sites, workflows  # noqa: E402
from infra.data import STREAM_TABLES, TABLES, table_logical_id  # noqa: E402,F401
from infra.workflows import placeholders, state_machine_files, state_machine_logical_id  # noqa: E402,F401

CHINA_PREFIX = "cn-"


def is_china(region: str) -> bool:
    return region.startswith(CHINA_PREFIX)


def route_functions() -> dict[tuple[str, str], str]:
    return {route: functions.BY_NAME[name].logical_id for route, name in functions.ROUTE_FUNCTIONS.items()}


def _allow_hall_origin(resources: dict[str, Any], china: bool) -> None:
    """The sites' HTTPS origins for the API's CORS answers: the hall's on public routes
    (``SUNLIT_HALL_ORIGINS``), the staff console's on every route people call
    (``SUNLIT_CONSOLE_ORIGINS``) — each its custom domain, else its CloudFront domain (the China
    regions serve the sites only on custom domains). The attachments bucket admits uploads (POST
    only) from the hall's origin (citizens' files) and the console's (documents staff attach to their acts)."""
    origins: list[Any] = []
    for site, variable in (("Hall", "SUNLIT_HALL_ORIGINS"), ("Console", "SUNLIT_CONSOLE_ORIGINS")):
        fallback: Any = "" if china else {"Fn::Sub": f"https://${{{site}Distribution.DomainName}}"}
        origin = {"Fn::If": [f"Has{site}Domain", {"Fn::Sub": f"https://${{{site}DomainName}}"}, fallback]}
        origins.append(origin)
        for fn in functions.FUNCTIONS:
            if fn.trigger == "http":
                resources[fn.logical_id]["Properties"]["Environment"]["Variables"][variable] = origin
    console_in_china = {"Fn::If": ["HasConsoleDomain", {"Fn::Sub": "https://${ConsoleDomainName}"}, {"Ref": "AWS::NoValue"}]}
    rule = {"AllowedMethods": ["POST"], "AllowedHeaders": ["*"], "MaxAge": 3000,
            "AllowedOrigins": [{"Fn::Sub": "https://${HallDomainName}"}, console_in_china] if china else origins}
    cors: Any = {"CorsRules": [rule]}
    if china:  # no custom domain, no hall: no origin may upload
        cors = {"Fn::If": ["HasHallDomain", cors, {"Ref": "AWS::NoValue"}]}
    resources["AttachmentsBucket"]["Properties"]["CorsConfiguration"] = cors


def build(region: str = "us-east-1") -> dict[str, Any]:
    china = is_china(region)
    parameters: dict[str, Any] = {}
    conditions: dict[str, Any] = {}
    for part in (data, functions, api, sites, ops):
        parameters.update(getattr(part, "PARAMETERS", {}))
        conditions.update(getattr(part, "CONDITIONS", {}))
    resources: dict[str, Any] = {}
    resources.update(data.resources())
    resources.update(functions.resources())
    resources.update(workflows.resources())
    resources.update(api.resources(route_functions()))
    resources.update(sites.resources(china))
    resources.update(ops.resources())
    _allow_hall_origin(resources, china)
    outputs: dict[str, Any] = {
        "AuditArchiveBucketName": {"Description": "Monthly audit digests under Object Lock",
                                   "Value": {"Ref": "AuditArchiveBucket"}},
        "DataKeyArn": {"Description": "The customer-managed key of tables, queues, topics and logs",
                       "Value": {"Fn::GetAtt": ["DataKey", "Arn"]}},
    }
    outputs.update(api.outputs())
    outputs.update(sites.outputs(china))
    outputs.update(ops.outputs())
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Sunlit 阳光政务 — administrative power, run openly online (一库四平台)",
        "Parameters": parameters,
        "Conditions": conditions,
        "Resources": resources,
        "Outputs": outputs,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "build" / "merge-template.json"))
    parser.add_argument("--region", default="us-east-1", help="target region (cn-north-1, cn-northwest-1 for China)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(build(args.region), ensure_ascii=False, indent=2), "utf-8")
    print(out)


if __name__ == "__main__":
    main()
