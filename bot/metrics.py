"""Prometheus metrics: what an operator watches to know last night's sweep really ran.

One set per process, on prometheus_client's default registry. The web
process serves them at `GET /metrics`; a nightly worker serves them on
CERTCHECK_METRICS_PORT, or writes them after each sweep to
CERTCHECK_METRICS_FILE (node_exporter's textfile collector, for cron).
Names are prefixed `certcheck_` (the outside contract).
"""

from __future__ import annotations

import os
from typing import Mapping, Protocol

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, generate_latest, start_http_server, write_to_textfile

from checks import OptionError, Report


class SweepFigures(Protocol):
    """What a sweep reports (bot.nightly.sweep.SweepSummary)."""

    claim: str
    domains: int
    checks: int
    sent: int
    paused: int
    failed: int
    recovered: int
    seconds: float


CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

SWEEPS = Counter("certcheck_sweeps", "Sweeps started, by what the night's claim found", ["claim"])
SWEEP_SECONDS = Gauge("certcheck_last_sweep_duration_seconds", "Wall time of the last sweep")
SWEEP_FINISHED = Gauge("certcheck_last_sweep_timestamp_seconds", "When the last sweep ended (Unix time)")
SWEEP_DOMAINS = Gauge("certcheck_last_sweep_domains", "Domains the last sweep went through")
DOMAINS = Counter("certcheck_domains_checked", "Domains checked by the nightly sweep, by verdict", ["verdict"])
CHECKS = Counter("certcheck_checks", "Checks run (a retry counts), by where they were asked", ["surface"])
ALERTS = Counter("certcheck_alerts", "Nightly messages, by outcome", ["outcome"])
CA_ANSWERS = Counter("certcheck_ca_answers", "Findings from what a CA itself answered, by code", ["code"])
CHECK_SECONDS = Histogram(
    "certcheck_check_duration_seconds",
    "Duration of one check",
    ["surface"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60),
)


def observe_report(report: Report, surface: str) -> None:
    """A check finished (`surface`: slack, nightly)."""
    CHECK_SECONDS.labels(surface).observe(report.duration_ms / 1000)
    if surface == "nightly":
        DOMAINS.labels(report.verdict.value).inc()
    for finding in report.findings:
        if finding.source == "ca":
            CA_ANSWERS.labels(finding.code).inc()


def observe_sweep(summary: SweepFigures, finished_at: float) -> None:
    SWEEPS.labels(summary.claim).inc()
    CHECKS.labels("nightly").inc(summary.checks)
    for outcome in ("sent", "paused", "failed", "recovered"):
        ALERTS.labels(outcome).inc(getattr(summary, outcome))
    # A worker that joined a night and found nothing left to check says nothing about the night.
    if summary.claim != "busy" and not (summary.claim == "joined" and summary.domains == 0):
        SWEEP_SECONDS.set(summary.seconds)
        SWEEP_DOMAINS.set(summary.domains)
        SWEEP_FINISHED.set(finished_at)


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)


def export_after_sweep(env: Mapping[str, str] | None = None) -> None:
    """With CERTCHECK_METRICS_FILE, write the metrics there (atomically, as node_exporter wants)."""
    path = (os.environ if env is None else env).get("CERTCHECK_METRICS_FILE")
    if path:
        write_to_textfile(path, REGISTRY)


def serve_port(env: Mapping[str, str] | None = None) -> int | None:
    """With CERTCHECK_METRICS_PORT, serve /metrics on that port (a nightly worker); the port, or None."""
    text = (os.environ if env is None else env).get("CERTCHECK_METRICS_PORT")
    if not text:
        return None
    from checks.options import parse_port

    port = parse_port(text, "CERTCHECK_METRICS_PORT")
    try:
        start_http_server(port, addr=(os.environ if env is None else env).get("CERTCHECK_HOST", "0.0.0.0"))
    except OSError as exc:
        raise OptionError(f"CERTCHECK_METRICS_PORT {port}: {exc.strerror}") from None
    return port
