"""The nightly renewal dry run of every subscribed domain.

One sweep a night, claimed in the database; the night's domains are work
items (bot/db/items.py) that every process running the sweep claims in turn,
so any number of workers share it and each domain is checked once, with
bounded concurrency and its own timeout; a transient failure is retried once.
For each domain, in one transaction: its result goes to the history, each
subscriber's alert state is advanced by the policy, and the messages due are
written to the outbox (only while this worker still holds the item). Then
the outbox is delivered, and whoever sees the last item done ends the night.
A worker killed at any point loses only its lease; the night resumes where it stopped: checked domains are not checked again, and
an outbox message whose send was interrupted is looked up in the channel
before it is sent again, so nothing is lost and nothing is posted twice.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, TypeVar

from checks import Options, Report
from checks.ca_probe import CaPhase, CaProbeSettings, with_ca_view
from checks.schedule import ScheduleSettings

from .. import metrics
from ..db import Database
from ..db.items import Hold, LeaseLost
from ..db.nights import DONE, process_owner
from ..db.results import Planned
from ..renewal import Renewal
from ..slack import blocks
from ..slack.channels import UNTIL_INVITED
from .batches import Batches, heartbeats
from .ca_schedule import NightSchedule
from .checking import Checked, Clock, check_with_retry, history_row, nights_in_a_row, observe, seen_in
from .delivery import deliver
from .pacing import AddressPacing, first_address
from .policy import State, decide
from .processes import PROCESSES_FROM, CheckProcesses, ChildDied, cpus, event_loop, workers_allowed
from .recovery import Wait, wait_seconds
from .schedule import night_of
from .settings import NightlySettings

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class SweepSummary:
    night: str
    claim: str
    domains: int = 0
    checks: int = 0
    retried: int = 0
    planned: int = 0
    sent: int = 0
    paused: int = 0
    failed: int = 0
    recovered: int = 0  # found already posted after a killed sweep
    pacing_peak: int = 0  # most checks in flight on one address at once
    unrecorded: int = 0  # checked, but the database would not take the result: lost for this night
    possible_duplicates: int = 0  # sent again where the history could not be read
    items: int = 0  # work items this worker finished
    lost: int = 0  # work items taken over by another worker (a lease that ran out)
    left: int = 0  # work items of the night not done when this worker stopped (others hold them)
    finished: bool = False  # this worker saw the last item done and ended the night
    seconds: float = 0.0


class Sweeper:
    """Runs sweeps against one database, one Slack client and one check set-up."""

    def __init__(
        self,
        db: Database,
        slack: Any,
        options: Options,
        settings: NightlySettings,
        *,
        clock: Clock | None = None,
        ca_settings: CaProbeSettings | None = None,
        schedule: ScheduleSettings | None = None,
        client_for: Callable[[str], Any] | None = None,
        wait: Wait = wait_seconds,
    ) -> None:
        self.db = db
        # How delivery waits (backoff, Retry-After); tests move a clock instead.
        self.wait = wait
        self.slack = slack
        # Each team's own client (Services.client_for); None: `slack` for every team.
        self.client_for = client_for
        self.options = options
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.owner = process_owner()
        # Asked only when the process has the CA probe on (Settings.ca_probe) and the night a budget.
        self.ca_settings = ca_settings if settings.ca_probes else None
        self.acme_state = db.acme
        self._remote: CheckProcesses | None = None
        # ARI and CT: one phase per night (one budget, the database's caches).
        self.schedule = NightSchedule(db, options, schedule, settings.schedule_requests)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certcheck-sweep-db")

    # One sweep -----------------------------------------------------------

    def run_once(self, night: str | None = None, *, force: bool = False) -> SweepSummary:
        """Sweep `night` (default: tonight) with whichever workers join it, then deliver; `force`: even if done."""
        started = time.monotonic()
        now = self.clock()
        night = night or night_of(now, self.settings.tz)
        claim = self.db.nights.claim(night, self.owner, now, force=force, batch=self.settings.batch)
        summary = SweepSummary(night=night, claim=claim)
        # The claim and this worker's leases are kept alive until the outbox
        # is delivered, so that no other process takes them over meanwhile.
        with heartbeats(self.db, night, self.owner, self.clock, self.settings.heartbeat_seconds):
            try:
                if claim != DONE:
                    with asyncio.Runner(loop_factory=event_loop) as runner:
                        runner.run(self._check_all(night, self.db.nights.run(night), summary))
            finally:
                # Deliver even when the night was done (a post that failed for a
                # transient reason is still waiting) and when the sweep broke
                # off: alerts already recorded go out whatever came after them.
                self._deliver(summary)
        if claim != DONE:
            self._end_night(night, summary)
        summary.seconds = time.monotonic() - started
        metrics.observe_sweep(summary, time.time())
        metrics.export_after_sweep()
        log.info("sweep %s: %s", night, summary)
        return summary

    def _end_night(self, night: str, summary: SweepSummary) -> None:
        summary.left = self.db.items.left(night)
        if summary.left:
            # Held by other workers, or given back: the next run checks only what has no result yet.
            log.info("night %s: %d work items not done yet; the night stays open", night, summary.left)
            return
        if self.db.nights.finish(night, self.clock(), self.db.nights.domains_recorded(night)):
            summary.finished = True
            self.db.results.prune(self.clock() - timedelta(days=self.settings.history_days))

    async def _check_all(self, night: str, run: int, summary: SweepSummary) -> None:
        concurrency = workers_allowed(self.settings.concurrency)
        # About one domain waiting per check in flight: a worker claims an item
        # only when it has room for it, so items stay free for other workers.
        queue: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue(maxsize=concurrency)
        batches = Batches(self.db.items, night, self.owner)
        count = self.settings.processes or (cpus() if self.db.results.domain_count() > PROCESSES_FROM else 1)
        self.schedule.open()
        self._remote = CheckProcesses(count, self.options, self.schedule.for_children(count)) if count > 1 else None
        pacing = (
            AddressPacing[tuple[str, int]](self.settings.per_address, self.settings.per_address_rate)
            if self.settings.per_address
            else None
        )
        workers = [
            asyncio.create_task(self._worker(night, run, batches, queue, summary, pacing)) for _ in range(concurrency)
        ]
        try:
            while (claimed := await self._in_db(batches.claim)) is not None:
                item, domains = claimed
                for domain in domains:
                    await queue.put((domain, item.id))
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            summary.items, summary.lost = batches.done, batches.lost
            summary.pacing_peak = pacing.peak if pacing else 0
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if self._remote is not None:
                self._remote.close()
                self._remote = None
            await self.schedule.close()
            await self._in_db(self.schedule.flush)

    async def _in_db(self, work: Callable[..., T], *args: Any) -> T:
        """Run database work on the sweep's one database thread.

        One writer, in order: SQLite allows one at a time, and writers from
        several threads wait on each other in SQLite's busy handler, which
        sleeps. The sweep measured 104 s for 10,000 domains that way.
        """
        return await asyncio.get_running_loop().run_in_executor(self._db, functools.partial(work, *args))

    async def _worker(
        self,
        night: str,
        run: int,
        batches: Batches,
        queue: asyncio.Queue[tuple[str, int] | None],
        summary: SweepSummary,
        pacing: AddressPacing[tuple[str, int]] | None,
    ) -> None:
        while (queued := await queue.get()) is not None:
            next_domain, item_id = queued
            if pacing is None:
                await self._sweep_one(night, run, batches, next_domain, item_id, summary)
                continue
            address = await first_address(next_domain, self.options)
            if not pacing.admit(address, queued):
                continue  # queued behind its address: the check that frees it runs this one
            waiting: tuple[str, int] | None = queued
            while waiting is not None:
                try:
                    await pacing.pace(address)
                    await self._sweep_one(night, run, batches, *waiting, summary)
                finally:
                    waiting = pacing.release(address)

    async def _sweep_one(
        self, night: str, run: int, batches: Batches, domain: str, item_id: int, summary: SweepSummary
    ) -> None:
        if batches.is_lost(item_id):
            await self._in_db(batches.end, item_id)  # another worker has this item now
            return
        summary.domains += 1
        try:
            # Await first: `summary.planned += await ...` reads the count before
            # the await and loses what other workers added meanwhile.
            planned = await self._one_domain(night, run, batches, domain, item_id, summary)
        except Exception:  # noqa: BLE001 - a database fault costs this domain, not the night
            log.exception("recording %s failed; the night goes on without it", domain)
            summary.unrecorded += 1
            await self._in_db(functools.partial(batches.end, item_id, failed=True))
            return
        summary.planned += planned

    async def _one_domain(
        self, night: str, run: int, batches: Batches, domain: str, item_id: int, summary: SweepSummary
    ) -> int:
        """Check one domain, once per way its subscriptions say it renews, and record it; the messages planned."""
        subscribers = await self._in_db(self.db.results.subscribers, domain)
        if not subscribers or await self._in_db(self.db.results.checked, night, domain):
            await self._in_db(batches.end, item_id)
            return 0  # unsubscribed since the night was listed, or a killed worker already did this one
        # The night's CA budget is shared by every worker, through the database: one probe per domain.
        probe = self.ca_settings is not None and await self._in_db(
            self.db.nights.take_ca_probe, night, self.settings.ca_probes
        )
        checked = Checked(subscribers, {})
        try:
            for renewal in checked.ways():
                checked.reports[renewal] = await self._check(domain, renewal, summary, probe=probe)
        except Exception:  # noqa: BLE001 - one broken domain must not stop the night
            log.exception("checking %s failed", domain)
            await self._in_db(batches.end, item_id)
            return 0
        return await self._in_db(self._record_held, night, run, batches, item_id, checked)

    def _record_held(self, night: str, run: int, batches: Batches, item_id: int, checked: Checked) -> int:
        """`_record` under the item's lease; the item closed with it when this is its last domain."""
        hold = batches.hold(item_id)
        try:
            planned = self._record(night, checked, run=run, hold=hold)
        except LeaseLost:
            batches.end(item_id, lost=True)
            return 0
        batches.end(item_id, recorded=hold)
        return planned

    async def _check(self, domain: str, renewal: Renewal, summary: SweepSummary, *, probe: bool) -> Report:
        # A client per check, not one for the sweep: with keep-alive off a
        # shared pool only holds connections in flight, and httpcore scans
        # all of them on every request, which grows with the square of the
        # concurrency.
        checked = None
        if self._remote is not None:
            try:
                report, retried, learnt = await self._remote.check(domain, self.clock(), renewal)
                self.schedule.learn(learnt)
                checked = report, retried
            except ChildDied:
                # A crashed child must not cost the night its remaining domains.
                log.warning("a check process died; checking %s in the sweep's process", domain)
        options = renewal.options(self.options)
        report, retried = checked or await check_with_retry(domain, options, self.clock, schedule=self.schedule.phase)
        summary.checks += 1 + retried
        summary.retried += retried
        if probe and self.ca_settings is not None:
            # A second check of the domain reuses the answer the first one got (CERTCHECK_CA_PROBE_HOURS).
            phase = CaPhase(self.ca_settings, self.acme_state)
            report = await with_ca_view(report, options, phase, now=self.clock())
        return await self._in_db(self.schedule.with_replacement, report)

    def _record(self, night: str, checked: Checked, *, run: int = 0, hold: Hold | None = None) -> int:
        """Tonight's result, states and messages for one domain; the count of messages.

        Each subscription is judged by the check made its way; the history keeps the worst of them."""
        now = self.clock()
        for report in checked.reports.values():
            observe(report)
        kept = checked.kept()
        states: dict[int, State] = {}
        messages: list[Planned] = []
        nights = None
        for sub in checked.subscribers:
            report = checked.reports[sub.renewal]  # the check made this subscription's way
            if sub.paused_reason and sub.paused_reason not in UNTIL_INVITED:
                # Paused until someone acts; a missing invitation is tried
                # again each night, and the first post that lands lifts it.
                continue
            decision = decide(sub.state, seen_in(report), now, self.settings.remind_days)
            states[sub.subscription_id] = decision.state
            if decision.kind is None:
                continue
            if nights is None:
                nights = nights_in_a_row(self.db.results.history(kept.domain, 30), kept.verdict.value)
            audience = self.db.subscriptions.audience(sub.team_id, sub.channel_id)
            lang, tz = audience.lang or "en", audience.tz or self.settings.tz
            message = blocks.alert_message(report, decision.kind.value, lang, nights=nights, tz=tz)
            messages.append(Planned(sub, decision.kind.value, message.text, message.blocks))
        self.db.results.record(night, kept.domain, now, history_row(kept), states, messages, run=run, hold=hold)
        self.schedule.flush()  # what the CA and CT said, kept even if the sweep is killed next
        return len(messages)

    # Delivery --------------------------------------------------------------

    def _deliver(self, summary: SweepSummary) -> None:
        result = deliver(
            self.db.outbox,
            self.slack,
            self.clock,
            self.settings.channel_interval,
            subscriptions=self.db.subscriptions,
            alerts=self.db.alerts,
            client_for=self.client_for,
            wait=self.wait,
            owner=self.owner,
        )
        summary.sent += result.sent
        summary.paused += result.paused
        summary.failed += result.failed
        summary.recovered += result.recovered
        summary.possible_duplicates += result.possible_duplicates
