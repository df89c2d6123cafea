"""Faults cost one domain, not the night: real databases, real faults, at a chosen statement.

The faults are made, not mocked: a subscription deleted by another
connection between the sweep's `subscribers()` and its `record()`, the
sweep's PostgreSQL connection killed with `pg_terminate_backend`, a SQLite
file locked by another writer. Where a fault must land at one statement, a
SQLAlchemy `before_cursor_execute` listener on the sweep's engine waits for
that statement and makes the fault there.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import event, text

from bot.db import Database
from bot.db.migrate import upgrade
from bot.nightly.schedule import run_forever
from tests.sweeps import FIRST_NIGHT, TEAM, make_night

SECOND = "basic-all.test"  # a second domain with an alert, served by the test internet


def at_statement(db: Database, starts: str, mentions: str, fault: Callable[[Any], None]) -> None:
    """Run `fault(connection)` once, just before the first statement that starts with `starts`
    and has `mentions` among its parameters."""
    done = threading.Event()

    def listener(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not done.is_set() and statement.lstrip().upper().startswith(starts) and mentions in repr(parameters):
            done.set()
            fault(conn)

    event.listen(db.engine, "before_cursor_execute", listener)


def recorded(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return sorted(connection.execute(text("SELECT domain FROM check_history")).scalars())


def test_an_unsubscribe_between_subscribers_and_record_costs_that_domain_only(night, slack, site, slack_db):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.db.subscriptions.subscribe(TEAM, "C2", SECOND, "U1")
    other = Database(slack_db)  # another process's connection: the unsubscribe from Slack
    at_statement(
        night.db, "INSERT INTO CHECK_HISTORY", SECOND, lambda _: other.subscriptions.unsubscribe(TEAM, "C2", SECOND)
    )
    summary = night.run_once()
    other.close()
    # The vanished subscription's state is refused (a foreign key, on both databases): that domain only is lost.
    assert (summary.domains, summary.unrecorded, summary.sent) == (2, 1, 1)
    assert len(slack.delivered("C1")) == 1 and slack.delivered("C2") == []
    assert recorded(night.db) == [site]
    # The night stays open; run again (as the schedule does), it finds nothing left: nobody watches SECOND now.
    assert not night.db.nights.is_done(summary.night)
    again = night.run_once()
    assert (again.claim, again.checks, again.unrecorded, again.sent) == ("claimed", 0, 0, 0)
    assert night.db.nights.is_done(summary.night)


def test_a_failed_domain_does_not_keep_recorded_alerts_from_being_delivered(night, slack, site):
    """Even when every write for one domain keeps failing, the alerts already in the outbox go out,
    and the night stays open until that domain is recorded too."""
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    night.db.subscriptions.subscribe(TEAM, "C2", SECOND, "U1")

    def always(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.startswith("INSERT INTO check_history") and SECOND in repr(parameters):
            raise sqlite3.IntegrityError("the disk refuses this row")  # not transient: not retried

    event.listen(night.db.engine, "before_cursor_execute", always)
    summary = night.run_once()
    assert (summary.unrecorded, summary.sent) == (1, 1)
    assert len(slack.delivered("C1")) == 1
    # The disk takes rows again: the night resumes where it stopped.
    event.remove(night.db.engine, "before_cursor_execute", always)
    assert not night.db.nights.is_done(summary.night)
    again = night.run_once()
    assert (again.checks, again.unrecorded, again.sent) == (1, 0, 1)
    assert len(slack.delivered("C1")) == len(slack.delivered("C2")) == 1
    assert night.db.nights.is_done(summary.night)


def test_a_killed_postgresql_connection_is_retried_and_costs_nothing(internet, slack, site, postgres):
    name = postgres.database()
    night = make_night(internet, slack, postgres.url(name))
    try:
        night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
        killed: list[int] = []

        def terminate(conn: Any) -> None:
            pid = conn.connection.dbapi_connection.info.backend_pid
            killed.append(pid)
            postgres.admin(f"SELECT pg_terminate_backend({pid})")

        at_statement(night.db, "INSERT INTO CHECK_HISTORY", site, terminate)
        summary = night.run_once()
        assert killed, "the fault never happened"
        assert (summary.unrecorded, summary.sent) == (0, 1)
        assert recorded(night.db) == [site]
        assert len(slack.delivered("C1")) == 1
    finally:
        night.db.close()
        postgres.drop(name)


class _ReleaseOnRetry(logging.Handler):
    """Lets go of the lock when the retry helper says the write failed: the fault ends on cue, not on a timer."""

    def __init__(self, release: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.release = release
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.retries += 1
        self.release()


def test_a_locked_sqlite_file_is_waited_out_and_the_night_goes_on(internet, slack, site, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'locked.sqlite3'}"
    upgrade(url)
    night = make_night(internet, slack, url)
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    lock = sqlite3.connect(tmp_path / "locked.sqlite3", isolation_level=None, check_same_thread=False)
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the file for longer than the busy timeout
    handler = _ReleaseOnRetry(lambda: lock.in_transaction and lock.execute("ROLLBACK"))
    logger = logging.getLogger("bot.db.retry")
    logger.addHandler(handler)
    try:
        summary = night.run_once()
    finally:
        logger.removeHandler(handler)
        lock.close()
        night.db.close()
    assert handler.retries >= 1
    assert (summary.claim, summary.unrecorded, summary.sent) == ("claimed", 0, 1)
    assert len(slack.delivered("C1")) == 1


def test_heartbeats_go_on_while_the_outbox_is_delivered(internet, slack, site, slack_db):
    night = make_night(internet, slack, slack_db, heartbeat_seconds=0.05)
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    beat = threading.Event()

    def listener(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("UPDATE sweeps SET heartbeat_at"):
            beat.set()

    event.listen(night.db.engine, "after_cursor_execute", listener)
    slack.hold_post = 1  # Slack takes the post and does not answer until released
    sweep = threading.Thread(target=night.run_once)
    sweep.start()
    try:
        slack.wait_for(lambda rs: any(r.path == "/api/chat.postMessage" for r in rs), 30, "the post")
        beat.clear()
        assert beat.wait(30), "no heartbeat while the post was in flight"
    finally:
        slack.release()
        sweep.join(timeout=60)
        night.db.close()
    assert len(slack.delivered("C1")) == 1


def test_the_scheduler_sweeps_a_night_whose_minute_was_missed(internet, slack, site, slack_db):
    """12 s late, and the first try fails: the night is swept, not skipped to tomorrow."""
    night = make_night(internet, slack, slack_db, start=FIRST_NIGHT + timedelta(seconds=12))
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    failures = []

    def first_claim_fails(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO sweeps") and not failures:
            failures.append(statement)
            raise RuntimeError("the database is not there yet")

    event.listen(night.db.engine, "before_cursor_execute", first_claim_fails)
    stop = threading.Event()

    class StopWhenWaitingForTomorrow(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("next nightly dry run at"):
                stop.set()

    handler = StopWhenWaitingForTomorrow(logging.INFO)
    logger = logging.getLogger("bot.nightly.schedule")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        run_forever(night.sweeper, stop, retry_after=0)
        assert failures
        assert len(slack.delivered("C1")) == 1
        assert night.db.nights.is_done("2026-11-27")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        night.db.close()


@pytest.mark.parametrize("owner_pid", ["this", "dead"])
def test_an_owner_on_this_host_that_is_not_running_gives_the_night_up(slack_db, owner_pid):
    """Owners are host:pid:random; a restarted container's PID 1 is a new owner with the same pid."""
    import os
    import socket
    import subprocess
    import sys

    from bot.db.nights import CLAIMED, process_owner

    if owner_pid == "this":
        pid = os.getpid()
    else:
        child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        pid = int(child.stdout)
    db = Database(slack_db)
    try:
        earlier = f"{socket.gethostname()}:{pid}:{'0' * 32}"
        assert db.nights.claim("2026-11-27", earlier, FIRST_NIGHT) == CLAIMED
        mine = process_owner()
        assert mine.startswith(f"{socket.gethostname()}:{os.getpid()}:") and mine != process_owner()
        assert db.nights.claim("2026-11-27", mine, FIRST_NIGHT) == CLAIMED
    finally:
        db.close()
