"""checks.ari: certificate IDs, asking a real (stand-in) ACME server, judging the window."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from cryptography import x509

from checks.ari import AriAnswer, AriClient, AriSettings, MemoryAriCache, cert_id, serial_bytes
from checks.ari_window import CaReplacementRequested, RenewalWindowOpen, evaluate_window, replaced_late
from checks.lifetime import RenewalOverdue
from checks.model import Severity
from checks.options import ALL_NETWORKS, OptionError, Options
from checks.transport import api_client
from checks.webapi import RequestBudget
from tests.standins.ari import AriStandIn
from tests.standins.hierarchy import ORGANISATION, TestHierarchy

LAB = Options(lab_networks=ALL_NETWORKS)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)

# RFC 9773 Appendix A: its example certificate and the ID §4.1 derives from it.
RFC_EXAMPLE = b"""-----BEGIN CERTIFICATE-----
MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
-----END CERTIFICATE-----
"""


def test_cert_id_of_the_rfc_example():
    assert cert_id(x509.load_pem_x509_certificate(RFC_EXAMPLE)) == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(0x87654321, b"\x00\x87\x65\x43\x21"), (0x7F, b"\x7f"), (0x80, b"\x00\x80"), (0, b"\x00"), (0x0100, b"\x01\x00")],
)
def test_serial_bytes_keep_the_der_leading_zero(serial, expected):
    assert serial_bytes(serial) == expected


def test_settings_from_env():
    assert AriSettings.from_env(Options(), {}).directory == "https://acme-v02.api.letsencrypt.org/directory"
    assert AriSettings.from_env(Options(), {"CERTCHECK_ARI": "0"}).enabled is False
    with pytest.raises(OptionError, match="https:// URL"):
        AriSettings.from_env(Options(), {"CERTCHECK_ARI_DIRECTORY": "http://127.0.0.1:1/directory"})
    lab = AriSettings.from_env(
        LAB, {"CERTCHECK_ARI_DIRECTORY": "http://127.0.0.1:1/directory", "CERTCHECK_ARI_ISSUERS": "A, B"}
    )
    assert (lab.directory, lab.issuers) == ("http://127.0.0.1:1/directory", ("A", "B"))


@pytest.fixture(scope="module")
def hierarchy() -> TestHierarchy:
    return TestHierarchy()


@pytest.fixture
def ca():
    with AriStandIn() as standin:
        yield standin


def lookups(ca: AriStandIn, certs, now, *, cache=None, budget=None, issuers=(ORGANISATION,)):
    """Look every certificate up with one client, as one sweep does."""
    settings = AriSettings(directory=ca.directory_url, issuers=issuers)
    cache = cache if cache is not None else MemoryAriCache()

    async def run():
        async with api_client(LAB.ca_file, 5.0) as http:
            client = AriClient(http, settings, cache, budget or RequestBudget())
            return [await client.lookup(c, now) for c in certs]

    return asyncio.run(run())


def test_window_in_the_future_says_nothing(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("future.test",))
    now = hierarchy.now
    ca.set_window(cert_id(leaf), now + 58 * DAY, now + 60 * DAY)
    (found,) = lookups(ca, [leaf], now)
    assert found.answer is not None and found.answer.known and not found.cached
    assert evaluate_window(found.answer, leaf, now) is None
    assert ca.asked("/renewal-info/") == [f"/renewal-info/{cert_id(leaf)}"]


def test_open_window(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("open.test",), not_before=hierarchy.now - 60 * DAY)
    now = hierarchy.now
    ca.set_window(cert_id(leaf), now - HOUR, now + DAY)
    (found,) = lookups(ca, [leaf], now)
    observation = evaluate_window(found.answer, leaf, now)
    assert isinstance(observation, RenewalWindowOpen) and observation.severity is Severity.INFO
    assert observation.code == "renewal_window_open"


def test_passed_window_with_the_same_certificate_served_is_overdue(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("passed.test",), not_before=hierarchy.now - 70 * DAY)
    now = hierarchy.now
    start, end = leaf.not_valid_before_utc + 59 * DAY, leaf.not_valid_before_utc + 61 * DAY
    ca.set_window(cert_id(leaf), start, end)
    (found,) = lookups(ca, [leaf], now)
    observation = evaluate_window(found.answer, leaf, now)
    assert isinstance(observation, RenewalOverdue)
    assert (observation.code, observation.severity, observation.basis) == ("renewal_overdue", Severity.CRITICAL, "ari")
    assert observation.params()["window_start"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The answer was about this certificate; a newer one being served makes it moot.
    newer, _ = hierarchy.leaf(("passed.test",))
    assert evaluate_window(found.answer, newer, now) is None


def test_window_moved_into_the_past_with_an_explanation(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("incident.test",), not_before=hierarchy.now - 10 * DAY)
    now = hierarchy.now
    link = "https://ca.test/incidents/2026-12"
    ca.set_window(cert_id(leaf), now - 2 * HOUR, now + 3 * DAY, explanation_url=link)
    (found,) = lookups(ca, [leaf], now)
    observation = evaluate_window(found.answer, leaf, now)
    assert isinstance(observation, CaReplacementRequested) and observation.severity is Severity.CRITICAL
    assert observation.params()["explanation_url"] == link
    assert observation.params()["replace_by"] == (now + 3 * DAY).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_window_moved_early_without_an_explanation_is_a_request_too(hierarchy):
    leaf, _ = hierarchy.leaf(("early.test",))
    now = hierarchy.now
    answer = AriAnswer(cert_id(leaf), now, now + HOUR, now + 10 * DAY, now + 12 * DAY)  # day 11 of 90
    assert isinstance(evaluate_window(answer, leaf, now), CaReplacementRequested)
    # An explanation on a normal future window is the CA explaining its load spreading.
    normal = AriAnswer(cert_id(leaf), now, now + HOUR, now + 58 * DAY, now + 60 * DAY, "https://ca.test/ari")
    assert evaluate_window(normal, leaf, now) is None


def test_unknown_certificate_is_a_404_kept_for_a_while(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("unknown.test",))
    cache = MemoryAriCache()
    first, again = lookups(ca, [leaf, leaf], hierarchy.now, cache=cache)
    assert first.answer is not None and not first.answer.known
    assert again.cached and len(ca.asked("/renewal-info/")) == 1
    assert evaluate_window(first.answer, leaf, hierarchy.now) is None


def test_retry_after_is_honoured_and_capped(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("retry.test",))
    now = hierarchy.now
    ca.set_window(cert_id(leaf), now + 58 * DAY, now + 60 * DAY, retry_after="3600")
    cache = MemoryAriCache()
    (first,) = lookups(ca, [leaf], now, cache=cache)
    assert first.answer.retry_after == now + HOUR
    (cached,) = lookups(ca, [leaf], now + 30 * dt.timedelta(minutes=1), cache=cache)
    assert cached.cached and len(ca.asked("/renewal-info/")) == 1
    ca.set_window(cert_id(leaf), now + 58 * DAY, now + 60 * DAY, retry_after="9999999")
    (fresh,) = lookups(ca, [leaf], now + 2 * HOUR, cache=cache)
    assert not fresh.cached and len(ca.asked("/renewal-info/")) == 2
    assert fresh.answer.retry_after == now + 2 * HOUR + DAY  # a day at most (RFC 9773 §4.3.2)


def test_server_error_gives_no_observation_and_is_not_cached(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("error.test",))
    ca.fail(cert_id(leaf), 503)
    cache = MemoryAriCache()
    (found,) = lookups(ca, [leaf], hierarchy.now, cache=cache)
    assert (found.answer, found.skipped, found.error) == (None, "unavailable", "HTTP 503")
    assert cache.get(cert_id(leaf)) is None


def test_a_ca_without_renewal_info_is_not_asked(hierarchy):
    leaf, _ = hierarchy.leaf(("nori.test",))
    with AriStandIn(renewal_info=False) as ca:
        (found,) = lookups(ca, [leaf], hierarchy.now)
        assert found.skipped == "no_renewal_info" and ca.asked("/renewal-info/") == []


def test_other_cas_and_expired_certificates_are_not_asked(ca, hierarchy):
    leaf, _ = hierarchy.leaf(("elsewhere.test",))
    (other,) = lookups(ca, [leaf], hierarchy.now, issuers=("DigiCert Inc",))
    (expired,) = lookups(ca, [leaf], leaf.not_valid_after_utc + HOUR)
    assert (other.skipped, expired.skipped) == ("other_ca", "expired")
    assert ca.asked() == []  # not even the directory


def test_the_nightly_budget_stops_asking(ca, hierarchy):
    first, _ = hierarchy.leaf(("budget-1.test",))
    second, _ = hierarchy.leaf(("budget-2.test",))
    budget = RequestBudget(1)
    one, two = lookups(ca, [first, second], hierarchy.now, budget=budget)
    assert one.skipped is None and two.skipped == "budget" and budget.remaining == 0
    assert len(ca.asked("/renewal-info/")) == 1


def test_answers_survive_a_json_round_trip(hierarchy):
    now = hierarchy.now.replace(microsecond=0)
    answer = AriAnswer("a.b", now, now + HOUR, now + DAY, now + 2 * DAY, "https://ca.test/x")
    assert AriAnswer.from_json(answer.to_json()) == answer


def test_replaced_after_the_window_closed_is_late():
    t = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    windows = [
        AriAnswer("c.1", t, t + HOUR, t + 10 * DAY, t + 12 * DAY),
        AriAnswer("c.1", t + DAY, t + DAY, t + 5 * DAY, t + 6 * DAY),
    ]
    late = replaced_late(windows, t + 8 * DAY)
    assert late is not None and late.params()["days_late"] == 2.0  # the later answer moved the window
    assert late.code == "ari_not_followed" and late.severity is Severity.INFO
    assert replaced_late(windows, t + 5 * DAY + HOUR) is None
    assert replaced_late([], t) is None
