"""The CA's schedule and the served chain (checks/findings/schedule.py, chain.py)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "ari:explanation": {"en": " The CA explains why: {url}", "ja": "CA による説明：{url}"},
}

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "renewal_overdue:ari": {
        "en": (
            "Renewal is overdue: the CA's renewal window has passed",
            "The CA (ARI, RFC 9773) suggested renewing between {window_start} and {window_end}; that "
            "window has passed and the same certificate is still served ({days_left} of its {lifetime} "
            "days left).",
            "Look at your ACME client's or host's renewal log, fix what it reports, and renew now. "
            "Use a client that reads ARI (certbot 4.1+, Caddy, acme.sh) so renewals follow the CA's window.",
        ),
        "ja": (
            "更新が遅れています：CA の推奨更新期間が過ぎました",
            "CA（ARI、RFC 9773）は {window_start} から {window_end} の間の更新を推奨していましたが、"
            "その期間を過ぎても同じ証明書が使われています（有効期間 {lifetime} 日のうち残り {days_left} 日）。",
            "ACME クライアントやサーバー会社の更新ログを確認し、原因を直してからすぐに更新してください。"
            "ARI に対応したクライアント（certbot 4.1 以降、Caddy、acme.sh）なら CA の推奨期間に合わせて更新されます。",
        ),
    },
    "cert_expiring:hours": {
        "en": (
            "The certificate expires in {hours_left} hours",
            "The certificate served on {name} expires on {not_after}.",
            "Renew now, and find out why automatic renewal has not happened: the other findings here usually say.",
        ),
        "ja": (
            "証明書の有効期限まで残り {hours_left} 時間です",
            "{name} の証明書は {not_after} に期限切れになります。",
            "すぐに更新し、自動更新が行われていない理由を確認してください。たいていはこのレポートのほかの項目に原因があります。",
        ),
    },
    "renewal_window_open": {
        "en": (
            "The CA expects a renewal now",
            "The CA's suggested renewal window (ARI) for this certificate is open: {window_start} to {window_end}.",
            "",
        ),
        "ja": (
            "CA は今の更新を推奨しています",
            "この証明書に対する CA の推奨更新期間（ARI）が始まっています：{window_start} から {window_end} まで。",
            "",
        ),
    },
    "ca_replacement_requested": {
        "en": (
            "The CA asks for this certificate to be replaced by {replace_by}",
            "The CA moved this certificate's renewal window (ARI) to start on {window_start}, earlier "
            "than usual: typically because it will be revoked.{explanation_note}",
            "Renew now (`certbot renew --force-renewal`, or your host's panel) and make sure the web "
            "server serves the new certificate before {replace_by}.",
        ),
        "ja": (
            "CA がこの証明書を {replace_by} までに置き換えるよう求めています",
            "CA はこの証明書の更新期間（ARI）を通常より早い {window_start} からに変更しました。"
            "多くの場合、失効が予定されています。{explanation_note}",
            "すぐに更新し（`certbot renew --force-renewal`、またはコントロールパネル）、{replace_by} より前に"
            "Web サーバーが新しい証明書を使うようにしてください。",
        ),
    },
    "ari_not_followed": {
        "en": (
            "Your ACME client does not follow ARI",
            "The last certificate was replaced on {replaced_at}, {days_late} days after the CA's renewal "
            "window closed ({window_end}).",
            "",
        ),
        "ja": (
            "ACME クライアントが ARI に従っていません",
            "前の証明書は {replaced_at} に置き換えられました。CA の推奨更新期間の終わり（{window_end}）から {days_late} 日後です。",
            "",
        ),
    },
    "cert_not_deployed": {
        "en": (
            "A renewed certificate is not deployed",
            "A newer certificate was issued on {issued_at} but this server still serves the old one "
            "(which expires on {served_not_after}): reload the web server. (Seen in the CT logs, {source}.)",
            "Reload or restart the web server (`systemctl reload nginx`, `apachectl graceful`), add a "
            'deploy hook so it happens after every renewal (`certbot renew --deploy-hook "systemctl '
            'reload nginx"`), and update any load balancer or CDN that keeps its own copy.',
        ),
        "ja": (
            "更新された証明書が反映されていません",
            "新しい証明書が {issued_at} に発行されていますが、このサーバーはまだ古い証明書（{served_not_after} に期限切れ）"
            "を返しています：Web サーバーを再読み込みしてください（CT ログ {source} で確認）。",
            "Web サーバーを再読み込みまたは再起動し（`systemctl reload nginx`、`apachectl graceful`）、"
            '更新のたびに行われるよう deploy フックを設定してください（`certbot renew --deploy-hook "systemctl '
            'reload nginx"`）。独自に証明書を持つロードバランサーや CDN も更新してください。',
        ),
    },
    "lifetime_shortening": {
        "en": (
            "The next certificate will live {next_days} days",
            "This certificate lives {current_days} days; from {effective} the CA issues {next_days}-day "
            "certificates: expect renewals every ~{renew_every_weeks} weeks.",
            "",
        ),
        "ja": (
            "次の証明書の有効期間は {next_days} 日です",
            "この証明書の有効期間は {current_days} 日ですが、{effective} から CA は {next_days} 日の証明書を発行します："
            "約 {renew_every_weeks} 週間ごとの更新になります。",
            "",
        ),
    },
    "cert_chain_incomplete": {
        "en": (
            "The certificate chain is incomplete",
            'The server does not send the certificate that issued "{last_sent}" ({missing_issuer}). '
            "Browsers often cope; API clients, curl and older phones fail.",
            "Serve the full chain: with certbot, `fullchain.pem` (not `cert.pem`); on a host's panel, "
            "paste the intermediate certificate into the CA bundle field.",
        ),
        "ja": (
            "証明書チェーンが不完全です",
            "サーバーは「{last_sent}」を発行した証明書（{missing_issuer}）を送っていません。"
            "ブラウザーでは表示できることが多いものの、API クライアント、curl、古いスマートフォンでは失敗します。",
            "チェーン全体を設定してください：certbot なら `cert.pem` ではなく `fullchain.pem`、"
            "コントロールパネルなら中間証明書の欄に中間証明書を貼り付けます。",
        ),
    },
    "cert_chain_order": {
        "en": (
            "The certificate chain is in the wrong order",
            "The server sends {sent}; each certificate should be followed by the one that issued it: {expected}.",
            "Put the server's certificate first, then its intermediate (certbot's `fullchain.pem` has "
            "the right order).",
        ),
        "ja": (
            "証明書チェーンの順序が誤っています",
            "サーバーは {sent} の順に送っています。各証明書の次にはその発行者が来る必要があります：{expected}。",
            "サーバー証明書を先頭に、その次に中間証明書を並べてください（certbot の `fullchain.pem` は正しい順序です）。",
        ),
    },
    "cert_chain_expired_intermediate": {
        "en": (
            "The chain contains an expired intermediate",
            'The server sends "{subject}", which expired on {not_after}.',
            "Replace the chain file with the current one from your CA (with certbot, `fullchain.pem` "
            "after the latest renewal) and reload the web server.",
        ),
        "ja": (
            "チェーンに期限切れの中間証明書が含まれています",
            "サーバーは {not_after} に期限切れになった「{subject}」を送っています。",
            "チェーンのファイルを CA の最新のものに差し替え（certbot なら最新の更新後の `fullchain.pem`）、"
            "Web サーバーを再読み込みしてください。",
        ),
    },
    "cert_chain_cross_sign_expiring": {
        "en": (
            "The chain relies on a cross-sign that expires soon",
            'The chain verifies only through "{subject}" (signed by "{issuer}"), which expires on {not_after}.',
            "Serve the chain your CA issues today (with certbot, the latest `fullchain.pem`; Let's "
            "Encrypt's current chains are listed at https://letsencrypt.org/certificates/).",
        ),
        "ja": (
            "チェーンがまもなく期限切れになるクロス署名に依存しています",
            "このチェーンは「{issuer}」が署名した「{subject}」経由でしか検証できず、{not_after} に期限切れになります。",
            "CA が現在発行しているチェーンを使ってください（certbot なら最新の `fullchain.pem`。"
            "Let's Encrypt の現行のチェーンは https://letsencrypt.org/certificates/ にあります）。",
        ),
    },
}
