"""When the local stack says its pipeline has settled (``LocalStack.wait_idle``).

Tests and the demo loader read results right after ``wait_idle``: if it answers early, a statistic
or a signal that is still on its way looks missing. It must not answer on a quiet spell alone — a
loaded machine can leave a consumer's thread unscheduled for longer than any quiet window."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from devstack.pollers import Activity
from devstack.stack import LocalStack


@dataclass
class Consumer:
    """A poller as ``wait_idle`` sees it: its idle flag and the tick of its last empty poll."""

    activity: Activity
    idle: threading.Event = field(default_factory=threading.Event)
    calm_from: int = 0

    def empty_poll(self) -> None:
        self.calm_from = self.activity.tick()
        self.idle.set()

    def handle_work(self) -> None:
        self.idle.clear()
        self.activity.worked()
        self.idle.set()


def stack_of(*consumers: Consumer, activity: Activity) -> LocalStack:
    stack = LocalStack(activity=activity)
    stack.pollers = list(consumers)
    return stack


def test_a_consumer_that_has_not_polled_since_the_wait_began_keeps_it_waiting() -> None:
    activity = Activity()
    signals, stats = Consumer(activity), Consumer(activity)
    signals.empty_poll()
    stats.empty_poll()  # both idle, both polled — but before anyone asked
    stack = stack_of(signals, stats, activity=activity)

    assert stack.wait_idle(timeout=0.3, quiet=0) is False


class Polling:
    """Consumers that keep polling and finding nothing, as the stack's poller threads do."""

    def __init__(self, *consumers: Consumer) -> None:
        self.consumers, self.stop = consumers, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(0.01):
            for c in self.consumers:
                c.empty_poll()

    def __enter__(self) -> Polling:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


def test_work_handed_to_a_sleeping_consumer_is_waited_for() -> None:
    """The projection writes a view for the signal consumer, whose thread has not run since."""
    activity = Activity()
    projection, signals = Consumer(activity), Consumer(activity)
    signals.empty_poll()
    projection.handle_work()  # after the signal consumer's last poll
    projection.empty_poll()
    stack = stack_of(projection, signals, activity=activity)

    assert stack.wait_idle(timeout=0.3, quiet=0) is False  # both idle flags are set: timing alone would say done

    with Polling(projection, signals):  # the signal consumer finally polls again and finds nothing
        assert stack.wait_idle(timeout=10, quiet=0) is True


def test_settled_once_every_consumer_found_nothing_after_the_last_work() -> None:
    activity = Activity()
    a, b = Consumer(activity), Consumer(activity)
    stack = stack_of(a, b, activity=activity)

    with Polling(a, b):
        assert stack.wait_idle(timeout=10, quiet=0) is True
