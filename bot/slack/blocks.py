"""The one Block Kit renderer: a report becomes blocks plus a text fallback.

The slash command, the buttons and the nightly alert all post what this module
builds, so a report looks the same wherever it appears. It never fails for
size: Slack rejects a message over 50 blocks or a section over 3,000
characters, so long parts are cut and the rest is counted ("and N more").

Everything that came from outside (what a user typed, what a site answered:
URLs, realms, redirect targets) is escaped here, so `<!channel>` or a
`<https://evil|link>` shows as text and pings or links nobody. What a site
sends is also made inert (`inert`): its `*`, `_`, `~` and backticks cannot
format or break out of a code block, and control or bidi characters (U+202E
turns text around) show as their code points. Every mrkdwn text object is
`verbatim`, so Slack auto-links no bare URL or channel name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import idna

from checks import Report, Severity
from checks.model import Certificate, Finding

from .. import words
from . import limits
from .mrkdwn import escape, finding_text, inert
from .when import Zone, moment_text

MAX_BLOCKS = limits.MESSAGE_BLOCKS
MAX_SECTION = limits.SECTION_TEXT
MAX_FIELD = limits.SECTION_FIELD
MAX_HEADER = limits.HEADER_TEXT
MAX_FALLBACK = limits.FALLBACK_TEXT

ACTIONS_BLOCK = "certcheck_report_actions"
RECHECK = "certcheck_recheck"
SUBSCRIBE = "certcheck_subscribe"
UNSUBSCRIBE = "certcheck_unsubscribe"

_VERDICT_EMOJI = {
    "ok": ":white_check_mark:",
    "warning": ":warning:",
    "critical": ":rotating_light:",
    "unknown": ":grey_question:",
}
_SEVERITY_EMOJI = {
    Severity.CRITICAL: ":red_circle:",
    Severity.WARNING: ":large_yellow_circle:",
    Severity.INFO: ":information_source:",
}


@dataclass(frozen=True)
class Message:
    """What `chat.postMessage` or a response_url post takes: blocks, and the
    text Slack shows in notifications and to screen readers."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def say(key: str, lang: str, **params: object) -> str:
    """A catalogue sentence with every parameter escaped."""
    return words.say(key, lang, **{name: escape(value) for name, value in params.items()})


# Slack's error codes that all mean "the app lost its access".
ACCESS_LOST = {"token_revoked", "invalid_auth", "account_inactive", "team_access_not_granted"}


def pause_words(reason: str, lang: str) -> str:
    """Why a subscription is paused and what fixes it, in words (never the API code)."""
    key = f"pause:{'tokens_revoked' if reason in ACCESS_LOST else reason}"
    return words.say(key if key in words.UI else "pause:other", lang)


def display_name(domain: str) -> str:
    """The name as people write it: `例え.jp` rather than `xn--r8jz45g.jp`."""
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


def report_message(
    report: Report,
    lang: str,
    *,
    subscribed: bool | None = None,
    header: str | None = None,
    intro: str | None = None,
    actions: dict[str, Any] | None = None,
    text: str | None = None,
    tz: Zone = "UTC",
) -> Message:
    """The full report. `subscribed` picks the Subscribe/Unsubscribe button;
    None leaves both off (where no channel is known). The nightly alert
    passes its own `header`, `intro` line, `actions` and fallback `text`.
    Times are shown in `tz`, the readers' zone."""
    name = display_name(report.domain)
    verdict = report.verdict.value
    findings = report.sorted_findings()

    head: list[dict[str, Any]] = [
        _header(header or f"{_VERDICT_EMOJI[verdict]} {name} — {words.say(f'verdict:{verdict}', lang)}"),
    ]
    if intro:
        head.append({"type": "section", "text": _mrkdwn(clip(intro, MAX_SECTION, lang))})
    head += [_summary(report, lang, tz), {"type": "divider"}]
    tail: list[dict[str, Any]] = [_context(report, lang, tz), actions or actions_block(report.domain, lang, subscribed)]
    text = text or _fallback(name, verdict, findings, lang)
    room = limits.MESSAGE_TEXT - limits.characters(text) - limits.characters(head + tail)
    body = _finding_blocks(findings, lang, tz, MAX_BLOCKS - len(head) - len(tail), room)
    return Message(text=text, blocks=head + body + tail)


def actions_block(domain: str, lang: str, subscribed: bool | None) -> dict[str, Any]:
    buttons = [button(words.say("slack:recheck", lang), RECHECK, domain, style="primary")]
    if subscribed is True:
        buttons.append(button(words.say("slack:unsubscribe", lang), UNSUBSCRIBE, domain))
    elif subscribed is False:
        buttons.append(button(words.say("slack:subscribe", lang), SUBSCRIBE, domain))
    return {"type": "actions", "block_id": ACTIONS_BLOCK, "elements": buttons}


def with_actions(blocks: list[dict[str, Any]], domain: str, lang: str, subscribed: bool) -> list[dict[str, Any]]:
    """A posted report's blocks with its buttons redrawn (after Subscribe/Unsubscribe)."""
    return [actions_block(domain, lang, subscribed) if b.get("block_id") == ACTIONS_BLOCK else b for b in blocks]


def clip(text: str, limit: int, lang: str) -> str:
    """At most `limit` characters of mrkdwn, cut where the cut shows.

    Never splits an `&lt;` entity, and closes a code block left open, so the
    remainder still renders."""
    if len(text) <= limit:
        return text
    mark = "\n" + words.say("slack:cut", lang)
    cut = text[: max(0, limit - len(mark) - len("\n```"))]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    if cut.count("```") % 2:
        cut += "\n```"
    return cut + mark


def _header(text: str) -> dict[str, Any]:
    # plain_text parses no markup, and the name is a validated host name.
    if len(text) > MAX_HEADER:
        text = text[: MAX_HEADER - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _summary(report: Report, lang: str, tz: Zone) -> dict[str, Any]:
    key = {True: "renewable:true", False: "renewable:false", None: "renewable:none"}[report.renewable]
    line = f"*{words.say(key, lang)}*"
    if report.certificate is None:
        return {"type": "section", "text": _mrkdwn(f"{line}\n{words.say('cert:none', lang)}")}
    return {
        "type": "section",
        "text": _mrkdwn(line),
        "fields": _certificate_fields(report.certificate, lang, tz),
    }


def _certificate_fields(cert: Certificate, lang: str, tz: Zone) -> list[dict[str, Any]]:
    issuer = escape(inert(cert.issuer))
    if not cert.trusted:
        issuer += f" ({words.say('cert:untrusted', lang)})"
    if cert.days_left >= 0:
        left = words.say("cert:days_left", lang, days=cert.days_left)
    else:
        left = words.say("cert:expired_ago", lang, days=-cert.days_left)
    expires = words.say("cert:expires_on", lang, date=moment_text(cert.not_after, tz, lang, time=False), left=left)
    return [
        _mrkdwn(clip(f"*{words.say('cert:issuer', lang)}*\n{issuer}", MAX_FIELD, lang)),
        _mrkdwn(f"*{words.say('cert:expires', lang)}*\n{expires}"),
        _mrkdwn(f"*{words.say('cert:names', lang)}*\n{_names(cert.sans, lang)}"),
    ]


def _names(sans: tuple[str, ...], lang: str) -> str:
    """As many names as fit in a field, then "and N more"."""
    room = MAX_FIELD - 100
    shown: list[str] = []
    for san in sans:
        piece = escape(inert(display_name(san)))
        if sum(len(s) + 2 for s in shown) + len(piece) > room:
            break
        shown.append(piece)
    text = ", ".join(shown) or "—"
    if len(shown) < len(sans):
        text += " " + words.say("slack:more_names", lang, count=len(sans) - len(shown))
    return text


def _finding_blocks(findings: list[Finding], lang: str, tz: Zone, budget: int, room: int) -> list[dict[str, Any]]:
    """As many findings as fit `budget` blocks and `room` characters, then "and N more"."""
    if not findings:
        return [{"type": "section", "text": _mrkdwn(words.say("findings:none", lang))}]
    blocks: list[dict[str, Any]] = []
    used = 0
    for index, finding in enumerate(findings):
        sections = _finding_sections(finding, lang, tz)
        size = limits.characters(sections)
        left_after = len(findings) - index - 1
        # Keep one block (and its words) for the "and N more" line unless this is the last finding.
        reserve = 1 if left_after else 0
        if len(blocks) + len(sections) + reserve > budget or used + size + 200 * reserve > room:
            blocks.append(
                {
                    "type": "section",
                    "text": _mrkdwn(words.say("slack:more_findings", lang, count=len(findings) - index)),
                }
            )
            break
        blocks.extend(sections)
        used += size
    return blocks


def _finding_sections(finding: Finding, lang: str, tz: Zone) -> list[dict[str, Any]]:
    """Title and detail in one section; the remedy in a second, since the
    paste-ready snippets alone can be long."""
    text = finding_text(finding, lang, tz)
    tag = words.say("slack:severity_tag", lang, label=words.say(f"severity:{finding.severity.label}", lang))
    head = f"{_SEVERITY_EMOJI[finding.severity]} *{escape(text.title)}* {tag}"
    if finding.name:
        head += f" `{escape(finding.name)}`"
    if text.detail:
        head += "\n" + escape(text.detail)
    sections = [{"type": "section", "text": _mrkdwn(clip(head, MAX_SECTION, lang))}]
    if finding.severity >= Severity.WARNING and text.remedy:
        remedy = f"*{words.say('fix', lang)}*\n{escape(text.remedy)}"
        sections.append({"type": "section", "text": _mrkdwn(clip(remedy, MAX_SECTION, lang))})
    return sections


def _context(report: Report, lang: str, tz: Zone) -> dict[str, Any]:
    when = moment_text(report.checked_at, tz, lang)
    return {
        "type": "context",
        "elements": [_mrkdwn(words.say("checked", lang, when=when, ms=report.duration_ms))],
    }


def _fallback(name: str, verdict: str, findings: list[Finding], lang: str) -> str:
    """The notification and screen-reader text: verdict and the worst titles."""
    text = words.say("labelled", lang, label=name, text=words.say(f"verdict:{verdict}", lang))
    titles = [escape(finding_text(f, lang).title) for f in findings if f.severity >= Severity.WARNING]
    if titles:
        text += "\n" + "\n".join(f"• {t}" for t in titles[:5])
        if len(titles) > 5:
            text += "\n" + words.say("slack:more_findings", lang, count=len(titles) - 5)
    return clip(text, MAX_FALLBACK, lang)


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[: limits.BUTTON_TEXT], "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


# The nightly alert ------------------------------------------------------------

SNOOZE = "certcheck_snooze"
SNOOZE_DAYS = 7


def alert_message(report: Report, kind: str, lang: str, *, nights: int = 1, tz: Zone = "UTC") -> Message:
    """What the nightly dry run posts: a new problem, a reminder, or "resolved".

    The text names an access restriction as such, so the notification alone
    says what is wrong; `nights` is how many nights in a row it has been seen.
    """
    name = display_name(report.domain)
    if kind == "resolved":
        text = words.say("nightly:resolved", lang, domain=name)
        return Message(
            text=text,
            blocks=[
                {"type": "section", "text": _mrkdwn(f":white_check_mark: {text}")},
                _context(report, lang, tz),
            ],
        )
    problems = [f for f in report.sorted_findings() if f.severity >= Severity.WARNING]
    worst = finding_text(problems[0], lang).title if problems else words.say(f"verdict:{report.verdict.value}", lang)
    restricted = any(f.code == "access_restricted" for f in problems)
    key = "nightly:restricted" if restricted else "nightly:problem"
    summary = words.say(key, lang, domain=name, title=escape(worst))
    if nights > 1:
        summary += " " + words.say("nightly:since", lang, nights=nights)
    lead = words.say(f"nightly:{kind}", lang)
    emoji = _VERDICT_EMOJI[report.verdict.value]
    return report_message(
        report,
        lang,
        header=f"{emoji} {words.say('labelled', lang, label=lead, text=name)}",
        intro=summary,
        actions=alert_actions(report.domain, lang),
        text=clip(words.say("labelled", lang, label=lead, text=summary), MAX_FALLBACK, lang),
        tz=tz,
    )


def alert_actions(domain: str, lang: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": ACTIONS_BLOCK,
        "elements": [
            button(words.say("slack:snooze", lang, days=SNOOZE_DAYS), SNOOZE, domain),
            button(words.say("slack:recheck", lang), RECHECK, domain, style="primary"),
            button(words.say("slack:unsubscribe", lang), UNSUBSCRIBE, domain),
        ],
    }
