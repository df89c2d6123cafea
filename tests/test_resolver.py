"""A resolver that lies: NXDOMAIN for every name, the TLDs included, on loopback."""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import pytest

from tests import cli
from tests.cli import certcheck


@pytest.fixture
def lying_resolver():
    """A UDP DNS server on 127.0.0.1 that answers NXDOMAIN to every question."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                wire, peer = sock.recvfrom(4096)
            except OSError:
                return
            if wire == b"stop":
                return
            response = dns.message.make_response(dns.message.from_wire(wire))
            response.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(response.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"stop", sock.getsockname())
    thread.join(timeout=5)
    sock.close()


def test_nxdomain_from_a_resolver_blind_to_the_tld_is_unknown(internet, lying_resolver):
    env = cli.lab_env(internet, CERTCHECK_RESOLVER=lying_resolver)
    done = certcheck("check", "open.test", "--json", "--timeout", "3", env=env)
    report = cli.report_of(done)
    codes = {f["code"] for f in report["findings"]}
    assert (report["verdict"], report["renewable"], done.returncode) == ("unknown", None, 3)
    assert "resolver_blind" in codes and "dns_nxdomain" not in codes
    finding = next(f for f in report["findings"] if f["code"] == "resolver_blind")
    assert lying_resolver in finding["detail"]


def test_nxdomain_from_a_resolver_that_sees_the_tld_blames_the_name(internet):
    report = cli.report_of(certcheck("check", "nothere.test", "--json", "--timeout", "3", env=cli.lab_env(internet)))
    codes = {f["code"] for f in report["findings"]}
    assert "dns_nxdomain" in codes and "resolver_blind" not in codes
    assert "ns_delegation" in codes  # here it explains something: which servers deny the name
