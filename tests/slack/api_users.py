"""The stand-in's `auth.test` and `users.info`: whose token it is, and who a user is."""

from __future__ import annotations

from typing import Any

from .recorded import BOT_USER, TEAM


class Users:
    """Mixed into `SlackStandIn`; uses its `_hold_if_slow` (a slow Slack)."""

    def _init_users(self) -> None:
        # user id -> Slack locale and time zone, as users.info reports them.
        self.locales: dict[str, str] = {}
        self.timezones: dict[str, str] = {}
        # Bot tokens Slack knows; any other answers invalid_auth, as for a revoked token.
        self.tokens: set[str] = {"xoxb-test-token", "xoxb-test", "xoxb-bench"}
        # users.info for these answers an error, as Slack does for a deleted user.
        self.unknown_users: set[str] = set()
        # What auth.test reports in X-OAuth-Scopes.
        self.scopes = "commands,chat:write,users:read,channels:read,groups:read,channels:history,groups:history"

    def _auth_test(self, token: str) -> dict[str, Any]:
        if token not in self.tokens:
            return {"ok": False, "error": "invalid_auth"}
        return {
            "ok": True,
            "url": "https://standin.slack.test/",
            "team": "Test",
            "user": "certcheck",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
        }

    def _user_info(self, body: dict[str, Any]) -> dict[str, Any]:
        self._hold_if_slow()
        user = str(body.get("user", ""))
        if user in self.unknown_users:
            return {"ok": False, "error": "user_not_found"}
        tz = self.timezones.get(user, "America/Los_Angeles")  # Slack's default for a new account
        return {
            "ok": True,
            "user": {"id": user, "team_id": TEAM, "locale": self.locales.get(user, "en-US"), "tz": tz},
        }
