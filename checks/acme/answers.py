"""What the CA said, and what it means for the site. Pure functions.

A probe answers the CA's HTTP-01 challenge without placing a token, so the
healthy answer is the CA's complaint that it got a 404: its validators
reached the place where the real token would be. Every other complaint
names a blocker, mapped to the same finding codes the local dry run uses,
with `source="ca"` and the CA's own words kept in `ca_detail`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..clock import minute, utc
from ..codes import SPECS, Code
from ..model import Finding, Report, Severity
from .client import Problem

CRITICAL, WARNING, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO

# Authorization outcomes of a probe.
VALID = "valid"  # the CA was satisfied (only possible if the site served our key authorization)
INVALID = "invalid"  # the CA's validation failed: `problem` says why
PENDING = "pending"  # the CA had not decided within the probe's time; the authorization was deactivated
REFUSED = "refused"  # the CA refused the order itself (rejected name, rate limit): no validation happened

# Problem types that say nothing about the site: the CA or our request failed.
_NOT_THE_SITE = frozenset(
    {
        "rateLimited",
        "serverInternal",
        "badNonce",
        "malformed",
        "accountDoesNotExist",
        "badSignatureAlgorithm",
        "badPublicKey",
        "userActionRequired",
        "externalAccountRequired",
        "about:blank",
    }
)

# What "reachable from here, blocked for the CA" is about: the validator's
# request not getting through, which a local allow-list explains.
_ACCESS_CODES = (Code.ACCESS_RESTRICTED, Code.ACCESS_FORBIDDEN, Code.HTTP_UNREACHABLE)

# "…/acme-challenge/TOKEN returned 404" (Pebble), "Invalid response from URL: 404" and
# "Invalid response from URL [ADDRESS]: 404" (Boulder, Let's Encrypt).
_STATUS = re.compile(r"(?:returned|Invalid response from\s+\S+?(?:\s+\[[^\]]*\])?:)\s+(\d{3})\b", re.I)
_KEY_AUTH_MISMATCH = re.compile(r"key authorization|did not match", re.I)
_RESOLVE = re.compile(
    r"could not resolve|no such host|no valid ip addresses|error occurred while resolving|NXDOMAIN", re.I
)


@dataclass(frozen=True)
class CaAnswer:
    """One probe's result as the CA gave it: what is cached, and what findings are made from."""

    domain: str
    directory: str
    probed_at: datetime
    outcome: str  # VALID, INVALID, PENDING or REFUSED
    problem: Problem | None = None
    url: str | None = None  # the URL the CA's validator fetched
    address: str | None = None  # the address it connected to
    account: str | None = None
    authorization: str | None = None  # the authorization's URL at the CA

    @property
    def ca(self) -> str:
        """The CA's host name, as a person would recognise it."""
        return urlsplit(self.directory).hostname or self.directory

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "directory": self.directory,
            "probed_at": utc(self.probed_at).isoformat(),
            "outcome": self.outcome,
            "problem": self.problem.to_json() if self.problem else None,
            "url": self.url,
            "address": self.address,
            "account": self.account,
            "authorization": self.authorization,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CaAnswer":
        problem = data.get("problem")
        return cls(
            domain=data["domain"],
            directory=data["directory"],
            probed_at=datetime.fromisoformat(data["probed_at"]),
            outcome=data["outcome"],
            problem=Problem.from_json(problem, problem.get("status")) if problem else None,
            url=data.get("url"),
            address=data.get("address"),
            account=data.get("account"),
            authorization=data.get("authorization"),
        )


def status_in_detail(detail: str) -> int | None:
    """The HTTP status the CA's validator got, read from the CA's detail text."""
    match = _STATUS.search(detail)
    return int(match.group(1)) if match else None


def answer_findings(answer: CaAnswer) -> list[Finding]:
    """The findings one CA answer makes, all with `source="ca"`."""
    problem = answer.problem
    if answer.outcome == VALID:
        return [ca_reachable(answer, 200, ca_detail='status "valid"')]
    if answer.outcome == PENDING:
        return [ca_probe_unavailable(answer.domain, answer.ca, "pending", 'status "pending"', answer=answer)]
    if problem is None:
        return [ca_probe_unavailable(answer.domain, answer.ca, "no_problem", 'status "invalid"', answer=answer)]
    kind, detail = problem.type, problem.detail
    if kind == "rejectedIdentifier" or kind == "unsupportedIdentifier":
        return [ca_rejected_identifier(answer)]
    if kind in _NOT_THE_SITE or answer.outcome == REFUSED and kind != "caa":
        reason = "rate_limited" if kind == "rateLimited" else "ca_error"
        return [ca_probe_unavailable(answer.domain, answer.ca, reason, f"{kind}: {detail}", answer=answer)]
    if kind == "caa":
        return [said_by_ca(Code.CAA_FORBIDS, answer)]
    if kind == "dns" or (kind == "connection" and _RESOLVE.search(detail)):
        return [said_by_ca(_dns_code(detail), answer, rdtype=_rdtype(detail))]
    if kind == "connection":
        return [said_by_ca(Code.HTTP_UNREACHABLE, answer, port=80)]
    if kind == "unauthorized":
        status = status_in_detail(detail)
        if status == 401:
            return [said_by_ca(Code.ACCESS_RESTRICTED, answer, status=401)]
        if status == 403:
            return [said_by_ca(Code.ACCESS_FORBIDDEN, answer, status=403)]
        if status == 404 or (status is not None and 200 <= status < 300) or _KEY_AUTH_MISMATCH.search(detail):
            # The validator reached the challenge path; only the token was missing.
            return [ca_reachable(answer, status or 200)]
        if status is not None and status >= 500:
            return [said_by_ca(Code.HTTP_SERVER_ERROR, answer, status=status)]
        if status is not None:
            return [said_by_ca(Code.HTTP_UNEXPECTED_STATUS, answer, status=status)]
    return [ca_validation_failed(answer)]


def said_by_ca(code: Code, answer: CaAnswer, **extra: Any) -> Finding:
    """A local code (`access_restricted`, `dns_servfail`, ...) as the CA's validator met it: variant "ca".

    Severity: critical when the code blocks renewal (`checks.codes`), else a warning.
    """
    return _from_ca(code, CRITICAL if SPECS[code].blocks else WARNING, answer, **extra)


def ca_reachable(answer: CaAnswer, status: int, *, ca_detail: str | None = None) -> Finding:
    """The CA's validator reached the challenge path (only the token was missing): the healthy answer."""
    extra = {"ca_detail": ca_detail} if ca_detail is not None else {}
    return _from_ca(Code.CA_REACHABLE, INFO, answer, status=status, **extra)


def ca_rejected_identifier(answer: CaAnswer) -> Finding:
    """The CA refuses the name itself: no server change fixes it."""
    return _from_ca(Code.CA_REJECTED_IDENTIFIER, CRITICAL, answer)


def ca_validation_failed(answer: CaAnswer) -> Finding:
    """A failure certcheck cannot name more precisely: the CA's own words say what."""
    return _from_ca(Code.CA_VALIDATION_FAILED, CRITICAL, answer)


def ca_probe_unavailable(name: str, ca: str, reason: str, why: str, *, answer: CaAnswer | None = None) -> Finding:
    """No verdict from the CA (pending, rate limited, unreachable, its own error): nothing said about the site."""
    if answer is not None:
        return _from_ca(Code.CA_PROBE_UNAVAILABLE, INFO, answer, reason=reason, why=why)
    return Finding(Code.CA_PROBE_UNAVAILABLE, INFO, {"name": name, "ca": ca, "reason": reason, "why": why}, source="ca")


def ca_answer_reused(answer: CaAnswer, now: datetime, window_hours: float) -> Finding:
    """Labels a cached answer with its age."""
    hours = max(0.0, (now - answer.probed_at).total_seconds() / 3600)
    return Finding(
        Code.CA_ANSWER_REUSED,
        INFO,
        {
            "ca": answer.ca,
            "probed_at": minute(answer.probed_at),
            "age_hours": f"{hours:.1f}",
            "window_hours": f"{window_hours:g}",
        },
        source="ca",
    )


def ca_probe_skipped(name: str, reason: str, *, address: str, kind: str) -> Finding:
    """The CA was not asked: the name resolves where the SSRF guard sends nobody."""
    params = {"name": name, "reason": reason, "address": address, "kind": kind}
    return Finding(Code.CA_PROBE_SKIPPED, INFO, params, source="ca")


def blocked_for_ca(first: Finding) -> Finding:
    """Reachable from here, blocked for the CA; `first` is the CA's blocking finding."""
    params = {**first.params, "variant": None, "ca_code": first.code}
    return Finding(Code.BLOCKED_FOR_CA, CRITICAL, params, url=first.url, address=first.address, source="ca")


def _from_ca(code: Code, severity: Severity, answer: CaAnswer, **extra: Any) -> Finding:
    problem = answer.problem
    params: dict[str, Any] = {
        "name": answer.domain,
        "ca": answer.ca,
        "probed_at": minute(answer.probed_at),
        "ca_type": problem.type if problem else None,
        "ca_detail": problem.detail if problem else "",
        "variant": "ca",
        "url": answer.url,
        "address": answer.address,
        **extra,
    }
    return Finding(code, severity, params, url=answer.url, address=answer.address, source="ca")


def worth_keeping(findings: list[Finding]) -> bool:
    """Whether an answer is cached for the window: when it speaks of the site, or the CA asked us to wait."""
    return any(f.code != Code.CA_PROBE_UNAVAILABLE or f.params.get("reason") == "rate_limited" for f in findings)


def disagreement_findings(report: Report, ca: list[Finding]) -> list[Finding]:
    """Say it plainly when the CA is blocked where this machine got through.

    "Got through" means the local dry run reached the challenge path on some
    address and found nothing there that stops a renewal.
    """
    local_blocked = any(f.blocks_renewal for f in report.findings if f.source == "local")
    local_reached = any(p.purpose == "challenge" and p.outcome == "reachable" for p in report.probes)
    ca_blocking = [f for f in ca if f.code in _ACCESS_CODES and f.blocks_renewal]
    if local_blocked or not local_reached or not ca_blocking:
        return []
    return [blocked_for_ca(ca_blocking[0])]


def with_ca_findings(report: Report, ca: list[Finding], *, account: str | None = None) -> Report:
    """The report with the CA's findings (and any disagreement) added.

    `account` is the probe's own ACME account: a CAA refusal of it, where the
    local check found CAA bound to other accounts (`caa_account_bound`), is
    what the binding says, not a renewal blocker (Boulder's
    `caaAccountURIMatches` compares the account exactly)."""
    ca = [_account_refusal(f, report, account) for f in ca]
    return replace(report, findings=report.findings + tuple(ca) + tuple(disagreement_findings(report, ca)))


def _account_refusal(finding: Finding, report: Report, account: str | None) -> Finding:
    if finding.code != Code.CAA_FORBIDS or account is None:
        return finding
    bound = [f for f in report.findings if f.code == Code.CAA_ACCOUNT_BOUND and f.source == "local"]
    if not bound or any(account in f.params.get("accounts", ()) for f in bound):
        return finding
    why = f"{finding.params.get('ca_type')}: {finding.params.get('ca_detail')}"
    return ca_probe_unavailable(str(finding.params.get("name")), str(finding.params.get("ca")), "caa_account", why)


def _dns_code(detail: str) -> Code:
    upper = detail.upper()
    if "NXDOMAIN" in upper or "NO SUCH HOST" in upper:
        return Code.DNS_NXDOMAIN
    if "SERVFAIL" in upper:
        return Code.DNS_SERVFAIL
    if "TIMED OUT" in upper or "TIMEOUT" in upper:
        return Code.DNS_TIMEOUT
    return Code.DNS_NO_ADDRESS


def _rdtype(detail: str) -> str:
    match = re.search(r"looking up (A|AAAA|CAA|TXT|CNAME)\b", detail)
    return match.group(1) if match else "A"
