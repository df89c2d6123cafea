"""One domain's nightly check, and what the alert policy and the history see of it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from checks import Options, Report, run_check
from checks.lifetime import reminder_days
from checks.schedule import CaSchedule

from .. import metrics
from ..db.results import Subscriber
from ..renewal import Renewal
from .governor import LoopGovernor, for_running_loop
from .policy import THRESHOLDS, Seen

log = logging.getLogger("bot.nightly.sweep")

Clock = Callable[[], datetime]
# Worst first when one domain is checked several ways in a night.
_VERDICT_RANK = {"ok": 0, "unknown": 1, "warning": 2, "critical": 3}


async def check_with_retry(
    domain: str,
    options: Options,
    clock: Clock,
    *,
    schedule: CaSchedule | None = None,
    gate: LoopGovernor | None = None,
) -> tuple[Report, bool]:
    """A check, and one more if the first failed for what may be a passing reason; each
    starts when `gate` (bot/nightly/governor.py; default: the running loop's) lets it."""
    gate = gate or for_running_loop()
    await gate.admit()
    report = await run_check(domain, options, now=clock(), schedule=schedule)
    if not transient(report):
        return report, False
    await gate.admit()
    return await run_check(domain, options, now=clock(), schedule=schedule), True


@dataclass(frozen=True)
class Checked:
    """One domain's night: its subscriptions, and the check made each way they say it renews."""

    subscribers: list[Subscriber]
    reports: dict[Renewal, Report]

    def ways(self) -> list[Renewal]:
        """The distinct ways the subscriptions say the domain renews, oldest subscription's first:
        the domain is checked once per way (usually one), each subscription judged by its own."""
        return list(dict.fromkeys(sub.renewal for sub in self.subscribers))

    def kept(self) -> Report:
        """The check the history keeps: the worst verdict (the first of equals)."""
        return max(self.reports.values(), key=lambda r: _VERDICT_RANK[r.verdict.value])


def observe(report: Report) -> None:
    """A nightly check, counted and logged (one `check` event per check)."""
    metrics.observe_report(report, "nightly")
    log.info(
        "checked %s: %s",
        report.domain,
        report.verdict.value,
        extra={
            "event": "check",
            "domain": report.domain,
            "verdict": report.verdict.value,
            "renewable": report.renewable,
            "duration_ms": report.duration_ms,
        },
    )


def seen_in(report: Report) -> Seen:
    """The policy's view of a report."""
    problems = report.problems()
    cert = report.certificate
    return Seen(
        severity=max((int(f.severity) for f in problems), default=0),
        problems=frozenset((f.code, f.name or "") for f in problems),
        days_left=report.certificate.days_left if report.certificate else None,
        conclusive=report.verdict.value != "unknown",
        reminders=reminder_days(cert.not_before, cert.not_after) if cert else THRESHOLDS,
    )


def transient(report: Report) -> bool:
    """Worth one more try tonight: the network's fault, perhaps, rather than the site's."""
    return report.transient


def history_row(report: Report) -> dict[str, Any]:
    return {
        "verdict": report.verdict.value,
        "renewable": report.renewable,
        "findings": [{"code": f.code, "severity": f.severity.label} for f in report.sorted_findings()],
        "cert_not_after": report.certificate.not_after if report.certificate else None,
        "cert_id": report.certificate.cert_id if report.certificate else None,
    }


def nights_in_a_row(previous: list[str], tonight: str) -> int:
    """Tonight plus the nights before it that were not OK, newest first."""
    count = 1
    for verdict in previous:
        if verdict == "ok":
            break
        count += 1
    return count if tonight != "ok" else 0
