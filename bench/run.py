"""The benchmark driver: starts the farm, runs every figure, writes the table.

Everything runs inside a private network namespace (and mount namespace, for
the peer's /etc/hosts) that `bench/__main__.py` enters first. The driver
holds the Slack stand-in; the farm (DNS, web) and each measured program run
as processes of their own, all started and stopped here by pid.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.slack.signing import command_body  # noqa: E402
from tests.slack.standin import SlackStandIn, sign  # noqa: E402

from . import blackbox  # noqa: E402
from .farm import HOLE, OPEN, Population, write_certificates  # noqa: E402

SECRET = "bench-signing-secret"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass
class Config:
    sizes: tuple[int, ...] = (1000, 10000)
    runs: int = 3
    peer_runs: int = 1
    peer_size: int = 1000
    single_checks: int = 200
    ack_probes: int = 200
    slow_checks: int = 20
    latency_ms: float = 100.0
    timeout: float = 10.0
    concurrency: int | None = None  # None: the shipped default
    peer: bool = True
    netns: bool = True
    web_procs: int = 1
    # The shared-hosting farm: `shared_size` sites on `shared_addresses` addresses, swept
    # with the polite sweep's defaults (bot/nightly/pacing.py). 0: not measured.
    shared_size: int = 10000
    shared_addresses: int = 20
    blackbox: bool = True  # the Prometheus blackbox exporter over every sweep size
    ack_during_sweep: bool = True  # acknowledgements while the largest sweep runs
    profile: bool = False
    output: Path | None = ROOT / "docs" / "benchmarks.md"
    command: str = ".venv/bin/python -m bench"
    log: Callable[[str], None] = print


# --- child processes ------------------------------------------------------------------


class Child:
    """A process of ours that prints a JSON line with "ready" once it serves."""

    def __init__(self, args: list[str], name: str, logdir: Path) -> None:
        self.name = name
        self.stderr = open(logdir / f"{name}.log", "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT, text=True)

    def ready(self, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.proc.stdout], [], [], left)
            if not readable:
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            if message.get("ready"):
                return message
        self.stop()
        raise RuntimeError(f"{self.name} did not start; see its log")

    def cpu(self) -> float:
        """CPU seconds so far (user + system), from /proc."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.stderr.close()


def measure(what: str, config: dict[str, Any], logdir: Path, timeout: float) -> dict[str, Any]:
    """Run `python -m bench.measure what` to the end; its JSON result."""
    with open(logdir / f"measure-{what}.log", "ab") as err:
        done = subprocess.run(
            [sys.executable, "-m", "bench.measure", what, "--config", json.dumps(config)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            timeout=timeout,
        )
    if done.returncode != 0:
        raise RuntimeError(f"bench.measure {what} failed ({done.returncode}); see {logdir}/measure-{what}.log")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Farm:
    """The DNS and web processes for one latency."""

    def __init__(
        self, n: int, latency_ms: float, certs: Path, config: Config, logdir: Path, addresses: int = 0
    ) -> None:
        py = [sys.executable, "-m", "bench.farm"]
        dns_at = "127.0.0.53:53" if config.netns else "127.0.0.1:0"
        plan = ["--n", str(n), "--addresses", str(addresses)]
        self.population = Population(n, addresses)
        self.children = [Child([*py, "dns", *plan, "--dns", dns_at], "farm-dns", logdir)]
        web = [*py, "web", *plan, "--latency-ms", str(latency_ms), "--certs", str(certs)]
        if config.netns:
            web += ["--reuse-port"] if config.web_procs > 1 else []
            count = config.web_procs
        else:
            web += ["--bind-each", "--http-port", "0", "--https-port", "0"]
            count = 1
        self.children += [Child(web, f"farm-web{k}", logdir) for k in range(count)]
        try:
            dns = self.children[0].ready()
            ports = [child.ready()["ports"] for child in self.children[1:]]
        except BaseException:
            self.stop()
            raise
        self.endpoints = {
            "resolver": dns["resolver"],
            "http_port": ports[0][0],
            "https_port": ports[0][1],
            "ca_file": str(certs / "ca.pem"),
        }

    def cpu(self) -> float:
        return sum(child.cpu() for child in self.children)

    def stop(self) -> None:
        for child in self.children:
            child.stop()


# --- figures ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def single_check(farm: Farm, config: Config, population: Population, logdir: Path) -> list[dict[str, float]]:
    name = population.first(OPEN)[0]
    runs = []
    for run in range(config.runs):
        settings = {**farm.endpoints, "timeout": config.timeout, "name": name, "checks": config.single_checks}
        measured = measure("single", settings, logdir, timeout=600)
        ms = measured["ms"]
        runs.append({"p50": percentile(ms, 50), "p99": percentile(ms, 99), "names": len(measured["names"])})
        config.log(f"single check, run {run + 1}: p50 {runs[-1]['p50']:.1f} ms, p99 {runs[-1]['p99']:.1f} ms")
    return runs


def _command_body(slack: SlackStandIn, text: str, response: str, user: str) -> str:
    return command_body(slack.response_url(response), text, user=user)


def _signed(port: int, body: str) -> bytes:
    stamp = str(int(time.time()))
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: {sign(SECRET, stamp, body)}\r\n"
        f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body.encode()


def ack_ms(port: int, request: bytes) -> float:
    """Milliseconds from connecting to the complete acknowledgement, on a new connection as Slack's."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    elapsed = (time.perf_counter() - started) * 1000
    if not answer.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the app did not acknowledge: {answer[:200]!r}")
    return elapsed


def ack_latency(
    farm: Farm, config: Config, population: Population, slack: SlackStandIn, logdir: Path, workdir: Path
) -> list[dict[str, float]]:
    runs = []
    slow_names = population.first(HOLE, config.slow_checks)
    if len(slow_names) < config.slow_checks:
        raise RuntimeError(f"the farm has only {len(slow_names)} black holes for {config.slow_checks} slow checks")
    for run in range(config.runs):
        settings = _settings(farm, config, slack, workdir / f"app-{run}.sqlite3", secret=SECRET)
        app = Child([sys.executable, "-m", "bench.measure", "app", "--config", json.dumps(settings)], "app", logdir)
        try:
            port = app.ready()["port"]

            def probes(tag: str, count: int, run: int = run, port: int = port) -> list[float]:
                bodies = [_command_body(slack, "help", f"{tag}-{run}-{i}", "U0001") for i in range(count)]
                return [ack_ms(port, _signed(port, body)) for body in bodies]

            probes("warmup", 10)
            idle = probes("idle", config.ack_probes)
            slow = [f"slow-{run}-{k}" for k in range(config.slow_checks)]
            for k, name in enumerate(slow_names):
                ack_ms(port, _signed(port, _command_body(slack, name, slow[k], f"U{k:04d}")))
            # In flight once each has said "checking" (posted before the check starts).
            paths = {f"/response/{tag}" for tag in slow}
            slack.wait_for(
                lambda rs, paths=paths: sum(r.path in paths for r in rs) >= len(paths), 60, "slow checks started"
            )
            loaded = probes("loaded", config.ack_probes)
            answered = sum(r.path in paths and r.body.get("response_type") == "in_channel" for r in slack.snapshot())
            in_flight = config.slow_checks - answered
        finally:
            app.stop(timeout=config.timeout * 2)
        runs.append(
            {
                "idle_p50": percentile(idle, 50),
                "idle_p99": percentile(idle, 99),
                "loaded_p50": percentile(loaded, 50),
                "loaded_p99": percentile(loaded, 99),
                "in_flight": in_flight,
            }
        )
        config.log(
            f"ack, run {run + 1}: idle p50 {runs[-1]['idle_p50']:.1f} / p99 {runs[-1]['idle_p99']:.1f} ms; "
            f"{in_flight} slow checks in flight: p50 {runs[-1]['loaded_p50']:.1f} / p99 {runs[-1]['loaded_p99']:.1f} ms"
        )
    return runs


def _settings(farm: Farm, config: Config, slack: SlackStandIn, db: Path, **more: Any) -> dict[str, Any]:
    """What a measured process needs: the farm, the timeout, its database, Slack."""
    return {**farm.endpoints, "timeout": config.timeout, "db": str(db), "api_url": slack.api_url, **more}


def sweep_once(
    farm: Farm,
    config: Config,
    slack: SlackStandIn,
    logdir: Path,
    workdir: Path,
    n: int,
    tag: str,
    extra: dict[str, Any] | None = None,
    during: Callable[[subprocess.Popen[str]], None] | None = None,
    profile: bool = False,
) -> dict[str, Any]:
    """One sweep of `n` domains in a process of its own; `during(process)` runs while it does."""
    db = workdir / f"sweep-{tag}.sqlite3"
    settings = _settings(
        farm,
        config,
        slack,
        db,
        n=n,
        concurrency=config.concurrency,
        profile=str(logdir / f"profile-sweep-{tag}.txt") if profile else None,
        **(extra or {}),
    )
    farm_cpu, own_cpu = farm.cpu(), _own_cpu()
    with open(logdir / "measure-sweep.log", "ab") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.measure", "sweep", "--config", json.dumps(settings)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            if during is not None:
                during(process)
            out, _ = process.communicate(timeout=1800)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(5)
    if process.returncode != 0:
        raise RuntimeError(f"bench.measure sweep failed ({process.returncode}); see {logdir}/measure-sweep.log")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["farm_cpu_s"] = farm.cpu() - farm_cpu
    result["slack_cpu_s"] = _own_cpu() - own_cpu
    result["farm_share"] = result["farm_cpu_s"] / (result["wall_s"] * (os.cpu_count() or 1))
    result["per_s"] = n / result["wall_s"]
    result["cpu_ms_per_domain"] = result["cpu_s"] * 1000 / n
    db.unlink(missing_ok=True)
    config.log(
        f"sweep {n} ({tag}): {result['wall_s']:.1f} s, {result['per_s']:.0f}/s, "
        f"CPU {result['cpu_s']:.1f} s ({result['cpu_ms_per_domain']:.1f} ms a domain), "
        f"peak RSS {result['peak_rss_mb']:.0f} MB, "
        f"farm CPU {result['farm_cpu_s']:.1f} s ({result['farm_share']:.0%} of the machine), "
        f"{result['checks']} checks, {result['sent']} alerts sent in {result['delivery_s']:.1f} s, "
        f"at most {result['pacing_peak']} checks on one address"
    )
    return result


def sweeps(
    farm: Farm, config: Config, slack: SlackStandIn, logdir: Path, workdir: Path
) -> dict[int, list[dict[str, Any]]]:
    results: dict[int, list[dict[str, Any]]] = {}
    for n in config.sizes:
        results[n] = [
            sweep_once(farm, config, slack, logdir, workdir, n, f"{n}-{run}", profile=config.profile and run == 0)
            for run in range(config.runs)
        ]
    return results


def shared_sweeps(
    config: Config, certs: Path, slack: SlackStandIn, logdir: Path, workdir: Path
) -> list[dict[str, Any]]:
    """The shared-hosting farm: `shared_size` sites on `shared_addresses` addresses, polite sweep."""
    farm = Farm(config.shared_size, config.latency_ms, certs, config, logdir, addresses=config.shared_addresses)
    try:
        return [
            sweep_once(farm, config, slack, logdir, workdir, config.shared_size, f"shared-{run}")
            for run in range(config.runs)
        ]
    finally:
        farm.stop()


def blackbox_runs(farm: Farm, config: Config, workdir: Path) -> dict[int, list[dict[str, float]]]:
    """The exporter over the same sites as each sweep size, as many probes in flight as checks."""
    from bot.nightly.settings import NightlySettings

    concurrency = config.concurrency or NightlySettings().concurrency
    return {
        n: [
            blackbox.probe(
                farm.population,
                n,
                farm.endpoints["https_port"],
                farm.endpoints["ca_file"],
                config.timeout,
                concurrency,
                workdir,
                config.log,
            )
            for _ in range(config.runs)
        ]
        for n in config.sizes
    }


def ack_during_sweep(
    farm: Farm, config: Config, slack: SlackStandIn, logdir: Path, workdir: Path
) -> list[dict[str, float]]:
    """Acknowledgements from the Slack app's own process while the largest sweep runs beside it
    (the Procfile's web and nightly processes on one machine), one probe after another."""
    n = max(config.sizes)
    settings = _settings(farm, config, slack, workdir / "app-during-sweep.sqlite3", secret=SECRET)
    app = Child([sys.executable, "-m", "bench.measure", "app", "--config", json.dumps(settings)], "app-sweep", logdir)
    runs = []
    try:
        port = app.ready()["port"]
        for run in range(config.runs):
            acks: list[float] = []

            def probe_while(process: subprocess.Popen[str], run: int = run, acks: list[float] = acks) -> None:
                for i in range(100000):
                    if process.poll() is not None:
                        return
                    body = _command_body(slack, "help", f"sweep-{run}-{i}", "U0001")
                    acks.append(ack_ms(port, _signed(port, body)))

            result = sweep_once(farm, config, slack, logdir, workdir, n, f"ack-{run}", during=probe_while)
            runs.append(
                {
                    "n": n,
                    "probes": len(acks),
                    "p50": percentile(acks, 50) if acks else 0.0,
                    "p99": percentile(acks, 99) if acks else 0.0,
                    "sweep_wall_s": result["wall_s"],
                }
            )
            config.log(
                f"ack during a {n}-domain sweep, run {run + 1}: {len(acks)} probes, "
                f"p50 {runs[-1]['p50']:.1f} / p99 {runs[-1]['p99']:.1f} ms"
            )
    finally:
        app.stop(timeout=config.timeout * 2)
    return runs


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


PEER_SCRIPT = """set -e
mount --bind "$1/hosts" /etc/hosts
cp "$(command -v openssl)" "$1/openssl-real"
printf '#!/bin/sh\\nexec timeout %s "%s/openssl-real" "$@"\\n' "$2" "$1" > "$1/openssl"
chmod +x "$1/openssl"
mount --bind "$1/openssl" "$(command -v openssl)"
exec ssl-cert-check -f "$1/servers"
"""


def peer(
    config: Config, population: Population, https_port: int, logdir: Path, workdir: Path
) -> list[dict[str, float]]:
    """Debian's ssl-cert-check over the same names, sequentially as it works.

    In a mount namespace of its own: /etc/hosts maps the farm's names, and
    `openssl` is wrapped in `timeout` (the script has none, and a black hole
    would hold it for ever) with the same 10 s our checks get.
    """
    here = workdir / "peer"
    here.mkdir(exist_ok=True)
    names = population.names()[: config.peer_size]
    (here / "hosts").write_text(
        "127.0.0.1 localhost\n" + "".join(f"{population.address(i)} {name}\n" for i, name in enumerate(names))
    )
    (here / "servers").write_text("".join(f"{name} {https_port}\n" for name in names))
    runs = []
    for run in range(config.peer_runs):
        started = time.perf_counter()
        done = subprocess.run(
            [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                PEER_SCRIPT,
                "peer",
                str(here),
                f"{config.timeout:g}",
            ],
            capture_output=True,
            text=True,
            timeout=config.peer_size * config.timeout * 2 + 60,
        )
        wall = time.perf_counter() - started
        (logdir / f"peer-{run}.log").write_text(done.stdout + done.stderr)
        read = len(re.findall(r"^\S+:\d+\s+(?:Valid|Expiring|Expired)\s", done.stdout, re.MULTILINE))
        runs.append({"wall_s": wall, "read": read, "n": len(names)})
        config.log(f"ssl-cert-check, run {run + 1}: {wall:.1f} s for {len(names)} hosts, {read} certificates read")
    return runs


# --- the whole suite --------------------------------------------------------------------


@dataclass
class Results:
    single: list[dict[str, float]] = field(default_factory=list)
    ack: list[dict[str, float]] = field(default_factory=list)
    sweeps: dict[int, list[dict[str, float]]] = field(default_factory=dict)
    peer: list[dict[str, float]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)
    blackbox: dict[int, list[dict[str, float]]] = field(default_factory=dict)
    ack_sweep: list[dict[str, float]] = field(default_factory=list)
    farm_share_quiet: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run(config: Config) -> Results:
    workdir = Path(tempfile.mkdtemp(prefix="certcheck-bench-"))
    logdir = workdir / "logs"
    logdir.mkdir()
    config.log(f"bench: work files and logs in {workdir}")
    population = Population(
        max([*config.sizes, config.peer_size if config.peer else 1, config.slow_checks * 20, config.shared_size])
    )
    certs = workdir / "certs"
    write_certificates(certs, population.n)
    results = Results()
    if not config.netns:
        results.notes.append("no private network namespace: the farm bound every address separately")
    with SlackStandIn() as slack:
        farm = Farm(population.n, 0.0, certs, config, logdir)
        try:
            results.single = single_check(farm, config, population, logdir)
            results.ack = ack_latency(farm, config, population, slack, logdir, workdir)
        finally:
            farm.stop()
        farm = Farm(population.n, config.latency_ms, certs, config, logdir)
        try:
            results.sweeps = sweeps(farm, config, slack, logdir, workdir)
            if config.blackbox:
                if blackbox.find() is None:
                    results.notes.append(f"{blackbox.BINARY} is not installed: no blackbox figure")
                else:
                    results.blackbox = blackbox_runs(farm, config, workdir)
            if config.ack_during_sweep:
                results.ack_sweep = ack_during_sweep(farm, config, slack, logdir, workdir)
        finally:
            farm.stop()
        if config.shared_size:
            results.shared = shared_sweeps(config, certs, slack, logdir, workdir)
    if config.peer:
        if not shutil.which("ssl-cert-check"):
            results.notes.append("ssl-cert-check is not installed: no peer figure")
        elif not config.netns:
            results.notes.append("no mount namespace for the peer's /etc/hosts: no peer figure")
        else:
            farm = Farm(population.n, config.latency_ms, certs, config, logdir)
            try:
                results.peer = peer(config, population, farm.endpoints["https_port"], logdir, workdir)
            finally:
                farm.stop()
    if config.output is not None:
        write_table(config, results)
        config.log(f"bench: wrote {config.output}")
    shutil.rmtree(workdir / "certs", ignore_errors=True)
    return results


# --- the table ----------------------------------------------------------------------------


def _spread(values: list[float], fmt: str) -> tuple[str, str, str]:
    return (format(statistics.median(values), fmt), format(min(values), fmt), format(max(values), fmt))


def _verdict(value: float, target: float | None, below: bool) -> str:
    if target is None:
        return ""
    ok = value < target if below else value >= target
    return "met" if ok else "**missed**"


def table(config: Config, results: Results) -> str:
    rows: list[tuple[str, tuple[str, str, str], str, str]] = []

    def add(
        label: str,
        values: list[float],
        fmt: str,
        target_text: str = "",
        target: float | None = None,
        below: bool = True,
    ) -> None:
        if values:
            rows.append((label, _spread(values, fmt), target_text, _verdict(statistics.median(values), target, below)))

    ack = results.ack
    add("ack p50, idle (ms)", [r["idle_p50"] for r in ack], ".1f")
    add("ack p99, idle (ms)", [r["idle_p99"] for r in ack], ".1f")
    add(f"ack p50, {config.slow_checks} slow checks in flight (ms)", [r["loaded_p50"] for r in ack], ".1f")
    add(f"ack p99, {config.slow_checks} slow checks in flight (ms)", [r["loaded_p99"] for r in ack], ".1f", "< 50", 50)
    if results.ack_sweep:
        n = results.ack_sweep[0]["n"]
        add(f"ack p50, a {n:,}-domain sweep running (ms)", [r["p50"] for r in results.ack_sweep], ".1f")
        add(f"ack p99, a {n:,}-domain sweep running (ms)", [r["p99"] for r in results.ack_sweep], ".1f", "< 50", 50)
        add("acks measured during that sweep", [r["probes"] for r in results.ack_sweep], ".0f")
    add("single check of an open site, p50 (ms)", [r["p50"] for r in results.single], ".1f", "< 150", 150)
    add("single check of an open site, p99 (ms)", [r["p99"] for r in results.single], ".1f")
    largest = max(results.sweeps) if results.sweeps else None
    for n, runs in results.sweeps.items():
        big = n == largest and n >= 10000
        processes = runs[0].get("processes", 1)
        add(
            f"sweep {n:,}{f' ({processes} check processes)' if processes > 1 else ''}: wall (s)",
            [r["wall_s"] for r in runs],
            ".1f",
            "<= 60" if big else "",
            60.0001 if big else None,
        )
        add(f"sweep {n:,}: domains/s", [r["per_s"] for r in runs], ".0f")
        add(f"sweep {n:,}: CPU (s)", [r["cpu_s"] for r in runs], ".1f")
        add(f"sweep {n:,}: CPU per domain (ms)", [r["cpu_s"] * 1000 / n for r in runs], ".2f")
        add(f"sweep {n:,}: of the wall, delivering alerts to Slack (s)", [r["delivery_s"] for r in runs], ".1f")
        add(f"sweep {n:,}: peak RSS (MB)", [r["peak_rss_mb"] for r in runs], ".0f", "< 300", 300)
        add(f"sweep {n:,}: farm CPU, share of the machine", [r["farm_share"] * 100 for r in runs], ".0f")
    if len(results.sweeps) >= 2:
        small, big = sorted(results.sweeps)[0], sorted(results.sweeps)[-1]
        wall = statistics.median(r["wall_s"] for r in results.sweeps[big]) / statistics.median(
            r["wall_s"] for r in results.sweeps[small]
        )
        cpu = statistics.median(r["cpu_s"] for r in results.sweeps[big]) / statistics.median(
            r["cpu_s"] for r in results.sweeps[small]
        )
        rows.append((f"ratio {big:,} / {small:,}: wall", (f"{wall:.1f}", "", ""), f"{big / small:.0f} = linear", ""))
        linear = big / small
        rows.append(
            (
                f"ratio {big:,} / {small:,}: CPU",
                (f"{cpu:.1f}", "", ""),
                f"<= {linear * 1.05:g} ({linear:.0f} = linear)",
                _verdict(cpu, linear * 1.05 + 1e-9, below=True),
            )
        )
    for n, runs in results.blackbox.items():
        add(
            f"blackbox exporter, {n:,} sites ({runs[0]['probes']:,} probes): wall (s)",
            [r["wall_s"] for r in runs],
            ".1f",
        )
        add(f"blackbox exporter, {n:,}: CPU (s)", [r["cpu_s"] for r in runs], ".2f")
        add(f"blackbox exporter, {n:,}: CPU per domain (ms)", [r["cpu_s"] * 1000 / n for r in runs], ".2f")
        ours = results.sweeps.get(n)
        if ours:
            ratio = statistics.median(r["cpu_s"] for r in ours) / statistics.median(r["cpu_s"] for r in runs)
            rows.append(
                (
                    f"certcheck sweep / blackbox exporter, {n:,}: CPU per domain",
                    (f"{ratio:.1f}", "", ""),
                    "<= 3",
                    _verdict(ratio, 3.0000001, below=True),
                )
            )
    if results.shared:
        shared = results.shared
        n, k = config.shared_size, config.shared_addresses
        label = f"shared hosting, {n:,} sites on {k} addresses"
        pacing = f"{shared[0]['per_address']} a address, {shared[0]['per_address_rate']:g}/s"
        add(f"{label} (polite sweep: {pacing}): wall (s)", [r["wall_s"] for r in shared], ".1f")
        add(f"{label}: CPU (s)", [r["cpu_s"] for r in shared], ".1f")
        add(f"{label}: CPU per domain (ms)", [r["cpu_s"] * 1000 / n for r in shared], ".2f")
        add(f"{label}: peak RSS (MB)", [r["peak_rss_mb"] for r in shared], ".0f", "< 300", 300)
        add(f"{label}: most checks in flight on one address", [r["pacing_peak"] for r in shared], ".0f")
    if results.peer:
        size = config.peer_size
        peer_wall = [r["wall_s"] for r in results.peer]
        add(f"ssl-cert-check, {size:,} hosts: wall (s)", peer_wall, ".1f")
        ours = results.sweeps.get(size)
        if ours:
            ratio = statistics.median(peer_wall) / statistics.median(r["wall_s"] for r in ours)
            rows.append(
                (
                    f"certcheck sweep / ssl-cert-check, {size:,}: times faster",
                    (f"{ratio:.0f}", "", ""),
                    ">= 50",
                    _verdict(ratio, 50, below=False),
                )
            )
    lines = ["| figure | median | min | max | target | |", "| --- | ---: | ---: | ---: | --- | --- |"]
    lines += [f"| {label} | {m} | {lo} | {hi} | {target} | {verdict} |" for label, (m, lo, hi), target, verdict in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM; Linux {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def write_table(config: Config, results: Results) -> None:
    assert config.output is not None
    runs = f"{config.runs} runs" + (f" ({config.peer_runs} for the peer)" if results.peer else "")
    block = "\n".join(
        [
            BEGIN,
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}.",
            "",
            f"Command: `{config.command}`. Median of {runs}, with min and max; "
            f"sweeps at {config.latency_ms:g} ms server latency, 5 % black holes, {config.timeout:g} s timeout"
            + (f", concurrency {config.concurrency}" if config.concurrency else ", default concurrency")
            + ".",
            "",
            table(config, results),
            *([""] + [f"Note: {note}." for note in results.notes] if results.notes else []),
            END,
        ]
    )
    replace_block(config.output, BEGIN, END, block)


def replace_block(path: Path, begin: str, end: str, block: str) -> None:
    """Put `block` (which starts with `begin` and ends with `end`) in place of the file's, or append it."""
    text = path.read_text() if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = (text or "# Benchmarks\n\n") + block + "\n"
    path.write_text(text)
