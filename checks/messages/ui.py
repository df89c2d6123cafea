"""Words of the surfaces (terminal report, Slack), in English and Japanese.

`UI` maps a key to language to a `str.format` template.
"""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "verdict:ok": {"en": "OK: the next renewal should work", "ja": "OK：次回の更新は問題なさそうです"},
    "verdict:warning": {"en": "Warning: renewal works, but look at this", "ja": "注意：更新はできますが確認が必要です"},
    "verdict:critical": {"en": "Critical: fix this before the certificate expires", "ja": "重大：証明書が切れる前に対応が必要です"},
    "verdict:unknown": {"en": "Unknown: the check could not finish", "ja": "不明：チェックを完了できませんでした"},
    "renewable:true": {"en": "renewal dry run passed", "ja": "更新のドライランは成功しました"},
    "renewable:false": {"en": "renewal will fail", "ja": "このままでは更新に失敗します"},
    "renewable:none": {"en": "renewal could not be tested", "ja": "更新を確認できませんでした"},
    "cert:none": {"en": "No certificate could be read.", "ja": "証明書を読み取れませんでした。"},
    "cert:issuer": {"en": "Issuer", "ja": "発行者"},
    "cert:expires": {"en": "Expires", "ja": "有効期限"},
    "cert:days_left": {"en": "{days} days left", "ja": "残り {days} 日"},
    "cert:names": {"en": "Names", "ja": "対象の名前"},
    "cert:trusted": {"en": "trusted", "ja": "信頼済み"},
    "cert:untrusted": {"en": "not trusted", "ja": "信頼されていません"},
    "findings:none": {"en": "No problems found.", "ja": "問題は見つかりませんでした。"},
    "fix": {"en": "Fix", "ja": "対処"},
    "checked": {"en": "Checked {when} in {ms} ms", "ja": "{when} にチェック（{ms} ミリ秒）"},
    "severity:info": {"en": "info", "ja": "情報"},
    "severity:warning": {"en": "warning", "ja": "注意"},
    "severity:critical": {"en": "critical", "ja": "重大"},
}
