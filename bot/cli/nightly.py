"""`certcheck nightly [--once]`: the sweep from a terminal or a worker process."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import datetime

from checks import OptionError

from .. import metrics
from ..nightly.schedule import run_forever
from ..services import Services


def run(once: bool, now: datetime | None = None) -> int:
    """`certcheck nightly [--once]`."""

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    clock = (lambda: now) if now else None
    try:
        services = Services.create()
        sweeper = services.sweeper(clock=clock)
        services.tokens.verify()
        if not once:
            metrics.serve_port()
    except OptionError as exc:
        print(f"certcheck nightly: {exc}", file=sys.stderr)
        return 3
    try:
        if once:
            summary = sweeper.run_once()
            print(
                f"night {summary.night}: {summary.claim}; {summary.domains} domains, {summary.checks} checks "
                f"({summary.retried} retried), {summary.planned} messages planned, {summary.sent} sent, "
                f"{summary.paused} paused, {summary.failed} failed, {summary.recovered} recovered, "
                f"{summary.unrecorded} unrecorded, "
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
