"""The real certcheck Slack app, on a loopback port, talking to the stand-in.

`BotUnderTest` builds the app exactly as `certcheck serve` does (Services,
build_app, the waitress server) with settings pointing at the stand-in, and
sends it requests signed as Slack signs them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from ipaddress import ip_network
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.services import Services
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.blocks import ACTIONS_BLOCK
from bot.slack.server import HttpServer
from checks import Options
from checks.schedule import ScheduleSettings

from .signing import command_body
from .standin import TEAM, SlackStandIn, signed_post

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class BotUnderTest:
    __test__ = False

    def __init__(
        self,
        slack: SlackStandIn,
        database_url: str,
        options: Options,
        *,
        loopback_replies: bool = True,
        schedule: ScheduleSettings | None = None,
        **settings: Any,
    ) -> None:
        self.slack = slack
        self.settings = Settings(
            **{
                "bot_token": "xoxb-test-token",
                "signing_secret": SECRET,
                "api_url": slack.api_url,
                "host": "127.0.0.1",
                "port": 0,
                "database_url": database_url,
                **settings,
            }
        )
        if loopback_replies and not options.lab_mode:
            # Lab mode for the response_urls at least: the stand-in listens on loopback.
            options = replace(options, lab_networks=(ip_network("127.0.0.0/8"),))
        # ARI and CT only at the stand-ins a test names: never the real CA or CT logs.
        self.services = Services.create(self.settings, options, schedule or ScheduleSettings.off())
        self.server = HttpServer(build_app(self.services), self.services, host="127.0.0.1", port=0)
        self.server.start()
        self._events = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def close(self) -> None:
        self.server.stop()
        self.services.close()

    def command_body(
        self,
        text: str,
        *,
        response: str,
        user: str = "U0001",
        channel: str = "C0001",
        team: str = TEAM,
        **fields: str,
    ) -> str:
        """A slash-command request body for this harness's stand-in (`signing.command_body`)."""
        return command_body(self.slack.response_url(response), text, user=user, channel=channel, team=team, **fields)

    def command(self, text: str, *, response: str, **where: str) -> httpx.Response:
        return signed_post(self.url + "/slack/events", SECRET, self.command_body(text, response=response, **where))

    def event(self, event: dict[str, Any], *, team: str = TEAM) -> httpx.Response:
        """An Events API delivery (`event_callback`), JSON as Slack sends it."""
        body = json.dumps(
            {
                "token": "deprecated-verification-token",
                "team_id": team,
                "api_app_id": "A0001",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{abs(hash(json.dumps(event)))}",
                "event_time": 1700000000,
            }
        )
        return signed_post(self.url + "/slack/events", SECRET, body, content_type="application/json")

    def click(
        self,
        action_id: str,
        value: str,
        *,
        response: str,
        message: dict[str, Any] | None = None,
        user: str = "U0001",
        channel: str = "C0001",
    ) -> httpx.Response:
        """A button press on a posted report (a `block_actions` payload)."""
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "standin"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0001",
            "channel": {"id": channel, "name": "general"},
            "container": {"type": "message", "channel_id": channel, "is_ephemeral": False},
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "response_url": self.slack.response_url(response),
            "message": message or {"type": "message", "text": "", "blocks": []},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": ACTIONS_BLOCK,
                    "value": value,
                    "action_ts": "1700000000.000100",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return signed_post(self.url + "/slack/events", SECRET, body)

    def open_home(self, user: str = "U0001") -> httpx.Response:
        """The user opened the Home tab (each opening its own event, never a replay)."""
        self._events += 1
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": "D0001",
                "tab": "home",
                "event_ts": f"{1700000000 + self._events}.000100",
            }
        )

    def click_home(self, action_id: str, value: str, *, user: str = "U0001") -> httpx.Response:
        """A button press in the App Home tab: no channel, no response_url."""
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "standin"},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "A0001",
            "container": {"type": "view", "view_id": "V00000001"},
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "view": {"id": "V00000001", "type": "home", "blocks": []},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "certcheck_home_0",
                    "value": value,
                    "action_ts": "1700000000.000100",
                }
            ],
        }
        return signed_post(self.url + "/slack/events", SECRET, urlencode({"payload": json.dumps(payload)}))
