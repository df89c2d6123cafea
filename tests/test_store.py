"""The store on a real SQLite file and a real PostgreSQL, with the schema made by Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.db.migrate import downgrade, schema_is_current, upgrade
from bot.db.subscriptions import SubscribeOutcome


@pytest.fixture
def db_url(database_url: str) -> str:
    """A fresh database at the newest schema, SQLite then PostgreSQL (tests/conftest.py)."""
    return database_url


def _tables(url: str) -> set[str]:
    store = Database(url)
    try:
        return set(inspect(store.engine).get_table_names())
    finally:
        store.close()


def test_upgrade_downgrade_upgrade_round_trip(empty_database_url: str):
    url = empty_database_url
    upgrade(url)
    assert {"subscriptions", "channel_settings", "alembic_version"} <= _tables(url)
    store = Database(url)
    store.subscriptions.subscribe("T1", "C1", "example.com", "U1")
    store.close()

    downgrade(url, "base")
    assert _tables(url) <= {"alembic_version"}

    upgrade(url)
    store = Database(url)
    assert schema_is_current(store.engine)
    assert store.subscriptions.for_channel("T1", "C1") == []  # the downgrade dropped the data with the table
    assert store.subscriptions.subscribe("T1", "C1", "example.com", "U1") is SubscribeOutcome.CREATED
    store.close()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    upgrade(url)
    store = Database(url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.close()


def test_a_fresh_database_is_not_current_until_upgraded(empty_database_url: str):
    url = empty_database_url
    store = Database(url)
    assert not schema_is_current(store.engine)
    upgrade(url)
    assert schema_is_current(store.engine)
    store.close()


def test_subscriptions_are_unique_per_channel_and_capped(db_url: str):
    store = Database(db_url, max_subscriptions=2)
    assert store.subscriptions.subscribe("T1", "C1", "a.example", "U1") is SubscribeOutcome.CREATED
    assert store.subscriptions.subscribe("T1", "C1", "a.example", "U2") is SubscribeOutcome.ALREADY
    assert store.subscriptions.subscribe("T1", "C2", "a.example", "U2") is SubscribeOutcome.CREATED
    assert store.subscriptions.subscribe("T2", "C1", "a.example", "U2") is SubscribeOutcome.CREATED
    assert store.subscriptions.subscribe("T1", "C1", "b.example", "U1") is SubscribeOutcome.CREATED
    assert store.subscriptions.subscribe("T1", "C1", "c.example", "U1") is SubscribeOutcome.LIMIT
    rows = store.subscriptions.for_channel("T1", "C1")
    assert [r.domain for r in rows] == ["a.example", "b.example"]
    assert rows[0].created_by == "U1" and rows[0].created_at.tzinfo is not None
    assert [len(store.subscriptions.for_channel(t, c)) for t, c in (("T1", "C1"), ("T1", "C2"), ("T2", "C1"))] == [
        2,
        1,
        1,
    ]
    # The database itself refuses a duplicate, whatever the code above it does.
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO subscriptions (team_id, channel_id, domain, created_by, created_at)"
                " VALUES ('T1', 'C1', 'a.example', 'U9', '2026-01-01')"
            )
        )
    store.close()


def test_channel_language(db_url: str):
    store = Database(db_url)
    assert store.subscriptions.channel_lang("T1", "C1") is None
    store.subscriptions.set_channel_lang("T1", "C1", "ja")
    store.subscriptions.set_channel_lang("T1", "C1", "en")
    store.subscriptions.set_channel_lang("T2", "C1", "ja")
    assert store.subscriptions.channel_lang("T1", "C1") == "en"
    assert store.subscriptions.channel_lang("T2", "C1") == "ja"
    store.close()


def test_an_uninstalled_team_is_paused_and_resumed_by_subscribing_again(db_url: str):
    from datetime import datetime, timezone

    store = Database(db_url)
    store.subscriptions.subscribe("T1", "C1", "a.example", "U1")
    store.subscriptions.subscribe("T1", "C2", "b.example", "U1")
    store.subscriptions.subscribe("T2", "C1", "a.example", "U1")
    assert store.alerts.pause_team("T1", "app_uninstalled", datetime.now(timezone.utc)) == 2
    assert store.alerts.pauses("T1", "C1") == {"a.example": "app_uninstalled"}
    assert store.alerts.pauses("T2", "C1") == {}
    assert store.alerts.resume("T1", "C1", "a.example") and store.alerts.pauses("T1", "C1") == {}
    assert not store.alerts.resume("T1", "C1", "a.example")  # nothing left to resume
    store.close()


def test_db_upgrade_command_creates_the_schema(empty_database_url: str, tmp_path: Path):
    url = empty_database_url
    code = "import sys; from bot.cli import main; sys.exit(main(['db', 'upgrade']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"DATABASE_URL": url, "PATH": ""},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert {"subscriptions", "channel_settings"} <= _tables(url)


def test_the_migrations_make_exactly_the_tables_the_models_describe(db_url: str):
    """Autogenerate compares the models with the migrated schema: it must find nothing.

    A table the models forget would be written as `drop_table` by the next
    `alembic revision --autogenerate`; a column a migration forgets would
    fail at run time.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bot.db.models import Base

    store = Database(db_url)
    try:
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        store.close()
    assert differences == []


def _alert_state_count(store: Database) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM alert_states")).scalar_one()


def test_unsubscribing_deletes_the_alert_state_with_the_subscription(db_url: str):
    """ON DELETE CASCADE, on PostgreSQL and (with its foreign keys on) on SQLite: prune sweeps nothing."""
    from datetime import datetime, timezone

    store = Database(db_url)
    store.subscriptions.subscribe("T1", "C1", "a.example", "U1")
    store.subscriptions.subscribe("T1", "C1", "b.example", "U1")
    now = datetime.now(timezone.utc)
    assert store.alerts.pause_team("T1", "app_uninstalled", now) == 2
    assert _alert_state_count(store) == 2
    assert store.subscriptions.unsubscribe("T1", "C1", "a.example")
    assert _alert_state_count(store) == 1
    # A state for a subscription that does not exist is refused, as PostgreSQL always did.
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO alert_states (subscription_id, active, severity, codes) VALUES (999999, false, 0, '[]')")
        )
    store.close()


def test_ids_grow_past_32_bits(db_url: str):
    """check_history gains a row per domain a night: 2**31 is months away at ten million domains."""
    from datetime import datetime, timezone

    from bot.nightly.policy import State

    big = 2**40
    store = Database(db_url)
    with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in ("subscriptions", "check_history", "outbox"):
                connection.execute(text(f"ALTER SEQUENCE {table}_id_seq RESTART WITH {big}"))
        else:  # SQLite's next rowid is one past the largest
            connection.execute(
                text(
                    "INSERT INTO subscriptions (id, team_id, channel_id, domain, created_by, created_at)"
                    f" VALUES ({big - 1}, 'T0', 'C0', 'z.example', 'U0', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO check_history (id, night, domain, checked_at, verdict, findings)"
                    f" VALUES ({big - 1}, '2026-01-01', 'z.example', '2026-01-01', 'ok', '[]')"
                )
            )
    store.subscriptions.subscribe("T1", "C1", "a.example", "U1")
    [sub] = store.results.subscribers("a.example")
    assert sub.subscription_id >= big
    result = {"verdict": "critical", "renewable": False, "findings": []}
    store.results.record(
        "2026-12-01",
        "a.example",
        datetime.now(timezone.utc),
        result,
        {sub.subscription_id: State(active=True, severity=2)},
        [],
    )
    assert store.results.subscribers("a.example")[0].state == State(active=True, severity=2)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT max(id) FROM check_history")).scalar_one() >= big
    store.close()


def test_alert_states_keep_code_and_name_and_read_rows_of_codes_alone(db_url: str):
    from datetime import datetime, timezone

    from bot.nightly.policy import ANY_NAME, State

    store = Database(db_url)
    store.subscriptions.subscribe("T1", "C1", "a.example", "U1")
    store.subscriptions.subscribe("T1", "C2", "a.example", "U1")
    old, new = (sub.subscription_id for sub in store.results.subscribers("a.example"))
    with store.engine.begin() as connection:
        # A row as the sweep wrote it before findings carried names.
        connection.execute(
            text("INSERT INTO alert_states (subscription_id, active, severity, codes) VALUES (:id, true, 2, :codes)"),
            {"id": old, "codes": '["access_restricted"]'},
        )
    problems = frozenset({("access_restricted", "www.a.example"), ("names_skipped", "")})
    store.results.record(
        "2026-12-01",
        "a.example",
        datetime.now(timezone.utc),
        {"verdict": "critical", "renewable": False, "findings": []},
        {new: State(active=True, severity=2, problems=problems)},
        [],
    )
    states = {sub.subscription_id: sub.state for sub in store.results.subscribers("a.example")}
    assert states[old] == State(active=True, severity=2, problems=frozenset({("access_restricted", ANY_NAME)}))
    assert states[new] is not None and states[new].problems == problems
    store.close()
