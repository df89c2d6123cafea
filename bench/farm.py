"""The benchmark's fixture farm: N generated sites on N loopback addresses, cheaply.

`Population` is the plan both sides share: site `i` is named
`<behaviour>-<i>.bench.test` (and `www.` that), lives at its own 127.100.x.y
address, or, on a shared-hosting farm, at one of a few addresses shared by
every site (`Population(n, addresses=20)`), and answers as its behaviour says
(open, Basic auth on everything, black hole). Each site has a certificate of
its own for both its names, so a check dry-runs a renewal order of two names,
with one of ten expiries.

The farm runs as processes of its own (`python -m bench.farm dns|web ...`):

- DNS: one UDP socket and a blocking loop that answers from the plan by
  hand-built wire format. The test internet's dnspython server parses and
  renders every message, which costs more CPU than the checks it serves.
- web: asyncio protocols, HTTP and TLS on two ports of every address, the
  behaviour chosen by Host (HTTP) or SNI (TLS, read from the ClientHello before
  any handshake, so a black hole never answers). TLS runs through a MemoryBIO,
  one `SSLContext` per site, loaded when its SNI first arrives and kept in
  a bounded cache (the certificates are written to files before the farm starts).
  `latency` delays each answer: the ServerHello and every HTTP response.

Inside a private network namespace the web server binds 0.0.0.0:80 and :443,
which there reaches only that namespace's loopback; without one it binds
every address separately (`--bind-each`), which costs two sockets a site.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import json
import pathlib
import signal
import socket
import ssl
import struct
import sys
from collections import OrderedDict
from dataclasses import dataclass

ZONE = "bench.test"
OPEN, BASIC, HOLE = "open", "basic", "hole"
DNS_ADDRESS = "127.0.0.53"
NS_NAME = f"ns.{ZONE}"
# Days left for each certificate class; a site's class is its index modulo 10.
# Mostly healthy, as a real estate is: 20 % need attention.
CERT_DAYS = (80, 70, 60, 55, 50, 45, 40, 35, 20, 5)
MAX_SITES = 250 * 256


@dataclass(frozen=True)
class Population:
    """Which site is which: 5 % black holes, 10 % Basic auth, the rest open."""

    n: int
    addresses: int = 0  # 0: an address per site; else a shared-hosting farm of that many

    def __post_init__(self) -> None:
        if not 0 < self.n <= MAX_SITES:
            raise ValueError(f"between 1 and {MAX_SITES} sites")
        if not 0 <= self.addresses <= 250:
            raise ValueError("between 0 and 250 shared addresses")

    @staticmethod
    def behaviour(i: int) -> str:
        if i % 20 == 19:
            return HOLE
        if i % 10 == 4:
            return BASIC
        return OPEN

    @classmethod
    def name(cls, i: int) -> str:
        return f"{cls.behaviour(i)}-{i:05d}.{ZONE}"

    def address(self, i: int) -> str:
        if self.addresses:
            # Consecutive blocks of sites, as a host fills one server and then the next: every
            # address gets the same mix of behaviours (by index modulo 20, the black holes
            # would all share one address, whose four slots then hold the whole night).
            return f"127.100.0.{i * self.addresses // self.n + 1}"
        return f"127.100.{i // 250}.{i % 250 + 1}"

    def all_addresses(self) -> list[str]:
        return list(dict.fromkeys(self.address(i) for i in range(self.n)))

    @classmethod
    def order(cls, i: int) -> tuple[str, str]:
        """The names on site `i`'s certificate: the renewal order a check dry-runs."""
        return cls.name(i), f"www.{cls.name(i)}"

    @staticmethod
    def cert_class(i: int) -> int:
        return i % len(CERT_DAYS)

    def names(self) -> list[str]:
        return [self.name(i) for i in range(self.n)]

    def first(self, behaviour: str, count: int = 1) -> list[str]:
        """The first `count` names with `behaviour`."""
        found = [self.name(i) for i in range(self.n) if self.behaviour(i) == behaviour]
        return found[:count]

    def index(self, name: str) -> int | None:
        """The site a name belongs to, or None when it is not one of ours."""
        name = name.lower().rstrip(".")
        name = name[4:] if name.startswith("www.") else name
        label, dot, rest = name.partition(".")
        if not dot or rest != ZONE:
            return None
        kind, _, number = label.partition("-")
        if not number.isdigit() or len(number) != 5:
            return None
        i = int(number)
        return i if i < self.n and self.behaviour(i) == kind else None


# --- certificates ----------------------------------------------------------------


def write_certificates(workdir: pathlib.Path, n: int) -> pathlib.Path:
    """The test CA, a certificate for each of `n` sites (both its names) and a default one
    for names that are not ours; returns the CA file. About 0.2 ms a site."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from tests.internet.ca import CertificateAuthority, CertSpec

    workdir.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority("certcheck bench CA")
    now = dt.datetime.now(dt.timezone.utc)
    ca.write_leaf(CertSpec((f"*.{ZONE}",), days_left=60, lifetime_days=90), workdir / "default.pem", now=now)
    for i in range(n):
        spec = CertSpec(Population.order(i), days_left=CERT_DAYS[Population.cert_class(i)], lifetime_days=90)
        ca.write_leaf(spec, site_certificate(workdir, i), now=now)
    ca_file = workdir / "ca.pem"
    ca_file.write_bytes(ca.pem())
    return ca_file


def site_certificate(workdir: pathlib.Path, i: int) -> pathlib.Path:
    return workdir / f"site-{i:05d}.pem"


# --- DNS ---------------------------------------------------------------------------

_A, _NS, _SOA, _AAAA, _CAA = 1, 2, 6, 28, 257
_NOERROR, _FORMERR, _NXDOMAIN, _REFUSED = 0, 1, 3, 5


def _wire_name(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


_CAA_RDATA = b"\x00\x05issue" + b"letsencrypt.org"
_NS_RDATA = _wire_name(NS_NAME)


def _rr(rtype: int, rdata: bytes, ttl: int = 300) -> bytes:
    # The owner is always the question name: a pointer to offset 12.
    return struct.pack("!HHHIH", 0xC00C, rtype, 1, ttl, len(rdata)) + rdata


def dns_answer(population: Population, query: bytes, ns_address: str = DNS_ADDRESS) -> bytes | None:
    """The reply to one DNS query, or None for something not worth answering. `ns_address`
    is where this server listens: the zone's NS name must lead back to it (a DNS-01 check
    asks the zone's servers directly)."""
    if len(query) < 17 or query[2] & 0x80:
        return None
    p, labels = 12, []
    try:
        while (length := query[p]) != 0:
            if length & 0xC0:
                return None
            labels.append(query[p + 1 : p + 1 + length])
            p += 1 + length
        qtype = struct.unpack_from("!H", query, p + 1)[0]
    except (IndexError, struct.error):
        return None
    end = p + 5
    name = b".".join(labels).decode("ascii", "replace").lower()
    records: list[bytes] = []
    rcode = _NOERROR
    if name == ZONE:
        if qtype == _NS:
            records.append(_rr(_NS, _NS_RDATA))
        elif qtype == _CAA:
            records.append(_rr(_CAA, _CAA_RDATA))
    elif name == NS_NAME:
        if qtype == _A:
            records.append(_rr(_A, socket.inet_aton(ns_address)))
    elif name.endswith("." + ZONE):
        i = population.index(name)
        if i is None:
            rcode = _NXDOMAIN
        elif qtype == _A:
            records.append(_rr(_A, socket.inet_aton(population.address(i))))
    elif name != "test":
        rcode = _REFUSED
    flags = 0x8400 | (query[2] & 0x01) << 8 | rcode  # QR, AA, RD copied
    header = query[:2] + struct.pack("!HHHHH", flags, 1, len(records), 0, 0)
    return header + query[12:end] + b"".join(records)


def serve_dns(population: Population, sock: socket.socket) -> None:
    """Answer until killed: one query at a time is plenty for a few thousand a second."""
    while True:
        try:
            query, peer = sock.recvfrom(4096)
        except InterruptedError:
            continue
        reply = dns_answer(population, query, sock.getsockname()[0])
        if reply is not None:
            sock.sendto(reply, peer)


# --- web ---------------------------------------------------------------------------

_PAGE = b"<!doctype html><html><head><title>Welcome</title></head><body><h1>It works</h1></body></html>"
_DENIED = b"<html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>"


def _response(status: str, body: bytes, *extra: str) -> bytes:
    head = [
        f"HTTP/1.1 {status}",
        "Server: bench-farm",
        "Content-Type: text/html",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


_OK = _response("200 OK", _PAGE)
_NOT_FOUND = _response("404 Not Found", b"not found")
_UNAUTHORIZED = _response("401 Unauthorized", _DENIED, 'WWW-Authenticate: Basic realm="Staff only"')
_NO_SITE = _response("404 Not Found", b"no such site")
_BAD = _response("400 Bad Request", b"bad request")
_MAX_HEAD = 16 * 1024
_CONTEXTS = 2048  # TLS contexts kept: more than the sites a sweep has in flight


class Farm:
    """What every connection needs: the plan, the TLS contexts, the latency."""

    def __init__(self, population: Population, certdir: pathlib.Path, latency: float) -> None:
        self.population = population
        self.latency = latency
        self.certdir = certdir
        self.default = self._load(certdir / "default.pem")
        self.contexts: OrderedDict[int, ssl.SSLContext] = OrderedDict()

    @staticmethod
    def _load(path: pathlib.Path) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(path)
        context.num_tickets = 0  # nobody resumes; save the work
        return context

    def context(self, sni: str) -> ssl.SSLContext:
        """Site's own context (a bounded cache: a check's names arrive together), or the default."""
        i = self.population.index(sni)
        if i is None:
            return self.default
        context = self.contexts.get(i)
        if context is None:
            context = self.contexts[i] = self._load(site_certificate(self.certdir, i))
            if len(self.contexts) > _CONTEXTS:
                self.contexts.popitem(last=False)
        else:
            self.contexts.move_to_end(i)
        return context

    def behaviour(self, host: str) -> str | None:
        i = self.population.index(host)
        return None if i is None else self.population.behaviour(i)

    def answer(self, head: bytes) -> bytes | None:
        """The response to a request head; None to say nothing (black hole)."""
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            return _BAD
        host = ""
        for line in lines[1:]:
            if line[:5].lower() == b"host:":
                host = line[5:].strip().decode("latin-1").rpartition(":")[0] or line[5:].strip().decode("latin-1")
                break
        behaviour = self.behaviour(host)
        if behaviour is None:
            return _NO_SITE
        if behaviour == HOLE:
            return None
        if behaviour == BASIC:
            return _UNAUTHORIZED
        return _OK if parts[1] == b"/" else _NOT_FOUND


class _Http(asyncio.Protocol):
    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.done = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.done:
            return
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > _MAX_HEAD:
                self._send(_BAD)
            return
        self.done = True
        reply = self.farm.answer(self.buffer[:end])
        if reply is None:
            return  # a black hole: hold the connection until the client gives up
        if self.farm.latency:
            asyncio.get_running_loop().call_later(self.farm.latency, self._send, reply)
        else:
            self._send(reply)

    def _send(self, reply: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)
            self.transport.close()


class _Tls(asyncio.Protocol):
    """TLS by hand through a MemoryBIO: the SNI decides before any answer."""

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.transport: asyncio.Transport | None = None
        self.pending = b""
        self.tls: ssl.SSLObject | None = None
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.held = False  # black hole, or waiting out the latency
        self.handshaken = False
        self.request = b""
        self.responded = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.tls is None:
            self.pending += data
            sni = client_hello_sni(self.pending)
            if sni is None:
                if len(self.pending) > _MAX_HEAD:
                    self._abort()
                return
            behaviour = self.farm.behaviour(sni)
            if behaviour == HOLE:
                self.tls = self.farm.default.wrap_bio(self.incoming, self.outgoing, server_side=True)
                self.held = True  # never answers; bytes that follow are dropped
                self.pending = b""
                return
            self.tls = self.farm.context(sni).wrap_bio(self.incoming, self.outgoing, server_side=True)
            data, self.pending = self.pending, b""
            if self.farm.latency:
                self.held = True
                self.incoming.write(data)
                asyncio.get_running_loop().call_later(self.farm.latency, self._release)
                return
        elif self.held:
            if not self.responded:
                self.incoming.write(data)
            return
        self.incoming.write(data)
        self._pump()

    def _release(self) -> None:
        self.held = False
        self._pump()

    def _pump(self) -> None:
        assert self.tls is not None
        if self.transport is None or self.transport.is_closing():
            return
        try:
            if not self.handshaken:
                self.tls.do_handshake()
                self.handshaken = True
            while not self.responded:
                chunk = self.tls.read(_MAX_HEAD)
                if not chunk:
                    break
                self.request += chunk
        except ssl.SSLWantReadError:
            pass
        except (ssl.SSLError, OSError):
            self._flush()
            self._abort()
            return
        self._flush()
        if self.handshaken and not self.responded and b"\r\n\r\n" in self.request:
            self.responded = True
            reply = self.farm.answer(self.request[: self.request.index(b"\r\n\r\n")])
            if reply is None:
                return
            if self.farm.latency:
                asyncio.get_running_loop().call_later(self.farm.latency, self._send, reply)
            else:
                self._send(reply)

    def _send(self, reply: bytes) -> None:
        if self.transport is None or self.transport.is_closing() or self.tls is None:
            return
        try:
            self.tls.write(reply)
        except ssl.SSLError:
            self._abort()
            return
        self._flush()
        self.transport.close()

    def _flush(self) -> None:
        data = self.outgoing.read()
        if data and self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def _abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


def client_hello_sni(data: bytes) -> str | None:
    """The server name of a TLS ClientHello; "" when it has none; None: need more bytes."""
    if len(data) < 5:
        return None
    if data[0] != 0x16:
        return ""
    length = struct.unpack_from("!H", data, 3)[0]
    if len(data) < 5 + length:
        return None
    hello = data[5 : 5 + length]
    try:
        if hello[0] != 1:
            return ""
        p = 4 + 2 + 32
        p += 1 + hello[p]  # session id
        p += 2 + struct.unpack_from("!H", hello, p)[0]  # cipher suites
        p += 1 + hello[p]  # compression methods
        end = p + 2 + struct.unpack_from("!H", hello, p)[0]
        p += 2
        while p + 4 <= end:
            kind, size = struct.unpack_from("!HH", hello, p)
            p += 4
            if kind == 0:  # server_name: list length, type 0, name length, name
                name_length = struct.unpack_from("!H", hello, p + 3)[0]
                return hello[p + 5 : p + 5 + name_length].decode("ascii", "replace").lower()
            p += size
    except (IndexError, struct.error):
        return ""
    return ""


# --- processes -----------------------------------------------------------------------


def in_private_netns() -> bool:
    """True when loopback is this network namespace's only interface.

    Then binding 0.0.0.0 reaches nothing but loopback; anywhere else the farm
    binds addresses one by one.
    """
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def _listen(address: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    if address == "0.0.0.0" and not in_private_netns():
        raise SystemExit("refusing to bind 0.0.0.0 outside a private network namespace")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((address, port))
    sock.listen(4096)
    sock.setblocking(False)
    return sock


def _bind_each(addresses: list[str], port: int) -> tuple[int, list[socket.socket]]:
    """One port on every address (the kernel picks it when `port` is 0)."""
    for _ in range(50):
        sockets: list[socket.socket] = []
        try:
            chosen = port
            for address in addresses:
                sockets.append(_listen(address, chosen))
                chosen = sockets[-1].getsockname()[1]
            return chosen, sockets
        except OSError:
            for sock in sockets:
                sock.close()
            if port:
                raise
    raise RuntimeError("no port free on every address")


async def _serve_web(farm: Farm, http: list[socket.socket], https: list[socket.socket], ports: list[int]) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    servers = [await loop.create_server(lambda: _Http(farm), sock=s, backlog=4096) for s in http]
    servers += [await loop.create_server(lambda: _Tls(farm), sock=s, backlog=4096) for s in https]
    print(json.dumps({"ready": True, "ports": ports}), flush=True)
    await stop.wait()
    for server in servers:
        server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.farm")
    parser.add_argument("role", choices=("dns", "web"))
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--addresses", type=int, default=0, help="shared-hosting farm: sites on this many addresses")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--certs", type=pathlib.Path)
    parser.add_argument("--dns", default=f"{DNS_ADDRESS}:53", help="ADDRESS:PORT (port 0: any)")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--bind-each", action="store_true", help="no namespace: bind every address separately")
    parser.add_argument("--reuse-port", action="store_true", help="share the ports with other web processes")
    args = parser.parse_args(argv)
    population = Population(args.n, args.addresses)
    if args.role == "dns":
        host, _, port = args.dns.rpartition(":")
        ipaddress.ip_address(host)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sock.bind((host, int(port)))
        print(json.dumps({"ready": True, "resolver": f"{host}:{sock.getsockname()[1]}"}), flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        serve_dns(population, sock)
        return 0
    farm = Farm(population, args.certs, args.latency_ms / 1000)
    if args.bind_each:
        addresses = population.all_addresses()
        http_port, http = _bind_each(addresses, args.http_port)
        https_port, https = _bind_each(addresses, args.https_port)
    else:
        http = [_listen("0.0.0.0", args.http_port, reuse_port=args.reuse_port)]
        https = [_listen("0.0.0.0", args.https_port, reuse_port=args.reuse_port)]
        http_port, https_port = args.http_port, args.https_port
    asyncio.run(_serve_web(farm, http, https, [http_port, https_port]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
