"""Fixtures for the CA's schedule through real parts: the test hierarchy's certificates served by
fixture sites of the test internet (`schedule-N.test`), the ARI and CT stand-ins, and a trust
store that holds the hierarchy's root beside the test internet's."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from cryptography import x509

from tests.standins.ari import AriStandIn
from tests.standins.ct import CtStandIn
from tests.standins.hierarchy import ORGANISATION, TestHierarchy, write_chain

DAY = dt.timedelta(days=1)
_files = count()


@pytest.fixture(scope="module")
def hierarchy():
    return TestHierarchy()


@pytest.fixture(scope="module")
def ca():
    with AriStandIn() as server:
        yield server


@pytest.fixture(scope="module")
def ct():
    with CtStandIn() as server:
        yield server


@pytest.fixture(scope="module")
def anchors(internet, hierarchy, tmp_path_factory) -> str:
    """A CA file trusting the test internet's root and the hierarchy's."""
    path = tmp_path_factory.mktemp("anchors") / "anchors.pem"
    with open(internet.ca_file, "rb") as own:
        hierarchy.write_roots(path, hierarchy.root)
        path.write_bytes(own.read() + path.read_bytes())
    return str(path)


def schedule_env(anchors: str, ca: AriStandIn, ct: CtStandIn) -> dict[str, str]:
    """CERTCHECK_* variables that turn ARI and CT on, at the stand-ins, for the hierarchy's certificates."""
    return {
        "CERTCHECK_CA_FILE": anchors,
        "CERTCHECK_ARI": "1",
        "CERTCHECK_ARI_DIRECTORY": ca.directory_url,
        "CERTCHECK_ARI_ISSUERS": ORGANISATION,
        "CERTCHECK_CT": "1",
        "CERTCHECK_CRTSH_URL": ct.crtsh_url,
        "CERTCHECK_CERTSPOTTER_URL": ct.certspotter_url,
    }


@pytest.fixture
def serve(internet, hierarchy, tmp_path):
    """serve(name, leaf, key, intermediate=True): the site sends that chain; its own again afterwards."""
    served: list[str] = []

    def serve(name: str, leaf: x509.Certificate, key, *, intermediate: bool = True) -> None:
        chain = (leaf, hierarchy.intermediate) if intermediate else (leaf,)
        internet.serve_certificate(name, write_chain(tmp_path / f"chain-{next(_files)}.pem", key, *chain))
        served.append(name)

    yield serve
    for name in served:
        internet.serve_certificate(name, None)


def issued(hierarchy: TestHierarchy, name: str, days_ago: float, lifetime: float = 90):
    """A leaf for `name` issued `days_ago` days before the hierarchy's now."""
    return hierarchy.leaf((name,), not_before=hierarchy.now - days_ago * DAY, lifetime=lifetime * DAY)


def renewed_not_deployed(hierarchy: TestHierarchy, ct: CtStandIn, serve, name: str):
    """`name` serves a 30-day-old certificate while CT logs a 3-day-old one: the renewal was not deployed.
    Returns the newer certificate and its key, to serve once the test has seen the finding."""
    old, key = issued(hierarchy, name, 30)
    new, new_key = issued(hierarchy, name, 3)
    ct.log(old)
    ct.log(new)
    serve(name, old, key)
    return new, new_key
