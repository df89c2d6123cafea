"""Workspace events: when the app is removed, forget what we kept for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App

if TYPE_CHECKING:
    from ..app import Services


def register(app: App, services: "Services") -> None:
    @app.event("app_uninstalled")
    def uninstalled(body: dict[str, Any]) -> None:
        services.store.forget_team(body.get("team_id", ""))

    @app.event("tokens_revoked")
    def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        # Only the bot token matters: without it no alert can be posted.
        if (event.get("tokens") or {}).get("bot"):
            services.store.forget_team(body.get("team_id", ""))
