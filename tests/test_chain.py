"""checks.chain, on chains read from real TLS servers through checks.tls."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from checks.chain import (
    ChainIncomplete,
    ChainOutOfOrder,
    CrossSignExpiring,
    IntermediateExpired,
    examine,
    lets_encrypt_hierarchy,
    trust_anchors,
)
from checks.model import Severity
from checks.tls import read_certificate
from tests.standins.hierarchy import CHAIN_ADDRESSES, ChainServer, TestHierarchy, write_chain

NAME = "chain.test"


@pytest.fixture(scope="module")
def hierarchy() -> TestHierarchy:
    return TestHierarchy()


@pytest.fixture
def serve(tmp_path, hierarchy):
    """serve(*chain) -> the DER chain checks.tls read from a TLS server sending `chain` after a fresh leaf."""
    servers: list[ChainServer] = []
    leaf, key = hierarchy.leaf((NAME,))
    roots = hierarchy.write_roots(tmp_path / "roots.pem", hierarchy.root)

    def start(*chain: x509.Certificate) -> tuple[bytes, ...]:
        pem = write_chain(tmp_path / f"chain{len(servers)}.pem", key, leaf, *chain)
        server = ChainServer(CHAIN_ADDRESSES[len(servers) % len(CHAIN_ADDRESSES)], pem).start()
        servers.append(server)
        result = asyncio.run(
            read_certificate(NAME, server.address, server.port, ca_file=str(roots), now=hierarchy.now, timeout=5.0)
        )
        assert result.certificate is not None, result.error
        sent = (leaf, *chain)
        assert result.chain == tuple(c.public_bytes(serialization.Encoding.DER) for c in sent)
        return result.chain

    yield start
    for server in servers:
        server.stop()


def kinds(found) -> list[tuple[str, Severity]]:
    return [(o.code, o.severity) for o in found]


def test_full_chain_is_clean_and_its_path_is_named(serve, hierarchy):
    chain = serve(hierarchy.intermediate)
    facts, found = examine(chain, [hierarchy.root], hierarchy.now)
    assert found == ()
    assert facts.verifies and len(facts.path) == 3 and "CN=Test Intermediate" in facts.sent[1]
    assert facts.hierarchy is None  # not Let's Encrypt's


def test_missing_intermediate(serve, hierarchy):
    chain = serve()
    facts, found = examine(chain, [hierarchy.root], hierarchy.now)
    assert kinds(found) == [("cert_chain_incomplete", Severity.WARNING)]
    (incomplete,) = found
    assert isinstance(incomplete, ChainIncomplete) and "Test Intermediate" in incomplete.missing_issuer
    assert not facts.verifies


def test_expired_intermediate(serve, hierarchy):
    chain = serve(hierarchy.stale_intermediate)
    _, found = examine(chain, [hierarchy.root], hierarchy.now)
    assert kinds(found) == [("cert_chain_expired_intermediate", Severity.CRITICAL)]
    assert isinstance(found[0], IntermediateExpired)
    # Sent beside the current one, the path survives: a warning for clients that take the chain as sent.
    chain = serve(hierarchy.stale_intermediate, hierarchy.intermediate)
    _, found = examine(chain, [hierarchy.root], hierarchy.now)
    assert kinds(found) == [("cert_chain_expired_intermediate", Severity.WARNING)]


def test_wrong_order(serve, hierarchy):
    chain = serve(hierarchy.cross_signed_root, hierarchy.intermediate)
    _, found = examine(chain, [hierarchy.root, hierarchy.old_root], hierarchy.now)
    (order,) = [o for o in found if isinstance(o, ChainOutOfOrder)]
    assert order.severity is Severity.WARNING
    assert [s.split("CN=")[1].split(",")[0] for s in order.expected] == [NAME, "Test Intermediate", "Test Root Y"]


def test_chain_that_verifies_only_through_an_expiring_cross_sign(serve, hierarchy):
    chain = serve(hierarchy.intermediate, hierarchy.cross_signed_root)
    # A client that trusts only the old root depends on the cross-sign, which expires in 10 days.
    facts, found = examine(chain, [hierarchy.old_root], hierarchy.now)
    assert facts.verifies and kinds(found) == [("cert_chain_cross_sign_expiring", Severity.WARNING)]
    assert isinstance(found[0], CrossSignExpiring) and "Test Root X" in found[0].issuer
    # One that trusts the new root does not; nor is the chain incomplete for one that
    # trusts only the new root, though the cross-sign on top points at the old one.
    _, found = examine(chain, [hierarchy.root, hierarchy.old_root], hierarchy.now)
    assert found == ()
    _, found = examine(chain, [hierarchy.root], hierarchy.now)
    assert found == ()


def test_nothing_to_read():
    now = dt.datetime.now(dt.timezone.utc)
    assert examine((), [], now) is None
    assert examine((b"not a certificate",), [], now) is None


def test_trust_anchors_include_the_extra_file(tmp_path, hierarchy):
    extra = hierarchy.write_roots(tmp_path / "extra.pem", hierarchy.root)
    assert hierarchy.root in trust_anchors(str(extra))
    assert hierarchy.root not in trust_anchors(None) and len(trust_anchors(None)) > 50


def _le_name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def test_lets_encrypt_hierarchy_names():
    """Certificates named like Let's Encrypt's (made here: only the names matter)."""
    now = dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())

    def cert(subject: x509.Name, issuer: x509.Name) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )

    yr2 = _le_name("YR2", "Let's Encrypt")
    root_yr = _le_name("Root YR", "ISRG")
    x1 = _le_name("ISRG Root X1", "Internet Security Research Group")
    leaf = cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")]), yr2)
    path = [leaf, cert(yr2, root_yr), cert(root_yr, x1)]
    assert lets_encrypt_hierarchy(path) == ("YR2 ← Root YR ← ISRG Root X1", "Y")
    r12 = _le_name("R12", "Let's Encrypt")
    leaf = cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")]), r12)
    assert lets_encrypt_hierarchy([leaf]) == ("R12", "X")
    assert lets_encrypt_hierarchy([leaf, cert(r12, x1)]) == ("R12 ← ISRG Root X1", "X")
    assert lets_encrypt_hierarchy([cert(_le_name("a.test", "x"), _le_name("GTS CA 1C3", "Google Trust Services"))]) == (
        None,
        None,
    )
