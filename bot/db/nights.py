"""Claiming a night: one sweep a night however many processes run the schedule.

The first process claims the night and writes its work items (bot/db/items.py)
in the same transaction; every process after it joins, claiming items of
the same night, so any number of workers share one sweep.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .engine import utc
from .items import SweepItems
from .models import CheckHistory, Sweep, SweepItem
from .owners import alive, heartbeat_alive, process_owner
from .retry import retried

# What `claim` found: this process claimed the night (and wrote its items,
# or took over a dead owner's claim), it joins a night another process
# claimed, or the night is done. FORCED: a done night claimed again (`--force`).
CLAIMED, JOINED, DONE, FORCED = "claimed", "joined", "done", "forced"
# Domains per work item.
BATCH = 200


class Nights:
    """The `sweeps` table: who sweeps which night, and whether it is done."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self.lease = lease
        self._session = sessionmaker(engine, expire_on_commit=False)

    @retried
    def claim(self, night: str, owner: str, now: datetime, *, force: bool = False, batch: int = BATCH) -> str:
        """Claim `night` for `owner`: "claimed", "joined", "done" (already swept), or "forced"
        (`force`: a done night opened again, its results cleared, its run counted up)."""
        with self._session() as session:
            session.add(Sweep(night=night, owner=owner, started_at=now, heartbeat_at=now))
            try:
                SweepItems.write(session, night, batch)
                session.commit()
                return CLAIMED
            except IntegrityError:
                session.rollback()
            row = session.get(Sweep, night)
            assert row is not None
            if row.finished_at is not None:
                return self._reopen(session, row, owner, now, batch) if force else DONE
            if session.query(SweepItem.id).filter(SweepItem.night == night).first() is None:
                # Claimed before work items existed (or a night of no domains): write them now.
                try:
                    SweepItems.write(session, night, batch)
                    session.commit()
                except IntegrityError:
                    session.rollback()  # another process just did
            if row.owner == owner:
                return CLAIMED  # this process's claim, from an earlier run that broke off
            if heartbeat_alive(row.owner, utc(row.heartbeat_at), now, self.lease):
                return JOINED
            # The owner died mid-sweep: take its claim over (the heartbeat, the
            # prune), unless another process just did; its items are freed as they are met.
            taken = session.execute(
                update(Sweep)
                .where(Sweep.night == night, Sweep.owner == row.owner, Sweep.finished_at.is_(None))
                .values(owner=owner, heartbeat_at=now)
            )
            session.commit()
            return CLAIMED if taken.rowcount == 1 else JOINED  # type: ignore[attr-defined]

    def _reopen(self, session: Session, row: Sweep, owner: str, now: datetime, batch: int) -> str:
        """A done night swept again: tonight's results and items go, what was sent stays.

        The alert states are kept, so the policy tells a channel only what
        changed since the first run; the messages are the outbox's next `run`."""
        night = row.night
        reopened = session.execute(
            update(Sweep)
            .where(Sweep.night == night, Sweep.run == row.run, Sweep.finished_at.is_not(None))
            .values(owner=owner, started_at=now, heartbeat_at=now, finished_at=None, run=row.run + 1, ca_probes=0)
        )
        if reopened.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return JOINED  # another --force just did
        session.execute(delete(CheckHistory).where(CheckHistory.night == night))
        session.execute(delete(SweepItem).where(SweepItem.night == night))
        SweepItems.write(session, night, batch)
        session.commit()
        return FORCED

    @retried
    def run(self, night: str) -> int:
        """The night's run: 0, or how many times `--force` swept it again."""
        with self._session() as session:
            row = session.get(Sweep, night)
            return row.run if row is not None else 0

    @retried
    def take_ca_probe(self, night: str, budget: int) -> bool:
        """One of the night's `budget` CA probes, shared by every worker: True if one was left."""
        with self._session() as session:
            taken = session.execute(
                update(Sweep)
                .where(Sweep.night == night, Sweep.ca_probes < budget)
                .values(ca_probes=Sweep.ca_probes + 1)
            )
            session.commit()
            return bool(taken.rowcount == 1)  # type: ignore[attr-defined]

    @retried
    def is_done(self, night: str) -> bool:
        """Has `night` been swept to the end?"""
        with self._session() as session:
            row = session.get(Sweep, night)
            return row is not None and row.finished_at is not None

    @retried
    def heartbeat(self, night: str, owner: str, now: datetime) -> None:
        with self._session() as session:
            session.execute(update(Sweep).where(Sweep.night == night, Sweep.owner == owner).values(heartbeat_at=now))
            session.commit()

    @retried
    def finish(self, night: str, now: datetime, domains: int) -> bool:
        """The night is done (whoever saw its last item done says so, once): True for the one that did."""
        with self._session() as session:
            done = session.execute(
                update(Sweep)
                .where(Sweep.night == night, Sweep.finished_at.is_(None))
                .values(finished_at=now, domains=domains)
            )
            session.commit()
            return bool(done.rowcount == 1)  # type: ignore[attr-defined]

    @retried
    def domains_recorded(self, night: str) -> int:
        with self._session() as session:
            return (
                session.scalar(select(func.count()).select_from(CheckHistory).where(CheckHistory.night == night)) or 0
            )


__all__ = ["process_owner", "alive", "CLAIMED", "JOINED", "DONE", "FORCED", "Nights"]
