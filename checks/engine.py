"""Runs one check of a renewal order: every name on the certificate, concurrently.

A renewal orders every name on the certificate, so the order is the typed
name plus the DNS names the certificate it serves lists (or the names given
explicitly). Each name gets its own DNS, dry run, root and certificate parts
(`checks.namecheck`); all of them share one DNS cache, one HTTP client and
one time budget: DNS questions may use 40 % of the timeout, every connection
must be done by 85 %, and at 100 % whatever is still running is cancelled
and named in a `check_incomplete` finding. So a black-holed site gives
`http_unreachable` inside the timeout, and nothing can hold the report back
past it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import datetime
from typing import Any, Iterable

import httpx

from . import challenge, clock
from .ca_probe import CaPhase, with_ca_view
from .clock import utc
from .codes import SPECS
from .findings.challenge import wildcard_needs_dns01
from .findings.run import check_error, check_incomplete, name_not_public, names_skipped
from .model import Certificate, Finding, Report, Severity
from .namecheck import NameCheck, NameResult, Shared
from .names import InputError, normalise_domain
from .options import Options
from .schedule import CaSchedule
from .transport import probe_client

# Names one check covers. Let's Encrypt allows 100 per order; past this the
# time budget would be spread too thin to say anything about each of them.
MAX_NAMES = 20
# Findings about the served certificate: said once when several names serve the same one.
_CERTIFICATE_FINDINGS = frozenset(
    {
        "cert_expired",
        "cert_expiring",
        "renewal_overdue",
        "cert_untrusted",
        "cert_chain_incomplete",
        "cert_chain_order",
        "cert_chain_expired_intermediate",
        "cert_chain_cross_sign_expiring",
        "renewal_window_open",
        "ca_replacement_requested",
        "lifetime_shortening",
    }
)
# The HTTP-01 dry run's findings, and CAA judged for HTTP-01 (checks.judge).
_HTTP_01 = frozenset(
    {
        "access_restricted",
        "access_forbidden",
        "http_unreachable",
        "ipv6_unreachable",
        "addresses_disagree",
        "bad_redirect",
        "challenge_intercepted",
        "challenge_catch_all",
        "http_server_error",
        "http_unexpected_status",
    }
)
_CAA = frozenset({"caa_forbids", "caa_allows", "caa_account_bound"})
# Findings about a zone or a CAA owner several names may share.
_SHARED_OWNER = frozenset(code for code, spec in SPECS.items() if "owner" in spec.params)


async def run_check(
    text: str,
    options: Options,
    *,
    now: datetime | None = None,
    client: httpx.AsyncClient | None = None,
    ca: CaPhase | None = None,
    schedule: CaSchedule | None = None,
    names: Iterable[str] | None = None,
) -> Report:
    """Check the renewal order of the name in `text` (anything `normalise_domain` accepts).

    The order is `text` plus the DNS names on the certificate it serves, or
    plus `names` when given. Raises `InputError` for input that is not a
    checkable host name. Returns within `options.timeout`, plus the CA probe's
    time when `ca` is given: then the CA is asked after the local check
    (`checks.ca_probe.with_ca_view`), and a probe that fails leaves the local
    report as it is. Pass `client` (from `checks.transport.probe_client`) to
    share one HTTP client across many checks. Pass `schedule`
    (`checks.schedule.CaSchedule`) to ask ARI and CT about the typed name's
    served certificate, inside the same timeout; without it nothing is asked.
    """
    name = normalise_domain(text, lab=options.lab_mode)
    explicit = None if names is None else [normalise_domain(n, lab=options.lab_mode) for n in names]
    started = time.monotonic()
    now = utc(now) if now else clock.now()
    own_client = client is None
    client = client or probe_client(options.timeout)
    try:
        order, results, extra, method = await _run_order(name, explicit, options, now, client, schedule)
    finally:
        if own_client:
            await client.aclose()
    primary = results[0]
    report = Report(
        domain=name,
        input=text,
        findings=tuple(_for_method(_merge(results, options.timeout), method) + extra),
        certificate=primary.certificate,
        checked_at=now,
        duration_ms=round((time.monotonic() - started) * 1000),
        dns=primary.dns,
        probes=tuple(dataclasses.replace(p, name=r.name) for r in results for p in r.probes),
        names=tuple(order),
        challenge=method,
    )
    return report if ca is None else await with_ca_view(report, options, ca, now=now)


async def _run_order(
    name: str,
    explicit: list[str] | None,
    options: Options,
    now: datetime,
    client: httpx.AsyncClient,
    schedule: CaSchedule | None = None,
) -> tuple[list[str], list[NameResult], list[Finding], str]:
    """The typed name first; the certificate's other names start as soon as it is read.

    The CA's schedule (ARI and CT) is asked once per order, by the typed name's
    check, about the certificate that name serves: that is the certificate the
    renewal replaces, the other names mostly serve the same one (whose findings
    `_merge` says once), and one question per order keeps a sweep's request
    budget per domain, not per name. A name serving another certificate is
    judged by the lifetime rules alone.
    """
    shared = Shared(options, now, client)
    try:
        first = NameCheck(name, shared, schedule)
        tasks = [asyncio.ensure_future(first.run())]
        candidates: Iterable[str] = () if explicit is None else explicit
        if explicit is None:
            waiting: list[asyncio.Future[Any]] = [first.served, tasks[0]]
            await asyncio.wait(waiting, timeout=shared.left(), return_when=asyncio.FIRST_COMPLETED)
            candidates = _sans_to_follow(name, first.served.result() if first.served.done() else None)
        order, listed, extra = _order_names(name, candidates, options.lab_mode)
        tasks += [asyncio.ensure_future(NameCheck(n, shared).run()) for n in order[1:]]
        method = challenge.order_method(options.challenge, listed)
        # Started now, beside the names' checks: the typed name's may wait for the CA's
        # schedule until the probe deadline, and readiness must not queue behind it.
        ready = (
            []
            if method == challenge.HTTP_01
            else [asyncio.ensure_future(_readiness(n, method, shared)) for n in listed]
        )
        results = list(await asyncio.gather(*tasks))
        extra += _unique(f for found in await asyncio.gather(*ready) for f in found)
        if method != challenge.DNS_01:
            extra += [wildcard_needs_dns01(n, method) for n in listed if n.startswith("*.")]
    finally:
        shared.lookup.close()
    return listed, results, extra, method


async def _readiness(name: str, method: str, shared: Shared) -> list[Finding]:
    """One name's readiness for the order's method, each finding carrying the name; a
    readiness check that raises is a check_error, as a part of `NameCheck` is."""
    try:
        async with asyncio.timeout(shared.left()):
            found = await challenge.readiness(name, method, shared)
    except TimeoutError:
        return [check_incomplete(shared.options.timeout, [f"{name}: {method}"])]
    except Exception as exc:  # noqa: BLE001 - what a zone sent that no rule expected
        return [check_error(name, method, exc)]
    return [f if f.name else dataclasses.replace(f, name=name) for f in found]


def _for_method(findings: list[Finding], method: str) -> list[Finding]:
    """Under DNS-01 or TLS-ALPN-01 the HTTP-01 dry run is information, not a blocker; CAA
    was judged for HTTP-01 and is judged again for the method by `checks.challenge`."""
    if method == challenge.HTTP_01:
        return findings
    kept = [f for f in findings if f.code not in _CAA]
    return [dataclasses.replace(f, severity=Severity.INFO) if f.code in _HTTP_01 else f for f in kept]


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """A wildcard and its base name share a zone: one finding per code and facts."""
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f"{f.code}{sorted(f.params.items())!r}", f)
    return list(seen.values())


def _sans_to_follow(name: str, cert: Certificate | None) -> tuple[str, ...]:
    """The certificate's names, when it is this name's own: a shared host's default
    certificate (for other customers' names) says nothing about this order."""
    if cert is None or not cert.matches_host:
        return ()
    return cert.sans


def _order_names(name: str, candidates: Iterable[str], lab: bool) -> tuple[list[str], list[str], list[Finding]]:
    """(names to check, every name of the order as listed, findings about the names)."""
    order, listed, findings = [name], [name], []
    for candidate in candidates:
        raw = candidate.strip().lower().rstrip(".")
        if raw.startswith("*."):
            # Not fetched over HTTP: a wildcard is validated through DNS only.
            if raw not in listed:
                listed.append(raw)
            continue
        try:
            checked = normalise_domain(raw, lab=lab)
        except InputError as exc:
            findings.append(name_not_public(raw, exc.key, exc.params))
            continue
        if checked not in order:
            order.append(checked)
            listed.append(checked)
    if len(order) > MAX_NAMES:
        skipped = order[MAX_NAMES:]
        findings.append(names_skipped(MAX_NAMES, skipped))
        order = order[:MAX_NAMES]
        listed = [n for n in listed if n not in skipped]
    return order, listed, findings


def _merge(results: list[NameResult], timeout: float) -> list[Finding]:
    """Every name's findings, each carrying its name; what names share, said once."""
    primary = results[0]
    out: list[Finding] = []
    owners: set[tuple[str, object]] = set()
    unfinished: list[str] = []
    for result in results:
        same_certificate = result is not primary and _same(result.certificate, primary.certificate)
        for finding in result.findings:
            if same_certificate and finding.code in _CERTIFICATE_FINDINGS:
                continue
            if finding.code in _SHARED_OWNER:
                key = (finding.code, finding.params.get("owner"))
                if key in owners:
                    continue
                owners.add(key)
            out.append(finding if finding.name else dataclasses.replace(finding, name=result.name))
        prefix = f"{result.name}: " if len(results) > 1 else ""
        unfinished += [prefix + part for part in result.unfinished]
    if unfinished:
        out.append(check_incomplete(timeout, unfinished))
    return out


def _same(a: Certificate | None, b: Certificate | None) -> bool:
    return a is not None and b is not None and (a.subject, a.not_after, a.sans) == (b.subject, b.not_after, b.sans)
