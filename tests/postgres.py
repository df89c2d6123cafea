"""A real PostgreSQL of the suite's own: Debian's server, on loopback, in a temporary data directory.

`scripts/test` installs Debian's `postgresql` package when it is missing. The
server is started once per session with `initdb` and the `postgres` binary
itself (so the process we started is the server, stopped by its own pid),
runs as the `postgres` user when the suite runs as root (PostgreSQL refuses
root), trusts loopback connections, and keeps its unix socket in the
temporary directory too. Every test gets a database of its own, copied from a
template that Alembic brought to the newest schema once.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

READY = "database system is ready to accept connections"
SUPERUSER = "certcheck"
TEMPLATE = "certcheck_template"


def find_postgres() -> Path | None:
    """The directory of Debian's PostgreSQL binaries (the newest version installed), or of any on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


class PostgresServer:
    """One PostgreSQL server; `database()` hands out fresh databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = _free_port()
        # Not under pytest's tmp_path: that is private to root, and the server runs as `postgres`.
        self.home = Path(tempfile.mkdtemp(prefix="certcheck-pg-"))
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self._user = _server_user()
        self._process: subprocess.Popen[str] | None = None
        self._names = itertools.count(1)

    # Life cycle ----------------------------------------------------------

    def start(self) -> "PostgresServer":
        if self._user is not None:
            os.chown(self.home, self._user.pw_uid, self._user.pw_gid)
        initdb = [
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]
        result = subprocess.run(initdb, capture_output=True, text=True, timeout=120, **self._as_server_user())
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr}")
        command = [
            str(self.bindir / "postgres"),
            "-D",
            str(self.data),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-k",
            str(self.home),
            # A test server: durability buys nothing, and fsync costs every commit.
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
            "-c",
            "log_min_messages=warning",
        ]
        self._process = subprocess.Popen(
            command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **self._as_server_user()
        )
        ready = threading.Event()
        threading.Thread(target=self._drain, args=(self._process, ready), daemon=True).start()
        if not ready.wait(60) or self._process.poll() is not None:
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log.read_text()}")
        self._make_template()
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=30)
        shutil.rmtree(self.home, ignore_errors=True)

    def _drain(self, process: subprocess.Popen[str], ready: threading.Event) -> None:
        assert process.stderr is not None
        with self.log.open("a") as log:
            for line in process.stderr:
                log.write(line)
                log.flush()
                if READY in line:
                    ready.set()
        ready.set()  # it exited: let start() see why

    def _as_server_user(self) -> dict[str, Any]:
        if self._user is None:
            return {}
        return {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": [], "cwd": self.home}

    # Databases -----------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def _make_template(self) -> None:
        from bot.db.migrate import upgrade

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        upgrade(self.url(TEMPLATE))

    def database(self, *, migrated: bool = True) -> str:
        """A new, empty database: at the newest schema (a copy of the template), or without tables."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE if migrated else 'template0'}")
        return name

    def drop(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _server_user() -> pwd.struct_passwd | None:
    """PostgreSQL will not run as root: as root, run it as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root and there is no `postgres` user to run PostgreSQL as") from None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
