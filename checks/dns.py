"""DNS for one check: every question asked once, answers shared by all probes.

Built on dnspython's async resolver. Failures are data (`DnsAnswer.error`),
not exceptions, because a failed lookup is itself a finding.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from .options import Options

# What a failed lookup was: the finding codes map from these.
NXDOMAIN = "nxdomain"
SERVFAIL = "servfail"
TIMEOUT = "timeout"


@dataclass(frozen=True)
class DnsAnswer:
    name: str
    rdtype: str
    records: tuple[str, ...] = ()
    cnames: tuple[str, ...] = ()  # the chain followed to reach the records
    error: str | None = None
    raw: tuple[Any, ...] = ()  # dnspython rdata, for callers that need fields


@dataclass(frozen=True)
class CaaSet:
    """The relevant CAA RRset (RFC 8659 section 3): the first found climbing up."""

    owner: str | None
    records: tuple[tuple[int, str, str], ...]  # (flags, tag, value)
    error: DnsAnswer | None = None


class Lookup:
    """A per-check DNS cache in front of one resolver configuration."""

    def __init__(self, options: Options, lifetime: float) -> None:
        self._resolver = _make_resolver(options, lifetime)
        self._answers: dict[tuple[str, str], asyncio.Future[DnsAnswer]] = {}

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        """The answer for (name, rdtype), asking the resolver at most once."""
        key = (name.lower().rstrip("."), rdtype)
        future = self._answers.get(key)
        if future is None:
            future = asyncio.ensure_future(self._ask(*key))
            self._answers[key] = future
        return await asyncio.shield(future)

    async def addresses(self, name: str) -> tuple[DnsAnswer, DnsAnswer]:
        a, aaaa = await asyncio.gather(self.query(name, "A"), self.query(name, "AAAA"))
        return a, aaaa

    async def caa(self, name: str) -> CaaSet:
        """Climb from `name` towards the root, all levels asked at once."""
        labels = name.rstrip(".").split(".")
        owners = [".".join(labels[i:]) for i in range(len(labels))]
        answers = await asyncio.gather(*(self.query(owner, "CAA") for owner in owners))
        for owner, answer in zip(owners, answers, strict=True):
            if answer.error in (SERVFAIL, TIMEOUT):
                # Let's Encrypt refuses to issue when a CAA lookup fails.
                return CaaSet(owner=owner, records=(), error=answer)
            if answer.raw:
                records = tuple(
                    (rd.flags, rd.tag.decode("ascii", "replace").lower(), rd.value.decode("utf-8", "replace"))
                    for rd in answer.raw
                )
                return CaaSet(owner=owner, records=records)
        return CaaSet(owner=None, records=())

    async def zone_servers(self, name: str) -> tuple[str | None, tuple[str, ...]]:
        """The closest enclosing name with NS records, and those servers."""
        labels = name.rstrip(".").split(".")
        for i in range(len(labels)):
            owner = ".".join(labels[i:])
            answer = await self.query(owner, "NS")
            if answer.records:
                return owner, tuple(sorted(answer.records))
            if answer.error in (SERVFAIL, TIMEOUT):
                break
        return None, ()

    def describe(self) -> str:
        """The resolver asked, as a person would name it: `IP:PORT`, or the system's list."""
        servers = [f"{ns.address}:{ns.port}" if ns.port != 53 else ns.address for ns in self._servers()]
        return ", ".join(servers) or "the system resolver"

    def _servers(self) -> list[Any]:
        return [ns for ns in self._resolver.nameservers if isinstance(ns, dns.nameserver.Do53Nameserver)]

    def close(self) -> None:
        for future in self._answers.values():
            future.cancel()

    async def _ask(self, name: str, rdtype: str) -> DnsAnswer:
        try:
            answer = await self._resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return DnsAnswer(name, rdtype, error=NXDOMAIN)
        except dns.resolver.NoNameservers:
            return DnsAnswer(name, rdtype, error=SERVFAIL)
        except dns.exception.Timeout:
            return DnsAnswer(name, rdtype, error=TIMEOUT)
        except dns.exception.DNSException as exc:
            return DnsAnswer(name, rdtype, error=type(exc).__name__)
        rrset = answer.rrset
        raw = tuple(rrset) if rrset is not None else ()
        chain = answer.chaining_result.cnames if answer.chaining_result else []
        cnames = tuple(str(rd.target).rstrip(".").lower() for rrs in chain for rd in rrs)
        return DnsAnswer(
            name,
            rdtype,
            records=tuple(_rdata_text(rd) for rd in raw),
            cnames=cnames,
            raw=raw,
        )


def _rdata_text(rd: object) -> str:
    if hasattr(rd, "address"):
        return str(rd.address)
    if hasattr(rd, "target"):
        return str(rd.target).rstrip(".").lower()
    return str(rd)


def _make_resolver(options: Options, lifetime: float) -> dns.asyncresolver.Resolver:
    if options.resolver:
        resolver = dns.asyncresolver.Resolver(configure=False)
        host, port = options.resolver
        resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port)]
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.cache = None  # the per-check cache above is the only one
    resolver.lifetime = lifetime
    resolver.timeout = lifetime
    resolver.retry_servfail = False
    return resolver
