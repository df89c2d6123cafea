"""checks.ct: newer certificates in CT logs that the server does not serve, against a real stand-in."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from checks.ct import (
    CertNotDeployed,
    CtAnswer,
    CtSettings,
    CtUnavailable,
    MemoryCtCache,
    parse_certspotter,
    parse_crtsh,
    search,
    undeployed,
)
from checks.model import Severity
from checks.options import ALL_NETWORKS, OptionError, Options
from checks.transport import api_client
from checks.webapi import RequestBudget
from tests.standins.ct import CtStandIn
from tests.standins.hierarchy import TestHierarchy

LAB = Options(lab_networks=ALL_NETWORKS)
DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def hierarchy() -> TestHierarchy:
    return TestHierarchy()


@pytest.fixture
def ct():
    with CtStandIn() as standin:
        yield standin


def settings_for(ct: CtStandIn, **changes) -> CtSettings:
    return CtSettings(crtsh_url=ct.crtsh_url, certspotter_url=ct.certspotter_url, **changes)


def ask(settings: CtSettings, name: str, now, *, cache=None, budget=None) -> CtAnswer | None:
    async def run():
        async with api_client(LAB.ca_file, 5.0) as http:
            return await search(http, name, settings, cache or MemoryCtCache(), budget or RequestBudget(), now)

    return asyncio.run(run())


def test_settings_from_env():
    assert CtSettings.from_env(Options(), {}).crtsh_url == "https://crt.sh/"
    assert CtSettings.from_env(Options(), {}).certspotter_url == "https://api.certspotter.com/"
    assert CtSettings.from_env(Options(), {"CERTCHECK_CT": "0"}).enabled is False
    with pytest.raises(OptionError, match="CERTCHECK_CRTSH_URL"):
        CtSettings.from_env(Options(), {"CERTCHECK_CRTSH_URL": "http://127.0.0.1:1/"})
    assert (
        CtSettings.from_env(LAB, {"CERTCHECK_CERTSPOTTER_URL": "http://127.0.0.1:1/"}).certspotter_url
        == "http://127.0.0.1:1/"
    )


def test_parsers_read_the_services_formats_and_refuse_garbage():
    crtsh = [
        {
            "issuer_ca_id": 183267,
            "issuer_name": "C=US, O=Let's Encrypt, CN=R11",
            "common_name": "example.com",
            "name_value": "example.com\nwww.example.com",
            "id": 3616206571,
            "entry_timestamp": "2026-11-07T16:46:43.456",
            "not_before": "2026-11-07T15:46:43",
            "not_after": "2027-02-05T15:46:43",
            "serial_number": "03ffeea57322e24cd6fd",
        },
        {"id": 1, "name_value": None},  # a row that makes no sense is skipped, not fatal
    ]
    (row,) = parse_crtsh(crtsh)
    assert row.names == {"example.com", "www.example.com"} and row.serial == 0x03FFEEA57322E24CD6FD
    assert row.not_before == dt.datetime(2026, 11, 7, 15, 46, 43, tzinfo=dt.timezone.utc)
    spotter = [
        {
            "id": "9",
            "tbs_sha256": "ab",
            "cert_sha256": "cd",
            "dns_names": ["Example.com"],
            "not_before": "2026-11-07T15:46:43-00:00",
            "not_after": "2027-02-05T15:46:43Z",
            "revoked": False,
        }
    ]
    (issuance,) = parse_certspotter(spotter)
    assert issuance.names == {"example.com"} and issuance.ref == "9"
    for garbage in ({"error": "x"}, "<html>", None):
        with pytest.raises(CtUnavailable):
            parse_crtsh(garbage)
        with pytest.raises(CtUnavailable):
            parse_certspotter(garbage)


def old_and_new(hierarchy: TestHierarchy, names: tuple[str, ...], *, new_names=None, new_age=3 * DAY, old_age=80 * DAY):
    old, _ = hierarchy.leaf(names, not_before=hierarchy.now - old_age)
    new, _ = hierarchy.leaf(new_names or names, not_before=hierarchy.now - new_age)
    return old, new


def test_a_newer_certificate_not_served_is_found_in_crtsh(ct, hierarchy):
    old, new = old_and_new(hierarchy, ("deploy.test", "www.deploy.test"))
    ct.log(old)
    ct.log(new)
    answer = ask(settings_for(ct), "deploy.test", hierarchy.now)
    assert answer is not None and answer.source == "crt.sh"
    found = undeployed(old, "deploy.test", answer, hierarchy.now)
    assert isinstance(found, CertNotDeployed)
    assert found.issued_at == new.not_valid_before_utc
    # 10 days left of 90 is inside the warning point: critical.
    assert (found.code, found.severity) == ("cert_not_deployed", Severity.CRITICAL)
    assert found.params()["issued_at"].endswith("Z")
    # The server that does serve the new one is fine.
    assert undeployed(new, "deploy.test", answer, hierarchy.now) is None


def test_warning_while_the_served_one_has_time(ct, hierarchy):
    old, new = old_and_new(hierarchy, ("early-deploy.test",), old_age=50 * DAY)
    ct.log(old)
    ct.log(new)
    found = undeployed(
        old, "early-deploy.test", ask(settings_for(ct), "early-deploy.test", hierarchy.now), hierarchy.now
    )
    assert found is not None and found.severity is Severity.WARNING


def test_fewer_names_or_a_fresh_issuance_is_not_a_missed_deploy(ct, hierarchy):
    old, narrower = old_and_new(hierarchy, ("a.multi.test", "b.multi.test"), new_names=("a.multi.test",))
    _, fresh = old_and_new(hierarchy, ("a.multi.test", "b.multi.test"), new_age=dt.timedelta(hours=2))
    for cert in (old, narrower, fresh):
        ct.log(cert)
    answer = ask(settings_for(ct), "a.multi.test", hierarchy.now)
    assert answer is not None and len(answer.certificates) == 6  # precertificate and certificate rows
    assert undeployed(old, "a.multi.test", answer, hierarchy.now) is None


def test_cert_spotter_pages_are_followed_when_crtsh_is_rate_limited(ct, hierarchy):
    old, _ = hierarchy.leaf(("paged.test",), not_before=hierarchy.now - 80 * DAY)
    ct.log(old)
    for age in (70, 60, 40):
        ct.log(hierarchy.leaf(("paged.test",), not_before=hierarchy.now - age * DAY)[0])
    newest, _ = hierarchy.leaf(("paged.test",), not_before=hierarchy.now - 5 * DAY)
    ct.log(newest)
    ct.status["crtsh"] = 429
    answer = ask(settings_for(ct), "paged.test", hierarchy.now)
    assert answer is not None and answer.source == "certspotter" and len(answer.certificates) == 5
    assert [r for r in ct.asked("/certspotter/") if "after=" in r]  # the second page was asked for
    found = undeployed(old, "paged.test", answer, hierarchy.now)
    assert found is not None and found.issued_at == newest.not_valid_before_utc  # on the last page


@pytest.mark.parametrize(("crtsh", "certspotter"), [(429, 503), ("garbage", "garbage"), (500, "garbage")])
def test_sources_down_or_garbled_give_no_answer(ct, hierarchy, crtsh, certspotter):
    ct.log(hierarchy.leaf(("down.test",))[0])
    for source, failure in (("crtsh", crtsh), ("certspotter", certspotter)):
        if failure == "garbage":
            ct.garbage[source] = True
        else:
            ct.status[source] = failure
    assert ask(settings_for(ct), "down.test", hierarchy.now) is None


def test_answers_are_kept_for_the_night(ct, hierarchy):
    ct.log(hierarchy.leaf(("cached.test",))[0])
    cache = MemoryCtCache()
    now = hierarchy.now.replace(microsecond=0)  # the JSON form keeps whole seconds
    first = ask(settings_for(ct), "cached.test", now, cache=cache)
    again = ask(settings_for(ct), "cached.test", now + dt.timedelta(hours=10), cache=cache)
    assert first == again and len(ct.asked("/crtsh/")) == 1
    ask(settings_for(ct), "cached.test", now + DAY, cache=cache)
    assert len(ct.asked("/crtsh/")) == 2
    assert CtAnswer.from_json(first.to_json()) == first


def test_off_or_out_of_budget_asks_nothing(ct, hierarchy):
    assert ask(settings_for(ct, enabled=False), "off.test", hierarchy.now) is None
    assert ask(settings_for(ct), "off.test", hierarchy.now, budget=RequestBudget(0)) is None
    assert ct.asked() == []
