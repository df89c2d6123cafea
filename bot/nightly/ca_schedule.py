"""The CA's schedule for one night's sweep: one phase, the database's caches, replacements dated.

`Sweeper` opens one `NightSchedule` per night: one `CaSchedule` (one HTTP client,
one request budget) over `db.ari_answers` / `db.ct_answers`, whose answers are
written by `flush()` on the sweep's database thread. `with_replacement` runs
there too: it compares tonight's certificate with the last night's.
"""

from __future__ import annotations

from checks import Options, Report
from checks.schedule import CaSchedule, ScheduleSettings, open_schedule
from checks.webapi import RequestBudget

from ..db import Database
from .replacement import with_replacement_note


class NightSchedule:
    def __init__(self, db: Database, options: Options, settings: ScheduleSettings | None) -> None:
        self.db, self.options, self.settings = db, options, settings
        self.phase: CaSchedule | None = None

    def open(self) -> CaSchedule | None:
        """Tonight's phase; None when ARI and CT are both off (or not configured)."""
        self.phase = open_schedule(
            self.options,
            self.settings,
            ari_cache=self.db.ari_answers,
            ct_cache=self.db.ct_answers,
            budget=RequestBudget(),
        )
        return self.phase

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
