"""Runs one check: DNS, then the dry run, the root and the certificate, concurrently.

Time is budgeted from the start: DNS questions may use 40 % of the timeout,
every connection must be done by 85 %, and at 100 % whatever is still
running is cancelled and named in a `check_incomplete` finding. So a
black-holed site gives `http_unreachable` inside the timeout, and nothing
can hold the report back past it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar
from datetime import datetime

import httpx
from cryptography import x509

from . import clock
from . import judge
from .ca_probe import CaPhase, with_ca_view
from .caa import format_record
from .dns import CaaSet, DnsAnswer, Lookup
from .guard import AddressGuard
from .http01 import CHALLENGE_PREFIX, Fetch, Prober, random_token
from .findings.run import check_incomplete
from .model import Certificate, DnsFacts, Finding, Probe, Report
from .clock import utc
from .names import normalise_domain
from .options import Options
from .schedule import CaSchedule, ScheduleAnswers
from .served import served_findings
from .tls import TlsResult, read_certificate
from .transport import Reason, probe_client

DNS_SHARE = 0.4
PROBE_SHARE = 0.85
MAX_ADDRESSES_PER_FAMILY = 8
GUARD_SHARE = 0.01  # past the probe deadline, the backstop that cancels a request still running

T = TypeVar("T")


async def run_check(
    text: str,
    options: Options,
    *,
    now: datetime | None = None,
    client: httpx.AsyncClient | None = None,
    ca: CaPhase | None = None,
    schedule: CaSchedule | None = None,
) -> Report:
    """Check the name in `text` (anything `normalise_domain` accepts).

    Raises `InputError` for input that is not a checkable host name. Returns
    within `options.timeout`, plus the CA probe's time when `ca` is given: then
    the CA is asked after the local check (`checks.ca_probe.with_ca_view`), and
    a probe that fails leaves the local report as it is. Pass `client` (from
    `checks.transport.probe_client`) to share one HTTP client across many checks.
    Pass `schedule` (`checks.schedule.CaSchedule`) to ask ARI and CT about the
    served certificate, inside the same timeout; without it nothing is asked.
    """
    name = normalise_domain(text, lab=options.lab_mode)
    started = time.monotonic()
    now = utc(now) if now else clock.now()
    own_client = client is None
    client = client or probe_client(options.timeout)
    try:
        result = await _Check(name, options, now, client, schedule).run()
    finally:
        if own_client:
            await client.aclose()
    report = Report(
        domain=name,
        input=text,
        findings=tuple(result.findings),
        certificate=result.certificate,
        checked_at=now,
        duration_ms=round((time.monotonic() - started) * 1000),
        dns=result.dns,
        probes=tuple(result.probes),
    )
    return report if ca is None else await with_ca_view(report, options, ca, now=now)


@dataclass
class _Result:
    findings: list[Finding] = field(default_factory=list)
    certificate: Certificate | None = None
    dns: DnsFacts = DnsFacts()
    probes: list[Probe] = field(default_factory=list)


@dataclass
class _Web:
    challenge: list[judge.Judged]
    root: list[judge.Judged]
    tls: TlsResult | None
    schedule: ScheduleAnswers | None = None
    validation: judge.Judged | None = None  # the chain the CA itself would follow


class _Check:
    def __init__(
        self, name: str, options: Options, now: datetime, client: httpx.AsyncClient, schedule: CaSchedule | None = None
    ) -> None:
        self.name = name
        self.schedule = schedule
        self.options = options
        self.now = now
        loop = asyncio.get_running_loop()
        self.start = loop.time()
        self.hard_deadline = self.start + options.timeout
        self.probe_deadline = self.start + options.timeout * PROBE_SHARE
        self.lookup = Lookup(options, lifetime=max(0.2, options.timeout * DNS_SHARE))
        self.guard = AddressGuard(options.lab_networks)
        # Requests end themselves at the probe deadline, so a slow one is named with its
        # phase (Boulder shaves its own deadlines the same way); the backstop comes just after.
        self.prober = Prober(client, self.lookup, self.guard, options, deadline=self.probe_deadline)
        self.backstop = self.probe_deadline + options.timeout * GUARD_SHARE

    async def run(self) -> _Result:
        addresses = asyncio.ensure_future(self.lookup.addresses(self.name))
        caa = asyncio.ensure_future(self.lookup.caa(self.name))
        ns = asyncio.ensure_future(self.lookup.zone_servers(self.name))
        web = asyncio.ensure_future(self._web(addresses))
        parts: dict[str, asyncio.Future[Any]] = {"DNS": addresses, "CAA": caa, "NS": ns, "HTTP and TLS": web}
        loop = asyncio.get_running_loop()
        try:
            _, pending = await asyncio.wait(parts.values(), timeout=max(0.0, self.hard_deadline - loop.time()))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        finally:
            self.lookup.close()
        result = self._assemble(_done(addresses), _done(caa), _done(ns), _done(web))
        unfinished = [name for name, task in parts.items() if task.cancelled()]
        if unfinished:
            result.findings.append(check_incomplete(self.options.timeout, unfinished))
        return result

    async def _web(self, addresses_task: asyncio.Future[tuple[DnsAnswer, DnsAnswer]]) -> _Web:
        a, aaaa = await addresses_task
        # Only the addresses the CA would use (`AddressGuard.ca_refusal`) are asked.
        usable = [x for x in _ordered(a, aaaa) if self.guard.ca_refusal(x) is None]
        if not usable:
            return _Web([], [], None)
        token_url = f"http://{self.name}{CHALLENGE_PREFIX}{random_token()}"
        first = next((x for x in usable if ":" not in x), usable[0])
        challenge = [self._fetch(token_url, address, "challenge") for address in usable]
        roots = [
            self._fetch(f"http://{self.name}/", first, "root"),
            self._fetch(f"https://{self.name}/", first, "root"),
        ]
        tls = self._read_certificate(first)
        results = await asyncio.gather(*challenge, *roots, tls)
        n = len(challenge)
        chains: list[judge.Judged] = list(results[:n])  # type: ignore[arg-type]
        validation = await self._validate(token_url, {j.fetch.address: j.fetch for j in chains})
        answers = await self._ask_schedule(results[-1])  # type: ignore[arg-type]
        return _Web(chains, list(results[n : n + 2]), results[-1], answers, validation)  # type: ignore[arg-type]

    async def _fetch(self, url: str, address: str, purpose: str) -> judge.Judged:
        try:
            async with asyncio.timeout_at(self.backstop):
                fetch = await self.prober.fetch(url, address)
        except TimeoutError:
            fetch = Fetch(url=url, address=address, error=Reason.TIMEOUT, final_url=url, final_address=address)
        return judge.judge(fetch, purpose)

    async def _validate(self, url: str, seen_at: dict[str, Fetch]) -> judge.Judged | None:
        # Mostly the chains already followed; a fallback's requests end at the prober's
        # deadline by themselves, and the hard deadline cancels whatever is left.
        fetch = await self.prober.validate(url, seen_at)
        return None if fetch is None else judge.judge(fetch, "challenge")

    async def _read_certificate(self, address: str) -> TlsResult:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(self.probe_deadline):
                return await read_certificate(
                    self.name,
                    address,
                    self.options.https_port,
                    ca_file=self.options.ca_file,
                    now=self.now,
                    timeout=max(0.1, self.probe_deadline - loop.time()),
                )
        except TimeoutError:
            return TlsResult(None, Reason.TIMEOUT)

    async def _ask_schedule(self, tls: TlsResult) -> ScheduleAnswers | None:
        """ARI and CT for the served certificate, by the probe deadline; None when not asked or late."""
        if self.schedule is None or not self.schedule.enabled or not tls.chain:
            return None
        try:
            leaf = x509.load_der_x509_certificate(tls.chain[0])
            async with asyncio.timeout_at(self.probe_deadline):
                return await self.schedule.ask(leaf, self.name, self.now)
        except (TimeoutError, ValueError):
            return None  # the CA's or CT's slowness is never the site's alarm

    def _assemble(
        self,
        addresses: tuple[DnsAnswer, DnsAnswer] | None,
        caa: CaaSet | None,
        ns: tuple[str | None, tuple[str, ...]] | None,
        web: _Web | None,
    ) -> _Result:
        """The findings from whatever parts finished; None for a part that did not."""
        result = _Result()
        out = result.findings
        a, aaaa = addresses or (None, None)
        if a is not None and aaaa is not None:
            out += judge.dns_findings(self.name, a, aaaa)
            refused = {x: self.guard.ca_refusal(x) for x in _ordered(a, aaaa)}
            usable_left = any(kind is None for kind in refused.values())
            dropped = {x: kind for x, kind in refused.items() if kind}
            out += judge.reserved_findings(self.name, dropped, usable_left=usable_left)
        if caa is not None:
            out += judge.caa_findings(caa, self.options.ca_identity)
        ns_owner, servers = ns or (None, ())
        out += judge.ns_findings(ns_owner, servers)
        if web is not None:
            challenge = judge.challenge_findings(self.name, web.challenge, web.validation)
            out += challenge
            out += judge.root_findings(web.root, challenge_blocked=any(x.blocks_renewal for x in challenge))
            if web.tls is not None:
                result.certificate, served = served_findings(self.name, web.tls, web.schedule, self.now, self.options)
                out += served
            result.probes = [j.probe("challenge") for j in web.challenge] + [j.probe("root") for j in web.root]
            if web.validation is not None:
                result.probes.append(web.validation.probe("validation"))
        result.dns = DnsFacts(
            a=a.records if a else (),
            aaaa=aaaa.records if aaaa else (),
            cnames=(a.cnames or aaaa.cnames) if a and aaaa else (),
            caa=tuple(format_record(r) for r in caa.records) if caa else (),
            caa_owner=caa.owner if caa else None,
            ns=servers,
            ns_owner=ns_owner,
        )
        return result


def _done(task: "asyncio.Future[T]") -> T | None:
    """A finished part's result; None for one cancelled at the deadline."""
    return None if task.cancelled() else task.result()


def _ordered(a: DnsAnswer, aaaa: DnsAnswer) -> list[str]:
    """IPv6 first, as the CA tries it, capped per family."""
    return list(aaaa.records[:MAX_ADDRESSES_PER_FAMILY]) + list(a.records[:MAX_ADDRESSES_PER_FAMILY])
