"""The stand-in's App Home: `views.publish` as Slack answers it.

Slack refuses a view for a user it does not know (`user_not_found`), without
`user_id` or `view` (`invalid_arguments`), and a view beyond the Block Kit
limits (`invalid_arguments`, the reasons in `response_metadata.messages`);
it keeps the newest view published per user.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from .payloads import view_errors


class Homes:
    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self.views: dict[str, dict[str, Any]] = {}  # user -> the newest view published

    def publish(self, body: dict[str, Any], unknown_users: set[str]) -> dict[str, Any]:
        user = str(body.get("user_id") or "")
        view = body.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not user or not isinstance(view, dict):
            return _invalid(["[ERROR] missing required field: " + ("user_id" if not user else "view")])
        if user in unknown_users or not user.startswith(("U", "W")):
            return {"ok": False, "error": "user_not_found"}
        errors = view_errors(view)
        if errors:
            return _invalid([f"[ERROR] {e}" for e in errors])
        with self._changed:
            self.views[user] = view
            self._changed.notify_all()
        return {"ok": True, "view": {**view, "id": f"V{len(self.views):08d}", "team_id": body.get("team_id", "")}}

    def wait(self, user: str, count_blocks: Any = None, timeout: float = 30) -> dict[str, Any]:
        """The view published for `user`, once there is one (and `count_blocks(view)` holds)."""

        def ready() -> bool:
            view = self.views.get(user)
            return view is not None and (count_blocks is None or count_blocks(view))

        with self._changed:
            if not self._changed.wait_for(ready, timeout):
                raise AssertionError(f"no Home view published for {user} within {timeout} s")
            return self.views[user]


def _invalid(messages: list[str]) -> dict[str, Any]:
    return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": messages}}
