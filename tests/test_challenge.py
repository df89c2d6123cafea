"""The renewal's method: --challenge, and auto's DNS-01 for a wildcard, through the real CLI."""

from __future__ import annotations

import pytest

from tests import cli
from tests.cli import certcheck


@pytest.fixture(scope="module")
def lab_env(internet):
    return cli.lab_env(internet)


def check(env, *args):
    return cli.report_of(certcheck("check", *args, "--json", "--timeout", "3", env=env))


def test_a_wildcard_means_dns01_and_http_findings_are_information(lab_env):
    report = check(lab_env, "dns01-ok.test")
    assert report["challenge"] == "dns-01" and "*.dns01-ok.test" in report["names"]
    assert {f["severity"] for f in report["findings"] if f["code"] == "access_restricted"} == {"info"}
    assert (report["verdict"], report["renewable"]) == ("ok", True)


def test_a_lame_name_server_of_the_delegated_zone_is_named(lab_env):
    report = check(lab_env, "dns01-lame.test")
    lame = [f for f in report["findings"] if f["code"] == "dns01_lame_server"]
    assert lame and "ns-lame.dns-host.example" in lame[0]["detail"] and "lame-dns.test" in lame[0]["detail"]


def test_stale_txt_records_are_named(lab_env):
    report = check(lab_env, "dns01-stale.test", "--challenge", "dns-01")
    assert report["challenge"] == "dns-01"
    assert any(f["code"] == "dns01_stale_txt" and "5" in f["title"] for f in report["findings"])


def test_caa_is_judged_for_the_method(lab_env):
    # caa-method.test allows letsencrypt.org for dns-01 only: HTTP-01 is refused, DNS-01 is not.
    assert "caa_forbids" in {f["code"] for f in check(lab_env, "caa-method.test")["findings"]}
    report = check(lab_env, "caa-method.test", "--challenge", "dns-01")
    assert "caa_forbids" not in {f["code"] for f in report["findings"]}


def test_tls_alpn_needs_tls_on_every_address(lab_env):
    report = check(lab_env, "notls.test", "--challenge", "tls-alpn-01")
    assert (report["renewable"], report["challenge"]) == (False, "tls-alpn-01")
    assert "tls_alpn_unreachable" in {f["code"] for f in report["findings"]}
    assert check(lab_env, "open.test", "--challenge", "tls-alpn-01")["renewable"] is True


def test_a_wildcard_cannot_renew_over_http01(lab_env):
    report = check(lab_env, "dns01-ok.test", "--challenge", "http-01")
    assert "wildcard_needs_dns01" in {f["code"] for f in report["findings"]} and report["renewable"] is False


def test_caa_bound_to_http01_and_an_account_refuses_dns01(lab_env):
    """RFC 8657 for the renewal's method: validationmethods=http-01 forbids a DNS-01 renewal;
    the account binding is judged for the method as well."""
    report = check(lab_env, "caa-account.test", "--challenge", "dns-01")
    codes = {(f["code"], f["severity"]) for f in report["findings"]}
    assert ("caa_forbids", "critical") in codes and (report["verdict"], report["renewable"]) == ("critical", False)
    assert not any(code == "caa_account_bound" for code, _ in codes)
    [refused] = [f for f in report["findings"] if f["code"] == "caa_forbids"]
    assert "not the dns-01 validation method" in refused["detail"]  # the renewal's method, not always http-01
