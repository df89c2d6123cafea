"""The CA's schedule for one night's sweep: one phase, the database's caches, replacements dated.

`Sweeper` opens one `NightSchedule` per night: one `CaSchedule` (one HTTP client,
one request budget of `CERTCHECK_SCHEDULE_REQUESTS`) over `db.ari_answers` /
`db.ct_answers`, whose answers are written by `flush()` on the sweep's
database thread. `with_replacement` runs there too: it compares tonight's
certificate with the last night's.

Checks in child processes (`processes.CheckProcesses`, nights of more than
a thousand domains) ask too: each child gets a `ChildSchedule`, a share of
the night's budget and read-only caches over the same database, and sends
back what it learnt with each report; `learn()` puts that into this
process's caches, so the one database thread still writes everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from sqlalchemy import Engine

from checks import Options, Report
from checks.ari import AriAnswer
from checks.ct import CtAnswer
from checks.schedule import CaSchedule, ScheduleSettings, open_schedule
from checks.webapi import NIGHTLY_BUDGET, RequestBudget

from ..db import Database
from ..db.ca_schedule import DbAriCache, DbCtCache
from .replacement import with_replacement_note

Learnt = list[Union[AriAnswer, CtAnswer]]


@dataclass(frozen=True)
class ChildSchedule:
    """What a check process needs to ask ARI and CT itself (sent to it when it starts)."""

    settings: ScheduleSettings
    database_url: str
    requests: int  # this child's share of the night's budget


class ChildPhase:
    """A check process's `CaSchedule`: the database's answers read through its own engine,
    new ones kept for `drain()` rather than written (the sweep's process writes them)."""

    def __init__(self, options: Options, child: ChildSchedule, engine: Engine) -> None:
        self._ari, self._ct = DbAriCache(engine), DbCtCache(engine)
        phase = open_schedule(
            options, child.settings, ari_cache=self._ari, ct_cache=self._ct, budget=RequestBudget(child.requests)
        )
        # A ChildSchedule is made only for a night that has a phase (`for_children`).
        assert phase is not None
        self.phase: CaSchedule = phase

    def drain(self) -> Learnt:
        """The answers learnt since the last drain, to travel back with a report."""
        return [*self._ari.drain(), *self._ct.drain()]


class NightSchedule:
    def __init__(
        self, db: Database, options: Options, settings: ScheduleSettings | None, requests: int = NIGHTLY_BUDGET
    ) -> None:
        self.db, self.options, self.settings = db, options, settings
        self.requests = requests
        self.phase: CaSchedule | None = None

    def open(self) -> CaSchedule | None:
        """Tonight's phase; None when ARI and CT are both off (or not configured)."""
        self.phase = open_schedule(
            self.options,
            self.settings,
            ari_cache=self.db.ari_answers,
            ct_cache=self.db.ct_answers,
            budget=RequestBudget(self.requests),
        )
        return self.phase

    def for_children(self, count: int) -> ChildSchedule | None:
        """Shares of tonight's budget for `count` check processes, taken out of this
        process's own (which keeps the remainder, for checks a dead child left)."""
        if self.phase is None or self.settings is None:
            return None
        budget = self.phase.budget
        share = budget.remaining // count
        budget.used += share * count
        return ChildSchedule(self.settings, self.db.url, share)

    def learn(self, answers: Learnt) -> None:
        """A child's answers into this process's caches, for `flush()` to write."""
        for answer in answers:
            if isinstance(answer, AriAnswer):
                self.db.ari_answers.put(answer)
            else:
                self.db.ct_answers.put(answer)

    async def close(self) -> None:
        if self.phase is not None:
            await self.phase.aclose()
            self.phase = None

    def flush(self) -> None:
        """Store what the CA and the CT logs said (database thread)."""
        self.db.ari_answers.flush()
        self.db.ct_answers.flush()

    def with_replacement(self, report: Report) -> Report:
        """`report` with `ari_not_followed` when its certificate replaced last night's late (database thread)."""
        if self.phase is None:
            return report
        return with_replacement_note(report, self.db.served.last(report.domain), self.db.ari_answers)
