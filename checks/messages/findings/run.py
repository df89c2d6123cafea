"""The check itself (checks/findings/run.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "check_incomplete": {
        "en": (
            "The check did not finish in time",
            "These parts were still running at the {timeout}s limit: {parts}.",
            "Run the check again; if it keeps timing out, the site or its DNS is "
            "too slow for the CA as well.",
        ),
        "ja": (
            "チェックが時間内に終わりませんでした",
            "制限時間 {timeout} 秒の時点で、次の処理が終わっていませんでした：{parts}。",
            "もう一度チェックしてください。何度もタイムアウトする場合、サイトか DNS が CA にとっても遅すぎます。",
        ),
    },
}
