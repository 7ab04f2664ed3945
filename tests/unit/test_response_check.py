"""The edge's response check (``SUNLIT_CHECK_RESPONSES``, on in every test stack): an answer that does not
fit its route's declared model is a drift, and the caller gets a 500, never a silently wrong document."""
from __future__ import annotations

import json
from typing import Any

import pytest
from chalice import Response

from chalicelib.handlers.answers import Answer
from chalicelib.handlers.http import ResponseDrift, RouteSpec, check_response


class Thing(Answer):
    code: str
    count: int


def spec(**over: Any) -> RouteSpec:
    base: dict[str, Any] = {"path": "/things", "method": "GET", "auth": "public", "roles": (), "body": None,
                            "query": None, "status": 200, "summary": "", "tag": "t", "response": Thing}
    return RouteSpec(**{**base, **over})


def answer(body: Any, status: int = 200) -> Response:
    return Response(body=json.dumps(body), status_code=status)


def test_an_answer_that_fits_passes_and_extra_fields_are_allowed() -> None:
    check_response(spec(), answer({"code": "a", "count": 1, "more": True}))


def test_a_missing_or_mistyped_field_is_a_drift_naming_it() -> None:
    with pytest.raises(ResponseDrift, match="count"):
        check_response(spec(), answer({"code": "a"}))
    with pytest.raises(ResponseDrift, match="count"):
        check_response(spec(), answer({"code": "a", "count": "many"}))


def test_errors_and_no_content_are_not_checked_but_an_undeclared_answer_is_a_drift() -> None:
    check_response(spec(), answer({"error": {}}, 404))
    check_response(spec(status=204), Response(body="", status_code=204))
    with pytest.raises(ResponseDrift, match="declares no response model"):
        check_response(spec(response=None), answer({}))
    check_response(spec(response=None, media="application/pdf"), Response(body=b"%PDF", status_code=200))
