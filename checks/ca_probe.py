"""Ask the CA itself: an HTTP-01 validation by a real ACME CA, with no token served.

Our dry run sees a site from one place; Let's Encrypt validates from several.
An allow-list that admits the office, geo-blocking or a WAF rule against the
validator looks fine from here and fails for the CA. So the probe orders a
certificate for the name at an ACME directory (Let's Encrypt staging by
default), tells the CA the HTTP-01 challenge is ready without placing the
token, and reads the CA's complaint: a 404 means its validators reached the
site; a 401, 403, refused connection or DNS error names the blocker. Then it
deactivates the authorization if the CA left it open, and never finalises.

Politeness: one account per installation (kept in the injected `AcmeState`),
at most one probe per domain per `CERTCHECK_CA_PROBE_HOURS` (the cached
answer is shown with its age), and no probe for a name the SSRF guard
refuses.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

import httpx

from . import clock
from .acme.answers import (
    INVALID,
    PENDING,
    REFUSED,
    VALID,
    CaAnswer,
    answer_findings,
    ca_answer_reused,
    ca_probe_skipped,
    ca_probe_unavailable,
    with_ca_findings,
    worth_keeping,
)
from .acme.client import AcmeClient, AcmeError, Problem, generate_account_key, key_from_pem, key_to_pem
from .acme.state import AcmeState, StoredAccount
from .clock import utc
from .dns import Lookup
from .guard import AddressGuard
from .model import Finding, Report
from .names import normalise_domain
from .options import OptionError, Options, parse_timeout
from .transport import api_client

log = logging.getLogger(__name__)

LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory"
DEACTIVATE_TIMEOUT = 5.0  # after the probe's own time is up, to close what it opened
FIRST_POLL = 0.2
LONGEST_POLL = 3.0


@dataclass(frozen=True)
class CaProbeSettings:
    directory: str = LETS_ENCRYPT_STAGING
    timeout: float = 30.0  # the whole probe, polling included
    window_hours: float = 24.0  # at most one probe per domain in this time

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "CaProbeSettings":
        """`CERTCHECK_ACME_DIRECTORY`, `CERTCHECK_CA_PROBE_TIMEOUT`, `CERTCHECK_CA_PROBE_HOURS`."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if env.get("CERTCHECK_ACME_DIRECTORY"):
            directory = env["CERTCHECK_ACME_DIRECTORY"].strip()
            if not directory.startswith("https://"):
                raise OptionError(f"CERTCHECK_ACME_DIRECTORY must be an https:// URL, got {directory!r}")
            values["directory"] = directory
        if env.get("CERTCHECK_CA_PROBE_TIMEOUT"):
            values["timeout"] = parse_timeout(env["CERTCHECK_CA_PROBE_TIMEOUT"])
        if env.get("CERTCHECK_CA_PROBE_HOURS"):
            try:
                hours = float(env["CERTCHECK_CA_PROBE_HOURS"])
            except ValueError:
                raise OptionError("CERTCHECK_CA_PROBE_HOURS must be a number of hours") from None
            if not 0 <= hours <= 24 * 90:
                raise OptionError("CERTCHECK_CA_PROBE_HOURS must be between 0 and 2160")
            values["window_hours"] = hours
        return cls(**values)


@dataclass(frozen=True)
class CaProbe:
    """What the probe has to say about one domain."""

    domain: str
    answer: CaAnswer | None  # None when the probe did not reach a CA answer
    cached: bool = False
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # why there is no answer, for logs and the JSON report

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "cached": self.cached,
            "answer": self.answer.to_json() if self.answer else None,
            "error": self.error,
        }


async def probe_ca(
    text: str,
    options: Options,
    settings: CaProbeSettings,
    state: AcmeState,
    *,
    now: datetime | None = None,
) -> CaProbe:
    """Ask the CA at `settings.directory` to validate the name in `text` over HTTP-01.

    Raises `InputError` for input the normaliser refuses. Returns within
    `settings.timeout` plus a few seconds to deactivate what it opened.
    """
    domain = normalise_domain(text, lab=options.lab_mode)
    now = utc(now) if now else clock.now()
    cached = state.load_answer(settings.directory, domain)
    if cached is not None and (now - cached.probed_at).total_seconds() < settings.window_hours * 3600:
        findings = [*answer_findings(cached), ca_answer_reused(cached, now, settings.window_hours)]
        return CaProbe(domain, cached, cached=True, findings=tuple(findings))
    refused = await _refused_addresses(domain, options, settings)
    if refused:
        address, kind = refused[0]
        return CaProbe(
            domain, None, findings=(ca_probe_skipped(domain, "reserved_address", address=address, kind=kind),)
        )
    async with api_client(options.ca_file, min(10.0, settings.timeout)) as http:
        answer, error = await _ask(http, domain, settings, state, now)
    if answer is None:
        ca = urlsplit(settings.directory).hostname or settings.directory
        unavailable = ca_probe_unavailable(domain, ca, "ca_unreachable", error or "")
        return CaProbe(domain, None, findings=(unavailable,), error=error)
    findings = answer_findings(answer)
    if worth_keeping(findings):
        state.save_answer(answer)
    return CaProbe(domain, answer, findings=tuple(findings))


def add_to_report(report: Report, probe: CaProbe) -> Report:
    """The local report with the CA's findings, a plain word where the two disagree, and the probe's JSON."""
    account = probe.answer.account if probe.answer else None
    return replace(with_ca_findings(report, list(probe.findings), account=account), ca_probe=probe.to_json())


@dataclass(frozen=True)
class CaPhase:
    """The CA probe as the last phase of a check (`run_check(..., ca=...)`, `with_ca_view`)."""

    settings: CaProbeSettings
    state: AcmeState


async def with_ca_view(report: Report, options: Options, ca: CaPhase, *, now: datetime | None = None) -> Report:
    """`report` with what the CA's validators saw, for one that is already made (or posted).

    The CA's view is a bonus: a probe that fails is logged and the local
    report returned as it was (the very object), never lost. An order renewed
    over DNS-01 or TLS-ALPN-01 is not probed: the probe is an HTTP-01
    validation, and its answer (a 401 on the site) would speak of a method
    the renewal does not use.
    """
    if report.challenge != "http-01":
        return report
    try:
        probe = await probe_ca(report.domain, options, ca.settings, ca.state, now=now)
    except Exception:  # noqa: BLE001 - the local report stands whatever broke
        log.exception("CA probe of %s failed", report.domain)
        return report
    return add_to_report(report, probe)


async def _refused_addresses(domain: str, options: Options, settings: CaProbeSettings) -> list[tuple[str, str]]:
    """Addresses of `domain` the SSRF guard refuses: the CA is never sent there on our behalf."""
    lookup = Lookup(options, lifetime=min(options.timeout, settings.timeout) * 0.4)
    try:
        a, aaaa = await lookup.addresses(domain)
    finally:
        lookup.close()
    guard = AddressGuard(options.lab_networks)
    refusals = ((address, guard.refusal(address)) for address in (*aaaa.records, *a.records))
    return [(address, kind) for address, kind in refusals if kind]


async def _ask(
    http: httpx.AsyncClient, domain: str, settings: CaProbeSettings, state: AcmeState, now: datetime
) -> tuple[CaAnswer | None, str | None]:
    """The exchange with the CA. (answer, None), or (None, why) when no answer came."""
    answer = _Answering(domain, settings.directory, now)
    try:
        async with asyncio.timeout(settings.timeout):
            client = answer.client = await _account(http, settings.directory, state)
            try:
                order = await _order(client, state, settings.directory, domain)
            except AcmeError as exc:
                if exc.problem is None:
                    raise
                return answer.done(REFUSED, exc.problem), None
            finally:
                answer.account = client.account_url
            authorization_url = order.body["authorizations"][0]
            answer.authorization = authorization_url
            authorization = await client.fetch(authorization_url)
            challenge = _http01(authorization.body)
            if challenge is None:
                return answer.done(
                    REFUSED, Problem("unsupportedChallenge", "the CA offered no http-01 challenge")
                ), None
            if authorization.body.get("status") == "pending":
                await client.respond(challenge["url"])
                authorization = await _settled(client, authorization_url)
            status = authorization.body.get("status")
            challenge = _http01(authorization.body) or challenge
            record = (challenge.get("validationRecord") or [{}])[0]
            answer.url = record.get("url") or f"http://{domain}/.well-known/acme-challenge/{challenge.get('token', '')}"
            answer.address = record.get("addressUsed")
            if status == "valid":
                return answer.done(VALID), None
            if status == "invalid":
                error = challenge.get("error") or order.body.get("error")
                return answer.done(INVALID, Problem.from_json(error) if error else None), None
            return answer.done(PENDING), None
    except TimeoutError:
        if answer.authorization:
            return answer.done(PENDING), None
        return None, f"the CA did not answer within {settings.timeout:g} s"
    except AcmeError as exc:
        return None, str(exc)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        return None, f"the CA's answer is not what RFC 8555 describes ({exc.__class__.__name__}: {exc})"
    finally:
        # An invalid authorization is closed already; any other was left open by us.
        if answer.client and answer.authorization and answer.outcome != INVALID:
            await _deactivate(answer.client, answer.authorization)


class _Answering:
    """The answer as it builds up, so that a timeout can still say what was reached."""

    def __init__(self, domain: str, directory: str, now: datetime) -> None:
        self.domain, self.directory, self.now = domain, directory, now
        self.account: str | None = None
        self.authorization: str | None = None
        self.url: str | None = None
        self.address: str | None = None
        self.outcome: str | None = None
        self.client: AcmeClient | None = None

    def done(self, outcome: str, problem: Problem | None = None) -> CaAnswer:
        self.outcome = outcome
        return CaAnswer(
            domain=self.domain,
            directory=self.directory,
            probed_at=self.now,
            outcome=outcome,
            problem=problem,
            url=self.url,
            address=self.address,
            account=self.account,
            authorization=self.authorization,
        )


async def _account(http: httpx.AsyncClient, directory: str, state: AcmeState) -> AcmeClient:
    """The installation's account at this CA: the stored one, or a new key registered now."""
    stored = state.load_account(directory)
    if stored is None:
        stored = StoredAccount(key_to_pem(generate_account_key()))
        # Kept before registering, so a crash in between cannot orphan an account.
        state.save_account(directory, stored)
    client = AcmeClient(http, directory, key_from_pem(stored.key_pem), stored.url)
    if stored.url is None:
        state.save_account(directory, StoredAccount(stored.key_pem, await client.register()))
    return client


async def _order(client: AcmeClient, state: AcmeState, directory: str, domain: str):
    try:
        return await client.new_order(domain)
    except AcmeError as exc:
        if not (exc.problem and exc.problem.type == "accountDoesNotExist"):
            raise
    # The CA forgot the account (a test CA restarted, or it was deactivated):
    # register the same key again and keep the URL the CA gives now.
    stored = state.load_account(directory)
    assert stored is not None
    state.save_account(directory, StoredAccount(stored.key_pem, await client.register()))
    return await client.new_order(domain)


async def _settled(client: AcmeClient, authorization_url: str):
    """Poll the authorization until it leaves "pending"; the caller's timeout bounds it."""
    delay = FIRST_POLL
    while True:
        authorization = await client.fetch(authorization_url)
        if authorization.body.get("status") != "pending":
            return authorization
        await asyncio.sleep(_retry_after(authorization.headers.get("Retry-After"), delay))
        delay = min(delay * 2, LONGEST_POLL)


async def _deactivate(client: AcmeClient, authorization_url: str) -> None:
    """Close an authorization the CA left open (pending or valid); an invalid one is closed already."""
    try:
        async with asyncio.timeout(DEACTIVATE_TIMEOUT):
            await client.deactivate(authorization_url)
    except (AcmeError, TimeoutError):
        pass  # the CA expires it on its own; nothing the site owner can act on


def _http01(authorization: dict[str, Any]) -> dict[str, Any] | None:
    return next((c for c in authorization.get("challenges") or () if c.get("type") == "http-01"), None)


def _retry_after(value: str | None, default: float) -> float:
    try:
        return min(max(float(value), 0.0), LONGEST_POLL) if value else default
    except ValueError:
        return default
