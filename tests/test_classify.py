"""The pure classifiers: what an HTTP answer means to the CA."""

import ssl
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from checks import classify as c
from checks.classify import HttpAnswer, auth_challenge, classify_challenge, classify_root
from checks.clock import utc
from checks.transport import Reason, classify


def answer(status, body=b"", content_type="text/plain", auth=()):
    return HttpAnswer(status=status, headers={"content-type": content_type}, body=body, www_authenticate=tuple(auth))


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_means_the_validator_reaches_the_token_directory(status):
    assert classify_challenge(answer(status)).kind == c.REACHABLE


def test_a_decorated_404_page_is_still_reachable():
    page = answer(404, b"<html>Not found. Protected by Wordfence</html>", "text/html")
    assert classify_challenge(page).kind == c.REACHABLE


def test_a_200_for_a_random_token_is_never_healthy():
    # Boulder accepts only 200 with the key authorisation; a random token cannot have one.
    assert classify_challenge(answer(200, b"token.thumbprint")).kind == c.UNEXPECTED
    assert classify_challenge(answer(200, b"<html>app</html>", "text/html; charset=utf-8")).kind == c.CATCH_ALL
    assert classify_challenge(answer(200, b"  <!DOCTYPE html><p>", "application/octet-stream")).kind == c.CATCH_ALL
    assert classify_challenge(answer(200, b'{"error": "not found"}', "application/json")).kind == c.CATCH_ALL


def test_401_names_scheme_and_realm():
    outcome = classify_challenge(answer(401, auth=['Basic realm="Staff only"']))
    assert outcome.kind == c.RESTRICTED
    assert outcome.params["scheme"] == "Basic" and outcome.params["realm"] == "Staff only"


def test_401_without_header_is_still_restricted():
    outcome = classify_challenge(answer(401))
    assert outcome.kind == c.RESTRICTED and outcome.params["scheme"] is None


def test_digest_realm_among_other_parameters():
    params = auth_challenge(('Digest nonce="abc", realm="wp", qop="auth"',))
    assert params == {"scheme": "Digest", "realm": "wp"}


def test_unquoted_realm_and_empty_headers():
    assert auth_challenge(("", "Bearer realm=api")) == {"scheme": "Bearer", "realm": "api"}


def test_403_is_forbidden_and_names_a_known_firewall():
    plain = classify_challenge(answer(403, b"Forbidden"))
    assert plain.kind == c.FORBIDDEN and plain.params["firewall"] is None
    cloudflare = classify_challenge(answer(403, b"<title>Attention Required! | Cloudflare</title>", "text/html"))
    assert cloudflare.params["firewall"] == "Cloudflare"


def test_known_trap_pages_are_intercepted():
    cookie = answer(200, b'<html><script src="/aes.js"></script><script>slowAES.decrypt(c,2,a,b)</script>', "text/html")
    assert classify_challenge(cookie).params["trap"] == "testcookie"
    https_port = answer(400, b"<center>The plain HTTP request was sent to HTTPS port</center>", "text/html")
    assert classify_challenge(https_port).params["trap"] == "https_port"
    captcha = answer(202, b"<html>.well-known/sgcaptcha/?r=</html>", "text/html")
    outcome = classify_challenge(captcha)
    assert (outcome.kind, outcome.params["trap"], outcome.params["firewall"]) == (
        c.INTERCEPTED,
        "firewall",
        "SiteGround",
    )


@pytest.mark.parametrize(
    "status,kind",
    [
        (500, c.SERVER_ERROR),
        (503, c.SERVER_ERROR),
        (406, c.UNEXPECTED),
        (429, c.UNEXPECTED),
        (400, c.UNEXPECTED),
        (204, c.UNEXPECTED),
        (202, c.UNEXPECTED),
        (302, c.UNEXPECTED),
        (300, c.UNEXPECTED),
    ],
)
def test_other_statuses(status, kind):
    assert classify_challenge(answer(status)).kind == kind


def test_root_only_cares_about_being_closed():
    assert classify_root(answer(200, b"<html>", "text/html")).kind == c.REACHABLE
    assert classify_root(answer(500)).kind == c.REACHABLE
    assert classify_root(answer(401, auth=["Basic realm=x"])).kind == c.RESTRICTED
    assert classify_root(answer(403)).kind == c.FORBIDDEN


def test_only_reachable_does_not_block():
    assert c.BLOCKING == {
        c.RESTRICTED,
        c.FORBIDDEN,
        c.SERVER_ERROR,
        c.UNEXPECTED,
        c.INTERCEPTED,
        c.CATCH_ALL,
        c.UNREACHABLE,
        c.BAD_REDIRECT,
    }
    assert not c.Outcome(c.REACHABLE).blocking


# --- transport failures: one reason, whichever library raised it ---------------------------


@pytest.mark.parametrize(
    "error,reason",
    [
        (ConnectionRefusedError(), "refused"),
        (ConnectionResetError(), "reset"),
        (BrokenPipeError(), "reset"),
        (TimeoutError(), "timeout"),
        (httpx.ConnectTimeout("slow"), "timeout"),
        (ssl.SSLError(1, "handshake"), "tls"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "reset"),
        (httpx.RemoteProtocolError("illegal status line"), "protocol"),
        (OSError(113, "No route to host"), "other"),
    ],
)
def test_transport_failures_are_named_once(error, reason):
    assert classify(error) == reason


def test_a_cause_names_the_failure():
    try:
        try:
            raise ConnectionRefusedError()
        except ConnectionRefusedError as cause:
            raise httpx.ConnectError("could not connect") from cause
    except httpx.ConnectError as wrapped:
        assert classify(wrapped) is Reason.REFUSED


def test_utc_makes_naive_moments_aware_and_converts_aware_ones():
    naive = datetime(2026, 11, 26, 3, 0)
    assert utc(naive) == naive.replace(tzinfo=timezone.utc)
    tokyo = datetime(2026, 11, 26, 12, 0, tzinfo=timezone(timedelta(hours=9)))
    assert utc(tokyo) == datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc) and utc(tokyo).tzinfo is timezone.utc
