"""Signed Slack requests already answered (`slack_seen_requests`): the replay
memory every web process shares.

The signature covers the request's timestamp, and a timestamp older than
Slack's 5-minute window is refused before this table is asked, so a row is
of use only for that window; older rows are pruned by the `seen_at` index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from .models import SeenRequest


class SeenRequests:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def first_sighting(self, signature: str, at: datetime) -> bool:
        """Remember `signature`; False when some process remembered it already.

        One short transaction of its own: the primary key decides, so two
        processes given the same request at the same moment cannot both win."""
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(SeenRequest).values(signature=signature, seen_at=at))
        except IntegrityError:
            return False
        return True

    def prune(self, before: datetime) -> int:
        """Forget requests seen before `before` (a range on the `seen_at` index)."""
        with self._engine.begin() as connection:
            return int(connection.execute(delete(SeenRequest).where(SeenRequest.seen_at < before)).rowcount or 0)
