"""One small threaded HTTP/1.1 server for the stand-ins, on a loopback address of its own."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STOP_TIMEOUT = 5.0

Answer = tuple[int, dict[str, str], bytes]


def json_answer(status: int, data: Any, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(data).encode()


class StandInServer:
    """Answers every GET with `self.answer(path, query)`; records what was asked.

    The socket is bound in the constructor (port chosen by the kernel), so
    `url` is known before `start()`; `stop()` shuts the loop down, closes the
    socket and joins the thread it started.
    """

    def __init__(self, address: str) -> None:
        self.requests: list[str] = []  # path?query of every request, in order
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((address, 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "StandInServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=STOP_TIMEOUT)
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def asked(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [r for r in self.requests if r.startswith(prefix)]

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                with standin._lock:
                    standin.requests.append(self.path)
                status, headers, body = standin.answer(parts.path, parse_qs(parts.query))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output clean
                pass

        return Handler
