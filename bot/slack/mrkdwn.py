"""Text from outside, made safe for Slack's mrkdwn: nothing a site or a user sends can format, link or ping.

`escape` is Slack's own rule for its three control characters; `inert`
also turns formatting marks into look-alikes and shows control and bidi
characters as code points, for everything a site controls (realms,
certificate names, redirect targets).
"""

from __future__ import annotations

import unicodedata

from checks.messages import Text, render
from checks.model import Finding

from .when import Zone, localised_params


def escape(text: object) -> str:
    """Slack's three control characters, as its docs ask; nothing else."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Look-alikes Slack does not parse as formatting marks.
_MARKS = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
# Finding parameters that name catalogue phrases, not text a site sent.
_PHRASE_KEYS = frozenset({"variant", "reason", "redirect_reason", "caa_reason", "kind", "via", "trap"})


def inert(text: object) -> str:
    """Site-controlled text that mrkdwn leaves as it is (escape it as well)."""
    shown = "".join(
        f"[U+{ord(ch):04X}]" if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in str(text)
    )
    return shown.translate(_MARKS)


def finding_text(finding: Finding, lang: str, tz: Zone | None = None) -> Text:
    """A finding's words with every site-controlled parameter `inert`; its times in `tz` if given."""
    params = {key: value if key in _PHRASE_KEYS else _inert_value(value) for key, value in finding.params.items()}
    return render(finding.code, lang, localised_params(params, tz, lang) if tz else params)


def _inert_value(value: object) -> object:
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_inert_value(v) for v in value)
    return value
