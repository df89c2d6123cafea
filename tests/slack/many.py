"""Thousands of subscriptions written straight through SQLAlchemy: the
overview tests need the volume, not the slash commands that would make it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from bot.db import Database
from bot.db.models import AlertState, CheckHistory, Subscription


def subscribe_many(db: Database, team: str, count: int, *, channels: int = 1, problems_every: int = 7) -> None:
    """`count` subscriptions of `team` over `channels` channels, each domain checked once:
    every `problems_every`-th critical, the next one warning, one in a hundred paused."""
    checked = datetime.now(timezone.utc) - timedelta(hours=1)
    night = checked.date().isoformat()
    subs, history = [], []
    for i in range(count):
        domain = f"site-{i:05d}.example.com"
        verdict = "critical" if i % problems_every == 0 else "warning" if i % problems_every == 1 else "ok"
        subs.append(
            {
                "team_id": team,
                "channel_id": f"C{i % channels:04d}",
                "domain": domain,
                "created_by": "U0001",
                "created_at": checked - timedelta(days=30),
                "lang": "ja" if i % 2 else "en",
                "tz": "Asia/Tokyo",
            }
        )
        history.append(
            {
                "night": night,
                "domain": domain,
                "checked_at": checked,
                "verdict": verdict,
                "renewable": verdict != "critical",
                "findings": json.dumps([]),
                "cert_not_after": checked + timedelta(days=5 + i % 80, hours=3),
            }
        )
    with db.engine.begin() as connection:
        connection.execute(insert(Subscription), subs)
        connection.execute(insert(CheckHistory), history)
        ids = connection.scalars(
            select(Subscription.id).where(Subscription.team_id == team).order_by(Subscription.id)
        ).all()
        paused = [
            {
                "subscription_id": sub_id,
                "active": False,
                "severity": 0,
                "codes": "[]",
                "paused_reason": "not_in_channel",
                "paused_at": checked,
            }
            for sub_id in ids[::100]
        ]
        if paused:
            connection.execute(insert(AlertState), paused)
