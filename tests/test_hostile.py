"""Nothing a site sends can crash a check: random redirect targets, headers and
certificate fields through the real code paths, and a terminal report that
prints no control character a site sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import unicodedata

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.cli.text import render_text
from checks import Options, messages, run_check
from checks.classify import HttpAnswer
from checks.http01 import Fetch
from checks.judge import challenge_findings, judge, root_findings
from checks.model import Report
from checks.served import served_findings
from checks.tls import TlsResult, describe
from tests.internet import web

NOW = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.timezone.utc)
URL = "http://x.test/.well-known/acme-challenge/t"
KEY = ec.generate_private_key(ec.SECP256R1())

header_text = st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=80)
headers = st.dictionaries(
    st.sampled_from(["location", "content-type", "www-authenticate", "server", "x-any"]), header_text
)
answers = st.builds(
    HttpAnswer,
    status=st.integers(100, 599),
    headers=headers,
    body=st.binary(max_size=300),
    www_authenticate=st.lists(header_text, max_size=3).map(tuple),
)


def printable(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cf") for c in text.replace("\n", ""))


@given(answer=answers, purpose=st.sampled_from(["challenge", "root"]), target=header_text)
@settings(max_examples=300, deadline=None)
def test_any_answer_is_judged_and_worded(answer, purpose, target):
    fetch = Fetch(URL, "192.0.2.1", answer=answer, final_url=URL, final_address="192.0.2.1", redirect_target=target)
    judged = judge(fetch, purpose)
    found = challenge_findings("x.test", [judged]) + root_findings([judged], challenge_blocked=False)
    for finding in found:
        for lang in messages.LANGS:
            finding.text(lang)
    report = Report("x.test", "x.test", tuple(found), None, NOW, 1)
    assert printable(render_text(report))


# X.509 caps a name attribute at 64 bytes of UTF-8 (cryptography refuses more).
field_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda t: len(t.encode()) <= 64
)
dns_names = st.text(st.characters(codec="ascii", min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30)


@given(cn=field_text, org=field_text, sans=st.lists(dns_names, max_size=4), days=st.integers(-400, 400))
@example(cn="0", org="0", sans=[":"], days=0)  # a SAN the chain verifier refuses to take as a name
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_certificate_fields_are_described_and_printed_clean(cn, org, sans, days):
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(KEY.public_key())
        .serial_number(1)
        .not_valid_before(NOW - dt.timedelta(days=500))
        .not_valid_after(NOW + dt.timedelta(days=days, hours=1))
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
    der = builder.sign(KEY, hashes.SHA256()).public_bytes(Encoding.DER)
    cert = describe(der, "x.test", NOW, trusted=False, verify_error="self-signed certificate")
    # Through `served_findings`, as a check judges it: expiry by lifetime, the chain, the next lifetime.
    cert, found = served_findings("x.test", TlsResult(cert, None, (der,)), None, NOW, Options())
    report = Report("x.test", "x.test", tuple(found), cert, NOW, 1)
    assert printable(render_text(report)) and printable(render_text(report, "ja"))
    report.to_json("ja")


def test_control_characters_a_site_sends_never_reach_the_terminal():
    realm = "\x1b[2J\x1b[H OK: all clear\u202e"
    answer = HttpAnswer(
        401, {"www-authenticate": f'Basic realm="{realm}"'}, www_authenticate=(f'Basic realm="{realm}"',)
    )
    judged = judge(Fetch(URL, "192.0.2.1", answer=answer, final_url=URL, final_address="192.0.2.1"), "challenge")
    report = Report("x.test", "x.test", tuple(challenge_findings("x.test", [judged])), None, NOW, 1)
    text = render_text(report)
    assert "Basic realm=" in text and "\x1b" not in text and "\u202e" not in text


locations = st.one_of(
    header_text,
    st.sampled_from(
        ["http:x", "http://例え.test/", "//", "http://[::1", "https://x.test:99999/", "http://a..b/", "\x00"]
    ),
)


@given(status=st.sampled_from([301, 302, 303, 307, 308, 200, 401, 404]), location=locations, extra=header_text)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_hostile_site_never_crashes_the_check(internet, status, location, extra):
    # Through the test internet: the site's answer goes over a real socket (the head as latin-1 bytes).
    wire_location = location.encode("utf-8", "replace").decode("latin-1")
    web.HOSTILE["answer"] = web.Response(status, b"x", "text/html", (("Location", wire_location), ("X-Any", extra)))
    try:
        options = Options.from_env({**internet.env(), "CERTCHECK_TIMEOUT": "3"})
        report = asyncio.run(run_check("hostile.test", options))
    finally:
        web.HOSTILE["answer"] = web.Response(404, b"Not Found")
    assert "check_error" not in report.codes(), [f.params for f in report.findings]
    assert printable(render_text(report))
