"""Checks start only while the event loop keeps up, so they cannot starve each other.

A check's time budget runs from its start (checks.engine: connections done by
85 % of the timeout). Hundreds of checks started at once in one process need
more CPU than the budget holds: the whole dry run of a two-name order costs
about 20 ms of CPU, so 512 of them on one core are 10 s of work, and with a
10 s timeout the checks started last time out on connections that answered
(measured: 951 of 1,000 domains retried, `www.` names reported unreachable;
docs/benchmarks.md). The concurrency is still needed, for checks that only
wait (a black hole holds its check for two probe budgets).

So a check waits here before it starts: the governor measures the loop's lag
on a short timer, and each tick lets a few checks start while the lag is
small, none while it is not. Waiting checks start oldest first; checks that
only wait add no lag, so they still fill every slot. The wait is before the
check, never inside its budget.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque

IDLE_TICKS = 50
_GOVERNORS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopGovernor]" = weakref.WeakKeyDictionary()


def for_running_loop() -> "LoopGovernor":
    """The running loop's governor: every check started on one loop shares it (the sweep's
    process and each check process have a loop of their own)."""
    loop = asyncio.get_running_loop()
    governor = _GOVERNORS.get(loop)
    if governor is None:
        governor = _GOVERNORS[loop] = LoopGovernor()
    return governor


class LoopGovernor:
    """Admission of new checks by the event loop's lag (one loop; `close()` when done)."""

    def __init__(self, max_lag: float = 0.05, tick: float = 0.02, burst: int = 8) -> None:
        self.max_lag, self.tick, self.burst = max_lag, tick, burst
        self._allowance = burst
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._watch: asyncio.Task[None] | None = None
        self._idle = 0  # ticks with nothing asked: the watch stops after IDLE_TICKS of them
        self.held = 0  # checks that had to wait

    async def admit(self) -> None:
        """Return when a new check may start."""
        self._idle = 0
        if self._watch is None:
            self._watch = asyncio.get_running_loop().create_task(self._measure())
        if self._allowance > 0 and not self._waiters:
            self._allowance -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self.held += 1
        await waiter

    def observe(self, lag: float) -> None:
        """One tick's lag: this tick's allowance, handed to the oldest waiting checks first."""
        self._allowance = self.burst if lag < self.max_lag else 0
        while self._allowance > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self._allowance -= 1

    async def _measure(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiters or self._idle < IDLE_TICKS:
            self._idle += 1
            before = loop.time()
            await asyncio.sleep(self.tick)
            self.observe(loop.time() - before - self.tick)
        self._watch = None  # a quiet loop pays no timer; the next admit starts it again

    def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        for waiter in self._waiters:
            waiter.cancel()
        self._waiters.clear()
