"""The check itself."""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity


def check_incomplete(timeout: float, parts: list[str]) -> Finding:
    """Parts still running at the timeout: a warning, and the verdict becomes unknown
    unless something critical was found (`Report.verdict`)."""
    return Finding(Code.CHECK_INCOMPLETE, Severity.WARNING, {"timeout": f"{timeout:g}", "parts": parts})
