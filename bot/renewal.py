"""How a subscribed domain renews, as its subscriber said: the method and whether the host fetches the root.

`/certcheck subscribe example.com dns-01 root` stores these words on the
subscription (`subscriptions.challenge`, `.host_validates_root`); the nightly
dry run and the channel's `/certcheck example.com` check the domain that way.
Unset (None) means certcheck decides, as `certcheck check` does: `--challenge
auto`, the host recognised by its own signals.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Iterable

from checks import Options

# The words, in ASCII as every command word is. A method word sets the method,
# `auto` lets certcheck decide it; `root` says the host fetches the site root
# as well (Xserver), `no-root` goes back to recognising the host.
METHODS = ("http-01", "dns-01", "tls-alpn-01")
AUTO, ROOT, NO_ROOT = "auto", "root", "no-root"
WORDS = (*METHODS, AUTO, ROOT, NO_ROOT)


@dataclass(frozen=True)
class Renewal:
    """One subscription's settings; None: certcheck decides."""

    challenge: str | None = None
    host_validates_root: bool | None = None

    @property
    def is_default(self) -> bool:
        return self == Renewal()

    def options(self, base: Options) -> Options:
        """`base` with these settings applied (unset ones leave `base` as it is)."""
        changed = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(base, **changed) if changed else base

    def words(self) -> list[str]:
        """The settings as the words that set them (empty: all decided by certcheck)."""
        return ([self.challenge] if self.challenge else []) + ([ROOT] if self.host_validates_root else [])


class RenewalWordError(ValueError):
    """A word that is no setting (`word`), or two that contradict each other (`word` and `other`)."""

    def __init__(self, word: str, other: str | None = None) -> None:
        super().__init__(word if other is None else f"{word} / {other}")
        self.word, self.other = word, other


@dataclass(frozen=True)
class RenewalChange:
    """What a subscribe command's words change: only the settings they name."""

    challenge: tuple[str | None] | None = None  # (value,) when named
    root: tuple[bool | None] | None = None

    @property
    def named(self) -> bool:
        return self.challenge is not None or self.root is not None

    def applied(self, current: Renewal) -> Renewal:
        if self.challenge is not None:
            current = replace(current, challenge=self.challenge[0])
        if self.root is not None:
            current = replace(current, host_validates_root=self.root[0])
        return current


def parse_words(words: Iterable[str]) -> RenewalChange:
    """The change `dns-01 root` asks for; `RenewalWordError` for a word that is no setting,
    or for two that contradict each other (`dns-01 http-01`, `root no-root`)."""
    method: tuple[str, str | None] | None = None  # (the word, the value)
    root: tuple[str, bool | None] | None = None
    for typed in words:
        word = typed.lower()
        if word in METHODS or word == AUTO:
            if method is not None and method[0] != word:
                raise RenewalWordError(method[0], word)
            method = (word, None if word == AUTO else word)
        elif word in (ROOT, NO_ROOT):
            if root is not None and root[0] != word:
                raise RenewalWordError(root[0], word)
            root = (word, True if word == ROOT else None)
        else:
            raise RenewalWordError(typed)
    return RenewalChange(
        challenge=(method[1],) if method is not None else None,
        root=(root[1],) if root is not None else None,
    )
