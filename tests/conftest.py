"""Shared pytest fixtures. Each block below belongs to one part of the project."""

import pathlib
import sys

import pytest

# tests/ has no __init__.py, so pytest puts tests/ itself on sys.path; the
# repository root is needed to import the `tests.*` helper packages.
_ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


# --- Test internet (tests/internet/): DNS + web servers on 127.77.0.0/16 -----
from tests.internet import TestInternet  # noqa: E402


@pytest.fixture(scope="session")
def internet(tmp_path_factory: pytest.TempPathFactory):
    """The fixture sites of tests/internet/sites.py, running for the whole session.

    Point a check at it with `env={**os.environ, **internet.env()}`. Tests that
    change it (`set_site`, `add_record`) must put back what they changed.
    """
    net = TestInternet(tmp_path_factory.mktemp("internet")).start()
    yield net
    net.stop()


# --- end of test internet -----------------------------------------------------


# --- Slack app (bot/): fixtures for tests/test_slack_*.py; owned by the Slack app's author ---
# --- Pebble, Let's Encrypt's ACME test server (tests/pebble.py), for the CA probe ---
import os  # noqa: E402

from tests.pebble import Pebble, find_pebble  # noqa: E402
from tests.slack.fixtures import slack, slack_db, start_bot  # noqa: E402,F401

# --- The nightly sweep (tests/sweeps.py) ---
from tests.sweeps import night, site  # noqa: E402,F401


@pytest.fixture(scope="session")
def pebble(internet, tmp_path_factory):
    """Pebble validating against the test internet; installed by scripts/test."""
    if find_pebble() is None:
        message = "pebble is not installed (scripts/test installs it: apt-get install pebble)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = Pebble(tmp_path_factory.mktemp("pebble"), internet).start()
    yield server
    server.stop()


# --- end of Pebble ---


# --- Databases: every store, nightly and Slack test runs on SQLite and on PostgreSQL ---
from tests.postgres import PostgresServer, find_postgres  # noqa: E402


@pytest.fixture(scope="session")
def postgres():
    """The suite's own PostgreSQL (tests/postgres.py); scripts/test installs Debian's package."""
    bindir = find_postgres()
    if bindir is None:
        message = "PostgreSQL is not installed (scripts/test installs it: apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


def _database(request, tmp_path, *, migrated: bool):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'certcheck.sqlite3'}"
        if migrated:
            from bot.db.migrate import upgrade

            upgrade(url)
        yield url
        return
    server = request.getfixturevalue("postgres")
    name = server.database(migrated=migrated)
    yield server.url(name)
    server.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh database at the newest schema (as `certcheck db upgrade` leaves it), on each kind we support."""
    yield from _database(request, tmp_path, migrated=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A fresh database with no tables at all, on each kind we support."""
    yield from _database(request, tmp_path, migrated=False)


# --- end of databases ---

# --- The CA's schedule (tests/schedule_fixtures.py): hierarchy, ARI and CT stand-ins, served chains ---
from tests.schedule_fixtures import anchors, ca, ct, hierarchy, serve  # noqa: E402,F401
# --- end of the CA's schedule ---
