"""A cold instance's first invocation (issue 20, ``bench/cold_start.py``'s first answers).

``app.py`` imports with the garbage collector off and freezes what it imported. The handlers then
import the contexts they reach on their first call (``handlers/__init__.py``), and those imports'
objects live as long as the function too: with the collector on, its passes over them during the
first request cost 10–45 ms of CPU here (the staff worklist's first answer 320 → 275 ms, a
department's first batch 304 → 275 ms). So the first invocation runs with the collector off as
well, and what it built is frozen afterwards (later collections skip it). What that request left
as cyclic garbage stays; everything else is freed by reference counting as usual. Every later
invocation passes straight through (``exchange_handler`` hands its event to the app: that inner
call passes too). Registered app-wide for every kind of event by ``api_ops``.
"""
from __future__ import annotations

import gc
from typing import Any

_answered = False


def first_invocation_without_collector(event: Any, get_response: Any) -> Any:
    global _answered
    if _answered:
        return get_response(event)
    _answered = True
    gc.disable()
    try:
        return get_response(event)
    finally:
        gc.freeze()
        gc.enable()
