"""Every fixture of the test internet through `certcheck check --json`, as a user runs it.

All CLI runs start together (a bounded pool) and each test asserts one row,
so the table costs about as long as its slowest row.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from checks import messages
from tests import cli
from tests.cli import certcheck

# Rows whose outcome is a timeout (a black hole, a silent resolver, a stalled
# IPv6) wait out `--timeout`, so they get a short one to keep the suite fast.
# Every other row answers at once on an idle machine, whatever its bound; it
# gets a generous one so that a loaded machine (CI neighbours) cannot turn a
# refused redirect into "unreachable".
TIMEOUT = "3"
ANSWERS_TIMEOUT = "20"
WAITS_OUT_THE_TIMEOUT = frozenset(
    {"blackhole.test", "deadport.test", "dnstimeout.test", "v6-ok.test", "v6-broken.test"}
)


@dataclass(frozen=True)
class Row:
    name: str
    verdict: str
    renewable: bool | None
    present: tuple[str, ...] = ()  # "code" or "code:severity"
    absent: tuple[str, ...] = ()


# An open site shows no finding at all (ns_delegation only explains a failed lookup).
ALL_CODES = tuple(sorted(messages.codes()))
BLOCKERS = ("access_restricted", "access_forbidden", "http_unreachable", "bad_redirect", "ipv6_unreachable")
CERT = ("cert_expired", "cert_expiring", "renewal_overdue", "cert_name_mismatch", "cert_untrusted", "tls_unreachable")

ROWS = [
    Row("open.test", "ok", True, (), ALL_CODES),
    Row("open.example", "ok", True),
    Row("basic-all.test", "critical", False, ("access_restricted:critical",), ("access_forbidden",)),
    Row("basic-except-challenge.test", "warning", True, ("access_restricted:warning",)),
    Row("basic-root.test", "warning", True, ("access_restricted:warning",)),
    Row("xserver-root.test", "critical", False, ("access_restricted:critical",)),
    Row("digest.test", "critical", False, ("access_restricted:critical",)),
    Row("noauth-header.test", "critical", False, ("access_restricted:critical",)),
    Row("forbidden.test", "critical", False, ("access_forbidden:critical",), ("access_restricted",)),
    Row("forbidden-root.test", "warning", True, ("access_forbidden:warning",)),
    Row("waf.test", "critical", False, ("access_forbidden:critical",)),
    Row("redirect-https.test", "ok", True, (), BLOCKERS),
    Row("redirect-other.test", "ok", True, (), ("bad_redirect",)),
    Row("redirect-10.test", "ok", True, (), ("bad_redirect",)),
    # Boulder follows 11 redirects and refuses the 12th (va/http.go processRedirect; tests/test_check_boulder.py).
    Row("redirect-11.test", "ok", True, (), ("bad_redirect",)),
    Row("redirect-badport.test", "critical", False, ("bad_redirect:critical",)),
    Row("redirect-303.test", "critical", False, ("bad_redirect:critical",)),
    Row("redirect-loop.test", "critical", False, ("bad_redirect:critical",)),
    Row("redirect-scheme.test", "critical", False, ("bad_redirect:critical",)),
    # Boulder follows a redirect to a public IP literal (http_test.go TestFetchHTTP "Redirect to bare IPv4 address").
    Row("redirect-ip.test", "ok", True, (), ("bad_redirect",)),
    Row("redirect-private.test", "critical", False, ("bad_redirect:critical",)),
    # http_test.go TestHTTPTimeout / TestFetchHTTP "Timeout for host with standard ACME allowed port".
    Row("blackhole.test", "critical", False, ("http_unreachable:critical", "tls_unreachable:warning")),
    Row("deadport.test", "critical", False, ("http_unreachable:critical", "tls_unreachable:warning")),
    Row("v6-ok.test", "ok", True, (), ("ipv6_unreachable", "http_unreachable", "addresses_disagree")),
    # A reset comes after the connection is made: Boulder does not fall back (va/http.go fallbackErr).
    Row("v6-broken.test", "critical", False, ("ipv6_unreachable:critical",), ("http_unreachable",)),
    Row("disagree.test", "critical", False, ("addresses_disagree:critical", "access_restricted:critical")),
    # Boulder accepts only a 200 with the key authorisation: anything but 404/410 for a random token blocks.
    Row("servererror.test", "critical", False, ("http_server_error:critical",)),
    # A ModSecurity 406 would stop the real token as well.
    Row("unexpected.test", "critical", False, ("challenge_intercepted:critical",), ("http_unexpected_status",)),
    Row("catchall.test", "critical", False, ("challenge_catch_all:critical",)),
    Row("toomany.test", "critical", False, ("http_unexpected_status:critical",), ("challenge_intercepted",)),
    Row("testcookie.test", "critical", False, ("challenge_intercepted:critical",)),
    Row("httpsport.test", "critical", False, ("challenge_intercepted:critical",)),
    Row("cert-expired.test", "critical", True, ("cert_expired:critical",), ("cert_expiring", "cert_untrusted")),
    Row("cert-expiring.test", "critical", True, ("cert_expiring:critical", "renewal_overdue:warning")),
    Row("cert-expiring-warn.test", "warning", True, ("cert_expiring:warning",)),
    Row("cert-overdue.test", "warning", True, ("renewal_overdue:warning",), ("cert_expiring",)),
    Row("cert-selfsigned.test", "critical", True, ("cert_untrusted:critical",), ("cert_name_mismatch",)),
    Row("cert-wrongname.test", "critical", True, ("cert_name_mismatch:critical",), ("cert_untrusted",)),
    Row("www.wild.test", "ok", True, (), CERT),
    Row("notls.test", "warning", True, ("tls_unreachable:warning",)),
    Row("www.cname.test", "ok", True, (), BLOCKERS + CERT),
    # http_test.go TestFetchHTTP "No IPs for host" (and nothere.test, noaddr.test below).
    Row("nothere.test", "critical", False, ("dns_nxdomain:critical",), ("http_unreachable", "dns_no_address")),
    Row("servfail.test", "critical", False, ("dns_servfail:critical",), ("dns_nxdomain",)),
    Row("noaddr.test", "critical", False, ("dns_no_address:critical",), ("dns_nxdomain",)),
    Row("dnstimeout.test", "critical", False, ("dns_timeout:critical",)),
    Row("reserved.test", "critical", False, ("reserved_address:critical",), ("http_unreachable",)),
    Row("metadata.test", "critical", False, ("reserved_address:critical",)),
    Row("caa-allow.test", "ok", True, ("caa_allows:info",), ("caa_forbids",)),
    Row("caa-iodef.test", "ok", True, (), ("caa_forbids", "caa_allows")),
    Row("caa-forbid.test", "critical", False, ("caa_forbids:critical",)),
    Row("sub.caa-parent.test", "critical", False, ("caa_forbids:critical",)),
    Row("caa-critical.test", "critical", False, ("caa_forbids:critical",)),
    Row("caa-method.test", "critical", False, ("caa_forbids:critical",)),
    Row("caa-account.test", "ok", True, ("caa_account_bound:info",), ("caa_forbids", "caa_allows")),
    Row("caa-account-staging.test", "critical", False, ("caa_forbids:critical",), ("caa_account_bound",)),
    # The order, not the name: Basic auth on www only still stops the renewal of both.
    Row("multi.test", "critical", False, ("access_restricted:critical",)),
    Row("badsan.test", "critical", False, ("name_not_public:critical",), BLOCKERS),
    # Nothing a site sends can crash a check: an IDN redirect target is followed as its A-label.
    Row("redirect-idn.test", "ok", True, (), ("bad_redirect", "check_error")),
    # A wildcard on the certificate: the order renews over DNS-01, HTTP-01 findings are information.
    Row("dns01-ok.test", "ok", True, ("access_restricted:info",), ("dns01_lame_server", "dns01_servers_disagree")),
    Row("dns01-lame.test", "critical", False, ("dns01_lame_server:critical",)),
    # Certificates cryptography will not load as they are: read (their signature is broken by the patch).
    Row("cert-v2.test", "critical", True, ("cert_untrusted:critical",), ("check_error", "tls_unreachable")),
    Row("cert-nonascii.test", "critical", False, ("name_not_public:critical",), ("check_error", "tls_unreachable")),
]

EXIT = {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return certcheck("check", *args, env=env)


@pytest.fixture(scope="module")
def lab_env(internet):
    return cli.lab_env(internet)


@pytest.fixture(scope="module")
def results(lab_env):
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            row.name: pool.submit(run_cli, lab_env, row.name, "--json", "--timeout", timeout_for(row.name))
            for row in ROWS
        }
        return {name: future.result() for name, future in futures.items()}


def timeout_for(name: str) -> str:
    return TIMEOUT if name in WAITS_OUT_THE_TIMEOUT else ANSWERS_TIMEOUT


def assert_row(row: Row, done: subprocess.CompletedProcess[str]) -> dict:
    """The report `done` printed gives the row's verdict, renewable, exit status and codes."""
    assert done.stderr == ""
    report = cli.report_of(done)
    found = {(f["code"], f["severity"]) for f in report["findings"]}
    codes = {code for code, _ in found}
    assert (report["verdict"], report["renewable"]) == (row.verdict, row.renewable), found
    assert done.returncode == EXIT[row.verdict]
    for want in row.present:
        code, _, severity = want.partition(":")
        assert (code, severity) in found if severity else code in codes, (want, found)
    for unwanted in row.absent:
        assert unwanted not in codes, found
    return report


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_fixture_report(row: Row, results):
    report = assert_row(row, results[row.name])
    for finding in report["findings"]:
        if finding["severity"] != "info":
            assert finding["remedy"], finding["code"]


def test_basic_auth_report_names_realm_and_fix(results):
    report = json.loads(results["basic-all.test"].stdout)
    finding = next(f for f in report["findings"] if f["code"] == "access_restricted")
    assert 'Basic realm="Staff only"' in finding["detail"]
    assert "/.well-known/acme-challenge/" in finding["url"]
    assert "Require env acme_challenge" in finding["remedy"]
    assert "location ^~ /.well-known/acme-challenge/" in finding["remedy"]
    assert "Xserver" in finding["remedy"]


def test_root_only_restriction_says_plain_acme_passes(results):
    report = json.loads(results["basic-root.test"].stdout)
    finding = next(f for f in report["findings"] if f["code"] == "access_restricted")
    assert finding["url"].rstrip("/").endswith("basic-root.test")
    assert "Xserver" in finding["detail"] and "passes" in finding["detail"]


def test_digest_scheme_is_named(results):
    report = json.loads(results["digest.test"].stdout)
    assert any('Digest realm="wp"' in f["detail"] for f in report["findings"])


def test_certificate_facts(results, internet):
    report = json.loads(results["open.test"].stdout)
    cert = report["certificate"]
    assert cert["sans"] == ["open.test"] and cert["trusted"] and cert["matches_host"]
    assert 58 <= cert["days_left"] <= 60
    assert report["dns"]["a"] == [internet.address_of("open.test")]


def test_cname_chain_is_reported(results):
    report = json.loads(results["www.cname.test"].stdout)
    assert report["dns"]["cname_chain"] == ["alias.cname.test", "open.test"]


def test_caa_on_the_parent_names_its_owner(results):
    report = json.loads(results["sub.caa-parent.test"].stdout)
    finding = next(f for f in report["findings"] if f["code"] == "caa_forbids")
    assert "caa-parent.test" in finding["detail"] and "sectigo.com" in finding["detail"]


def test_redirect_to_private_never_connects(results, internet):
    assert results["redirect-private.test"].returncode == 2
    assert internet.connections_to("127.99.0.1") == 0


def test_black_hole_is_named_by_the_probe_budget_not_cut_off_by_the_timeout(results):
    """The probes' own deadline (85 % of --timeout) names the black hole; nothing is left
    running at the hard cut. (How long that takes is a benchmark figure, not a test.)"""
    report = json.loads(results["blackhole.test"].stdout)
    codes = {f["code"] for f in report["findings"]}
    assert "http_unreachable" in codes and "check_incomplete" not in codes
    assert report["renewable"] is False


def test_text_report_in_japanese(lab_env):
    done = run_cli(lab_env, "basic-all.test", "--lang", "ja", "--timeout", TIMEOUT)
    assert done.returncode == 2
    assert "アクセス制限" in done.stdout and "Require env acme_challenge" in done.stdout


def test_idn_and_url_input(lab_env):
    done = run_cli(lab_env, "https://Open.TEST./some/path?q=1", "--json", "--timeout", TIMEOUT)
    report = cli.report_of(done)
    assert (report["domain"], report["input"], report["verdict"]) == (
        "open.test",
        "https://Open.TEST./some/path?q=1",
        "ok",
    )


@pytest.mark.parametrize("bad", ["127.0.0.1", "localhost", "intranet", "open.test", "exa mple.com", "<!channel>"])
def test_bad_input_is_one_line_and_unknown(bad, internet):
    env = {k: v for k, v in cli.lab_env(internet).items() if k != "CERTCHECK_LAB_NETWORKS"}
    done = run_cli(env, bad, "--json")
    assert done.returncode == 3
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("certcheck: ")
    assert json.loads(done.stdout)["verdict"] == "unknown"


def test_bad_option_is_one_line(lab_env):
    done = run_cli(lab_env, "open.test", "--timeout", "soon")
    assert done.returncode == 3 and done.stderr.count("\n") == 1


def test_a_check_cut_off_by_its_timeout_is_unknown(lab_env):
    # DNS may take 0.2 s at least, so a 0.1 s cap always cuts it off.
    done = run_cli(lab_env, "dnstimeout.test", "--json", "--timeout", "0.1")
    report = cli.report_of(done)
    assert (done.returncode, report["verdict"], report["renewable"]) == (3, "unknown", None)
    [incomplete] = [f for f in report["findings"] if f["code"] == "check_incomplete"]
    assert "DNS" in incomplete["detail"]


def test_caa_bound_to_an_account_names_it_and_says_what_to_keep_in_step(results):
    report = json.loads(results["caa-account.test"].stdout)
    bound = next(f for f in report["findings"] if f["code"] == "caa_account_bound")
    assert "https://acme-v02.api.letsencrypt.org/acme/acct/1234" in bound["detail"]
    assert "ACME client" in bound["detail"] and "new account" in bound["detail"]
    refused = next(f for f in json.loads(results["caa-account-staging.test"].stdout)["findings"])
    assert "ACME account it cannot have" in refused["detail"] and "prevents issuance" in refused["detail"]
