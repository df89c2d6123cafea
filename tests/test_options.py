"""Settings read from the environment: one flag parser, one error class."""

import pytest

from checks.options import ALL_NETWORKS, OptionError, Options, parse_flag


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "Yes", " on "])
def test_flags_that_mean_on(text):
    assert parse_flag(text, "X") is True


@pytest.mark.parametrize("text", ["0", "false", "No", "OFF"])
def test_flags_that_mean_off(text):
    assert parse_flag(text, "X") is False


def test_a_flag_that_means_neither_is_refused_by_name():
    with pytest.raises(OptionError) as caught:
        parse_flag("maybe", "CERTCHECK_ALLOW_PRIVATE")
    assert "CERTCHECK_ALLOW_PRIVATE" in str(caught.value) and "\n" not in str(caught.value)


def test_allow_private_is_read_as_a_flag():
    assert Options.from_env({"CERTCHECK_ALLOW_PRIVATE": "yes"}).lab_networks == ALL_NETWORKS
    assert Options.from_env({"CERTCHECK_ALLOW_PRIVATE": "0"}).lab_networks == ()
    with pytest.raises(OptionError):
        Options.from_env({"CERTCHECK_ALLOW_PRIVATE": "sure"})


def test_the_default_timeout_gives_connections_at_least_what_boulder_gives_a_validation():
    # va/va.go: 10 s per connect (singleDialTimeout); about 20 s per validation (the RA's timeout).
    from checks.http01 import CONNECT_TIMEOUT
    from checks.namecheck import PROBE_SHARE
    from checks.options import Options

    assert CONNECT_TIMEOUT == 10.0
    assert Options().timeout * PROBE_SHARE >= 20.0
    assert Options.from_env({"CERTCHECK_TIMEOUT": "3"}).timeout == 3.0
