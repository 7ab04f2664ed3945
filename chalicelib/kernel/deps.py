"""The dependencies a use case may reach, passed down explicitly (cosmicpython's bootstrap).

``wiring`` builds a :class:`Deps` per call from its long-lived parts and the handlers hand it to
the services; nothing below the handlers fetches a collaborator for itself. Tests build their
own ``Deps`` with fakes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from .calendar import Calendar
from .periods import local_date
from .ports import FileStore, Keys, Notifier, ProcessRunner, Publisher, Stores
from .rules_config import RuleConfig

V = TypeVar("V", contravariant=True)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant (timezone-aware)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Source(Protocol):
    """A cached value (the calendar, the rule parameters): ``current()`` and ``invalidate()``."""

    def invalidate(self) -> None: ...


class CalendarSource(Source, Protocol):
    def current(self) -> Calendar: ...


class RuleConfigSource(Source, Protocol):
    def current(self) -> RuleConfig: ...


class CaseHooks(Protocol[V]):
    """What the contexts above the cases contribute to a case's projection and its timer.

    The cases context stores views and runs the sweep but knows no rules: supervision (R1–R14)
    and legal oversight (L1–L12) say when a case next needs a look and evaluate what is due, the
    public hall says what of a concluded case is published. ``wiring`` composes them.
    """

    def next_check(self, deps: Deps, view: V, after: datetime | None = None) -> datetime | None:
        """When the sweep should next look at the case, strictly after ``after`` (None: never)."""
        ...

    def public_result(self, deps: Deps, view: V) -> dict[str, Any] | None:
        """The published, masked result of the case (None: nothing to publish)."""
        ...

    def sweep_case(self, deps: Deps, view: V, as_of: datetime) -> int:
        """Evaluate the time-driven rules as of ``as_of``; how many signals/findings were raised."""
        ...

    def sweep_periodic(self, deps: Deps, as_of: datetime) -> int:
        """Time-driven checks not tied to one case (catalog governance, L12); how many raised."""
        ...


@dataclass(frozen=True)
class Deps:
    stores: Stores
    clock: Clock
    calendars: CalendarSource
    rules: RuleConfigSource
    runner: ProcessRunner
    notifier: Notifier
    publisher: Publisher
    hooks: CaseHooks[Any]
    #: Keys derived from the platform secret (query-password hashes, cursors).
    keys: Keys
    #: Public requests per minute per client address (0: unlimited).
    public_rate_limit: int = 30
    #: Attachments (a private bucket); None where a use case needs no files (tests of the rest).
    files: FileStore | None = None

    @property
    def calendar(self) -> Calendar:
        return self.calendars.current()

    @property
    def rule_config(self) -> RuleConfig:
        return self.rules.current()

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The business date (Asia/Shanghai) of now."""
        return local_date(self.clock.now())
