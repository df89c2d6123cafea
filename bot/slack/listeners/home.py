"""The App Home tab: drawn for whoever opens it, and its buttons.

Listeners only acknowledge; drawing and the buttons' work run on the
background pool (bot/slack/background.py). Home has no channel and no
`response_url`: each button names the
subscription's channel in its value, a Re-check report arrives in the app's
Messages tab (a direct message), and Snooze / Unsubscribe redraw the tab.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from checks import InputError, normalise_domain

from ..blocks import SNOOZE_DAYS
from ..home import HOME_RECHECK, HOME_SNOOZE, HOME_UNSUBSCRIBE, home_view, parse_home_value
from ..response_url import ReplyTo
from ..visibility import visible_to

if TYPE_CHECKING:
    from ...services import Services

log = logging.getLogger(__name__)


def register(app: App, services: "Services") -> None:
    @app.event("app_home_opened")
    def opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") == "home":  # the Messages tab needs nothing drawn
            services.background.submit(publish, services, body.get("team_id", ""), event.get("user", ""))

    @app.action(HOME_RECHECK)
    def recheck(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(home_recheck, services, body, action.get("value", ""))

    @app.action(HOME_SNOOZE)
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(partial(home_change, unsubscribe=False), services, body, action.get("value", ""))

    @app.action(HOME_UNSUBSCRIBE)
    def unsubscribe(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        services.background.submit(partial(home_change, unsubscribe=True), services, body, action.get("value", ""))


def publish(services: "Services", team: str, user: str) -> bool:
    """Draw `user`'s Home tab: the workspace's subscriptions they may see (bot/slack/visibility.py), problems first."""
    lang = services.languages.user_lang(team, user)
    zone = services.languages.zone(team, "", user)
    client = services.client_for(team)
    rows = visible_to(client, user, services.db.status.for_team(team))
    view = home_view(rows, lang, zone, datetime.now(timezone.utc))
    try:
        client.views_publish(user_id=user, view=view)
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", user, exc.response.get("error"))
        return False
    return True


def home_recheck(services: "Services", body: dict[str, Any], value: str) -> None:
    """Check the domain now; the report goes to the presser's Messages tab."""
    target = _target(services, body, value)
    if target is None:
        return
    team, user, channel, domain = target
    # Their direct messages stand in for the channel: rate limits, Subscribe button; the
    # row's own subscription says how the domain renews.
    who = ReplyTo(team=team, channel=user, user=user, response_url="")
    answer = partial(direct_message, services.client_for(team), user)
    services.checks.request(domain, who, answer=answer, settings_of=channel)


def home_change(services: "Services", body: dict[str, Any], value: str, *, unsubscribe: bool) -> None:
    """Snooze (a week) or unsubscribe from the Home tab, then redraw it."""
    target = _target(services, body, value)
    if target is None:
        return
    team, user, channel, domain = target
    mine = [row for row in services.db.status.for_team(team, channel) if row.domain == domain]
    if not visible_to(services.client_for(team), user, mine):
        # Only a button the tab showed them can be pressed: anything else is not theirs to change.
        log.warning("%s may not change %s's subscription in %s", user, domain, channel)
        return
    if unsubscribe:
        services.db.subscriptions.unsubscribe(team, channel, domain)
    else:
        services.db.alerts.snooze(team, channel, domain, datetime.now(timezone.utc) + timedelta(days=SNOOZE_DAYS))
    publish(services, team, user)


def direct_message(slack: WebClient, user: str, body: dict[str, Any]) -> bool:
    """A response_url body, posted to `user` in the app's Messages tab instead."""
    try:
        slack.chat_postMessage(channel=user, text=body.get("text", ""), blocks=body.get("blocks"))
    except SlackApiError as exc:
        log.warning("direct message to %s failed: %s", user, exc.response.get("error"))
        return False
    return True


def _target(services: "Services", body: dict[str, Any], value: str) -> tuple[str, str, str, str] | None:
    """(team, user, channel, domain) of a Home button, or None if the value is not one of ours."""
    parsed = parse_home_value(value)
    if parsed is None:
        return None
    channel, raw = parsed
    try:
        domain = normalise_domain(raw, lab=services.options.lab_mode)
    except InputError:
        return None
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id", "")
    return team, user.get("id", ""), channel, domain
