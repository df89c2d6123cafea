"""The database engine: one per process, with SQLite's pragmas on every connection."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, overload

from sqlalchemy import Engine, create_engine, event


def make_engine(url: str) -> Engine:
    """An engine; for SQLite, WAL, a busy timeout and foreign keys on every connection.

    WAL lets the nightly sweep read while the web process writes; the busy
    timeout makes a writer wait for the lock instead of failing at once;
    foreign keys make SQLite cascade and refuse as PostgreSQL does.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs at checkpoints rather than at every commit: a
    # killed process loses nothing committed; only a power cut may lose the
    # last commits (an alert might then be sent again, never lost).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Off by default in SQLite. On, deleting a subscription deletes its alert
    # state (ON DELETE CASCADE) and a state for a vanished subscription is
    # refused, the same on both databases. A future batch migration that
    # copies a referenced table must turn it off around the copy.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@overload
def utc(moment: datetime) -> datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: datetime | None) -> datetime | None:
    """A stored time as UTC.

    SQLite keeps no zone (everything we write is UTC, so a naive time is
    UTC); PostgreSQL returns a `timestamptz` in the session's zone.
    """
    if moment is None:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)
