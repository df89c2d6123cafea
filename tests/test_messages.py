"""The message catalogue: every code speaks both languages and renders cleanly."""

import re

import pytest

from checks import messages
from checks.messages.findings import CATALOGUE, PHRASES
from checks.messages.ui import UI
from checks.codes import BLOCKS_RENEWAL

CONTRACT_CODES = {
    "access_restricted", "access_forbidden", "http_unreachable", "bad_redirect", "reserved_address",
    "ipv6_unreachable", "addresses_disagree", "dns_nxdomain", "dns_no_address", "dns_servfail",
    "caa_forbids", "cert_expired", "cert_expiring", "renewal_overdue", "cert_name_mismatch",
    "cert_untrusted", "tls_unreachable",
}


def test_every_contract_code_has_words():
    assert CONTRACT_CODES <= messages.codes()
    assert BLOCKS_RENEWAL <= messages.codes()


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_english_and_japanese(key):
    assert set(CATALOGUE[key]) == {"en", "ja"}
    for title, detail, _remedy in CATALOGUE[key].values():
        assert title and detail


@pytest.mark.parametrize("table", [PHRASES, UI])
def test_phrase_tables_are_bilingual(table):
    for key, entry in table.items():
        assert set(entry) >= {"en", "ja"}, key


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_templates_render_without_leftover_fields(key, lang):
    code, _, variant = key.partition(":")
    text = messages.render(code, lang, {"variant": variant or None, "status": 401, "name": "x.test"})
    for part in (text.title, text.detail, text.remedy):
        assert not re.search(r"\{[a-z_]*\}", part), part


def test_snippets_keep_their_braces():
    remedy = messages.render("access_restricted", "en", {"variant": "challenge"}).remedy
    assert "location ^~ /.well-known/acme-challenge/ {" in remedy
    assert "Require env acme_challenge" in remedy


def test_japanese_is_japanese():
    text = messages.render("access_restricted", "ja", {"variant": "root", "url": "http://x/", "status": 401, "scheme": "Basic"})
    assert "エックスサーバー" in text.detail


def test_unknown_language_falls_back_to_english():
    assert messages.render("dns_nxdomain", "fr", {"name": "x.test"}).title == "The name does not exist"
