"""`make package`: the infra/ definition packaged by `chalice package --merge-template` for AWS — a
global region and the China regions — read back as a cloud reviewer would (issue 16). Each check
names what a real deployment would otherwise discover the hard way; cfn-lint checks the rest,
for the region each template is for (resource types and properties differ by region)."""
from __future__ import annotations

import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REGIONS = ("us-east-1", "cn-north-1")
READ_PREFIXES = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "Head", "Lookup", "Search", "Select")
#: Write actions that have no resource-level permissions in IAM (X-Ray's telemetry).
STAR_ONLY_WRITES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
DEFAULT_ACCOUNT_CONCURRENCY, UNRESERVED_MINIMUM = 1000, 100


def package(region: str, out: Path, *, with_bytecode: bool) -> Path:
    env = {**os.environ, "AWS_DEFAULT_REGION": region}
    merge = out.parent / f"merge-{region}.json"
    subprocess.run([sys.executable, str(ROOT / "infra" / "build.py"), "--region", region, str(merge)], check=True,
                   env=env, capture_output=True)
    if with_bytecode:
        # (an ordinary import may have left a timestamp pyc behind: it must not be what ships)
        py_compile.compile(str(ROOT / "chalicelib" / "wiring.py"),
                           invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
        subprocess.run([sys.executable, str(ROOT / "infra" / "bytecode.py")], check=True, env=env, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "clients" / "python" / "tools" / "vendor_signer.py")], check=True,
                   env=env, capture_output=True)
    chalice = shutil.which("chalice", path=str(BIN)) or "chalice"
    subprocess.run([chalice, "package", "--stage", "prod", "--merge-template", str(merge), str(out)],
                   check=True, cwd=ROOT, env=env, capture_output=True, timeout=600)
    if with_bytecode:
        subprocess.run([sys.executable, str(ROOT / "infra" / "bytecode.py"), "--zip", str(out / "deployment.zip")],
                       check=True, env=env, capture_output=True)
    return out


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("package")
    return {region: package(region, base / region, with_bytecode=region == REGIONS[0]) for region in REGIONS}


def template(packaged: dict[str, Path], region: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((packaged[region] / "sam.json").read_text("utf-8"))
    return loaded


def of_type(t: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in t["Resources"].items() if v["Type"] == kind}


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


def refers_to(value: Any) -> set[str]:
    """Logical IDs a value refers to (Ref, GetAtt, ${…} in Sub)."""
    text = json.dumps(value)
    return (set(re.findall(r'"Ref": "([A-Za-z0-9]+)"', text)) | set(re.findall(r'"Fn::GetAtt": \["([A-Za-z0-9]+)"', text))
            | set(re.findall(r"\$\{([A-Za-z0-9]+)[.}]", text)))


# ----------------------------------------------------------------------------- both regions


@pytest.mark.parametrize("region", REGIONS)
def test_the_template_passes_cfn_lint_for_its_region(packaged: dict[str, Path], region: str) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": region}
    lint = subprocess.run([shutil.which("cfn-lint", path=str(BIN)) or "cfn-lint", "--regions", region, "--",
                           str(packaged[region] / "sam.json")], capture_output=True, text=True, env=env, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize("region", REGIONS)
def test_no_partition_region_or_account_is_written_into_the_template(packaged: dict[str, Path], region: str) -> None:
    def without_descriptions(value: Any) -> Any:  # (a description may name where a certificate lives)
        if isinstance(value, dict):
            return {k: without_descriptions(v) for k, v in value.items() if k != "Description"}
        return [without_descriptions(v) for v in value] if isinstance(value, list) else value

    text = json.dumps(without_descriptions(template(packaged, region)), ensure_ascii=False)
    # Every ARN is built from ${AWS::Partition} (aws-cn in China) or comes from Ref/GetAtt
    assert not re.findall(r"arn:aws[a-z-]*:", text)
    assert "amazonaws.com.cn" not in text and not re.findall(r"\b\d{12}\b", text)
    assert not re.findall(r"\b(?:us|eu|ap|cn|sa|ca|me|af)-[a-z]+-\d\b", text)
    # And no resource is named after a fixed stack: any stack name works
    assert "sunlit-" not in text.replace('"app=sunlit"', "")


@pytest.mark.parametrize("region", REGIONS)
def test_one_role_per_function_and_no_write_on_every_resource(packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    functions = of_type(t, "AWS::Serverless::Function")
    assert {"APIHandler", "ExchangeHandler", "ProjectEvents", "SuperviseCases", "LegalCheckCases", "TaskWorker",
            "ScheduledSweep", "NightlyPublish", "ExportAuditDigests"} == set(functions)
    roles = {name: fn["Properties"]["Role"] for name, fn in functions.items()}
    # Each function assumes a role of its own, defined in this template (no shared role)
    assert all(isinstance(r, dict) and "Fn::GetAtt" in r for r in roles.values())
    assert len({r["Fn::GetAtt"][0] for r in roles.values()}) == len(functions)
    for name, role_ref in roles.items():
        role = t["Resources"][role_ref["Fn::GetAtt"][0]]
        assert role["Type"] == "AWS::IAM::Role" and "ManagedPolicyArns" not in role["Properties"], name
        for s in statements(role):
            if s["Effect"] != "Allow":
                continue
            # Nothing writes to "*": every write names its resources (by Ref/GetAtt)
            writes = {a for a in listed(s["Action"]) if not a.split(":", 1)[1].startswith(READ_PREFIXES)}
            if "*" in listed(s["Resource"]):
                assert writes <= STAR_ONLY_WRITES, (name, sorted(writes))
            else:
                for resource in listed(s["Resource"]):
                    assert isinstance(resource, dict), (name, resource)  # never a literal ARN
        # And every role denies rewriting the append-only records
        denies = [s for s in statements(role) if s["Effect"] == "Deny"]
        assert {"dynamodb:UpdateItem", "dynamodb:DeleteItem"} <= set(denies[0]["Action"]), name
        assert refers_to(denies[0]["Resource"]) == {"EventsTable", "AuditTable"}, name


@pytest.mark.parametrize("region", REGIONS)
def test_each_mapped_function_may_do_what_its_event_source_mapping_does_with_its_role(
        packaged: dict[str, Path], region: str) -> None:
    # (the local pollers emulate these calls under the function's role; these are the ones they skip)
    t = template(packaged, region)
    for name, mapping in of_type(t, "AWS::Lambda::EventSourceMapping").items():
        p = mapping["Properties"]
        fn = p["FunctionName"]["Ref"]
        role = t["Resources"][t["Resources"][fn]["Properties"]["Role"]["Fn::GetAtt"][0]]
        granted = {(a, json.dumps(r)) for s in statements(role) if s["Effect"] == "Allow"
                   for a in listed(s["Action"]) for r in listed(s["Resource"])}
        source = json.dumps(p["EventSourceArn"])
        if "StreamArn" in source:
            needed = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
            assert {(a, source) for a in needed} <= granted, name
            assert ("dynamodb:ListStreams", '"*"') in granted, name
            destination = json.dumps(p["DestinationConfig"]["OnFailure"]["Destination"])
            assert ("sqs:SendMessage", destination) in granted, name
        else:
            needed = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
            assert {(a, source) for a in needed} <= granted, name


@pytest.mark.parametrize("region", REGIONS)
def test_the_packaged_roles_are_the_ones_the_local_stack_enforces(packaged: dict[str, Path], region: str) -> None:
    # devstack/iam.py creates each function's role from infra/build.py's template; the packaged one is the same
    sys.path.insert(0, str(ROOT))
    from infra.build import build

    built = build(region)["Resources"]
    t = template(packaged, region)
    for name, role in of_type(t, "AWS::IAM::Role").items():
        assert role["Properties"] == built[name]["Properties"], name
    for name, fn in of_type(t, "AWS::Serverless::Function").items():
        assert fn["Properties"]["Role"] == built[name]["Properties"]["Role"], name


@pytest.mark.parametrize("region", REGIONS)
def test_the_state_machines_may_only_send_to_their_queue(packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    machines = of_type(t, "AWS::StepFunctions::StateMachine")
    assert len(machines) == 4  # license, penalty, service, coercion (行政强制, issue #18)
    for name, machine in machines.items():
        p = machine["Properties"]
        assert p["RoleArn"] == {"Fn::GetAtt": ["StateMachineRole", "Arn"]}
        assert p["TracingConfiguration"] == {"Enabled": True}, name
        # the partition reaches the definition through its substitutions only
        assert p["DefinitionSubstitutions"]["SqsWaitForTaskToken"] == {
            "Fn::Sub": "arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken"}
        assert "arn:" not in json.dumps(p["Definition"])
    granted = {(a, json.dumps(s["Resource"])) for s in statements(t["Resources"]["StateMachineRole"])
               for a in listed(s["Action"]) if not a.startswith(("xray:", "kms:"))}
    assert granted == {("sqs:SendMessage", json.dumps({"Fn::GetAtt": ["TasksQueue", "Arn"]}))}


@pytest.mark.parametrize("region", REGIONS)
def test_the_api_is_regional_throttled_traced_and_logged_with_source_ips(packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    api = t["Resources"]["RestAPI"]["Properties"]
    assert api["EndpointConfiguration"] == {"Type": "REGIONAL"}
    assert api["TracingEnabled"] is True
    access = api["AccessLogSetting"]
    assert "$context.identity.sourceIp" in access["Format"]
    group = t["Resources"][access["DestinationArn"]["Fn::GetAtt"][0]]
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    # Stage throttling, and tighter limits on every public POST route
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in api["MethodSettings"]}
    assert settings[("/*", "*")]["ThrottlingRateLimit"] == {"Ref": "ApiThrottleRateLimit"}
    for path in ("/applications", "/complaints", "/consultations", "/cases/{case_no}/evaluation"):
        route = settings[("/" + path.replace("/", "~1"), "POST")]
        assert route["ThrottlingRateLimit"] == {"Ref": "PublicPostRateLimit"}, path
    # API Gateway's own refusals answer in the contract's error shape
    throttled = api["GatewayResponses"]["THROTTLED"]
    assert throttled["StatusCode"] == "429"
    assert json.loads(throttled["ResponseTemplates"]["application/json"])["error"]["code"] == "RATE_LIMITED"
    # The optional WAF: a regional web ACL with rate-based rules, attached to the stage
    acl = t["Resources"]["ApiWebAcl"]
    assert acl["Condition"] == "UseWaf" and acl["Properties"]["Scope"] == "REGIONAL"
    assert all("RateBasedStatement" in r["Statement"] for r in acl["Properties"]["Rules"])
    assert t["Resources"]["ApiWebAclAssociation"]["Condition"] == "UseWaf"


@pytest.mark.parametrize("region", REGIONS)
def test_the_exchange_runs_in_its_own_function_with_reserved_concurrency(packaged: dict[str, Path],
                                                                          region: str) -> None:
    t = template(packaged, region)
    route = t["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]["/exchange/events"]["post"]
    assert "${ExchangeHandler.Arn}" in route["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
    assert "ExchangeHandler" in refers_to(t["Resources"]["ExchangeHandlerInvokePermission"])
    # Reservations a default account (1,000 concurrent, 100 kept unreserved) can deploy; 0 turns one off
    params = t["Parameters"]
    reserved = 0
    for fn, parameter in (("APIHandler", "ApiReservedConcurrency"), ("ExchangeHandler", "ExchangeReservedConcurrency")):
        value = t["Resources"][fn]["Properties"]["ReservedConcurrentExecutions"]
        assert value["Fn::If"][1] == {"Ref": parameter} and value["Fn::If"][2] == {"Ref": "AWS::NoValue"}
        reserved += int(params[parameter]["Default"])
    assert 0 < reserved <= DEFAULT_ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM
    assert int(params["ExchangeReservedConcurrency"]["Default"]) > 0


@pytest.mark.parametrize("region", REGIONS)
def test_every_function_logs_json_kept_at_least_180_days(packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    retention = t["Parameters"]["LogRetentionDays"]
    assert int(retention["Default"]) >= 180 and min(int(v) for v in retention["AllowedValues"]) >= 180
    for name, fn in of_type(t, "AWS::Serverless::Function").items():
        logging = fn["Properties"]["LoggingConfig"]
        assert logging["LogFormat"] == "JSON" and logging["ApplicationLogLevel"] == {"Ref": "LogLevel"}, name
        group = t["Resources"][logging["LogGroup"]["Ref"]]
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name
        assert group["DeletionPolicy"] == "Retain", name
        assert fn["Properties"]["Tracing"] == "Active", name
    for name, group in of_type(t, "AWS::Logs::LogGroup").items():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, name


@pytest.mark.parametrize("region", REGIONS)
def test_alarms_watch_what_fails_silently_and_tell_the_ops_topic(packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    alarms = of_type(t, "AWS::CloudWatch::Alarm").values()
    watched = {(a["Properties"]["MetricName"], json.dumps(a["Properties"]["Dimensions"])) for a in alarms}

    def has(metric: str, resource: str) -> bool:
        return any(m == metric and resource in dims for m, dims in watched)

    for fn in of_type(t, "AWS::Serverless::Function"):
        assert has("Errors", f'"{fn}"') and has("Throttles", f'"{fn}"'), fn
    for mapping in of_type(t, "AWS::Lambda::EventSourceMapping").values():
        if "StreamArn" in json.dumps(mapping["Properties"]["EventSourceArn"]):
            assert has("IteratorAge", json.dumps(mapping["Properties"]["FunctionName"]["Ref"]))
    for queue in ("StreamDeadLetterQueue", "TasksDeadLetterQueue"):
        assert has("ApproximateNumberOfMessagesVisible", queue), queue
    for machine in of_type(t, "AWS::StepFunctions::StateMachine"):
        assert has("ExecutionsFailed", machine) and has("ExecutionsTimedOut", machine), machine
    assert any(m == "5XXError" for m, _ in watched)
    assert all(a["Properties"]["AlarmActions"] == [{"Ref": "OpsTopic"}] for a in alarms)
    assert of_type(t, "AWS::CloudWatch::Dashboard")


@pytest.mark.parametrize("region", REGIONS)
def test_records_survive_the_stack_and_are_encrypted_with_the_stacks_own_key(packaged: dict[str, Path],
                                                                          region: str) -> None:
    t = template(packaged, region)
    tables = of_type(t, "AWS::DynamoDB::Table")
    assert len(tables) == 8
    for name, table in tables.items():
        p = table["Properties"]
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name
        assert p["DeletionProtectionEnabled"] is True, name
        assert p["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert p["SSESpecification"]["SSEType"] == "KMS" and refers_to(p["SSESpecification"]) == {"DataKey"}, name
    for name in ("EventsTable", "AuditTable"):  # append-only for everyone, by resource policy too
        deny = tables[name]["Properties"]["ResourcePolicy"]["PolicyDocument"]["Statement"][0]
        assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and "dynamodb:UpdateItem" in deny["Action"]
    key = t["Resources"]["DataKey"]
    assert key["DeletionPolicy"] == "Retain" and key["Properties"]["EnableKeyRotation"] is True
    for name, q in of_type(t, "AWS::SQS::Queue").items():
        assert q["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}, name
    for name, topic in of_type(t, "AWS::SNS::Topic").items():
        assert topic["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}, name
    # The audit digests: Object Lock, the stack's key, kept whatever happens to the stack
    archive = t["Resources"]["AuditArchiveBucket"]
    assert archive["DeletionPolicy"] == "Retain" and archive["Properties"]["ObjectLockEnabled"] is True
    assert archive["Properties"]["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"] == {
        "Ref": "AuditArchiveLockMode"}
    assert t["Parameters"]["AuditArchiveLockMode"]["Default"] == "COMPLIANCE"
    assert refers_to(archive["Properties"]["BucketEncryption"]) == {"DataKey"}


@pytest.mark.parametrize("region", REGIONS)
def test_the_hall_and_the_console_are_private_buckets_behind_https_with_strict_headers(
        packaged: dict[str, Path], region: str) -> None:
    t = template(packaged, region)
    for site in ("Hall", "Console"):
        bucket = t["Resources"][f"{site}Bucket"]["Properties"]
        assert "WebsiteConfiguration" not in bucket
        assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
        config = t["Resources"][f"{site}Distribution"]["Properties"]["DistributionConfig"]
        origin = config["Origins"][0]
        if region.startswith("cn-"):  # no origin access control in China: an origin access identity
            assert "OriginAccessIdentity" in json.dumps(origin["S3OriginConfig"])
            assert t["Resources"][f"{site}Distribution"]["Condition"] == f"Has{site}Domain"
        else:
            assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SitesOriginAccessControl", "Id"]}
        for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
            assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
            assert behavior["ResponseHeadersPolicyId"] == {"Ref": f"{site}HeadersPolicy"}
        # A custom domain and certificate are parameters
        assert refers_to(config["Aliases"]) >= {f"{site}DomainName"}
        policy = t["Resources"][f"{site}HeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
        security = policy["SecurityHeadersConfig"]
        csp = json.dumps(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
        assert security["ContentTypeOptions"] == {"Override": True}
        assert security["FrameOptions"]["FrameOption"] == "DENY"
        # The bucket answers CloudFront only, over TLS only
        reader = json.dumps(t["Resources"][f"{site}BucketPolicy"]["Properties"]["PolicyDocument"])
        assert "aws:SecureTransport" in reader and ("cloudfront.amazonaws.com" in reader or "CanonicalUser" in reader)
    assert {"CertificateArn", "IamCertificateId", "HallDomainName", "ConsoleDomainName"} <= set(t["Parameters"])


# ----------------------------------------------------------------------------- the deployment package


def test_the_deployment_zip_ships_checked_bytecode_and_imports_alone(packaged: dict[str, Path],
                                                                    tmp_path: Path) -> None:
    # The deployment zip ships bytecode for our code and the vendored libraries (a cold start on
    # Lambda's read-only disk would otherwise compile every module), checked-hash so it cannot go stale
    out = packaged[REGIONS[0]]
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(out / "deployment.zip") as bundle:
        names = set(bundle.namelist())
        for pkg in ("chalicelib", "pydantic", "pynamodb"):
            sources = {n for n in names if n.startswith(f"{pkg}/") and n.endswith(".py")}
            pycs = {n for n in names if n.startswith(f"{pkg}/") and n.endswith(f".{tag}.pyc")}
            assert len(pycs) == len(sources) > 10, pkg
        flags = {int.from_bytes(bundle.read(n)[4:8], "little") for n in names if n.endswith(f".{tag}.pyc")}
    assert flags == {0b11}, "checked-hash pyc (PEP 552)"
    t = template(packaged, REGIONS[0])
    assert t["Resources"]["EventsTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "KEYS_ONLY"
    assert t["Resources"]["CasesTable"]["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_IMAGE"
    # And API Gateway passes the .xlsx downloads through as binary
    api_body = t["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in \
        api_body["x-amazon-apigateway-binary-media-types"]

    # And the zip carries the one request signer (vendored from clients/python) and the locked libraries,
    # but neither the CLI nor the Word libraries (they stay off the API's import path)
    assert "sunlit_client/signing.py" in names and "sunlit_client/__init__.py" in names
    assert not {n for n in names if n.startswith(("sunlit_client/cli", "docx/", "docxtpl/", "click/"))}
    assert any(n.startswith("openpyxl/") for n in names), "the .xlsx downloads' library is vendored"
    locked = {line.split("==")[0].lower().replace("-", "_") for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line}
    assert {"pydantic", "pynamodb", "openpyxl", "chinesecalendar"} <= locked

    # And `import app` works from the zip's contents alone: no site-packages, no source tree
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out / "deployment.zip") as bundle:
        bundle.extractall(unpacked)
    probe = ("import os, sys; sys.path.insert(0, os.getcwd()); import app, sunlit_client.signing as s; "
             "assert s.__file__.startswith(os.getcwd()), s.__file__; "
             "from chalicelib.identity.domain.signing import sign_request; "
             "print(sign_request('s3cr3t-015', '1349050000', 'POST', '/exchange/events', b'{\"events\":[]}'), "
             "sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'docx', 'docxtpl', 'click')))")
    run = subprocess.run([sys.executable, "-S", "-c", probe], cwd=unpacked, capture_output=True, text=True, timeout=120,
                         env={"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1",
                              "PYTHONDONTWRITEBYTECODE": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["115ca0fbecd88e1af8d056a4441ed733246eba3a0e3f99150ef5837b6f470406", "[]"], run.stdout
