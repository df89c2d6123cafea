"""Requests made the way Let's Encrypt's validator, Boulder, makes them.

Each request goes to one vetted address with the name in `Host` (and SNI for
https), carries the validator's User-Agent, reads a capped body, and follows
redirects only as Boulder's `processRedirect` does (`checks.redirects`). Every
redirect hop resolves its host again and connects to its first AAAA, else its
first A, with no fallback (`newHTTPValidationTarget`); only the first URL
falls back from IPv6 to IPv4, and only when the connection could not be made
(`processHTTPValidation` with `fallbackErr`). Connections get at most 10 s
(the VA's `singleDialTimeout`) within the check's deadline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import ssl
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import httpx
import idna

from . import redirects
from .classify import HttpAnswer
from .dns import Lookup
from .guard import AddressGuard
from .options import Options
from .transport import Reason, classify

CHALLENGE_PREFIX = "/.well-known/acme-challenge/"
# va/va.go `singleDialTimeout`; `httpTransport`'s TLSHandshakeTimeout is the same 10 s.
CONNECT_TIMEOUT = 10.0
# Phases of a transport failure: only a failure to connect lets Boulder fall back (`fallbackErr`).
DIAL = "dial"
CONNECTED = "connected"
_CONNECTED_EVENT = "connection.connect_tcp.complete"


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
    phase: str | None = None  # for a transport failure: DIAL (no connection) or CONNECTED
    fallback_from: str | None = None  # the validation: the IPv6 address it left after a dial failure
    first_attempt: "Fetch | None" = None  # the validation: the chain on that address


@dataclass
class _Trail:
    """What one validation has seen (Boulder's `records` and `numRedirects`), kept across its fallback."""

    seen: set[str]
    redirects: int = 0


class Prober:
    """Follows request chains for one check, all done by `deadline` (the event loop's clock)."""

    def __init__(
        self, client: httpx.AsyncClient, lookup: Lookup, guard: AddressGuard, options: Options, deadline: float
    ) -> None:
        self._client = client
        self._lookup = lookup
        self._guard = guard
        self._options = options
        self._deadline = deadline

    async def fetch(self, url: str, address: str) -> Fetch:
        """GET `url` at `address`, following redirects as the CA would: what this address shows."""
        return await self._chain(url, address, _Trail({url}))

    async def validate(self, url: str, seen_at: dict[str, Fetch] | None = None) -> Fetch | None:
        """The chain the CA itself would follow for `url`; None when its host has no usable address.

        Boulder's `newHTTPValidationTarget` lines up the first AAAA and the
        first A; `processHTTPValidation` tries the first and, when the request
        ends in a dial error (anywhere in the chain), asks the first URL again
        at the A, keeping the records it has, so a redirect seen before now
        counts as a loop. `seen_at` holds chains already followed from an
        address (`fetch`), which are the same requests and are not made twice.
        """
        host = urlsplit(url).hostname or ""
        v6, v4 = await self._first_addresses(host)
        first = v6 or v4
        if first is None:
            return None
        chain = (seen_at or {}).get(first) or await self.fetch(url, first)
        if chain.error is not None and chain.phase == DIAL and first == v6 and v4 is not None:
            trail = _Trail({url, *chain.hops}, redirects=len(chain.hops))
            retry = await self._chain(url, v4, trail)
            return replace(retry, fallback_from=first, first_attempt=chain)
        return chain

    async def _chain(self, url: str, address: str, trail: _Trail) -> Fetch:
        current_url, current_address = url, address
        hops: list[str] = []
        while True:
            answer, error, phase = await self._request(current_url, current_address)
            base = Fetch(
                url=url, address=address, hops=tuple(hops), final_url=current_url, final_address=current_address
            )
            if error == _UNREADABLE_LOCATION:
                return replace(base, redirect_error="invalid")
            if error is not None:
                return replace(base, error=error, phase=phase)
            assert answer is not None
            location = answer.headers.get("location")
            # Go's client returns a 3xx without Location as the answer (Boulder: "Invalid response").
            if answer.status not in redirects.FOLLOWED_BY_GO or not location:
                return replace(base, answer=answer)
            target = redirects.join(current_url, location)
            if target is None:
                return replace(base, answer=answer, redirect_error="invalid", redirect_target=location[:200])
            problem, next_address = await self._follow(target, answer.status, trail)
            if problem is not None:
                return replace(base, answer=answer, redirect_error=problem, redirect_target=target)
            assert next_address is not None
            hops.append(target)
            current_url, current_address = target, next_address

    async def _follow(self, target: str, status: int, trail: _Trail) -> tuple[str | None, str | None]:
        """Boulder's `processRedirect`: (why it refuses, None) or (None, the address of the next hop)."""
        problem, found = redirects.vet(
            target,
            redirects_so_far=trail.redirects,
            status=status,
            allowed_ports=self._allowed_ports(),
            lab=self._options.lab_mode,
            reserved=self._guard.ca_refusal,
        )
        trail.redirects += 1
        if problem is not None:
            return problem, None
        assert found is not None
        if target in trail.seen:
            return "loop", None
        if found.ip_literal:
            trail.seen.add(target)
            return None, found.host
        v6, v4 = await self._first_addresses(found.host)
        if v6 is None and v4 is None:
            a, aaaa = await self._lookup.addresses(found.host)
            return ("private" if a.records or aaaa.records else "dns"), None
        trail.seen.add(target)
        return None, v6 or v4  # a hop never falls back: its first AAAA, else its first A

    async def _first_addresses(self, host: str) -> tuple[str | None, str | None]:
        """The first usable AAAA and A of `host`, in the order DNS gave them (`va/dns.go` `getAddrs`)."""
        a, aaaa = await self._lookup.addresses(host)
        v6 = next((x for x in aaaa.records if self._guard.ca_refusal(x) is None), None)
        v4 = next((x for x in a.records if self._guard.ca_refusal(x) is None), None)
        return v6, v4

    def _allowed_ports(self) -> set[int]:
        # "80" and "443" mean the overridden ports in a lab.
        return {80, 443, self._options.http_port, self._options.https_port}

    def _connect_port(self, scheme: str, port: int | None) -> int:
        if port is None:
            return self._options.http_port if scheme == "http" else self._options.https_port
        return {80: self._options.http_port, 443: self._options.https_port}.get(port, port)

    def _timeout(self) -> httpx.Timeout | None:
        remaining = self._deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return None
        return httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining))

    async def _request(self, url: str, address: str) -> tuple[HttpAnswer | None, str | None, str | None]:
        """(answer, None, None) or (None, a `Reason`, the phase it failed in)."""
        if not self._guard.allows(address):  # the last line of defence
            return None, Reason.REFUSED, DIAL
        timeout = self._timeout()
        if timeout is None:
            return None, Reason.TIMEOUT, None
        parts = urlsplit(url)
        # An IDN redirect target is asked for by its A-label, as Go's HTTP client
        # (Boulder's) sends it; the vetting before this accepted the name.
        host = _a_label(parts.hostname or "")
        port = self._connect_port(parts.scheme, parts.port)
        literal = f"[{address}]" if ":" in address else address
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {
            "Host": f"[{host}]" if ":" in host else host,
            "User-Agent": self._options.user_agent,
            "Accept": "*/*",
            "Accept-Encoding": "identity",
        }
        events: list[str] = []

        async def trace(event: str, info: dict[str, Any]) -> None:
            events.append(event)

        extensions: dict[str, Any] = {"timeout": timeout.as_dict(), "trace": trace}
        if parts.scheme == "https" and not _is_ip(host):  # Go sends no SNI for an IP literal
            extensions["sni_hostname"] = host
        limit = self._options.body_limit
        try:
            request = self._client.build_request(
                "GET", f"{parts.scheme}://{literal}:{port}{path}", headers=headers, extensions=extensions
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
            return None, _UNREADABLE_LOCATION, CONNECTED
        except (httpx.TransportError, OSError, ssl.SSLError) as exc:
            return None, classify(exc), CONNECTED if _CONNECTED_EVENT in events else DIAL
        return (
            HttpAnswer(
                status=response.status_code,
                headers={k.lower(): v for k, v in response.headers.items()},
                body=bytes(body[:limit]),
                www_authenticate=tuple(response.headers.get_list("www-authenticate")),
            ),
            None,
            None,
        )


_UNREADABLE_LOCATION = "unreadable_location"


def _a_label(host: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return host.encode("ascii", "backslashreplace").decode("ascii")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
