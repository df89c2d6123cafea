"""The CA's schedule: an optional phase of a check that asks ARI and CT about the served certificate.

Like `CaPhase`, the caller builds it and hands it to `run_check(..., schedule=...)`,
always through `open_schedule`: a nightly sweep shares one HTTP client, one
request budget and its caches (the bot's database) across every check of the
night; the CLI and a Slack check open one for their one check
(`schedule_for_one_check`), so both report what the other does. `Options()` alone never reaches the internet: no phase, no
question. Each part is off with `CERTCHECK_ARI=0` / `CERTCHECK_CT=0`.

A part that fails (the CA or a CT source down, slow, spent budget) gives no
answer, never an alarm: the lifetime rules stand in.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import AsyncIterator, Mapping

from cryptography import x509

from . import ct
from .ari import AriCache, AriClient, AriLookup, AriSettings, MemoryAriCache
from .ct import CtAnswer, CtCache, CtSettings, MemoryCtCache
from .options import Options
from .transport import api_client
from .webapi import RequestBudget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduleSettings:
    """What the phase asks: ARI (`CERTCHECK_ARI`, `CERTCHECK_ARI_DIRECTORY`) and CT
    (`CERTCHECK_CT`, `CERTCHECK_CRTSH_URL`, `CERTCHECK_CERTSPOTTER_URL`); both on unless set to 0."""

    ari: AriSettings
    ct: CtSettings

    @classmethod
    def from_env(cls, options: Options, env: Mapping[str, str] | None = None) -> "ScheduleSettings":
        return cls(AriSettings.from_env(options, env), CtSettings.from_env(options, env))

    @classmethod
    def off(cls) -> "ScheduleSettings":
        """Neither ARI nor CT asked (`CERTCHECK_ARI=0`, `CERTCHECK_CT=0`)."""
        return cls(AriSettings(enabled=False), CtSettings(enabled=False))


@dataclass(frozen=True)
class ScheduleAnswers:
    """What the CA and the CT logs said about one served certificate (None: nothing usable)."""

    ari: AriLookup | None = None
    ct: CtAnswer | None = None


class CaSchedule:
    """ARI and CT for the checks of one sweep (or one CLI run); `aclose()` when done."""

    def __init__(
        self,
        options: Options,
        settings: ScheduleSettings,
        *,
        ari_cache: AriCache | None = None,
        ct_cache: CtCache | None = None,
        budget: RequestBudget | None = None,
    ) -> None:
        ari, ct_settings = settings.ari, settings.ct
        self.budget = budget or RequestBudget()
        self.http = api_client(options.ca_file, max(ari.timeout, ct_settings.timeout))
        self.ari = AriClient(self.http, ari, ari_cache or MemoryAriCache(), self.budget)
        self.ct_settings = ct_settings
        self.ct_cache: CtCache = ct_cache or MemoryCtCache()

    @property
    def enabled(self) -> bool:
        return self.ari.settings.enabled or self.ct_settings.enabled

    async def ask(self, leaf: x509.Certificate, name: str, now: datetime) -> ScheduleAnswers:
        """The CA's window for `leaf` and the certificates logged for `name`, asked together."""
        ari, logged = await asyncio.gather(self._ari(leaf, now), self._ct(name, now))
        return ScheduleAnswers(ari, logged)

    async def _ari(self, leaf: x509.Certificate, now: datetime) -> AriLookup | None:
        try:
            return await self.ari.lookup(leaf, now)
        except Exception:  # noqa: BLE001 - the CA's trouble is never the site's alarm
            log.exception("ARI look-up failed")
            return None

    async def _ct(self, name: str, now: datetime) -> CtAnswer | None:
        if not self.ct_settings.enabled:
            return None
        try:
            return await ct.search(self.http, name, self.ct_settings, self.ct_cache, self.budget, now)
        except Exception:  # noqa: BLE001 - a CT source that is down makes the finding absent
            log.exception("CT search for %s failed", name)
            return None

    async def aclose(self) -> None:
        await self.http.aclose()


def open_schedule(
    options: Options,
    settings: ScheduleSettings | None,
    *,
    ari_cache: AriCache | None = None,
    ct_cache: CtCache | None = None,
    budget: RequestBudget | None = None,
) -> CaSchedule | None:
    """The one way the phase is built; None when ARI and CT are both off (or `settings` is None)."""
    if settings is None or not (settings.ari.enabled or settings.ct.enabled):
        return None
    return CaSchedule(options, settings, ari_cache=ari_cache, ct_cache=ct_cache, budget=budget)


@asynccontextmanager
async def schedule_for_one_check(
    options: Options, settings: ScheduleSettings | None
) -> AsyncIterator[CaSchedule | None]:
    """A phase for one check (the CLI's, a Slack check's), in memory, closed after it."""
    schedule = open_schedule(options, settings)
    try:
        yield schedule
    finally:
        if schedule is not None:
            await schedule.aclose()
