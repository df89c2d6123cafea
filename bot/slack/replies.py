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
from ..renewal import RenewalChange, RenewalWordError
from .blocks import display_name, say
from .channels import UNTIL_INVITED
from .language import Profile
from .overview import list_message, renewal_text
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
    change: RenewalChange = RenewalChange(),
) -> Reply:
    """`undeliverable`: why the bot cannot post in the channel (channels.why_undeliverable), if it cannot.
    `profile`: the subscriber's, recorded for the language and times of the nightly alerts.
    `change`: the renewal settings the command named (`dns-01`, `root`)."""
    outcome = db.subscriptions.subscribe(
        who.team,
        who.channel,
        domain,
        who.user,
        lang=profile.lang if profile else None,
        tz=profile.tz if profile else None,
        change=change,
    )
    name = display_name(domain)
    renewal = db.subscriptions.renewal(who.team, who.channel, domain)
    # The settings in force, said whenever they are not certcheck's own or the command named them.
    settings = (
        "\n" + say("slack:renewal_is", lang, settings=renewal_text(renewal, lang))
        if renewal is not None and (change.named or not renewal.is_default)
        else ""
    )
    if undeliverable and outcome is not SubscribeOutcome.LIMIT:
        db.alerts.pause(who.team, who.channel, domain, undeliverable, datetime.now(timezone.utc))
        text = say("slack:subscribed_undeliverable", lang, user=who.user, domain=name)
        return Reply(text + settings, public=True)
    existed = outcome in (SubscribeOutcome.ALREADY, SubscribeOutcome.UPDATED)
    resumed = existed and db.alerts.resume(who.team, who.channel, domain)
    # The bot can post here now: what waited for an invitation waits no more.
    db.alerts.lift(who.team, who.channel, UNTIL_INVITED)
    if outcome is SubscribeOutcome.UPDATED and renewal is not None:
        text = say("slack:renewal_updated", lang, user=who.user, domain=name, settings=renewal_text(renewal, lang))
        if resumed:
            text = say("slack:resumed", lang, user=who.user, domain=name) + "\n" + text
        return Reply(text, public=True)
    if resumed:
        # Subscribing again is how a paused subscription is switched back on.
        return Reply(say("slack:resumed", lang, user=who.user, domain=name) + settings, public=True)
    if outcome is SubscribeOutcome.CREATED:
        return Reply(say("slack:subscribed", lang, user=who.user, domain=name) + settings, public=True)
    if outcome is SubscribeOutcome.LIMIT:
        return Reply(say("slack:subscription_limit", lang, limit=db.subscriptions.max_subscriptions))
    return Reply(say("slack:already_subscribed", lang, domain=name) + settings)


def bad_renewal_words(error: RenewalWordError, lang: str) -> Reply:
    """One line: the word that is no setting, or the two that contradict each other; nothing changed."""
    if error.other is not None:
        return Reply(say("slack:renewal_conflict", lang, first=error.word, second=error.other))
    shown = error.word if len(error.word) <= 40 else error.word[:39] + "…"
    return Reply(say("slack:renewal_bad", lang, word=shown))


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
