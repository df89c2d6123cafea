"""The measured side: each figure runs in a fresh process of its own.

`python -m bench.measure single|sweep|app --config JSON` prints one JSON line
(for `app`: a ready line, then it serves until SIGTERM). Keeping the measured
code apart from the farm and the driver means its CPU seconds and peak RSS
are its own.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import resource
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from typing import Any

from checks import Options
from checks.schedule import ScheduleSettings

from .farm import Population


def options_from(config: dict[str, Any]) -> Options:
    host, _, port = config["resolver"].rpartition(":")
    return Options(
        resolver=(host, int(port)),
        http_port=config["http_port"],
        https_port=config["https_port"],
        ca_file=config["ca_file"],
        lab_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        timeout=config["timeout"],
    )


def cpu_seconds() -> float:
    """This process and its children that have ended (the sweep joins its check processes)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def peak_rss_mb(children: int = 0) -> float:
    """Peak resident memory: ours, plus `children` times the largest child's."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if children else 0
    return (own + children * child) / 1024


def single(config: dict[str, Any]) -> dict[str, Any]:
    """One full check at a time, as the CLI and the Slack bot run them (own client each)."""
    from checks import run_check

    options = options_from(config)
    name = config["name"]

    order: list[str] = []

    async def timed(count: int) -> list[float]:
        durations = []
        for _ in range(count):
            started = time.perf_counter()
            report = await run_check(name, options)
            durations.append((time.perf_counter() - started) * 1000)
            if report.verdict.value != "ok":
                raise SystemExit(
                    f"{name}: expected ok, got {report.verdict.value}: {[f.code for f in report.findings]}"
                )
            order[:] = report.names
        return durations

    asyncio.run(timed(config.get("warmup", 3)))
    return {"ms": asyncio.run(timed(config["checks"])), "names": order}


def sweep(config: dict[str, Any]) -> dict[str, Any]:
    """`Sweeper.run_once` over `n` subscribed domains, on a fresh SQLite database."""
    from sqlalchemy import insert

    from bot.db.migrate import upgrade
    from bot.db.models import Subscription
    from bot.nightly.processes import PROCESSES_FROM, cpus
    from bot.nightly.settings import NightlySettings
    from bot.services import Services
    from bot.settings import Settings

    url = f"sqlite:///{config['db']}"
    upgrade(url)
    services = Services.create(
        Settings(bot_token="xoxb-bench", api_url=config["api_url"], database_url=url),
        options_from(config),
        ScheduleSettings.off(),  # the farm is on loopback: never the real CA or CT logs
    )
    names = Population(config["n"]).names()
    now = datetime.now(timezone.utc)
    per_channel = config.get("domains_per_channel", 10)
    rows = [
        {
            "team_id": "T0001",
            "channel_id": f"C{i // per_channel:05d}",
            "domain": name,
            "created_by": "U0001",
            "created_at": now,
        }
        for i, name in enumerate(names)
    ]
    with services.db.engine.begin() as connection:
        connection.execute(insert(Subscription), rows)
    defaults = NightlySettings()
    settings = NightlySettings(
        channel_interval=config.get("channel_interval", 0.0),
        concurrency=config.get("concurrency") or defaults.concurrency,
        processes=config.get("processes") or defaults.processes,
        per_address=config.get("per_address", defaults.per_address),
        per_address_rate=config.get("per_address_rate") or defaults.per_address_rate,
    )
    processes = settings.processes or (cpus() if len(names) > PROCESSES_FROM else 1)
    sweeper = services.sweeper(settings)
    delivery = _timed(sweeper, "_deliver")
    profiler = _profiler(config.get("profile"))
    cpu, started = cpu_seconds(), time.perf_counter()
    summary = sweeper.run_once()
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    _finish_profile(profiler, config.get("profile"))
    services.close()
    return {
        "n": len(names),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": peak_rss_mb(processes if processes > 1 else 0),
        "processes": processes,
        "delivery_s": delivery[0],
        "checks": summary.checks,
        "retried": summary.retried,
        "planned": summary.planned,
        "sent": summary.sent,
        "failed": summary.failed,
        "concurrency": settings.concurrency,
        "per_address": settings.per_address,
        "per_address_rate": settings.per_address_rate,
        "pacing_peak": summary.pacing_peak,
        "unrecorded": summary.unrecorded,
    }


def _timed(obj: Any, method: str) -> list[float]:
    """Wrap `obj.method` to add up the seconds spent in it (the one-item list)."""
    spent = [0.0]
    inner = getattr(obj, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(obj, method, wrapper)
    return spent


def _profiler(path: str | None) -> Any:
    if not path:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="disabled")
    profiler.start()
    return profiler


def _finish_profile(profiler: Any, path: str | None) -> None:
    if profiler is None or path is None:
        return
    profiler.stop()
    with open(path, "w") as out:
        out.write(profiler.output_text(unicode=False, color=False, show_all=False))


def app(config: dict[str, Any]) -> None:
    """The Slack app exactly as `certcheck serve` builds it, in HTTP mode, until SIGTERM."""
    from bot.db.migrate import upgrade
    from bot.services import Services
    from bot.settings import Rate, Settings
    from bot.slack.app import build_app
    from bot.slack.server import HttpServer

    url = f"sqlite:///{config['db']}"
    upgrade(url)
    settings = Settings(
        bot_token="xoxb-bench",
        signing_secret=config["secret"],
        api_url=config["api_url"],
        host="127.0.0.1",
        port=0,
        database_url=url,
        # The figure is the acknowledgement; the rate limiter would refuse the load.
        user_rate=Rate(100000, 60),
        channel_rate=Rate(100000, 60),
    )
    services = Services.create(settings, options_from(config), ScheduleSettings.off())
    server = HttpServer(build_app(services), services, host="127.0.0.1", port=0)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
    print(json.dumps({"ready": True, "port": server.port}), flush=True)
    stop.wait()
    server.stop()
    services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("what", choices=("single", "sweep", "app"))
    parser.add_argument("--config", required=True, help="JSON")
    args = parser.parse_args(argv)
    config = json.loads(args.config)
    if args.what == "app":
        app(config)
        return 0
    result = single(config) if args.what == "single" else sweep(config)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
