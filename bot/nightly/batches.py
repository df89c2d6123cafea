"""The work items one sweep worker holds: claimed, counted down domain by domain, closed.

Every method runs on the sweep's one database thread, so the counts need no
lock. An item is closed exactly once, by the last of its domains to end:
done in the transaction of that domain's result (`hold` says so), done on
its own when that domain left no result (already recorded, or its check
failed), given back when a result could not be stored (a later run tries
those domains again), or left alone when the lease was lost to another worker.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Iterator

from ..db.items import Hold, Item, SweepItems, wall_clock
from ..db.owners import alive

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger(__name__)


@dataclass
class _Held:
    remaining: int
    failed: bool = False
    lost: bool = False


class Batches:
    def __init__(self, items: SweepItems, night: str, owner: str) -> None:
        self._items = items
        self.night = night
        self.owner = owner
        self._held: dict[int, _Held] = {}
        self._seen: set[int] = set()  # claimed by this run: not claimed again by it
        self.done = 0  # items this worker finished
        self.lost = 0  # items whose lease another worker took
        self.given_back = 0

    def claim(self) -> tuple[Item, list[str]] | None:
        """The next item and its domains, or None when the night has nothing left to claim."""
        while True:
            item = self._items.claim(self.night, self.owner, frozenset(self._seen))
            if item is None and self._free_the_dead():
                item = self._items.claim(self.night, self.owner, frozenset(self._seen))
            if item is None:
                return None
            self._seen.add(item.id)
            domains = self._items.domains(item)
            if domains:
                self._held[item.id] = _Held(len(domains))
                log.info("work item %d (%s .. %s) claimed", item.batch, item.first_domain, item.last_domain)
                return item, domains
            self._items.finish(item.id, self.owner)  # every domain of it was unsubscribed since

    def _free_the_dead(self) -> bool:
        """Items leased to processes that are no longer running go back to pending."""
        freed = 0
        for holder, until in self._items.holders(self.night, self.owner):
            if not alive(holder, until, wall_clock()):
                freed += self._items.release(self.night, holder)
        if freed:
            log.warning("night %s: %d work items of dead workers taken back", self.night, freed)
        return freed > 0

    def is_lost(self, item_id: int) -> bool:
        held = self._held.get(item_id)
        return held is None or held.lost

    def hold(self, item_id: int) -> Hold:
        """What the record of one of the item's domains must check (and close, if it is the last)."""
        held = self._held[item_id]
        return Hold(item_id, self.owner, done=held.remaining == 1 and not held.failed)

    def end(self, item_id: int, *, recorded: Hold | None = None, failed: bool = False, lost: bool = False) -> None:
        """One domain of the item is over: `recorded` with this hold, or not recorded (`failed`: it should have been)."""
        held = self._held.get(item_id)
        if held is None:
            return
        held.failed = held.failed or failed
        if lost and not held.lost:
            held.lost = True
            self.lost += 1
            log.warning("work item %d was taken over by another worker; its other domains are theirs", item_id)
        held.remaining -= 1
        if held.remaining > 0:
            return
        del self._held[item_id]
        if held.lost:
            return
        if recorded is not None and recorded.done:
            self.done += 1
        elif held.failed:
            self._items.give_back(item_id, self.owner)
            self.given_back += 1
        elif self._items.finish(item_id, self.owner):
            self.done += 1
        else:
            self.lost += 1


@contextmanager
def heartbeats(db: "Database", night: str, owner: str, clock: Callable[[], datetime], every: float) -> Iterator[None]:
    """Renew the claim on `night` and `owner`'s leases (work items, channels being
    delivered) every `every` seconds, on a thread of its own: delivery included."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                db.nights.heartbeat(night, owner, clock())
                db.items.renew(owner)
                db.outbox.renew_channels(owner)
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.exception("heartbeat for night %s failed", night)

    thread = threading.Thread(target=beat, name="certcheck-sweep-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
