"""The check itself, and which names of the order it could check."""

from __future__ import annotations

from ..codes import Code
from ..model import Finding, Severity

# A part's error message is what a site sent, at most this long in a report.
_MAX_ERROR = 200


def check_incomplete(timeout: float, parts: list[str]) -> Finding:
    """Parts still running at the timeout: a warning, and the verdict becomes unknown
    unless something critical was found (`Report.verdict`)."""
    return Finding(Code.CHECK_INCOMPLETE, Severity.WARNING, {"timeout": f"{timeout:g}", "parts": parts})


def check_error(name: str, part: str, exc: BaseException) -> Finding:
    """A part raised: what it would have found is not known (inconclusive, `renewable` null)."""
    error = f"{type(exc).__name__}: {exc}"[:_MAX_ERROR]
    return Finding(Code.CHECK_ERROR, Severity.WARNING, {"name": name, "part": part, "error": error})


def name_not_public(name: str, refusal: str, refusal_params: dict[str, object]) -> Finding:
    """A name on the certificate the CA will not validate (not a public host name): the order fails.
    `refusal` is the `checks.names.InputError` key that says why, with its parameters."""
    params = {"name": name, "refusal": refusal, "refusal_params": refusal_params}
    return Finding(Code.NAME_NOT_PUBLIC, Severity.CRITICAL, params, name=name)


def names_skipped(limit: int, skipped: list[str]) -> Finding:
    """More names than one check covers: those left unchecked make `renewable` unknown."""
    return Finding(Code.NAMES_SKIPPED, Severity.WARNING, {"limit": limit, "count": len(skipped), "skipped": skipped})
