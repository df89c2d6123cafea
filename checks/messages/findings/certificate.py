"""The certificate served on the https port (checks/findings/certificate.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "cert_expired": {
        "en": (
            "The certificate has expired",
            "The certificate served on {name} expired on {not_after} "
            "({days_ago} days ago). Visitors see a security warning.",
            "Fix the findings that stop renewal, then renew now (your host's panel, or `certbot renew`).",
        ),
        "ja": (
            "証明書の有効期限が切れています",
            "{name} の証明書は {not_after} に期限切れになりました（{days_ago} 日前）。閲覧者にはセキュリティ警告が表示されます。",
            "更新を妨げている問題を直してから、すぐに更新してください（コントロールパネル、または `certbot renew`）。",
        ),
    },
    "cert_expiring": {
        "en": (
            "The certificate expires in {days_left} days",
            "The certificate served on {name} expires on {not_after}.",
            "Renew now, and find out why automatic renewal has not happened: the other findings here usually say.",
        ),
        "ja": (
            "証明書の有効期限まで残り {days_left} 日です",
            "{name} の証明書は {not_after} に期限切れになります。",
            "すぐに更新し、自動更新が行われていない理由を確認してください。たいていはこのレポートのほかの項目に原因があります。",
        ),
    },
    "renewal_overdue": {
        "en": (
            "Renewal is overdue",
            "Only {days_left} of the certificate's {lifetime} days are left. ACME "
            "clients renew when a third remains, so a renewal has probably "
            "already failed.",
            "Look at your ACME client's or host's renewal log, fix what it "
            "reports (the findings here are the usual causes), and renew.",
        ),
        "ja": (
            "更新が遅れています",
            "証明書の有効期間 {lifetime} 日のうち、残りは {days_left} 日です。ACME "
            "クライアントは残り 3 分の 1 で更新するので、すでに更新に失敗している可能性があります。",
            "ACME クライアントやサーバー会社の更新ログを確認し、原因（このレポートの項目によくあります）を直してから更新してください。",
        ),
    },
    "cert_name_mismatch": {
        "en": (
            "The certificate does not cover {name}",
            "The certificate served for {name} is for {sans}.",
            "Issue a certificate that includes {name} (in your host's panel, add "
            "the name to the certificate; with certbot, `-d {name}`).",
        ),
        "ja": (
            "証明書が {name} に対応していません",
            "{name} で返される証明書の対象は {sans} です。",
            "{name} を含む証明書を発行してください（コントロールパネルでドメインを追加、certbot なら `-d {name}`）。",
        ),
    },
    "cert_untrusted": {
        "en": (
            "The certificate is not trusted",
            "The chain served on {name} does not verify: {reason}.",
            "Serve the full chain (with certbot, `fullchain.pem`, not `cert.pem`), "
            "and replace self-signed certificates with one from a public CA.",
        ),
        "ja": (
            "証明書が信頼されていません",
            "{name} の証明書チェーンを検証できません：{reason}。",
            "中間証明書を含むチェーン全体を設定し（certbot なら `cert.pem` ではなく `fullchain.pem`）、"
            "自己署名の証明書は公的な CA の証明書に置き換えてください。",
        ),
    },
    "tls_unreachable": {
        "en": (
            "No TLS on port {port}",
            "Nothing answers TLS for {name} on port {port} ({reason_text}), so no certificate could be read.",
            "If the site should serve HTTPS, check that the web server listens on "
            "port 443 with a certificate for this name and that the firewall lets "
            "it through.",
        ),
        "ja": (
            "ポート {port} で TLS に接続できません",
            "{name} のポート {port} で TLS の応答がなく（{reason_text}）、証明書を読み取れませんでした。",
            "HTTPS で公開するサイトなら、Web サーバーがこの名前の証明書でポート 443 を待ち受けているか、"
            "ファイアウォールが通しているかを確認してください。",
        ),
    },
}
