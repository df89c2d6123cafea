"""A night's work items: batches of domains that any number of workers claim with a lease.

The process that claims a night writes them (`write`, in the claim's own
transaction): keyset ranges over `subscriptions.domain`, `batch` domains
each, so ten million domains are twenty thousand rows, not ten million.
A worker claims the first pending item, or one whose lease ran out, with
`SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL: concurrent claimers pass
over each other's rows instead of queueing on them; SQLite has one writer
and ignores the clause). The owner column is the fence: a domain's result
is recorded only in a transaction that also finds the item still leased to
this worker (`hold`), and the item is marked done in the transaction of its
last result. A worker that dies loses only its lease: its item is claimed
again once the lease expires, or at once when its owner is a process of
this host that is no longer running.

Leases are wall-clock times (the sweep's clock may be a replay's): the
machines sharing a database need their clocks within a fraction of `lease`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .engine import utc
from .models import DONE, LEASED, PENDING, Subscription, SweepItem
from .retry import retried


@dataclass(frozen=True)
class Item:
    """One claimed batch: the domains from `first_domain` to `last_domain`, both included."""

    id: int
    batch: int
    first_domain: str
    last_domain: str


@dataclass(frozen=True)
class Hold:
    """What a domain's record asks of its item: still `owner`'s, and done with this result if `done`."""

    item_id: int
    owner: str
    done: bool


class LeaseLost(RuntimeError):
    """The item is no longer this worker's (its lease ran out and another took it): stop the batch."""


def wall_clock() -> datetime:
    return datetime.now(timezone.utc)


class SweepItems:
    """The `sweep_items` table."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self.lease = lease
        self._session = sessionmaker(engine, expire_on_commit=False)

    @staticmethod
    def write(session: Session, night: str, batch: int) -> int:
        """Add `night`'s items to `session` (the caller commits): how many."""
        last, count = "", 0
        while True:
            domains = list(
                session.scalars(
                    select(Subscription.domain)
                    .distinct()
                    .where(Subscription.domain > last)
                    .order_by(Subscription.domain)
                    .limit(batch)
                )
            )
            if not domains:
                return count
            session.add(
                SweepItem(night=night, batch=count, first_domain=domains[0], last_domain=domains[-1], state=PENDING)
            )
            count += 1
            last = domains[-1]
            if len(domains) < batch:
                return count

    @retried
    def claim(self, night: str, owner: str, skip: frozenset[int] = frozenset()) -> Item | None:
        """Lease the first claimable item of `night` to `owner`, or None when none is left.

        Claimable: pending, leased with the lease run out, or leased to
        `owner` itself by an earlier run of this process (not in `skip`, the
        items this run holds or gave back)."""
        for _ in range(8):
            now = wall_clock()
            with self._session() as session:
                query = (
                    select(SweepItem.id)
                    .where(SweepItem.night == night, _claimable(owner, now))
                    .order_by(SweepItem.batch)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
                if skip:
                    query = query.where(SweepItem.id.not_in(skip))
                found = session.scalar(query)
                if found is None:
                    return None
                # The same condition again: SQLite has no row lock, so another
                # writer may have taken it between the select and the update.
                taken = session.execute(
                    update(SweepItem)
                    .where(SweepItem.id == found, _claimable(owner, now))
                    .values(state=LEASED, owner=owner, lease_until=now + self.lease)
                )
                if taken.rowcount != 1:  # type: ignore[attr-defined]
                    session.rollback()
                    continue
                row = session.get(SweepItem, found)
                assert row is not None
                item = Item(row.id, row.batch, row.first_domain, row.last_domain)
                session.commit()
                return item
        return None

    @retried
    def domains(self, item: Item) -> list[str]:
        """The item's domains, each once, in order."""
        with self._session() as session:
            return list(
                session.scalars(
                    select(Subscription.domain)
                    .distinct()
                    .where(Subscription.domain >= item.first_domain, Subscription.domain <= item.last_domain)
                    .order_by(Subscription.domain)
                )
            )

    def hold(self, session: Session, hold: Hold) -> None:
        """In the caller's transaction: the item is still the owner's (renewed, and done if it says so), or LeaseLost."""
        now = wall_clock()
        values = {"state": DONE, "done_at": now} if hold.done else {"lease_until": now + self.lease}
        held = session.execute(
            update(SweepItem)
            .where(SweepItem.id == hold.item_id, SweepItem.owner == hold.owner, SweepItem.state == LEASED)
            .values(**values)
        )
        if held.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(f"work item {hold.item_id} is no longer leased to this worker")

    @retried
    def finish(self, item_id: int, owner: str) -> bool:
        """Mark the item done without a result to go with it (its last domains were already recorded, or failed)."""
        with self._session() as session:
            try:
                self.hold(session, Hold(item_id, owner, done=True))
            except LeaseLost:
                return False
            session.commit()
            return True

    @retried
    def give_back(self, item_id: int, owner: str) -> None:
        """Some domains of the item could not be recorded: pending again, for a later run to finish."""
        with self._session() as session:
            session.execute(
                update(SweepItem)
                .where(SweepItem.id == item_id, SweepItem.owner == owner, SweepItem.state == LEASED)
                .values(state=PENDING, owner=None, lease_until=None)
            )
            session.commit()

    @retried
    def renew(self, owner: str) -> None:
        """Every lease `owner` holds, extended by `lease` (the worker's heartbeat)."""
        with self._session() as session:
            session.execute(
                update(SweepItem)
                .where(SweepItem.owner == owner, SweepItem.state == LEASED)
                .values(lease_until=wall_clock() + self.lease)
            )
            session.commit()

    @retried
    def holders(self, night: str, owner: str) -> list[tuple[str, datetime | None]]:
        """Other owners of `night`'s leased items, with their latest lease."""
        with self._session() as session:
            rows = session.execute(
                select(SweepItem.owner, func.max(SweepItem.lease_until))
                .where(SweepItem.night == night, SweepItem.state == LEASED, SweepItem.owner != owner)
                .group_by(SweepItem.owner)
            )
            return [(o, utc(until)) for o, until in rows if o is not None]

    @retried
    def release(self, night: str, owner: str) -> int:
        """`owner` is dead: its items of `night` are pending again; how many."""
        with self._session() as session:
            released = session.execute(
                update(SweepItem)
                .where(SweepItem.night == night, SweepItem.owner == owner, SweepItem.state == LEASED)
                .values(state=PENDING, owner=None, lease_until=None)
            )
            session.commit()
            return int(released.rowcount)  # type: ignore[attr-defined]

    @retried
    def left(self, night: str) -> int:
        """Items of `night` not done yet (pending or leased): 0 means the checking is over."""
        with self._session() as session:
            return (
                session.scalar(
                    select(func.count()).select_from(SweepItem).where(SweepItem.night == night, SweepItem.state != DONE)
                )
                or 0
            )

    @retried
    def count(self, night: str) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(SweepItem).where(SweepItem.night == night)) or 0

    @retried
    def done_by(self, night: str) -> dict[str, int]:
        """How many of `night`'s items each owner finished (the bench and the tests read it)."""
        with self._session() as session:
            rows = session.execute(
                select(SweepItem.owner, func.count())
                .where(SweepItem.night == night, SweepItem.state == DONE)
                .group_by(SweepItem.owner)
            )
            return {str(o): int(n) for o, n in rows}


def _claimable(owner: str, now: datetime) -> ColumnElement[bool]:
    return or_(
        SweepItem.state == PENDING,
        and_(SweepItem.state == LEASED, or_(SweepItem.lease_until < now, SweepItem.owner == owner)),
    )
