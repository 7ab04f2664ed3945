"""`/openapi.json` documents the exchange body with typed event schemas (docs/CONTRACT.md §5): a vendor's
generator or validator sees each event type and its data, not `{}`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sunlit_client import events, models


def _document() -> dict[str, Any]:
    import app  # noqa: F401 - registers every route
    from chalicelib.cases.domain.events import DATA_MODELS
    from chalicelib.handlers.openapi import document

    doc = document()
    assert set(DATA_MODELS)  # every type documented below
    return doc


def test_the_document_is_valid_openapi_with_a_typed_exchange_body() -> None:
    doc = _document()
    validate(doc)
    op = doc["paths"]["/exchange/events"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ExchangeBatch"}
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ExchangeResults"}
    items = doc["components"]["schemas"]["ExchangeBatch"]["properties"]["events"]
    assert items["maxItems"] == 500
    mapping = items["items"]["discriminator"]["mapping"]
    assert mapping["accepted"] == "#/components/schemas/AcceptedEvent"
    accepted = doc["components"]["schemas"]["AcceptedEvent"]
    assert accepted["properties"]["data"] == {"$ref": "#/components/schemas/AcceptedData"}
    assert "query_password" in doc["components"]["schemas"]["AcceptedData"]["properties"]


def test_events_built_with_the_client_fit_the_published_schema() -> None:
    doc = _document()
    validator = Draft202012Validator({**doc, "$ref": "#/components/schemas/ExchangeBatch"})
    at = datetime.fromisoformat("2012-06-04T09:30:00+08:00")
    batch = {"events": [
        events.build(models.AcceptedData(status="accepted", query_password="pw-0001"), case_no="C-0001",
                     item_code="320300015XK00400", occurred_at=at),
        events.build(models.ConcludedData(result_code=0, cert_no="X"), case_no="C-0001",
                     item_code="320300015XK00400", occurred_at=at),
    ]}
    assert list(validator.iter_errors(batch)) == []
    wrong = {"events": [{**batch["events"][1], "data": {"result_code": 9}}]}
    assert list(validator.iter_errors(wrong))
