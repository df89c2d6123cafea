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
