"""`certcheck serve` as a process: the command a Procfile runs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx

from tests.slack.harness import SECRET
from tests.slack.standin import SlackStandIn, signed_post

CLI = [sys.executable, "-m", "bot.cli"]


def _env(slack: SlackStandIn, database_url: str, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CERTCHECK_", "DATABASE_URL", "PORT"))}
    return {
        **keep,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "PORT": "0",
        "CERTCHECK_HOST": "127.0.0.1",
        # Lab mode for the response_urls: the stand-in listens on loopback.
        "CERTCHECK_LAB_NETWORKS": "127.0.0.0/8",
        **extra,
    }


def test_serve_answers_slack_and_stops_cleanly_on_sigterm(slack, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    env = _env(slack, url)
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([*CLI, "serve"], env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        # The server prints its port once it is bound; reading blocks until then.
        line = server.stdout.readline()
        match = re.search(r"listening on port (\d+)", line)
        assert match, f"unexpected first line {line!r}"
        base = f"http://127.0.0.1:{match.group(1)}"

        assert httpx.get(base + "/healthz", timeout=10).status_code == 200
        body = urlencode(
            {
                "team_id": "T0001",
                "channel_id": "C0001",
                "user_id": "U0001",
                "command": "/certcheck",
                "text": "help",
                "response_url": slack.response_url("proc"),
            }
        )
        assert signed_post(base + "/slack/events", SECRET, body).status_code == 200
        assert "/certcheck subscribe" in slack.wait_posts("proc")[0].text
        assert httpx.get(base + "/nowhere", timeout=10).status_code == 404
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
        server.stdout.close()
    log.seek(0)
    output = log.read()
    log.close()
    assert code == 0, output
    assert "will be unused" not in output


def test_serve_and_nightly_refuse_a_revoked_token_in_one_line(slack, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'token.sqlite3'}"
    env = _env(slack, url, SLACK_BOT_TOKEN="xoxb-revoked")
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    for command in (["serve"], ["nightly", "--once"]):
        result = subprocess.run([*CLI, *command], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 3, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "invalid_auth" in lines[0] and "SLACK_BOT_TOKEN" in lines[0], lines
    assert not any(r.path == "/api/chat.postMessage" for r in slack.snapshot())


def test_serve_refuses_a_database_that_is_not_migrated(slack, tmp_path: Path):
    env = _env(slack, f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = subprocess.run([*CLI, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "certcheck db upgrade" in result.stderr


def test_serve_names_the_missing_secret(slack, tmp_path: Path):
    env = _env(slack, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    del env["SLACK_SIGNING_SECRET"]
    result = subprocess.run([*CLI, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_socket_mode_is_chosen_by_the_app_token_and_reports_a_refusal(slack, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'socket.sqlite3'}"
    env = _env(slack, url, SLACK_APP_TOKEN="xapp-1-test")
    del env["SLACK_SIGNING_SECRET"]  # not needed in Socket Mode
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    result = subprocess.run([*CLI, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "Socket Mode" in result.stderr and "invalid_auth" in result.stderr
    opened = [r for r in slack.snapshot() if r.path == "/api/apps.connections.open"]
    assert len(opened) == 1


def test_a_second_nightly_once_says_why_it_did_nothing(slack, tmp_path: Path):
    env = _env(slack, f"sqlite:///{tmp_path / 'nights.sqlite3'}")
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    first = subprocess.run([*CLI, "nightly", "--once"], env=env, capture_output=True, text=True, timeout=60)
    again = subprocess.run([*CLI, "nightly", "--once"], env=env, capture_output=True, text=True, timeout=60)
    assert (first.returncode, again.returncode) == (0, 0), again.stderr
    assert "claimed" in first.stdout
    assert "already swept; nothing checked again" in again.stdout
