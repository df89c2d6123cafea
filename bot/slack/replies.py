"""What the bot answers to everything but a check: subscriptions, the channel
language, help, and the one-line refusals (bad input, rate limit).

Plain functions over the database, so the slash command and the buttons give
the same answer in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from checks.messages import LANGS

from .. import words
from ..db import Database
from ..db.subscriptions import SubscribeOutcome
from .blocks import display_name, pause_words, say
from .channels import UNTIL_INVITED
from .response_url import ReplyTo, payload


@dataclass(frozen=True)
class Reply:
    text: str
    # True: the whole channel sees it (a change that concerns everyone).
    public: bool = False

    def payload(self) -> dict[str, Any]:
        return payload(self.text, public=self.public)


def help_reply(lang: str) -> Reply:
    return Reply(say("slack:help", lang))


def bad_input(text: str, reason: str, lang: str) -> Reply:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return Reply(say("slack:bad_input", lang, text=shown, reason=reason.rstrip(".")))


def missing_name(verb: str, lang: str) -> Reply:
    return Reply(say("slack:missing_name", lang, verb=verb))


def rate_limited(which: str, seconds: int, lang: str) -> Reply:
    return Reply(say(f"slack:rate_{which}", lang, seconds=seconds))


def subscribe(db: Database, who: ReplyTo, domain: str, lang: str, undeliverable: str | None = None) -> Reply:
    """`undeliverable`: why the bot cannot post in the channel (channels.why_undeliverable), if it cannot."""
    outcome = db.subscriptions.subscribe(who.team, who.channel, domain, who.user)
    name = display_name(domain)
    if undeliverable and outcome is not SubscribeOutcome.LIMIT:
        db.alerts.pause(who.team, who.channel, domain, undeliverable, datetime.now(timezone.utc))
        return Reply(say("slack:subscribed_undeliverable", lang, user=who.user, domain=name), public=True)
    resumed = outcome is SubscribeOutcome.ALREADY and db.alerts.resume(who.team, who.channel, domain)
    # The bot can post here now: what waited for an invitation waits no more.
    db.alerts.lift(who.team, who.channel, UNTIL_INVITED)
    if resumed:
        # Subscribing again is how a paused subscription is switched back on.
        return Reply(say("slack:resumed", lang, user=who.user, domain=name), public=True)
    if outcome is SubscribeOutcome.CREATED:
        return Reply(say("slack:subscribed", lang, user=who.user, domain=name), public=True)
    if outcome is SubscribeOutcome.LIMIT:
        return Reply(say("slack:subscription_limit", lang, limit=db.subscriptions.max_subscriptions))
    return Reply(say("slack:already_subscribed", lang, domain=name))


def unsubscribe(db: Database, who: ReplyTo, domain: str, lang: str) -> Reply:
    name = display_name(domain)
    if db.subscriptions.unsubscribe(who.team, who.channel, domain):
        return Reply(say("slack:unsubscribed", lang, user=who.user, domain=name), public=True)
    return Reply(say("slack:not_subscribed", lang, domain=name))


def list_subscriptions(db: Database, who: ReplyTo, lang: str) -> Reply:
    rows = db.subscriptions.for_channel(who.team, who.channel)
    if not rows:
        return Reply(say("slack:list_empty", lang))
    paused = db.alerts.pauses(who.team, who.channel)
    lines = [say("slack:list", lang, count=len(rows))]
    for row in rows:
        line = say(
            "slack:list_item",
            lang,
            domain=display_name(row.domain),
            date=row.created_at.strftime("%Y-%m-%d"),
            user=row.created_by,
        )
        if row.domain in paused:
            line += " — " + words.say("slack:paused", lang, reason=pause_words(paused[row.domain], lang))
        lines.append(line)
    return Reply("\n".join(lines))


def set_language(db: Database, who: ReplyTo, choice: str, current: str) -> Reply:
    lang = choice.strip().lower()
    if lang not in LANGS:
        return Reply(say("slack:lang_bad", current))
    db.subscriptions.set_channel_lang(who.team, who.channel, lang)
    # Said in the new language, to everyone: it changes the channel's replies.
    return Reply(say("slack:lang_set", lang), public=True)
