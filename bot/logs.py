"""How the long-running processes log: one record, one line.

What Slack or a site sends (a typed name, an answer body, an exception's
message) can carry newlines or terminal control characters; written as they
are, they would forge log lines or rewrite the terminal. Every record's
message is escaped here, and an exception's traceback is indented under it.
"""

from __future__ import annotations

import json
import logging
import os
import unicodedata
from datetime import datetime, timezone
from typing import Mapping

from checks import OptionError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def one_line(text: str) -> str:
    """`text` with every control or bidi-override character as a visible escape."""
    return "".join(
        ch
        if ch.isprintable() and unicodedata.category(ch) not in {"Cf", "Zl", "Zp"}
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class OneLineFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = one_line(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:  # noqa: N802
        text = super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join("    " + one_line(line) for line in text.splitlines())

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return "\n".join("    " + one_line(line) for line in stack_info.splitlines())


class JsonFormatter(logging.Formatter):
    """One JSON object per record (CERTCHECK_LOG_FORMAT=json), for a log pipeline.

    JSON escapes newlines and control characters itself, so a record is one
    line whatever it carries. Extra fields given with `extra={"event": ...}`
    (the sweep's per-check and per-delivery lines) become keys of their own.
    """

    FIELDS = ("event", "domain", "verdict", "renewable", "channel", "outcome", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO, env: Mapping[str, str] | None = None) -> None:
    """Log to stderr, one line per record (for `serve` and `nightly`): text, or JSON on request."""
    choice = ((os.environ if env is None else env).get("CERTCHECK_LOG_FORMAT") or "text").strip().lower()
    if choice not in {"text", "json"}:
        raise OptionError(f"CERTCHECK_LOG_FORMAT must be text or json, got {choice!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if choice == "json" else OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
