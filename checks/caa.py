"""Does a CAA RRset let the CA issue, by the renewal's method, to the renewal's account?
(RFC 8659, RFC 8657; Boulder `va/caa.go`)"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KNOWN_TAGS = frozenset({"issue", "issuewild", "iodef"})
# Boulder's `filterCAA`: bit 128 is the critical flag, and bit 1 "must reasonably be considered
# an alias" since so many records set it meaning critical.
_CRITICAL = 0x80 | 0x01

# Boulder's VA `accountURIPrefixes` for Let's Encrypt production (ACMEv2 accounts and those
# registered under ACMEv1): an `accounturi` names one account, a prefix plus its number.
ACCOUNT_URI_PREFIXES: dict[str, tuple[str, ...]] = {
    "letsencrypt.org": (
        "https://acme-v02.api.letsencrypt.org/acme/acct/",
        "https://acme-v01.api.letsencrypt.org/acme/reg/",
    ),
}
# The ACME challenge types Boulder knows (`core.AcmeChallenge.IsValid`); others in a list are skipped.
_KNOWN_METHODS = frozenset({"http-01", "dns-01", "tls-alpn-01", "dns-account-01"})
_METHOD = re.compile(r"^[A-Za-z0-9-]+$")
_TAG = re.compile(r"^[A-Za-z0-9]*$")
_VALUE = re.compile(r"^[\x21-\x3a\x3c-\x7e]*$")


@dataclass(frozen=True)
class CaaDecision:
    allowed: bool
    reason: str | None = None  # "issue", "critical", "method" or "account" when not allowed
    restricts: bool = False  # whether the set says anything about issuance at all
    # Allowed only to these ACME accounts (RFC 8657 `accounturi`): the renewal's account must be one.
    accounts: tuple[str, ...] = ()


def evaluate_caa(
    records: tuple[tuple[int, str, str], ...],
    ca_identity: str,
    *,
    wildcard: bool = False,
    method: str = "http-01",
    account: str | None = None,
) -> CaaDecision:
    """Apply the relevant RRset as Boulder's `validateCAA` does, for the validation `method`.

    `account` is the URL of the ACME account that asks, compared exactly
    (`caaAccountURIMatches`). certcheck seldom knows the renewal's account:
    without one, a record bound to an account that the CA could have is
    taken to allow issuance to that account only (`CaaDecision.accounts`).
    """
    for flags, tag, _value in records:
        if flags & _CRITICAL and tag not in _KNOWN_TAGS:
            return CaaDecision(False, "critical", restricts=True)
    issue = [value for _, tag, value in records if tag == "issue"]
    wild = [value for _, tag, value in records if tag == "issuewild"]
    if not issue and not wildcard:
        # Only iodef, issuewild or unknown non-critical tags: nothing about this issuance.
        return CaaDecision(True)
    # RFC 8659 5.3, as Boulder applies it: a wildcard uses issuewild when there is one, else
    # issue, and an empty choice (a wildcard beside iodef alone) authorises nobody.
    values = wild if wildcard and wild else issue
    refusals: set[str] = set()
    bound: list[str] = []
    for value in values:
        parsed = parse_issue_value(value)
        if parsed is None or parsed[0] != ca_identity:
            continue  # malformed, or another CA (`caaDomainMatches` compares exactly)
        params = parsed[1]
        uri = params.get("accounturi")
        if not _method_matches(params.get("validationmethods"), method):
            refusals.add("method")
            continue
        if uri is None:
            return CaaDecision(True, restricts=True)
        if account is not None:
            if uri == account:
                return CaaDecision(True, restricts=True)
            refusals.add("account")
        elif could_be_account(uri, ca_identity):
            bound.append(uri)
        else:
            refusals.add("account")
    if bound:
        return CaaDecision(True, restricts=True, accounts=tuple(dict.fromkeys(bound)))
    reason = next((r for r in ("method", "account") if r in refusals), "issue")
    return CaaDecision(False, reason, restricts=True)


def could_be_account(uri: str, ca_identity: str) -> bool:
    """Whether `uri` can name an account of the CA at all (Boulder: a prefix of its own plus the
    account's number); for a CA whose prefixes certcheck does not know, any absolute https URL."""
    prefixes = ACCOUNT_URI_PREFIXES.get(ca_identity)
    if prefixes is None:
        return uri.startswith("https://") and len(uri) > len("https://")
    return any(uri.startswith(p) and uri[len(p) :].isdigit() and uri[len(p) :].isascii() for p in prefixes)


def parse_issue_value(value: str) -> tuple[str, dict[str, str]] | None:
    """(issuer, parameters) of an issue/issuewild value, as Boulder's `parseCAARecord` reads it
    (RFC 8659 4.2, 4.3); None for a malformed one, which authorises nobody. Tags and values are
    kept as written: Boulder compares them exactly."""
    issuer, *parts = value.split(";")
    issuer = issuer.strip(" \t")
    params: dict[str, str] = {}
    if len(parts) == 1 and not parts[0].strip(" \t"):
        return issuer, params
    for part in parts:
        tag, sep, val = part.partition("=")
        tag, val = tag.strip(" \t"), val.strip(" \t")
        if not sep or not _TAG.match(tag) or not _VALUE.match(val):
            return None
        params[tag] = val
    return issuer, params


def _method_matches(methods: str | None, method: str) -> bool:
    """Boulder's `caaValidationMethodMatches`: a listed name outside `1*(ALPHA / DIGIT / "-")`
    rejects the record, an unknown one is skipped, the method must be listed exactly."""
    if methods is None:
        return True
    for listed in methods.split(","):
        if not _METHOD.match(listed):
            return False
        if listed in _KNOWN_METHODS and listed == method:
            return True
    return False


def format_record(record: tuple[int, str, str]) -> str:
    flags, tag, value = record
    return f'{flags} {tag} "{value}"'
