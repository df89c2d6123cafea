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
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import idna

from .messages import refusal

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

MAX_NAME = 253
MAX_LABEL = 63
# RFC 6761 special-use names the tests and labs use; accepted in lab mode only.
LAB_TLDS = frozenset({"test", "example"})
# On the ICANN list, but no public CA validates names there over HTTP-01:
# .onion is Tor-only (RFC 7686), .arpa is reverse DNS and infrastructure.
NO_HTTP01_TLDS = frozenset({"onion", "arpa"})

_SLACK_LINK = re.compile(r"^<([^<>|]*)(?:\|[^<>]*)?>$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InputError(ValueError):
    """The input is not a host name we can check; the message says why in one line.

    `str(error)` is the English line; `error.text(lang)` the same in another
    language, from the message catalogue (keys `input:*`).
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        return refusal(f"input:{self.key}", lang, **self.params)


def normalise_domain(text: str, *, lab: bool = False) -> str:
    """The lower-case A-label form of a pasted name, URL or Slack link."""
    raw = text.strip()
    if not raw:
        raise InputError("empty")
    if len(raw) > 2048:
        raise InputError("input_too_long")
    host = _host_part(raw)
    if not host:
        raise InputError("no_host", text=_short(raw))
    _refuse_ip_literal(host)
    if host.startswith("*."):
        raise InputError("wildcard")
    try:
        # Map first, so a trailing full-width or ideographic dot (。) is seen as
        # the root dot and dropped like a trailing '.'. Only one: '..' is an error.
        mapped = idna.uts46_remap(host, std3_rules=True)
        mapped = mapped[:-1] if mapped.endswith(".") else mapped
        ascii_name = idna.encode(mapped, uts46=True, std3_rules=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InputError("invalid_because", host=_short(host, 40), reason=_idna_reason(exc)) from None
    except UnicodeError:
        raise InputError("invalid", host=_short(host, 40)) from None
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
        raise InputError("control")
    if raw.lower().startswith("mailto:"):
        raise InputError("email")
    if "://" not in raw:
        if "@" in raw.split("/", 1)[0]:
            raise InputError("email_like")
        # A bare IPv6 address would otherwise fail as a bad port, with a worse reason.
        _refuse_ip_literal(raw.split("/", 1)[0])
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        if not parts.scheme:
            raise InputError("not_url", text=_short(raw))
        if parts.scheme.lower() not in {"http", "https"}:
            raise InputError("scheme", scheme=_short(parts.scheme, 20))
        parts.port  # noqa: B018 - raises on a malformed port
        # Brackets only ever hold an IP literal (IPv6 or IPvFuture such as [v1.x]).
        if parts.netloc.rpartition("@")[2].startswith("["):
            raise InputError("ip")
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError("not_url", text=_short(raw)) from None
    # urlsplit lower-cases ASCII but keeps the brackets' content for IPv6.
    if any(c.isspace() for c in host):
        raise InputError("spaces")
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
    raise InputError("ip")


def _check_shape(name: str) -> None:
    if len(name) > MAX_NAME:
        raise InputError("name_too_long", length=len(name), limit=MAX_NAME)
    labels = name.split(".")
    if name == "localhost" or labels[-1] == "localhost":
        raise InputError("localhost")
    if len(labels) < 2:
        raise InputError("single_label", name=_short(name, 40))
    for label in labels:
        if not label:
            raise InputError("empty_label")
        if len(label) > MAX_LABEL:
            raise InputError("label_too_long", length=len(label), limit=MAX_LABEL)
        if not _LABEL.match(label):
            raise InputError("bad_characters", label=_short(label))


def _check_public(name: str, lab: bool) -> None:
    tld = name.rsplit(".", 1)[-1]
    if lab and tld in LAB_TLDS:
        return
    if tld in NO_HTTP01_TLDS:
        raise InputError("no_http01", tld=tld)
    psl = _psl()
    suffix = psl.publicsuffix(name, accept_unknown=False)
    if suffix is None:
        raise InputError("unknown_tld", tld=tld)
    if suffix == name:
        raise InputError("public_suffix", name=_short(name))


@lru_cache(maxsize=1)
def _psl() -> "PublicSuffixList":
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
