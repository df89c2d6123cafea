"""The chain the server sent: complete, in order, current, and which hierarchy it is.

Browsers paper over a bad chain (they cache intermediates, fetch missing ones
through AIA, build around a stale cross-sign), so the site "works" for its
owner while API clients, curl, older phones and monitoring fail. These
checks read the DER chain `checks.tls` captured, exactly as sent.

Path building and verification are `cryptography.x509.verification`'s
(the Web PKI profile, RFC 5280 path validation); the order and
completeness checks follow RFC 8446 §4.4.2 / RFC 5246 §7.4.2: the sender's
certificate first, each following one certifying the one before it.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

import certifi
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from .clock import iso
from .model import Severity

SOON = timedelta(days=30)  # an intermediate on the only path expiring within this is worth a warning

# Let's Encrypt's CAs by common name (letsencrypt.org/certificates, 2026). Generation X:
# RSA intermediates under ISRG Root X1, ECDSA ones under ISRG Root X2 (cross-signed by X1).
# Generation Y: YR* under Root YR, YE* under Root YE (O = ISRG), each cross-signed by the X roots.
LE_ROOTS = {"ISRG Root X1": "X", "ISRG Root X2": "X", "Root YR": "Y", "Root YE": "Y"}
LE_INTERMEDIATES = {
    **{name: ("X", "active") for name in ("R12", "R13", "E7", "E8")},
    **{name: ("X", "backup") for name in ("R14", "E9")},
    **{name: ("X", "retired") for name in ("R10", "R11", "E5", "E6", "R3", "R4", "E1", "E2")},
    **{name: ("Y", "active") for name in ("YR1", "YR2", "YE1", "YE2")},
    **{name: ("Y", "backup") for name in ("YR3", "YE3")},
}


@dataclass(frozen=True)
class ChainFacts:
    """What was sent and what it verifies through: for the report's certificate section."""

    sent: tuple[str, ...]  # subjects, in the order sent (leaf first)
    path: tuple[str, ...]  # subjects of the verified path, leaf to trust anchor; () when none
    hierarchy: str | None  # e.g. "YR2 ← Root YR ← ISRG Root X1"; None when not Let's Encrypt's
    generation: str | None = None  # "X" or "Y" for Let's Encrypt

    @property
    def verifies(self) -> bool:
        return bool(self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": list(self.sent),
            "path": list(self.path),
            "hierarchy": self.hierarchy,
            "generation": self.generation,
        }


@dataclass(frozen=True)
class ChainIncomplete:
    """Proposed `cert_chain_incomplete` (warning): no path verifies and the issuer of the last
    certificate sent is neither sent nor a trust anchor. Browsers often cope (they fetch or
    cache it); API clients and older phones fail."""

    missing_issuer: str
    last_sent: str

    code = "cert_chain_incomplete"
    severity = Severity.WARNING

    def params(self) -> dict[str, Any]:
        return {"missing_issuer": self.missing_issuer, "last_sent": self.last_sent}


@dataclass(frozen=True)
class ChainOutOfOrder:
    """Proposed `cert_chain_order` (warning): the right certificates in the wrong order."""

    sent: tuple[str, ...]
    expected: tuple[str, ...]

    code = "cert_chain_order"
    severity = Severity.WARNING

    def params(self) -> dict[str, Any]:
        return {"sent": list(self.sent), "expected": list(self.expected)}


@dataclass(frozen=True)
class IntermediateExpired:
    """Proposed `cert_chain_expired_intermediate`: an expired CA certificate is sent. Critical
    when no valid path is left without it, else a warning (clients that take the chain as
    sent still fail)."""

    subject: str
    not_after: datetime
    still_verifies: bool

    code = "cert_chain_expired_intermediate"

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.still_verifies else Severity.CRITICAL

    def params(self) -> dict[str, Any]:
        return {"subject": self.subject, "not_after": iso(self.not_after)}


@dataclass(frozen=True)
class CrossSignExpiring:
    """Proposed `cert_chain_cross_sign_expiring` (warning): the chain verifies only through a
    CA certificate (typically a cross-sign) that expires within `SOON`, before the leaf does."""

    subject: str
    issuer: str
    not_after: datetime

    code = "cert_chain_cross_sign_expiring"
    severity = Severity.WARNING

    def params(self) -> dict[str, Any]:
        return {"subject": self.subject, "issuer": self.issuer, "not_after": iso(self.not_after)}


ChainObservation = ChainIncomplete | ChainOutOfOrder | IntermediateExpired | CrossSignExpiring


@functools.lru_cache(maxsize=8)
def trust_anchors(ca_file: str | None) -> tuple[x509.Certificate, ...]:
    """certifi's roots plus `ca_file` (the same extra anchors `--ca-file` gives the TLS check)."""
    paths = [certifi.where(), *([ca_file] if ca_file else [])]
    return tuple(cert for path in paths for cert in _load_pem_file(path))


def _load_pem_file(path: str) -> list[x509.Certificate]:
    # One by one: an old root that today's cryptography frowns on (a negative serial
    # in certifi's bundle) costs that root, not the whole store.
    with open(path, "rb") as bundle:
        blocks = bundle.read().split(b"-----END CERTIFICATE-----")
    anchors = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in blocks:
            if b"-----BEGIN CERTIFICATE-----" in block:
                try:
                    anchors.append(x509.load_pem_x509_certificate(block + b"-----END CERTIFICATE-----\n"))
                except ValueError:
                    continue
    return anchors


def examine(
    chain: Sequence[bytes], anchors: Sequence[x509.Certificate], now: datetime
) -> tuple[ChainFacts, tuple[ChainObservation, ...]] | None:
    """Facts and problems of a chain as sent (DER, leaf first); None when there is nothing to read."""
    try:
        certs = [x509.load_der_x509_certificate(der) for der in chain]
    except (ValueError, x509.InvalidVersion):
        return None
    if not certs:
        return None
    leaf, rest = certs[0], certs[1:]
    found: list[ChainObservation] = []
    linked = _linked(leaf, rest)
    if linked != certs[: len(linked)]:
        found.append(ChainOutOfOrder(_subjects(certs), _subjects(linked)))
    path = _verify(leaf, rest, anchors, now)
    top = linked[-1]
    # A path that verifies is complete, even when the top sent certificate points past
    # the anchors (a cross-sign by a root since removed from the stores).
    if not path and not _self_signed(top) and not any(_issued_by(top, a) for a in anchors):
        found.append(ChainIncomplete(top.issuer.rfc4514_string(), top.subject.rfc4514_string()))
    for cert in rest:
        if cert.not_valid_after_utc <= now:
            found.append(IntermediateExpired(cert.subject.rfc4514_string(), cert.not_valid_after_utc, bool(path)))
    for cert in path[1:-1]:
        expires = cert.not_valid_after_utc
        if expires - now <= SOON and expires < leaf.not_valid_after_utc:
            others = [c for c in rest if c != cert]
            if not _verify(leaf, others, anchors, now):
                found.append(CrossSignExpiring(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), expires))
    shown = path or linked
    hierarchy, generation = lets_encrypt_hierarchy(shown)
    return ChainFacts(_subjects(certs), _subjects(path), hierarchy, generation), tuple(found)


def lets_encrypt_hierarchy(path: Sequence[x509.Certificate]) -> tuple[str | None, str | None]:
    """("YR2 ← Root YR ← ISRG Root X1", "Y") for a Let's Encrypt path, else (None, None)."""
    if not path or "Let's Encrypt" not in _values(path[0].issuer, NameOID.ORGANIZATION_NAME):
        return None, None
    names = [_common_name(c.subject) for c in path[1:]]
    if not _self_signed(path[-1]):  # name what the top certificate points at
        names.append(_common_name(path[-1].issuer))
    names = list(dict.fromkeys(names))
    generation = LE_INTERMEDIATES.get(names[0], (None, None))[0] or LE_ROOTS.get(names[-1])
    return " ← ".join(names), generation


def _linked(leaf: x509.Certificate, rest: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """The leaf, then each sent certificate that issued the one before it, whatever order they came in."""
    linked, left = [leaf], list(rest)
    while True:
        issuer = next((c for c in left if _issued_by(linked[-1], c)), None)
        if issuer is None or _self_signed(linked[-1]):
            return linked
        linked.append(issuer)
        left.remove(issuer)


def _verify(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    now: datetime,
) -> list[x509.Certificate]:
    """The verified path (leaf to anchor), or [] when there is none."""
    name = _probe_name(leaf)
    if not anchors or name is None:
        return []
    try:
        # A name the verifier refuses (a SAN such as ":") raises here, not only in verify.
        verifier = PolicyBuilder().store(Store(list(anchors))).time(now).build_server_verifier(x509.DNSName(name))
        return list(verifier.verify(leaf, list(intermediates)))
    except (VerificationError, ValueError):
        return []


def _probe_name(leaf: x509.Certificate) -> str | None:
    # Whether the name matches is `cert_name_mismatch`'s business: verify for a name the leaf has.
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName
        )
    except x509.ExtensionNotFound:
        return None
    return names[0].replace("*", "wildcard", 1) if names else None


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # noqa: BLE001 - InvalidSignature, unsupported key types, ...: not its issuer
        return False
    return True


def _self_signed(cert: x509.Certificate) -> bool:
    return _issued_by(cert, cert)


def _subjects(certs: Sequence[x509.Certificate]) -> tuple[str, ...]:
    return tuple(c.subject.rfc4514_string() for c in certs)


def _values(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(a.value) for a in name.get_attributes_for_oid(oid)]


def _common_name(name: x509.Name) -> str:
    values = _values(name, NameOID.COMMON_NAME)
    return values[0] if values else name.rfc4514_string()
