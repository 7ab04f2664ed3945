"""Building and reading exchange events (交换事件), docs/CONTRACT.md §5.

``build`` turns a typed ``data`` model into one event ready to post; the event ``type`` comes from
the model (``AcceptedData`` → ``"accepted"``). ``read_events`` reads a file of events as JSON
(``{"events": [...]}`` or a bare list) or JSON Lines (one event per line).

    from datetime import datetime
    from sunlit_client import events, models

    ev = events.build(models.AcceptedData(status="accepted", query_password="834205"),
                      case_no="3203000152012000123", item_code="320300015XK00400",
                      occurred_at=datetime.fromisoformat("2012-06-04T09:30:00+08:00"),
                      actor=models.Actor(name="王某", staff_no="E0123"))
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from . import models

Event = dict[str, Any]


class EventFileError(ValueError):
    """A file of events could not be read; the message names the line."""


def default_event_id(case_no: str, event_type: str, qualifier: str | int | None = None) -> str:
    """A stable ``event_id`` for one act on a case (``<case_no>-<type>[-<qualifier>]``).

    Re-sending the same act must reuse the same id: that is what makes retries safe (the platform
    answers ``duplicate`` and stores nothing twice). Steps and special procedures happen more than
    once per case, so give them a qualifier (the step code, the procedure's serial number).
    """
    return f"{case_no}-{event_type}" + (f"-{qualifier}" if qualifier not in (None, "") else "")


def build(data: models.EventData, *, case_no: str, item_code: str, occurred_at: datetime,
          event_id: str | None = None, data_version: int = 1, actor: models.Actor | None = None) -> Event:
    """One event as the API expects it (validated against the contract's schema, JSON-ready)."""
    if not data.TYPE:
        raise TypeError("data must be one of the typed models (SubmittedData, AcceptedData, …)")
    qualifier = getattr(data, "step_code", None) or getattr(data, "seq", None)
    envelope = models.EventEnvelope.model_validate({
        "event_id": event_id or default_event_id(case_no, data.TYPE, qualifier), "case_no": case_no,
        "item_code": item_code, "type": data.TYPE, "occurred_at": occurred_at, "data_version": data_version,
        "actor": actor, "data": data.model_dump(mode="json", exclude_none=True, by_alias=True)})
    return envelope.model_dump(mode="json", exclude_none=True, by_alias=True)


def validate(event: Event) -> list[dict[str, Any]]:
    """Problems the platform would reject ``event`` for, in the contract's ``details`` shape
    (``[{"field", "type", "message"}]``); empty when the event fits the schema."""
    from pydantic import ValidationError

    problems: list[dict[str, Any]] = []
    try:
        models.EventEnvelope.model_validate(event)
    except ValidationError as exc:
        problems += _details(exc)
    model = models.DATA_MODELS.get(str(event.get("type")))
    if model is not None:
        try:
            model.model_validate(event.get("data") or {})
        except ValidationError as exc:
            problems += _details(exc, "data")
    return problems


def _details(exc: Any, prefix: str = "") -> list[dict[str, Any]]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        field = ".".join([prefix, *map(str, err["loc"])] if prefix else map(str, err["loc"]))
        out.append({"field": field, "type": err["type"], "message": err["msg"]})
    return out


def parse_events(text: str, name: str = "<input>") -> list[Event]:
    """Events from JSON (``{"events": [...]}`` or ``[...]``) or JSON Lines text."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        return []
    if stripped[0] in "[{":
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError:
            doc = None  # perhaps JSON Lines: one object per line
        if isinstance(doc, dict) and isinstance(doc.get("events"), list):
            return list(doc["events"])
        if isinstance(doc, list):
            return doc
        if isinstance(doc, dict) and "event_id" in doc:
            return [doc]
        if doc is not None:
            raise EventFileError(f"{name}: 应为 {{\"events\": [...]}}、事件数组或 JSON Lines")
    events: list[Event] = []
    for number, line in enumerate(stripped.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EventFileError(f"{name} 第 {number} 行不是有效的 JSON：{exc.msg}") from None
    return events


def read_events(source: str | Path | TextIO) -> list[Event]:
    """Events from a file path or an open text stream (``-`` in the CLI is standard input)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        return parse_events(path.read_text("utf-8-sig"), str(path))
    return parse_events(source.read(), getattr(source, "name", "<stdin>"))


def chunks(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    """Consecutive batches of at most ``size`` events, in order."""
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
