"""Turn what people paste into the A-label host name we check, or refuse it.

Accepts `example.com`, `EXAMPLE.com.`, `https://example.com/path`,
`www.例え.jp`, and Slack's link markup `<http://example.com|example.com>`.
Refuses, with a one-line reason, anything that could not be a public host
name with a certificate of its own.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

import idna

MAX_NAME = 253
MAX_LABEL = 63
# RFC 6761 special-use names the tests and labs use; accepted in lab mode only.
LAB_TLDS = frozenset({"test", "example"})

_SLACK_LINK = re.compile(r"^<([^<>|]*)(?:\|[^<>]*)?>$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InputError(ValueError):
    """The input is not a host name we can check; the message says why in one line."""


def normalise_domain(text: str, *, lab: bool = False) -> str:
    """The lower-case A-label form of a pasted name, URL or Slack link."""
    raw = text.strip()
    if not raw:
        raise InputError("give a domain name, for example example.com")
    if len(raw) > 2048:
        raise InputError("that is far too long to be a domain name")
    host = _host_part(raw)
    if not host:
        raise InputError(f"no host name in {_short(raw)}")
    _refuse_ip_literal(host)
    host = host.rstrip(".") if host.endswith(".") and not host.endswith("..") else host
    if host.startswith("*."):
        raise InputError(
            "wildcard names renew with DNS-01, not HTTP-01; check a concrete name such as www"
        )
    try:
        ascii_name = idna.encode(host, uts46=True, std3_rules=True, transitional=False).decode("ascii")
    except idna.IDNAError as exc:
        raise InputError(f"{_short(host)} is not a valid host name ({_idna_reason(exc)})") from None
    except UnicodeError:
        raise InputError(f"{_short(host)} is not a valid host name") from None
    ascii_name = ascii_name.lower()
    _refuse_ip_literal(ascii_name)
    _check_shape(ascii_name)
    _check_public(ascii_name, lab)
    return ascii_name


def _host_part(raw: str) -> str:
    match = _SLACK_LINK.match(raw)
    if match:
        raw = match.group(1).strip()
    if raw.lower().startswith("mailto:"):
        raise InputError("that is an e-mail address; give the domain name instead")
    if "://" not in raw:
        if "@" in raw.split("/", 1)[0]:
            raise InputError("that looks like an e-mail address; give the domain name instead")
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        if parts.scheme.lower() not in {"http", "https"}:
            raise InputError(f"only http and https URLs can be checked, not {parts.scheme}:")
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{_short(raw)} is not a URL or host name") from None
    # urlsplit lower-cases ASCII but keeps the brackets' content for IPv6.
    if any(c.isspace() for c in host):
        raise InputError("a host name cannot contain spaces")
    return host


def _refuse_ip_literal(host: str) -> None:
    candidate = host.strip("[]")
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        if re.fullmatch(r"[0-9.]+", candidate) or re.fullmatch(r"0x[0-9a-f.x]+", candidate, re.I):
            raise InputError("IP addresses cannot be checked; give the site's host name") from None
        return
    raise InputError("IP addresses cannot be checked; give the site's host name")


def _check_shape(name: str) -> None:
    if len(name) > MAX_NAME:
        raise InputError(f"the name is {len(name)} characters long; DNS allows {MAX_NAME}")
    labels = name.split(".")
    if name == "localhost" or labels[-1] == "localhost":
        raise InputError("localhost is this machine, not a public site")
    if len(labels) < 2:
        raise InputError(f"{name} is a single label; give a full name such as {name}.com")
    for label in labels:
        if not label:
            raise InputError("the name has an empty label (two dots in a row?)")
        if len(label) > MAX_LABEL:
            raise InputError(f"a label is {len(label)} characters long; DNS allows {MAX_LABEL}")
        if not _LABEL.match(label):
            raise InputError(f"{_short(label)} has characters a host name cannot have")


def _check_public(name: str, lab: bool) -> None:
    tld = name.rsplit(".", 1)[-1]
    if lab and tld in LAB_TLDS:
        return
    psl = _psl()
    suffix = psl.publicsuffix(name, accept_unknown=False)
    if suffix is None:
        raise InputError(f".{tld} is not a top-level domain on the public suffix list")
    if suffix == name:
        raise InputError(f"{name} is a public suffix, not a domain anyone can hold a certificate for")


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList

    # ICANN section only: Let's Encrypt issues for names under private
    # suffixes such as github.io, so those must not be refused.
    return PublicSuffixList(only_icann=True)


def _idna_reason(exc: Exception) -> str:
    text = str(exc).rstrip(".")
    return text[:80] or "bad characters"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
