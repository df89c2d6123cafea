"""The catalogue of fixture sites: one entry per situation the checker must recognise.

Every site gets an address of its own (127.77.0.10 upward) so that a check
of one name never touches another's listener by accident. The HTTP
behaviours are named here and defined in `web.BEHAVIOURS`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .ca import CertSpec

DNS_ADDRESS = "127.77.0.53"
LAME_DNS_ADDRESS = "127.77.0.3"  # a name server's address where nothing answers DNS
IPV6_ADDRESS = "::1"
LAB_NETWORKS = "127.77.0.0/16,::1/128"
ZONES = ("test.", "example.", "example.com.", "77.127.in-addr.arpa.")
NAMESERVERS = ("ns1.dns-host.example.", "ns2.dns-host.example.")

# Addresses the checker must never connect to: outside the lab networks, or
# (127.77.0.2) named by no record and no redirect. Listeners there count
# connections and close them.
SENTINELS = ("127.99.0.1", "127.99.0.2", "127.77.0.2")

# Listener kinds for a site's own addresses.
WEB = "web"  # the HTTP / TLS server
BLACKHOLE = "blackhole"  # accepts, then never sends a byte
NOTHING = "nothing"  # connection refused (the port is reserved, not listening)


@dataclass(frozen=True)
class Site:
    name: str
    addresses: tuple[str, ...] = ()  # its own addresses: A / AAAA records and listeners
    behaviour: str | None = "open"  # HTTP behaviour; None: not a web site (DNS only)
    # Per-address overrides of `behaviour`, e.g. one of two servers misconfigured.
    per_address: tuple[tuple[str, str], ...] = ()
    listener: str = WEB
    https: bool = True  # False: nothing listens on the https port of its addresses
    cert: CertSpec | None = None  # None: valid for `name`, 90-day lifetime, 60 days left
    records: tuple[tuple[str, str, str], ...] = ()  # extra DNS records: (owner, type, value)
    dns: str = "answer"  # or "servfail" (every query) or "drop" (never answers)
    v6_listener: tuple[str, str] | None = None  # (http, https) listener kinds of its IPv6 addresses
    certificate: CertSpec = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "certificate", self.cert or CertSpec((self.name,)))

    def dns_records(self) -> list[tuple[str, str, str]]:
        own = [(self.name, "AAAA" if ipaddress.ip_address(a).version == 6 else "A", a) for a in self.addresses]
        return own + list(self.records)


def _reverse(address: str) -> str:
    return ipaddress.ip_address(address).reverse_pointer


class _Addresses:
    """Hands out 127.77.0.10, .11, ... skipping the DNS server and the sentinels."""

    def __init__(self, first: str = "127.77.0.10"):
        self._next = ipaddress.IPv4Address(first)

    def __call__(self) -> str:
        while str(self._next) in (DNS_ADDRESS, *SENTINELS):
            self._next += 1
        address, self._next = str(self._next), self._next + 1
        return address


def _catalogue() -> tuple[Site, ...]:
    from .boulder import sites as boulder_sites  # it builds on Site

    ip = _Addresses()
    caa = lambda name, *values: tuple((name, "CAA", v) for v in values)  # noqa: E731
    return (
        # Access restrictions and other answers on the challenge path / the root.
        Site("open.test", (ip(),)),
        Site("basic-all.test", (ip(),), "basic-all"),
        # For tests that flip a site between nights (set_site), so no other test sees it change.
        Site("nightly-a.test", (ip(),), "basic-all"),
        Site("basic-except-challenge.test", (ip(),), "basic-except-challenge"),
        Site("basic-root.test", (ip(),), "basic-root"),
        # On Xserver, recognised by the reverse DNS of its address: a restriction on the root blocks.
        Site(
            "xserver-root.test", ((xs := ip()),), "basic-root", records=((_reverse(xs), "PTR", "sv12345.xserver.jp."),)
        ),
        Site("digest.test", (ip(),), "digest"),
        Site("noauth-header.test", (ip(),), "noauth-header"),
        Site("forbidden.test", (ip(),), "forbidden"),
        Site("forbidden-root.test", (ip(),), "forbidden-root"),
        Site("waf.test", (ip(),), "waf"),
        Site("servererror.test", (ip(),), "servererror"),
        Site("unexpected.test", (ip(),), "unexpected"),
        Site("catchall.test", (ip(),), "catchall"),
        Site("toomany.test", (ip(),), "toomany"),
        Site("testcookie.test", (ip(),), "testcookie"),
        Site("httpsport.test", (ip(),), "httpsport"),
        # Redirects.
        Site("redirect-https.test", (ip(),), "redirect-https"),
        Site("redirect-badport.test", (ip(),), "redirect-badport"),
        Site("redirect-303.test", (ip(),), "redirect-303"),
        Site("redirect-loop.test", (ip(),), "redirect-loop"),
        Site("redirect-11.test", (ip(),), "redirect-11"),
        Site("redirect-10.test", (ip(),), "redirect-10"),
        Site("redirect-scheme.test", (ip(),), "redirect-scheme"),
        Site("redirect-ip.test", (ip(),), "redirect-ip"),
        Site(
            "redirect-private.test",
            (ip(),),
            "redirect-private",
            records=(("inside.redirect-private.test", "A", "127.99.0.1"),),
        ),
        Site("redirect-other.test", (ip(),), "redirect-other"),
        Site("redirect-idn.test", (ip(),), "redirect-idn"),
        Site("hostile.test", (ip(),), "hostile"),  # answers whatever tests/test_hostile.py sets
        Site("xn--r8jz45g.test", (ip(),)),  # 例え.test
        # Reachability.
        Site("blackhole.test", (ip(),), None, listener=BLACKHOLE),
        Site("deadport.test", (ip(),), None, listener=NOTHING),
        Site("notls.test", (ip(),), https=False),
        Site("v6-ok.test", (ip(), IPV6_ADDRESS)),
        Site("v6-broken.test", (ip(), IPV6_ADDRESS), per_address=((IPV6_ADDRESS, "reset"),)),
        Site("disagree.test", (ip(), (second := ip())), per_address=((second, "basic-all"),)),
        # Certificates.
        Site("cert-expired.test", (ip(),), cert=CertSpec(("cert-expired.test",), days_left=-5)),
        Site("cert-expiring.test", (ip(),), cert=CertSpec(("cert-expiring.test",), days_left=5)),
        Site("cert-expiring-warn.test", (ip(),), cert=CertSpec(("cert-expiring-warn.test",), days_left=10)),
        Site("cert-overdue.test", (ip(),), cert=CertSpec(("cert-overdue.test",), days_left=25)),
        Site("cert-selfsigned.test", (ip(),), cert=CertSpec(("cert-selfsigned.test",), self_signed=True)),
        Site("cert-wrongname.test", (ip(),), cert=CertSpec(("other.test",))),
        Site("www.wild.test", (ip(),), cert=CertSpec(("*.wild.test",))),
        Site("cert-v2.test", (ip(),), cert=CertSpec(("cert-v2.test",), quirk="v2")),
        Site(
            "cert-nonascii.test",
            (ip(),),
            cert=CertSpec(("cert-nonascii.test", "zz.cert-nonascii.test"), quirk="non_ascii_san"),
        ),
        # A CNAME chain ending at open.test: served there, with its own certificate.
        Site(
            "www.cname.test",
            records=(
                ("www.cname.test", "CNAME", "alias.cname.test."),
                ("alias.cname.test", "CNAME", "open.test."),
            ),
        ),
        # DNS only. nothere.test is deliberately absent (NXDOMAIN).
        Site("servfail.test", behaviour=None, dns="servfail"),
        Site("dnstimeout.test", behaviour=None, dns="drop"),
        Site("noaddr.test", behaviour=None, records=(("noaddr.test", "TXT", '"no address here"'),)),
        Site("reserved.test", behaviour=None, records=(("reserved.test", "A", "10.0.0.1"),)),
        Site("metadata.test", behaviour=None, records=(("metadata.test", "A", "169.254.169.254"),)),
        # CAA.
        Site("caa-allow.test", (ip(),), records=caa("caa-allow.test", '0 issue "letsencrypt.org"')),
        Site("caa-forbid.test", (ip(),), records=caa("caa-forbid.test", '0 issue "pki.goog"')),
        Site("caa-parent.test", (ip(),), records=caa("caa-parent.test", '0 issue "sectigo.com"')),
        Site("sub.caa-parent.test", (ip(),)),
        Site(
            "caa-critical.test",
            (ip(),),
            records=caa("caa-critical.test", '0 issue "letsencrypt.org"', '128 tbs "unknown"'),
        ),
        Site(
            "caa-method.test",
            (ip(),),
            records=caa("caa-method.test", '0 issue "letsencrypt.org; validationmethods=dns-01"'),
        ),
        Site("caa-iodef.test", (ip(),), records=caa("caa-iodef.test", '0 iodef "mailto:a@b.test"')),
        # RFC 8657 accounturi: bound to one production account (and HTTP-01), or to an account
        # of the staging CA, which the production validator never matches (Boulder's accountURIPrefixes).
        Site(
            "caa-account.test",
            (ip(),),
            records=caa(
                "caa-account.test",
                '0 issue "letsencrypt.org; validationmethods=http-01; '
                'accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234"',
            ),
        ),
        Site(
            "caa-account-staging.test",
            (ip(),),
            records=caa(
                "caa-account-staging.test",
                '0 issue "letsencrypt.org; accounturi=https://acme-staging-v02.api.letsencrypt.org/acme/acct/1"',
            ),
        ),
        # The other lab TLD.
        Site("open.example", (ip(),)),
        # Renewal orders of several names: the certificate lists them all.
        Site("multi.test", (ip(),), cert=(multi := CertSpec(("multi.test", "www.multi.test")))),
        Site("www.multi.test", (ip(),), "basic-all", cert=multi),
        Site("badsan.test", (ip(),), cert=CertSpec(("badsan.test", "intranet.local"))),
        # The renewal's method. A wildcard means DNS-01: Basic auth on the site does not matter,
        # the delegated zone of _acme-challenge does (one of lame-dns.test's servers is dead).
        Site(
            "dns01-ok.test",
            (ip(),),
            "basic-all",
            cert=CertSpec(("dns01-ok.test", "*.dns01-ok.test")),
            records=(
                ("_acme-challenge.dns01-ok.test", "CNAME", "dns01-ok.acme-dns.test."),
                ("dns01-ok.acme-dns.test", "TXT", '"token-of-the-last-renewal"'),
                ("acme-dns.test", "NS", "ns1.dns-host.example."),
            ),
        ),
        Site(
            "dns01-lame.test",
            (ip(),),
            cert=CertSpec(("dns01-lame.test", "*.dns01-lame.test")),
            records=(
                ("_acme-challenge.dns01-lame.test", "CNAME", "dns01-lame.lame-dns.test."),
                ("dns01-lame.lame-dns.test", "TXT", '"x"'),
                ("lame-dns.test", "NS", "ns1.dns-host.example."),
                ("lame-dns.test", "NS", "ns-lame.dns-host.example."),
                ("ns-lame.dns-host.example", "A", LAME_DNS_ADDRESS),
            ),
        ),
        Site(
            "dns01-stale.test",
            (ip(),),
            records=tuple(("_acme-challenge.dns01-stale.test", "TXT", f'"stale-{i}"') for i in range(5)),
        ),
        # A shared host: many customers' sites on one address (the polite sweep's test).
        *_shared_host(ip()),
        # Open sites whose certificate a test replaces (`TestInternet.serve_certificate`): the CA schedule.
        *(Site(f"schedule-{n}.test", (ip(),)) for n in range(1, 11)),
        # Production-mode SSRF names (checked without lab mode).
        Site("loopback.example.com", behaviour=None, records=(("loopback.example.com", "A", "127.99.0.2"),)),
        Site("private.example.com", behaviour=None, records=(("private.example.com", "A", "10.1.2.3"),)),
        Site("metadata.example.com", behaviour=None, records=(("metadata.example.com", "A", "169.254.169.254"),)),
        Site("mapped.example.com", behaviour=None, records=(("mapped.example.com", "AAAA", "::ffff:127.99.0.2"),)),
        # Boulder's rules (tests/internet/boulder.py).
        *boulder_sites(ip),
    )


# The one deliberate exception to "an address of its own": a shared host.
SHARED_HOST = tuple(f"shared-{i}.test" for i in range(1, 7))


def _shared_host(address: str) -> tuple[Site, ...]:
    return tuple(Site(name, (address,)) for name in SHARED_HOST)


CATALOGUE: tuple[Site, ...] = _catalogue()

# The name servers the zones' NS records point at: this server.
INFRASTRUCTURE_RECORDS = tuple((ns.rstrip("."), "A", DNS_ADDRESS) for ns in NAMESERVERS)
