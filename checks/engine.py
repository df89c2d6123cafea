"""Runs one check: DNS first, then the dry run, root and certificate probes."""

from __future__ import annotations

from datetime import datetime

from .model import Report
from .options import Options


async def run_check(text: str, options: Options, *, now: datetime | None = None) -> Report:
    """Check the name in `text` (anything `normalise_domain` accepts).

    Raises `InputError` for input that is not a checkable host name. Never
    takes longer than `options.timeout` (plus scheduling slack).
    """
    raise NotImplementedError
