"""The second peer: the Prometheus blackbox exporter, as an operations team would run it.

Debian's `prometheus-blackbox-exporter` (`bench/__main__.py` installs it when
missing), its `http` prober with TLS: one probe of `https://NAME/` for every
name on a site's certificate (the apex and `www.`), as many in flight as our
sweep has checks, against the same farm. A probe is a GET of the exporter's
`/probe?module=https_tls&target=...`, the request Prometheus makes on a scrape.

The exporter runs in a mount namespace of its own where `/etc/hosts`
(bind-mounted) maps the farm's names, as for `ssl-cert-check`: Go's resolver
reads it, so the exporter asks no DNS at all, where our check asks the farm's
DNS server for every name. That favours the peer, and is said under the table.
The figure is the exporter's CPU seconds (all its threads, from /proc) over
the probes, and its wall time; the probing client is this process, not counted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from .farm import Population

BINARY = "prometheus-blackbox-exporter"
MODULE = "https_tls"
CONFIG = """modules:
  {module}:
    prober: http
    timeout: {timeout}s
    http:
      method: GET
      fail_if_not_ssl: true
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      tls_config:
        ca_file: {ca_file}
"""
SCRIPT = """set -e
mount --bind "$1/hosts" /etc/hosts
exec "$2" --config.file="$1/blackbox.yml" --web.listen-address="127.0.0.1:$3" --log.level=warn
"""


def find() -> str | None:
    return shutil.which(BINARY)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Exporter:
    """The exporter, started in its own mount namespace, stopped by its pid."""

    def __init__(self, population: Population, n: int, ca_file: str, timeout: float, workdir: Path) -> None:
        binary = find()
        if binary is None:
            raise RuntimeError(f"{BINARY} is not installed")
        self.here = workdir / "blackbox"
        self.here.mkdir(exist_ok=True)
        hosts = ["127.0.0.1 localhost"]
        hosts += [f"{population.address(i)} {' '.join(population.order(i))}" for i in range(n)]
        (self.here / "hosts").write_text("\n".join(hosts) + "\n")
        (self.here / "blackbox.yml").write_text(CONFIG.format(module=MODULE, timeout=f"{timeout:g}", ca_file=ca_file))
        self.port = _free_port()
        self.log = open(self.here / "exporter.log", "ab")
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT]
        self.proc = subprocess.Popen(
            [*command, "blackbox", str(self.here), binary, str(self.port)],
            stdout=self.log,
            stderr=self.log,
            env={**os.environ, "GODEBUG": "netdns=go"},
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                # Polling a port another process opens: nothing to wait on but the port itself.
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{BINARY} did not start; see {self.here / 'exporter.log'}")

    def cpu(self) -> float:
        return _cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


async def _probe(port: int, target: str, timeout: float) -> bool:
    path = f"/probe?module={MODULE}&target={quote(target, safe='')}"
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        body = await asyncio.wait_for(reader.read(), timeout + 5)
    finally:
        writer.close()
    return b"\nprobe_success 1" in body


async def _probe_all(port: int, targets: list[str], concurrency: int, timeout: float) -> int:
    queue = iter(targets)
    ok = 0

    async def worker() -> None:
        nonlocal ok
        for target in queue:
            succeeded = await _probe(port, target, timeout)  # awaited first: `ok += await` loses counts
            ok += succeeded

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(targets)))))
    return ok


def probe(
    population: Population,
    n: int,
    https_port: int,
    ca_file: str,
    timeout: float,
    concurrency: int,
    workdir: Path,
    log: Callable[[str], None],
) -> dict[str, float]:
    """One run: every name of the first `n` sites probed once; the exporter's CPU and wall."""
    suffix = "" if https_port == 443 else f":{https_port}"
    targets = [f"https://{name}{suffix}/" for i in range(n) for name in population.order(i)]
    exporter = Exporter(population, n, ca_file, timeout, workdir)
    try:
        cpu, started = exporter.cpu(), time.perf_counter()
        ok = asyncio.run(_probe_all(exporter.port, targets, concurrency, timeout))
        wall, cpu = time.perf_counter() - started, exporter.cpu() - cpu
    finally:
        exporter.stop()
    log(f"blackbox exporter, {n} sites: {len(targets)} probes in {wall:.1f} s, CPU {cpu:.2f} s, {ok} succeeded")
    return {"n": n, "probes": len(targets), "wall_s": wall, "cpu_s": cpu, "succeeded": ok}
