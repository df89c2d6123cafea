"""normalise_domain: what people paste becomes one A-label host name, or a one-line refusal."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checks.names import InputError, normalise_domain

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

IP_REASON = "IP address"


# --- accepted forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com", "example.com"),
        ("EXAMPLE.com.", "example.com"),
        ("  example.com \n", "example.com"),
        ("https://example.com/some/path", "example.com"),
        ("http://example.com", "example.com"),
        ("HTTPS://EXAMPLE.COM./", "example.com"),
        ("example.com/some/path?q=1#frag", "example.com"),
        ("www.例え.jp", "www.xn--r8jz45g.jp"),
        ("例え.jp", "xn--r8jz45g.jp"),
        ("https://例え.jp/パス", "xn--r8jz45g.jp"),
        ("WWW.XN--R8JZ45G.JP", "www.xn--r8jz45g.jp"),
        ("ß.de", "xn--zca.de"),
        # Full-width letters and dots, as a Japanese IME types them.
        ("ＥＸＡＭＰＬＥ．ＣＯＭ", "example.com"),
        ("example。com", "example.com"),
        ("EXAMPLE.com。", "example.com"),
        # Slack's link markup, with and without the label.
        ("<http://example.com|example.com>", "example.com"),
        ("<https://www.example.com/path|www.example.com/path>", "www.example.com"),
        ("<http://example.com>", "example.com"),
        ("<http://example.com|Example Site>", "example.com"),
        # Ports and userinfo are not part of the name.
        ("example.com:8443", "example.com"),
        ("https://example.com:8443/x", "example.com"),
        ("http://example.com.:80/", "example.com"),
        ("http://user:secret@example.com/", "example.com"),
        ("https://user@example.com:444/path", "example.com"),
        # Digits are fine as long as the last label is not a number.
        ("1.2.3.com", "1.2.3.com"),
        ("123.example.com", "123.example.com"),
        ("0x1.com", "0x1.com"),
        # Under private suffixes (github.io) Let's Encrypt does issue.
        ("foo.github.io", "foo.github.io"),
        ("foo.uk", "foo.uk"),
        ("a.b.c.d.example.co.uk", "a.b.c.d.example.co.uk"),
        ("x" * 63 + ".com", "x" * 63 + ".com"),
    ],
)
def test_accepts(text: str, expected: str) -> None:
    assert normalise_domain(text) == expected


def test_longest_name_is_accepted() -> None:
    name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])
    assert len(name) == 253
    assert normalise_domain(name) == name
    assert normalise_domain(name + ".") == name


@pytest.mark.parametrize("text", ["example.test", "www.example.test", "EXAMPLE.example.", "a.b.test"])
def test_lab_tlds_only_in_lab_mode(text: str) -> None:
    with pytest.raises(InputError, match="top-level domain"):
        normalise_domain(text)
    assert normalise_domain(text, lab=True) == text.lower().rstrip(".")


@pytest.mark.parametrize("text", ["test", "example", "test.", "foo.localhost", "127.0.0.1", "co.uk"])
def test_lab_mode_still_refuses_non_names(text: str) -> None:
    with pytest.raises(InputError):
        normalise_domain(text, lab=True)


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Empty.
        ("", "give a domain name"),
        ("   ", "give a domain name"),
        ("<>", None),
        # IPv4, IPv6, bracketed, in URLs.
        ("127.0.0.1", IP_REASON),
        ("203.0.113.7.", IP_REASON),
        ("http://127.0.0.1/", IP_REASON),
        ("https://203.0.113.7:8443/x", IP_REASON),
        ("<http://10.0.0.1|10.0.0.1>", IP_REASON),
        ("::1", IP_REASON),
        ("2001:db8::1", IP_REASON),
        ("::ffff:127.0.0.1", IP_REASON),
        ("fe80::1%eth0", IP_REASON),
        ("[::1]", IP_REASON),
        ("[2001:db8::1]:443", IP_REASON),
        ("http://[::1]/", IP_REASON),
        ("https://[2001:db8::1]:8443/path", IP_REASON),
        ("http://user@[::1]/", IP_REASON),
        ("http://[fe80::1%25eth0]/", IP_REASON),
        ("http://[v1.x]/", IP_REASON),
        # Odd IPv4 spellings that resolvers and browsers still read as addresses.
        ("0x7f000001", IP_REASON),
        ("0X7F000001", IP_REASON),
        ("2130706433", IP_REASON),
        ("127.1", IP_REASON),
        ("127.0.1", IP_REASON),
        ("0177.0.0.1", IP_REASON),
        ("0x7f.1", IP_REASON),
        ("127.0x0.0.1", IP_REASON),
        ("4294967296", IP_REASON),
        ("http://2130706433/", IP_REASON),
        ("１２７.０.０.１", IP_REASON),
        ("foo.123", IP_REASON),
        # localhost.
        ("localhost", "localhost"),
        ("LOCALHOST.", "localhost"),
        ("foo.localhost", "localhost"),
        ("http://localhost:8080/", "localhost"),
        ("a.b.localhost", "localhost"),
        # Single labels.
        ("com", "single label"),
        ("intranet", "single label"),
        ("http://intranet/", "single label"),
        # Over-long labels and names.
        ("a" * 64 + ".com", "too long|63"),
        ("https://" + "a" * 64 + ".example.com/", "too long|63"),
        (".".join(["a" * 63] * 4) + ".com", "too long|253"),
        (".".join(["a" * 50] * 6) + ".com", "too long|253"),
        # Bad characters and empty labels.
        ("foo_bar.com", "not a valid host name"),
        ("_acme-challenge.example.com", "not a valid host name"),
        ("foo bar.com", "space"),
        ("http://foo bar.com/", "space"),
        ("foo!.com", "not a valid host name"),
        ("<!channel>", "not a valid host name"),
        ("<!here>", "not a valid host name"),
        ("<@U12345>", None),
        ("exa%6dple.com", "not a valid host name"),
        ("-foo.com", "hyphen"),
        ("foo-.com", "hyphen"),
        ("example..com", "empty label|Empty Label"),
        (".example.com", "empty label|Empty Label"),
        ("example.com..", "empty label|Empty Label"),
        ("xn--a.com", "not a valid host name"),
        ("ab--cd.com", "not a valid host name"),
        # Tabs and line breaks (urlsplit would silently delete them and glue names).
        ("example.com\nexample.org", "one line"),
        ("exa\tmple.com", "one line"),
        ("https://example.com/\r\nHost: evil.com", "one line"),
        # Not under the ICANN section of the public suffix list.
        ("example.invalidtld", "top-level domain"),
        ("example.local", "top-level domain"),
        ("example.internal", "top-level domain"),
        ("example.invalid", "top-level domain"),
        ("router.lan", "top-level domain"),
        # On the list, but no CA validates them over HTTP-01.
        ("example.onion", "HTTP-01"),
        ("1.0.0.10.in-addr.arpa", "HTTP-01"),
        ("router.home.arpa", "HTTP-01"),
        # Public suffixes themselves.
        ("co.uk", "public suffix"),
        ("CO.UK.", "public suffix"),
        ("https://co.jp/", "public suffix"),
        ("kyoto.jp", "public suffix"),
        # Wildcards.
        ("*.example.com", "wildcard"),
        ("https://*.example.com/", "wildcard|not a valid host name"),
        ("*", None),
        # E-mail.
        ("user@example.com", "e-mail"),
        ("mailto:user@example.com", "e-mail"),
        ("MAILTO:user@example.com", "e-mail"),
        ("<mailto:user@example.com|user@example.com>", "e-mail"),
        # Other schemes.
        ("ftp://example.com/", "http and https"),
        ("ssh://example.com", "http and https"),
        ("file:///etc/passwd", "http and https|no host name"),
        ("ws://example.com/", "http and https"),
        ("javascript://example.com/%0aalert(1)", "http and https"),
        ("://example.com", "not a URL"),
        # Malformed ports.
        ("example.com:http", "not a URL"),
        ("example.com:99999", "not a URL"),
        # Far too long to be anything.
        ("a" * 5000, "too long"),
    ],
)
def test_refuses(text: str, reason: str | None) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        normalise_domain(text)
    _assert_one_line(str(caught.value))


def test_refusal_message_quotes_input_safely() -> None:
    with pytest.raises(InputError) as caught:
        normalise_domain("https://" + "\u2028" * 3 + "x" * 300 + "!.com/")
    _assert_one_line(str(caught.value))


# --- properties ----------------------------------------------------------------------

# TLDs whose direct children are registrable (no wildcard rules under them).
TLDS = ["com", "org", "net", "de", "jp", "uk", "io", "fr", "nl", "xn--q9jyb4c"]
ascii_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", fullmatch=True)
unicode_labels = st.text(
    alphabet=st.sampled_from("abcxyzéüßñあいうえおカタカナ例え漢字ёжд0123456789-"),
    min_size=1,
    max_size=20,
)


@st.composite
def candidate_names(draw: st.DrawFn) -> str:
    labels = draw(st.lists(st.one_of(ascii_labels, unicode_labels), min_size=1, max_size=5))
    return ".".join([*labels, draw(st.sampled_from(TLDS))])


@st.composite
def valid_names(draw: st.DrawFn) -> str:
    """Outputs of normalise_domain on plausible input."""
    try:
        return normalise_domain(draw(candidate_names()))
    except InputError:
        assume(False)
        raise  # unreachable


def _assert_one_line(message: str) -> None:
    assert message.strip(), "empty reason"
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert message.isprintable(), f"unprintable characters: {message!r}"
    assert len(message) <= 150, f"{len(message)} characters: {message!r}"


@FAST
@given(valid_names())
def test_idempotent(name: str) -> None:
    assert normalise_domain(name) == name


@FAST
@given(valid_names())
def test_output_shape(name: str) -> None:
    assert name.isascii() and name == name.lower()
    assert len(name) <= 253
    labels = name.split(".")
    assert len(labels) >= 2
    for label in labels:
        assert re.fullmatch(r"[a-z0-9-]{1,63}", label), label
        assert not label.startswith("-") and not label.endswith("-"), label


@FAST
@given(valid_names())
def test_lab_mode_accepts_everything_production_accepts(name: str) -> None:
    assert normalise_domain(name, lab=True) == name


@st.composite
def urls_for(draw: st.DrawFn, name: str) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    userinfo = draw(st.sampled_from(["", "user@", "user:pass@"]))
    host = name + draw(st.sampled_from(["", "."]))
    port = draw(st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")))
    path = draw(st.text(alphabet="abcXYZ019-._~/%!$&'()*+,;=:@", max_size=20))
    query = draw(st.one_of(st.just(""), st.text(alphabet="abc=&%/?:@", max_size=15).map("?".__add__)))
    fragment = draw(st.sampled_from(["", "#", "#top"]))
    return f"{scheme}://{userinfo}{host}{port}/{path}{query}{fragment}"


@st.composite
def wrapped(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(valid_names())
    forms = ["url", "slack", "slack-bare", "upper", "dot", "upper-dot", "spaces"]
    form = draw(st.sampled_from(forms))
    if form == "url":
        text = draw(urls_for(name))
    elif form == "slack":
        url = draw(urls_for(name))
        text = f"<{url}|{url.split('://', 1)[1]}>"
    elif form == "slack-bare":
        text = f"<{draw(urls_for(name))}>"
    elif form == "upper":
        text = name.upper()
    elif form == "dot":
        text = name + "."
    elif form == "upper-dot":
        text = name.upper() + "."
    else:
        text = f"  {name}\n"
    return name, text


@FAST
@given(wrapped())
def test_wrapped_forms_normalise_to_the_same_name(pair: tuple[str, str]) -> None:
    name, text = pair
    assert normalise_domain(text) == name


@FAST
@given(st.text())
def test_arbitrary_text_only_raises_input_error(text: str) -> None:
    for lab in (False, True):
        try:
            normalise_domain(text, lab=lab)
        except InputError as exc:
            _assert_one_line(str(exc))


URL_PIECES = [*"aAzZ09x.-:/[]@%<>|!*_ ?#\\\t\n。．０ｘ例ß", "http://", "https://", "xn--", "::", "com"]
URLISH = st.lists(st.sampled_from(URL_PIECES), max_size=25).map("".join)


@FAST
@given(URLISH)
def test_url_like_text_only_raises_input_error(text: str) -> None:
    try:
        result = normalise_domain(text)
    except InputError as exc:
        _assert_one_line(str(exc))
    else:
        assert normalise_domain(result) == result
