"""The renewal order, not the name: every name on the certificate, through the real CLI."""

from __future__ import annotations

import pytest

from tests import cli
from tests.cli import certcheck

TIMEOUT = "3"


@pytest.fixture(scope="module")
def lab_env(internet):
    return cli.lab_env(internet)


def check(env, *args):
    return certcheck("check", *args, "--timeout", TIMEOUT, env=env)


def test_every_name_on_the_certificate_is_checked(lab_env):
    done = check(lab_env, "multi.test", "--json")
    report = cli.report_of(done)
    assert report["names"] == ["multi.test", "www.multi.test"]
    assert (report["verdict"], report["renewable"], done.returncode) == ("critical", False, 2)
    blocking = [f for f in report["findings"] if f["code"] == "access_restricted"]
    assert blocking and {f["name"] for f in blocking} == {"www.multi.test"}
    assert {p["name"] for p in report["probes"]} == {"multi.test", "www.multi.test"}


def test_the_headline_names_the_blocking_name(lab_env):
    done = check(lab_env, "multi.test")
    head = done.stdout.splitlines()[:3]
    assert "www.multi.test" in head[1] and "fail" in head[1], head
    assert "multi.test, www.multi.test" in head[2], head


def test_explicit_names_even_without_a_certificate(lab_env):
    report = cli.report_of(check(lab_env, "nothere.test", "--names", "open.test,basic-all.test", "--json"))
    assert report["names"] == ["nothere.test", "open.test", "basic-all.test"]
    names = {(f["code"], f.get("name")) for f in report["findings"]}
    assert ("dns_nxdomain", "nothere.test") in names and ("access_restricted", "basic-all.test") in names


def test_a_name_that_is_not_public_is_reported(lab_env):
    report = cli.report_of(check(lab_env, "badsan.test", "--json"))
    finding = next(f for f in report["findings"] if f["code"] == "name_not_public")
    assert finding["name"] == "intranet.local" and "local" in finding["detail"]
    assert report["renewable"] is False


def test_an_explicit_name_that_is_not_a_host_name_is_bad_input(lab_env):
    done = check(lab_env, "open.test", "--names", "open.test,127.0.0.1")
    assert done.returncode == 3 and done.stderr.startswith("certcheck: ")


def test_too_many_names_are_bounded_and_said(lab_env):
    many = ",".join(f"n{i}.nothere.test" for i in range(25))
    report = cli.report_of(check(lab_env, "open.test", "--names", many, "--json"))
    assert len(report["names"]) == 20
    skipped = next(f for f in report["findings"] if f["code"] == "names_skipped")
    assert "n24.nothere.test" in skipped["detail"]
    assert report["renewable"] is False  # the checked names that do not exist block it already


def test_a_usage_error_is_unknown_not_critical(lab_env):
    done = certcheck("check", "open.test", "--no-such-flag", env=lab_env)
    assert done.returncode == 3 and "usage:" in done.stderr


@pytest.mark.parametrize("content", [None, "not a certificate\n"])
def test_a_bad_ca_file_is_one_line_at_start_up(lab_env, tmp_path, content):
    path = tmp_path / "ca.pem"
    if content is not None:
        path.write_text(content)
    done = certcheck("check", "open.test", "--ca-file", str(path), env=lab_env)
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(path) in done.stderr
