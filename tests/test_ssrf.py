"""Production mode never connects to reserved space, whatever DNS says.

Lab mode is off here: only the resolver points at the test internet. The
names resolve to sentinel listeners on loopback that count connections.
"""

import pytest

from checks import messages
from tests import cli
from tests.cli import certcheck, report_of


@pytest.fixture(scope="module")
def production_env(internet):
    env = cli.lab_env(internet)
    env.pop("CERTCHECK_LAB_NETWORKS", None)
    env.pop("CERTCHECK_ALLOW_PRIVATE", None)
    return env


@pytest.mark.parametrize(
    "name,kind",
    [
        ("loopback.example.com", "loopback"),
        ("private.example.com", "private"),
        ("metadata.example.com", "metadata"),
        ("mapped.example.com", "loopback"),
    ],
)
def test_reserved_answers_are_refused_without_connecting(name, kind, production_env, internet):
    done = certcheck("check", name, "--json", "--timeout", "3", env=production_env)
    report = report_of(done)
    assert done.returncode == 2 and report["renewable"] is False
    reserved = [f for f in report["findings"] if f["code"] == "reserved_address"]
    assert reserved and messages.phrase(f"kind:{kind}", "en") in reserved[0]["detail"]
    assert report["certificate"] is None and report["probes"] == []
    assert internet.connections_to("127.99.0.2") == 0
