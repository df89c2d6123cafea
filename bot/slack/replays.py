"""Refusing a replayed Slack request: in this process's memory first, then in
the database every web process shares.

A signed request is good for Slack's 5-minute window, so anyone who gets hold
of one (a log, a proxy) can send it again. Each signature is remembered in
memory (a flood of replays of one request costs no database write) and
inserted into `slack_seen_requests` in a short transaction of its own (a
replay sent to another web process meets the duplicate key).

If the database does not answer within `DB_TIMEOUT` seconds (down, locked,
unreachable), the request is let through with a warning: it carries a valid
signature, so it came from Slack or from someone who captured a request of
the last five minutes; refusing would turn a database outage into a Slack
outage for every user, checks included, which need no database. What is
lost meanwhile is only the cross-process memory: this process still refuses
replays it saw (docs/slack.md, "Replays").
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta, timezone

from ..db.seen_requests import SeenRequests

log = logging.getLogger(__name__)

# Slack's own window: a request older or newer than this is refused.
WINDOW_SECONDS = 5 * 60
# Signatures remembered in memory for the window. Slack sends a handful a
# minute to a team's app; this bound keeps memory flat under a flood.
MAX_REMEMBERED = 50_000
# How long a request waits for the database before it is let through:
# well inside the 3 seconds Slack gives the acknowledgement.
DB_TIMEOUT = 1.0
# Inserts waiting for a database that does not answer; beyond this, a request
# does not queue behind them (it is let through at once).
MAX_PENDING = 16
# Rows older than the window are deleted after every this many inserts.
PRUNE_EVERY = 100
# A database that stays down is reported at most this often.
WARN_EVERY = 60.0


class RecentSignatures:
    """Signatures seen within the window, oldest first; thread-safe."""

    def __init__(self, window: float = WINDOW_SECONDS, limit: int = MAX_REMEMBERED) -> None:
        self._window = window
        self._limit = limit
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, now: float) -> bool:
        """True the first time `signature` is seen inside the window."""
        with self._lock:
            while self._seen and next(iter(self._seen.values())) < now - self._window:
                self._seen.popitem(last=False)
            if signature in self._seen:
                return False
            if len(self._seen) >= self._limit:
                # Full of live entries: forget the oldest (its request is the
                # nearest to leaving the window anyway).
                self._seen.popitem(last=False)
            self._seen[signature] = now
            return True


class Replays:
    """Memory in front of the shared table (`store`; None: memory only)."""

    def __init__(self, store: SeenRequests | None = None, *, timeout: float = DB_TIMEOUT) -> None:
        self._memory = RecentSignatures()
        self._store = store
        self._timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="certcheck-replays")
        self._lock = threading.Lock()
        self._pending = 0
        self._inserts = 0
        self._warned_at = float("-inf")

    def first_time(self, signature: str, now: float) -> bool:
        """True the first time any process sees `signature` (or this one, with the database away)."""
        if not self._memory.first_time(signature, now):
            return False
        if self._store is None:
            return True
        with self._lock:
            if self._pending >= MAX_PENDING:
                self._unavailable("too many requests already wait for it")
                return True
            self._pending += 1
        at = datetime.fromtimestamp(now, timezone.utc)
        try:
            future = self._pool.submit(self._store.first_sighting, signature, at)
        except RuntimeError:  # closed: the server is stopping
            with self._lock:
                self._pending -= 1
            return True
        future.add_done_callback(self._done)
        try:
            first = future.result(timeout=self._timeout)
        except FutureTimeout:
            self._unavailable(f"no answer within {self._timeout:g} s")
            return True
        except Exception as exc:  # noqa: BLE001 - any failure of the store: fail open, said once a minute
            self._unavailable(_first_line(exc))
            return True
        if first:
            self._count_insert(at)
        return first

    def close(self, *, wait: bool = False) -> None:
        """Stop; without `wait`, an insert or prune still waiting on a dead database is not waited for."""
        self._pool.shutdown(wait=wait, cancel_futures=not wait)

    def _done(self, _future: "Future[bool]") -> None:
        with self._lock:
            self._pending -= 1

    def _count_insert(self, at: datetime) -> None:
        with self._lock:
            self._inserts += 1
            due = self._inserts % PRUNE_EVERY == 0
        if due and self._store is not None:
            # Off the request's path: nothing waits for it.
            try:
                self._pool.submit(self._prune, at - timedelta(seconds=WINDOW_SECONDS))
            except RuntimeError:  # closed: the next process prunes
                pass

    def _prune(self, before: datetime) -> None:
        try:
            assert self._store is not None
            self._store.prune(before)
        except Exception:  # noqa: BLE001 - the next prune will catch up
            log.warning("could not prune slack_seen_requests", exc_info=True)

    def _unavailable(self, why: str) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._warned_at < WARN_EVERY:
                return
            self._warned_at = now
        log.warning(
            "replay memory in the database unavailable (%s): requests let through, replays refused by this process only",
            why,
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return type(error).__name__ + (": " + text.splitlines()[0][:200] if text else "")
