"""The cold-start benchmark's request to a fresh app (bench/cold_start.py): the API Gateway proxy
event it builds is one Chalice routes and reads as API Gateway's, and the child runs with the
environment a deployed function has. No timing here."""
from __future__ import annotations

import json

from chalice import Chalice

from bench.cold_start import alternating, lambda_environment, proxy_event


def test_the_proxy_event_reaches_the_route_with_its_parameters_headers_body_and_caller() -> None:
    app = Chalice(app_name="probe")

    @app.route("/catalog/items/{code}", methods=["POST"], content_types=["application/json"])
    def item(code: str) -> dict[str, object]:
        request = app.current_request
        assert request is not None
        return {"code": code, "query": dict(request.query_params or {}), "key": request.headers.get("x-sunlit-key"),
                "body": request.json_body, "ip": request.context["identity"]["sourceIp"]}

    event = proxy_event("POST", "/catalog/items/{code}", {"code": "320300XK001"}, query={"lang": "zh"},
                        headers={"X-Sunlit-Key": "k1"}, body=json.dumps({"n": 1}), source_ip="198.51.100.9")
    answer = app(event, None)

    assert answer["statusCode"] == 200, answer
    assert json.loads(answer["body"]) == {"code": "320300XK001", "query": {"lang": "zh"}, "key": "k1",
                                          "body": {"n": 1}, "ip": "198.51.100.9"}
    assert event["path"] == "/catalog/items/320300XK001"


def test_an_unknown_route_is_not_answered_as_found() -> None:
    app = Chalice(app_name="probe")

    @app.route("/worklist")
    def worklist() -> dict[str, object]:
        return {}

    assert app(proxy_event("GET", "/nowhere"), None)["statusCode"] != 200


def test_the_child_sees_the_stacks_settings_and_the_functions_literal_variables_only(monkeypatch) -> None:
    monkeypatch.setenv("SUNLIT_LEFT_OVER", "from the shell")
    env = lambda_environment({"SUNLIT_TABLE_PREFIX": "sunlit-local-", "SUNLIT_AWS_ENDPOINT": "http://127.0.0.1:1",
                              "AWS_DEFAULT_REGION": "us-east-1", "MOTO_PORT": "1", "UNRELATED": "x"})

    assert env["SUNLIT_TABLE_PREFIX"] == "sunlit-local-" and env["SUNLIT_AWS_ENDPOINT"] == "http://127.0.0.1:1"
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert env["PYDANTIC_DISABLE_PLUGINS"] == "__all__"  # as infra/functions.py sets it on every function
    assert "SUNLIT_LEFT_OVER" not in env and "UNRELATED" not in env
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert all(isinstance(v, str) for v in env.values())


def test_rounds_alternate_which_side_runs_first() -> None:
    assert alternating(3) == [("app", "floor"), ("floor", "app"), ("app", "floor")]
