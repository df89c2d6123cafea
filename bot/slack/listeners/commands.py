"""`/certcheck`: check a site, manage the channel's subscriptions and language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App

from checks import InputError, normalise_domain

from ...renewal import RenewalWordError, parse_words
from .. import replies
from ..channels import why_undeliverable
from ..response_url import ReplyTo, post

if TYPE_CHECKING:
    from ...services import Services

COMMAND = "/certcheck"
VERBS = {"help", "subscribe", "unsubscribe", "list", "lang"}


def register(app: App, services: "Services") -> None:
    @app.command(COMMAND)
    def certcheck(ack: Ack, command: dict[str, Any]) -> None:
        # Acknowledge, and leave everything that can wait on the network to
        # the background pool (bot/slack/background.py); every answer
        # follows through response_url.
        ack()
        services.background.submit(handle, services, command)


def parse(text: str) -> tuple[str, str]:
    """(verb, argument). Anything that is not a known verb is a name to check."""
    # Slack sends what was typed with &, < and > as entities; undo that so the
    # name is checked as typed (replies escape it again on the way out).
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    if not text:
        return "help", ""
    first, _, rest = text.partition(" ")
    if first.lower() in VERBS:
        return first.lower(), rest.strip()
    return "check", text


def handle(services: "Services", command: dict[str, Any]) -> None:
    who = ReplyTo.from_command(command, services.options.lab_networks)
    verb, arg = parse(command.get("text") or "")
    if verb == "check":
        services.checks.request(arg, who)
        return
    lang = services.languages.pick(who.team, who.channel, who.user)
    if verb == "list":
        zone = services.languages.zone(who.team, who.channel, who.user)
        answer = replies.list_subscriptions(services.db, who, lang, zone)
    elif verb == "lang":
        answer = replies.set_language(services.db, who, arg, lang)
    elif verb in {"subscribe", "unsubscribe"} and not arg:
        answer = replies.missing_name(verb, lang)
    elif verb == "subscribe":
        # `subscribe example.com dns-01 root`: the name, then how it renews (bot/renewal.py).
        name, *settings = arg.split()
        try:
            domain = normalise_domain(name, lab=services.options.lab_mode)
            change = parse_words(settings)
        except InputError as exc:
            answer = replies.bad_input(name, exc.text(lang), lang)
        except RenewalWordError as exc:
            answer = replies.bad_renewal_words(exc, lang)
        else:
            undeliverable = why_undeliverable(services.client_for(who.team), who.channel, services.scopes_for(who.team))
            profile = services.languages.profile(who.team, who.user)
            answer = replies.subscribe(services.db, who, domain, lang, undeliverable, profile=profile, change=change)
    elif verb == "unsubscribe":
        try:
            domain = normalise_domain(arg, lab=services.options.lab_mode)
        except InputError as exc:
            answer = replies.bad_input(arg, exc.text(lang), lang)
        else:
            answer = replies.unsubscribe(services.db, who, domain, lang)
    else:
        answer = replies.help_reply(lang)
    post(who.response_url, answer.payload())
