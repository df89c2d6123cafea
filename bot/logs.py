"""How the long-running processes log: one record, one line.

What Slack or a site sends (a typed name, an answer body, an exception's
message) can carry newlines or terminal control characters; written as they
are, they would forge log lines or rewrite the terminal. Every record's
message is escaped here, and an exception's traceback is indented under it.
"""

from __future__ import annotations

import logging
import unicodedata

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def one_line(text: str) -> str:
    """`text` with every control or bidi-override character as a visible escape."""
    return "".join(
        ch if ch.isprintable() and unicodedata.category(ch) not in {"Cf", "Zl", "Zp"} else ch.encode(
            "unicode_escape").decode("ascii")
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


def configure(level: int = logging.INFO) -> None:
    """Log to stderr, one line per record (for `serve` and `nightly`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
