"""Checks across cores: child processes with event loops of their own, and the open-files limit."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from checks import Options, Report

from ..renewal import Renewal
from .ca_schedule import ChildPhase, ChildSchedule, Learnt
from .checking import check_with_retry

log = logging.getLogger(__name__)


def event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed: a sweep spends a quarter of its CPU in the event loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


# Below this many domains one process is plenty, and starting others costs more.
PROCESSES_FROM = 1000


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class CheckProcesses:
    """Checks run in child processes, each with an event loop of its own.

    A check is mostly Python (HTTP, DNS, TLS bookkeeping), so one process
    uses one core however many checks it has in flight. The sweep's process
    keeps the database and Slack; the children only check: a domain and its
    clock go down a pipe, the report, whether it was retried and what ARI and
    CT answered (`ca_schedule.ChildSchedule`) come back.
    The children are spawned (not forked: `serve` has threads) and end when
    their pipe closes, so a killed sweep leaves none behind.

    The pipes are read by threads, never registered with the event loop:
    uvloop makes a registered descriptor non-blocking, and a full pipe then
    fails a send ("Resource temporarily unavailable") instead of waiting.
    """

    def __init__(self, count: int, options: Options, schedule: ChildSchedule | None = None) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._loop = asyncio.get_running_loop()
        self._children: list[_Child] = []
        self._ids = iter(range(1, 1 << 62))
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve_checks, args=(theirs, options, schedule), daemon=True, name="certcheck-checks"
            )
            process.start()
            theirs.close()
            child = _Child(process, ours)
            threading.Thread(target=self._read, args=(child,), daemon=True, name="certcheck-checks-reader").start()
            self._children.append(child)

    @property
    def processes(self) -> list[Any]:
        """The child processes, live or dead (for monitoring and for tests that kill one)."""
        return [child.process for child in self._children]

    async def check(self, domain: str, now: datetime, renewal: Renewal = Renewal()) -> tuple[Report, bool, Learnt]:
        """Check in the least busy live child, the way `renewal` says; `ChildDied` if it dies meanwhile."""
        live = [c for c in self._children if not c.dead]
        if not live:
            raise ChildDied("every check process has died")
        child = min(live, key=lambda c: len(c.pending))
        key = next(self._ids)
        future: asyncio.Future[tuple[Report, bool, Learnt]] = self._loop.create_future()
        child.pending[key] = future
        try:
            # Blocking, and brief: the child's reader thread drains the pipe.
            child.pipe.send((key, domain, now, renewal))
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
    pending: dict[int, "asyncio.Future[tuple[Report, bool, Learnt]]"] = field(default_factory=dict)
    dead: bool = False


def _serve_checks(pipe: Any, options: Options, schedule: ChildSchedule | None = None) -> None:
    """A check process: run what comes down the pipe until it closes."""
    from ..db.engine import make_engine

    # Its own engine, only to read the CA's cached answers (the sweep's process writes).
    engine = make_engine(schedule.database_url) if schedule is not None else None
    try:
        with asyncio.Runner(loop_factory=event_loop) as runner:
            phase = ChildPhase(options, schedule, engine) if schedule is not None and engine is not None else None
            runner.run(_checks_loop(pipe, options, phase))
    finally:
        if engine is not None:
            engine.dispose()


async def _checks_loop(pipe: Any, options: Options, phase: ChildPhase | None = None) -> None:
    """Requests arrive on a reader thread, answers leave on a writer thread."""
    import queue

    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    running: set[asyncio.Task[None]] = set()
    answers: queue.SimpleQueue[tuple[Any, Any, Any] | None] = queue.SimpleQueue()

    async def one(key: int, domain: str, now: datetime, renewal: Renewal) -> None:
        started = time.monotonic()
        clock = lambda: now + timedelta(seconds=time.monotonic() - started)  # noqa: E731
        try:
            schedule = phase.phase if phase else None
            report, retried = await check_with_retry(domain, renewal.options(options), clock, schedule=schedule)
            answers.put((key, (report, retried, phase.drain() if phase else []), None))
        except Exception as exc:  # noqa: BLE001 - the sweep logs it and goes on
            answers.put((key, None, f"{type(exc).__name__}: {exc}"))

    def start(key: int, domain: str, now: datetime, renewal: Renewal) -> None:
        task = loop.create_task(one(key, domain, now, renewal))
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
    if phase is not None:
        await phase.phase.aclose()


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
