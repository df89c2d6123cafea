"""Database writes that survive a passing fault: a lost connection, a locked SQLite file.

`retried` runs one whole transaction again, so it wraps only functions that
open, do and commit their transaction in one call (the per-domain record and
the night's bookkeeping), never a part of one. What is retried: errors the
database calls operational (connection lost or terminated, SQLite's "database
is locked", a full or failing disk) and any error after which SQLAlchemy
threw the connection away. A constraint violation is not: doing the same
again would fail the same way.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Callable, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 4
FIRST_DELAY = 0.1  # seconds; doubled after each failure
MAX_DELAY = 2.0


def transient(error: BaseException) -> bool:
    """Would the same transaction, tried again on a new connection, likely succeed?"""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def retried(work: Callable[P, T]) -> Callable[P, T]:
    """`work` tried up to ATTEMPTS times, backing off between tries, while its error is transient."""

    @functools.wraps(work)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> T:
        delay = FIRST_DELAY
        for tries in range(1, ATTEMPTS + 1):
            try:
                return work(*args, **kwargs)
            except DBAPIError as error:
                if tries == ATTEMPTS or not transient(error):
                    raise
                log.warning(
                    "database write %s failed (%s); retrying in %.1f s (%d of %d)",
                    work.__qualname__,
                    _first_line(error),
                    delay,
                    tries,
                    ATTEMPTS - 1,
                )
            # Backing off from a fault, not waiting for an event: the database has no way to say it is back.
            time.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
        raise AssertionError("unreachable")

    return attempt


def _first_line(error: BaseException) -> str:
    return str(error.orig if isinstance(error, DBAPIError) else error).strip().splitlines()[0][:200]
