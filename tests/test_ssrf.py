"""Production mode never connects to reserved space, whatever DNS says.

Lab mode is off here: only the resolver points at the test internet. The
names resolve to sentinel listeners on loopback that count connections.
"""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def production_env(internet):
    env = {**os.environ, **internet.env()}
    env.pop("CERTCHECK_LAB_NETWORKS", None)
    env.pop("CERTCHECK_ALLOW_PRIVATE", None)
    return env


@pytest.mark.parametrize(
    "name,kind",
    [
        ("loopback.example.com", "loopback"),
        ("private.example.com", "private"),
        ("metadata.example.com", "cloud metadata"),
        ("mapped.example.com", "loopback"),
    ],
)
def test_reserved_answers_are_refused_without_connecting(name, kind, production_env, internet):
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", name, "--json", "--timeout", "3"],
        env=production_env, capture_output=True, text=True, timeout=60,
    )
    report = json.loads(done.stdout)
    assert done.returncode == 2 and report["renewable"] is False
    reserved = [f for f in report["findings"] if f["code"] == "reserved_address"]
    assert reserved and kind in reserved[0]["detail"]
    assert report["certificate"] is None and report["probes"] == []
    assert internet.connections_to("127.99.0.2") == 0
