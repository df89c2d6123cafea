"""One name of the renewal order: its DNS, its dry run, its root and its certificate.

The parts run concurrently and share the order's DNS cache, SSRF guard, HTTP
client and deadlines (`Shared`), so checking five names costs about as long
as checking one. A part that raises becomes a `check_error` finding naming
it: nothing a site sends ends the check with a traceback.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import dns.reversename
import httpx
from cryptography import x509

from . import judge
from .caa import format_record
from .dns import NXDOMAIN, CaaSet, DnsAnswer, Lookup
from .findings.run import check_error
from .guard import AddressGuard
from .hosting import RootValidator, recognise, told
from .http01 import CHALLENGE_PREFIX, Fetch, Prober, random_token
from .model import Certificate, DnsFacts, Finding, Probe
from .options import Options
from .schedule import CaSchedule, ScheduleAnswers
from .served import served_findings
from .tls import TlsResult, read_certificate
from .transport import Reason

DNS_SHARE = 0.4
PROBE_SHARE = 0.85
MAX_ADDRESSES_PER_FAMILY = 8
GUARD_SHARE = 0.01  # past the probe deadline, the backstop that cancels a request still running

T = TypeVar("T")


class Shared:
    """What every name of one order shares: settings, clock, deadlines, DNS cache, guard, client."""

    def __init__(self, options: Options, now: datetime, client: httpx.AsyncClient) -> None:
        self.options = options
        self.now = now
        start = asyncio.get_running_loop().time()
        self.hard_deadline = start + options.timeout
        self.probe_deadline = start + options.timeout * PROBE_SHARE
        self.lookup = Lookup(options, lifetime=max(0.2, options.timeout * DNS_SHARE))
        self.guard = AddressGuard(options.lab_networks)
        # Requests end themselves at the probe deadline, so a slow one is named with its
        # phase (Boulder shaves its own deadlines the same way); the backstop comes just after.
        self.prober = Prober(client, self.lookup, self.guard, options, deadline=self.probe_deadline)
        self.backstop = self.probe_deadline + options.timeout * GUARD_SHARE

    def left(self) -> float:
        return max(0.0, self.hard_deadline - asyncio.get_running_loop().time())


@dataclass
class NameResult:
    name: str
    findings: list[Finding] = field(default_factory=list)
    certificate: Certificate | None = None
    dns: DnsFacts = DnsFacts()
    probes: list[Probe] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # parts cancelled at the deadline


@dataclass
class _Web:
    challenge: list[judge.Judged]
    root: list[judge.Judged]
    tls: TlsResult | None
    schedule: ScheduleAnswers | None = None
    validation: judge.Judged | None = None  # the chain the CA itself would follow


class NameCheck:
    def __init__(self, name: str, shared: Shared, schedule: CaSchedule | None = None) -> None:
        self.name = name
        self.s = shared
        # The CA's schedule, for the one name of the order that asks it (`engine._run_order`).
        self.schedule = schedule
        # The certificate this name serves, as soon as it is read (None: none could be).
        self.served: asyncio.Future[Certificate | None] = asyncio.get_running_loop().create_future()
        self._errors: list[Finding] = []

    async def run(self) -> NameResult:
        lookup = self.s.lookup
        addresses = asyncio.ensure_future(self._addresses())
        caa = asyncio.ensure_future(lookup.caa(self.name))
        ns = asyncio.ensure_future(lookup.zone_servers(self.name))
        web = asyncio.ensure_future(self._web(addresses))
        host = asyncio.ensure_future(self._root_validator(addresses))
        parts: dict[str, asyncio.Future[Any]] = {
            "DNS": addresses,
            "CAA": caa,
            "NS": ns,
            "HTTP and TLS": web,
            "reverse DNS": host,
        }
        try:
            _, pending = await asyncio.wait(parts.values(), timeout=self.s.left())
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        finally:
            if not self.served.done():
                self.served.set_result(None)
        done = {part: self._done(part, task) for part, task in parts.items()}
        try:
            result = self._assemble(done["DNS"], done["CAA"], done["NS"], done["HTTP and TLS"], done["reverse DNS"])
        except Exception as exc:  # noqa: BLE001 - a fact a site sent that no rule expected
            result = NameResult(self.name, findings=[check_error(self.name, "report", exc)])
        result.findings += self._errors
        result.unfinished = [part for part, task in parts.items() if task.cancelled()]
        return result

    def _done(self, part: str, task: "asyncio.Future[T]") -> T | None:
        """A finished part's result; None for one cancelled at the deadline or one that raised."""
        if task.cancelled():
            return None
        exc = task.exception()
        if exc is not None:
            self._errors.append(check_error(self.name, part, exc))
            return None
        return task.result()

    async def _addresses(self) -> tuple[DnsAnswer, DnsAnswer, bool]:
        """A and AAAA, and whether the resolver can see the name's TLD at all.

        Asked only after an NXDOMAIN: a resolver that cannot see the TLD (a
        captive portal, a filtering or broken resolver) lies about every name,
        and its NXDOMAIN says nothing about this one.
        """
        a, aaaa = await self.s.lookup.addresses(self.name)
        if NXDOMAIN not in (a.error, aaaa.error):
            return a, aaaa, True
        tld = await self.s.lookup.query(self.name.rsplit(".", 1)[-1], "SOA")
        return a, aaaa, tld.error is None

    async def _root_validator(
        self, addresses_task: asyncio.Future[tuple[DnsAnswer, DnsAnswer, bool]]
    ) -> RootValidator | None:
        """Whether the site's host also fetches the root: said by the user, or read from reverse DNS."""
        if self.s.options.host_validates_root:
            return told()
        a, aaaa, _ = await asyncio.shield(addresses_task)
        address = next(iter(a.records + aaaa.records), None)
        if address is None or self.s.options.host_validates_root is False:
            return None
        answer = await self.s.lookup.query(dns.reversename.from_address(address).to_text(), "PTR")
        return recognise(answer.records)

    async def _web(self, addresses_task: asyncio.Future[tuple[DnsAnswer, DnsAnswer, bool]]) -> _Web:
        a, aaaa, _ = await addresses_task
        # Only the addresses the CA would use (`AddressGuard.ca_refusal`) are asked.
        usable = [x for x in ordered(a, aaaa) if self.s.guard.ca_refusal(x) is None]
        if not usable:
            return _Web([], [], None)
        token_url = f"http://{self.name}{CHALLENGE_PREFIX}{random_token()}"
        first = next((x for x in usable if ":" not in x), usable[0])
        challenge = [self._fetch(token_url, address, "challenge") for address in usable]
        roots = [
            self._fetch(f"http://{self.name}/", first, "root"),
            self._fetch(f"https://{self.name}/", first, "root"),
        ]
        results = await asyncio.gather(*challenge, *roots, self._read_certificate(first))
        n = len(challenge)
        chains: list[judge.Judged] = list(results[:n])  # type: ignore[arg-type]
        validation = await self._validate(token_url, {j.fetch.address: j.fetch for j in chains})
        tls: TlsResult = results[-1]  # type: ignore[assignment]
        answers = await self._ask_schedule(tls)
        return _Web(chains, list(results[n : n + 2]), tls, answers, validation)  # type: ignore[arg-type]

    async def _fetch(self, url: str, address: str, purpose: str) -> judge.Judged:
        try:
            async with asyncio.timeout_at(self.s.backstop):
                fetch = await self.s.prober.fetch(url, address)
        except TimeoutError:
            fetch = Fetch(url=url, address=address, error=Reason.TIMEOUT, final_url=url, final_address=address)
        return judge.judge(fetch, purpose)

    async def _validate(self, url: str, seen_at: dict[str, Fetch]) -> judge.Judged | None:
        # Mostly the chains already followed; a fallback's requests end at the prober's
        # deadline by themselves, and the hard deadline cancels whatever is left.
        fetch = await self.s.prober.validate(url, seen_at)
        return None if fetch is None else judge.judge(fetch, "challenge")

    async def _read_certificate(self, address: str) -> TlsResult:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(self.s.probe_deadline):
                tls = await read_certificate(
                    self.name,
                    address,
                    self.s.options.https_port,
                    ca_file=self.s.options.ca_file,
                    now=self.s.now,
                    timeout=max(0.1, self.s.probe_deadline - loop.time()),
                )
        except TimeoutError:
            tls = TlsResult(None, Reason.TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - a certificate no rule expected: said, and the rest goes on
            self._errors.append(check_error(self.name, "certificate", exc))
            tls = TlsResult(None)
        if not self.served.done():
            self.served.set_result(tls.certificate)
        return tls

    async def _ask_schedule(self, tls: TlsResult) -> ScheduleAnswers | None:
        """ARI and CT for the served certificate, by the probe deadline; None when not asked or late."""
        if self.schedule is None or not self.schedule.enabled or not tls.chain:
            return None
        try:
            leaf = x509.load_der_x509_certificate(tls.chain[0])
            async with asyncio.timeout_at(self.s.probe_deadline):
                return await self.schedule.ask(leaf, self.name, self.s.now)
        except (TimeoutError, ValueError, x509.InvalidVersion):
            return None  # the CA's or CT's slowness (or a leaf it cannot load) is never the site's alarm

    def _assemble(
        self,
        addresses: tuple[DnsAnswer, DnsAnswer, bool] | None,
        caa: CaaSet | None,
        ns: tuple[str | None, tuple[str, ...]] | None,
        web: _Web | None,
        root_validator: RootValidator | None = None,
    ) -> NameResult:
        """The findings from whatever parts finished; None for a part that did not."""
        options = self.s.options
        result = NameResult(self.name)
        out = result.findings
        a, aaaa, tld_seen = addresses or (None, None, True)
        address_findings: list[Finding] = []
        if a is not None and aaaa is not None:
            resolver = None if tld_seen else self.s.lookup.describe()
            address_findings = judge.dns_findings(self.name, a, aaaa, blind_resolver=resolver)
            out += address_findings
            refused = {x: self.s.guard.ca_refusal(x) for x in ordered(a, aaaa)}
            usable_left = any(kind is None for kind in refused.values())
            dropped = {x: kind for x, kind in refused.items() if kind}
            out += judge.reserved_findings(self.name, dropped, usable_left=usable_left)
        if caa is not None:
            out += judge.without_repeats(judge.caa_findings(caa, options.ca_identity), address_findings)
        ns_owner, servers = ns or (None, ())
        out += judge.ns_findings(ns_owner, servers, address_findings)
        if web is not None:
            challenge = judge.challenge_findings(self.name, web.challenge, web.validation)
            out += challenge
            blocked = any(x.blocks_renewal for x in challenge)
            out += judge.root_findings(web.root, challenge_blocked=blocked, root_validator=root_validator)
            if web.tls is not None:
                result.certificate, served = served_findings(self.name, web.tls, web.schedule, self.s.now, options)
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


def ordered(a: DnsAnswer, aaaa: DnsAnswer) -> list[str]:
    """IPv6 first, as the CA tries it, capped per family."""
    return list(aaaa.records[:MAX_ADDRESSES_PER_FAMILY]) + list(a.records[:MAX_ADDRESSES_PER_FAMILY])
