"""`certcheck nightly [--once [--force]]`: the sweep from a terminal or a worker process."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime

from checks import OptionError

from .. import metrics
from ..db.nights import DONE, JOINED
from ..logs import configure as configure_logging
from ..nightly.schedule import run_forever
from ..nightly.sweep import SweepSummary
from ..services import Services


def run(once: bool, now: datetime | None = None, force: bool = False) -> int:
    """`certcheck nightly [--once [--force]]`."""
    clock = (lambda: now) if now else None
    if force and not once:
        print("certcheck nightly: --force needs --once (it sweeps tonight again, then exits)", file=sys.stderr)
        return 3
    try:
        configure_logging()
        services = Services.create()
        sweeper = services.sweeper(clock=clock)
        # After the settings: a bad setting is named without asking Slack.
        services.tokens.verify()
        if not once:
            metrics.serve_port()
    except OptionError as exc:
        print(f"certcheck nightly: {exc}", file=sys.stderr)
        return 3
    try:
        if once:
            print(said(sweeper.run_once(force=force)))
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            run_forever(sweeper, stop)
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        services.close()


def said(summary: SweepSummary) -> str:
    """What one `--once` run did, or why it did nothing, in one line."""
    night = f"night {summary.night}"
    if summary.claim == DONE:
        return (
            f"{night}: already swept; nothing checked again ({summary.sent} waiting messages sent, "
            f"{summary.failed} failed; --force sweeps it again)"
        )
    if summary.claim == JOINED and summary.domains == 0:
        return (
            f"{night}: joined; nothing left to check, other workers hold the last {summary.left} work items "
            f"({summary.sent} waiting messages sent)"
        )
    ending = (
        "night finished"
        if summary.finished
        else f"{summary.left} work items not done yet (other workers, or unrecorded domains for the next run)"
    )
    return (
        f"{night}: {summary.claim}; {summary.domains} domains in {summary.items} work items, {summary.checks} checks "
        f"({summary.retried} retried), {summary.planned} messages planned, {summary.sent} sent, "
        f"{summary.paused} paused, {summary.failed} failed, {summary.recovered} recovered, "
        f"{summary.unrecorded} unrecorded, {summary.lost} items lost to other workers, "
        f"{summary.possible_duplicates} possible duplicates, {summary.seconds:.1f} s; {ending}"
    )
