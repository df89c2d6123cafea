"""A clock the test moves: passed to the code under test as its `clock` parameter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


class Clock:
    """Reads `now`: a datetime (the sweep's wall clock) or a float (a monotonic clock)."""

    def __init__(self, start: Any) -> None:
        self.now = start

    def __call__(self) -> Any:
        return self.now

    def next_night(self, days: int = 1) -> None:
        self.now += timedelta(days=days)
