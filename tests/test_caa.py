"""CAA evaluation (RFC 8659, RFC 8657 validationmethods)."""

from checks.caa import evaluate_caa

LE = "letsencrypt.org"


def test_no_issue_property_does_not_restrict():
    assert evaluate_caa(((0, "iodef", "mailto:a@b.test"),), LE).allowed
    assert not evaluate_caa(((0, "iodef", "mailto:a@b.test"),), LE).restricts


def test_issue_for_the_ca_allows():
    decision = evaluate_caa(((0, "issue", "letsencrypt.org"),), LE)
    assert decision.allowed and decision.restricts


def test_issue_with_account_parameter_allows():
    assert evaluate_caa(((0, "issue", " LetsEncrypt.org ; accounturi=https://x/acct/1"),), LE).allowed


def test_other_ca_only_forbids():
    decision = evaluate_caa(((0, "issue", "pki.goog"), (0, "issue", "sectigo.com")), LE)
    assert (decision.allowed, decision.reason) == (False, "issue")


def test_empty_issue_value_forbids_everyone():
    assert not evaluate_caa(((0, "issue", ";"),), LE).allowed


def test_unknown_critical_tag_forbids_even_when_issue_allows():
    decision = evaluate_caa(((0, "issue", LE), (128, "tbs", "unknown")), LE)
    assert (decision.allowed, decision.reason) == (False, "critical")


def test_unknown_non_critical_tag_is_ignored():
    assert evaluate_caa(((0, "issue", LE), (0, "tbs", "unknown")), LE).allowed


def test_validationmethods_without_http01_forbids():
    decision = evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=dns-01"),), LE)
    assert (decision.allowed, decision.reason) == (False, "method")
    assert evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=dns-01,http-01"),), LE).allowed


def test_issuewild_applies_only_to_wildcards():
    records = ((0, "issue", LE), (0, "issuewild", "pki.goog"))
    assert evaluate_caa(records, LE).allowed
    assert not evaluate_caa(records, LE, wildcard=True).allowed


def test_ca_identity_is_configurable():
    assert evaluate_caa(((0, "issue", "pki.goog"),), "pki.goog").allowed
