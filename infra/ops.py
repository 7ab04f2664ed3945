"""Operating the stack: alarms to an ops SNS topic (stream iterator age, dead-letter queue depth,
function errors and throttles, failed or timed-out executions, API 5xx) and one CloudWatch
dashboard with the same signals."""
from __future__ import annotations

import json
from typing import Any

from .api import STAGE
from .cfn import not_empty, ref, sub
from .functions import BY_NAME, FUNCTIONS, STATE_MACHINES, STREAM_CONSUMERS

PARAMETERS: dict[str, Any] = {
    "AlarmEmail": {"Type": "String", "Default": "",
                   "Description": "Optional e-mail address subscribed to the ops topic (confirm the mail). "
                                  "Add SMS or a chat webhook subscriber to the OpsTopicArn output later."},
    "IteratorAgeAlarmSeconds": {"Type": "Number", "Default": 300, "MinValue": 60,
                                "Description": "Alarm when a stream consumer falls this far behind."},
}
CONDITIONS: dict[str, Any] = {"HasAlarmEmail": not_empty("AlarmEmail")}
DLQS = ("StreamDeadLetterQueue", "TasksDeadLetterQueue")


def _alarm(description: str, namespace: str, metric: str, dimensions: dict[str, Any], *, statistic: str = "Sum",
           threshold: Any = 1, period: int = 300, periods: int = 1) -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmDescription": description, "Namespace": namespace, "MetricName": metric,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
        "Statistic": statistic, "Period": period, "EvaluationPeriods": periods, "DatapointsToAlarm": periods,
        "Threshold": threshold, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching", "AlarmActions": [ref("OpsTopic")], "OKActions": [ref("OpsTopic")]}}


def alarms() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fn in FUNCTIONS:
        dims = {"FunctionName": ref(fn.logical_id)}
        out[f"{fn.logical_id}ErrorsAlarm"] = _alarm(f"{fn.logical_id}: function errors", "AWS/Lambda", "Errors", dims)
        out[f"{fn.logical_id}ThrottlesAlarm"] = _alarm(f"{fn.logical_id}: throttled invocations", "AWS/Lambda",
                                                       "Throttles", dims)
    for name in STREAM_CONSUMERS:
        fn = BY_NAME[name]
        out[f"{fn.logical_id}IteratorAgeAlarm"] = _alarm(
            f"{fn.logical_id} is behind its stream", "AWS/Lambda", "IteratorAge", {"FunctionName": ref(fn.logical_id)},
            statistic="Maximum", threshold={"Fn::Sub": ["${S}000", {"S": ref("IteratorAgeAlarmSeconds")}]},
            period=60, periods=3)
    for q in DLQS:
        out[f"{q}DepthAlarm"] = _alarm(f"{q}: records parked after their retries", "AWS/SQS",
                                       "ApproximateNumberOfMessagesVisible", {"QueueName": {"Fn::GetAtt": [q, "QueueName"]}},
                                       statistic="Maximum", period=60)
    for m in STATE_MACHINES:
        dims = {"StateMachineArn": ref(f"{m}StateMachine")}
        out[f"{m}ExecutionsFailedAlarm"] = _alarm(f"{m} state machine: failed executions", "AWS/States",
                                                  "ExecutionsFailed", dims)
        out[f"{m}ExecutionsTimedOutAlarm"] = _alarm(f"{m} state machine: timed-out executions", "AWS/States",
                                                    "ExecutionsTimedOut", dims)
    out["Api5xxAlarm"] = _alarm("API answered 5xx", "AWS/ApiGateway", "5XXError",
                                {"ApiName": ref("AWS::StackName"), "Stage": STAGE})
    return out


def dashboard() -> dict[str, Any]:
    """Widgets over the same metrics as the alarms; ``${…}`` are resolved by ``Fn::Sub``."""
    region = "${AWS::Region}"

    def widget(title: str, metrics: list[list[Any]], x: int, y: int, stat: str = "Sum") -> dict[str, Any]:
        return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6,
                "properties": {"title": title, "region": region, "stat": stat, "period": 300, "view": "timeSeries",
                               "metrics": metrics}}

    fns = [f"${{{fn.logical_id}}}" for fn in FUNCTIONS]
    api = ["AWS/ApiGateway", "{m}", "ApiName", "${AWS::StackName}", "Stage", STAGE]
    widgets = [
        widget("API requests and errors", [[*api[:1], m, *api[2:]] for m in ("Count", "4XXError", "5XXError")], 0, 0),
        widget("API latency (p90, ms)", [["AWS/ApiGateway", "Latency", "ApiName", "${AWS::StackName}", "Stage", STAGE]],
               12, 0, stat="p90"),
        widget("Function errors", [["AWS/Lambda", "Errors", "FunctionName", f] for f in fns], 0, 6),
        widget("Function throttles", [["AWS/Lambda", "Throttles", "FunctionName", f] for f in fns], 12, 6),
        widget("Stream consumers behind (ms)", [["AWS/Lambda", "IteratorAge", "FunctionName",
                                                 f"${{{BY_NAME[c].logical_id}}}"] for c in STREAM_CONSUMERS],
               0, 12, stat="Maximum"),
        widget("Dead-letter queues", [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                                       f"${{{q}.QueueName}}"] for q in DLQS], 12, 12, stat="Maximum"),
        widget("Cases run natively (executions)", [
            ["AWS/States", metric, "StateMachineArn", f"${{{m}StateMachine}}"]
            for m in STATE_MACHINES for metric in ("ExecutionsStarted", "ExecutionsFailed", "ExecutionsTimedOut")],
            0, 18),
        widget("Function duration (p90, ms)", [["AWS/Lambda", "Duration", "FunctionName", f] for f in fns], 12, 18,
               stat="p90"),
    ]
    body = json.dumps({"widgets": widgets}, ensure_ascii=False)
    return {"Type": "AWS::CloudWatch::Dashboard", "Properties": {
        "DashboardName": sub("${AWS::StackName}-operations"), "DashboardBody": sub(body)}}


def resources() -> dict[str, Any]:
    out: dict[str, Any] = {
        "OpsTopic": {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": sub("${AWS::StackName}-ops"), "KmsMasterKeyId": ref("DataKey")}},
        "OpsTopicEmail": {"Type": "AWS::SNS::Subscription", "Condition": "HasAlarmEmail", "Properties": {
            "TopicArn": ref("OpsTopic"), "Protocol": "email", "Endpoint": ref("AlarmEmail")}},
        "OperationsDashboard": dashboard(),
    }
    out.update(alarms())
    return out


def outputs() -> dict[str, Any]:
    return {
        "OpsTopicArn": {"Description": "Alarms are published here: subscribe the on-call (e-mail, SMS, webhook)",
                        "Value": ref("OpsTopic")},
        "DashboardName": {"Description": "The operations dashboard (CloudWatch, Dashboards)",
                          "Value": sub("${AWS::StackName}-operations")},
    }
