"""Token buckets in the database: one user's limit holds however many web processes answer them.

The same refill rule as bot/slack/ratelimit.py `TokenBuckets` (a bucket of
`burst` tokens refilled at `burst / per_seconds` a second), one row per key
in `rate_buckets`, read and written in one transaction under a row lock
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one writer at a time).
Times are wall-clock Unix seconds: the web processes' clocks must agree to a
second or so, which NTP gives.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import sessionmaker

from ..settings import Rate
from .models import RateBucket
from .retry import retried

# One take in this many also forgets buckets that are full again (they carry no state).
SWEEP_EVERY = 256


class SharedBuckets:
    """`take(key)` spends one token from the database's bucket for `key`."""

    def __init__(self, engine: Engine, rate: Rate, clock: Callable[[], float] = time.time) -> None:
        self.rate = rate
        self._clock = clock
        self._engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)
        self._takes = 0

    @retried
    def take(self, key: str) -> float:
        """0 when allowed (and spent); otherwise the seconds until a token is back."""
        per_second = self.rate.burst / self.rate.per_seconds
        with self._session() as session:
            now = self._clock()
            session.execute(self._insert_new(key, now))
            bucket = session.scalars(select(RateBucket).where(RateBucket.key == key).with_for_update()).one()
            tokens = min(float(self.rate.burst), bucket.tokens + max(0.0, now - bucket.stamp) * per_second)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / per_second
            bucket.tokens, bucket.stamp = tokens, max(now, bucket.stamp)
            self._takes += 1
            if self._takes % SWEEP_EVERY == 0:
                session.execute(delete(RateBucket).where(RateBucket.stamp < now - self.rate.per_seconds))
            session.commit()
            return wait

    @retried
    def give_back(self, key: str) -> None:
        """Undo a `take` whose action did not happen after all."""
        with self._session() as session:
            bucket = session.scalars(select(RateBucket).where(RateBucket.key == key).with_for_update()).first()
            if bucket is not None:
                bucket.tokens = min(float(self.rate.burst), bucket.tokens + 1)
            session.commit()

    def _insert_new(self, key: str, now: float) -> Any:
        """INSERT a full bucket for `key` unless one exists (the dialect's ON CONFLICT DO NOTHING)."""
        from sqlalchemy.dialects import postgresql, sqlite

        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        return (
            insert(RateBucket)
            .values(key=key, tokens=float(self.rate.burst), stamp=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
