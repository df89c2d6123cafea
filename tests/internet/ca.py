"""A throw-away certificate authority and the site certificates it signs.

Validity is given relative to now (days left, lifetime), so the catalogue
describes the situations the checker must recognise ("expired five days
ago", "25 days left of 90") rather than dates that go stale.
"""

from __future__ import annotations

import base64
import datetime as dt
import pathlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class CertSpec:
    """What a site's certificate looks like."""

    names: tuple[str, ...]  # subjectAltName DNS names; the first is also the CN
    days_left: float = 60.0  # negative: expired that many days ago
    lifetime_days: float = 90.0
    self_signed: bool = False
    # A shape cryptography will not build, patched into the signed DER (so the
    # signature no longer verifies): "v2" (X.509 version 2), or "non_ascii_san"
    # (the byte 0xe9 for the first "zz" of a SAN).
    quirk: str | None = None


class CertificateAuthority:
    """An EC P-256 root that signs leaf certificates directly (no intermediate)."""

    def __init__(self, common_name: str = "certcheck Test Root CA", *, now: dt.datetime | None = None):
        now = now or dt.datetime.now(dt.timezone.utc)
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certcheck test internet"),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        public = self._key.public_key()
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                ca_key_usage(),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self._key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(
        self, spec: CertSpec, *, now: dt.datetime | None = None
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        """A leaf certificate for `spec`, signed by this CA unless it is self-signed."""
        now = now or dt.datetime.now(dt.timezone.utc)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, spec.names[0])])
        if spec.self_signed:
            issuer_name, signing_key, issuer_public = subject, key, key.public_key()
        else:
            issuer_name, signing_key, issuer_public = self.name, self._key, self._key.public_key()
        not_after = now + dt.timedelta(days=spec.days_left)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_after - dt.timedelta(days=spec.lifetime_days))
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in spec.names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(leaf_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
        )
        return builder.sign(signing_key, hashes.SHA256()), key

    def write_leaf(self, spec: CertSpec, path: pathlib.Path, *, now: dt.datetime | None = None) -> pathlib.Path:
        """Write key and certificate into one PEM file, the form `load_cert_chain` takes."""
        cert, key = self.issue(spec, now=now)
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        if spec.quirk is not None:
            cert_pem = _pem(_patched(cert.public_bytes(serialization.Encoding.DER), spec.quirk))
        path.write_bytes(key_pem + cert_pem)
        return path


def _patched(der: bytes, quirk: str) -> bytes:
    if quirk == "v2":
        patched = der.replace(bytes.fromhex("a003020102"), bytes.fromhex("a003020101"), 1)
    elif quirk == "non_ascii_san":
        patched = der.replace(b"zz", b"\xe9z", 1)
    else:
        raise ValueError(f"unknown certificate quirk {quirk!r}")
    assert patched != der, quirk
    return patched


def _pem(der: bytes) -> bytes:
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def leaf_key_usage() -> x509.KeyUsage:
    """What a test server's certificate may do: sign its handshakes, nothing else."""
    return _key_usage(signs_certificates=False)


def ca_key_usage() -> x509.KeyUsage:
    """What a test CA's certificate may do: sign certificates and CRLs (and its own handshakes)."""
    return _key_usage(signs_certificates=True)


def _key_usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signs_certificates,
        crl_sign=signs_certificates,
        encipher_only=False,
        decipher_only=False,
    )
