"""The nightly renewal dry run of every subscribed domain.

One sweep a night, claimed in the database so that several processes running
the schedule sweep it once. Each distinct domain is checked once, with
bounded concurrency and its own timeout; a transient failure is retried once.
For each domain, in one transaction: its result goes to the history, each
subscriber's alert state is advanced by the policy, and the messages due are
written to the outbox. Then the outbox is delivered. A sweep killed at any
point resumes where it stopped: checked domains are not checked again, and
an outbox message whose send was interrupted is looked up in the channel
before it is sent again, so nothing is lost and nothing is posted twice.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checks import Options, OptionError, Report, run_check
from checks.ca_probe import CaPhase, CaProbeSettings, with_ca_view

from . import render
from .acme_store import DbAcmeState
from .policy import Seen, State, decide
from .settings import SettingsError, env_flag, env_int
from .store import Store
from .sweep_store import BUSY, DONE, Planned, SweepStore, process_owner

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")


@dataclass(frozen=True)
class NightlySettings:
    at: str = "03:00"  # CERTCHECK_NIGHTLY_AT, local time
    tz: str = "UTC"  # CERTCHECK_TZ
    # Checks in flight. A black hole holds its worker for two probe budgets
    # (first try and retry, 17 s at the default timeout), so 5 % of them in
    # 10,000 domains need a few hundred workers to stay off the critical path.
    concurrency: int = 512  # CERTCHECK_SWEEP_CONCURRENCY
    # Processes that run checks: 0 means one per CPU once a night has more
    # than PROCESSES_FROM domains (below that, the sweep's own process does).
    processes: int = 0  # CERTCHECK_SWEEP_PROCESSES
    remind_days: int = 7  # CERTCHECK_REMIND_DAYS
    history_days: int = 90  # CERTCHECK_HISTORY_DAYS
    channel_interval: float = 1.0  # seconds between two posts to one channel
    # Ask the CA too (checks.ca_probe), for at most this many domains a night:
    # Let's Encrypt staging limits new orders per account. 0 turns it off.
    ca_probes: int = 0  # CERTCHECK_CA_PROBE=0|1 and CERTCHECK_CA_PROBE_PER_NIGHT (100)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "NightlySettings":
        """The CERTCHECK_* variables; a bad value is refused now, not at 3 a.m."""
        env = os.environ if env is None else env
        settings = cls(
            at=env.get("CERTCHECK_NIGHTLY_AT") or cls.at,
            tz=env.get("CERTCHECK_TZ") or cls.tz,
            concurrency=env_int(env, "CERTCHECK_SWEEP_CONCURRENCY", cls.concurrency, 1, 5000),
            processes=env_int(env, "CERTCHECK_SWEEP_PROCESSES", cls.processes, 0, 64),
            remind_days=env_int(env, "CERTCHECK_REMIND_DAYS", cls.remind_days, 1, 365),
            history_days=env_int(env, "CERTCHECK_HISTORY_DAYS", cls.history_days, 1, 3650),
            # On by default in production; the library default (tests, benchmarks) is off.
            ca_probes=(
                env_int(env, "CERTCHECK_CA_PROBE_PER_NIGHT", 100, 0, 100000)
                if env_flag(env, "CERTCHECK_CA_PROBE", True)
                else 0
            ),
        )
        settings.time_of_day()
        try:
            ZoneInfo(settings.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"CERTCHECK_TZ must be an IANA time zone such as Asia/Tokyo, got {settings.tz!r}") from None
        return settings

    def time_of_day(self) -> tuple[int, int]:
        hour, sep, minute = self.at.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise SettingsError(f"CERTCHECK_NIGHTLY_AT must be HH:MM, got {self.at!r}")
        return int(hour), int(minute)


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
    seconds: float = 0.0


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


class Sweeper:
    """Runs sweeps against one database, one Slack client and one check set-up."""

    def __init__(
        self,
        store: Store,
        slack: Any,
        options: Options,
        settings: NightlySettings,
        *,
        clock: Clock | None = None,
        ca_settings: CaProbeSettings | None = None,
    ) -> None:
        self.store = store
        self.sweeps = SweepStore(store.engine)
        self.slack = slack
        self.options = options
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.owner = process_owner()
        self.ca_settings = (ca_settings or CaProbeSettings.from_env()) if settings.ca_probes else None
        self.acme_state = DbAcmeState(store.engine)
        self._ca_probes_left = settings.ca_probes
        self._remote: CheckProcesses | None = None
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="certcheck-sweep-db")

    # One sweep -----------------------------------------------------------

    def run_once(self) -> SweepSummary:
        started = time.monotonic()
        now = self.clock()
        night = night_of(now, self.settings.tz)
        claim = self.sweeps.claim(night, self.owner, now)
        summary = SweepSummary(night=night, claim=claim)
        if claim == BUSY:
            log.info("night %s is being swept by another process", night)
            return summary
        if claim != DONE:
            with asyncio.Runner(loop_factory=event_loop) as runner:
                runner.run(self._check_all(night, summary))
        # Deliver even when the night was done: a post that failed for a
        # transient reason (Slack down) is still waiting in the outbox.
        self._deliver(summary)
        if claim != DONE:
            self.sweeps.prune(self.clock() - timedelta(days=self.settings.history_days))
            self.sweeps.finish(night, self.owner, self.clock(), summary.domains)
        summary.seconds = time.monotonic() - started
        log.info("sweep %s: %s", night, summary)
        return summary

    async def _check_all(self, night: str, summary: SweepSummary) -> None:
        concurrency = workers_allowed(self.settings.concurrency)
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=concurrency * 2)
        count = self.settings.processes or (_cpus() if self.sweeps.domain_count() > PROCESSES_FROM else 1)
        self._remote = CheckProcesses(count, self.options) if count > 1 else None
        workers = [asyncio.create_task(self._worker(night, queue, summary)) for _ in range(concurrency)]
        beat = asyncio.create_task(self._heartbeat(night))
        try:
            # Pages of 500 names: memory stays flat however many are subscribed.
            for domain in self.sweeps.domains():
                await queue.put(domain)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            beat.cancel()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(beat, *workers, return_exceptions=True)
            if self._remote is not None:
                self._remote.close()
                self._remote = None

    async def _in_db(self, work: Callable[..., T], *args: Any) -> T:
        """Run database work on the sweep's one database thread.

        One writer, in order: SQLite allows one at a time, and writers from
        several threads wait on each other in SQLite's busy handler, which
        sleeps. The sweep measured 104 s for 10,000 domains that way.
        """
        return await asyncio.get_running_loop().run_in_executor(self._db, functools.partial(work, *args))

    async def _heartbeat(self, night: str) -> None:
        while True:
            await asyncio.sleep(30)
            await self._in_db(self.sweeps.heartbeat, night, self.owner, self.clock())

    async def _worker(self, night: str, queue: asyncio.Queue[str | None], summary: SweepSummary) -> None:
        while (domain := await queue.get()) is not None:
            summary.domains += 1
            if await self._in_db(self.sweeps.checked, night, domain):
                continue  # a killed sweep already did this one
            try:
                report = await self._check(domain, summary)
            except Exception:  # noqa: BLE001 - one broken domain must not stop the night
                log.exception("checking %s failed", domain)
                continue
            # Await first: `summary.planned += await ...` reads the count before
            # the await and loses what other workers added meanwhile.
            planned = await self._in_db(self._record, night, report)
            summary.planned += planned

    async def _check(self, domain: str, summary: SweepSummary) -> Report:
        # A client per check, not one for the sweep: with keep-alive off a
        # shared pool only holds connections in flight, and httpcore scans
        # all of them on every request, which grows with the square of the
        # concurrency.
        checked = None
        if self._remote is not None:
            try:
                checked = await self._remote.check(domain, self.clock())
            except ChildDied:
                # A crashed child must not cost the night its remaining domains.
                log.warning("a check process died; checking %s in the sweep's process", domain)
        report, retried = checked or await check_with_retry(domain, self.options, self.clock)
        summary.checks += 1 + retried
        summary.retried += retried
        if self.ca_settings is not None and self._ca_probes_left > 0:
            self._ca_probes_left -= 1
            report = await with_ca_view(report, self.options, CaPhase(self.ca_settings, self.acme_state), now=self.clock())
        return report

    def _record(self, night: str, report: Report) -> int:
        """Tonight's result, states and messages for one domain; the count of messages."""
        now = self.clock()
        seen = seen_in(report)
        states: dict[int, State] = {}
        messages: list[Planned] = []
        subscribers = self.sweeps.subscribers(report.domain)
        nights = None
        for sub in subscribers:
            if sub.paused_reason:
                continue
            decision = decide(sub.state, seen, now, self.settings.remind_days)
            states[sub.subscription_id] = decision.state
            if decision.kind is None:
                continue
            if nights is None:
                nights = _nights_in_a_row(self.sweeps.history(report.domain, 30), report.verdict.value)
            lang = self.store.channel_lang(sub.team_id, sub.channel_id) or "en"
            message = render.alert_message(report, decision.kind.value, lang, nights=nights)
            messages.append(Planned(sub, decision.kind.value, message.text, message.blocks))
        self.sweeps.record(night, report.domain, now, _history_row(report), states, messages)
        return len(messages)

    # Delivery --------------------------------------------------------------

    def _deliver(self, summary: SweepSummary) -> None:
        from .outbox import deliver

        result = deliver(self.sweeps, self.slack, self.clock, self.settings.channel_interval)
        summary.sent += result.sent
        summary.paused += result.paused
        summary.failed += result.failed
        summary.recovered += result.recovered

    # The schedule ------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Sweep every night at the configured time until `stop` is set."""
        while not stop.is_set():
            due = next_run(self.clock(), self.settings)
            log.info("next nightly dry run at %s", due.isoformat())
            while not stop.is_set():
                left = (due - self.clock()).total_seconds()
                if left <= 0:
                    break
                stop.wait(min(left, 60))  # wake up now and then: clocks jump
            if stop.is_set():
                return
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - tomorrow is another night
                log.exception("nightly sweep failed")


async def check_with_retry(domain: str, options: Options, clock: Clock) -> tuple[Report, bool]:
    """A check, and one more if the first failed for what may be a passing reason."""
    report = await run_check(domain, options, now=clock())
    if not _transient(report):
        return report, False
    return await run_check(domain, options, now=clock()), True


def event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed: a sweep spends a quarter of its CPU in the event loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


# Below this many domains one process is plenty, and starting others costs more.
PROCESSES_FROM = 1000


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class CheckProcesses:
    """Checks run in child processes, each with an event loop of its own.

    A check is mostly Python (HTTP, DNS, TLS bookkeeping), so one process
    uses one core however many checks it has in flight. The sweep's process
    keeps the database and Slack; the children only check: a domain and its
    clock go down a pipe, the report and whether it was retried come back.
    The children are spawned (not forked: `serve` has threads) and end when
    their pipe closes, so a killed sweep leaves none behind.

    The pipes are read by threads, never registered with the event loop:
    uvloop makes a registered descriptor non-blocking, and a full pipe then
    fails a send ("Resource temporarily unavailable") instead of waiting.
    """

    def __init__(self, count: int, options: Options) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._loop = asyncio.get_running_loop()
        self._children: list[_Child] = []
        self._ids = iter(range(1, 1 << 62))
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve_checks, args=(theirs, options), daemon=True, name="certcheck-checks")
            process.start()
            theirs.close()
            child = _Child(process, ours)
            threading.Thread(target=self._read, args=(child,), daemon=True, name="certcheck-checks-reader").start()
            self._children.append(child)

    async def check(self, domain: str, now: datetime) -> tuple[Report, bool]:
        """Check in the least busy live child; `ChildDied` if it dies meanwhile."""
        live = [c for c in self._children if not c.dead]
        if not live:
            raise ChildDied("every check process has died")
        child = min(live, key=lambda c: len(c.pending))
        key = next(self._ids)
        future: asyncio.Future[tuple[Report, bool]] = self._loop.create_future()
        child.pending[key] = future
        try:
            # Blocking, and brief: the child's reader thread drains the pipe.
            child.pipe.send((key, domain, now))
        except OSError:
            self._orphan(child)
        return await future

    def _read(self, child: "_Child") -> None:
        """A reader thread: answers from one child, handed to the event loop."""
        try:
            while True:
                key, result, error = child.pipe.recv()
                self._loop.call_soon_threadsafe(self._settle, child, key, result, error)
        except (EOFError, OSError):
            pass
        try:
            self._loop.call_soon_threadsafe(self._orphan, child)
        except RuntimeError:
            pass  # the loop is closed: nobody is waiting any more

    @staticmethod
    def _settle(child: "_Child", key: int, result: Any, error: str | None) -> None:
        future = child.pending.pop(key, None)
        if future is None or future.done():
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(RuntimeError(error))

    @staticmethod
    def _orphan(child: "_Child") -> None:
        child.dead = True
        for future in child.pending.values():
            if not future.done():
                future.set_exception(ChildDied("a check process died"))
        child.pending.clear()

    def close(self) -> None:
        # Say "stop" rather than close the pipe: a reader thread blocked on
        # it would keep the socket open, and the child would never see EOF.
        for child in self._children:
            try:
                child.pipe.send(None)
            except OSError:
                pass
        for child in self._children:
            child.process.join(10)
            if child.process.is_alive():
                child.process.terminate()
                child.process.join(5)
            child.pipe.close()


class ChildDied(RuntimeError):
    """A check process ended before answering: the sweep checks in-process instead."""


@dataclass
class _Child:
    process: Any
    pipe: Any
    pending: dict[int, "asyncio.Future[tuple[Report, bool]]"] = field(default_factory=dict)
    dead: bool = False


def _serve_checks(pipe: Any, options: Options) -> None:
    """A check process: run what comes down the pipe until it closes."""
    with asyncio.Runner(loop_factory=event_loop) as runner:
        runner.run(_checks_loop(pipe, options))


async def _checks_loop(pipe: Any, options: Options) -> None:
    """Requests arrive on a reader thread, answers leave on a writer thread."""
    import queue

    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    running: set[asyncio.Task[None]] = set()
    answers: queue.SimpleQueue[tuple[Any, Any, Any] | None] = queue.SimpleQueue()

    async def one(key: int, domain: str, now: datetime) -> None:
        started = time.monotonic()
        clock = lambda: now + timedelta(seconds=time.monotonic() - started)  # noqa: E731
        try:
            answers.put((key, await check_with_retry(domain, options, clock), None))
        except Exception as exc:  # noqa: BLE001 - the sweep logs it and goes on
            answers.put((key, None, f"{type(exc).__name__}: {exc}"))

    def start(key: int, domain: str, now: datetime) -> None:
        task = loop.create_task(one(key, domain, now))
        running.add(task)
        task.add_done_callback(running.discard)

    def read() -> None:
        try:
            while (request := pipe.recv()) is not None:
                loop.call_soon_threadsafe(start, *request)
        except (EOFError, OSError):
            pass
        loop.call_soon_threadsafe(closed.set)

    def write() -> None:
        while (answer := answers.get()) is not None:
            try:
                pipe.send(answer)
            except OSError:
                return

    threading.Thread(target=read, daemon=True, name="certcheck-requests").start()
    writer = threading.Thread(target=write, daemon=True, name="certcheck-answers")
    writer.start()
    await closed.wait()
    for task in list(running):
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    answers.put(None)
    writer.join(5)


# Descriptors one check may hold at once: its DNS questions and connections.
FDS_PER_CHECK = 12
FDS_SPARE = 256  # the database, Slack, logs


def workers_allowed(wanted: int) -> int:
    """`wanted`, or fewer if the open-files limit cannot be raised to carry them.

    The soft limit is often 1024 while the hard one is far higher: raise it
    as far as needed rather than fail checks with "too many open files".
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = wanted * FDS_PER_CHECK + FDS_SPARE
    if soft != resource.RLIM_INFINITY and soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY or soft >= need:
        return wanted
    allowed = max(1, (soft - FDS_SPARE) // FDS_PER_CHECK)
    log.warning("open-files limit %d: sweeping with %d checks in flight, not %d", soft, allowed, wanted)
    return allowed


def seen_in(report: Report) -> Seen:
    """The policy's view of a report."""
    problems = report.problems()
    return Seen(
        severity=max((int(f.severity) for f in problems), default=0),
        codes=frozenset(f.code for f in problems),
        days_left=report.certificate.days_left if report.certificate else None,
        conclusive=report.verdict.value != "unknown",
    )


def _transient(report: Report) -> bool:
    return report.transient


def _history_row(report: Report) -> dict[str, Any]:
    return {
        "verdict": report.verdict.value,
        "renewable": report.renewable,
        "findings": [{"code": f.code, "severity": f.severity.label} for f in report.sorted_findings()],
        "cert_not_after": report.certificate.not_after if report.certificate else None,
    }


def _nights_in_a_row(previous: list[str], tonight: str) -> int:
    """Tonight plus the nights before it that were not OK, newest first."""
    count = 1
    for verdict in previous:
        if verdict == "ok":
            break
        count += 1
    return count if tonight != "ok" else 0


def slack_client(settings: Any) -> Any:
    """The Web API client for alerts: honours Retry-After on 429, up to three times."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    client = WebClient(token=settings.bot_token or None, base_url=settings.api_url, timeout=30)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


def build_sweeper(clock: Clock | None = None) -> Sweeper:
    """A sweeper from the environment, as `certcheck nightly` and `serve` use it."""
    from .settings import Settings

    settings = Settings.from_env()
    store = Store(settings.database_url, max_subscriptions=settings.max_subscriptions)
    return Sweeper(store, slack_client(settings), Options.from_env(), NightlySettings.from_env(), clock=clock)


def main(once: bool, now: datetime | None = None) -> int:
    """`certcheck nightly [--once]`."""
    import signal

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    clock = (lambda: now) if now else None
    try:
        sweeper = build_sweeper(clock)
    except (SettingsError, OptionError) as exc:
        print(f"certcheck nightly: {exc}", file=sys.stderr)
        return 3
    try:
        if once:
            summary = sweeper.run_once()
            print(
                f"night {summary.night}: {summary.claim}; {summary.domains} domains, {summary.checks} checks "
                f"({summary.retried} retried), {summary.planned} messages planned, {summary.sent} sent, "
                f"{summary.paused} paused, {summary.failed} failed, {summary.recovered} recovered, "
                f"{summary.seconds:.1f} s"
            )
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            sweeper.run_forever(stop)
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        sweeper.store.close()
