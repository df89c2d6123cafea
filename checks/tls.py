"""The certificate served on the https port, read even when it does not verify."""

from __future__ import annotations

import _ssl
import asyncio
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from .der import as_v3, raw_dns_names
from .model import Certificate
from .transport import classify, trust_context, unverified_context


@dataclass(frozen=True)
class TlsResult:
    certificate: Certificate | None
    error: str | None = None  # a `checks.transport.Reason`
    chain: tuple[bytes, ...] = ()  # DER as the server sent it, leaf first (checks.chain reads it)


async def read_certificate(
    name: str, address: str, port: int, *, ca_file: str | None, now: datetime, timeout: float
) -> TlsResult:
    """Handshake with SNI `name` at `address`; one handshake when the chain verifies."""
    verify_error: str | None = None
    try:
        der, chain = await _handshake(name, address, port, trust_context(ca_file), timeout)
    except ssl.SSLCertVerificationError as exc:
        verify_error = exc.verify_message or str(exc)
        try:
            der, chain = await _handshake(name, address, port, unverified_context(), timeout)
        except (OSError, asyncio.TimeoutError) as retry_exc:
            return TlsResult(None, classify(retry_exc))
    except (OSError, asyncio.TimeoutError) as exc:
        return TlsResult(None, classify(exc))
    if der is None:
        return TlsResult(None, "tls")
    described = describe(der, name, now, trusted=verify_error is None, verify_error=verify_error, address=address)
    return TlsResult(described, chain=chain)


async def _handshake(
    name: str, address: str, port: int, context: ssl.SSLContext, timeout: float
) -> tuple[bytes | None, tuple[bytes, ...]]:
    """The peer's leaf and the chain it sent, after a client handshake driven through memory BIOs.

    Not `asyncio.open_connection(ssl=...)`: its transport allocates a 256 KiB
    read buffer per connection, which a sweep of hundreds of checks in flight
    (each waiting on a black hole's handshake) pays for in resident memory.
    """
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        async with asyncio.timeout(timeout):
            await loop.sock_connect(sock, (address, port))
            incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            tls = context.wrap_bio(incoming, outgoing, server_hostname=name)
            while True:
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    pass
                if pending := outgoing.read():
                    await loop.sock_sendall(sock, pending)
                data = await loop.sock_recv(sock, 16384)
                if not data:
                    raise ConnectionResetError("the server closed the connection during the handshake")
                incoming.write(data)
        return tls.getpeercert(binary_form=True), _sent_chain(tls)
    finally:
        sock.close()  # no close_notify dance: we are done with it


def _sent_chain(tls: ssl.SSLObject) -> tuple[bytes, ...]:
    """Every certificate the server sent, in its order; () where Python cannot tell.

    Python 3.13 has `SSLObject.get_unverified_chain()` (DER bytes); 3.10 to 3.12
    have it only on the private `_sslobj`, returning `_ssl.Certificate` objects.
    """
    getter = getattr(tls, "get_unverified_chain", None) or getattr(
        getattr(tls, "_sslobj", None), "get_unverified_chain", None
    )
    try:
        sent = getter() if getter is not None else None
        return tuple(c if isinstance(c, bytes) else c.public_bytes(_ssl.ENCODING_DER) for c in sent or ())
    except (AttributeError, TypeError, ValueError, ssl.SSLError):
        return ()


async def tls_reachable(name: str, address: str, port: int, timeout: float) -> str | None:
    """None when `address` completes a TLS 1.2+ handshake for `name` on `port`; else a `Reason`."""
    context = unverified_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        der, _ = await _handshake(name, address, port, context, timeout)
    except (OSError, asyncio.TimeoutError) as exc:
        return classify(exc)
    return None if der is not None else "tls"


def describe(
    der: bytes, name: str, now: datetime, *, trusted: bool, verify_error: str | None = None, address: str | None = None
) -> Certificate:
    """Facts about a DER leaf certificate, as the report states them."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except x509.InvalidVersion:
        v3 = as_v3(der)
        if v3 is None:
            raise
        cert = x509.load_der_x509_certificate(v3)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = tuple(str(n).lower() for n in san.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        sans = ()
    except ValueError:  # an extension cryptography will not parse, e.g. a non-ASCII byte in a SAN
        sans = raw_dns_names(der)
    not_after = cert.not_valid_after_utc
    return Certificate(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=not_after,
        sans=sans,
        trusted=trusted,
        matches_host=name_matches(name, sans),
        days_left=int((not_after - now).total_seconds() // 86400),
        verify_error=verify_error,
        address=address,
    )


def name_matches(name: str, sans: tuple[str, ...]) -> bool:
    """RFC 6125 matching: exact, or a wildcard standing for exactly one left-most label."""
    name = name.lower().rstrip(".")
    for pattern in sans:
        pattern = pattern.rstrip(".")
        if pattern == name:
            return True
        if pattern.startswith("*."):
            head, _, rest = name.partition(".")
            if head and rest == pattern[2:]:
                return True
    return False
