"""How one check is run: ports, resolver, trust anchors, limits, lab mode."""

from __future__ import annotations

import ipaddress
import os
import ssl
from dataclasses import dataclass
from typing import Mapping

DEFAULT_CA_IDENTITY = "letsencrypt.org"
# Boulder gives one validation about 20 s (the RA's gRPC timeout to the VA, `vaService`
# "20s" in test/config/ra.json, less the 200 ms `processHTTPValidation` shaves) and
# each connect 10 s (`singleDialTimeout`, va/va.go). Connections get 85 % of a check
# (checks.engine), so 25 s leaves them 21 s: a site answering in 12 s is not "unreachable".
DEFAULT_TIMEOUT = 25.0

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Lab mode with no narrower list treats every address as public.
ALL_NETWORKS: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("0.0.0.0/0"),
    ipaddress.ip_network("::/0"),
)


class OptionError(ValueError):
    """A setting that cannot be used, with a message a person can act on."""


@dataclass(frozen=True)
class Options:
    resolver: tuple[str, int] | None = None
    http_port: int = 80
    https_port: int = 443
    ca_file: str | None = None
    # Lab mode: these networks count as public, and the special-use TLDs
    # `.test` and `.example` are accepted. Empty means production.
    lab_networks: tuple[IPNetwork, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    ca_identity: str = DEFAULT_CA_IDENTITY
    # Unset: the warning and critical points are fractions of the certificate's lifetime
    # (`checks.lifetime`); a day count a person set wins.
    warn_days: int | None = None
    critical_days: int | None = None
    user_agent: str = "Mozilla/5.0 (compatible; Let's Encrypt validation server; +https://www.letsencrypt.org)"
    body_limit: int = 4096
    # Whether the site's host also fetches the site root when it validates (as
    # Xserver does): True when the user says so, None to recognise it (checks.hosting).
    host_validates_root: bool | None = None
    # How the renewal validates: http-01, dns-01, tls-alpn-01, or auto (DNS-01
    # when a wildcard is in the order, else HTTP-01). Per subscription in the bot.
    challenge: str = "auto"

    @property
    def lab_mode(self) -> bool:
        return bool(self.lab_networks)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Options":
        """Settings from CERTCHECK_* variables; keyword overrides win (CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("CERTCHECK_RESOLVER"):
            values["resolver"] = parse_resolver(env["CERTCHECK_RESOLVER"])
        for key, name in (("http_port", "CERTCHECK_HTTP_PORT"), ("https_port", "CERTCHECK_HTTPS_PORT")):
            if env.get(name):
                values[key] = parse_port(env[name], name)
        if env.get("CERTCHECK_CA_FILE"):
            values["ca_file"] = env["CERTCHECK_CA_FILE"]
        if env.get("CERTCHECK_LAB_NETWORKS"):
            values["lab_networks"] = parse_networks(env["CERTCHECK_LAB_NETWORKS"])
        elif env.get("CERTCHECK_ALLOW_PRIVATE") and parse_flag(
            env["CERTCHECK_ALLOW_PRIVATE"], "CERTCHECK_ALLOW_PRIVATE"
        ):
            values["lab_networks"] = ALL_NETWORKS
        if env.get("CERTCHECK_TIMEOUT"):
            values["timeout"] = parse_timeout(env["CERTCHECK_TIMEOUT"])
        if env.get("CERTCHECK_CA_IDENTITY"):
            values["ca_identity"] = env["CERTCHECK_CA_IDENTITY"].strip().lower()
        for key, name in (("warn_days", "CERTCHECK_WARN_DAYS"), ("critical_days", "CERTCHECK_CRITICAL_DAYS")):
            if env.get(name):
                values[key] = parse_int(env[name], name, 0, 3650)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("ca_file"):
            check_ca_file(str(values["ca_file"]))
        return cls(**values)  # type: ignore[arg-type]


def parse_resolver(text: str) -> tuple[str, int]:
    """`IP`, `IP:PORT`, `[v6]:PORT` or a bare IPv6 address."""
    text = text.strip()
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = parse_port(rest[1:], "resolver port")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = parse_port(port_text, "resolver port")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise OptionError(f"resolver must be an IP address, got {text!r}") from None
    return host, port


def check_ca_file(path: str) -> None:
    """Refuse, at start-up, a trust-anchor file that is missing or holds no PEM certificate:
    later it would look like a site whose TLS is broken."""
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except FileNotFoundError:
        raise OptionError(f"CA file {path!r} does not exist") from None
    except (OSError, ssl.SSLError, ValueError):
        raise OptionError(f"CA file {path!r} holds no PEM certificate") from None


def parse_port(text: str, what: str = "port") -> int:
    return parse_int(text, what, 1, 65535)


def parse_timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OptionError(f"timeout must be a number of seconds, got {text!r}") from None
    if not 0.1 <= value <= 600:
        raise OptionError("timeout must be between 0.1 and 600 seconds")
    return value


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise OptionError(f"bad network list {text!r}: {exc}") from None


def parse_int(text: str, what: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise OptionError(f"{what} must be a whole number, got {text!r}") from None
    if not low <= value <= high:
        raise OptionError(f"{what} must be between {low} and {high}")
    return value


_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def parse_flag(value: str, name: str) -> bool:
    """A boolean setting: 1/0, true/false, yes/no, on/off, in any case."""
    try:
        return _FLAGS[value.strip().lower()]
    except KeyError:
        raise OptionError(f"{name} must be one of 1/0, true/false, yes/no, on/off, got {value!r}") from None
