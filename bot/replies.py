"""What the bot answers to everything but a check: subscriptions, the channel
language, help, and the one-line refusals (bad input, rate limit).

Plain functions over the store, so the slash command and the buttons give
the same answer in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .delivery import ReplyTo, payload
from .language import LANGS
from .render import display_name, reply
from .sweep_store import SweepStore
from .store import Store, SubscribeOutcome


@dataclass(frozen=True)
class Reply:
    text: str
    # True: the whole channel sees it (a change that concerns everyone).
    public: bool = False

    def payload(self) -> dict[str, Any]:
        return payload(self.text, public=self.public)


def help_reply(lang: str) -> Reply:
    return Reply(reply("slack:help", lang))


def bad_input(text: str, reason: str, lang: str) -> Reply:
    shown = text if len(text) <= 80 else text[:79] + "…"
    return Reply(reply("slack:bad_input", lang, text=shown, reason=reason.rstrip(".")))


def rate_limited(which: str, seconds: int, lang: str) -> Reply:
    return Reply(reply(f"slack:rate_{which}", lang, seconds=seconds))


def subscribe(store: Store, sweeps: SweepStore, who: ReplyTo, domain: str, lang: str) -> Reply:
    outcome = store.subscribe(who.team, who.channel, domain, who.user)
    name = display_name(domain)
    if outcome is SubscribeOutcome.ALREADY and sweeps.resume(who.team, who.channel, domain):
        # Subscribing again is how a paused subscription is switched back on.
        return Reply(reply("slack:resumed", lang, user=who.user, domain=name), public=True)
    if outcome is SubscribeOutcome.CREATED:
        return Reply(reply("slack:subscribed", lang, user=who.user, domain=name), public=True)
    if outcome is SubscribeOutcome.LIMIT:
        return Reply(reply("slack:subscription_limit", lang, limit=store.max_subscriptions))
    return Reply(reply("slack:already_subscribed", lang, domain=name))


def unsubscribe(store: Store, sweeps: SweepStore, who: ReplyTo, domain: str, lang: str) -> Reply:
    name = display_name(domain)
    if store.unsubscribe(who.team, who.channel, domain):
        return Reply(reply("slack:unsubscribed", lang, user=who.user, domain=name), public=True)
    return Reply(reply("slack:not_subscribed", lang, domain=name))


def list_subscriptions(store: Store, sweeps: SweepStore, who: ReplyTo, lang: str) -> Reply:
    rows = store.subscriptions(who.team, who.channel)
    if not rows:
        return Reply(reply("slack:list_empty", lang))
    paused = sweeps.pauses(who.team, who.channel)
    lines = [reply("slack:list", lang, count=len(rows))]
    for row in rows:
        line = reply(
            "slack:list_item",
            lang,
            domain=display_name(row.domain),
            date=row.created_at.strftime("%Y-%m-%d"),
            user=row.created_by,
        )
        if row.domain in paused:
            line += " — " + reply("slack:paused", lang, reason=paused[row.domain])
        lines.append(line)
    return Reply("\n".join(lines))


def set_language(store: Store, who: ReplyTo, choice: str, current: str) -> Reply:
    lang = choice.strip().lower()
    if lang not in LANGS:
        return Reply(reply("slack:lang_bad", current))
    store.set_channel_lang(who.team, who.channel, lang)
    # Said in the new language, to everyone: it changes the channel's replies.
    return Reply(reply("slack:lang_set", lang), public=True)
