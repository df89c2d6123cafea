"""The message catalogue: every code speaks both languages and renders cleanly."""

import re

import pytest

from checks import codes, messages
from checks.codes import BLOCKS_RENEWAL
from checks.messages.findings import CATALOGUE, PHRASES
from checks.messages.input import INPUT

CONTRACT_CODES = {
    "access_restricted",
    "access_forbidden",
    "http_unreachable",
    "bad_redirect",
    "reserved_address",
    "ipv6_unreachable",
    "addresses_disagree",
    "dns_nxdomain",
    "dns_no_address",
    "dns_servfail",
    "caa_forbids",
    "cert_expired",
    "cert_expiring",
    "renewal_overdue",
    "cert_name_mismatch",
    "cert_untrusted",
    "tls_unreachable",
}


def test_every_contract_code_has_words():
    assert CONTRACT_CODES <= messages.codes()
    assert BLOCKS_RENEWAL <= messages.codes()


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_english_and_japanese(key):
    assert set(CATALOGUE[key]) == set(messages.LANGS)
    for title, detail, _remedy in CATALOGUE[key].values():
        assert title and detail


@pytest.mark.parametrize("table", [PHRASES, INPUT])
def test_phrase_tables_are_bilingual(table):
    for key, entry in table.items():
        assert set(entry) >= {"en", "ja"}, key


# A value of the right shape for every parameter name the registry uses.
SAMPLES = {
    "status": 401,
    "port": 80,
    "days_left": 5,
    "days_ago": 2,
    "lifetime": 90,
    "records": ['0 issue "example.net"'],
    "sans": ["other.test"],
    "ns": ["ns1.test", "ns2.test"],
    "parts": ["DNS", "HTTP and TLS"],
    "reason": "timeout",
    "redirect_reason": "port",
    "caa_reason": "issue",
    "trap": "firewall",
    "firewall": "Cloudflare",
    "kind": "loopback",
    "scheme": "Basic",
    "realm": "Staff",
    "url": "http://x.test/.well-known/acme-challenge/t",
    "address": "192.0.2.1",
    "owner": "x.test",
}


def declared(key):
    """(code, variant, the parameters the registry declares for them)."""
    code, _, variant = key.partition(":")
    spec = codes.spec(code)
    assert spec is not None, f"{key}: the catalogue has words for a code the registry does not know"
    assert not variant or variant in spec.variants, f"{key}: a variant the registry does not declare"
    return code, variant or None, spec.params_for(variant or None)


def test_every_registered_code_has_words():
    assert {str(code) for code in codes.Code} == messages.codes()


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", messages.LANGS)
def test_every_entry_renders_with_exactly_the_declared_parameters(key, lang):
    code, variant, names = declared(key)
    params = {name: SAMPLES.get(name, f"<{name}>") for name in names}
    text = messages.render(code, lang, {**params, "variant": variant})
    assert text.title and text.detail
    for part in (text.title, text.detail, text.remedy):
        assert not re.search(r"\{[a-z_]*\}", part), part


def test_a_missing_parameter_fails_loudly():
    with pytest.raises(messages.MissingParameter, match="name"):
        messages.render("dns_nxdomain", "en", {})


def test_none_renders_as_empty():
    assert messages.fill("[{firewall}]", firewall=None) == "[]"


def test_snippets_keep_their_braces():
    params = {name: SAMPLES.get(name, "x") for name in codes.SPECS[codes.Code.ACCESS_RESTRICTED].params}
    remedy = messages.render("access_restricted", "en", {**params, "variant": "challenge"}).remedy
    assert "location ^~ /.well-known/acme-challenge/ {" in remedy
    assert "Require env acme_challenge" in remedy


def test_japanese_is_japanese():
    text = messages.render(
        "access_restricted",
        "ja",
        {"variant": "root", "url": "http://x/", "status": 401, "scheme": "Basic", "realm": None},
    )
    assert "エックスサーバー" in text.detail


def test_unknown_language_falls_back_to_english():
    assert messages.render("dns_nxdomain", "fr", {"name": "x.test"}).title == "The name does not exist"


def every_constructed_finding():
    """One finding from every constructor, every variant of it, built with sample facts."""
    from datetime import datetime, timezone

    from checks.acme import answers
    from checks.acme.answers import CaAnswer
    from checks.acme.client import Problem
    from checks.findings import access, certificate, chain, dns, http, run, schedule

    url, address = SAMPLES["url"], SAMPLES["address"]
    answer = CaAnswer(
        "x.test",
        "https://ca.test/dir",
        datetime(2026, 11, 26, tzinfo=timezone.utc),
        "invalid",
        Problem("unauthorized", "nope"),
        url=url,
        address=address,
    )
    for variant in ("challenge", "root", "root_also"):
        name = "x.test" if variant == "challenge" else None
        yield access.access_restricted(url, address, variant=variant, scheme="Basic", realm=None, name=name)
        yield access.access_forbidden(url, address, variant=variant, firewall=None, name=name)
    from checks.hosting import recognise, told

    for host in (recognise(("sv1.xserver.jp",)), told()):
        yield access.access_restricted(url, address, variant="root_host", scheme="Basic", realm=None, host=host)
        yield access.access_forbidden(url, address, variant="root_host", firewall=None, host=host)
    yield http.http_unreachable("x.test", url, address, reason="refused", port=80)
    for falls_back in (True, False):
        yield http.ipv6_unreachable("x.test", url, "2001:db8::1", reason="refused", falls_back=falls_back, ca_says="x")
    yield http.addresses_disagree("a: 404, b: 401", blocking=True)
    yield http.bad_redirect("x.test", url, address, redirect_reason="port", target="http://x.test:8080/")
    yield http.challenge_intercepted("x.test", url, address, status=200, trap="firewall", firewall="Sucuri")
    yield http.challenge_catch_all("x.test", url, address, status=200, content_type="text/html")
    yield http.http_server_error("x.test", url, address, status=503)
    yield http.http_unexpected_status("x.test", url, address, status=418)
    yield dns.dns_nxdomain("x.test")
    yield dns.dns_no_address("x.test")
    yield dns.resolver_blind("x.test", "127.0.0.1:5353", "test")
    yield dns.dns_servfail("x.test", "CAA")
    yield dns.dns_timeout("x.test", "A")
    for usable_left in (True, False):
        yield dns.reserved_address("x.test", "127.0.0.1", "loopback", usable_left=usable_left)
    yield dns.caa_forbids("x.test", ['0 issue "example.net"'], "letsencrypt.org", "issue")
    yield dns.caa_allows("x.test", ['0 issue "letsencrypt.org"'], "letsencrypt.org")
    yield dns.caa_forbids(
        "x.test", ['0 issue "letsencrypt.org; accounturi=https://x.test/1"'], "letsencrypt.org", "account"
    )
    bound = "https://acme-v02.api.letsencrypt.org/acme/acct/1"
    yield dns.caa_account_bound(
        "x.test", [f'0 issue "letsencrypt.org; accounturi={bound}"'], "letsencrypt.org", [bound]
    )
    yield answers.ca_probe_unavailable(
        "x.test", "ca.test", "caa_account", "caa: CAA record for x.test prevents issuance"
    )
    yield dns.ns_delegation("x.test", ["ns1.test"])
    yield certificate.cert_expired("x.test", "2026-11-01 00:00 UTC", 3)
    yield certificate.cert_expiring("x.test", 5, "2026-12-01 00:00 UTC", critical=True)
    yield certificate.cert_expiring("x.test", 0, "2026-12-01 00:00 UTC", critical=True, hours_left=13)
    yield certificate.renewal_overdue(20, 90)
    yield certificate.renewal_overdue(20, 90, window_start="2026-11-01 00:00 UTC", window_end="2026-11-03 00:00 UTC")
    yield schedule.renewal_window_open("2026-11-01 00:00 UTC", "2026-11-03 00:00 UTC")
    yield schedule.ca_replacement_requested("2026-11-03 00:00 UTC", "2026-11-01 00:00 UTC", "https://ca.test/why")
    yield schedule.ca_replacement_requested("2026-11-03 00:00 UTC", "2026-11-01 00:00 UTC", None)
    yield schedule.ari_not_followed("2026-11-03 00:00 UTC", "2026-11-10 00:00 UTC", 7.0)
    yield schedule.cert_not_deployed("x.test", "2026-11-01 00:00 UTC", "2026-11-20 00:00 UTC", "crt.sh", critical=False)
    yield schedule.lifetime_shortening(90, 64, "2027-02-01", 6)
    yield chain.cert_chain_incomplete("CN=R13,O=Let's Encrypt,C=US", "CN=x.test")
    yield chain.cert_chain_order(["CN=x.test", "CN=Root", "CN=R13"], ["CN=x.test", "CN=R13", "CN=Root"])
    yield chain.cert_chain_expired_intermediate("CN=R13", "2026-11-01 00:00 UTC", still_verifies=True)
    yield chain.cert_chain_cross_sign_expiring("CN=Root YR", "CN=ISRG Root X1", "2026-12-01 00:00 UTC")
    yield certificate.cert_name_mismatch("x.test", ["other.test"])
    yield certificate.cert_untrusted("x.test", "self-signed certificate")
    yield certificate.tls_unreachable("x.test", 443, "refused")
    yield run.check_incomplete(10.0, ["DNS"])
    from checks.findings import challenge

    yield challenge.dns01_lame_server("x.test", "x.test", "ns1.x.test", "timeout")
    yield challenge.dns01_servers_disagree("x.test", "x.test", "ns1: a; ns2: b")
    yield challenge.dns01_stale_txt("x.test", "_acme-challenge.x.test", 5)
    yield challenge.tls_alpn_unreachable("x.test", address, 443, "refused")
    yield challenge.wildcard_needs_dns01("*.x.test", "http-01")
    yield run.check_error("x.test", "HTTP and TLS", ValueError("bad"))
    yield run.name_not_public("intranet.local", "unknown_tld", {"tld": "local"})
    yield run.names_skipped(20, ["a.x.test", "b.x.test"])
    for code in (c for c, spec in codes.SPECS.items() if "ca" in spec.variants):
        yield answers.said_by_ca(code, answer, status=401, port=80, rdtype="A")
    yield answers.ca_reachable(answer, 404)
    yield answers.ca_rejected_identifier(answer)
    yield answers.ca_validation_failed(answer)
    yield answers.ca_probe_unavailable("x.test", "ca.test", "pending", 'status "pending"', answer=answer)
    yield answers.ca_probe_unavailable("x.test", "ca.test", "ca_unreachable", "refused")
    yield answers.ca_answer_reused(answer, datetime(2026, 11, 26, 5, tzinfo=timezone.utc), 24)
    yield answers.ca_probe_skipped("x.test", "reserved_address", address="127.0.0.1", kind="loopback")
    yield answers.blocked_for_ca(answers.said_by_ca(codes.Code.ACCESS_FORBIDDEN, answer, status=403))


def test_every_constructor_supplies_what_its_words_need():
    built = list(every_constructed_finding())
    assert {f.code for f in built} == set(codes.Code)
    for finding in built:
        missing = set(codes.SPECS[finding.code].params_for(finding.params.get("variant"))) - set(finding.params)
        assert not missing, (finding.code, missing)
        for lang in messages.LANGS:
            finding.text(lang)  # strict: raises on a parameter the words need and the finding lacks


def test_japanese_reads_as_native():
    """ベーシック認証 for Basic auth, no English gloss beside a Japanese term,
    the full-width colon only, no space after a Japanese full stop: the
    library's words and the bot's (bot/words.py) alike."""
    import re

    from bot.words import UI
    from checks.messages import render
    from checks.messages.findings import CATALOGUE, PHRASES
    from checks.messages.input import INPUT

    detail = render(
        "access_restricted",
        "ja",
        {
            "variant": "challenge",
            "url": "http://x.test/",
            "status": 401,
            "scheme": "Basic",
            "realm": "Staff only",
            "address": "192.0.2.1",
        },
    )
    assert "401（ベーシック認証、認証領域「Staff only」）" in detail.detail and "Basic" not in detail.detail
    assert (
        'Basic realm="Staff only"'
        in render(
            "access_restricted",
            "en",
            {
                "variant": "challenge",
                "url": "u",
                "status": 401,
                "scheme": "Basic",
                "realm": "Staff only",
                "address": "a",
            },
        ).detail
    )

    texts = [part for entry in CATALOGUE.values() for part in entry.get("ja", ())]
    texts += [entry["ja"] for entry in (*PHRASES.values(), *INPUT.values(), *UI.values()) if "ja" in entry]
    for text in texts:
        prose = re.sub(r"```.*?```|`[^`]*`|https?://\S+|\[::\]:\d+|\{[^}]*\}", "X", text, flags=re.S)
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]\s*[:(]", prose), text  # half-width after Japanese
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]\s*\([a-z ]+\)", prose), text  # an English gloss
        assert "。 " not in prose, text
