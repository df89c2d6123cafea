"""`certcheck serve`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP.

HTTP mode runs the Bolt app under waitress, a production WSGI server that is
pure Python (no compiler, runs the same on every platform) and threaded, which
suits Bolt's synchronous listeners. Routes: `POST /slack/events` (bot/slack/http_events.py checks
the signature, its 5-minute window and replays), `GET /healthz`, and with
OAuth on, `GET /slack/install` and `GET /slack/oauth_redirect`.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any, Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from waitress import create_server, wasyncore

from checks import OptionError

from .. import metrics
from ..db.migrate import schema_is_current
from ..logs import configure as configure_logging
from ..nightly.schedule import run_forever
from ..services import Services
from ..settings import Settings
from .app import build_app
from .http_events import SlackEvents

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
CONNECTION_LIMIT = 2000
CHANNEL_TIMEOUT = 10


def serve(nightly: bool = True) -> int:
    """Run until stopped; the exit status for the command line.

    With `nightly` (and CERTCHECK_NIGHTLY_IN_SERVE not 0) the nightly schedule
    runs in a thread of this process: one process is enough for a small team.
    The night is claimed in the database, so a separate `certcheck nightly`
    process as well does no harm.
    """
    try:
        configure_logging()
        settings = Settings.from_env()
        settings.require_tokens()
        services = Services.create(settings)
        services.tokens.verify()
    except OptionError as exc:
        print(f"certcheck serve: {exc}", file=sys.stderr)
        return 3
    stop_nightly = threading.Event()
    try:
        if not schema_is_current(services.db.engine):
            print("certcheck serve: the database is not up to date; run `certcheck db upgrade`", file=sys.stderr)
            return 3
        app = build_app(services)
        if nightly and settings.nightly_in_serve:
            _start_nightly(services, stop_nightly)
        if settings.socket_mode:
            try:
                _serve_socket_mode(app, services)
            except SlackApiError as exc:
                print(
                    f"certcheck serve: Slack refused the Socket Mode connection: {exc.response.get('error')}",
                    file=sys.stderr,
                )
                return 3
        else:
            server = HttpServer(app, services, host=settings.host, port=settings.port)
            # Heroku and systemd stop with SIGTERM: close the listener, then
            # let the checks in flight post their reports before exiting.
            signal.signal(signal.SIGTERM, lambda *_: server.stop(wait=False))
            log.info("certcheck listening on http://%s:%d", settings.host, server.port)
            print(f"certcheck: listening on port {server.port}", flush=True)
            server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop_nightly.set()
        services.close()
    return 0


def _start_nightly(services: Services, stop: threading.Event) -> None:
    """The schedule on a thread, over this process's engine and Slack client."""
    sweeper = services.sweeper()
    threading.Thread(target=run_forever, args=(sweeper, stop), name="certcheck-nightly", daemon=True).start()


def _serve_socket_mode(app: App, services: Services) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, services.settings.app_token, web_client=services.slack)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    handler.connect()
    log.info("certcheck connected to Slack in Socket Mode")
    try:
        stopping.wait()
    finally:
        handler.close()


class HttpServer:
    """The WSGI app under waitress; binds at construction, so `port` is known
    (and connections queue) before `run()` starts answering."""

    def __init__(self, app: App, services: Services, *, host: str, port: int) -> None:
        self._server: Any = create_server(
            wsgi_app(app, services),
            host=host,
            port=port,
            threads=services.settings.http_threads,
            ident="certcheck",
            # Slack's requests are small; refuse anything that is not.
            max_request_body_size=1024 * 1024,
            # waitress's defaults (100 connections, 120 s idle) let about a
            # hundred idle or half-sent connections fill the server while
            # Slack's request waits in the backlog past its 3 seconds. Idle
            # and half-sent connections cost a socket, not a thread, so
            # allow many, and drop each one soon: Slack sends a whole request
            # at once.
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=CHANNEL_TIMEOUT,
            cleanup_interval=CHANNEL_TIMEOUT // 2,
            # select() stops at 1,024 descriptors; poll() has no such ceiling.
            asyncore_use_poll=True,
        )
        self._done = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def run(self) -> None:
        """Serve until `stop()`."""
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown()
            self._done.set()

    def start(self) -> threading.Thread:
        """Serve on a background thread (for tests and embedding)."""
        thread = threading.Thread(target=self.run, name="certcheck-http", daemon=True)
        thread.start()
        return thread

    def stop(self, *, wait: bool = True, timeout: float = 10) -> None:
        """Close every socket from the server's own loop thread (closing them
        from another thread would race with its select); `wait` for `run()`
        to return, except from inside that loop (a signal handler)."""
        if self._done.is_set():
            return  # already stopped: its trigger is closed with the rest
        try:
            self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        except OSError:
            return  # the loop ended and closed its sockets meanwhile
        if wait:
            self._done.wait(timeout)


def wsgi_app(app: App, services: Services) -> Callable[..., Iterable[bytes]]:
    slack = SlackEvents(app, services.settings.signing_secret, replays=services.replays)
    # OAuth mode: Bolt's own flow answers GET /slack/install and /slack/oauth_redirect
    # (slack_bolt/adapter/wsgi/handler.py, `_get_http_response`); they are the
    # browser's requests, not Slack's, so unsigned.
    flow = app.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow else set()
    oauth = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in oauth_paths and environ.get("REQUEST_METHOD") == "GET":
            return oauth(environ, start_response)
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            healthy = _database_answers(services)
            start_response(
                "200 OK" if healthy else "503 Service Unavailable",
                [("Content-Type", "text/plain; charset=utf-8")],
            )
            return [b"ok\n" if healthy else b"database unavailable\n"]
        if environ.get("PATH_INFO") == METRICS_PATH and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            start_response("200 OK", [("Content-Type", metrics.CONTENT_TYPE)])
            return [metrics.exposition()]
        if environ.get("PATH_INFO") == EVENTS_PATH:
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return application


def _database_answers(services: Services) -> bool:
    try:
        with services.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        log.exception("health check: database unavailable")
        return False
