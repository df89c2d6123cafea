"""Two sweep workers on one PostgreSQL against one: `python -m bench --workers-only`.

Each night is a fresh database on the bench's own PostgreSQL (tests/postgres.py:
Debian's server on loopback, its own data directory, stopped by pid at the
end), at the newest schema, with `n` farm domains subscribed, each by a
channel of its own (so Slack's one post a second per channel never binds),
and a fresh Slack stand-in. The workers are the installed `certcheck nightly
--once`, exactly as an operator starts them (docs/scale.md "Many workers, one
night"), each with `CERTCHECK_SWEEP_PROCESSES=1`: on a 2-core machine that is
one core's worth of checking against two, the only fair comparison (a lone
worker with its default would use both cores too).

The wall time of a night is from the first worker's start to the last one's
exit; CPU is the workers' own (`wait4`), the farm's and the PostgreSQL
server's from /proc. Exactly once is checked on every night: one
`check_history` row per domain, no `IntegrityError` in any worker's log, and
as many `chat.postMessage` calls at the stand-in as outbox rows, all sent.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.postgres import PostgresServer, find_postgres  # noqa: E402
from tests.slack.standin import SlackStandIn  # noqa: E402

from .farm import Population, write_certificates  # noqa: E402
from .run import Config, Farm, machine, replace_block  # noqa: E402

BEGIN, END = "<!-- bench:workers:begin -->", "<!-- bench:workers:end -->"
# `certcheck nightly --once`'s one line (bot/cli/nightly.py `said`); "joined; nothing left" has no counts.
SUMMARY = re.compile(r"^night (\S+): (\w+);(?: (\d+) domains in (\d+) work items, (\d+) checks)?", re.MULTILINE)


@dataclass
class WorkersConfig:
    n: int = 2000
    order: tuple[int, ...] = (1, 2, 2, 1)  # workers in each night, in this order
    latency_ms: float = 100.0
    timeout: float = 10.0
    batch: int | None = None  # CERTCHECK_SWEEP_BATCH (None: the shipped 200)
    netns: bool = True
    output: Path | None = None
    command: str = ".venv/bin/python -m bench --workers-only"
    log: Callable[[str], None] = print


@dataclass
class Night:
    workers: int
    wall_s: float
    cpu_s: list[float]
    domains: list[int]
    items: list[int]  # done_by, by worker in start order
    claims: list[str]
    checks: int
    history_rows: int
    distinct_domains: int
    outbox_rows: int
    outbox_sent: int
    posts: int
    integrity_errors: int
    returncodes: list[int]
    farm_cpu_s: float
    postgres_cpu_s: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def once(self) -> bool:
        return (
            self.history_rows == self.distinct_domains
            and self.integrity_errors == 0
            and self.posts == self.outbox_rows == self.outbox_sent
            and self.returncodes == [0] * self.workers
        )


@dataclass
class Results:
    nights: list[Night] = field(default_factory=list)
    uptime: list[str] = field(default_factory=list)


def _proc_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds of `pid` (with `children`: also of the children it reaped), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def subscribe(url: str, population: Population) -> None:
    """Every domain of the farm, each subscribed by a channel of its own, in one bulk insert."""
    from sqlalchemy import insert

    from bot.db import Database
    from bot.db.models import Subscription

    now = datetime.now(timezone.utc)
    rows = [
        {"team_id": "T0001", "channel_id": f"C{i:06d}", "domain": name, "created_by": "U0001", "created_at": now}
        for i, name in enumerate(population.names())
    ]
    db = Database(url)
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(Subscription), rows)
    finally:
        db.close()


def worker_env(farm: Farm, config: WorkersConfig, url: str, slack: SlackStandIn) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "CERTCHECK_RESOLVER": farm.endpoints["resolver"],
        "CERTCHECK_HTTP_PORT": str(farm.endpoints["http_port"]),
        "CERTCHECK_HTTPS_PORT": str(farm.endpoints["https_port"]),
        "CERTCHECK_CA_FILE": farm.endpoints["ca_file"],
        "CERTCHECK_LAB_NETWORKS": "127.0.0.0/8",
        "CERTCHECK_TIMEOUT": f"{config.timeout:g}",
        # The farm is on loopback: never the real CA, ARI or CT logs (as bench.measure's sweeps).
        "CERTCHECK_ARI": "0",
        "CERTCHECK_CT": "0",
        "CERTCHECK_CA_PROBE": "0",
        "CERTCHECK_CA_PROBE_PER_NIGHT": "0",
        # One core's worth of checking per worker (the module docstring says why).
        "CERTCHECK_SWEEP_PROCESSES": "1",
    }
    if config.batch:
        env["CERTCHECK_SWEEP_BATCH"] = str(config.batch)
    return env


def night(
    server: PostgresServer,
    farm: Farm,
    population: Population,
    config: WorkersConfig,
    workers: int,
    logdir: Path,
    tag: str,
) -> Night:
    """One night on a fresh database: `workers` processes started together, each to its exit."""
    from sqlalchemy import text

    from bot.db import Database

    name = server.database()
    url = server.url(name)
    try:
        subscribe(url, population)
        with SlackStandIn() as slack:
            env = worker_env(farm, config, url, slack)
            certcheck = str(Path(sys.executable).parent / "certcheck")
            outs = [logdir / f"{tag}-worker{k}.out" for k in range(workers)]
            errs = [logdir / f"{tag}-worker{k}.log" for k in range(workers)]
            exits: list[tuple[float, float, int]] = [(0.0, 0.0, -1)] * workers
            load_before = os.getloadavg()
            farm_cpu = farm.cpu()
            assert server._process is not None
            postgres_pid = server._process.pid
            postgres_cpu = _proc_cpu(postgres_pid, children=True)
            procs: list[subprocess.Popen[bytes]] = []
            started = time.perf_counter()
            for out, err in zip(outs, errs, strict=True):
                with open(out, "wb") as stdout, open(err, "wb") as stderr:
                    procs.append(
                        subprocess.Popen(
                            [certcheck, "nightly", "--once"], env=env, cwd=ROOT, stdout=stdout, stderr=stderr
                        )
                    )

            def reap(k: int, proc: subprocess.Popen[bytes]) -> None:
                _, status, usage = os.wait4(proc.pid, 0)
                code = os.waitstatus_to_exitcode(status)
                proc.returncode = code  # reaped here: Popen must not wait for it again
                exits[k] = (time.perf_counter(), usage.ru_utime + usage.ru_stime, code)

            reapers = [threading.Thread(target=reap, args=(k, p)) for k, p in enumerate(procs)]
            for reaper in reapers:
                reaper.start()
            for reaper in reapers:
                reaper.join(timeout=3600)
            wall = max(at for at, _, _ in exits) - started
            farm_cpu = farm.cpu() - farm_cpu
            load_after = os.getloadavg()
            posts = len([r for r in slack.snapshot() if r.path == "/api/chat.postMessage"])
        # The server reaps a backend after its client has gone; read its CPU once the night is counted.
        summaries = [SUMMARY.search(out.read_text()) for out in outs]
        logs = [err.read_text(errors="replace") for err in errs]
        db = Database(url)
        try:
            night_name = next((m.group(1) for m in summaries if m), "")
            done = db.items.done_by(night_name)
            pids = {int(owner.split(":")[1]): count for owner, count in done.items()}
            with db.engine.connect() as connection:
                rows, distinct = connection.execute(
                    text("SELECT count(*), count(DISTINCT domain) FROM check_history WHERE night = :n"),
                    {"n": night_name},
                ).one()
                outbox, sent = connection.execute(
                    text("SELECT count(*), count(*) FILTER (WHERE state = 'sent') FROM outbox WHERE night = :n"),
                    {"n": night_name},
                ).one()
        finally:
            db.close()
    finally:
        server.drop(name)
    result = Night(
        workers=workers,
        wall_s=wall,
        cpu_s=[cpu for _, cpu, _ in exits],
        domains=[int(m.group(3) or 0) if m else 0 for m in summaries],
        items=[pids.get(p.pid, 0) for p in procs],
        claims=[m.group(2) if m else "?" for m in summaries],
        checks=sum(int(m.group(5) or 0) for m in summaries if m),
        history_rows=int(rows),
        distinct_domains=int(distinct),
        outbox_rows=int(outbox),
        outbox_sent=int(sent),
        posts=posts,
        integrity_errors=sum(log.count("IntegrityError") for log in logs),
        returncodes=[code for _, _, code in exits],
        farm_cpu_s=farm_cpu,
        postgres_cpu_s=_proc_cpu(postgres_pid, children=True) - postgres_cpu,
        load_before=load_before,
        load_after=load_after,
    )
    config.log(
        f"{tag}: {workers} worker(s), {wall:.1f} s, CPU {sum(result.cpu_s):.1f} s "
        f"({', '.join(f'{c:.1f}' for c in result.cpu_s)}), domains {result.domains}, items {result.items}, "
        f"{result.claims}; history {rows}/{population.n}, outbox {outbox} ({sent} sent), posts {posts}, "
        f"IntegrityError {result.integrity_errors}; exactly once: {'yes' if result.once else 'NO'}; "
        f"farm CPU {farm_cpu:.1f} s, PostgreSQL CPU {result.postgres_cpu_s:.1f} s; "
        f"load {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    if any(code != 0 for code in result.returncodes):
        config.log(f"{tag}: a worker failed: see {logdir}")
    return result


def run(config: WorkersConfig) -> Results:
    bindir = find_postgres()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    workdir = Path(tempfile.mkdtemp(prefix="certcheck-bench-workers-"))
    logdir = workdir / "logs"
    logdir.mkdir()
    config.log(f"bench workers: work files and logs in {workdir}")
    population = Population(config.n)
    certs = workdir / "certs"
    write_certificates(certs, population.n)
    results = Results(uptime=[_uptime()])
    config.log(f"bench workers: {results.uptime[0]}")
    server = PostgresServer(bindir).start()
    try:
        farm = Farm(population.n, config.latency_ms, certs, Config(netns=config.netns), logdir)
        try:
            for k, workers in enumerate(config.order):
                results.nights.append(night(server, farm, population, config, workers, logdir, f"night{k + 1}"))
                results.uptime.append(_uptime())
                config.log(f"bench workers: {results.uptime[-1]}")
        finally:
            farm.stop()
    finally:
        server.stop()
    if config.output is not None:
        write_table(config, results)
        config.log(f"bench workers: wrote {config.output}")
    return results


# --- the table ----------------------------------------------------------------------------


def ratio(results: Results) -> float | None:
    """Median wall of the one-worker nights over the median of the two-worker nights."""
    one = [n.wall_s for n in results.nights if n.workers == 1]
    two = [n.wall_s for n in results.nights if n.workers == 2]
    if not one or not two:
        return None
    return statistics.median(one) / statistics.median(two)


def table(config: WorkersConfig, results: Results) -> str:
    lines = [
        "| night | workers | wall (s) | CPU of the workers (s) | domains each | items each (`done_by`) "
        "| history rows / distinct | outbox rows / posts | IntegrityError | exactly once | farm / PostgreSQL CPU (s) "
        "| load average (1 min) |",
        "| --- | ---: | ---: | ---: | --- | --- | --- | --- | ---: | --- | --- | --- |",
    ]
    for k, n in enumerate(results.nights, 1):
        cpu = f"{sum(n.cpu_s):.1f}" + (f" ({' + '.join(f'{c:.1f}' for c in n.cpu_s)})" if n.workers > 1 else "")
        lines.append(
            f"| {k} | {n.workers} | {n.wall_s:.1f} | {cpu} | {' / '.join(map(str, n.domains))} "
            f"| {' / '.join(map(str, n.items))} | {n.history_rows:,} / {n.distinct_domains:,} "
            f"| {n.outbox_rows:,} / {n.posts:,} | {n.integrity_errors} | {'yes' if n.once else '**no**'} "
            f"| {n.farm_cpu_s:.1f} / {n.postgres_cpu_s:.1f} "
            f"| {n.load_before[0]:.2f} -> {n.load_after[0]:.2f} |"
        )
    r = ratio(results)
    if r is not None:
        verdict = "met" if r >= 1.7 else "**missed**"
        lines += ["", f"Ratio one worker / two workers, median wall: **{r:.2f}x** (target >= 1.7x): {verdict}."]
    return "\n".join(lines)


def write_table(config: WorkersConfig, results: Results) -> None:
    assert config.output is not None
    block = "\n".join(
        [
            BEGIN,
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.",
            "",
            f"Command: `{config.command}`. {config.n:,} domains, {config.latency_ms:g} ms server latency, "
            f"5 % black holes, {config.timeout:g} s timeout, `CERTCHECK_SWEEP_PROCESSES=1` per worker, "
            f"work items of {config.batch or 200} domains.",
            "",
            table(config, results),
            "",
            "`uptime` before the first night and after each:",
            "",
            *[f"    {line}" for line in results.uptime],
            END,
        ]
    )
    replace_block(config.output, BEGIN, END, block)


def main(args: Any, netns: bool, command: str) -> int:
    config = WorkersConfig(
        n=args.workers_size,
        order=tuple(int(x) for x in args.workers_order.split(",") if x),
        latency_ms=args.latency_ms,
        timeout=args.timeout,
        batch=args.workers_batch,
        netns=netns,
        output=None if args.output == "-" else Path(args.output).resolve(),
        command=command,
        log=lambda line: print(line, flush=True),
    )
    results = run(config)
    print(table(config, results), flush=True)
    return 0 if all(n.once for n in results.nights) else 1
