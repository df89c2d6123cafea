"""The CA probe against a real ACME server: Pebble, validating the test internet's sites.

Every probe goes through `certcheck check --ca-probe --json`, as a user runs
it, with CERTCHECK_ACME_DIRECTORY pointed at the local Pebble (never the
real Let's Encrypt). What Pebble did is read from its own log: how many
orders and accounts it was asked for.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import subprocess

import pytest

from checks import Options
from checks.acme import FileAcmeState
from checks.acme.client import AcmeClient, key_from_pem
from checks.messages.findings import CATALOGUE
from checks.transport import api_client
from tests import cli
from tests.cli import report_of
from tests.pebble import NEW_ACCOUNT_PATH, NEW_ORDER_PATH, Pebble


def certcheck(
    internet, pebble, state_dir: pathlib.Path, domain: str, *args: str, **env: str
) -> subprocess.CompletedProcess:
    """`certcheck check DOMAIN --ca-probe` against the test internet and Pebble, with its own state."""
    environment = cli.lab_env(
        internet, **{**pebble.env(), "CERTCHECK_STATE_DIR": str(state_dir), "CERTCHECK_TIMEOUT": "5", **env}
    )
    return cli.certcheck("check", domain, "--ca-probe", *args, env=environment)


def ca_findings(report: dict) -> dict[str, dict]:
    return {f["code"]: f for f in report["findings"] if f.get("source") == "ca"}


def local_codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"] if f.get("source", "local") == "local"}


# --- what the CA saw, scenario by scenario ----------------------------------------------

SCENARIOS = [
    # domain, CA-sourced code, its severity, words of the CA's detail kept, exit status
    ("open.test", "ca_reachable", "info", "returned 404", 0),
    ("basic-all.test", "access_restricted", "critical", "returned 401", 2),
    ("forbidden.test", "access_forbidden", "critical", "returned 403", 2),
    ("deadport.test", "http_unreachable", "critical", "connection refused", 2),
    # Pebble reports a name it cannot resolve as "could not resolve"; Let's Encrypt
    # says NXDOMAIN, which gives dns_nxdomain (tests/test_acme_answers.py).
    ("nothere.test", "dns_no_address", "critical", "could not resolve", 2),
]


@pytest.fixture(scope="module")
def scenario_state(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("ca-probe-state")


@pytest.mark.parametrize("domain,code,severity,ca_words,exit_status", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_the_ca_names_what_it_met(internet, pebble, scenario_state, domain, code, severity, ca_words, exit_status):
    run = certcheck(internet, pebble, scenario_state, domain, "--json")
    report = report_of(run)
    found = ca_findings(report)
    assert code in found, (found, run.stderr)
    finding = found[code]
    assert finding["severity"] == severity
    assert ca_words in finding["detail"]  # the CA's own words are kept
    assert report["ca_probe"]["cached"] is False
    assert report["ca_probe"]["answer"]["domain"] == domain
    assert run.returncode == exit_status
    blocking_from_ca = {c for c, f in found.items() if f["severity"] == "critical"}
    assert blocking_from_ca == ({code} if severity == "critical" else set())


def test_the_ca_findings_show_distinctly_in_the_terminal(internet, pebble, tmp_path):
    run = certcheck(internet, pebble, tmp_path, "basic-all.test")
    assert "The CA's validator is refused: access restriction on the challenge path" in run.stdout
    # The local dry run's own finding is there as well, in its own words.
    assert "Access restriction on the ACME challenge path" in run.stdout


# --- reachable from here, blocked for the CA ------------------------------------------------


@pytest.fixture
def forbidden_to_ca(internet):
    """open.example answers 404 to everyone but Pebble's validator, which gets 403."""
    internet.set_site("open.example", "forbidden-to-ca")
    try:
        yield "open.example"
    finally:
        internet.set_site("open.example", "open")


def test_blocked_only_for_the_ca_is_said_plainly(internet, pebble, tmp_path, forbidden_to_ca):
    run = certcheck(internet, pebble, tmp_path, forbidden_to_ca, "--json")
    report = report_of(run)
    assert not local_codes(report) & {"access_forbidden", "access_restricted", "http_unreachable"}
    found = ca_findings(report)
    assert found["access_forbidden"]["severity"] == "critical"
    plain = found["blocked_for_ca"]
    assert plain["severity"] == "critical"
    assert plain["title"] == CATALOGUE["blocked_for_ca"]["en"][0]
    assert report["verdict"] == "critical" and report["renewable"] is False
    assert run.returncode == 2

    # The same answer, cached, in Japanese.
    ja = report_of(certcheck(internet, pebble, tmp_path, forbidden_to_ca, "--json", "--lang", "ja"))
    assert ca_findings(ja)["blocked_for_ca"]["title"] == CATALOGUE["blocked_for_ca"]["ja"][0]


def test_no_disagreement_when_both_see_the_site(internet, pebble, tmp_path):
    report = report_of(certcheck(internet, pebble, tmp_path, "open.example", "--json"))
    assert "blocked_for_ca" not in ca_findings(report)
    assert "ca_reachable" in ca_findings(report)


# --- politeness: one probe per domain per window; one account --------------------------------


def test_a_cached_answer_is_reused_within_the_window(internet, pebble, tmp_path):
    orders = pebble.requests_to(NEW_ORDER_PATH)
    first = report_of(certcheck(internet, pebble, tmp_path, "forbidden.test", "--json"))
    assert pebble.requests_to(NEW_ORDER_PATH) == orders + 1

    second = report_of(certcheck(internet, pebble, tmp_path, "forbidden.test", "--json"))
    assert pebble.requests_to(NEW_ORDER_PATH) == orders + 1  # Pebble saw no second order
    assert second["ca_probe"]["cached"] is True
    assert second["ca_probe"]["answer"] == first["ca_probe"]["answer"]
    found = ca_findings(second)
    assert found["access_forbidden"]["severity"] == "critical"
    reused = found["ca_answer_reused"]
    assert reused["severity"] == "info"
    assert "h old" in reused["title"]
    assert "24 h" in reused["detail"]

    # With a window of zero hours the CA is asked again.
    third = report_of(certcheck(internet, pebble, tmp_path, "forbidden.test", "--json", CERTCHECK_CA_PROBE_HOURS="0"))
    assert pebble.requests_to(NEW_ORDER_PATH) == orders + 2
    assert third["ca_probe"]["cached"] is False


def test_the_account_key_survives_a_restart(internet, pebble, tmp_path):
    accounts = pebble.requests_to(NEW_ACCOUNT_PATH)
    first = report_of(certcheck(internet, pebble, tmp_path, "open.test", "--json"))
    key_file = next(tmp_path.glob("acme/*/account.json"))
    key_before = json.loads(key_file.read_text())["key_pem"]
    assert pebble.requests_to(NEW_ACCOUNT_PATH) == accounts + 1

    # A second process (another domain, so nothing is cached) signs as the same account.
    second = report_of(certcheck(internet, pebble, tmp_path, "basic-all.test", "--json"))
    assert second["ca_probe"]["cached"] is False
    assert second["ca_probe"]["answer"]["account"] == first["ca_probe"]["answer"]["account"]
    assert json.loads(key_file.read_text())["key_pem"] == key_before
    assert pebble.requests_to(NEW_ACCOUNT_PATH) == accounts + 1
    assert key_file.stat().st_mode & 0o077 == 0  # the private key is the owner's alone


def test_an_account_the_ca_forgot_is_registered_again_with_the_same_key(internet, pebble, tmp_path):
    first = report_of(certcheck(internet, pebble, tmp_path, "open.test", "--json"))
    account_url = first["ca_probe"]["answer"]["account"]
    key_file = next(tmp_path.glob("acme/*/account.json"))
    stored = json.loads(key_file.read_text())
    key_file.write_text(json.dumps({**stored, "url": account_url.rsplit("/", 1)[0] + "/gone"}))

    second = report_of(certcheck(internet, pebble, tmp_path, "forbidden.test", "--json"))
    assert "access_forbidden" in ca_findings(second)
    # Pebble knows the key, so registering it again gives back the same account.
    assert second["ca_probe"]["answer"]["account"] == account_url
    assert json.loads(key_file.read_text())["url"] == account_url


# --- the probe stays inside its bounds --------------------------------------------------------


def test_no_probe_for_a_name_the_ssrf_guard_refuses(internet, pebble, tmp_path):
    orders = pebble.requests_to(NEW_ORDER_PATH)
    report = report_of(certcheck(internet, pebble, tmp_path, "reserved.test", "--json"))
    assert pebble.requests_to(NEW_ORDER_PATH) == orders
    skipped = ca_findings(report)["ca_probe_skipped"]
    assert skipped["severity"] == "info" and "10.0.0.1" in skipped["detail"]
    assert "reserved_address" in local_codes(report)


def test_no_probe_for_input_the_normaliser_refuses(internet, pebble, tmp_path):
    orders = pebble.requests_to(NEW_ORDER_PATH)
    run = certcheck(internet, pebble, tmp_path, "localhost", "--json")
    assert run.returncode == 3
    assert pebble.requests_to(NEW_ORDER_PATH) == orders


@pytest.fixture
def own_pebble(internet, pebble, tmp_path_factory):
    """A Pebble of this test's own: one left validating a black hole for 15 s
    would hold up the next test's validations."""
    server = Pebble(tmp_path_factory.mktemp("own-pebble"), internet).start()
    yield server
    server.stop()


def test_a_ca_that_has_not_decided_in_time_is_not_held_against_the_site(internet, own_pebble, tmp_path):
    # Pebble waits 15 s on a black hole; the probe gives up after 1 s and closes the authorization.
    pebble = own_pebble
    run = certcheck(
        internet, pebble, tmp_path, "blackhole.test", "--json", CERTCHECK_CA_PROBE_TIMEOUT="1", CERTCHECK_TIMEOUT="1"
    )
    report = report_of(run)
    unavailable = ca_findings(report)["ca_probe_unavailable"]
    assert unavailable["severity"] == "info"
    answer = report["ca_probe"]["answer"]
    assert answer["outcome"] == "pending"
    assert not list(tmp_path.glob("acme/*/answers/blackhole.test.json"))  # no verdict, nothing kept
    assert _authorization_status(pebble, tmp_path, answer["authorization"]) == "deactivated"


def _authorization_status(pebble, state_dir: pathlib.Path, url: str) -> str:
    """Read an authorization at Pebble as the stored account (POST-as-GET)."""
    state = FileAcmeState(state_dir)
    stored = state.load_account(pebble.directory_url)
    assert stored is not None

    async def read() -> str:
        options = Options(ca_file=pebble.ca_bundle)
        async with api_client(options.ca_file, 10.0) as http:
            client = AcmeClient(http, pebble.directory_url, key_from_pem(stored.key_pem), stored.url)
            return (await client.fetch(url)).body["status"]

    return asyncio.run(read())
