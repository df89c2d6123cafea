"""What the report says about an expired certificate and a failed lookup, through the real CLI."""

from __future__ import annotations

import pytest

from tests import cli
from tests.cli import certcheck


@pytest.fixture(scope="module")
def lab_env(internet):
    return cli.lab_env(internet)


def check(env, *args):
    return certcheck("check", *args, "--timeout", "3", env=env)


def test_an_expired_certificate_says_expired_days_ago(lab_env):
    done = check(lab_env, "cert-expired.test")
    assert done.returncode == 2
    assert "expired 5 days ago" in done.stdout
    assert "days left" not in done.stdout and "before the certificate expires" not in done.stdout
    assert "certificate has expired" in done.stdout.splitlines()[0]


def test_an_expired_certificate_is_not_also_untrusted(lab_env):
    report = cli.report_of(check(lab_env, "cert-expired.test", "--json"))
    assert [f["code"] for f in report["findings"]] == ["cert_expired"]


@pytest.mark.parametrize(("name", "code"), [("servfail.test", "dns_servfail"), ("dnstimeout.test", "dns_timeout")])
def test_one_finding_per_dns_failure(lab_env, name, code):
    report = cli.report_of(check(lab_env, name, "--json"))
    assert [f["code"] for f in report["findings"]].count(code) == 1, report["findings"]


def test_a_root_only_restriction_never_says_renewal_works(lab_env):
    head = check(lab_env, "basic-root.test").stdout.splitlines()[:2]
    assert "renewal works" not in " ".join(head) and "dry run passed" not in " ".join(head)
    assert "plain HTTP-01 passes" in head[1] and "Xserver" in head[1]


def test_a_host_known_to_fetch_the_root_makes_its_restriction_block(lab_env):
    report = cli.report_of(check(lab_env, "xserver-root.test", "--json"))
    finding = next(f for f in report["findings"] if f["code"] == "access_restricted")
    assert "Xserver" in finding["title"] and "sv12345.xserver.jp" in finding["detail"]
    assert "front page public" in finding["remedy"] and "location = / {" in finding["remedy"]


def test_the_user_can_say_the_host_fetches_the_root(lab_env):
    done = check(lab_env, "basic-root.test", "--host-validates-root", "--json")
    report = cli.report_of(done)
    assert (report["verdict"], report["renewable"], done.returncode) == ("critical", False, 2)
