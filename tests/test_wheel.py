"""The package is the product: the wheel, installed outside the source tree, runs every command.

The rest of the suite imports the editable source tree, which cannot see a
module or a migration the wheel leaves out. These tests build the wheel from a
copy of the tree, install it with its dependencies (from the package index,
through pip's cache) into a fresh virtual environment in a temporary
directory, and run the installed `certcheck` from an empty directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.slack.harness import SECRET

ROOT = Path(__file__).resolve().parent.parent
# Building and installing the first time fills pip's cache; later runs take seconds.
pytestmark = pytest.mark.timeout(900)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    certcheck: Path
    empty: Path  # an empty working directory, far from the source tree


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ and *.egg-info beside the sources.
    source = base / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "*.sqlite3", "*.whl"
        ),
    )
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)], cwd=base)
    [wheel] = dist.glob("certcheck-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    # With the postgres extra, as the Dockerfile installs it.
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[postgres]"], cwd=base)
    empty = base / "empty"
    empty.mkdir()
    return Installed(wheel, venv / "bin" / "certcheck", empty)


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=850)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"


def _env(empty: Path, **extra: str) -> dict[str, str]:
    """The machine's environment without anything that points back at the source tree."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CERTCHECK_", "DATABASE_URL", "PORT", "PYTHON", "VIRTUAL_ENV"))
    }
    return {**keep, "DATABASE_URL": f"sqlite:///{empty / 'certcheck.sqlite3'}", **extra}


def test_the_wheel_holds_every_module_and_migration_and_no_tests(installed: Installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for top in ("bot", "checks") for p in (ROOT / top).rglob("*.py")}
    expected |= {
        "bot/migrations/" + str(p.relative_to(ROOT / "migrations"))
        for p in (ROOT / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected - names == set()
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    assert not [n for n in names if n.startswith("migrations/")]  # only as bot.migrations


def test_the_installed_package_runs_every_command_from_an_empty_directory(installed: Installed, internet, slack):
    empty = installed.empty
    env = _env(
        empty,
        **internet.env(),
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        PORT="0",
        CERTCHECK_HOST="127.0.0.1",
        CERTCHECK_TIMEOUT="5",
    )
    cli = str(installed.certcheck)

    def certcheck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([cli, *args], cwd=empty, env=env, capture_output=True, text=True, timeout=120)

    upgraded = certcheck("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (empty / "certcheck.sqlite3").exists()

    checked = certcheck("check", "basic-all.test", "--json")
    assert checked.returncode == 2, checked.stderr
    report = json.loads(checked.stdout)
    assert report["verdict"] == "critical" and "access_restricted" in {f["code"] for f in report["findings"]}

    server = subprocess.Popen(
        [cli, "serve", "--no-nightly"], cwd=empty, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # printed once the port is bound
        match = re.search(r"listening on port (\d+)", line)
        assert match, f"unexpected first line {line!r}"
        assert httpx.get(f"http://127.0.0.1:{match.group(1)}/healthz", timeout=10).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err

    swept = certcheck("nightly", "--once")
    assert swept.returncode == 0, swept.stderr
    assert re.search(r"night \d{4}-\d\d-\d\d: claimed; 0 domains", swept.stdout), swept.stdout


def test_the_installed_package_upgrades_and_sweeps_a_postgresql_database(installed: Installed, postgres, slack):
    from bot.db import Database
    from bot.db.migrate import schema_is_current

    name = postgres.database(migrated=False)
    url = postgres.url(name)
    env = _env(installed.empty, DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=slack.api_url)
    try:
        for args in (["db", "upgrade"], ["nightly", "--once"]):
            done = subprocess.run(
                [str(installed.certcheck), *args],
                cwd=installed.empty,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, (args, done.stderr)
        store = Database(url)
        try:
            assert schema_is_current(store.engine)
        finally:
            store.close()
    finally:
        postgres.drop(name)
