"""What every benchmark reports: its numbers, its floor, and the ratio against a target."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """One benchmark's outcome. ``ratio`` is measured / floor (lower is better); ``target`` the
    ratio the issue asks for. ``details`` carries the raw numbers for ``build/bench.json``."""

    name: str
    measured: float
    floor: float
    unit: str
    ratio: float
    target: float
    what: str
    floor_what: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def meets_target(self) -> bool:
        return self.ratio <= self.target

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "meets_target": self.meets_target}


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of ``fn`` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_seconds(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    samples = [timed(fn) for _ in range(runs)]
    return statistics.median(samples), samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
