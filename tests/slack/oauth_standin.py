"""Slack's side of OAuth, for the stand-in: installing an app into a
workspace, the tokens that come out of it, and token rotation.

As Slack does (https://api.slack.com/authentication/rotation):
- the installer's browser comes back with a `code`, good once, which
  `oauth.v2.access` exchanges for a bot token (client id and secret as HTTP
  Basic auth, as slack_sdk sends them);
- with rotation on, that token expires (`expires_in`) and comes with a
  refresh token; `oauth.v2.access` with `grant_type=refresh_token` gives a
  new pair, and the refresh token given is spent: a second use is refused
  (`invalid_refresh_token`);
- a Web API call with a token Slack never issued, or one of a workspace
  that uninstalled, answers `invalid_auth`; `auth.test` tells whose token it is.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "standin-client-secret"


@dataclass
class Workspace:
    team_id: str
    name: str
    bot_user: str
    installer: str = "U0INSTALL"
    # Every token issued to it, newest last, and the refresh tokens not yet spent.
    issued: list[str] = field(default_factory=list)
    refresh: set[str] = field(default_factory=set)
    spent: set[str] = field(default_factory=set)
    installed: bool = False


class SlackOAuth:
    """Attached to a `SlackStandIn` as `standin.oauth`; thread-safe."""

    def __init__(self, *, rotation: bool = True, expires_in: int = 43200) -> None:
        self.rotation = rotation
        self.expires_in = expires_in
        self.workspaces: dict[str, Workspace] = {}
        self.refused: list[str] = []  # why oauth.v2.access said no, in order
        self._codes: dict[str, str] = {}
        self._owner: dict[str, str] = {}  # token -> team
        self._serial = itertools.count(1)
        self._lock = threading.Lock()

    def add_workspace(self, team_id: str, name: str, bot_user: str = "UBOT2") -> Workspace:
        with self._lock:
            workspace = self.workspaces[team_id] = Workspace(team_id, name, bot_user)
            return workspace

    def authorize(self, team_id: str) -> str:
        """Someone in `team_id` pressed Allow on Slack's authorize page: the `code` their browser brings back."""
        code = f"code-{team_id}-{next(self._serial)}"
        with self._lock:
            self._codes[code] = team_id
        return code

    def newest_token(self, team_id: str) -> str:
        with self._lock:
            return self.workspaces[team_id].issued[-1]

    def team_of(self, token: str) -> str | None:
        with self._lock:
            return self._owner.get(token)

    def uninstall(self, team_id: str) -> None:
        """The workspace removed the app: its tokens stop working (send `app_uninstalled` yourself)."""
        with self._lock:
            self.workspaces[team_id].installed = False

    # Answering -----------------------------------------------------------

    def answer(self, method: str, body: dict[str, Any], token: str, authorization: str) -> dict[str, Any] | None:
        """Slack's answer when it depends on OAuth; None to let the stand-in answer as usual."""
        if method == "oauth.v2.access":
            return self._access(body, authorization)
        with self._lock:
            team = self._owner.get(token)
            workspace = self.workspaces.get(team or "")
            if workspace is None or not workspace.installed:
                return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": f"https://{workspace.name}.slack.test/",
                "team": workspace.name,
                "user": "certcheck",
                "team_id": workspace.team_id,
                "user_id": workspace.bot_user,
                "bot_id": "B" + workspace.bot_user,
            }
        return None

    def _access(self, body: dict[str, Any], authorization: str) -> dict[str, Any]:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        with self._lock:
            if authorization != expected:
                return self._refuse("invalid_client_id")
            if body.get("grant_type") == "refresh_token":
                given = str(body.get("refresh_token", ""))
                team = next((w.team_id for w in self.workspaces.values() if given in w.refresh), None)
                if team is None:
                    return self._refuse("invalid_refresh_token")
                workspace = self.workspaces[team]
                workspace.refresh.discard(given)
                workspace.spent.add(given)
                return {"ok": True, **self._issue(workspace)}
            team = self._codes.pop(str(body.get("code", "")), None)
            if team is None:
                return self._refuse("invalid_code")
            workspace = self.workspaces[team]
            workspace.installed = True
            return {
                "ok": True,
                "app_id": "A0001",
                "authed_user": {"id": workspace.installer},
                "scope": "commands,chat:write,chat:write.public,users:read,channels:history,groups:history",
                "bot_user_id": workspace.bot_user,
                "team": {"id": team, "name": workspace.name},
                "enterprise": None,
                "is_enterprise_install": False,
                **self._issue(workspace),
            }

    def _issue(self, workspace: Workspace) -> dict[str, Any]:
        n = next(self._serial)
        prefix = "xoxe.xoxb-1" if self.rotation else "xoxb"
        token = f"{prefix}-{workspace.team_id}-{n}-{int(time.time())}"
        workspace.issued.append(token)
        self._owner[token] = workspace.team_id
        answer: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if self.rotation:
            refresh = f"xoxe-1-{workspace.team_id}-{n}"
            workspace.refresh.add(refresh)
            answer.update(refresh_token=refresh, expires_in=self.expires_in)
        return answer

    def _refuse(self, error: str) -> dict[str, Any]:
        self.refused.append(error)
        return {"ok": False, "error": error}
