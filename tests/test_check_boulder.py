"""Boulder's rules through `certcheck check --json`: every row gives the verdict Let's Encrypt's VA would.

Rows marked `http_test.go` are Boulder's own `va/http_test.go` cases whose
outcome does not depend on the token file's content, ported to the test
internet (`tests/internet/boulder.py`). The IPv6 rows run against small test
internets of their own, whose `::1` refuses, stalls, or serves port 80 only.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import cli
from tests.internet import TestInternet, boulder
from tests.test_check_cli import Row, assert_row, run_cli

# Longer than the main table's: a chain of 12 redirects is asked twice (per address and as the
# CA), and the machine may be loaded. Only the stalling rows take all of it.
TIMEOUT = "6"

ROWS = [
    # Statuses for a random token (va/http.go processHTTPValidation: only a 200 passes, and
    # validateHTTP01 then wants the key authorisation): 404 and 410 say the path is healthy.
    Row("gone.test", "ok", True),
    Row("no-content.test", "critical", False, ("http_unexpected_status:critical",)),
    Row("plain-200.test", "critical", False, ("http_unexpected_status:critical",)),
    Row("bare-302.test", "critical", False, ("http_unexpected_status:critical",), ("bad_redirect",)),
    Row("json-catchall.test", "critical", False, ("challenge_catch_all:critical",)),
    Row("login-redirect.test", "critical", False, ("challenge_catch_all:critical",)),
    Row("bad-request.test", "critical", False, ("http_unexpected_status:critical",)),
    # Redirects (va/http.go processRedirect, extractRequestTarget).
    Row(
        "redirect-12.test", "critical", False, ("bad_redirect:critical",)
    ),  # http_test.go TestFetchHTTP "Too many redirects"
    Row(
        "redirect-gopher.test", "critical", False, ("bad_redirect:critical",)
    ),  # TestFetchHTTP "Redirect to bad protocol"
    Row(
        "redirect-port-1987.test", "critical", False, ("bad_redirect:critical",)
    ),  # TestFetchHTTP "Redirect to bad port"
    Row("redirect-ip-port-80.test", "ok", True),  # TestExtractRequestTarget "bare IPv4, explicit valid port"
    Row(
        "redirect-ip-port-9999.test", "critical", False, ("bad_redirect:critical",)
    ),  # "bare IPv4, explicit invalid port"
    Row("redirect-ip-https.test", "ok", True),  # TestExtractRequestTarget "bare IPv4, HTTPS"
    Row("redirect-ipv6-literal.test", "ok", True),  # TestFetchHTTP "Redirect to bare IPv6 address"
    Row("redirect-ip-reserved.test", "critical", False, ("bad_redirect:critical",)),  # "bare IPv4, reserved IP address"
    Row(
        "redirect-ipv6-reserved.test", "critical", False, ("bad_redirect:critical",)
    ),  # "bare IPv6, reserved IP address"
    Row("redirect-zone.test", "critical", False, ("bad_redirect:critical",)),  # "bare IPv6, scope zone"
    Row("redirect-empty-host.test", "critical", False, ("bad_redirect:critical",)),  # "invalid empty host"
    Row("redirect-well-known.test", "critical", False, ("bad_redirect:critical",)),  # "invalid .well-known hostname"
    Row("redirect-non-iana.test", "critical", False, ("bad_redirect:critical",)),  # "invalid non-iana hostname"
    Row(
        "redirect-wildcard-ip.test", "critical", False, ("bad_redirect:critical",)
    ),  # "malformed wildcard-ish IPv4 address"
    Row("redirect-trailing-dot.test", "critical", False, ("bad_redirect:critical",)),
    Row(
        "redirect-long-path.test", "critical", False, ("bad_redirect:critical",)
    ),  # TestFetchHTTP "Redirect to long path"
    Row("redirect-path-2000.test", "ok", True),
    Row("redirect-self-loop.test", "critical", False, ("bad_redirect:critical",)),  # TestFetchHTTP "Redirect loop"
    Row("redirect-uppercase.test", "ok", True),  # TestFetchHTTP "Redirect to uppercase Public Suffix"
    # TestHTTPRedirectLookup pathRedirectToFailingURL: the CA names the host redirected to.
    Row("redirect-to-failing.test", "critical", False, ("http_server_error:critical",)),
    Row("redirect-invalid-tld.test", "critical", False, ("bad_redirect:critical",)),  # pathReLookupInvalid
    Row("redirect-other-port-80.test", "ok", True),  # pathReLookup; "valid HTTP redirect, explicit port"
    Row("redirect-https-443.test", "ok", True),  # TestExtractRequestTarget "valid HTTPS redirect, explicit port"
    Row("redirect-to-v4only.test", "ok", True),
    # http_test.go TestFetchHTTP "No IPs for host": the name exists, with no A or AAAA.
    Row("noaddr.test", "critical", False, ("dns_no_address:critical",)),
    Row("nothere.test", "critical", False, ("dns_nxdomain:critical",)),
    Row("caa-forbid.test", "critical", False, ("caa_forbids:critical",)),
    # Reserved addresses: dropped when a usable one remains (va/dns.go getAddrs).
    Row("reserved.test", "critical", False, ("reserved_address:critical",)),
    Row("reserved-mixed.test", "warning", True, ("reserved_address:warning",), ("http_unreachable",)),
    Row("mapped-public.test", "warning", True, ("reserved_address:warning",), ("ipv6_unreachable", "http_unreachable")),
]

# IPv6 by phase (va/http.go processHTTPValidation, fallbackErr, newHTTPValidationTarget).
V6_ROWS = {
    "refused": [
        # http_test.go TestFetchHTTP "Dual homed w/ broken IPv6, working IPv4": the CA falls back.
        Row("v6-refused.test", "warning", True, ("ipv6_unreachable:warning",), ("http_unreachable",)),
        # The https hop resolves again and starts at the dead AAAA: no second fallback.
        Row("v6-refused-https.test", "critical", False, ("ipv6_unreachable:critical",)),
        # TestFetchHTTP "Broken IPv6 only".
        Row("v6only-refused.test", "critical", False, ("http_unreachable:critical",), ("ipv6_unreachable",)),
        Row("v6-refused-other.test", "warning", True, ("ipv6_unreachable:warning",)),
        Row("v4only.test", "ok", True),  # TestFetchHTTP "Working IPv4 only"
    ],
    # Accepted, then nothing: not a dial error, so no fallback (TestFetchHTTP "Timeout for host ..." on IPv6).
    "stall": [Row("v6-stall.test", "critical", False, ("ipv6_unreachable:critical",))],
    "no443": [
        Row("v6-no443.test", "critical", False, ("ipv6_unreachable:critical",)),
        Row("v6-no443-plain.test", "ok", True, (), ("ipv6_unreachable", "http_unreachable")),
    ],
}


@pytest.fixture(scope="module")
def results(internet, tmp_path_factory):
    labs = {kind: TestInternet(tmp_path_factory.mktemp(f"v6-{kind}"), sites=boulder.v6_lab(kind)) for kind in V6_ROWS}
    try:
        for lab in labs.values():
            lab.start()
        jobs = [(row, cli.lab_env(internet)) for row in ROWS]
        jobs += [(row, cli.lab_env(labs[kind])) for kind, rows in V6_ROWS.items() for row in rows]
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = {
                row.name: pool.submit(run_cli, env, row.name, "--json", "--timeout", TIMEOUT) for row, env in jobs
            }
            return {name: future.result() for name, future in futures.items()}
    finally:
        for lab in labs.values():
            lab.stop()


ALL_ROWS = ROWS + [row for rows in V6_ROWS.values() for row in rows]


@pytest.mark.parametrize("row", ALL_ROWS, ids=[row.name for row in ALL_ROWS])
def test_boulder_verdict(row: Row, results):
    report = assert_row(row, results[row.name])
    for finding in report["findings"]:
        if finding["severity"] == "critical" and finding["code"] not in ("cert_expired", "cert_untrusted"):
            assert "The CA will answer: " in finding["detail"], finding


def ca_words(results, name, code):
    report = json.loads(results[name].stdout)
    detail = next(f["detail"] for f in report["findings"] if f["code"] == code)
    return detail.split("The CA will answer: ", 1)[1]


@pytest.mark.parametrize(
    "name,code,words",
    [
        ("v6-stall.test", "ipv6_unreachable", "::1: Fetching http://v6-stall.test/.well-known/acme-challenge/"),
        ("v6-stall.test", "ipv6_unreachable", ": Timeout after connect (your server may be slow or overloaded)"),
        ("v6only-refused.test", "http_unreachable", ": Connection refused"),
        ("v6-refused-https.test", "ipv6_unreachable", "::1: Fetching https://v6-refused-https.test/"),
        # Boulder's fallback re-asks the first URL with its records kept: the https hop is then a "loop".
        ("v6-no443.test", "ipv6_unreachable", ": Redirect loop detected"),
        ("redirect-12.test", "bad_redirect", ": Too many redirects"),
        (
            "redirect-gopher.test",
            "bad_redirect",
            'Only "http" and "https" protocol schemes are supported, not "gopher"',
        ),
        ("redirect-port-1987.test", "bad_redirect", "Only ports 80 and 443 are supported, not 1987"),
        (
            "redirect-ip-reserved.test",
            "bad_redirect",
            "IP address is in a reserved address block: [RFC1918]: Private-Use",
        ),
        ("redirect-zone.test", "bad_redirect", "Invalid host in redirect target: contains scope zone"),
        ("redirect-empty-host.test", "bad_redirect", "Invalid empty host in redirect target"),
        ("redirect-well-known.test", "bad_redirect", "Check webserver config for missing '/' in redirect target."),
        ("redirect-non-iana.test", "bad_redirect", "Invalid host in redirect target, must end in IANA registered TLD"),
        ("redirect-long-path.test", "bad_redirect", ": Redirect target too long"),
        (
            "redirect-self-loop.test",
            "bad_redirect",
            "Fetching http://redirect-self-loop.test:80/loop: Redirect loop detected",
        ),
        ("redirect-to-failing.test", "http_server_error", "Invalid response from http://servererror.test/"),
        (
            "bare-302.test",
            "http_unexpected_status",
            "Invalid response from http://bare-302.test/.well-known/acme-challenge/",
        ),
        (
            "plain-200.test",
            "http_unexpected_status",
            "The key authorization file from the server did not match this challenge",
        ),
        (
            "noaddr.test",
            "dns_no_address",
            "no valid A records found for noaddr.test; no valid AAAA records found for noaddr.test",
        ),
        (
            "nothere.test",
            "dns_nxdomain",
            "DNS problem: NXDOMAIN looking up A for nothere.test - check that a DNS record",
        ),
        ("caa-forbid.test", "caa_forbids", "CAA record for caa-forbid.test prevents issuance"),
        ("reserved.test", "reserved_address", "no valid A records found for reserved.test"),
    ],
)
def test_the_ca_s_words(results, name, code, words):
    assert words in ca_words(results, name, code)


def test_the_report_keeps_what_each_address_showed(results):
    report = json.loads(results["v6-refused.test"].stdout)
    by_purpose = {(p["purpose"], p["address"]): p for p in report["probes"]}
    assert by_purpose[("challenge", "::1")]["error"] == "refused"
    validation = next(p for p in report["probes"] if p["purpose"] == "validation")
    assert validation["outcome"] == "reachable" and validation["address"] != "::1"


def test_a_site_answering_in_12_seconds_renews_at_the_default_timeout(internet):
    """Boulder waits 10 s for a connection and about 20 s for a validation: a challenge path that
    answers 404 after 12 s is reached. At the default --timeout (25 s) certcheck says so too."""
    env = {k: v for k, v in cli.lab_env(internet).items() if k != "CERTCHECK_TIMEOUT"}
    report = assert_row(
        Row("slow-challenge.test", "ok", True, (), ("http_unreachable", "check_incomplete")),
        run_cli(env, "slow-challenge.test", "--json"),
    )
    assert report["names"] == ["slow-challenge.test"]
