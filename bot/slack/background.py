"""Where a listener's work goes once Slack has its acknowledgement.

Bolt runs a listener on its `listener_executor` and holds the HTTP answer
until the listener calls `ack()` (`slack_bolt/listener/thread_runner.py`,
`ThreadListenerRunner.run`). A listener that then waits on the network
(`users.info` for the language, a `response_url` post) keeps its thread, so
a few slow calls leave the next user's request waiting for a thread past
Slack's 3 seconds. Listeners therefore only parse and acknowledge, and hand
everything else to this pool.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

log = logging.getLogger(__name__)


class Background:
    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="certcheck-reply")

    def submit(self, work: Callable[..., Any], *args: Any) -> None:
        """Run `work(*args)` soon; a failure is logged, never raised."""
        self._pool.submit(self._run, work, args)

    def close(self) -> None:
        """Finish what was handed over, then stop."""
        self._pool.shutdown(wait=True)

    @staticmethod
    def _run(work: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            work(*args)
        except Exception:  # noqa: BLE001 - one failed reply must not end the worker
            log.exception("reply failed")
