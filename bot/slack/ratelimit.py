"""Per-user and per-channel token buckets for checks.

Each check makes outbound connections to a site someone named, so a person
or a channel must not be able to turn the bot into a load generator. The
buckets live in memory here; on PostgreSQL, where several web processes may
answer one workspace, bot/services.py gives `CheckLimiter` the database's
buckets instead (bot/db/limits.py `SharedBuckets`, the same rule), so two
processes do not each let a user's whole limit through.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from ..settings import Rate


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """`take(key)` spends one token; refills at `rate.burst / rate.per_seconds` a second."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed (and spent); otherwise the seconds until a token is back."""
        per_second = self.rate.burst / self.rate.per_seconds
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(float(self.rate.burst), now)
            bucket.tokens = min(self.rate.burst, bucket.tokens + (now - bucket.stamp) * per_second)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                self._forget_full(now, per_second)
                return 0.0
            return (1 - bucket.tokens) / per_second

    def give_back(self, key: str) -> None:
        """Undo a `take` whose action did not happen after all."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.tokens = min(self.rate.burst, bucket.tokens + 1)

    def _forget_full(self, now: float, per_second: float) -> None:
        # Buckets that would be full again carry no state; dropping them keeps
        # memory bounded by the number of recent users, not of all users.
        if len(self._buckets) < 1024:
            return
        for key in [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * per_second >= self.rate.burst]:
            del self._buckets[key]


class Buckets(Protocol):
    def take(self, key: str) -> float: ...
    def give_back(self, key: str) -> None: ...


class CheckLimiter:
    """Both limits at once: a check runs only if the user and the channel allow it."""

    def __init__(self, user_rate: Rate, channel_rate: Rate, buckets: Callable[[Rate], Buckets] = TokenBuckets) -> None:
        self.users = buckets(user_rate)
        self.channels = buckets(channel_rate)

    def admit(self, team: str, channel: str, user: str) -> tuple[str, int] | None:
        """None when the check may run; else which limit ("user"/"channel") and a wait in seconds."""
        wait = self.users.take(f"{team}:{user}")
        if wait:
            return "user", max(1, math.ceil(wait))
        wait = self.channels.take(f"{team}:{channel}")
        if wait:
            # The user's token was not used for a check; do not charge it.
            self.users.give_back(f"{team}:{user}")
            return "channel", max(1, math.ceil(wait))
        return None
