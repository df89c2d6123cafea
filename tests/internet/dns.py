"""An authoritative DNS server (UDP and TCP) for the fixture zones.

Small but with real semantics, since the checker's DNS findings depend on
them: CNAME chains are followed inside the data, a name with no records but
with descendants is NOERROR/no data rather than NXDOMAIN, and negative
answers carry the zone's SOA. Records and per-name modes ("servfail",
"drop") can change while the server runs.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import struct
import threading
from collections.abc import Iterable

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset

log = logging.getLogger(__name__)

TTL = 60
ANSWER, SERVFAIL, DROP = "answer", "servfail", "drop"
_MAX_CNAME_HOPS = 16


class ZoneData:
    """Records of the zones this server is authoritative for; safe to change from any thread."""

    def __init__(self, origins: Iterable[str], nameservers: Iterable[str], ttl: int = TTL):
        self._ttl = ttl
        self._lock = threading.Lock()
        self._nodes: dict[dns.name.Name, dict[int, dns.rdataset.Rdataset]] = {}
        self._modes: dict[dns.name.Name, str] = {}
        self._origins = sorted((dns.name.from_text(o) for o in origins), key=len, reverse=True)
        nameservers = list(nameservers)
        for origin in self._origins:
            soa = f"{nameservers[0]} hostmaster.{nameservers[0]} 1 3600 600 86400 {ttl}"
            self.add(origin, "SOA", soa)
            for ns in nameservers:
                self.add(origin, "NS", ns)

    def add(self, name: str | dns.name.Name, rdtype: str | int, value: str) -> None:
        """Add one record; `value` is in zone-file syntax, names in it are absolute."""
        owner = _name(name)
        rdtype = dns.rdatatype.RdataType.make(rdtype)
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, value, origin=dns.name.root, relativize=False)
        if self._zone_of(owner) is None:
            raise ValueError(f"{owner} is outside the zones {', '.join(map(str, self._origins))}")
        with self._lock:
            node = self._nodes.setdefault(owner, {})
            rdataset = node.get(rdtype)
            if rdataset is None:
                rdataset = node[rdtype] = dns.rdataset.Rdataset(dns.rdataclass.IN, rdtype)
            rdataset.add(rdata, self._ttl)

    def remove(self, name: str | dns.name.Name, rdtype: str | int) -> None:
        """Remove every record of `rdtype` at `name`."""
        owner = _name(name)
        rdtype = dns.rdatatype.RdataType.make(rdtype)
        with self._lock:
            node = self._nodes.get(owner, {})
            node.pop(rdtype, None)
            if not node:
                self._nodes.pop(owner, None)

    def set_mode(self, name: str | dns.name.Name, mode: str) -> None:
        if mode not in (ANSWER, SERVFAIL, DROP):
            raise ValueError(f"unknown DNS mode {mode!r}")
        with self._lock:
            self._modes[_name(name)] = mode

    def addresses(self, name: str) -> list[str]:
        """The A then AAAA addresses of `name`, following CNAMEs: what a resolver would get."""
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            query = dns.message.make_query(_name(name), rdtype)
            response = self.respond(query)
            if response is not None:
                found += [
                    rd.to_text()
                    for rrset in response.answer
                    if rrset.rdtype == query.question[0].rdtype
                    for rd in rrset
                ]
        return found

    def respond(self, query: dns.message.Message) -> dns.message.Message | None:
        """The answer to a parsed query, or None to drop it."""
        response = dns.message.make_response(query)
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
            return response
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        zone = self._zone_of(question.name)
        if zone is None or question.rdclass != dns.rdataclass.IN:
            response.set_rcode(dns.rcode.REFUSED)
            return response
        with self._lock:
            mode = self._modes.get(question.name, ANSWER)
            if mode == DROP:
                return None
            if mode == SERVFAIL:
                response.set_rcode(dns.rcode.SERVFAIL)
                return response
            response.flags |= dns.flags.AA
            self._resolve(question.name, question.rdtype, response)
        return response

    def _resolve(self, qname: dns.name.Name, qtype: int, response: dns.message.Message) -> None:
        name, seen = qname, set()
        for _ in range(_MAX_CNAME_HOPS):
            zone = self._zone_of(name)
            if zone is None:  # a CNAME out of our zones: the resolver takes it from here
                return
            node = self._nodes.get(name)
            if node is None:
                if not self._has_descendants(name):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                self._add_soa(zone, response)
                return
            if qtype == dns.rdatatype.ANY:
                for rdataset in node.values():
                    response.answer.append(_rrset(name, rdataset))
                return
            if qtype in node:
                response.answer.append(_rrset(name, node[qtype]))
                return
            cname = node.get(dns.rdatatype.CNAME)
            if cname is None:
                self._add_soa(zone, response)  # the name exists, with no data of this type
                return
            response.answer.append(_rrset(name, cname))
            seen.add(name)
            name = cname[0].target
            if name in seen:  # a CNAME loop in the data: answer with what we have
                return

    def _zone_of(self, name: dns.name.Name) -> dns.name.Name | None:
        return next((o for o in self._origins if name.is_subdomain(o)), None)

    def _has_descendants(self, name: dns.name.Name) -> bool:
        return any(other != name and other.is_subdomain(name) for other in self._nodes)

    def _add_soa(self, zone: dns.name.Name, response: dns.message.Message) -> None:
        response.authority.append(_rrset(zone, self._nodes[zone][dns.rdatatype.SOA]))


class DNSServer:
    """Serves one `ZoneData` over UDP and TCP on already-bound sockets."""

    def __init__(self, zones: ZoneData):
        self.zones = zones
        # (name, type) -> how many times it was asked: lets tests prove a
        # check asks each question once.
        self.asked: collections.Counter[tuple[str, str]] = collections.Counter()
        self._asked_lock = threading.Lock()
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None

    async def start(self, udp_socket, tcp_socket) -> None:
        loop = asyncio.get_running_loop()
        self._udp, _ = await loop.create_datagram_endpoint(lambda: _UDPProtocol(self), sock=udp_socket)
        self._tcp = await asyncio.start_server(self._serve_tcp, sock=tcp_socket)

    def close(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()

    def reply(self, wire: bytes, max_size: int | None) -> bytes | None:
        """Wire answer to a wire query; None drops it. `max_size` None: TCP."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return _formerr(wire)
        with self._asked_lock:
            for question in query.question:
                self.asked[(str(question.name).rstrip(".").lower(), dns.rdatatype.to_text(question.rdtype))] += 1
        response = self.zones.respond(query)
        if response is None:
            return None
        if max_size is None:
            return response.to_wire()
        limit = max(512, query.payload) if query.edns >= 0 else 512
        try:
            return response.to_wire(max_size=min(limit, max_size))
        except dns.exception.TooBig:
            truncated = dns.message.make_response(query)
            truncated.flags |= dns.flags.TC | (response.flags & dns.flags.AA)
            return truncated.to_wire()

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
                answer = self.reply(await reader.readexactly(length), None)
                if answer is not None:  # dropped: keep the connection, never answer
                    writer.write(struct.pack("!H", len(answer)) + answer)
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            pass  # stop(): end quietly (3.11's stream server logs a cancelled handler as an error)
        finally:
            writer.transport.abort()


class _UDPProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DNSServer):
        self._server = server
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self._transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        answer = self._server.reply(data, 65535)
        if answer is not None and self._transport is not None:
            self._transport.sendto(answer, addr)

    def error_received(self, exc: Exception) -> None:
        log.debug("DNS UDP error: %s", exc)


def _name(name: str | dns.name.Name) -> dns.name.Name:
    return name if isinstance(name, dns.name.Name) else dns.name.from_text(name, origin=dns.name.root)


def _rrset(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))


def _formerr(wire: bytes) -> bytes | None:
    """FORMERR for a query we cannot parse, if it has at least a header to answer."""
    if len(wire) < 12:
        return None
    (query_id,) = struct.unpack("!H", wire[:2])
    flags = dns.flags.QR | dns.rcode.FORMERR
    return struct.pack("!HHHHHH", query_id, flags, 0, 0, 0, 0)
