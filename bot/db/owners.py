"""Who holds a claim or a lease: unique owner names, and whether their holder still runs."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta


def process_owner() -> str:
    """A name for this process that no other process has had: `host:pid:random:pid-namespace`.

    `host:pid` alone is ambiguous: every container's main process is PID 1,
    often on the same host name after a restart, and containers sharing the
    host's network share its name too. The random part makes the name
    unique; the pid namespace says whether a pid can be looked up from here.
    """
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}:{_pid_namespace()}"


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return ""


def alive(owner: str, until: datetime | None, now: datetime) -> bool:
    """Is `owner` (a lease holder, not this process) still at work, its lease running until `until`?"""
    return heartbeat_alive(owner, until, now, timedelta(0))


def heartbeat_alive(owner: str, heartbeat: datetime | None, now: datetime, lease: timedelta) -> bool:
    """Is the process that claimed a night (not this one) still sweeping it?

    A process of this host and pid namespace is looked up by its pid; any
    other is trusted while its heartbeat is younger than `lease`."""
    # Owners were host:pid, then host:pid:random, before host:pid:random:namespace.
    host, pid, *rest = owner.split(":") + [""]
    namespace = rest[1] if len(rest) > 2 else None
    if host == socket.gethostname() and pid.isdigit() and namespace in (None, _pid_namespace()):
        if int(pid) == os.getpid():
            return False  # an earlier process with our pid (a restarted container's PID 1)
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # Another machine: trust its heartbeat for one lease.
    return heartbeat is not None and now - heartbeat < lease
