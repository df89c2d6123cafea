"""The check itself and the names of the order (checks/findings/run.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "check_incomplete": {
        "en": (
            "The check did not finish in time",
            "These parts were still running at the {timeout}s limit: {parts}.",
            "Run the check again; if it keeps timing out, the site or its DNS is too slow for the CA as well.",
        ),
        "ja": (
            "チェックが時間内に終わりませんでした",
            "制限時間 {timeout} 秒の時点で、次の処理が終わっていませんでした：{parts}。",
            "もう一度チェックしてください。何度もタイムアウトする場合、サイトか DNS が CA にとっても遅すぎます。",
        ),
    },
    "check_error": {
        "en": (
            "Part of the check failed: {part} for {name}",
            "The {part} part of the check of {name} stopped on something it did not expect "
            "({error}), so whether the renewal works is not known.",
            "Run the check again. If it fails the same way, please report it to the "
            "certcheck maintainers with the name checked.",
        ),
        "ja": (
            "チェックの一部が失敗しました：{name} の {part}",
            "{name} の {part} のチェックが想定外の応答で止まりました（{error}）。"
            "そのため、更新できるかどうかは分かりません。",
            "もう一度チェックしてください。同じように失敗する場合は、チェックした名前を添えて "
            "certcheck の開発者に報告してください。",
        ),
    },
    "name_not_public": {
        "en": (
            "The certificate names {name}, which the CA will not validate",
            "{name} is on the certificate, so the renewal orders it, but it is not a public "
            "host name ({refusal_text}). Let's Encrypt refuses the whole order.",
            "Leave {name} out of the renewal: remove it from the names your ACME client or "
            "your host's panel requests, then renew.",
        ),
        "ja": (
            "証明書に含まれる {name} は CA が検証しない名前です",
            "{name} は証明書に含まれているため更新の注文にも入りますが、公開されたホスト名では"
            "ありません（{refusal_text}）。Let's Encrypt は注文全体を拒否します。",
            "{name} を更新対象から外してください。ACME クライアントやコントロールパネルで"
            "申請する名前から削除してから更新します。",
        ),
    },
    "names_skipped": {
        "en": (
            "{count} names of the certificate were not checked",
            "One check covers at most {limit} names; these were left out: {skipped}. "
            "Whether the renewal of the whole order works is not known.",
            "Check the remaining names with `certcheck check NAME --names NAME,NAME`.",
        ),
        "ja": (
            "証明書の {count} 個の名前をチェックしていません",
            "1 回のチェックで確認できる名前は {limit} 個までです。次の名前は確認していません："
            "{skipped}。注文全体が更新できるかどうかは分かりません。",
            "残りの名前は `certcheck check NAME --names NAME,NAME` で確認してください。",
        ),
    },
}
