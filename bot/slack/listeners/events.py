"""Workspace events: when the app is removed, pause what we watch for it, or
(installed over OAuth) forget the workspace altogether; when the bot joins a
channel, deliver to it again."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext

from ..blocks import display_name, say
from ..channels import UNTIL_INVITED

if TYPE_CHECKING:
    from ...services import Services


def register(app: App, services: "Services") -> None:
    # Single workspace: paused, not deleted: reinstalled, it gets its watch
    # list back by subscribing again, and nothing is posted meanwhile.
    # OAuth: one workspace among many left; nothing of it stays behind
    # (its installation and tokens, subscriptions, settings, messages).
    @app.event("app_uninstalled")
    def uninstalled(body: dict[str, Any]) -> None:
        team = body.get("team_id", "")
        if services.tokens.multi_workspace:
            services.db.teams.forget(team)
        else:
            services.db.alerts.pause_team(team, "app_uninstalled", datetime.now(timezone.utc))

    @app.event("tokens_revoked")
    def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        # Only the bot token matters: without it no alert can be posted.
        if not (event.get("tokens") or {}).get("bot"):
            return
        team = body.get("team_id", "")
        if services.tokens.team_tokens:
            # The stored tokens no longer work: delete them (slack_sdk's
            # InstallationStore.delete_all); a reinstall saves new ones.
            store = services.tokens.team_tokens.store
            store.delete_all(enterprise_id=services.db.teams.enterprise_of(team), team_id=team)
        services.db.alerts.pause_team(team, "tokens_revoked", datetime.now(timezone.utc))

    @app.event("member_joined_channel")
    def joined(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        if event.get("user") != context.bot_user_id:
            return  # someone else joined: nothing changes for delivery
        services.background.submit(_deliverable_again, services, body.get("team_id", ""), event.get("channel", ""))


def _deliverable_again(services: "Services", team: str, channel: str) -> None:
    """Lift the pauses that waited for an invitation, and say so in the channel."""
    domains = services.db.alerts.lift(team, channel, UNTIL_INVITED)
    if not domains:
        return
    lang = services.db.subscriptions.audience(team, channel).lang or "en"
    names = ", ".join(display_name(d) for d in domains)
    services.client_for(team).chat_postMessage(
        channel=channel, text=say("slack:deliverable_again", lang, domains=names)
    )
