"""Severity rules, from probe results to findings, without a network."""

from checks import classify as c
from checks.dns import CaaSet, DnsAnswer
from checks.findings import certificate, dns, http
from checks.findings.run import check_incomplete
from checks.http01 import Fetch
from checks.judge import (
    caa_findings,
    certificate_findings,
    challenge_findings,
    dns_findings,
    judge,
    root_findings,
)
from checks.lifetime import ExpiryThresholds
from checks.model import Severity, Verdict
from tests import builders
from tests.builders import NOW, finding, report, restricted

URL = "http://x.test/.well-known/acme-challenge/t"


def reply(status, auth=()):
    return c.HttpAnswer(status=status, headers={}, body=b"", www_authenticate=tuple(auth))


def fetched(address, status=None, error=None, url=URL, phase=None, hops=()):
    return Fetch(
        url=url,
        address=address,
        answer=reply(status) if status else None,
        error=error,
        final_url=url,
        final_address=address,
        phase=phase,
        hops=hops,
    )


def codes(findings):
    return sorted((f.code, f.severity.label) for f in findings)


def test_all_reachable_gives_nothing():
    judged = [judge(fetched("127.0.0.1", 404), "challenge"), judge(fetched("::1", 404), "challenge")]
    assert challenge_findings("x.test", judged) == []


def test_broken_ipv6_with_working_ipv4_is_ipv6_unreachable_only():
    judged = [judge(fetched("::1", error="reset"), "challenge"), judge(fetched("127.0.0.1", 404), "challenge")]
    assert codes(challenge_findings("x.test", judged)) == [("ipv6_unreachable", "critical")]


def test_an_ipv6_that_cannot_connect_on_the_first_url_is_a_warning_as_the_ca_falls_back():
    # va/http.go fallbackErr: only a dial error sends Boulder from the first AAAA to the first A.
    for reason in ("refused", "timeout"):
        v6 = fetched("::1", error=reason, phase="dial")
        judged = [judge(v6, "challenge"), judge(fetched("127.0.0.1", 404), "challenge")]
        [finding] = challenge_findings("x.test", judged)
        assert (finding.code, finding.severity.label, finding.params["variant"]) == (
            "ipv6_unreachable",
            "warning",
            "fallback",
        )
        assert "asks again over IPv4" in finding.text("en").detail


def test_an_ipv6_that_fails_after_connecting_or_on_a_redirect_fails_the_validation():
    stalled = fetched("::1", error="timeout", phase="connected")
    on_a_hop = fetched("::1", error="refused", phase="dial", hops=("https://x.test/.well-known/acme-challenge/t",))
    for v6 in (stalled, on_a_hop):
        judged = [judge(v6, "challenge"), judge(fetched("127.0.0.1", 404), "challenge")]
        [finding] = challenge_findings("x.test", judged, validation=judge(v6, "challenge"))
        assert (finding.code, finding.severity.label) == ("ipv6_unreachable", "critical")
        assert finding.params["ca_says"].startswith("::1: Fetching ")


def test_everything_down_is_http_unreachable_once():
    judged = [
        judge(fetched("::1", error="refused"), "challenge"),
        judge(fetched("127.0.0.1", error="refused"), "challenge"),
    ]
    assert codes(challenge_findings("x.test", judged)) == [("http_unreachable", "critical")]


def test_addresses_that_disagree():
    judged = [judge(fetched("127.0.0.1", 404), "challenge"), judge(fetched("127.0.0.2", 401), "challenge")]
    assert codes(challenge_findings("x.test", judged)) == [
        ("access_restricted", "critical"),
        ("addresses_disagree", "critical"),
    ]


def test_disagreeing_on_a_5xx_blocks_as_the_ca_accepts_only_a_200():
    judged = [judge(fetched("127.0.0.1", 404), "challenge"), judge(fetched("127.0.0.2", 503), "challenge")]
    found = challenge_findings("x.test", judged)
    assert {("addresses_disagree", "critical"), ("http_server_error", "critical")} <= set(codes(found))
    server_error = next(f for f in found if f.code == "http_server_error")
    assert server_error.params["ca_says"] == f"127.0.0.2: Invalid response from {URL}: 503"


def test_root_restriction_is_a_warning_alone_and_critical_with_the_challenge():
    root = [judge(fetched("127.0.0.1", 401, url="http://x.test/"), "root")]
    assert codes(root_findings(root, challenge_blocked=False)) == [("access_restricted", "warning")]
    assert codes(root_findings(root, challenge_blocked=True)) == [("access_restricted", "critical")]
    assert root_findings(root, challenge_blocked=False)[0].params["variant"] == "root"


def test_root_over_http_and_https_is_reported_once():
    root = [
        judge(fetched("127.0.0.1", 403, url="http://x.test/"), "root"),
        judge(fetched("127.0.0.1", 403, url="https://x.test/"), "root"),
    ]
    assert len(root_findings(root, challenge_blocked=False)) == 1


def test_dns_failures_in_order_of_meaning():
    a = DnsAnswer("x.test", "A", error="nxdomain")
    aaaa = DnsAnswer("x.test", "AAAA", error="nxdomain")
    assert codes(dns_findings("x.test", a, aaaa)) == [("dns_nxdomain", "critical")]
    assert codes(dns_findings("x.test", DnsAnswer("x.test", "A", error="servfail"), DnsAnswer("x.test", "AAAA"))) == [
        ("dns_servfail", "critical")
    ]
    assert codes(dns_findings("x.test", DnsAnswer("x.test", "A"), DnsAnswer("x.test", "AAAA"))) == [
        ("dns_no_address", "critical")
    ]
    assert (
        dns_findings(
            "x.test", DnsAnswer("x.test", "A", records=("1.2.3.4",)), DnsAnswer("x.test", "AAAA", error="timeout")
        )
        == []
    )


def test_caa_lookup_failure_blocks_issuance():
    failed = CaaSet(owner="x.test", records=(), error=DnsAnswer("x.test", "CAA", error="servfail"))
    assert codes(caa_findings(failed, "letsencrypt.org")) == [("dns_servfail", "critical")]


def cert(days_left, lifetime=90, sans=("x.test",), trusted=True, matches=True):
    return builders.certificate(days_left, lifetime=lifetime, sans=sans, trusted=trusted, matches_host=matches, now=NOW)


def cert_codes(certificate, error=None, thresholds=ExpiryThresholds(warn_days=14, critical_days=7)):
    return codes(certificate_findings("x.test", certificate, error, 443, NOW, thresholds))


def test_certificate_thresholds_are_shares_of_the_lifetime_by_default():
    shares = ExpiryThresholds()
    assert cert_codes(cert(16), thresholds=shares) == [("renewal_overdue", "warning")]
    assert cert_codes(cert(14), thresholds=shares) == [("cert_expiring", "warning"), ("renewal_overdue", "warning")]
    assert cert_codes(cert(7), thresholds=shares)[0] == ("cert_expiring", "critical")
    # A 6-day certificate is not "expiring" the day after it was issued, nor with half its life left.
    assert cert_codes(cert(5, lifetime=6), thresholds=shares) == []
    assert cert_codes(cert(3, lifetime=6), thresholds=shares) == []
    assert cert_codes(cert(0.9, lifetime=6), thresholds=shares)[0] == ("cert_expiring", "warning")


def test_certificate_thresholds_in_days_when_set():
    assert cert_codes(cert(60)) == []
    assert cert_codes(cert(25)) == [("renewal_overdue", "warning")]
    assert cert_codes(cert(11, lifetime=30)) == [("cert_expiring", "warning")]
    assert cert_codes(cert(5)) == [("cert_expiring", "critical"), ("renewal_overdue", "warning")]
    assert cert_codes(cert(-3)) == [("cert_expired", "critical")]


def test_certificate_trust_and_name():
    assert cert_codes(cert(60, trusted=False)) == [("cert_untrusted", "critical")]
    assert cert_codes(cert(60, matches=False)) == [("cert_name_mismatch", "critical")]
    assert cert_codes(None, "refused") == [("tls_unreachable", "warning")]


def test_verdict_and_renewable():
    assert (report().verdict, report().renewable) == (Verdict.OK, True)
    info = finding("ns_delegation", Severity.INFO)
    assert report(info).verdict is Verdict.OK
    root_only = restricted(variant="root")
    assert (report(root_only).verdict, report(root_only).renewable) == (Verdict.WARNING, True)
    blocked = restricted()
    assert (report(blocked).verdict, report(blocked).renewable) == (Verdict.CRITICAL, False)
    expired = finding("cert_expired")
    assert (report(expired).verdict, report(expired).renewable) == (Verdict.CRITICAL, True)
    incomplete = check_incomplete(3.0, ["DNS"])
    assert (report(incomplete).verdict, report(incomplete).renewable) == (Verdict.UNKNOWN, None)
    assert report(incomplete, blocked).renewable is False
    assert [f.code for f in report(info, root_only, blocked).sorted_findings()] == ["access_restricted"] * 2 + [
        "ns_delegation"
    ]


def test_what_the_ca_refuses_blocks_renewal():
    for code in ("ca_rejected_identifier", "ca_validation_failed", "blocked_for_ca"):
        refused = finding(code, source="ca")
        assert report(refused).renewable is False, code
    unavailable = finding("ca_probe_unavailable", Severity.INFO, source="ca")
    assert report(unavailable).renewable is True


def test_the_report_answers_what_the_bot_asks():
    incomplete = check_incomplete(3.0, ["DNS"])
    blocked, info = restricted(), finding("ns_delegation", Severity.INFO)
    seen = report(incomplete, blocked, info)
    assert seen.problems() == [blocked]  # check_incomplete is a warning, but about the check, not the site
    assert (incomplete.is_problem, incomplete.inconclusive, blocked.is_problem, info.is_problem) == (
        False,
        True,
        True,
        False,
    )
    assert seen.incomplete and seen.transient
    assert not report(blocked, info).incomplete and not report(blocked, info).transient


def test_a_passing_transport_failure_is_worth_a_retry_and_a_refusal_is_not():
    def unreachable(reason):
        return http.http_unreachable("x.test", URL, "192.0.2.1", reason=reason, port=80)

    assert report(unreachable("timeout")).transient and report(unreachable("reset")).transient
    assert not report(unreachable("refused")).transient
    assert report(dns.dns_timeout("x.test", "A")).transient
    assert not report(dns.dns_servfail("x.test", "A")).transient
    assert not report(
        certificate.cert_untrusted("x.test", "timeout")
    ).transient  # an OpenSSL message, not a transport reason
    assert report(certificate.tls_unreachable("x.test", 443, "timeout")).transient
