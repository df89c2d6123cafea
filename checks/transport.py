"""One place that builds SSL contexts and HTTP clients, and names transport failures.

httpx's `create_ssl_context` is the model: every context and client the
checks use is made here, so "who verifies what" is read in one file. A
failed connection is named by one `Reason`, whichever library raised it, so
the dry run and the certificate check say "reset" for the same thing.
"""

from __future__ import annotations

import asyncio
import enum
import errno
import ssl
from functools import lru_cache

import httpx


class Reason(enum.StrEnum):
    """Why a connection gave no answer (the `reason` parameter of transport findings)."""

    REFUSED = "refused"
    RESET = "reset"
    TIMEOUT = "timeout"
    TLS = "tls"
    PROTOCOL = "protocol"
    OTHER = "other"


# Failures that often pass on their own: a nightly sweep retries them once.
PASSING = frozenset({Reason.TIMEOUT, Reason.RESET})


def classify(exc: BaseException) -> Reason:
    """The reason for a failed connection, from the exception and its causes."""
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, httpx.TimeoutException)):
        return Reason.TIMEOUT
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return Reason.REFUSED
        if isinstance(current, ConnectionResetError | BrokenPipeError):
            return Reason.RESET
        if isinstance(current, ssl.SSLError):
            return Reason.TLS
        if isinstance(current, OSError) and current.errno in (errno.ECONNREFUSED,):
            return Reason.REFUSED
        if isinstance(current, OSError) and current.errno in (errno.ECONNRESET, errno.EPIPE):
            return Reason.RESET
        current = current.__cause__ or current.__context__
    text = str(exc).lower()
    if "refused" in text:
        return Reason.REFUSED
    if "reset" in text:
        return Reason.RESET
    if isinstance(exc, httpx.RemoteProtocolError):
        # The server closed without an answer: to the CA, the same as a reset.
        return Reason.RESET if "disconnected" in text or "without sending" in text else Reason.PROTOCOL
    if "ssl" in text or "tls" in text:
        return Reason.TLS
    return Reason.OTHER


@lru_cache(maxsize=8)
def trust_context(ca_file: str | None) -> ssl.SSLContext:
    """System trust store plus `ca_file`; hostnames are matched by us, not here.

    Built once per process: loading the system store costs more than a
    loopback handshake.
    """
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


@lru_cache(maxsize=1)
def unverified_context() -> ssl.SSLContext:
    """No verification at all: for reading a certificate that may not verify, as the validator does."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def probe_client(timeout: float) -> httpx.AsyncClient:
    """The HTTP client for the dry run.

    No keep-alive: each request gets a fresh connection as the CA's do, and a
    TLS connection opened with one SNI is never reused for another name.
    Certificates are not verified here; the validator ignores them on https
    redirects, and trust is reported by the certificate check.
    """
    return httpx.AsyncClient(
        verify=unverified_context(),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=0),
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )


USER_AGENT = "certcheck (certificate renewal checks)"


def api_client(ca_file: str | None, timeout: float) -> httpx.AsyncClient:
    """The HTTP client for an API we trust (an ACME CA, ARI, CT search): verified TLS,
    system store plus `ca_file`, our User-Agent (RFC 8555 §6.1 asks clients to send one)."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return httpx.AsyncClient(
        verify=context,
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
    )
