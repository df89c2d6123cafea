"""Reading the CA's answers, the probe's stored state and its settings, without a network.

The problem details below are the words Let's Encrypt's Boulder uses; Pebble's
own words are covered by tests/test_acme_pebble.py.
"""

from __future__ import annotations

import asyncio
import stat
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from checks import Options, messages
from checks.acme import CaAnswer, FileAcmeState, Problem, StoredAccount, answer_findings, default_state_dir
from checks.acme.answers import (
    INVALID,
    PENDING,
    REFUSED,
    VALID,
    ca_answer_reused,
    disagreement_findings,
    status_in_detail,
    with_ca_findings,
    worth_keeping,
)
from checks.ca_probe import LETS_ENCRYPT_STAGING, CaPhase, CaProbeSettings, with_ca_view
from checks.messages.findings import CATALOGUE
from checks.model import Finding, Probe, Report, Severity
from checks.options import OptionError
from tests import builders

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)
URL = "http://example.com/.well-known/acme-challenge/abc"


def answer(kind: str | None, detail: str = "", outcome: str = INVALID, **extra) -> CaAnswer:
    return CaAnswer(
        domain="example.com",
        directory=LETS_ENCRYPT_STAGING,
        probed_at=NOW,
        outcome=outcome,
        problem=Problem(kind, detail) if kind else None,
        url=URL,
        **extra,
    )


BOULDER = [
    ("unauthorized", f"203.0.113.7: Invalid response from {URL}: 404", "ca_reachable", Severity.INFO),
    (
        "unauthorized",
        f"During secondary validation: 203.0.113.7: Invalid response from {URL}: 401",
        "access_restricted",
        Severity.CRITICAL,
    ),
    ("unauthorized", f"Invalid response from {URL} [203.0.113.7]: 403", "access_forbidden", Severity.CRITICAL),
    ("unauthorized", f"203.0.113.7: Invalid response from {URL}: 503", "http_server_error", Severity.CRITICAL),
    ("unauthorized", f"203.0.113.7: Invalid response from {URL}: 429", "http_unexpected_status", Severity.CRITICAL),
    (
        "unauthorized",
        "The key authorization file from the server did not match this challenge",
        "ca_reachable",
        Severity.INFO,
    ),
    (
        "connection",
        f"203.0.113.7: Fetching {URL}: Timeout during connect (likely firewall problem)",
        "http_unreachable",
        Severity.CRITICAL,
    ),
    ("connection", f"203.0.113.7: Fetching {URL}: Connection refused", "http_unreachable", Severity.CRITICAL),
    (
        "dns",
        "DNS problem: NXDOMAIN looking up A for example.com - check that a DNS record exists for this domain",
        "dns_nxdomain",
        Severity.CRITICAL,
    ),
    (
        "dns",
        "DNS problem: SERVFAIL looking up CAA for example.com - the domain's nameservers may be malfunctioning",
        "dns_servfail",
        Severity.CRITICAL,
    ),
    ("dns", "DNS problem: query timed out looking up AAAA for example.com", "dns_timeout", Severity.CRITICAL),
    ("dns", "No valid IP addresses found for example.com", "dns_no_address", Severity.CRITICAL),
    ("caa", "CAA record for example.com prevents issuance", "caa_forbids", Severity.CRITICAL),
    ("tls", "203.0.113.7: remote error: tls: handshake failure", "ca_validation_failed", Severity.CRITICAL),
]


@pytest.mark.parametrize("kind,detail,code,severity", BOULDER, ids=[f"{b[0]}-{b[2]}" for b in BOULDER])
def test_a_ca_problem_maps_to_the_local_codes(kind, detail, code, severity):
    (finding,) = answer_findings(answer(kind, detail))
    assert (finding.code, finding.severity) == (code, severity)
    assert finding.source == "ca"
    assert finding.params["ca_detail"] == detail
    assert detail in finding.text("en").detail or code == "ca_probe_unavailable"


def test_the_dns_finding_names_the_record_type():
    (finding,) = answer_findings(answer("dns", "DNS problem: SERVFAIL looking up CAA for example.com"))
    assert finding.params["rdtype"] == "CAA"


@pytest.mark.parametrize(
    "kind,outcome",
    [("rejectedIdentifier", REFUSED), ("unsupportedIdentifier", REFUSED)],
)
def test_a_name_the_ca_refuses_has_its_own_code(kind, outcome):
    (finding,) = answer_findings(answer(kind, 'Cannot issue for "example.local"', outcome=outcome))
    assert finding.code == "ca_rejected_identifier" and finding.severity is Severity.CRITICAL


@pytest.mark.parametrize(
    "kind,outcome,reason",
    [
        ("rateLimited", REFUSED, "rate_limited"),
        ("serverInternal", REFUSED, "ca_error"),
        ("serverInternal", INVALID, "ca_error"),
        ("badNonce", REFUSED, "ca_error"),
        (None, PENDING, "pending"),
        (None, INVALID, "no_problem"),
    ],
)
def test_what_is_not_the_sites_fault_is_not_held_against_it(kind, outcome, reason):
    (finding,) = answer_findings(answer(kind, "too many new orders recently", outcome=outcome))
    assert finding.code == "ca_probe_unavailable"
    assert finding.severity is Severity.INFO
    assert finding.params["reason"] == reason


def test_a_valid_authorization_means_reachable():
    (finding,) = answer_findings(answer(None, outcome=VALID))
    assert finding.code == "ca_reachable"


@pytest.mark.parametrize(
    "detail,status",
    [
        (f"Non-200 status code from HTTP: {URL} returned 401", 401),  # Pebble
        (f"203.0.113.7: Invalid response from {URL}: 404", 404),  # Boulder
        (f"Invalid response from {URL} [2001:db8::1]: 403", 403),  # older Boulder
        ("Timeout during connect", None),
    ],
)
def test_the_status_is_read_from_the_detail(detail, status):
    assert status_in_detail(detail) == status


def test_only_answers_about_the_site_or_a_rate_limit_are_kept():
    assert worth_keeping(answer_findings(answer("unauthorized", f"Invalid response from {URL}: 404")))
    assert worth_keeping(answer_findings(answer("rateLimited", "slow down", outcome=REFUSED)))
    assert not worth_keeping(answer_findings(answer("serverInternal", "oops", outcome=REFUSED)))
    assert not worth_keeping(answer_findings(answer(None, outcome=PENDING)))


def test_a_reused_answer_says_how_old_it_is():
    finding = ca_answer_reused(answer("unauthorized", "x"), NOW + timedelta(hours=5, minutes=30), 24)
    assert finding.params["age_hours"] == "5.5"
    assert finding.text("en").title == "The CA's answer is 5.5 h old"
    assert finding.text("ja").title == "CA の応答は 5.5 時間前のものです"


# --- local and CA views side by side --------------------------------------------------------


def local_report(*findings: Finding, reached: bool = True) -> Report:
    probe = builders.reached(URL) if reached else Probe("challenge", URL, "203.0.113.7", "unreachable")
    return builders.report(*findings, domain="example.com", now=NOW, probes=(probe,))


FORBIDDEN_FOR_CA = answer("unauthorized", f"Invalid response from {URL}: 403")


def test_reachable_here_blocked_for_the_ca_is_said_plainly():
    report = with_ca_findings(local_report(), answer_findings(FORBIDDEN_FOR_CA))
    assert [f.code for f in report.findings] == ["access_forbidden", "blocked_for_ca"]
    plain = report.findings[-1]
    assert plain.severity is Severity.CRITICAL and plain.source == "ca"
    assert plain.text("en").title == CATALOGUE["blocked_for_ca"]["en"][0]
    assert "IP 制限" in plain.text("ja").title
    assert report.renewable is False


def test_no_disagreement_when_the_local_run_is_blocked_too():
    blocked = Finding("access_forbidden", Severity.CRITICAL, {"variant": "challenge"})
    assert disagreement_findings(local_report(blocked), answer_findings(FORBIDDEN_FOR_CA)) == []


def test_no_disagreement_when_the_local_run_did_not_reach_the_site():
    assert disagreement_findings(local_report(reached=False), answer_findings(FORBIDDEN_FOR_CA)) == []


def test_no_disagreement_when_the_ca_got_through():
    reachable = answer_findings(answer("unauthorized", f"Invalid response from {URL}: 404"))
    assert disagreement_findings(local_report(), reachable) == []


@pytest.mark.parametrize("lang", messages.LANGS)
def test_ca_findings_render_in_every_language(lang):
    for kind, detail, _code, _severity in BOULDER:
        for finding in answer_findings(answer(kind, detail)):
            text = finding.text(lang)
            assert text.title and detail in text.detail


# --- stored state -------------------------------------------------------------------------


def test_file_state_round_trips_and_keeps_the_key_private(tmp_path):
    state = FileAcmeState(tmp_path)
    assert state.load_account(LETS_ENCRYPT_STAGING) is None
    state.save_account(LETS_ENCRYPT_STAGING, StoredAccount("-----BEGIN PRIVATE KEY-----\n", "https://ca/acct/1"))
    assert state.load_account(LETS_ENCRYPT_STAGING) == StoredAccount(
        "-----BEGIN PRIVATE KEY-----\n", "https://ca/acct/1"
    )
    assert state.load_account("https://other.example/directory") is None  # one account per CA
    (account_file,) = tmp_path.glob("acme/*/account.json")
    assert stat.S_IMODE(account_file.stat().st_mode) == 0o600

    kept = answer(
        "unauthorized",
        f"Invalid response from {URL}: 401",
        account="https://ca/acct/1",
        authorization="https://ca/authz/9",
    )
    state.save_answer(kept)
    assert state.load_answer(LETS_ENCRYPT_STAGING, "example.com") == kept
    assert state.load_answer(LETS_ENCRYPT_STAGING, "other.example") is None


def test_a_damaged_cache_entry_counts_as_none(tmp_path):
    state = FileAcmeState(tmp_path)
    state.save_answer(answer("unauthorized", "x"))
    (path,) = tmp_path.glob("acme/*/answers/example.com.json")
    path.write_text('{"domain": "example.com"}')
    assert state.load_answer(LETS_ENCRYPT_STAGING, "example.com") is None


def test_the_state_directory_follows_xdg(tmp_path):
    assert default_state_dir({"CERTCHECK_STATE_DIR": str(tmp_path)}) == tmp_path
    assert default_state_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "certcheck"


# --- settings -----------------------------------------------------------------------------


def test_settings_default_to_lets_encrypt_staging():
    settings = CaProbeSettings.from_env({})
    assert settings.directory == "https://acme-staging-v02.api.letsencrypt.org/directory"
    assert (settings.timeout, settings.window_hours) == (30.0, 24.0)


def test_settings_from_the_environment():
    settings = CaProbeSettings.from_env(
        {
            "CERTCHECK_ACME_DIRECTORY": "https://127.0.0.1:14000/dir",
            "CERTCHECK_CA_PROBE_TIMEOUT": "5",
            "CERTCHECK_CA_PROBE_HOURS": "0.5",
        }
    )
    assert (settings.directory, settings.timeout, settings.window_hours) == ("https://127.0.0.1:14000/dir", 5.0, 0.5)


@pytest.mark.parametrize(
    "env",
    [
        {"CERTCHECK_ACME_DIRECTORY": "http://127.0.0.1:14000/dir"},
        {"CERTCHECK_CA_PROBE_TIMEOUT": "soon"},
        {"CERTCHECK_CA_PROBE_HOURS": "-1"},
        {"CERTCHECK_CA_PROBE_HOURS": "daily"},
    ],
)
def test_bad_settings_are_refused_with_a_reason(env):
    with pytest.raises(OptionError):
        CaProbeSettings.from_env(env)


# --- the CA phase: one policy for every caller -------------------------------------------------


class _CachedState:
    """An `AcmeState` holding one answer, so the probe asks no CA."""

    def __init__(self, cached: CaAnswer | None = None, broken: bool = False) -> None:
        self.cached, self.broken = cached, broken

    def load_account(self, directory):
        return None

    def save_account(self, directory, account):
        pass

    def load_answer(self, directory, domain):
        if self.broken:
            raise RuntimeError("the database is gone")
        return self.cached

    def save_answer(self, answer):
        pass


def test_the_ca_view_is_added_to_the_report_and_its_json():
    cached = replace(FORBIDDEN_FOR_CA, directory=LETS_ENCRYPT_STAGING)
    phase = CaPhase(CaProbeSettings(), _CachedState(cached))
    seen = asyncio.run(with_ca_view(local_report(), Options(), phase, now=NOW + timedelta(hours=1)))
    assert {f.code for f in seen.findings} == {"access_forbidden", "ca_answer_reused", "blocked_for_ca"}
    assert seen.to_json()["ca_probe"] == {
        "domain": "example.com",
        "cached": True,
        "answer": cached.to_json(),
        "error": None,
    }
    assert "ca_probe" not in local_report().to_json()


def test_a_probe_that_fails_never_loses_the_local_report(caplog):
    local = local_report()
    phase = CaPhase(CaProbeSettings(), _CachedState(broken=True))
    assert asyncio.run(with_ca_view(local, Options(), phase, now=NOW)) is local
    assert "CA probe of example.com failed" in caplog.text


def test_a_caa_refusal_of_the_probes_own_account_is_not_held_against_the_renewal():
    """CAA bound to the site's ACME account (RFC 8657 accounturi) refuses the probe, which asks
    with certcheck's own account: the account is compared exactly, as Boulder's
    caaAccountURIMatches does, and a mismatch says nothing about the renewal."""
    from checks.findings.dns import caa_account_bound

    theirs = "https://acme-v02.api.letsencrypt.org/acme/acct/1234"
    ours = "https://acme-staging-v02.api.letsencrypt.org/acme/acct/99"
    bound = caa_account_bound(
        "example.com", [f'0 issue "letsencrypt.org; accounturi={theirs}"'], "letsencrypt.org", [theirs]
    )
    refused = answer_findings(answer("caa", "CAA record for example.com prevents issuance", account=ours))
    report = with_ca_findings(local_report(bound), refused, account=ours)
    assert [(f.code, f.params.get("reason")) for f in report.findings if f.source == "ca"] == [
        ("ca_probe_unavailable", "caa_account")
    ]
    assert report.renewable is True and "certcheck's own" in report.findings[-1].text("en").detail
    # The probe's own account is the one named: the CA's refusal stands. Without a binding, too.
    same = with_ca_findings(
        local_report(replace(bound, params={**bound.params, "accounts": [ours]})), refused, account=ours
    )
    assert "caa_forbids" in same.codes() and same.renewable is False
    assert "caa_forbids" in with_ca_findings(local_report(), refused, account=ours).codes()


def test_an_order_renewed_over_dns01_is_not_probed_over_http01(caplog):
    """The probe is an HTTP-01 validation: for a DNS-01 order (a subscription's `dns-01`) the CA's
    401 on the site would be a false alarm, so the CA is not asked (a broken state would say so)."""
    local = replace(local_report(), challenge="dns-01")
    phase = CaPhase(CaProbeSettings(), _CachedState(broken=True))
    assert asyncio.run(with_ca_view(local, Options(), phase, now=NOW)) is local
    assert "CA probe" not in caplog.text
