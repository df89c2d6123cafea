"""Does a CAA RRset let the CA issue by HTTP-01? (RFC 8659, RFC 8657)"""

from __future__ import annotations

from dataclasses import dataclass

_KNOWN_TAGS = frozenset({"issue", "issuewild", "iodef"})
_CRITICAL = 0x80


@dataclass(frozen=True)
class CaaDecision:
    allowed: bool
    reason: str | None = None  # "issue", "critical" or "method" when not allowed
    restricts: bool = False  # whether the set says anything about issuance at all


def evaluate_caa(
    records: tuple[tuple[int, str, str], ...], ca_identity: str, *, wildcard: bool = False, method: str = "http-01"
) -> CaaDecision:
    """Apply the relevant RRset the way a CA must, for the validation `method` (RFC 8657)."""
    for flags, tag, _value in records:
        if flags & _CRITICAL and tag not in _KNOWN_TAGS:
            return CaaDecision(False, "critical", restricts=True)
    wanted = "issuewild" if wildcard and any(t == "issuewild" for _, t, _ in records) else "issue"
    values = [value for _, tag, value in records if tag == wanted]
    if not values:
        # Only iodef or unknown non-critical tags: CAA does not restrict.
        return CaaDecision(True)
    method_refused = False
    for value in values:
        issuer, params = _parse_issue_value(value)
        if issuer != ca_identity.lower():
            continue
        methods = params.get("validationmethods")
        if methods is not None and method not in methods.split(","):
            method_refused = True
            continue
        return CaaDecision(True, restricts=True)
    return CaaDecision(False, "method" if method_refused else "issue", restricts=True)


def _parse_issue_value(value: str) -> tuple[str, dict[str, str]]:
    issuer, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for part in rest.split(";"):
        key, sep, val = part.strip().partition("=")
        if sep:
            params[key.strip().lower()] = val.strip().lower()
    return issuer.strip().lower(), params


def format_record(record: tuple[int, str, str]) -> str:
    flags, tag, value = record
    return f'{flags} {tag} "{value}"'
