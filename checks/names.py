"""Turn what people paste into the A-label host name we check, or refuse it.

Accepts `example.com`, `EXAMPLE.com.`, `https://example.com/path`,
`www.例え.jp`, and Slack's link markup `<http://example.com|example.com>`.
Refuses, with a one-line reason, anything that could not be a public host
name with a certificate of its own.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

import idna

MAX_NAME = 253
MAX_LABEL = 63
# RFC 6761 special-use names the tests and labs use; accepted in lab mode only.
LAB_TLDS = frozenset({"test", "example"})
# On the ICANN list, but no public CA validates names there over HTTP-01:
# .onion is Tor-only (RFC 7686), .arpa is reverse DNS and infrastructure.
NO_HTTP01_TLDS = frozenset({"onion", "arpa"})

_SLACK_LINK = re.compile(r"^<([^<>|]*)(?:\|[^<>]*)?>$")
_IP_REFUSAL = "IP addresses cannot be checked; give the site's host name"
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
    if host.startswith("*."):
        raise InputError(
            "wildcard names renew with DNS-01, not HTTP-01; check a concrete name such as www"
        )
    try:
        # Map first, so a trailing full-width or ideographic dot (。) is seen as
        # the root dot and dropped like a trailing '.'. Only one: '..' is an error.
        mapped = idna.uts46_remap(host, std3_rules=True)
        mapped = mapped[:-1] if mapped.endswith(".") else mapped
        ascii_name = idna.encode(mapped, uts46=True, std3_rules=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InputError(
            f"{_short(host, 40)} is not a valid host name ({_idna_reason(exc)})"
        ) from None
    except UnicodeError:
        raise InputError(f"{_short(host, 40)} is not a valid host name") from None
    ascii_name = ascii_name.lower()
    _refuse_ip_literal(ascii_name)
    _check_shape(ascii_name)
    _check_public(ascii_name, lab)
    return ascii_name


def _host_part(raw: str) -> str:
    match = _SLACK_LINK.match(raw)
    if match:
        raw = match.group(1).strip()
    # urlsplit silently deletes tabs and line breaks, which would glue two
    # pasted names into one; refuse them instead.
    if any(unicodedata.category(c) == "Cc" for c in raw):
        raise InputError("give one name on one line, without tabs or control characters")
    if raw.lower().startswith("mailto:"):
        raise InputError("that is an e-mail address; give the domain name instead")
    if "://" not in raw:
        if "@" in raw.split("/", 1)[0]:
            raise InputError("that looks like an e-mail address; give the domain name instead")
        # A bare IPv6 address would otherwise fail as a bad port, with a worse reason.
        _refuse_ip_literal(raw.split("/", 1)[0])
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        if not parts.scheme:
            raise InputError(f"{_short(raw)} is not a URL or host name")
        if parts.scheme.lower() not in {"http", "https"}:
            raise InputError(
                f"only http and https URLs can be checked, not {_short(parts.scheme, 20)}:"
            )
        parts.port  # noqa: B018 - raises on a malformed port
        # Brackets only ever hold an IP literal (IPv6 or IPvFuture such as [v1.x]).
        if parts.netloc.rpartition("@")[2].startswith("["):
            raise InputError(_IP_REFUSAL)
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
        # Browsers (WHATWG URL) read any name whose last label is a number as
        # IPv4 (2130706433, 127.1, 0x7f.1, 127.0x0.0.1): never a host name.
        last = candidate[:-1] if candidate.endswith(".") else candidate
        if not re.fullmatch(r"[0-9]+|0x[0-9a-f]*", last.rsplit(".", 1)[-1], re.I):
            return
    raise InputError(_IP_REFUSAL)


def _check_shape(name: str) -> None:
    if len(name) > MAX_NAME:
        raise InputError(f"the name is {len(name)} characters long; DNS allows {MAX_NAME}")
    labels = name.split(".")
    if name == "localhost" or labels[-1] == "localhost":
        raise InputError("localhost is this machine, not a public site")
    if len(labels) < 2:
        raise InputError(
            f"{_short(name, 40)} is a single label; give a full name such as example.com"
        )
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
    if tld in NO_HTTP01_TLDS:
        raise InputError(f".{tld} names cannot get a certificate through HTTP-01 validation")
    psl = _psl()
    suffix = psl.publicsuffix(name, accept_unknown=False)
    if suffix is None:
        raise InputError(f".{tld} is not a top-level domain on the public suffix list")
    if suffix == name:
        raise InputError(
            f"{_short(name)} is a public suffix, not a domain anyone can hold a certificate for"
        )


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList

    # ICANN section only: Let's Encrypt issues for names under private
    # suffixes such as github.io, so those must not be refused.
    return PublicSuffixList(only_icann=True)


def _idna_reason(exc: Exception) -> str:
    text = _short(str(exc).rstrip("."), 70)
    return text or "bad characters"


def _short(text: str, limit: int = 60) -> str:
    # Reasons quote the input and must stay one short line, whatever was pasted.
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
