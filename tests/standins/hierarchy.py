"""A test CA hierarchy shaped like Let's Encrypt's, and TLS servers that send its chains.

    Test Root Y  --signs-->  Test Intermediate  --signs-->  leaf
    Test Root X  --cross-signs-->  Test Root Y (that certificate expires in 10 days)
    Test Root Y  --signed-->  an older certificate of Test Intermediate (same key, expired)

Every certificate follows the profile `cryptography.x509.verification` (and
the Web PKI) expects: CA certificates with critical basicConstraints and
keyUsage, subject and authority key identifiers; leaves with a SAN and the
serverAuth EKU. `ChainServer` serves one PEM file (key, leaf, then whatever
chain) on a loopback address, and is stopped by its own handle.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import socket
import ssl
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.internet.ca import ca_key_usage, leaf_key_usage

ORGANISATION = "certcheck test hierarchy"
CHAIN_ADDRESSES = ("127.77.3.1", "127.77.3.2", "127.77.3.3", "127.77.3.4")
STOP_TIMEOUT = 5.0

Key = ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def ca_certificate(
    subject: str, key: Key, issuer: tuple[x509.Name, Key] | None, not_before: dt.datetime, not_after: dt.datetime
) -> x509.Certificate:
    """A CA certificate for `key`: self-signed when `issuer` is None, else signed by it."""
    issuer_name, issuer_key = issuer if issuer else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


class TestHierarchy:
    __test__ = False  # a fixture, not a test class

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or dt.datetime.now(dt.timezone.utc)
        year = dt.timedelta(days=365)
        self.old_root_key, self.root_key = (
            ec.generate_private_key(ec.SECP256R1()),
            ec.generate_private_key(ec.SECP256R1()),
        )
        self.old_root = ca_certificate("Test Root X", self.old_root_key, None, self.now - 5 * year, self.now + 5 * year)
        self.root = ca_certificate("Test Root Y", self.root_key, None, self.now - year, self.now + 10 * year)
        # The new root's key, vouched for by the old root: valid for ten more days.
        self.cross_signed_root = ca_certificate(
            "Test Root Y",
            self.root_key,
            (self.old_root.subject, self.old_root_key),
            self.now - year,
            self.now + dt.timedelta(days=10),
        )
        self.intermediate_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate = ca_certificate(
            "Test Intermediate",
            self.intermediate_key,
            (self.root.subject, self.root_key),
            self.now - year,
            self.now + 2 * year,
        )
        # What a server that never updated its chain file still sends.
        self.stale_intermediate = ca_certificate(
            "Test Intermediate",
            self.intermediate_key,
            (self.root.subject, self.root_key),
            self.now - 2 * year,
            self.now - dt.timedelta(days=3),
        )

    def leaf(
        self,
        names: tuple[str, ...],
        *,
        not_before: dt.datetime | None = None,
        lifetime: dt.timedelta = dt.timedelta(days=90),
    ) -> tuple[x509.Certificate, Key]:
        """A server certificate for `names`, issued by the intermediate."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = not_before or self.now - dt.timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.intermediate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + lifetime - dt.timedelta(seconds=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(leaf_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.intermediate_key.public_key()), critical=False
            )
            .sign(self.intermediate_key, hashes.SHA256())
        )
        return cert, key

    def write_roots(self, path: pathlib.Path, *roots: x509.Certificate) -> pathlib.Path:
        path.write_bytes(b"".join(r.public_bytes(serialization.Encoding.PEM) for r in roots))
        return path


def write_chain(path: pathlib.Path, key: Key, *certs: x509.Certificate) -> pathlib.Path:
    """Key, then the certificates in the order the server is to send them (`load_cert_chain`'s form)."""
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(key_pem + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


class ChainServer:
    """A TLS server on `address` that completes handshakes with one chain, then closes."""

    def __init__(self, address: str, pem: pathlib.Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(pem)
        self._listener = socket.create_server((address, 0))
        self._listener.settimeout(None)
        self.address, self.port = address, self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"chain-server-{address}", daemon=True)

    def start(self) -> "ChainServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        # Wake the accept() with a connection of our own, then close the listener.
        try:
            socket.create_connection((self.address, self.port), timeout=STOP_TIMEOUT).close()
        except OSError:
            pass
        self._thread.join(timeout=STOP_TIMEOUT)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                if self._stopping.is_set():
                    return
                conn.settimeout(STOP_TIMEOUT)
                try:
                    with self.context.wrap_socket(conn, server_side=True):
                        pass  # the handshake is all a certificate reader needs
                except (ssl.SSLError, OSError):
                    pass  # a client that hung up mid-handshake
