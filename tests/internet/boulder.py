"""Fixture sites for Boulder's rules: statuses, redirects, reserved addresses and IPv6 by phase.

Most sites join the main catalogue (`sites(ip)`). The IPv6 cases need `::1`
to behave differently from the main internet's `::1` (which must serve
`v6-ok.test`), and loopback has only one IPv6 address: so each IPv6
behaviour is a small test internet of its own (`V6_LABS`), whose `::1`
listeners refuse, stall, or serve port 80 but refuse 443.

Sites ported from Boulder's `va/http_test.go` say which test case they come from.
"""

from __future__ import annotations

from collections.abc import Callable

from .sites import BLACKHOLE, IPV6_ADDRESS, NOTHING, WEB, Site
from .web import CHALLENGE_PREFIX, ROOT_PAGE, Request, Response, _hops, _redirect, open_site

# Slower than Boulder's 10 s per connect, faster than its ~20 s per validation: the CA waits for it.
SLOW_ANSWER = 12.0
LONG_PATH = "/" + "a" * 2000  # 2001 bytes: one more than Boulder's maxPathSize
PATH_2000 = "/" + "a" * 1999


def _on_challenge(answer: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """`answer` on the challenge path; elsewhere an open site (404 for the hops' targets)."""
    return lambda r: answer(r) if r.path.startswith(CHALLENGE_PREFIX) else open_site(r)


def _to(location: Callable[[Request], str], status: int = 302) -> Callable[[Request], Response]:
    return _on_challenge(lambda r: _redirect(status, location(r)))


def _login(r: Request) -> Response:
    if r.path.startswith(CHALLENGE_PREFIX):
        return _redirect(302, "/login?next=" + r.path)
    if r.path == "/login":
        return Response(200, ROOT_PAGE.replace(b"It works", b"Please log in"), "text/html")
    return open_site(r)


def _self_loop(r: Request) -> Response:
    # va/http_test.go httpTestSrv "/loop": redirects to itself with the port named.
    if r.path.startswith(CHALLENGE_PREFIX) or r.path == "/loop":
        return _redirect(301, f"http://{r.host}:80/loop")
    return open_site(r)


BEHAVIOURS: dict[str, Callable[[Request], Response]] = {
    # Statuses for a random token: only 404 and 410 are healthy.
    "gone": _on_challenge(lambda r: Response(410, b"gone")),
    "no-content": _on_challenge(lambda r: Response(204)),
    "plain-200": _on_challenge(lambda r: Response(200, b"ok")),
    "bare-302": _on_challenge(lambda r: Response(302, b"moved, somewhere")),
    "json-catchall": _on_challenge(lambda r: Response(200, b'{"error": "no such route"}', "application/json")),
    "login-redirect": _login,
    "bad-request": _on_challenge(lambda r: Response(400, b"Bad Request")),
    "slow-challenge": _on_challenge(lambda r: Response(404, b"Not Found", delay=SLOW_ANSWER)),
    # Redirects.
    "redirect-12": _hops(12),
    "redirect-gopher": _to(lambda r: "gopher://letsencrypt.org", 301),
    "redirect-port-1987": _to(lambda r: f"https://{r.host}:1987", 301),
    "redirect-ip-port-80": _to(lambda r: f"http://{r.local_address}:80/ok"),
    "redirect-ip-port-9999": _to(lambda r: f"http://{r.local_address}:9999/ok"),
    "redirect-ip-https": _to(lambda r: f"https://{r.local_address}/ok"),
    "redirect-ipv6-literal": _to(lambda r: "http://[::1]/ok", 301),
    "redirect-ip-reserved": _to(lambda r: "http://10.10.10.10/"),
    "redirect-ipv6-reserved": _to(lambda r: "http://[3fff:aaa:aaaa:aaaa:abad:0ff1:cec0:ffee]/"),
    "redirect-zone": _to(lambda r: "http://[::1%25lo]/"),
    "redirect-empty-host": _to(lambda r: "https:///who/needs/a/hostname?not=me"),
    "redirect-well-known": _to(lambda r: f"https://{r.host}.well-known{r.path[len('/.well-known') :]}"),
    "redirect-non-iana": _to(lambda r: "https://my.tld.is.cpu/pretty/cool/right?yeah=Ithoughtsotoo"),
    "redirect-wildcard-ip": _to(lambda r: "https://10.10.10.*"),
    "redirect-trailing-dot": _to(lambda r: f"http://{r.host}.{r.path}"),
    "redirect-long-path": _to(lambda r: LONG_PATH, 301),
    "redirect-path-2000": _to(lambda r: PATH_2000, 301),
    "redirect-self-loop": _self_loop,
    "redirect-uppercase": _to(lambda r: f"http://{r.host.upper()}/ok", 301),
    "redirect-to-failing": _to(lambda r: "http://servererror.test" + CHALLENGE_PREFIX + "elsewhere"),
    "redirect-invalid-tld": _to(lambda r: "http://invalid.invalid/path"),
    "redirect-other-port-80": _to(lambda r: "http://open.test:80/path"),
    "redirect-https-443": _to(lambda r: f"https://{r.host}:443/hello.world"),
    "redirect-to-v4only": _to(lambda r: "http://v4only.test" + CHALLENGE_PREFIX + "elsewhere"),
}


def sites(ip: Callable[[], str]) -> tuple[Site, ...]:
    """The main catalogue's Boulder rows; `ip` hands out the next site address."""
    own = lambda name, behaviour, **kw: Site(name, (ip(),), behaviour, **kw)  # noqa: E731
    return (
        own("gone.test", "gone"),
        own("no-content.test", "no-content"),
        own("plain-200.test", "plain-200"),
        own("bare-302.test", "bare-302"),
        own("json-catchall.test", "json-catchall"),
        own("login-redirect.test", "login-redirect"),
        own("bad-request.test", "bad-request"),
        own("slow-challenge.test", "slow-challenge"),
        *(own(f"{name}.test", name) for name in BEHAVIOURS if name.startswith("redirect-")),
        own("v4only.test", "open"),
        # An A record the CA drops (private) beside one it uses.
        Site("reserved-mixed.test", (ip(),), records=(("reserved-mixed.test", "A", "10.0.0.1"),)),
        # An IPv4-mapped AAAA (public inside): Boulder never dials it (IANA's registry lists ::ffff:0:0/96).
        Site("mapped-public.test", (ip(),), records=(("mapped-public.test", "AAAA", "::ffff:8.8.8.8"),)),
    )


# IPv6 labs: what `::1` does on the http and https ports, and the sites that use it.
V6_LABS: dict[str, tuple[tuple[str, str], tuple[tuple[str, str | None, bool], ...]]] = {
    # (name, behaviour, has an A record as well)
    "refused": (
        (NOTHING, NOTHING),
        (
            ("v6-refused.test", "open", True),
            ("v6-refused-https.test", "redirect-https", True),
            ("v6only-refused.test", "open", False),
            ("v6-refused-other.test", "redirect-to-v4only", True),
            ("v4only.test", "open", None),  # no AAAA at all
        ),
    ),
    "stall": ((BLACKHOLE, BLACKHOLE), (("v6-stall.test", "open", True),)),
    "no443": (
        (WEB, NOTHING),
        (
            ("v6-no443.test", "redirect-https", True),
            ("v6-no443-plain.test", "open", True),
        ),
    ),
}


def v6_lab(kind: str) -> tuple[Site, ...]:
    """The catalogue of one IPv6 lab (a `TestInternet(..., sites=v6_lab(kind))`)."""
    listeners, rows = V6_LABS[kind]
    out = []
    for number, (name, behaviour, with_a) in enumerate(rows):
        v4 = (f"127.77.1.{10 + number}",)
        addresses = v4 if with_a is None else (*v4, IPV6_ADDRESS) if with_a else (IPV6_ADDRESS,)
        out.append(Site(name, addresses, behaviour, v6_listener=listeners))
    return tuple(out)
