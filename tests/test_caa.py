"""CAA evaluation (RFC 8659, RFC 8657 validationmethods)."""

from checks.caa import evaluate_caa

LE = "letsencrypt.org"


def test_no_issue_property_does_not_restrict():
    assert evaluate_caa(((0, "iodef", "mailto:a@b.test"),), LE).allowed
    assert not evaluate_caa(((0, "iodef", "mailto:a@b.test"),), LE).restricts


def test_issue_for_the_ca_allows():
    decision = evaluate_caa(((0, "issue", "letsencrypt.org"),), LE)
    assert decision.allowed and decision.restricts


ACCOUNT = "https://acme-v02.api.letsencrypt.org/acme/acct/1234"


def test_issuer_is_compared_exactly_as_boulder_does():
    """va/caa.go caaDomainMatches: `caaDomain == issuerDomain`, spaces and tabs trimmed."""
    assert evaluate_caa(((0, "issue", " \tletsencrypt.org ; "),), LE).allowed
    assert not evaluate_caa(((0, "issue", "LetsEncrypt.org"),), LE).allowed


def test_an_account_bound_record_allows_that_account_only():
    """RFC 8657 accounturi, Boulder's caaAccountURIMatches: without the renewal's account the
    record allows issuance to the account it names, and says which."""
    decision = evaluate_caa(((0, "issue", f"letsencrypt.org; accounturi={ACCOUNT}"),), LE)
    assert (decision.allowed, decision.accounts) == (True, (ACCOUNT,))
    assert evaluate_caa(((0, "issue", f"letsencrypt.org; accounturi={ACCOUNT}"),), LE, account=ACCOUNT).allowed
    other = evaluate_caa(((0, "issue", f"letsencrypt.org; accounturi={ACCOUNT}"),), LE, account=ACCOUNT + "5")
    assert (other.allowed, other.reason) == (False, "account")
    # An unbound record beside it: any account will do.
    unbound = ((0, "issue", f"letsencrypt.org; accounturi={ACCOUNT}"), (0, "issue", LE))
    assert evaluate_caa(unbound, LE) == evaluate_caa(((0, "issue", LE),), LE)


def test_an_accounturi_no_account_of_the_ca_can_have_forbids():
    for uri in (
        "https://x/acct/1",
        "https://acme-staging-v02.api.letsencrypt.org/acme/acct/1234",  # staging: not the production VA's
        "https://acme-v02.api.letsencrypt.org/acme/acct/",
        "https://acme-v02.api.letsencrypt.org/acme/acct/12a",
    ):
        decision = evaluate_caa(((0, "issue", f"letsencrypt.org; accounturi={uri}"),), LE)
        assert (decision.allowed, decision.reason) == (False, "account"), uri
    assert evaluate_caa(
        ((0, "issue", "letsencrypt.org; accounturi=https://acme-v01.api.letsencrypt.org/acme/reg/7"),), LE
    ).allowed
    # Another CA's accounts: certcheck does not know its prefixes, so any https URL may be one.
    assert evaluate_caa(
        ((0, "issue", "pki.goog; accounturi=https://dv.acme-v02.api.pki.goog/account/x"),), "pki.goog"
    ).accounts


def test_malformed_parameters_make_the_record_authorise_nobody():
    """parseCAARecord: tag=value, tags of letters and digits, values printable ASCII without spaces."""
    for value in (
        "letsencrypt.org; accounturi",
        "letsencrypt.org; account-uri=x",
        "letsencrypt.org; validationmethods=http-01, dns-01",
    ):
        assert not evaluate_caa(((0, "issue", value),), LE).allowed, value


def test_validationmethods_as_boulder_reads_them():
    """caaValidationMethodMatches: exact names; an unknown one is skipped, a malformed one rejects."""
    assert evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=foo-01,http-01"),), LE).allowed
    assert not evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=HTTP-01"),), LE).allowed
    assert not evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=http_01,http-01"),), LE).allowed
    assert evaluate_caa(((0, "issue", "letsencrypt.org; validationmethods=dns-01"),), LE, method="dns-01").allowed


def test_flag_bit_one_counts_as_critical_and_a_wildcard_needs_a_record():
    assert evaluate_caa(((1, "tbs", "x"), (0, "issue", LE)), LE).reason == "critical"
    assert not evaluate_caa(((0, "iodef", "mailto:a@b.test"),), LE, wildcard=True).allowed


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
