"""What many processes share through the database: work items, the outbox, limits, the CA budget, reruns.

Two `Database` objects on one URL stand for two processes (each has its own
engine and connections); the whole-process tests are in test_many_workers.py.
Every test here runs on SQLite (one worker at a time, the same code) and on
PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timezone
from functools import partial

import pytest
from sqlalchemy import text

from bot.db import Database
from bot.db.items import Hold, LeaseLost
from bot.db.limits import SharedBuckets
from bot.db.models import PENDING
from bot.db.nights import CLAIMED, DONE, FORCED
from bot.db.owners import process_owner
from bot.db.results import Planned
from bot.settings import Rate
from bot.slack.ratelimit import CheckLimiter
from tests.sweeps import FIRST_NIGHT, TEAM, nightly_process

NIGHT = "2026-11-27"


def test_two_workers_claim_disjoint_items_that_cover_the_night(slack_db):
    first, second = Database(slack_db), Database(slack_db)
    try:
        for n in range(47):
            first.subscriptions.subscribe(TEAM, f"C{n % 5}", f"d{n:02d}.example", "U1")
        assert first.nights.claim(NIGHT, "a", FIRST_NIGHT, batch=5) == CLAIMED
        assert first.items.count(NIGHT) == 10
        claimed: dict[str, list[str]] = {}

        def work(db: Database, owner: str) -> None:
            domains = claimed.setdefault(owner, [])
            seen: set[int] = set()
            while (item := db.items.claim(NIGHT, owner, frozenset(seen))) is not None:
                seen.add(item.id)
                domains += db.items.domains(item)
                assert db.items.finish(item.id, owner)

        threads = [threading.Thread(target=work, args=(db, o)) for db, o in ((first, "a"), (second, "b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        everything = claimed["a"] + claimed["b"]
        assert sorted(everything) == [f"d{n:02d}.example" for n in range(47)]  # each domain in one item
        assert first.items.left(NIGHT) == 0
        assert sum(first.items.done_by(NIGHT).values()) == 10
    finally:
        first.close()
        second.close()


def test_an_expired_lease_is_claimed_again_and_the_old_holder_records_nothing(slack_db):
    db = Database(slack_db)
    try:
        db.subscriptions.subscribe(TEAM, "C1", "a.example", "U1")
        db.nights.claim(NIGHT, "a", FIRST_NIGHT)
        old = "elsewhere:1:0123:0"  # a worker on another machine
        item = db.items.claim(NIGHT, old)
        assert item is not None and db.items.claim(NIGHT, "b") is None  # leased: not claimable
        with db.engine.begin() as connection:  # its lease ran out (it hung, or died)
            connection.execute(text("UPDATE sweep_items SET lease_until = :t"), {"t": datetime(2000, 1, 1)})
        assert db.items.claim(NIGHT, "b") == item
        [sub] = db.results.subscribers("a.example")
        verdict = {"verdict": "critical", "renewable": False, "findings": []}
        planned = [Planned(sub, "alert", "x", [])]
        with pytest.raises(LeaseLost):
            db.results.record(NIGHT, "a.example", FIRST_NIGHT, verdict, {}, planned, hold=Hold(item.id, old, True))
        assert not db.results.checked(NIGHT, "a.example") and db.outbox.unsent() == []
        db.results.record(NIGHT, "a.example", FIRST_NIGHT, verdict, {}, planned, hold=Hold(item.id, "b", True))
        assert db.results.checked(NIGHT, "a.example") and db.items.left(NIGHT) == 0  # done with its last result
    finally:
        db.close()


def test_a_message_moves_to_sending_once_however_many_take_it(slack_db):
    first, second = Database(slack_db), Database(slack_db)
    try:
        first.subscriptions.subscribe(TEAM, "C1", "a.example", "U1")
        [sub] = first.results.subscribers("a.example")
        verdict = {"verdict": "critical", "renewable": False, "findings": []}
        first.results.record(NIGHT, "a.example", FIRST_NIGHT, verdict, {}, [Planned(sub, "alert", "x", [])])
        [message] = first.outbox.unsent()
        now = datetime.now(timezone.utc)
        assert [db.outbox.take(message.id, PENDING, now) for db in (first, second)] == [True, False]
        # One deliverer per channel: the second process waits its turn (the first runs on another machine).
        a, b = "elsewhere:4242:0123:0", process_owner()
        assert first.outbox.take_channel(TEAM, "C1", a) is True
        assert second.outbox.take_channel(TEAM, "C1", b) is False
        first.outbox.posted(TEAM, "C1", a, now)
        first.outbox.release_channel(TEAM, "C1", a)
        assert second.outbox.take_channel(TEAM, "C1", b) == now  # with the channel's pace
    finally:
        first.close()
        second.close()


def test_a_users_limit_holds_across_two_web_processes(slack_db):
    first, second = Database(slack_db), Database(slack_db)
    try:
        limiters = [
            CheckLimiter(Rate(5, 60), Rate(100, 60), partial(SharedBuckets, db.engine)) for db in (first, second)
        ]
        answers = [limiters[n % 2].admit(TEAM, "C1", "U1") for n in range(10)]
        assert answers.count(None) == 5
        assert all(refused[0] == "user" for refused in answers[5:])
    finally:
        first.close()
        second.close()


def test_the_nights_ca_budget_is_shared_by_its_workers(slack_db):
    first, second = Database(slack_db), Database(slack_db)
    try:
        first.nights.claim(NIGHT, "a", FIRST_NIGHT)
        taken = [db.nights.take_ca_probe(NIGHT, 3) for db in (first, second, first, second, first)]
        assert taken == [True, True, True, False, False]
    finally:
        first.close()
        second.close()


def outbox_rows(db: Database) -> list[tuple[int, str, str]]:
    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT run, kind, state FROM outbox ORDER BY id"))]


def test_force_sweeps_a_done_night_again_and_tells_only_what_changed(night, slack, site, internet):
    night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
    assert night.run_once().sent == 1
    assert night.run_once().claim == DONE
    again = night.sweeper.run_once(force=True)
    assert (again.claim, again.checks, again.sent, again.finished) == (FORCED, 1, 0, True)
    assert len(slack.delivered("C1")) == 1  # the same problem: not posted twice tonight
    internet.set_site(site, "open")
    fixed = night.sweeper.run_once(force=True)
    assert (fixed.claim, fixed.sent) == (FORCED, 1)
    assert slack.delivered("C1")[-1].text.startswith("Resolved")
    assert outbox_rows(night.db) == [(0, "alert", "sent"), (2, "resolved", "sent")]
    with night.db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM check_history")).scalar() == 1
    assert night.db.nights.run(NIGHT) == 2


def test_force_without_once_is_one_line_and_changes_nothing(slack_db):
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "nightly", "--force"],
        capture_output=True,
        text=True,
        env={"DATABASE_URL": slack_db, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert run.returncode == 3 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        "certcheck nightly: --force needs --once (it sweeps tonight again, then exits)"
    ]
    help_text = subprocess.run(
        [sys.executable, "-m", "bot.cli", "nightly", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "--force" in help_text and "join" in help_text


def outbox_id(post) -> int:
    meta = post.body.get("metadata")
    meta = json.loads(meta) if isinstance(meta, str) else meta
    return int(meta["event_payload"]["outbox_id"])


def test_two_processes_delivering_one_outbox_post_each_message_once(internet, slack, slack_db):
    """A done night with 36 messages waiting (4 per channel), delivered by two `nightly --once` at once."""
    db = Database(slack_db)
    verdict = {"verdict": "critical", "renewable": False, "findings": []}
    for n in range(36):
        domain = f"w{n:02d}.example"
        db.subscriptions.subscribe(TEAM, f"C{n % 9}", domain, "U1")
        [sub] = db.results.subscribers(domain)
        db.results.record(NIGHT, domain, FIRST_NIGHT, verdict, {}, [Planned(sub, "alert", domain, [])])
    db.nights.claim(NIGHT, "earlier", FIRST_NIGHT)
    assert db.nights.finish(NIGHT, FIRST_NIGHT, 36)
    runs = [nightly_process(internet, slack, slack_db) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    posted = Counter(outbox_id(post) for post in slack.delivered())
    assert sorted(posted.values()) == [1] * 36
    assert {row[2] for row in outbox_rows(db)} == {"sent"}
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT owner, next_post_at FROM channel_posts")).all()
    db.close()
    assert len(rows) == 9 and all(owner is None and after is not None for owner, after in rows)
