"""`certcheck nightly [--once]`: the sweep from a terminal or a worker process."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime

from checks import OptionError

from .. import metrics
from ..db.nights import BUSY, DONE
from ..logs import configure as configure_logging
from ..nightly.schedule import run_forever
from ..services import Services


def run(once: bool, now: datetime | None = None) -> int:
    """`certcheck nightly [--once]`."""
    clock = (lambda: now) if now else None
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
            summary = sweeper.run_once()
            if summary.claim == BUSY:
                print(f"night {summary.night}: another process is sweeping it now; nothing done here")
                return 0
            if summary.claim == DONE:
                print(
                    f"night {summary.night}: already swept; nothing checked again "
                    f"({summary.sent} waiting messages sent, {summary.failed} failed)"
                )
                return 0
            print(
                f"night {summary.night}: {summary.claim}; {summary.domains} domains, {summary.checks} checks "
                f"({summary.retried} retried), {summary.planned} messages planned, {summary.sent} sent, "
                f"{summary.paused} paused, {summary.failed} failed, {summary.recovered} recovered, "
                f"{summary.unrecorded} unrecorded, "
                f"{summary.possible_duplicates} possible duplicates, "
                f"{summary.seconds:.1f} s"
            )
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
