"""Claiming a night: one sweep a night however many processes run the schedule."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from .engine import utc
from .models import Sweep
from .retry import retried

# What `claim` found.
CLAIMED, DONE, BUSY = "claimed", "done", "busy"


def process_owner() -> str:
    """A name for this process that no other process has had: `host:pid:random`.

    `host:pid` alone is ambiguous: every container's main process is PID 1,
    often on the same host name after a restart.
    """
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"


class Nights:
    """The `sweeps` table: who sweeps which night, and whether it is done."""

    def __init__(self, engine: Engine, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self.lease = lease
        self._session = sessionmaker(engine, expire_on_commit=False)

    @retried
    def claim(self, night: str, owner: str, now: datetime) -> str:
        """Claim `night` for `owner`: "claimed", "done" (already swept) or "busy"."""
        with self._session() as session:
            session.add(Sweep(night=night, owner=owner, started_at=now, heartbeat_at=now))
            try:
                session.commit()
                return CLAIMED
            except IntegrityError:
                session.rollback()
            row = session.get(Sweep, night)
            assert row is not None
            if row.finished_at is not None:
                return DONE
            if row.owner != owner and _alive(row.owner, utc(row.heartbeat_at), now, self.lease):
                return BUSY
            # The owner died mid-sweep: take over, unless another process just did.
            taken = session.execute(
                update(Sweep)
                .where(Sweep.night == night, Sweep.owner == row.owner, Sweep.finished_at.is_(None))
                .values(owner=owner, heartbeat_at=now)
            )
            session.commit()
            return CLAIMED if taken.rowcount == 1 else BUSY  # type: ignore[attr-defined]

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
    def finish(self, night: str, owner: str, now: datetime, domains: int) -> None:
        with self._session() as session:
            session.execute(
                update(Sweep).where(Sweep.night == night, Sweep.owner == owner).values(finished_at=now, domains=domains)
            )
            session.commit()


def _alive(owner: str, heartbeat: datetime | None, now: datetime, lease: timedelta) -> bool:
    """Is the process that claimed a night (not this one) still sweeping it?"""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]  # owners were host:pid before they were host:pid:random
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return False  # an earlier process with our pid (a restarted container's PID 1)
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # Another machine: trust its heartbeat for one lease.
    return heartbeat is not None and now - heartbeat < lease
