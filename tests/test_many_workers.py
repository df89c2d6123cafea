"""Many workers, one night: real `certcheck nightly --once` processes sharing one PostgreSQL.

Each worker is the installed entry point in a process of its own, against
the test internet and the Slack stand-in over HTTP. The night is a few
hundred domains that do not exist (`dns_nxdomain`: critical, so each
alerts, and cheap to check), each subscribed by a channel of its own, plus
two fixture sites; work items of ten domains, so the workers take turns.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest
from sqlalchemy import text

from bot.db import Database
from tests.sweeps import TEAM, nightly_process

NIGHT = "2026-11-27"
GONE = [f"gone-{n:03d}.workers.test" for n in range(200)]
ALERTING = [*GONE, "nightly-a.test"]  # basic-all: an access restriction
DOMAINS = [*ALERTING, "open.test"]
WORKER = {"CERTCHECK_SWEEP_BATCH": "10", "CERTCHECK_SWEEP_CONCURRENCY": "16"}


def channel(domain: str) -> str:
    return f"C{DOMAINS.index(domain):04d}"


@pytest.fixture
def workers_db(internet, postgres, site):
    name = postgres.database()
    url = postgres.url(name)
    db = Database(url)
    for domain in DOMAINS:
        db.subscriptions.subscribe(TEAM, channel(domain), domain, "U1")
    yield url, db
    db.close()
    postgres.drop(name)


def worker(internet, slack, url, **env: str):
    return nightly_process(internet, slack, url, installed=True, **{**WORKER, **env})


def history(db: Database) -> Counter[str]:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT domain FROM check_history WHERE night = :n"), {"n": NIGHT})
        return Counter(rows.scalars())


def pids(db: Database) -> dict[int, int]:
    """Work items done, by the pid of the worker that did them."""
    return {int(owner.split(":")[1]): count for owner, count in db.items.done_by(NIGHT).items()}


def assert_once_each(db: Database, slack) -> None:
    assert history(db) == Counter(DOMAINS)  # every domain checked, none twice
    for domain in ALERTING:
        assert len(slack.delivered(channel(domain))) == 1, domain
    assert slack.delivered(channel("open.test")) == []
    assert db.nights.is_done(NIGHT) and db.items.left(NIGHT) == 0
    with db.engine.connect() as connection:
        states = connection.execute(text("SELECT state, count(*) FROM outbox GROUP BY state")).all()
    assert states == [("sent", len(ALERTING))]


def test_two_workers_share_one_night_and_each_domain_is_checked_and_told_once(internet, slack, workers_db):
    url, db = workers_db
    runs = [worker(internet, slack, url) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    claims = sorted(out.split(";")[0].split(": ")[1] for out, _ in outputs)
    assert claims == ["claimed", "joined"], outputs
    assert_once_each(db, slack)
    done = pids(db)
    assert set(done) == {run.pid for run in runs}, done  # both did some of the night
    assert sum(done.values()) == db.items.count(NIGHT) == 21


def test_a_worker_killed_mid_night_loses_only_its_lease(internet, slack, workers_db):
    url, db = workers_db
    first = worker(internet, slack, url)
    try:
        # Its log says when it has recorded a dozen domains: well into its second item.
        checked = 0
        assert first.stderr is not None
        for line in first.stderr:
            checked += " checked " in line
            if checked == 12:
                break
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert 0 < sum(history(db).values()) < len(DOMAINS)
    assert not db.nights.is_done(NIGHT)
    # Another worker joins; the dead one's item is freed at once (its pid is gone from this host).
    second = worker(internet, slack, url)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "claimed" in out and "night finished" in out, out  # the dead claimer's claim taken over
    assert "taken back" in err, err
    assert_once_each(db, slack)
    done = pids(db)
    assert done[second.pid] >= 1 and set(done) <= {first.pid, second.pid}, done
