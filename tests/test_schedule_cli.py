"""The CA's schedule through `certcheck check --json`: TLS fixture sites serving certificates
from the test hierarchy, the ARI and CT stand-ins, the real command line.

Each situation gives its finding, and the same site is silent once it is put right.
"""

from __future__ import annotations

import pytest

from checks.ari import cert_id
from tests import cli
from tests.schedule_fixtures import DAY, issued, renewed_not_deployed, schedule_env


@pytest.fixture(scope="module")
def env(internet, anchors, ca, ct):
    return cli.lab_env(internet, **schedule_env(anchors, ca, ct))


def check(env, name: str) -> dict:
    report = cli.report_of(cli.certcheck("check", name, "--json", "--timeout", "5", env=env))
    report["found"] = {f["code"]: f for f in report["findings"]}
    return report


def test_a_passed_ari_window_is_a_critical_renewal_overdue_until_a_new_certificate_is_served(env, hierarchy, ca, serve):
    name = "schedule-1.test"
    old, key = issued(hierarchy, name, 70)  # 20 of 90 days left: the lifetime rules alone stay quiet
    ca.set_window(cert_id(old), hierarchy.now - 11 * DAY, hierarchy.now - 9 * DAY)
    serve(name, old, key)
    report = check(env, name)
    overdue = report["found"]["renewal_overdue"]
    assert overdue["severity"] == "critical" and "window has passed" in overdue["title"]
    assert "cert_expiring" not in report["found"]
    certificate = report["certificate"]
    assert certificate["lifetime_class"] == "90_day" and certificate["cert_id"] == cert_id(old)
    assert certificate["chain"]["path"][-1].startswith("CN=Test Root Y")

    new, new_key = issued(hierarchy, name, 1)
    ca.set_window(cert_id(new), hierarchy.now + 58 * DAY, hierarchy.now + 60 * DAY)
    serve(name, new, new_key)
    assert "renewal_overdue" not in check(env, name)["found"]


def test_a_replacement_the_ca_asks_for_is_critical_with_its_link_and_goes_when_the_window_is_normal(
    env, hierarchy, ca, serve
):
    name = "schedule-2.test"
    leaf, key = issued(hierarchy, name, 10)
    link = "https://community.letsencrypt.test/t/revocation"
    ca.set_window(cert_id(leaf), hierarchy.now - DAY, hierarchy.now + 2 * DAY, explanation_url=link)
    serve(name, leaf, key)
    report = check(env, name)
    asked = report["found"]["ca_replacement_requested"]
    assert (asked["severity"], asked["url"]) == ("critical", link) and link in asked["detail"]
    assert report["verdict"] == "critical" and asked["remedy"]
    japanese = cli.report_of(cli.certcheck("check", name, "--json", "--lang", "ja", env=env))
    assert any("：" in f["detail"] for f in japanese["findings"] if f["code"] == "ca_replacement_requested")

    ca.set_window(cert_id(leaf), hierarchy.now + 49 * DAY, hierarchy.now + 51 * DAY)
    report = check(env, name)
    assert "ca_replacement_requested" not in report["found"] and report["verdict"] == "ok"


def test_a_renewed_certificate_not_deployed_is_found_in_ct_and_goes_when_it_is_served(env, hierarchy, ct, serve):
    name = "schedule-3.test"
    new, new_key = renewed_not_deployed(hierarchy, ct, serve, name)
    found = check(env, name)["found"]
    assert found["cert_not_deployed"]["severity"] == "warning"
    assert "reload the web server" in found["cert_not_deployed"]["detail"]

    serve(name, new, new_key)
    assert "cert_not_deployed" not in check(env, name)["found"]


def test_a_ct_source_that_is_down_is_no_alarm(env, hierarchy, ct, serve):
    name = "schedule-4.test"
    old, key = issued(hierarchy, name, 30)
    ct.log(old)
    ct.log(issued(hierarchy, name, 3)[0])
    serve(name, old, key)
    ct.status.update(crtsh=503, certspotter=429)
    try:
        report = check(env, name)
    finally:
        ct.status.clear()
    assert "cert_not_deployed" not in report["found"] and report["verdict"] == "ok"


def test_a_missing_intermediate_is_an_incomplete_chain_until_it_is_sent(env, hierarchy, serve):
    name = "schedule-5.test"
    leaf, key = issued(hierarchy, name, 5)
    serve(name, leaf, key, intermediate=False)
    found = check(env, name)["found"]
    assert found["cert_chain_incomplete"]["severity"] == "warning"
    assert "Test Intermediate" in found["cert_chain_incomplete"]["detail"]

    serve(name, leaf, key)
    report = check(env, name)
    assert "cert_chain_incomplete" not in report["found"] and report["verdict"] == "ok"


def test_the_schedule_is_asked_once_per_order_about_the_typed_names_certificate(env, hierarchy, ca, serve):
    # schedule-1.test serves a certificate for both names; schedule-2.test serves its own.
    typed, other = "schedule-1.test", "schedule-2.test"
    leaf, key = hierarchy.leaf((typed, other), not_before=hierarchy.now - 70 * DAY, lifetime=90 * DAY)
    ca.set_window(cert_id(leaf), hierarchy.now - 11 * DAY, hierarchy.now - 9 * DAY)
    serve(typed, leaf, key)
    before = len(ca.asked("/renewal-info/"))
    report = check(env, typed)
    assert report["names"] == [typed, other]
    assert ca.asked("/renewal-info/")[before:] == [f"/renewal-info/{cert_id(leaf)}"]
    overdue = [f for f in report["findings"] if f["code"] == "renewal_overdue"]
    assert [(f["severity"], f["name"]) for f in overdue] == [("critical", typed)]
