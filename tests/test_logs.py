"""Log records: one line each, in text or in JSON, whatever a site or Slack sent."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import JsonFormatter, OneLineFormatter, configure
from checks import OptionError


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("certcheck.test", logging.INFO, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_lines_carry_the_event_fields_and_stay_one_line():
    line = JsonFormatter().format(
        _record("checked evil.example\nFAKE OK line", event="check", domain="evil.example", verdict="critical")
    )
    assert "\n" not in line
    data = json.loads(line)
    assert (data["event"], data["domain"], data["verdict"], data["level"]) == (
        "check",
        "evil.example",
        "critical",
        "info",
    )
    assert data["message"] == "checked evil.example\nFAKE OK line"  # escaped by JSON, not lost


def test_text_lines_escape_what_would_forge_a_line():
    text = OneLineFormatter("%(message)s").format(_record("a\nb\x1b[2Jc\u202e"))
    assert text == "a\\nb\\x1b[2Jc\\u202e"


def test_an_unknown_log_format_is_refused_in_one_line():
    with pytest.raises(OptionError, match="CERTCHECK_LOG_FORMAT"):
        configure(env={"CERTCHECK_LOG_FORMAT": "xml"})
