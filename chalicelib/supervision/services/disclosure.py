"""R15 (依申请公开超期) run against requests for disclosure: from the cases stream (each stored
summary) and from the timer (the deadline index of open requests), like R1–R14 for cases."""
from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from chalicelib.disclosure.domain.summary import RequestSummary
from chalicelib.disclosure.repositories import RequestDeadlines, Requests
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.ports import ConditionFailedError

from ..domain.disclosure_rules import r15_event_signals, r15_signals
from . import oversight


def supervise_request(deps: Deps, body: dict[str, Any]) -> int:
    """A request's summary changed: raise what its acts show (a late clarification, a late answer)."""
    return oversight.raise_all(deps, r15_event_signals(RequestSummary.model_validate(body)))


def sweep_requests(deps: Deps, as_of: datetime) -> int:
    """Open requests whose due day has ended by ``as_of``: the red R15 (idempotent)."""
    deadlines, requests = RequestDeadlines(deps.stores), Requests(deps.stores)
    raised = 0
    cursor = None
    while True:
        page = deadlines.due(as_of, cursor)
        for it in page.items:
            found = requests.summary(str(it.body["request_no"]))
            if found is not None:
                raised += oversight.raise_all(deps, r15_signals(found[0], as_of))
            with contextlib.suppress(ConditionFailedError):
                deadlines.done(it)
        cursor = page.next
        if not cursor:
            break
    return raised
