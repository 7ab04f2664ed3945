"""How long a waiting task (待办) of the operation platform may wait before Step Functions reports
it: the ``HeartbeatSeconds``/``TimeoutSeconds`` of every ``.waitForTaskToken`` state, computed from
the item's limits and carried in the execution's clock (``$.clock.wait``).

The clock already holds the working-day ladder (rung *n* = the due date of an *n*-working-day limit,
from the item's step and task limits) and the case's deadline. No task of the case may legitimately
stay open past the later of the two, so:

* ``heartbeat`` — the end of that last due day (Asia/Shanghai) plus one day of grace. The task
  worker sends a heartbeat when the task reaches the worklist; a task that never reaches it, or
  that nobody completes within every limit of the item, ends the wait with
  ``States.HeartbeatTimeout``.
* ``timeout`` — the heartbeat plus the same span again: the hard ceiling, so no execution waits
  for a year (a Standard execution's maximum) whatever happens to heartbeats.

On either, the machine reports the task (a red R4 signal, 环节超时) and issues it again.
While a special procedure stops the clock (unknown rungs), the wait is the long ceiling.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from .plan import SHANGHAI

DAY = 86_400
GRACE_SECONDS = DAY
#: While the clock is stopped (a special procedure), nobody can say when the task is due.
PAUSED_HEARTBEAT_SECONDS = 180 * DAY
#: Below a Standard execution's one-year maximum, so a timeout always fires first.
MAX_TIMEOUT_SECONDS = 360 * DAY


def last_due(workdays: Sequence[str | None], case_due: str | None) -> date | None:
    """The latest deadline any task of the case may have; None while the clock is stopped."""
    if any(d is None for d in workdays):
        return None
    days = [date.fromisoformat(d) for d in workdays if d] + ([date.fromisoformat(case_due)] if case_due else [])
    return max(days) if days else None


def wait(workdays: Sequence[str | None], case_due: str | None, now: datetime) -> dict[str, int]:
    """``{"heartbeat": s, "timeout": s}`` for tasks that start at ``now``."""
    due = last_due(workdays, case_due)
    if due is None:
        heartbeat = PAUSED_HEARTBEAT_SECONDS
    else:
        end_of_due_day = datetime.combine(due + timedelta(days=1), time(0), tzinfo=SHANGHAI)
        span = max(int((end_of_due_day - now).total_seconds()), DAY)
        heartbeat = span + GRACE_SECONDS
    heartbeat = min(heartbeat, MAX_TIMEOUT_SECONDS // 2)
    timeout = min(2 * heartbeat, MAX_TIMEOUT_SECONDS)
    return {"heartbeat": heartbeat, "timeout": timeout}


def for_clock(clock: Mapping[str, Any], now: datetime) -> dict[str, int]:
    return wait(list(clock.get("workdays") or []), clock.get("case_due"), now)
