"""Where a check's CPU goes: cProfile over checks of the farm's open sites.

    .venv/bin/python -m bench.profile [--checks 300] [--in-flight 20] [--output /tmp/checks.prof]

As root it re-runs itself in a private network namespace (as `python -m bench`
does), starts the farm with no server latency, warms up with one round of
checks, then profiles a second round and prints the CPU per check and the
functions with the most cumulative time. The shares in docs/benchmarks.md
("Where the time goes") come from this.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import __main__ as entry


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--in-flight", type=int, default=20)
    parser.add_argument("--output", default="/tmp/checks.prof", help="the raw profile (pstats)")
    args = parser.parse_args(argv)
    netns = os.environ.get(entry.INSIDE) == "1"
    if not netns and entry._namespaces_work():
        inner = ["unshare", "--net", "--mount", "--", sys.executable, "-m", "bench.profile", *argv]
        return subprocess.run(inner, env={**os.environ, entry.INSIDE: "1"}).returncode
    if netns:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    from checks import run_check

    from .farm import OPEN, Population, write_certificates
    from .measure import options_from
    from .run import Config, Farm

    n = args.checks * 2
    workdir = Path(tempfile.mkdtemp(prefix="certcheck-profile-"))
    (workdir / "logs").mkdir()
    write_certificates(workdir / "certs", n)
    farm = Farm(n, 0.0, workdir / "certs", Config(netns=netns), workdir / "logs")
    try:
        options = options_from({**farm.endpoints, "timeout": 10.0})
        names = Population(n).first(OPEN, args.checks)

        async def round_of_checks() -> None:
            slots = asyncio.Semaphore(args.in_flight)

            async def one(name: str) -> None:
                async with slots:
                    await run_check(name, options)

            await asyncio.gather(*(one(name) for name in names))

        asyncio.run(round_of_checks())  # warm-up: imports, caches, the farm's TLS contexts
        profiler = cProfile.Profile()
        cpu = time.process_time()
        profiler.enable()
        asyncio.run(round_of_checks())
        profiler.disable()
        cpu = time.process_time() - cpu
    finally:
        farm.stop()
    profiler.dump_stats(args.output)
    print(
        f"{len(names)} checks, {cpu * 1000 / len(names):.1f} ms of CPU each under cProfile; raw profile: {args.output}"
    )
    pstats.Stats(args.output).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
