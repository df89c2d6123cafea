"""`python -m bench`: the whole benchmark, in a private network namespace.

As root, the command re-runs itself under `unshare --net --mount`: there the
farm binds 0.0.0.0 (which reaches only that namespace's loopback), the peer
gets an /etc/hosts of its own, and nothing is seen from outside. Without
namespaces it falls back to binding every address separately, with smaller N.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

INSIDE = "CERTCHECK_BENCH_NETNS"
FALLBACK_MAX = 1000


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="certcheck's benchmarks (docs/benchmarks.md)")
    parser.add_argument("--sizes", default="1000,10000", help="sweep sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (default 3)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of ssl-cert-check (default 1: ~10 minutes each)")
    parser.add_argument("--no-peer", action="store_true", help="skip ssl-cert-check")
    parser.add_argument("--no-blackbox", action="store_true", help="skip the Prometheus blackbox exporter")
    parser.add_argument("--shared-size", type=int, default=10000, help="shared-hosting farm's sites (0: skip)")
    parser.add_argument("--shared-addresses", type=int, default=20, help="shared-hosting farm's addresses")
    parser.add_argument("--no-ack-sweep", action="store_true", help="skip the acks during the largest sweep")
    parser.add_argument("--single-checks", type=int, default=200)
    parser.add_argument("--ack-probes", type=int, default=200)
    parser.add_argument("--slow-checks", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=100.0, help="server latency for the sweeps")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, help="sweep concurrency (default: the shipped default)")
    parser.add_argument("--web-procs", type=int, default=1, help="farm web server processes")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the first run of each sweep")
    parser.add_argument("--output", default="docs/benchmarks.md", help="where the table goes ('-': nowhere)")
    parser.add_argument("--no-netns", action="store_true", help="do not enter a network namespace")
    return parser.parse_args(argv)


def _namespaces_work() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "--net", "--mount", "true"], capture_output=True).returncode == 0


def _install_peers(packages: dict[str, str]) -> None:
    """The peers from Debian (package: command), before leaving the network behind."""
    missing = [package for package, command in packages.items() if not shutil.which(command)]
    if not missing or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    print(f"bench: installing {' '.join(missing)} with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=False)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    command = " ".join([".venv/bin/python -m bench", *map(shlex.quote, argv)])
    netns = os.environ.get(INSIDE) == "1"
    if not netns and not args.no_netns:
        peers = {} if args.no_peer else {"ssl-cert-check": "ssl-cert-check"}
        if not args.no_blackbox:
            peers["prometheus-blackbox-exporter"] = "prometheus-blackbox-exporter"
        _install_peers(peers)
        if _namespaces_work():
            env = {**os.environ, INSIDE: "1"}
            inner = [
                "unshare",
                "--net",
                "--mount",
                "--propagation",
                "private",
                "--",
                sys.executable,
                "-m",
                "bench",
                *argv,
            ]
            return subprocess.run(inner, env=env).returncode
        print(
            "bench: no network namespace here (needs root and unshare); binding addresses one by one, "
            f"sweeps capped at {FALLBACK_MAX} domains",
            flush=True,
        )
    if netns:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    from .run import Config, run

    sizes = tuple(int(x) for x in args.sizes.split(",") if x)
    if not netns:
        sizes = tuple(sorted({min(n, FALLBACK_MAX) for n in sizes}))
    config = Config(
        sizes=sizes,
        runs=args.runs,
        peer_runs=args.peer_runs,
        peer_size=min(1000, max(sizes)),
        single_checks=args.single_checks,
        ack_probes=args.ack_probes,
        slow_checks=args.slow_checks,
        latency_ms=args.latency_ms,
        timeout=args.timeout,
        concurrency=args.concurrency,
        peer=not args.no_peer,
        netns=netns,
        web_procs=args.web_procs,
        shared_size=min(args.shared_size, FALLBACK_MAX) if not netns else args.shared_size,
        shared_addresses=args.shared_addresses,
        blackbox=not args.no_blackbox,
        ack_during_sweep=not args.no_ack_sweep,
        profile=args.profile,
        output=None if args.output == "-" else Path(args.output).resolve(),
        command=command,
        log=lambda line: print(line, flush=True),
    )
    run(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
