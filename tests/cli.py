"""The real command line in a subprocess: `certcheck ARGS` as a user or a monitor runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Mapping

CLI = (sys.executable, "-m", "bot.cli")


def certcheck(*args: str, env: Mapping[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `certcheck ARGS` with exactly the environment `env`; output captured as text."""
    return subprocess.run([*CLI, *args], env=dict(env), capture_output=True, text=True, timeout=timeout)


def lab_env(internet: Any, **extra: str) -> dict[str, str]:
    """This process's environment, pointed at the test internet (lab mode), plus `extra`."""
    return {**os.environ, **internet.env(), **extra}


def report_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON report a `check --json` printed (stderr shown when there is none)."""
    assert done.stdout, done.stderr
    return json.loads(done.stdout)
