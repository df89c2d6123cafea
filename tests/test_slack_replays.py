"""Replays refused across web processes: two servers on one database (SQLite,
then PostgreSQL), the memory in front of it, and a database that does not answer."""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import event, func, select

from bot.db import Database
from bot.db.models import SeenRequest
from bot.slack.replays import PRUNE_EVERY, Replays
from tests.slack.harness import SECRET
from tests.slack.standin import signed_post


def inserts_into_seen(engine: Any) -> list[str]:
    """Every INSERT into slack_seen_requests made through `engine`, from now on."""
    seen: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO slack_seen_requests"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    return seen


def test_a_request_answered_by_one_process_is_refused_by_another(start_bot, slack):
    first, second = start_bot(), start_bot()
    body = first.command_body("help", response="once")
    stamp = int(time.time())
    answered = signed_post(first.url + "/slack/events", SECRET, body, timestamp=stamp)
    replayed = signed_post(second.url + "/slack/events", SECRET, body, timestamp=stamp)
    assert (answered.status_code, replayed.status_code) == (200, 401)
    # And the other way round, for a request the second process saw first.
    fresh = first.command_body("help", response="twice")
    assert signed_post(second.url + "/slack/events", SECRET, fresh, timestamp=stamp).status_code == 200
    assert signed_post(first.url + "/slack/events", SECRET, fresh, timestamp=stamp).status_code == 401
    slack.wait_posts("twice")
    assert len(slack.posts("once")) == 1 and len(slack.posts("twice")) == 1


def test_a_flood_of_replays_to_one_process_costs_one_database_write(start_bot, slack):
    bot = start_bot()
    writes = inserts_into_seen(bot.services.db.engine)
    body = bot.command_body("help", response="flood")
    stamp = int(time.time())
    codes = [signed_post(bot.url + "/slack/events", SECRET, body, timestamp=stamp).status_code for _ in range(20)]
    assert codes == [200] + [401] * 19
    assert len(writes) == 1


def test_a_database_that_does_not_answer_lets_slacks_requests_through_with_a_warning(start_bot, slack, caplog):
    bot = start_bot()
    caplog.set_level(logging.WARNING, logger="bot.slack.replays")
    body = bot.command_body("help", response="locked")
    stamp = int(time.time())
    release = lock_seen_requests(bot.settings.database_url)
    try:
        assert signed_post(bot.url + "/slack/events", SECRET, body, timestamp=stamp).status_code == 200
        slack.wait_posts("locked")
        # This process still refuses a replay of what it answered meanwhile.
        assert signed_post(bot.url + "/slack/events", SECRET, body, timestamp=stamp).status_code == 401
    finally:
        release()
    assert any("replay memory in the database unavailable" in r.getMessage() for r in caplog.records)
    assert bot.command("help", response="after").status_code == 200
    slack.wait_posts("after")
    assert len(slack.posts("locked")) == 1


def test_rows_older_than_the_window_are_pruned_by_their_index(slack_db):
    db = Database(slack_db)
    try:
        now = datetime.now(timezone.utc)
        assert db.seen_requests.first_sighting("v0=old", now - timedelta(minutes=6))
        assert db.seen_requests.first_sighting("v0=new", now)
        assert not db.seen_requests.first_sighting("v0=new", now)
        assert db.seen_requests.prune(now - timedelta(minutes=5)) == 1
        with db.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(SeenRequest)).scalar() == 1
    finally:
        db.close()


def test_every_hundredth_insert_prunes_what_left_the_window(slack_db):
    db = Database(slack_db)
    replays = Replays(db.seen_requests)
    try:
        now = time.time()
        db.seen_requests.first_sighting("v0=long-ago", datetime.fromtimestamp(now - 600, timezone.utc))
        assert all(replays.first_time(f"v0={n:064x}", now) for n in range(PRUNE_EVERY))
        replays.close(wait=True)
        with db.engine.connect() as connection:
            signatures = set(connection.execute(select(SeenRequest.signature)).scalars())
        assert "v0=long-ago" not in signatures and len(signatures) == PRUNE_EVERY
    finally:
        db.close()


def lock_seen_requests(url: str):
    """Hold a lock that keeps every write to slack_seen_requests waiting; returns its release."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        connection.execute("LOCK TABLE slack_seen_requests IN ACCESS EXCLUSIVE MODE")

    def release() -> None:
        connection.rollback()
        connection.close()

    return release
