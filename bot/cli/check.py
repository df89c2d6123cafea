"""`certcheck check DOMAIN`: the checks from a terminal, for people and for monitoring."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from checks import CaPhase, CaProbeSettings, InputError, OptionError, Options, run_check
from checks.options import ALL_NETWORKS, parse_networks, parse_port, parse_resolver, parse_timeout
from checks.schedule import ScheduleSettings, schedule_for_one_check

from .text import render_text


def add_check_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = sub.add_parser(
        "check",
        help="check one domain (exit 0 ok, 1 warning, 2 critical, 3 unknown)",
        description="Dry-run a Let's Encrypt HTTP-01 renewal of DOMAIN and read its certificate.",
    )
    check.add_argument("domain", metavar="DOMAIN", help="a host name, URL, IDN or Slack link")
    check.add_argument("--json", action="store_true", help="print the JSON report")
    check.add_argument(
        "--names",
        metavar="NAME[,NAME]",
        help="check DOMAIN and these names as one renewal order (default: every DNS name on the served certificate)",
    )
    check.add_argument("--lang", choices=("en", "ja"), default="en")
    check.add_argument(
        "--challenge",
        choices=("http-01", "dns-01", "tls-alpn-01", "auto"),
        help="how the renewal validates (default auto: DNS-01 when the certificate has a wildcard, else HTTP-01)",
    )
    check.add_argument(
        "--host-validates-root",
        action="store_true",
        help="the host also fetches the site root when it validates (as Xserver does): a restriction there blocks renewal",
    )
    check.add_argument("--resolver", metavar="IP[:PORT]", help="DNS server to ask (CERTCHECK_RESOLVER)")
    check.add_argument("--http-port", metavar="N", help="port for http:// (CERTCHECK_HTTP_PORT, default 80)")
    check.add_argument("--https-port", metavar="N", help="port for https:// (CERTCHECK_HTTPS_PORT, default 443)")
    check.add_argument("--ca-file", metavar="PEM", help="extra trust anchors (CERTCHECK_CA_FILE)")
    check.add_argument(
        "--allow-private",
        action="store_true",
        help="lab mode: private and loopback addresses count as public, .test/.example names accepted",
    )
    check.add_argument(
        "--lab-networks",
        metavar="CIDR[,CIDR]",
        help="lab mode limited to these networks (CERTCHECK_LAB_NETWORKS)",
    )
    check.add_argument(
        "--timeout",
        metavar="SECONDS",
        help="cap for the whole check (CERTCHECK_TIMEOUT, default 25: at least what Let's Encrypt gives a validation)",
    )
    check.add_argument(
        "--ca-probe",
        action="store_true",
        help="also ask an ACME CA (CERTCHECK_ACME_DIRECTORY, default Let's Encrypt staging) to validate DOMAIN "
        "without a token; at most once per domain per CERTCHECK_CA_PROBE_HOURS (default 24), see docs/acme.md",
    )
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        options = _options(args)
        ca_probe = _ca_probe(args)
        # The CA's schedule (ARI, CT) is asked unless CERTCHECK_ARI=0 / CERTCHECK_CT=0.
        schedule = ScheduleSettings.from_env(options)
    except OptionError as exc:
        return _refuse(args, str(exc))
    try:
        names = [n for n in args.names.split(",") if n.strip()] if args.names else None
        report = asyncio.run(_check(args.domain, options, ca_probe, schedule, names))
    except InputError as exc:
        return _refuse(args, str(exc))
    output = (
        json.dumps(report.to_json(args.lang), ensure_ascii=False, indent=2)
        if args.json
        else render_text(report, args.lang)
    )
    try:
        print(output, flush=True)
    except BrokenPipeError:
        # `certcheck check x | head` is not an error; silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return report.verdict.exit_code


async def _check(
    domain: str, options: Options, ca_probe: CaPhase | None, settings: ScheduleSettings, names: list[str] | None
):
    async with schedule_for_one_check(options, settings) as schedule:
        return await run_check(domain, options, ca=ca_probe, schedule=schedule, names=names)


def _options(args: argparse.Namespace) -> Options:
    overrides: dict[str, object] = {
        "resolver": parse_resolver(args.resolver) if args.resolver else None,
        "http_port": parse_port(args.http_port, "--http-port") if args.http_port else None,
        "https_port": parse_port(args.https_port, "--https-port") if args.https_port else None,
        "ca_file": args.ca_file,
        "timeout": parse_timeout(args.timeout) if args.timeout else None,
        "host_validates_root": True if args.host_validates_root else None,
        "challenge": args.challenge,
    }
    if args.lab_networks:
        overrides["lab_networks"] = parse_networks(args.lab_networks)
    elif args.allow_private:
        overrides["lab_networks"] = ALL_NETWORKS
    return Options.from_env(None, **overrides)


def _ca_probe(args: argparse.Namespace) -> CaPhase | None:
    """With `--ca-probe`: the CA phase of the check (settings read now)."""
    if not args.ca_probe:
        return None
    from checks.acme import FileAcmeState, default_state_dir

    return CaPhase(CaProbeSettings.from_env(), FileAcmeState(default_state_dir()))


def _refuse(args: argparse.Namespace, reason: str) -> int:
    """Bad input: one line, exit 3 (UNKNOWN), and JSON for scripts that asked for it."""
    if args.json:
        print(
            json.dumps(
                {"input": args.domain, "verdict": "unknown", "renewable": None, "error": reason}, ensure_ascii=False
            )
        )
    print(f"certcheck: {reason}", file=sys.stderr)
    return 3
