"""How long a waiting task may wait (``runtime/domain/task_waits.py``): from the item's limits as the
execution's clock carries them, never longer than a Standard execution may run."""
from __future__ import annotations

from datetime import datetime

from chalicelib.runtime.domain.plan import SHANGHAI
from chalicelib.runtime.domain.task_waits import DAY, MAX_TIMEOUT_SECONDS, PAUSED_HEARTBEAT_SECONDS, last_due, wait

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)  # a Monday morning


def test_the_wait_runs_to_the_end_of_the_last_due_day_plus_a_day_of_grace() -> None:
    # Given a ladder whose longest limit falls due on Friday 5 June and a case due on Thursday
    ladder = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05"]
    got = wait(ladder, "2026-06-04", NOW)
    # Then the heartbeat reaches Saturday 00:00 (+08:00) plus a day, the timeout twice that
    to_saturday = int((datetime(2026, 6, 6, tzinfo=SHANGHAI) - NOW).total_seconds())
    assert got == {"heartbeat": to_saturday + DAY, "timeout": 2 * (to_saturday + DAY)}


def test_a_later_case_deadline_extends_the_wait() -> None:
    # Given a statutory deadline beyond the ladder (the conclusion waits for it)
    short = wait(["2026-06-01", "2026-06-02"], None, NOW)
    long = wait(["2026-06-01", "2026-06-02"], "2026-06-30", NOW)
    # Then the wait runs to the case's deadline
    assert long["heartbeat"] - short["heartbeat"] == 28 * DAY


def test_a_stopped_clock_waits_the_long_ceiling_and_a_past_deadline_at_least_a_day() -> None:
    # Given a special procedure that stopped the clock (unknown rungs)
    assert last_due(["2026-06-01", None, None], "2026-06-30") is None
    assert wait(["2026-06-01", None], None, NOW)["heartbeat"] == PAUSED_HEARTBEAT_SECONDS
    # Given an action entered long after every deadline passed (a back-dated paper record)
    late = wait(["2020-01-02"], "2020-01-10", NOW)
    # Then the task still gets a day before it is reported, and the timeout stays beyond the heartbeat
    assert late == {"heartbeat": 2 * DAY, "timeout": 4 * DAY}


def test_no_wait_outlives_a_standard_execution() -> None:
    # Given a deadline years away
    got = wait(["2026-06-01"], "2030-01-01", NOW)
    # Then the timeout fires before Step Functions' one-year limit, after the heartbeat
    assert got["timeout"] <= MAX_TIMEOUT_SECONDS < 365 * DAY
    assert got["heartbeat"] < got["timeout"]
