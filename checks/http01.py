"""Requests made the way Let's Encrypt's validator makes them.

Each request goes to one vetted address with the name in `Host` (and SNI for
https), carries the validator's User-Agent, reads a capped body, and follows
redirects only as the CA does: 301/302/307/308, http(s), ports 80/443, public
names, at most 10 hops. A redirect to a new name is resolved through the
check's DNS cache and vetted by the SSRF guard before any connection.
"""

from __future__ import annotations

import ipaddress
import secrets
import ssl
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import httpx
import idna

from .classify import REDIRECT_STATUSES, HttpAnswer
from .dns import Lookup
from .guard import AddressGuard
from .names import InputError, normalise_domain
from .options import Options
from .transport import classify

MAX_REDIRECTS = 10
CHALLENGE_PREFIX = "/.well-known/acme-challenge/"


def random_token() -> str:
    """A token shaped like a real one (43 base64url characters), never served."""
    return secrets.token_urlsafe(32)[:43]


@dataclass(frozen=True)
class Fetch:
    """The end of one redirect chain: an answer, or why there is none."""

    url: str  # the first URL asked
    address: str  # the address the first request went to
    hops: tuple[str, ...] = ()  # redirect targets followed, in order
    answer: HttpAnswer | None = None
    final_url: str | None = None
    error: str | None = None  # transport failure: a `checks.transport.Reason`
    redirect_error: str | None = None  # why a redirect was refused (bad_redirect reason)
    redirect_target: str | None = None
    final_address: str | None = None


class Prober:
    """Follows request chains for one check."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        lookup: Lookup,
        guard: AddressGuard,
        options: Options,
        timeout: float,
    ) -> None:
        self._client = client
        self._lookup = lookup
        self._guard = guard
        self._options = options
        self._timeout = httpx.Timeout(timeout)

    async def fetch(self, url: str, address: str) -> Fetch:
        """GET `url` at `address`, following redirects as the CA would."""
        current_url, current_address = url, address
        hops: list[str] = []
        seen = {url}
        while True:
            answer, error = await self._request(current_url, current_address)
            base = Fetch(url=url, address=address, hops=tuple(hops), final_url=current_url, final_address=current_address)
            if error == _UNREADABLE_LOCATION:
                return replace(base, redirect_error="invalid")
            if error is not None:
                return replace(base, error=error)
            assert answer is not None
            location = answer.headers.get("location")
            if answer.status == 303 and location:
                return replace(base, answer=answer, redirect_error="status303", redirect_target=location)
            if answer.status not in REDIRECT_STATUSES or not location:
                return replace(base, answer=answer)
            target = _join(current_url, location)
            if target is None:
                return replace(base, answer=answer, redirect_error="invalid", redirect_target=location[:200])
            if len(hops) >= MAX_REDIRECTS:
                return replace(base, answer=answer, redirect_error="too_many", redirect_target=target)
            if target in seen:
                return replace(base, answer=answer, redirect_error="loop", redirect_target=target)
            problem, next_address = await self._vet_redirect(target, current_url, current_address)
            if problem is not None:
                return replace(base, answer=answer, redirect_error=problem, redirect_target=target)
            assert next_address is not None
            hops.append(target)
            seen.add(target)
            current_url, current_address = target, next_address

    async def _vet_redirect(self, target: str, current_url: str, current_address: str) -> tuple[str | None, str | None]:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            return "scheme", None
        try:
            port = parts.port
        except ValueError:
            return "invalid", None
        if port is not None and port not in self._allowed_ports():
            return "port", None
        host = (parts.hostname or "").rstrip(".")
        if _is_ip_literal(host):
            return "ip_literal", None
        try:
            name = normalise_domain(host, lab=self._options.lab_mode)
        except InputError:
            return "host", None
        if name == (urlsplit(current_url).hostname or "").rstrip("."):
            # Same name: stay on the address this chain is testing.
            return None, current_address
        a, aaaa = await self._lookup.addresses(name)
        candidates = list(aaaa.records) + list(a.records)  # the CA prefers IPv6
        if not candidates:
            return "dns", None
        allowed = [address for address in candidates if self._guard.allows(address)]
        if not allowed:
            return "private", None
        return None, allowed[0]

    def _allowed_ports(self) -> set[int]:
        # "80" and "443" mean the overridden ports in a lab.
        return {80, 443, self._options.http_port, self._options.https_port}

    def _connect_port(self, scheme: str, port: int | None) -> int:
        if port is None:
            return self._options.http_port if scheme == "http" else self._options.https_port
        return {80: self._options.http_port, 443: self._options.https_port}.get(port, port)

    async def _request(self, url: str, address: str) -> tuple[HttpAnswer | None, str | None]:
        if not self._guard.allows(address):  # the last line of defence
            return None, "refused"
        parts = urlsplit(url)
        # An IDN redirect target is asked for by its A-label, as Go's HTTP client
        # (Boulder's) sends it; the vetting before this accepted the name.
        host = _a_label((parts.hostname or "").rstrip("."))
        port = self._connect_port(parts.scheme, parts.port)
        literal = f"[{address}]" if ":" in address else address
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {
            "Host": host,
            "User-Agent": self._options.user_agent,
            "Accept": "*/*",
            "Accept-Encoding": "identity",
        }
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        limit = self._options.body_limit
        try:
            request = self._client.build_request(
                "GET",
                f"{parts.scheme}://{literal}:{port}{path}",
                headers=headers,
                extensions={**extensions, "timeout": self._timeout.as_dict()},
            )
            response = await self._client.send(request, stream=True)
            try:
                body = bytearray()
                async for chunk in response.aiter_raw():
                    body += chunk
                    if len(body) >= limit:
                        break
            finally:
                await response.aclose()
        except httpx.InvalidURL:
            # httpx reads a redirect's Location as it receives the answer, and raises
            # on one it cannot parse (`Location: A:0`): a redirect the CA refuses too.
            return None, _UNREADABLE_LOCATION
        except (httpx.TransportError, OSError, ssl.SSLError) as exc:
            return None, classify(exc)
        return (
            HttpAnswer(
                status=response.status_code,
                headers={k.lower(): v for k, v in response.headers.items()},
                body=bytes(body[:limit]),
                www_authenticate=tuple(response.headers.get_list("www-authenticate")),
            ),
            None,
        )


_UNREADABLE_LOCATION = "unreadable_location"


def _join(current: str, location: str) -> str | None:
    location = location.strip()
    if not location or any(c in location for c in "\r\n\x00"):
        return None
    try:
        target = urljoin(current, location)
        parts = urlsplit(target)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return parts._replace(fragment="").geturl()


def _a_label(host: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return host.encode("ascii", "backslashreplace").decode("ascii")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
