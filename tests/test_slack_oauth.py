"""Any workspace installs over OAuth, through the real server and the Slack stand-in.

Bolt's own flow serves /slack/install and /slack/oauth_redirect; the tokens
land encrypted in slack_sdk's tables (created by our migrations); the
nightly sweep posts with each workspace's own token, rotated when due, and
an uninstall leaves nothing behind.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, func, select, text

from bot.db import Database
from bot.db.models import ChannelSetting, OutboxMessage, SlackBot, SlackInstallation, Subscription
from bot.nightly.settings import NightlySettings
from bot.services import Services, slack_client
from bot.settings import Settings
from bot.slack.tokens import NotInstalled, team_tokens
from checks import OptionError, Options
from tests.clock import Clock
from tests.slack.oauth_standin import CLIENT_ID, CLIENT_SECRET, SlackOAuth

FIRST_NIGHT = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
SECOND = "T0002"
KEY = Fernet.generate_key().decode()
OAUTH = {"bot_token": "", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "token_key": KEY}


@pytest.fixture
def oauth(slack):
    slack.oauth = SlackOAuth()
    slack.oauth.add_workspace(SECOND, "second")
    return slack.oauth


def install(bot, oauth, team=SECOND) -> httpx.Response:
    """As a browser: /slack/install, Slack's authorize page (Allow), back to /slack/oauth_redirect."""
    start = httpx.get(bot.url + "/slack/install", follow_redirects=False, timeout=30)
    assert start.status_code == 302, start.text
    authorize = urlsplit(start.headers["location"])
    query = parse_qs(authorize.query)
    assert (authorize.netloc, authorize.path) == ("slack.com", "/oauth/v2/authorize")
    assert query["client_id"] == [CLIENT_ID] and "chat:write" in query["scope"][0].split(",")
    cookie = start.cookies["slack-app-oauth-state"]
    assert cookie == query["state"][0]
    back = {"code": oauth.authorize(team), "state": query["state"][0]}
    return httpx.get(
        bot.url + "/slack/oauth_redirect",
        params=back,
        headers={"Cookie": f"slack-app-oauth-state={cookie}"},
        timeout=30,
    )


def soon_expiring(services: Services, team: str) -> None:
    """Twelve hours on: the stored token expires in ten minutes (inside Bolt's two-hour window)."""
    store = services.tokens.team_tokens.store
    installation = store.find_installation(enterprise_id=None, team_id=team)
    installation.bot_token_expires_at = int(time.time()) + 600
    store.save(installation)


def test_a_second_workspace_installs_subscribes_is_alerted_with_a_rotated_token_and_uninstalls(
    start_bot, slack, oauth, internet, site, slack_db
):
    bot = start_bot(Options.from_env(internet.env(), timeout=3), **OAUTH)
    done = install(bot, oauth)
    assert done.status_code == 200, done.text
    first_token = oauth.newest_token(SECOND)
    exchange = [r for r in slack.snapshot() if r.path == "/api/oauth.v2.access"]
    assert [r.body.get("code", "")[:5] for r in exchange] == ["code-"]  # the token exchange reached the stand-in

    # The tokens are stored, and none of them in clear.
    raw = create_engine(slack_db)
    with raw.connect() as connection:
        rows = [
            " ".join(map(str, row))
            for table in ("slack_bots", "slack_installations")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        ]
    raw.dispose()
    assert len(rows) == 2 and all(SECOND in row for row in rows)
    assert not any(first_token in row or f"xoxe-1-{SECOND}" in row for row in rows)

    answer = bot.command(f"subscribe {site}", response="sub", team=SECOND, channel="C2")
    assert answer.status_code == 200
    assert "subscribed this channel" in slack.wait_public("sub").text
    # The reply's language was asked of Slack with this workspace's own token.
    assert {r.token for r in slack.snapshot() if r.path == "/api/users.info"} == {first_token}

    soon_expiring(bot.services, SECOND)
    sweeper = bot.services.sweeper(NightlySettings(channel_interval=0.2), clock=Clock(FIRST_NIGHT))
    assert sweeper.run_once().sent == 1
    [alert] = slack.delivered("C2")
    assert "access restriction" in alert.text
    rotated = oauth.newest_token(SECOND)
    assert rotated != first_token and alert.token == rotated
    workspace = oauth.workspaces[SECOND]
    assert len(workspace.spent) == 1 and oauth.refused == []

    oauth.uninstall(SECOND)
    forgotten = threading.Event()
    forget = bot.services.db.teams.forget
    # Events run after their acknowledgement: wait for the listener's work, bounded.
    bot.services.db.teams.forget = lambda team: (forget(team), forgotten.set())[0]  # type: ignore[method-assign]
    assert bot.event({"type": "app_uninstalled"}, team=SECOND).status_code == 200
    assert forgotten.wait(30)
    db = Database(slack_db)
    try:
        with db.engine.connect() as connection:

            def count(model, column):
                return connection.execute(select(func.count()).select_from(model).where(column == SECOND)).scalar()

            left = {
                m.__tablename__: count(m, m.team_id)
                for m in (Subscription, ChannelSetting, OutboxMessage, SlackBot, SlackInstallation)
            }
    finally:
        db.close()
    assert left == dict.fromkeys(left, 0)
    with pytest.raises(NotInstalled):
        bot.services.client_for(SECOND)


def test_revoked_bot_tokens_are_deleted_and_the_workspace_paused(start_bot, slack, oauth, internet, site, slack_db):
    bot = start_bot(Options.from_env(internet.env(), timeout=3), **OAUTH)
    assert install(bot, oauth).status_code == 200
    bot.services.db.subscriptions.subscribe(SECOND, "C2", site, "U2")
    revoked = threading.Event()
    pause = bot.services.db.alerts.pause_team
    bot.services.db.alerts.pause_team = lambda *a: (pause(*a), revoked.set())[0]  # type: ignore[method-assign]
    assert bot.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT2"]}}, team=SECOND).status_code == 200
    assert revoked.wait(30)
    with pytest.raises(NotInstalled):
        bot.services.client_for(SECOND)
    assert bot.services.db.alerts.pauses(SECOND, "C2") == {site: "tokens_revoked"}
    # A request from the workspace now finds no installation: Bolt answers with its error, nothing runs.
    bot.command("list", response="after", team=SECOND, channel="C2")
    assert [r for r in slack.snapshot() if r.path == "/api/users.info"] == []


def test_two_processes_due_at_once_spend_the_refresh_token_once(slack, oauth, slack_db):
    settings = Settings(api_url=slack.api_url, database_url=slack_db, **OAUTH)
    processes = [Database(slack_db), Database(slack_db)]
    try:
        tokens = [team_tokens(settings, db, slack_client(settings)) for db in processes]
        code = oauth.authorize(SECOND)
        from slack_bolt.oauth.oauth_flow import OAuthFlow

        from bot.slack.oauth import oauth_settings

        flow = OAuthFlow(
            client=slack_client(settings), settings=oauth_settings(settings, processes[0].engine, tokens[0])
        )
        installation = flow.run_installation(code)
        assert installation is not None
        installation.bot_token_expires_at = int(time.time()) + 60
        flow.store_installation(None, installation)  # type: ignore[arg-type]

        start = threading.Barrier(2)
        got: list[str] = []

        def rotate(own):
            start.wait()
            got.append(own.bot(SECOND).bot_token)

        threads = [threading.Thread(target=rotate, args=(own,)) for own in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for db in processes:
            db.close()
    grants = [r for r in slack.snapshot() if r.path == "/api/oauth.v2.access" and r.body.get("grant_type")]
    assert len(grants) == 1 and oauth.refused == []
    assert got == [oauth.newest_token(SECOND)] * 2


def test_the_standin_takes_a_refresh_token_once(slack, oauth):
    client = slack_client(Settings(api_url=slack.api_url))
    first = client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=oauth.authorize(SECOND))
    refresh = dict(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    second = client.oauth_v2_access(**refresh)
    assert second["access_token"] != first["access_token"] and second["expires_in"] == oauth.expires_in
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as refused:
        client.oauth_v2_access(**refresh)
    assert refused.value.response["error"] == "invalid_refresh_token"
    assert slack_client(Settings(api_url=slack.api_url), second["access_token"]).auth_test()["team_id"] == SECOND
    with pytest.raises(SlackApiError):
        slack_client(Settings(api_url=slack.api_url), "xoxb-never-issued").auth_test()


@pytest.mark.parametrize(
    "given",
    [
        {"client_id": CLIENT_ID},
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        {"token_key": KEY},
    ],
)
def test_part_of_the_oauth_settings_is_refused_naming_the_rest(given):
    with pytest.raises(OptionError) as refused:
        Settings(**given).require_tokens()
    message = str(refused.value)
    assert "\n" not in message
    names = {"client_id": "SLACK_CLIENT_ID", "client_secret": "SLACK_CLIENT_SECRET", "token_key": "CERTCHECK_TOKEN_KEY"}
    assert all(name in message.split(" set but not ")[1] for key, name in names.items() if key not in given)


def test_a_malformed_or_a_wrong_key_stops_start_up_in_one_line(slack, oauth, slack_db):
    with pytest.raises(OptionError, match="not a Fernet key"):
        Services.create(Settings(api_url=slack.api_url, database_url=slack_db, **{**OAUTH, "token_key": "secret"}))
    services = Services.create(Settings(api_url=slack.api_url, database_url=slack_db, **OAUTH))
    try:
        services.tokens.team_tokens.store.save_bot(_bot())
    finally:
        services.close()
    other = Services.create(
        Settings(api_url=slack.api_url, database_url=slack_db, **{**OAUTH, "token_key": Fernet.generate_key().decode()})
    )
    try:
        with pytest.raises(OptionError, match="does not decrypt") as refused:
            other.tokens.verify()
        assert "\n" not in str(refused.value)
    finally:
        other.close()
    # The old key listed after a new one: still readable, and new tokens use the new key.
    both = Services.create(
        Settings(
            api_url=slack.api_url,
            database_url=slack_db,
            **{**OAUTH, "token_key": f"{Fernet.generate_key().decode()},{KEY}"},
        )
    )
    try:
        both.tokens.verify()
        assert both.tokens.team_tokens.bot(SECOND).bot_token == "xoxb-kept-secret"
    finally:
        both.close()


def _bot():
    from slack_sdk.oauth.installation_store import Bot

    return Bot(
        app_id="A0001",
        enterprise_id=None,
        team_id=SECOND,
        bot_token="xoxb-kept-secret",
        bot_id="B2",
        bot_user_id="UBOT2",
        installed_at=time.time(),
    )
