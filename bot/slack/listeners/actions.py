"""The buttons of reports and alerts: Re-check, Subscribe, Unsubscribe, Snooze."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App

from checks import InputError, normalise_domain

from .. import replies
from ..blocks import RECHECK, SNOOZE, SNOOZE_DAYS, SUBSCRIBE, UNSUBSCRIBE, display_name, say, with_actions
from ..channels import why_undeliverable
from ..overview import LIST_NEXT, LIST_PREVIOUS
from ..response_url import ReplyTo, payload, post
from ..when import moment_text

if TYPE_CHECKING:
    from ...services import Services


def register(app: App, services: "Services") -> None:
    @app.action(RECHECK)
    def recheck(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        who = ReplyTo.from_action(body, services.options.lab_networks)
        services.background.submit(
            partial(services.checks.request, replace_original=True), action.get("value", ""), who
        )

    @app.action(SUBSCRIBE)
    def subscribe(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(_change_subscription, services, body, action.get("value", ""), True)

    @app.action(UNSUBSCRIBE)
    def unsubscribe(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(_change_subscription, services, body, action.get("value", ""), False)

    @app.action(LIST_PREVIOUS)
    @app.action(LIST_NEXT)
    def turn_page(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(list_page, services, body, action.get("value", ""))

    @app.action(SNOOZE)
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(_snooze, services, body, action.get("value", ""))


def _pressed(services: "Services", body: dict[str, Any], value: str) -> tuple[str, ReplyTo, str] | None:
    """(domain, who, language) of a button press; None for a value that is no name.

    The value is the A-label this app rendered into the report; normalised
    again so that the store only ever holds names the checker accepts."""
    try:
        domain = normalise_domain(value, lab=services.options.lab_mode)
    except InputError:
        return None
    who = ReplyTo.from_action(body, services.options.lab_networks)
    return domain, who, services.languages.pick(who.team, who.channel, who.user)


def _snooze(services: "Services", body: dict[str, Any], value: str) -> None:
    pressed = _pressed(services, body, value)
    if pressed is None:
        return
    domain, who, lang = pressed
    until = datetime.now(timezone.utc) + timedelta(days=SNOOZE_DAYS)
    if services.db.alerts.snooze(who.team, who.channel, domain, until):
        shown = moment_text(until, services.languages.zone(who.team, who.channel, who.user), lang)
        text = say("slack:snoozed", lang, domain=display_name(domain), until=shown)
    else:
        text = say("slack:not_subscribed", lang, domain=display_name(domain))
    post(who.response_url, payload(text, public=True))


def list_page(services: "Services", body: dict[str, Any], value: str) -> None:
    """Previous/next page of `/certcheck list`, drawn over the page shown."""
    who = ReplyTo.from_action(body, services.options.lab_networks)
    page = int(value) if value.isdigit() else 0
    lang = services.languages.pick(who.team, who.channel, who.user)
    zone = services.languages.zone(who.team, who.channel, who.user)
    answer = replies.list_subscriptions(services.db, who, lang, zone, page)
    post(who.response_url, answer.payload(replace_original=True))


def _change_subscription(services: "Services", body: dict[str, Any], value: str, subscribe: bool) -> None:
    pressed = _pressed(services, body, value)
    if pressed is None:
        return
    domain, who, lang = pressed
    if subscribe:
        undeliverable = why_undeliverable(services.client_for(who.team), who.channel, services.scopes_for(who.team))
        profile = services.languages.profile(who.team, who.user)
        answer = replies.subscribe(services.db, who, domain, lang, undeliverable, profile=profile)
    else:
        answer = replies.unsubscribe(services.db, who, domain, lang)
    post(who.response_url, answer.payload())
    message = body.get("message") or {}
    if message.get("blocks"):
        # Redraw the report's buttons to match what the channel now has.
        now_subscribed = services.db.subscriptions.is_subscribed(who.team, who.channel, domain)
        blocks = with_actions(message["blocks"], domain, lang, now_subscribed)
        post(who.response_url, payload(message.get("text", ""), public=True, blocks=blocks, replace_original=True))
