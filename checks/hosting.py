"""Hosts that also fetch the site root when they validate a renewal, and how each is recognised.

Xserver's renewal (its own, from the control panel) fetches the site root as
well as the ACME challenge path, so Basic auth on `/` alone stops it (the
seed's failure). The signal used is the reverse DNS of the address the site
resolves to: Xserver's shared servers are named `svNNNN.xserver.jp`, and
their addresses point back to those names. Name servers at Xserver are not
used: a zone can be served there for a site hosted elsewhere. See
docs/checks.md ("Hosts that validate the site root").
"""

from __future__ import annotations

from dataclasses import dataclass

# (host, the reverse DNS suffix of its web servers)
_BY_REVERSE_DNS = (("Xserver", ".xserver.jp"),)


@dataclass(frozen=True)
class RootValidator:
    """Why certcheck holds that the host fetches the root: `signal` is "reverse_dns" or "told"."""

    host: str | None
    signal: str
    ptr: str | None = None


def recognise(ptr_names: tuple[str, ...]) -> RootValidator | None:
    """The host whose servers these reverse DNS names are, when it is one that validates the root."""
    for name in ptr_names:
        name = name.lower().rstrip(".")
        for host, suffix in _BY_REVERSE_DNS:
            if name.endswith(suffix):
                return RootValidator(host, "reverse_dns", name)
    return None


def told() -> RootValidator:
    """The user said so (`--host-validates-root`, `Options.host_validates_root`)."""
    return RootValidator(None, "told")
