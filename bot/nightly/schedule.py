"""When the sweep runs: the night a moment belongs to, the next run, the loop, `certcheck nightly`."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol
from zoneinfo import ZoneInfo

from .settings import NightlySettings

log = logging.getLogger(__name__)


class Sweeping(Protocol):
    """What the schedule needs of a sweeper (bot.nightly.sweep.Sweeper)."""

    clock: Callable[[], datetime]
    settings: NightlySettings

    def run_once(self) -> object: ...


def night_of(moment: datetime, tz: str) -> str:
    """The night a sweep at `moment` belongs to: its local date."""
    return moment.astimezone(ZoneInfo(tz)).date().isoformat()


def next_run(after: datetime, settings: NightlySettings) -> datetime:
    """The first scheduled time strictly after `after`."""
    zone = ZoneInfo(settings.tz)
    hour, minute = settings.time_of_day()
    local = after.astimezone(zone)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate.astimezone(timezone.utc)


def run_forever(sweeper: Sweeping, stop: threading.Event) -> None:
    """Sweep every night at the configured time until `stop` is set."""
    while not stop.is_set():
        due = next_run(sweeper.clock(), sweeper.settings)
        log.info("next nightly dry run at %s", due.isoformat())
        while not stop.is_set():
            left = (due - sweeper.clock()).total_seconds()
            if left <= 0:
                break
            stop.wait(min(left, 60))  # wake up now and then: clocks jump
        if stop.is_set():
            return
        try:
            sweeper.run_once()
        except Exception:  # noqa: BLE001 - tomorrow is another night
            log.exception("nightly sweep failed")
