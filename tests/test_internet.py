"""Self-tests of the test internet (tests/internet/): the fixture, not the checker."""

from __future__ import annotations

import ipaddress
import pathlib
import socket
import ssl

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import httpx
import pytest

from tests.internet import BEHAVIOURS, CATALOGUE, TestInternet
from tests.internet.sites import DNS_ADDRESS, LAB_NETWORKS, SENTINELS, SHARED_HOST

CHALLENGE = "/.well-known/acme-challenge/some-token"


def resolver_for(internet: TestInternet) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=False)
    host, port = internet.resolver.split(":")
    resolver.nameservers = [host]
    resolver.port = int(port)
    resolver.lifetime = 2
    return resolver


def ask(
    internet: TestInternet, name: str, rdtype: str, *, tcp: bool = False, timeout: float = 2
) -> dns.message.Message:
    host, port = internet.resolver.split(":")
    query = dns.message.make_query(name, rdtype)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, host, port=int(port), timeout=timeout)


_client = httpx.Client(verify=False)  # plain http only; one client: building one costs ~30 ms


def get(
    internet: TestInternet, name: str, path: str = "/", *, address: str | None = None, timeout: float = 2
) -> httpx.Response:
    """GET over http from `name`'s first address (or `address`), with `Host: name`."""
    address = address or internet.address_of(name)
    host = f"[{address}]" if ":" in address else address
    return _client.get(f"http://{host}:{internet.http_port}{path}", headers={"Host": name}, timeout=timeout)


def handshake(internet: TestInternet, name: str, *, address: str | None = None) -> dict:
    """Verify `name`'s certificate against the test CA; the peer certificate as `getpeercert` gives it."""
    context = ssl.create_default_context(cafile=internet.ca_file)
    with socket.create_connection((address or internet.address_of(name), internet.https_port), timeout=2) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls:
            return tls.getpeercert()


# --- the catalogue --------------------------------------------------------------


def test_catalogue_addresses_are_distinct_and_in_the_lab_networks():
    lab = [ipaddress.ip_network(n) for n in LAB_NETWORKS.split(",")]
    own = [a for site in CATALOGUE if site.name not in SHARED_HOST[1:] for a in site.addresses if a != "::1"]
    assert len(own) == len(set(own))
    assert DNS_ADDRESS not in own and not set(SENTINELS) & set(own)
    assert all(any(ipaddress.ip_address(a) in net for net in lab) for a in own)
    assert {s.behaviour for s in CATALOGUE} - {None} <= set(BEHAVIOURS)


def test_env_points_at_the_running_servers(internet):
    env = internet.env()
    assert env["CERTCHECK_RESOLVER"] == internet.resolver and internet.resolver.startswith(DNS_ADDRESS + ":")
    assert env["CERTCHECK_HTTP_PORT"] == str(internet.http_port) != env["CERTCHECK_HTTPS_PORT"]
    assert env["CERTCHECK_LAB_NETWORKS"] == "127.77.0.0/16,::1/128"
    assert pathlib.Path(env["CERTCHECK_CA_FILE"]).read_text().startswith("-----BEGIN CERTIFICATE-----")


# --- DNS --------------------------------------------------------------------------


def test_a_record_is_authoritative(internet):
    answer = resolver_for(internet).resolve("open.test", "A")
    assert [r.address for r in answer] == [internet.address_of("open.test")]
    assert answer.response.flags & dns.flags.AA


def test_cname_chain_is_followed_in_the_answer(internet):
    answer = resolver_for(internet).resolve("www.cname.test", "A")
    chain = [(str(rrset.name), dns.rdatatype.to_text(rrset.rdtype)) for rrset in answer.response.answer]
    assert chain == [("www.cname.test.", "CNAME"), ("alias.cname.test.", "CNAME"), ("open.test.", "A")]
    assert answer.canonical_name.to_text() == "open.test."
    assert internet.address_of("www.cname.test") == internet.address_of("open.test")


def test_nxdomain_carries_the_soa(internet):
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver_for(internet).resolve("nothere.test", "A")
    response = ask(internet, "nothere.test", "A")
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert [rrset.rdtype for rrset in response.authority] == [dns.rdatatype.SOA]


def test_empty_non_terminal_and_missing_type_are_no_data(internet):
    for name, rdtype in (("cname.test", "A"), ("noaddr.test", "A"), ("open.test", "AAAA")):
        response = ask(internet, name, rdtype)
        assert (response.rcode(), response.answer) == (dns.rcode.NOERROR, []), name
        assert response.authority[0].rdtype == dns.rdatatype.SOA
    assert ask(internet, "noaddr.test", "TXT").answer


def test_servfail_and_dropped_names(internet):
    assert ask(internet, "servfail.test", "A").rcode() == dns.rcode.SERVFAIL
    assert ask(internet, "servfail.test", "CAA", tcp=True).rcode() == dns.rcode.SERVFAIL
    with pytest.raises(dns.exception.Timeout):
        ask(internet, "dnstimeout.test", "A", timeout=0.3)


def test_caa_records(internet):
    records = sorted(r.to_text() for r in resolver_for(internet).resolve("caa-critical.test", "CAA"))
    assert records == ['0 issue "letsencrypt.org"', '128 tbs "unknown"']
    with pytest.raises(dns.resolver.NoAnswer):  # climbs to caa-parent.test, as a CA does
        resolver_for(internet).resolve("sub.caa-parent.test", "CAA")


def test_zone_apex_and_names_outside_the_zones(internet):
    apex = ask(internet, "example.com", "NS", tcp=True)
    assert sorted(r.to_text() for r in apex.answer[0]) == ["ns1.dns-host.example.", "ns2.dns-host.example."]
    assert ask(internet, "example.org", "A").rcode() == dns.rcode.REFUSED
    assert [r.to_text() for r in ask(internet, "mapped.example.com", "AAAA").answer[0]] == ["::ffff:127.99.0.2"]


def test_records_change_at_run_time(internet):
    internet.add_record("later.test", "A", "127.77.0.10")
    try:
        assert [r.address for r in resolver_for(internet).resolve("later.test", "A")] == ["127.77.0.10"]
    finally:
        internet.remove_records("later.test", "A")
    assert ask(internet, "later.test", "A").rcode() == dns.rcode.NXDOMAIN


# --- HTTP -------------------------------------------------------------------------


def test_open_site(internet):
    assert get(internet, "open.test", CHALLENGE).status_code == 404
    root = get(internet, "open.test")
    assert root.status_code == 200 and root.headers["content-type"] == "text/html"
    assert root.headers["connection"] == "close"


def test_access_restrictions(internet):
    basic = get(internet, "basic-all.test", CHALLENGE)
    assert (basic.status_code, basic.headers["www-authenticate"]) == (401, 'Basic realm="Staff only"')
    assert get(internet, "basic-except-challenge.test", CHALLENGE).status_code == 404
    assert get(internet, "basic-root.test").status_code == 401
    assert "www-authenticate" not in get(internet, "noauth-header.test").headers
    assert get(internet, "digest.test").headers["www-authenticate"].startswith("Digest ")
    assert "cf-error-details" in get(internet, "waf.test", CHALLENGE).text


def test_redirects(internet):
    assert (
        get(internet, "redirect-https.test", CHALLENGE).headers["location"] == f"https://redirect-https.test{CHALLENGE}"
    )
    loop = get(internet, "redirect-loop.test", CHALLENGE).headers["location"]
    assert get(internet, "redirect-loop.test", loop).headers["location"] == CHALLENGE
    assert get(internet, "redirect-10.test", "/hop/10").status_code == 404
    assert get(internet, "redirect-11.test", "/hop/10").headers["location"] == "/hop/11"


def test_addresses_of_one_name_disagree(internet):
    first, second = resolver_for(internet).resolve("disagree.test", "A")
    statuses = {get(internet, "disagree.test", CHALLENGE, address=a.address).status_code for a in (first, second)}
    assert statuses == {404, 401}


def test_ipv6(internet):
    assert get(internet, "v6-ok.test", address="::1").status_code == 200
    assert get(internet, "v6-broken.test", address=internet.address_of("v6-broken.test")).status_code == 200
    with pytest.raises(httpx.ReadError):  # reset after the request
        get(internet, "v6-broken.test", address="::1")


def test_set_site_changes_the_answer_at_run_time(internet):
    internet.set_site("basic-all.test", "open")
    try:
        assert get(internet, "basic-all.test").status_code == 200
    finally:
        internet.set_site("basic-all.test", "basic-all")
    assert get(internet, "basic-all.test").status_code == 401


def test_black_hole_never_answers(internet):
    with pytest.raises(httpx.ReadTimeout):
        get(internet, "blackhole.test", timeout=0.3)


def test_refused_ports(internet):
    for name, port in (
        ("deadport.test", internet.http_port),
        ("deadport.test", internet.https_port),
        ("notls.test", internet.https_port),
    ):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((internet.address_of(name), port), timeout=1).close()


def test_sentinels_count_connections(internet):
    before = internet.connections_to("127.99.0.1")
    socket.create_connection(("127.99.0.1", internet.https_port), timeout=1).close()
    assert internet.connections_to("127.99.0.1") == before + 1


# --- TLS --------------------------------------------------------------------------


def test_tls_certificates_chosen_by_sni(internet):
    assert handshake(internet, "open.test")["subjectAltName"] == (("DNS", "open.test"),)
    assert handshake(internet, "www.cname.test")["subjectAltName"] == (("DNS", "www.cname.test"),)
    assert handshake(internet, "www.wild.test")["subjectAltName"] == (("DNS", "*.wild.test"),)
    with pytest.raises(ssl.SSLCertVerificationError, match="expired"):
        handshake(internet, "cert-expired.test")
    with pytest.raises(ssl.SSLCertVerificationError, match="self-signed"):
        handshake(internet, "cert-selfsigned.test")
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        handshake(internet, "cert-wrongname.test")


def test_https_serves_the_same_sites(internet):
    context = ssl.create_default_context(cafile=internet.ca_file)
    url = f"https://{internet.address_of('redirect-https.test')}:{internet.https_port}/"
    with httpx.Client(verify=context, timeout=2) as client:
        response = client.get(
            url, headers={"Host": "redirect-https.test"}, extensions={"sni_hostname": "redirect-https.test"}
        )
    assert response.status_code == 200


def test_broken_ipv6_fails_tls_too(internet):
    with pytest.raises((ssl.SSLError, ConnectionError)):
        handshake(internet, "v6-broken.test", address="::1")


# --- life cycle -----------------------------------------------------------------


def test_stop_closes_every_listener(tmp_path):
    net = TestInternet(tmp_path).start()
    open_site = net.address_of("open.test")
    socket.create_connection((open_site, net.http_port), timeout=1).close()
    net.stop()
    for address, port in (
        (open_site, net.http_port),
        ("::1", net.https_port),
        (DNS_ADDRESS, int(net.resolver.split(":")[1])),
    ):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, port), timeout=1).close()
