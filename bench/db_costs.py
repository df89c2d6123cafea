"""What one domain costs the database, on SQLite and on PostgreSQL (docs/scale.md).

    .venv/bin/python -m bench.db_costs [--domains 2000]

Subscribes N domains (one channel each), then does for every domain exactly
the database work the nightly sweep does for it, one domain after another
on one thread as the sweep's database thread does: `checked`, `subscribers`,
`history`, `channel_lang`, and `record` with one alert state and one outbox
message. Prints the mean per domain, and one bare statement round trip
(`SELECT 1`) for scale. PostgreSQL is the suite's own (tests/postgres.py: a
local server on loopback, fsync off), so the figures are a floor: a network
hop to a managed database adds its round trip to every statement.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event, text

from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.results import Planned
from bot.nightly.policy import State

NIGHT = "2026-12-01"


def measure(url: str, domains: int) -> dict[str, float]:
    db = Database(url)
    try:
        names = [f"d{i:07d}.example" for i in range(domains)]
        for i, name in enumerate(names):
            db.subscriptions.subscribe("T1", f"C{i}", name, "U1")
        with db.engine.connect() as connection:
            started = time.perf_counter()
            for _ in range(1000):
                connection.execute(text("SELECT 1"))
            round_trip = (time.perf_counter() - started) / 1000
        result = {"verdict": "critical", "renewable": False, "findings": [{"code": "access_restricted"}]}
        now = datetime.now(timezone.utc)
        statements = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1))
        started = time.perf_counter()
        for name in names:
            db.results.checked(NIGHT, name)
            subscribers = db.results.subscribers(name)
            db.results.history(name, 30)
            states = {}
            planned = []
            for sub in subscribers:
                db.subscriptions.channel_lang(sub.team_id, sub.channel_id)
                states[sub.subscription_id] = State(
                    active=True, severity=2, problems=frozenset({("access_restricted", "")})
                )
                planned.append(Planned(sub, "alert", "text", []))
            db.results.record(NIGHT, name, now, result, states, planned)
        per_domain = (time.perf_counter() - started) / domains
        return {
            "round_trip_ms": round_trip * 1000,
            "per_domain_ms": per_domain * 1000,
            "statements": statements[0] / domains,
        }
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.db_costs")
    parser.add_argument("--domains", type=int, default=2000)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.postgres import PostgresServer, find_postgres

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'costs.sqlite3'}"
        upgrade(url)
        rows = {"sqlite": measure(url, args.domains)}
    bindir = find_postgres()
    if bindir is not None:
        server = PostgresServer(bindir).start()
        try:
            rows["postgresql"] = measure(server.url(server.database()), args.domains)
        finally:
            server.stop()
    print(f"{args.domains} domains, one alert each, one thread")
    print(f"{'database':<12} {'SELECT 1 (ms)':>14} {'statements/domain':>18} {'per domain (ms)':>16} {'domains/s':>10}")
    for name, row in rows.items():
        print(
            f"{name:<12} {row['round_trip_ms']:>14.3f} {row['statements']:>18.1f} {row['per_domain_ms']:>16.2f}"
            f" {1000 / row['per_domain_ms']:>10.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
