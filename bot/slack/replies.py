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

from ..db import Database
from ..db.subscriptions import SubscribeOutcome
from .blocks import display_name, say
from .channels import UNTIL_INVITED
from .language import Profile
from .overview import list_message
from .response_url import ReplyTo, payload
from .when import Zone


@dataclass(frozen=True)
class Reply:
    text: str
    # True: the whole channel sees it (a change that concerns everyone).
    public: bool = False
    blocks: list[dict[str, Any]] | None = None

    def payload(self, *, replace_original: bool = False) -> dict[str, Any]:
        return payload(self.text, public=self.public, blocks=self.blocks, replace_original=replace_original)


def help_reply(lang: str) -> Reply:
    return Reply(say("slack:help", lang))


def bad_input(text: str, reason: str, lang: str) -> Reply:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return Reply(say("slack:bad_input", lang, text=shown, reason=reason.rstrip(".")))


def missing_name(verb: str, lang: str) -> Reply:
    return Reply(say("slack:missing_name", lang, verb=verb))


def rate_limited(which: str, seconds: int, lang: str) -> Reply:
    return Reply(say(f"slack:rate_{which}", lang, seconds=seconds))


def subscribe(
    db: Database,
    who: ReplyTo,
    domain: str,
    lang: str,
    undeliverable: str | None = None,
    *,
    profile: Profile | None = None,
) -> Reply:
    """`undeliverable`: why the bot cannot post in the channel (channels.why_undeliverable), if it cannot.
    `profile`: the subscriber's, recorded for the language and times of the nightly alerts."""
    outcome = db.subscriptions.subscribe(
        who.team,
        who.channel,
        domain,
        who.user,
        lang=profile.lang if profile else None,
        tz=profile.tz if profile else None,
    )
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


def list_subscriptions(db: Database, who: ReplyTo, lang: str, tz: Zone, page: int = 0) -> Reply:
    """One page of the channel's subscriptions with their last result, problems first."""
    rows = db.status.for_team(who.team, who.channel)
    message = list_message(rows, lang, tz, datetime.now(timezone.utc), page)
    return Reply(message.text, blocks=message.blocks)


def set_language(db: Database, who: ReplyTo, choice: str, current: str) -> Reply:
    lang = choice.strip().lower()
    if lang not in LANGS:
        return Reply(say("slack:lang_bad", current))
    db.subscriptions.set_channel_lang(who.team, who.channel, lang)
    # Said in the new language, to everyone: it changes the channel's replies.
    return Reply(say("slack:lang_set", lang), public=True)
