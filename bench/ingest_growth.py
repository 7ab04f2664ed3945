"""Ingest as the log grows (issue 20): 50,000 events in five blocks of 10,000 (signed batches of 50,
seven-event licence cases told in real time), each block timed from its first POST until every
consumer is done. The target: the last 10,000 take at most 1.2x the first 10,000. Everything the
earlier blocks stored (events, views, counters, signals) stays in the tables.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from .ingest import Finish, post_all, stories
from .localstack import drain_notifications
from .result import Result
from .setup import declare_item, department

EVENTS = 50_000
BLOCKS = 5
DEPT = "805"
TARGET = 1.2


def run(stack: Any, events: int = EVENTS, blocks: int = BLOCKS) -> Result:
    creds = department(stack, DEPT)
    code = declare_item(stack, DEPT, "001")
    evs = stories("3203008052026", code, events, datetime.now(UTC) - timedelta(hours=3))
    size = -(-len(evs) // blocks // 7) * 7  # whole cases per block
    stack.wait_idle(120)
    seconds: list[float] = []
    cpu: list[float] = []
    finish = Finish(stack)
    try:
        for b in range(blocks):
            block = evs[b * size:(b + 1) * size]
            if not block:
                break
            drain_notifications(stack)
            started, cpu_started = time.perf_counter(), time.process_time()
            post_all(stack, creds, block)
            seconds.append(finish.wait(3600) - started)
            cpu.append(time.process_time() - cpu_started)
    finally:
        finish.remove()
    first, last = seconds[0], seconds[-1]
    return Result(
        name="ingest growth", measured=last, floor=first, unit="s", ratio=last / first, target=TARGET,
        what=f"the last {size:,} of {len(evs):,} events until every consumer is done",
        floor_what=f"the first {size:,} events",
        details={"events": len(evs), "block_events": size, "block_seconds": [round(s, 2) for s in seconds],
                 "events_per_second": [round(size / s, 1) for s in seconds],
                 # CPU seconds the whole in-process stack spent per block (moto, API, consumers):
                 # the work done, hardly moved by other programs on the machine
                 "block_cpu_seconds": [round(c, 2) for c in cpu], "cpu_ratio_last_to_first": round(cpu[-1] / cpu[0], 3)})
