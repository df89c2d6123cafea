"""A polite sweep: few checks in flight per destination address, started at a pace;
and a channel's one message a second, kept in the database for every deliverer.

A shared host (Xserver and its like) serves thousands of customer domains
from a handful of addresses; hundreds of checks landing on one of them at
once can trip its rate limits or WAF and turn our own traffic into false
"unreachable" alerts. So the sweep admits at most `per_address` checks at
a time to the address a domain resolves to, starting at most `rate` a
second. A domain that must wait is queued behind its address instead of
holding a worker, so domains elsewhere are not slowed; the check that frees
the address runs it next. The waiting happens before a check starts, never
inside its time budget, so pacing cannot turn into a timeout.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from checks import Options
from checks.dns import Lookup

from ..db.items import wall_clock
from ..db.outbox import Outbox
from .recovery import Wait

# What waits behind an address: a domain (and whatever the sweep keeps with it).
T = TypeVar("T")


@dataclass
class _Address(Generic[T]):
    in_flight: int = 0
    waiting: deque[T] = field(default_factory=deque)
    next_start: float = 0.0  # loop time before which no check may start on it


class AddressPacing(Generic[T]):
    """Per-address admission for the sweep's workers (one event loop)."""

    def __init__(self, per_address: int, rate: float) -> None:
        if per_address < 1 or rate <= 0:
            raise ValueError("pacing needs at least one check per address and a positive rate")
        self.per_address = per_address
        self.interval = 1.0 / rate
        self._addresses: dict[str, _Address[T]] = {}
        self.peak = 0  # most checks ever in flight on one address (for tests and the summary)

    def admit(self, address: str | None, domain: T) -> bool:
        """True: check `domain` now. False: it waits behind `address`, and `release` hands it out."""
        if address is None:
            return True
        state = self._addresses.setdefault(address, _Address[T]())
        if state.in_flight >= self.per_address:
            state.waiting.append(domain)
            return False
        state.in_flight += 1
        self.peak = max(self.peak, state.in_flight)
        return True

    async def pace(self, address: str | None) -> None:
        """Wait for the address's next start; the slot is reserved before waiting, so the pace holds."""
        if address is None:
            return
        state = self._addresses[address]
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, state.next_start)
        state.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def release(self, address: str | None) -> T | None:
        """A check on `address` ended: the next domain waiting for it (its slot passes on), or None."""
        if address is None:
            return None
        state = self._addresses[address]
        if state.waiting:
            return state.waiting.popleft()
        state.in_flight -= 1
        if state.in_flight == 0:
            del self._addresses[address]  # a night touches thousands of addresses once each
        return None


async def first_address(domain: str, options: Options) -> str | None:
    """The address a check of `domain` connects to first (IPv4 first, as the report reads it), or None."""
    lookup = Lookup(options, lifetime=min(2.0, options.timeout))
    try:
        a, aaaa = await lookup.addresses(domain)
    except Exception:  # noqa: BLE001 - no address to pace by; the check itself will say why
        return None
    finally:
        lookup.close()
    records = a.records or aaaa.records
    return records[0] if records else None


@dataclass
class ChannelPace:
    """A channel's one message per `interval`, kept in the database for whichever process posts next."""

    outbox: Outbox
    team: str
    channel: str
    owner: str
    interval: float
    not_before: datetime | None
    wait: Wait

    def before_post(self) -> None:
        if self.not_before is not None:
            self.wait((self.not_before - wall_clock()).total_seconds())

    def after_post(self) -> None:
        self.not_before = wall_clock() + timedelta(seconds=self.interval)
        self.outbox.posted(self.team, self.channel, self.owner, self.not_before)
