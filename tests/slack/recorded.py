"""What the stand-in saw: one entry per request, as a test reads it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    accepted: bool
    errors: list[str] = field(default_factory=list)
    ok: bool = True  # what the API answered: False for 429s and error replies
    token: str = ""  # the token the call was made with

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    def everything(self) -> str:
        """All the words of the message: fallback text and every block."""
        return json.dumps(self.body, ensure_ascii=False)
