"""A small internet on loopback for testing the checker against real servers.

`TestInternet` runs, in a background thread with one asyncio event loop, an
authoritative DNS server for the zones `test.`, `example.` and
`example.com.`, and HTTP and TLS servers for the catalogue of fixture sites
in `sites.py`, each site on its own 127.77.x.y address. Nothing leaves
loopback.

    net = TestInternet(tmp_path).start()
    subprocess.run(["certcheck", "check", "basic-all.test", "--json"], env={**os.environ, **net.env()})
    net.stop()

`python -m tests.internet` runs it in the foreground for trying the checker by hand.
"""

from __future__ import annotations

import asyncio
import errno
import inspect
import ipaddress
import logging
import pathlib
import socket
import threading

from .ca import CertificateAuthority, CertSpec
from .dns import ANSWER, DNSServer, ZoneData
from .sites import (
    BLACKHOLE,
    CATALOGUE,
    DNS_ADDRESS,
    INFRASTRUCTURE_RECORDS,
    LAB_NETWORKS,
    NAMESERVERS,
    NOTHING,
    SENTINELS,
    WEB,
    ZONES,
    Site,
)
from .web import BEHAVIOURS, ConnectionCounter, TLSFront, VirtualHosts, WebServer

# isort: split
# After .sites, never before: boulder builds on Site, and .sites asks it for its rows.
from . import boulder

BEHAVIOURS.update(boulder.BEHAVIOURS)

__all__ = ["BEHAVIOURS", "CATALOGUE", "Site", "TestInternet"]

log = logging.getLogger(__name__)

START_TIMEOUT = 5.0
STOP_TIMEOUT = 5.0
BIND_ATTEMPTS = 50
_SENTINEL = "sentinel"


class TestInternet:
    """The DNS and web servers of the fixture catalogue, on loopback, in a background thread."""

    __test__ = False  # a fixture, not a pytest test class

    def __init__(self, workdir: pathlib.Path, sites: tuple[Site, ...] = CATALOGUE):
        """`sites`: the catalogue to serve (another one, e.g. `boulder.v6_lab`, for an internet of its own)."""
        self.workdir = pathlib.Path(workdir)
        self._sites = sites
        self.lab_networks = LAB_NETWORKS
        self.resolver = ""
        self.http_port = 0
        self.https_port = 0
        self.ca_file = ""
        self._zones = ZoneData(ZONES, NAMESERVERS)
        for site in sites:
            for owner, rdtype, value in site.dns_records():
                self._zones.add(owner, rdtype, value)
            if site.dns != ANSWER:
                self._zones.set_mode(site.name, site.dns)
        for owner, rdtype, value in INFRASTRUCTURE_RECORDS:
            self._zones.add(owner, rdtype, value)
        self._hosts = VirtualHosts(sites)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._sockets: list[socket.socket] = []  # every socket bound, closed at stop
        self._counters: dict[str, ConnectionCounter] = {}
        self._dns: DNSServer | None = None
        self._web: WebServer | None = None

    # --- life cycle -------------------------------------------------------------

    def start(self) -> "TestInternet":
        """Bind every listener and serve; returns once all of them accept connections."""
        if self._loop is not None:
            raise RuntimeError("the test internet is already running")
        try:
            tls = self._write_certificates()
            plan = _listener_plan(self._sites)
            self.http_port, http_sockets = _bind_one_port(list(plan))
            self._sockets += http_sockets.values()
            self.https_port, https_sockets = _bind_one_port(list(plan))
            self._sockets += https_sockets.values()
            dns_port, udp, tcp = _bind_dns(DNS_ADDRESS)
            self._sockets += (udp, tcp)
            self.resolver = f"{DNS_ADDRESS}:{dns_port}"
            self._loop = asyncio.new_event_loop()
            self._loop.set_exception_handler(_log_loop_error)
            self._thread = threading.Thread(target=self._loop.run_forever, name="test-internet", daemon=True)
            self._thread.start()
            serving = self._serve(tls, plan, http_sockets, https_sockets, udp, tcp)
            asyncio.run_coroutine_threadsafe(serving, self._loop).result(timeout=START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every listener and connection, stop the loop and join its thread."""
        loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is not None and thread is not None and thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=STOP_TIMEOUT)
            except Exception:  # noqa: BLE001 - stopping must go on regardless
                log.exception("test internet: shutdown did not finish cleanly")
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=STOP_TIMEOUT)
        if loop is not None and not loop.is_running():
            loop.close()
        # Servers close their own sockets; this catches the reserved ones (bound,
        # never listening: connection refused) and any a failed start left behind.
        for sock in self._sockets:
            sock.close()
        self._sockets.clear()

    def __enter__(self) -> "TestInternet":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- what the checker is pointed at -------------------------------------------

    def env(self) -> dict[str, str]:
        """The CERTCHECK_* variables that point a check at this internet, in lab mode.

        ARI and CT are off (the CLI and the bot ask them by default): a test that
        wants them points them at the stand-ins of tests/standins/.
        """
        return {
            "CERTCHECK_ARI": "0",
            "CERTCHECK_CT": "0",
            "CERTCHECK_RESOLVER": self.resolver,
            "CERTCHECK_HTTP_PORT": str(self.http_port),
            "CERTCHECK_HTTPS_PORT": str(self.https_port),
            "CERTCHECK_CA_FILE": self.ca_file,
            "CERTCHECK_LAB_NETWORKS": self.lab_networks,
        }

    def address_of(self, name: str) -> str:
        """The first address `name` resolves to here (A before AAAA, CNAMEs followed)."""
        addresses = self._zones.addresses(name)
        if not addresses:
            raise KeyError(f"{name} has no address in the test internet")
        return addresses[0]

    def connections_to(self, address: str) -> int:
        """TCP connections accepted so far on a sentinel address, both ports together."""
        counter = self._counters.get(str(ipaddress.ip_address(address)))
        if counter is None:
            raise KeyError(f"{address} is not a sentinel; sentinels: {', '.join(SENTINELS)}")
        return counter.count()

    def queries(self, name: str) -> dict[str, int]:
        """How many times each record type of `name` has been asked so far."""
        with self._dns._asked_lock:
            return {rdtype: n for (owner, rdtype), n in self._dns.asked.items() if owner == name.lower()}

    # --- changes at run time (from any thread) --------------------------------------

    def set_site(self, name: str, behaviour: str, *, address: str | None = None) -> None:
        """Give a web site another behaviour (see `web.BEHAVIOURS`), on all its addresses or one."""
        self._hosts.set(name, behaviour, address)

    def serve_certificate(self, name: str, pem: pathlib.Path | None) -> None:
        """Serve the key and chain in `pem` (key first, then leaf first) for `name`; None: its own again."""
        assert self._web is not None, "the test internet is not running"
        self._web_tls.serve(name, pem or self.workdir / "certs" / f"{name}.pem")

    def add_record(self, name: str, rdtype: str, value: str) -> None:
        """Add a DNS record; `value` in zone-file syntax, e.g. '0 issue "letsencrypt.org"'."""
        self._zones.add(name, rdtype, value)

    def remove_records(self, name: str, rdtype: str) -> None:
        self._zones.remove(name, rdtype)

    # --- inside ------------------------------------------------------------------

    def _write_certificates(self) -> TLSFront:
        ca = CertificateAuthority()
        self.workdir.mkdir(parents=True, exist_ok=True)
        ca_path = self.workdir / "ca.pem"
        ca_path.write_bytes(ca.pem())
        self.ca_file = str(ca_path)
        cert_dir = self.workdir / "certs"
        cert_dir.mkdir(exist_ok=True)
        certs = {
            site.name: ca.write_leaf(site.certificate, cert_dir / f"{site.name}.pem")
            for site in self._sites
            if site.behaviour is not None
        }
        default = ca.write_leaf(CertSpec(("test-internet.invalid",)), cert_dir / "default.pem")
        return TLSFront(self._hosts, default, certs)

    async def _serve(self, tls, plan, http_sockets, https_sockets, udp, tcp) -> None:
        loop = asyncio.get_running_loop()
        self._dns = DNSServer(self._zones)
        self._web = WebServer(self._hosts, tls)
        self._web_tls = tls
        await self._dns.start(udp, tcp)
        for address, (http_kind, https_kind) in plan.items():
            if http_kind == _SENTINEL:
                self._counters[address] = ConnectionCounter([http_sockets[address], https_sockets[address]])
                self._counters[address].start(loop)
                continue
            for kind, sock, tls_port in (
                (http_kind, http_sockets[address], False),
                (https_kind, https_sockets[address], True),
            ):
                if kind == WEB:
                    await (self._web.serve_https(sock, address) if tls_port else self._web.serve_http(sock))
                elif kind == BLACKHOLE:
                    await self._web.serve_blackhole(sock)

    async def _shutdown(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_TIMEOUT / 2
        # asyncio (3.11) leaks the socket of a connection accepted before a server
        # closes but set up after (its task then fails on an assertion, silently).
        # So close the listeners only once no task is waiting for its first step.
        while _unstarted_tasks() and loop.time() < deadline:
            await asyncio.sleep(0)
        for server in (self._dns, self._web, *self._counters.values()):
            if server is not None:
                server.close()
        # Cancel the connection handlers. One that has not started yet is given a
        # turn first: cancelled before its first step, its `finally` never runs.
        while loop.time() < deadline:
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            if not tasks:
                break
            for task in tasks:
                if not _unstarted(task):
                    task.cancel()
            await asyncio.wait(tasks, timeout=0.05)
        if self._web is not None:
            self._web.drop_held_connections()
        for _ in range(3):  # let the aborted transports run connection_lost and close
            await asyncio.sleep(0)


def _unstarted(task: asyncio.Task) -> bool:
    return inspect.getcoroutinestate(task.get_coro()) == inspect.CORO_CREATED


def _unstarted_tasks() -> list[asyncio.Task]:
    return [task for task in asyncio.all_tasks() if _unstarted(task)]


def _listener_plan(sites) -> dict[str, tuple[str, str]]:
    """address -> (what listens on the http port, what on the https port)."""
    plan: dict[str, tuple[str, str]] = {}
    for site in sites:
        for address in site.addresses:
            kinds = (site.listener, site.listener if site.https else NOTHING)
            if site.v6_listener is not None and ":" in address:
                kinds = site.v6_listener
            if plan.setdefault(address, kinds) != kinds:
                raise ValueError(f"{address} is given two different kinds of listener ({site.name})")
    for address in SENTINELS:
        plan[address] = (_SENTINEL, _SENTINEL)
    return plan


def _tcp_socket(address: str, port: int) -> socket.socket:
    # No SO_REUSEADDR: a port we hold (even one only reserved, not listening) is
    # then ours alone, so another test internet on the same host cannot answer
    # where this one must refuse.
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((address, port))
    except OSError:
        sock.close()
        raise
    return sock


def _bind_one_port(addresses: list[str]) -> tuple[int, dict[str, socket.socket]]:
    """One port number bound on every address: the kernel picks it, we retry on a clash."""
    for _ in range(BIND_ATTEMPTS):
        sockets: dict[str, socket.socket] = {}
        try:
            port = 0
            for address in addresses:
                sockets[address] = _tcp_socket(address, port)
                port = sockets[address].getsockname()[1]
            return port, sockets
        except OSError as exc:
            for sock in sockets.values():
                sock.close()
            if exc.errno != errno.EADDRINUSE:
                raise
    raise RuntimeError(f"no port was free on all {len(addresses)} addresses after {BIND_ATTEMPTS} tries")


def _bind_dns(address: str) -> tuple[int, socket.socket, socket.socket]:
    """A UDP and a TCP socket on the same port of `address`."""
    for _ in range(BIND_ATTEMPTS):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((address, 0))
        port = udp.getsockname()[1]
        try:
            return port, udp, _tcp_socket(address, port)
        except OSError as exc:
            udp.close()
            if exc.errno != errno.EADDRINUSE:
                raise
    raise RuntimeError(f"no port was free for DNS on {address} after {BIND_ATTEMPTS} tries")


def _log_loop_error(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    log.warning("test internet: %s", context.get("message"), exc_info=context.get("exception"))
