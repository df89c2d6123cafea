"""Short phrases the finding templates are assembled from (reasons, kinds, traps), in English and Japanese."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "reason:refused": {"en": "connection refused", "ja": "接続が拒否されました"},
    "reason:reset": {"en": "connection reset", "ja": "接続がリセットされました"},
    "reason:timeout": {"en": "timed out", "ja": "タイムアウトしました"},
    "reason:tls": {"en": "TLS handshake failed", "ja": "TLS ハンドシェイクに失敗しました"},
    "reason:protocol": {"en": "not a valid HTTP answer", "ja": "HTTP として不正な応答です"},
    "reason:other": {"en": "connection failed", "ja": "接続に失敗しました"},
    "redirect:port": {
        "en": "only ports 80 and 443 are followed",
        "ja": "ポート 80 と 443 以外にはリダイレクトできません",
    },
    "redirect:scheme": {
        "en": "only http:// and https:// are followed",
        "ja": "http:// と https:// 以外にはリダイレクトできません",
    },
    "redirect:host": {
        "en": "the target is not a public host name (or ends in a dot)",
        "ja": "リダイレクト先が公開されたホスト名ではありません（末尾のドットも不可）",
    },
    "redirect:ip_reserved": {
        "en": "the target is a reserved IP address the CA will not connect to",
        "ja": "リダイレクト先が CA の接続しない予約済みの IP アドレスです",
    },
    "redirect:zone": {
        "en": "the target is an IPv6 address with a scope zone",
        "ja": "リダイレクト先がスコープゾーン付きの IPv6 アドレスです",
    },
    "redirect:empty_host": {
        "en": "the target has no host name",
        "ja": "リダイレクト先にホスト名がありません",
    },
    "redirect:well_known": {
        "en": "the host name runs into `.well-known`: a '/' is missing after the host in the redirect rule",
        "ja": "ホスト名が `.well-known` につながっています。リダイレクト設定でホスト名の後ろの「/」が抜けています",
    },
    "redirect:too_long": {
        "en": "the target's path is longer than 2000 bytes",
        "ja": "リダイレクト先のパスが 2000 バイトを超えています",
    },
    "redirect:private": {
        "en": "the target resolves to an address the CA cannot reach",
        "ja": "リダイレクト先が CA から到達できないアドレスを指しています",
    },
    "redirect:dns": {
        "en": "the target name does not resolve",
        "ja": "リダイレクト先の名前が解決できません",
    },
    "redirect:status303": {
        "en": "303 See Other is not followed (use 301, 302, 307 or 308)",
        "ja": "303 See Other はたどれません（301・302・307・308 を使ってください）",
    },
    "redirect:loop": {"en": "the redirects loop", "ja": "リダイレクトがループしています"},
    "redirect:too_many": {
        "en": "more than 11 redirects",
        "ja": "リダイレクトが 11 回を超えています",
    },
    "redirect:invalid": {
        "en": "the Location header is not a valid URL",
        "ja": "Location ヘッダーが正しい URL ではありません",
    },
    "auth:none": {"en": "no WWW-Authenticate header", "ja": "WWW-Authenticate ヘッダーなし"},
    # The authentication a site asks for, as its people call it: ベーシック認証, not "Basic".
    "auth:basic": {"en": "Basic", "ja": "ベーシック認証"},
    "auth:digest": {"en": "Digest", "ja": "ダイジェスト認証"},
    "auth:scheme": {"en": "{scheme}", "ja": "{scheme} 認証"},
    "auth:realm": {"en": '{auth} realm="{realm}"', "ja": "{auth}、認証領域「{realm}」"},
    "caa:issue": {
        "en": "name other CAs only",
        "ja": "はほかの CA だけを許可しています",
    },
    "caa:critical": {
        "en": "carry a critical tag the CA does not know",
        "ja": "は CA が知らない critical タグを含んでいます",
    },
    "caa:account": {
        "en": "allow the CA only for an ACME account it cannot have (accounturi)",
        "ja": "は CA を許可していますが、その CA に存在しえない ACME アカウント（accounturi）に限っています",
    },
    "caa:method": {
        "en": "allow the CA but not the {method} validation method",
        "ja": "は CA を許可していますが、{method} の検証方法を許可していません",
    },
    "kind:loopback": {"en": "loopback", "ja": "ループバック"},
    "kind:private": {"en": "private", "ja": "プライベート"},
    "kind:link_local": {"en": "link-local", "ja": "リンクローカル"},
    "kind:shared": {"en": "carrier-grade NAT", "ja": "キャリアグレード NAT"},
    "kind:multicast": {"en": "multicast", "ja": "マルチキャスト"},
    "kind:metadata": {"en": "cloud metadata", "ja": "クラウドのメタデータ"},
    "kind:reserved": {"en": "reserved", "ja": "予約済み"},
    "host:reverse_dns": {
        "en": "{host} (this site's address reverses to its server {ptr})",
        "ja": "{host}（このサイトのアドレスの逆引きが同社のサーバー {ptr}）",
    },
    "problem:timeout": {"en": "no answer in time", "ja": "時間内に応答がありません"},
    "problem:refused": {"en": "nothing answers DNS there", "ja": "DNS の応答がありません"},
    "problem:servfail": {"en": "it answered SERVFAIL", "ja": "SERVFAIL を返しました"},
    "problem:refused_rcode": {"en": "it answered REFUSED", "ja": "REFUSED を返しました"},
    "problem:not_authoritative": {"en": "its answer is not authoritative", "ja": "権威のある応答ではありません"},
    "problem:no_address": {"en": "the server's name has no address", "ja": "サーバー名にアドレスがありません"},
    "problem:reserved": {
        "en": "the server's address is private or reserved",
        "ja": "サーバーのアドレスがプライベートまたは予約済みです",
    },
    "host:yours": {"en": "your host", "ja": "ご利用のサーバー会社"},
    "host:told": {
        "en": "your host (as --host-validates-root says)",
        "ja": "ご利用のサーバー会社（--host-validates-root の指定による）",
    },
    "kind:translated": {
        "en": "IPv4-in-IPv6 (mapped, 6to4, NAT64 or Teredo)",
        "ja": "IPv6 に埋め込まれた IPv4（マップ、6to4、NAT64、Teredo）",
    },
    "ca_says": {
        "en": '\nThe CA will answer: "{ca_says}"',
        "ja": "\nCA の応答：「{ca_says}」",
    },
    "via:redirect": {"en": " (reached through a redirect)", "ja": "（リダイレクト先）"},
    "trap:testcookie": {
        "en": "a JavaScript cookie check (nginx testcookie, common on free hosting)",
        "ja": "JavaScript による Cookie チェック（無料ホスティングに多い nginx の testcookie）",
    },
    "trap:https_port": {
        "en": '"plain HTTP request was sent to HTTPS port"',
        "ja": "「plain HTTP request was sent to HTTPS port」というエラー",
    },
    "trap:firewall": {
        "en": "a firewall's block page ({firewall})",
        "ja": "ファイアウォールのブロックページ（{firewall}）",
    },
    "trapfix:testcookie": {
        "en": "Ask the host to exempt `/.well-known/acme-challenge/` from the bot "
        "check; on free plans that cannot, use DNS-01 or a host that allows it.",
        "ja": "サーバー会社にボット対策から `/.well-known/acme-challenge/` を除外してもらってください。"
        "除外できない無料プランでは DNS-01 を使うか、別のサーバーを検討してください。",
    },
    "trapfix:https_port": {
        "en": "Port 80 is configured for TLS. Make the port-80 server block plain "
        "HTTP (nginx: `listen 80;` without `ssl`).",
        "ja": "ポート 80 が TLS 用に設定されています。ポート 80 のサーバー設定を平文の HTTP にしてください"
        "（nginx なら `ssl` を付けずに `listen 80;`）。",
    },
    "trapfix:firewall": {
        "en": "Add a rule to the firewall or WAF that lets `/.well-known/acme-challenge/` through for every client.",
        "ja": "ファイアウォールや WAF に、`/.well-known/acme-challenge/` をすべてのクライアントに通すルールを追加してください。",
    },
    "firewall_note": {"en": " (a {firewall} block page)", "ja": "（{firewall} のブロックページ）"},
    # The CA probe: why the CA gave no verdict, and why it was not asked.
    "reason:pending": {
        "en": "the CA had not decided when the probe's time ran out",
        "ja": "確認の制限時間内に CA の判定が出ませんでした",
    },
    "reason:rate_limited": {
        "en": "the CA asked us to slow down (rate limit)",
        "ja": "CA からリクエストを控えるよう求められました（レート制限）",
    },
    "reason:ca_error": {"en": "the CA reported an error of its own", "ja": "CA 側でエラーが起きました"},
    "reason:ca_unreachable": {"en": "the CA could not be reached", "ja": "CA に接続できませんでした"},
    "reason:caa_account": {
        "en": "CAA lets the CA issue only to the ACME account it names, and the probe asks as certcheck's own",
        "ja": "CAA が指定した ACME アカウントにしか発行を認めておらず、確認には certcheck 自身のアカウントを使うため",
    },
    "reason:no_problem": {
        "en": "the CA failed the validation without saying why",
        "ja": "CA は理由を示さずに検証を失敗としました",
    },
}
