"""When the sweep runs: the night a moment belongs to, the next run, the loop, `certcheck nightly`."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol
from zoneinfo import ZoneInfo

from ..db import Database
from .settings import NightlySettings

log = logging.getLogger(__name__)


class Sweeping(Protocol):
    """What the schedule needs of a sweeper (bot.nightly.sweep.Sweeper)."""

    clock: Callable[[], datetime]
    settings: NightlySettings
    db: Database

    def run_once(self, night: str | None = None) -> object: ...


def night_of(moment: datetime, tz: str) -> str:
    """The night a sweep at `moment` belongs to: its local date."""
    return moment.astimezone(ZoneInfo(tz)).date().isoformat()


def next_run(after: datetime, settings: NightlySettings) -> datetime:
    """The first scheduled time strictly after `after`."""
    return _scheduled(after, settings, later=True)


def last_run(at: datetime, settings: NightlySettings) -> datetime:
    """The latest scheduled time at or before `at`."""
    return _scheduled(at, settings, later=False)


def _scheduled(moment: datetime, settings: NightlySettings, *, later: bool) -> datetime:
    zone = ZoneInfo(settings.tz)
    hour, minute = settings.time_of_day()
    local = moment.astimezone(zone)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if later and candidate <= local:
        candidate = (local + timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    if not later and candidate > local:
        candidate = (local - timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate.astimezone(timezone.utc)


def run_forever(sweeper: Sweeping, stop: threading.Event, *, retry_after: float = 60.0) -> None:
    """Sweep every night at the configured time until `stop` is set.

    A night whose time has passed and that is not done is swept now: late
    (the database was locked at the scheduled minute, the process started
    after it) rather than not at all. A sweep that fails, or finds another
    process sweeping, is looked at again `retry_after` seconds later, so a
    night that broke off resumes where it stopped, or is taken over.
    """
    settings = sweeper.settings
    while not stop.is_set():
        night = night_of(last_run(sweeper.clock(), settings), settings.tz)
        if _done(sweeper, night):
            _wait_until(next_run(sweeper.clock(), settings), sweeper, stop)
            continue
        try:
            sweeper.run_once(night)
        except Exception:  # noqa: BLE001 - the night is tried again, not given up
            log.exception("nightly sweep of %s failed; trying again in %.0f s", night, retry_after)
        if not _done(sweeper, night):
            stop.wait(retry_after)


def _done(sweeper: Sweeping, night: str) -> bool:
    try:
        return sweeper.db.nights.is_done(night)
    except Exception:  # noqa: BLE001 - the database is down: not done, look again later
        log.exception("could not read whether night %s is done", night)
        return False


def _wait_until(due: datetime, sweeper: Sweeping, stop: threading.Event) -> None:
    log.info("next nightly dry run at %s", due.isoformat())
    while not stop.is_set():
        left = (due - sweeper.clock()).total_seconds()
        if left <= 0:
            return
        stop.wait(min(left, 60))  # wake up now and then: clocks jump
