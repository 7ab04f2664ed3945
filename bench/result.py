"""What every benchmark reports: its figure, its floor, and how it compares with its target."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """One benchmark's outcome.

    ``target_kind`` says how the target reads: ``ratio`` — ``measured / floor`` (both measured in the
    same run on the same machine) at most ``target``; ``absolute`` — ``measured`` itself at most
    ``target`` (kilobytes, milliseconds, dollars), with ``floor`` (when given) the figure it is built
    on, for context. ``details`` carries the raw numbers for ``build/bench.json``.
    """

    name: str
    measured: float
    floor: float | None
    unit: str
    ratio: float | None
    target: float
    what: str
    floor_what: str
    details: dict[str, Any] = field(default_factory=dict)
    target_kind: str = "ratio"

    @classmethod
    def absolute(cls, name: str, measured: float, unit: str, target: float, what: str, *,
                 floor: float | None = None, floor_what: str = "", details: dict[str, Any] | None = None) -> Result:
        return cls(name=name, measured=measured, floor=floor, unit=unit, ratio=None, target=target, what=what,
                   floor_what=floor_what, details=details or {}, target_kind="absolute")

    @property
    def meets_target(self) -> bool:
        if self.target_kind == "absolute":
            return self.measured <= self.target
        return self.ratio is not None and self.ratio <= self.target

    def target_text(self) -> str:
        if self.target_kind == "absolute":
            return f"≤ {self.target:g} {self.unit}"
        return f"≤ {self.target:g}x"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "meets_target": self.meets_target, "target_text": self.target_text()}


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
