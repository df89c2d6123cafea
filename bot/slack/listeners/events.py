"""Workspace events: when the app is removed, pause what we watch for it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from slack_bolt import App

if TYPE_CHECKING:
    from ...services import Services


def register(app: App, services: "Services") -> None:
    # Paused, not deleted: a workspace that reinstalls gets its watch list
    # back by subscribing again, and nothing is posted to it meanwhile.
    @app.event("app_uninstalled")
    def uninstalled(body: dict[str, Any]) -> None:
        services.db.alerts.pause_team(body.get("team_id", ""), "app_uninstalled", datetime.now(timezone.utc))

    @app.event("tokens_revoked")
    def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        # Only the bot token matters: without it no alert can be posted.
        if (event.get("tokens") or {}).get("bot"):
            services.db.alerts.pause_team(body.get("team_id", ""), "tokens_revoked", datetime.now(timezone.utc))
