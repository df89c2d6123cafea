"""Words for every finding code, in English and Japanese.

`CATALOGUE` maps `code[:variant]` to language to (title, detail, remedy);
`PHRASES` holds the short pieces the templates are assembled from. Templates
are `str.format` strings over the finding's parameters.
"""

from __future__ import annotations


def _lit(snippet: str) -> str:
    """Protect a config snippet's braces from `str.format`."""
    return snippet.replace("{", "{{").replace("}", "}}")


# The paste-ready snippets are the same in every language; only the comments
# around them are translated.
_APACHE_BASIC = """\
# .htaccess: keep the password, let the ACME challenge through
SetEnvIf Request_URI "^/\\.well-known/acme-challenge/" acme_challenge
AuthType Basic
AuthName "Restricted"
AuthUserFile /path/to/.htpasswd
<RequireAny>
    Require env acme_challenge
    Require valid-user
</RequireAny>"""

_APACHE_IP = """\
# .htaccess: keep the allow-list, let the ACME challenge through
SetEnvIf Request_URI "^/\\.well-known/acme-challenge/" acme_challenge
<RequireAny>
    Require env acme_challenge
    Require ip 203.0.113.0/24
</RequireAny>"""

_NGINX = """\
# nginx: inside the server { listen 80; ... } block for this name
location ^~ /.well-known/acme-challenge/ {
    auth_basic off;
    allow all;
    root /var/www/html;   # the directory your ACME client writes tokens to
}"""

_APACHE_ROOT = """\
# Apache: also let the top page through, for hosts that validate it
SetEnvIf Request_URI "^/$" site_root"""


CATALOGUE: dict[str, dict[str, tuple[str, str, str]]] = {
    "access_restricted:challenge": {
        "en": (
            "Access restriction on the ACME challenge path",
            "{url} answered {status} ({auth}) from {address}. Let's Encrypt's "
            "validator sends no password, so it cannot read the token and the "
            "renewal fails.",
            "Let `/.well-known/acme-challenge/` through without a password and "
            "keep the rest protected.\n"
            "```\n" + _lit(_APACHE_BASIC) + "\n```\n```\n" + _lit(_NGINX) + "\n```\n"
            "Some hosts (Xserver among them) also fetch the site root during "
            "renewal: let `/` through too, or lift the restriction while you "
            "renew.\n"
            "Stop-gap: lift the restriction, press renew in your host's panel "
            "(or run your ACME client), then put it back.",
        ),
        "ja": (
            "ACME チャレンジのパスにアクセス制限がかかっています",
            "{url} が {address} から {status}（{auth}）を返しました。Let's Encrypt "
            "の検証サーバーはパスワードを送らないため、トークンを読めず更新に失敗します。",
            "`/.well-known/acme-challenge/` だけはパスワードなしで通し、ほかは保護したままにしてください。\n"
            "```\n" + _lit(_APACHE_BASIC) + "\n```\n```\n" + _lit(_NGINX) + "\n```\n"
            "エックスサーバーのように、更新時にサイトのトップページも確認するサーバー会社があります。"
            "その場合は `/` も通すか、更新のあいだだけ制限を外してください。\n"
            "応急処置：制限を一時的に外し、コントロールパネルで更新（または ACME "
            "クライアントを実行）してから、制限を元に戻します。",
        ),
    },
    "access_restricted:root": {
        "en": (
            "Access restriction on the site root",
            "{url} answered {status} ({auth}). The ACME challenge path is open, so "
            "plain ACME HTTP-01 renewal passes, but hosts that validate the site "
            "root, as Xserver does, will fail to renew.",
            "If your host renews by checking the top page, let `/` through while "
            "keeping the rest protected:\n"
            "```\n" + _lit(_APACHE_ROOT) + "\n# and add `Require env site_root` inside "
            "<RequireAny>\n```\n"
            "```\n# nginx\nlocation = / {{\n    auth_basic off;\n    allow all;\n}}\n```\n"
            "Stop-gap: lift the restriction, renew in the host's panel, then put "
            "it back.",
        ),
        "ja": (
            "サイトのトップページにアクセス制限がかかっています",
            "{url} が {status}（{auth}）を返しました。ACME チャレンジのパスは開いているので"
            "通常の HTTP-01 更新は通りますが、エックスサーバーのようにトップページで確認する"
            "サーバー会社では更新に失敗します。",
            "トップページで確認するサーバー会社を使っている場合は、ほかを保護したまま `/` だけ通してください。\n"
            "```\n" + _lit(_APACHE_ROOT) + "\n# さらに <RequireAny> の中に `Require env site_root` を追加\n```\n"
            "```\n# nginx\nlocation = / {{\n    auth_basic off;\n    allow all;\n}}\n```\n"
            "応急処置：制限を一時的に外し、コントロールパネルで更新してから元に戻します。",
        ),
    },
    "access_forbidden:challenge": {
        "en": (
            "Access forbidden on the ACME challenge path",
            "{url} answered 403 Forbidden from {address}{firewall_note}. An IP "
            "allow-list, a WAF rule or `Deny from all` keeps the validator out, "
            "and the renewal fails.",
            "Let's Encrypt validates from several unpublished addresses, so "
            "allow-listing the CA is not possible: exempt the path instead.\n"
            "```\n" + _lit(_APACHE_IP) + "\n```\n```\n" + _lit(_NGINX) + "\n```\n"
            "With a WAF or firewall service, add a rule that skips "
            "`/.well-known/acme-challenge/`.",
        ),
        "ja": (
            "ACME チャレンジのパスへのアクセスが拒否されています",
            "{url} が {address} から 403 Forbidden を返しました{firewall_note}。IP "
            "制限、WAF のルール、`Deny from all` などで検証サーバーが弾かれ、更新に失敗します。",
            "Let's Encrypt は公開されていない複数の IP アドレスから検証するため、"
            "CA の IP を許可リストに入れることはできません。パスごと除外してください。\n"
            "```\n" + _lit(_APACHE_IP) + "\n```\n```\n" + _lit(_NGINX) + "\n```\n"
            "WAF やファイアウォールのサービスを使っている場合は、"
            "`/.well-known/acme-challenge/` を対象外にするルールを追加してください。",
        ),
    },
    "access_forbidden:root": {
        "en": (
            "Access forbidden on the site root",
            "{url} answered 403 Forbidden{firewall_note}. Plain ACME HTTP-01 "
            "renewal passes, but hosts that validate the site root, as Xserver "
            "does, will fail to renew.",
            "If your host renews by checking the top page, exempt `/` from the "
            "allow-list or WAF rule, or lift it while you renew.",
        ),
        "ja": (
            "サイトのトップページへのアクセスが拒否されています",
            "{url} が 403 Forbidden を返しました{firewall_note}。通常の HTTP-01 更新は"
            "通りますが、エックスサーバーのようにトップページで確認するサーバー会社では更新に失敗します。",
            "トップページで確認するサーバー会社を使っている場合は、`/` を IP 制限や WAF "
            "の対象外にするか、更新のあいだだけ制限を外してください。",
        ),
    },
    "access_restricted:root_also": {
        "en": (
            "Access restriction on the site root too",
            "{url} answered {status} ({auth}) as well. Hosts that validate the site "
            "root, as Xserver does, fail here even after the challenge path is fixed.",
            "Let `/` through as well as `/.well-known/acme-challenge/` (see the "
            "snippets above), or lift the restriction while you renew.",
        ),
        "ja": (
            "サイトのトップページにもアクセス制限がかかっています",
            "{url} も {status}（{auth}）を返しました。エックスサーバーのようにトップページで確認する"
            "サーバー会社では、チャレンジのパスを直してもここで失敗します。",
            "`/.well-known/acme-challenge/` に加えて `/` も通す（上の設定例を参照）か、"
            "更新のあいだだけ制限を外してください。",
        ),
    },
    "access_forbidden:root_also": {
        "en": (
            "Access forbidden on the site root too",
            "{url} answered 403 Forbidden{firewall_note} as well. Hosts that validate "
            "the site root, as Xserver does, fail here even after the challenge path "
            "is fixed.",
            "Exempt `/` from the allow-list or WAF rule as well, or lift it while you "
            "renew.",
        ),
        "ja": (
            "サイトのトップページへのアクセスも拒否されています",
            "{url} も 403 Forbidden を返しました{firewall_note}。エックスサーバーのようにトップページで"
            "確認するサーバー会社では、チャレンジのパスを直してもここで失敗します。",
            "`/` も IP 制限や WAF の対象外にするか、更新のあいだだけ制限を外してください。",
        ),
    },
    "http_unreachable": {
        "en": (
            "Port {port} does not answer",
            "http://{name}/ on {address} port {port}: {reason_text}. The validator "
            "must reach port 80 over plain HTTP; HTTPS alone is not enough.",
            "Open port 80 (TCP) to everyone in the firewall or security group, and "
            "make sure the web server listens on it. It may redirect to HTTPS.",
        ),
        "ja": (
            "ポート {port} に接続できません",
            "{address} のポート {port}（http://{name}/）：{reason_text}。検証サーバーは"
            "平文の HTTP でポート 80 に接続する必要があり、HTTPS だけでは足りません。",
            "ファイアウォールやセキュリティグループでポート 80（TCP）を全体に開け、"
            "Web サーバーが待ち受けていることを確認してください。HTTPS へのリダイレクトは問題ありません。",
        ),
    },
    "bad_redirect": {
        "en": (
            "A redirect the CA will not follow",
            "{url} redirects to {target}: {reason_text}",
            "Redirect only with 301, 302, 307 or 308, to http:// or https:// on "
            "ports 80 or 443, to a public host name, in at most 10 steps. "
            "Simplest: serve `/.well-known/acme-challenge/` without any redirect.",
        ),
        "ja": (
            "CA がたどれないリダイレクトがあります",
            "{url} のリダイレクト先 {target}：{reason_text}",
            "リダイレクトは 301・302・307・308 で、http:// か https:// のポート 80 か 443、"
            "公開されたホスト名に向け、10 回以内にしてください。"
            "いちばん確実なのは `/.well-known/acme-challenge/` をリダイレクトせずに返すことです。",
        ),
    },
    "reserved_address": {
        "en": (
            "The name points to an address the CA cannot reach",
            "{name} resolves to {address}, a {kind} address{via_note}. Validators "
            "on the internet cannot connect to it.",
            "Point the A/AAAA records at the server's public address, and remove "
            "records for internal addresses.",
        ),
        "ja": (
            "CA から到達できないアドレスを指しています",
            "{name} は {address}（{kind}）を指しています{via_note}。インターネット上の検証サーバーは接続できません。",
            "A / AAAA レコードをサーバーのグローバル IP アドレスに向け、内部アドレスのレコードは削除してください。",
        ),
    },
    "ipv6_unreachable": {
        "en": (
            "IPv6 is broken",
            "{name} has the AAAA address {address}, which fails ({reason_text}) "
            "while IPv4 works. Let's Encrypt tries IPv6 first and falls back to "
            "IPv4 only after a timeout, not after a refused or reset connection.",
            "Fix IPv6 on the server (listen on [::]:80, open the firewall for "
            "IPv6), or delete the AAAA record.",
        ),
        "ja": (
            "IPv6 でつながりません",
            "{name} の AAAA レコード {address} に接続できません（{reason_text}）。IPv4 "
            "ではつながります。Let's Encrypt は IPv6 を優先して検証し、IPv4 に切り替えるのは"
            "タイムアウトしたときだけです（接続拒否やリセットでは切り替えません）。",
            "サーバーの IPv6 を直す（[::]:80 で待ち受ける、ファイアウォールで IPv6 を許可する）か、"
            "AAAA レコードを削除してください。",
        ),
    },
    "ipv6_unreachable:timeout": {
        "en": (
            "IPv6 does not answer",
            "{name} has the AAAA address {address}, which times out while IPv4 "
            "works. Let's Encrypt tries IPv6 first and retries over IPv4 after a "
            "timeout, so renewal can still pass, but late in the CA's time budget; "
            "visitors on IPv6 cannot reach the site.",
            "Fix IPv6 on the server (listen on [::]:80, open the firewall for "
            "IPv6), or delete the AAAA record.",
        ),
        "ja": (
            "IPv6 で応答がありません",
            "{name} の AAAA レコード {address} はタイムアウトします（IPv4 ではつながります）。"
            "Let's Encrypt は IPv6 を優先し、タイムアウトした場合だけ IPv4 で再試行するため更新は通る可能性がありますが、"
            "CA の制限時間ぎりぎりになります。IPv6 の閲覧者はサイトに届きません。",
            "サーバーの IPv6 を直す（[::]:80 で待ち受ける、ファイアウォールで IPv6 を許可する）か、"
            "AAAA レコードを削除してください。",
        ),
    },
    "addresses_disagree": {
        "en": (
            "The name's addresses answer differently",
            "The same challenge request got different answers: {summary}. The CA "
            "may pick any of them.",
            "Make every address serve the same content for "
            "`/.well-known/acme-challenge/`, or remove the records of servers "
            "that are not meant to answer.",
        ),
        "ja": (
            "アドレスごとに応答が違います",
            "同じチャレンジのリクエストに対して応答が異なりました：{summary}。CA はどのアドレスに接続するかわかりません。",
            "すべてのアドレスで `/.well-known/acme-challenge/` が同じ内容を返すようにするか、"
            "応答すべきでないサーバーのレコードを削除してください。",
        ),
    },
    "dns_nxdomain": {
        "en": (
            "The name does not exist",
            "DNS says {name} does not exist (NXDOMAIN).",
            "Create the A (and, if IPv6 works, AAAA) record at your DNS provider, "
            "or check the spelling.",
        ),
        "ja": (
            "ドメイン名が存在しません",
            "DNS の応答は {name} が存在しない（NXDOMAIN）というものでした。",
            "DNS サービスで A レコード（IPv6 が使えるなら AAAA も）を作成するか、綴りを確認してください。",
        ),
    },
    "dns_no_address": {
        "en": (
            "No address records",
            "{name} exists but has no A or AAAA record.",
            "Add an A record pointing at the web server.",
        ),
        "ja": (
            "アドレスのレコードがありません",
            "{name} は存在しますが、A レコードも AAAA レコードもありません。",
            "Web サーバーを指す A レコードを追加してください。",
        ),
    },
    "dns_servfail": {
        "en": (
            "DNS lookup fails",
            "Looking up {rdtype} for {name} gives SERVFAIL. The CA's resolvers will "
            "fail the same way. Broken DNSSEC is the usual cause.",
            "Check the zone with a DNSSEC analyser (DS at the registrar must match "
            "the zone's keys), or ask your DNS provider.",
        ),
        "ja": (
            "DNS の問い合わせが失敗します",
            "{name} の {rdtype} レコードの問い合わせが SERVFAIL になります。CA のリゾルバーでも同じく失敗します。"
            "多くは DNSSEC の設定ミスが原因です。",
            "DNSSEC の検証ツールで確認する（レジストラの DS レコードとゾーンの鍵が一致しているか）か、"
            "DNS サービスに問い合わせてください。",
        ),
    },
    "dns_timeout": {
        "en": (
            "DNS does not answer",
            "Looking up {rdtype} for {name} timed out. The CA's resolvers give up "
            "the same way.",
            "Check that the name servers of the domain are up and answer over UDP "
            "and TCP on port 53.",
        ),
        "ja": (
            "DNS が応答しません",
            "{name} の {rdtype} レコードの問い合わせがタイムアウトしました。CA のリゾルバーでも同じく失敗します。",
            "ドメインのネームサーバーが稼働し、ポート 53 の UDP と TCP で応答することを確認してください。",
        ),
    },
    "caa_forbids": {
        "en": (
            "CAA records forbid {ca}",
            "The CAA records at {owner} ({records}) {reason_text}. The CA must "
            "refuse to issue.",
            "Add a record that authorises the CA, next to the ones you keep:\n"
            '```\n{owner_fqdn} CAA 0 issue "{ca}"\n```',
        ),
        "ja": (
            "CAA レコードが {ca} を許可していません",
            "{owner} の CAA レコード（{records}）{reason_text}。CA は発行を拒否しなければなりません。",
            "既存のレコードに加えて、CA を許可するレコードを追加してください：\n"
            '```\n{owner_fqdn} CAA 0 issue "{ca}"\n```',
        ),
    },
    "caa_allows": {
        "en": (
            "CAA authorises {ca}",
            "The CAA records at {owner} ({records}) allow {ca} to issue.",
            "",
        ),
        "ja": (
            "CAA は {ca} を許可しています",
            "{owner} の CAA レコード（{records}）は {ca} による発行を許可しています。",
            "",
        ),
    },
    "ns_delegation": {
        "en": (
            "DNS is served by {ns_first}",
            "The zone {owner} is delegated to {ns}. Where DNS is hosted does not "
            "matter for renewal: the CA only needs the A/AAAA records to point at "
            "the server that answers the challenge.",
            "",
        ),
        "ja": (
            "DNS は {ns_first} で運用されています",
            "ゾーン {owner} のネームサーバーは {ns} です。DNS をどこで運用しているかは更新に関係しません。"
            "A / AAAA レコードがチャレンジに応答するサーバーを指していれば十分です。",
            "",
        ),
    },
    "cert_expired": {
        "en": (
            "The certificate has expired",
            "The certificate served on {name} expired on {not_after} "
            "({days_ago} days ago). Visitors see a security warning.",
            "Fix the findings that stop renewal, then renew now (your host's "
            "panel, or `certbot renew`).",
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
            "Renew now, and find out why automatic renewal has not happened: the "
            "other findings here usually say.",
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
            "Nothing answers TLS for {name} on port {port} ({reason_text}), so no "
            "certificate could be read.",
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
    "challenge_intercepted": {
        "en": (
            "Something intercepts the challenge request",
            "{url} answered {status} with {trap_text} instead of the file. The "
            "validator would get that page instead of the token.",
            "{trap_remedy}",
        ),
        "ja": (
            "チャレンジへのリクエストが横取りされています",
            "{url} がファイルではなく {trap_text}（{status}）を返しました。検証サーバーはトークンの代わりにこのページを受け取ります。",
            "{trap_remedy}",
        ),
    },
    "challenge_catch_all": {
        "en": (
            "A catch-all page answers the challenge path",
            "{url} answered {status} with an HTML page for a token that does not "
            "exist. A rewrite rule (a CMS front controller, a single-page app) may "
            "also swallow the real token file.",
            "Serve `/.well-known/acme-challenge/` as plain files before any "
            "rewrite, e.g. in `.htaccess` before WordPress's rules:\n"
            "```\nRewriteRule ^\\.well-known/acme-challenge/ - [L]\n```",
        ),
        "ja": (
            "チャレンジのパスに何でも応答するページがあります",
            "{url} が、存在しないトークンに対して HTML ページ（{status}）を返しました。"
            "CMS のフロントコントローラーや SPA の書き換えルールが、本物のトークンファイルも横取りするおそれがあります。",
            "`/.well-known/acme-challenge/` は書き換えルールより先に静的ファイルとして返してください。"
            "たとえば `.htaccess` の WordPress のルールの前に：\n"
            "```\nRewriteRule ^\\.well-known/acme-challenge/ - [L]\n```",
        ),
    },
    "http_server_error": {
        "en": (
            "Server error on the challenge path",
            "{url} answered {status} from {address}. The validator would get the "
            "same error.",
            "Check the web server's error log; the challenge path should serve "
            "static files.",
        ),
        "ja": (
            "チャレンジのパスでサーバーエラーが起きています",
            "{url} が {address} から {status} を返しました。検証サーバーにも同じエラーが返ります。",
            "Web サーバーのエラーログを確認してください。チャレンジのパスは静的ファイルを返すだけで十分です。",
        ),
    },
    "http_unexpected_status": {
        "en": (
            "Unexpected answer on the challenge path",
            "{url} answered {status} for a token that does not exist, where 404 "
            "was expected.",
            "Make `/.well-known/acme-challenge/` serve plain files, with no rule "
            "that rewrites, blocks or rate-limits it.",
        ),
        "ja": (
            "チャレンジのパスの応答が想定外です",
            "{url} が、存在しないトークンに対して 404 ではなく {status} を返しました。",
            "`/.well-known/acme-challenge/` は、書き換え・ブロック・流量制限のルールなしで静的ファイルを返すようにしてください。",
        ),
    },
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


# --- The CA probe (checks/ca_probe.py): what an ACME CA's own validators reported.
# Blocker codes take the variant "ca": the words say who saw it and quote the
# CA; the remedies are the same as for the local dry run.
_CA_SAID = {"en": " The CA said: “{ca_detail}”", "ja": " CA の応答：「{ca_detail}」"}


def _ca_entry(local_key: str, titles: dict[str, str], details: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    return {
        lang: (titles[lang], details[lang] + _CA_SAID[lang], CATALOGUE[local_key][lang][2])
        for lang in ("en", "ja")
    }


CATALOGUE.update(
    {
        "access_restricted:ca": _ca_entry(
            "access_restricted:challenge",
            {
                "en": "The CA's validator is refused: access restriction on the challenge path",
                "ja": "CA の検証サーバーが拒否されました：チャレンジのパスにアクセス制限があります",
            },
            {
                "en": "{ca} tried to validate {name} at {probed_at} and got 401 on the challenge path. "
                "The real renewal will fail the same way.",
                "ja": "{ca} が {probed_at} に {name} を検証しようとして、チャレンジのパスで 401 を受け取りました。"
                "実際の更新も同じ理由で失敗します。",
            },
        ),
        "access_forbidden:ca": _ca_entry(
            "access_forbidden:challenge",
            {
                "en": "The CA's validator is refused: access forbidden on the challenge path",
                "ja": "CA の検証サーバーが拒否されました：チャレンジのパスへのアクセスが禁止されています",
            },
            {
                "en": "{ca} tried to validate {name} at {probed_at} and got 403 Forbidden on the challenge path. "
                "The real renewal will fail the same way.",
                "ja": "{ca} が {probed_at} に {name} を検証しようとして、チャレンジのパスで 403 Forbidden を受け取りました。"
                "実際の更新も同じ理由で失敗します。",
            },
        ),
        "http_unreachable:ca": _ca_entry(
            "http_unreachable",
            {
                "en": "The CA's validator cannot connect to port 80",
                "ja": "CA の検証サーバーがポート 80 に接続できません",
            },
            {
                "en": "{ca} tried to validate {name} at {probed_at} and could not connect over plain HTTP.",
                "ja": "{ca} が {probed_at} に {name} を検証しようとして、平文の HTTP で接続できませんでした。",
            },
        ),
        "http_server_error:ca": _ca_entry(
            "http_server_error",
            {
                "en": "The CA's validator got a server error on the challenge path",
                "ja": "CA の検証サーバーにチャレンジのパスでサーバーエラーが返りました",
            },
            {
                "en": "{ca} tried {url} at {probed_at} and got {status}.",
                "ja": "{ca} が {probed_at} に {url} を確認し、{status} を受け取りました。",
            },
        ),
        "http_unexpected_status:ca": _ca_entry(
            "http_unexpected_status",
            {
                "en": "The CA's validator got an unexpected answer on the challenge path",
                "ja": "CA の検証サーバーへのチャレンジのパスの応答が想定外です",
            },
            {
                "en": "{ca} tried {url} at {probed_at} and got {status} where 404 was expected.",
                "ja": "{ca} が {probed_at} に {url} を確認し、404 ではなく {status} を受け取りました。",
            },
        ),
        "dns_nxdomain:ca": _ca_entry(
            "dns_nxdomain",
            {"en": "The CA's resolvers say the name does not exist", "ja": "CA のリゾルバーはドメイン名が存在しないと答えています"},
            {
                "en": "{ca} looked up {name} at {probed_at} and got NXDOMAIN.",
                "ja": "{ca} が {probed_at} に {name} を問い合わせ、NXDOMAIN を受け取りました。",
            },
        ),
        "dns_no_address:ca": _ca_entry(
            "dns_no_address",
            {"en": "The CA finds no address for the name", "ja": "CA はこの名前のアドレスを見つけられません"},
            {
                "en": "{ca} could not resolve {name} to an address at {probed_at}.",
                "ja": "{ca} は {probed_at} に {name} のアドレスを解決できませんでした。",
            },
        ),
        "dns_servfail:ca": _ca_entry(
            "dns_servfail",
            {"en": "The CA's DNS lookup fails", "ja": "CA の DNS 問い合わせが失敗します"},
            {
                "en": "{ca} looked up {rdtype} for {name} at {probed_at} and got SERVFAIL.",
                "ja": "{ca} が {probed_at} に {name} の {rdtype} を問い合わせ、SERVFAIL を受け取りました。",
            },
        ),
        "dns_timeout:ca": _ca_entry(
            "dns_timeout",
            {"en": "DNS does not answer the CA", "ja": "DNS が CA に応答しません"},
            {
                "en": "{ca} looked up {rdtype} for {name} at {probed_at} and timed out.",
                "ja": "{ca} が {probed_at} に {name} の {rdtype} を問い合わせ、タイムアウトしました。",
            },
        ),
        "caa_forbids:ca": {
            "en": (
                "The CA says CAA records forbid it",
                "{ca} refused {name} at {probed_at} because of CAA records." + _CA_SAID["en"],
                "Add a CAA record that authorises the CA next to the ones you keep, e.g. "
                '`{name}. CAA 0 issue "letsencrypt.org"`.',
            ),
            "ja": (
                "CA は CAA レコードで拒否されていると答えています",
                "{ca} は {probed_at} に CAA レコードを理由に {name} を拒否しました。" + _CA_SAID["ja"],
                "既存のレコードに加えて CA を許可する CAA レコードを追加してください。例："
                '`{name}. CAA 0 issue "letsencrypt.org"`',
            ),
        },
        "ca_reachable": {
            "en": (
                "The CA's validator reaches the challenge path",
                "{ca} tried the challenge path at {probed_at} and reached the site: it answered {status} for a token "
                "that does not exist, which is what a healthy site does." + _CA_SAID["en"],
                "",
            ),
            "ja": (
                "CA の検証サーバーはチャレンジのパスに到達できます",
                "{ca} が {probed_at} にチャレンジのパスを確認し、サイトに到達しました。存在しないトークンに {status} "
                "が返っており、正常なサイトの応答です。" + _CA_SAID["ja"],
                "",
            ),
        },
        "ca_rejected_identifier": {
            "en": (
                "The CA will not issue for this name",
                "{ca} refused to take an order for {name} at {probed_at}." + _CA_SAID["en"],
                "The CA does not accept this name at all (a blocked name, an unknown top-level domain or a "
                "policy of the CA): no server change fixes it. Check the name, or use another CA.",
            ),
            "ja": (
                "CA はこの名前の証明書を発行しません",
                "{ca} は {probed_at} に {name} の注文を受け付けませんでした。" + _CA_SAID["ja"],
                "CA がこの名前そのものを受け付けていません（ブロック対象の名前、未知のトップレベルドメイン、"
                "CA のポリシーなど）。サーバー側の設定では直りません。名前を確認するか、別の CA を使ってください。",
            ),
        },
        "ca_validation_failed": {
            "en": (
                "The CA's validation fails",
                "{ca} tried to validate {name} at {probed_at} and failed ({ca_type})." + _CA_SAID["en"],
                "Read the CA's words above: they name what its validator met. Serve "
                "`/.well-known/acme-challenge/` over plain HTTP on port 80, without redirects the CA refuses, "
                "to every client.",
            ),
            "ja": (
                "CA の検証が失敗します",
                "{ca} が {probed_at} に {name} を検証しようとして失敗しました（{ca_type}）。" + _CA_SAID["ja"],
                "上の CA の応答に、検証サーバーが何に阻まれたかが書かれています。"
                "`/.well-known/acme-challenge/` は、ポート 80 の平文 HTTP で、CA が受け付けないリダイレクトなしに、"
                "すべてのクライアントに返してください。",
            ),
        },
        "ca_probe_unavailable": {
            "en": (
                "The CA could not be asked",
                "The probe at {ca} gave no verdict on {name}: {reason_text} ({why}). This says nothing "
                "about the site.",
                "",
            ),
            "ja": (
                "CA に確認できませんでした",
                "{ca} での確認では {name} について結論が出ませんでした：{reason_text}（{why}）。"
                "サイトの問題ではありません。",
                "",
            ),
        },
        "ca_probe_skipped": {
            "en": (
                "The CA was not asked",
                "{name} resolves to {address}, a {kind} address: certcheck does not send a CA's validators "
                "there.",
                "",
            ),
            "ja": (
                "CA には確認していません",
                "{name} は {address}（{kind}）を指しています。certcheck はそのアドレスに CA の検証サーバーを向かわせません。",
                "",
            ),
        },
        "ca_answer_reused": {
            "en": (
                "The CA's answer is {age_hours} h old",
                "{ca} was asked at {probed_at}; certcheck asks the CA about a domain at most once every "
                "{window_hours} h, so that answer is shown again.",
                "",
            ),
            "ja": (
                "CA の応答は {age_hours} 時間前のものです",
                "{ca} には {probed_at} に確認しました。certcheck が同じドメインを CA に確認するのは "
                "{window_hours} 時間に 1 回までなので、そのときの応答を表示しています。",
                "",
            ),
        },
        "blocked_for_ca": {
            "en": (
                "Reachable from here, blocked for the CA: likely an IP allow-list",
                "certcheck reached {name}'s challenge path from where it runs, but {ca}'s validator was "
                "blocked at {probed_at}. Something treats the CA differently: an IP allow-list that admits "
                "your network, geo-blocking, a WAF or bot rule, or a firewall in front of port 80.",
                "Let's Encrypt validates from several places in different countries, from addresses it does "
                "not publish, so allow-listing the CA cannot work: exempt `/.well-known/acme-challenge/` from "
                "the allow-list, geo-block or WAF rule for every client.",
            ),
            "ja": (
                "ここからは到達できますが、CA からはブロックされています：IP 制限の可能性が高いです",
                "certcheck の実行場所からは {name} のチャレンジのパスに到達できましたが、{probed_at} に {ca} "
                "の検証サーバーはブロックされました。CA だけが違う扱いを受けています。自社ネットワークだけを許可する "
                "IP 制限、国別のブロック、WAF やボット対策のルール、ポート 80 の前のファイアウォールなどが考えられます。",
                "Let's Encrypt は公開されていない複数の国の複数のアドレスから検証するため、CA を許可リストに入れることは"
                "できません。`/.well-known/acme-challenge/` を IP 制限・国別ブロック・WAF のルールから、"
                "すべてのクライアントについて除外してください。",
            ),
        },
    }
)


# Short phrases used inside the templates above.
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
        "en": "the target is not a public host name",
        "ja": "リダイレクト先が公開されたホスト名ではありません",
    },
    "redirect:ip_literal": {
        "en": "redirects to IP addresses are refused",
        "ja": "IP アドレスへのリダイレクトは受け付けられません",
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
        "en": "more than 10 redirects",
        "ja": "リダイレクトが 10 回を超えています",
    },
    "redirect:invalid": {
        "en": "the Location header is not a valid URL",
        "ja": "Location ヘッダーが正しい URL ではありません",
    },
    "auth:none": {"en": "no WWW-Authenticate header", "ja": "WWW-Authenticate ヘッダーなし"},
    "caa:issue": {
        "en": "name other CAs only",
        "ja": "はほかの CA だけを許可しています",
    },
    "caa:critical": {
        "en": "carry a critical tag the CA does not know",
        "ja": "は CA が知らない critical タグを含んでいます",
    },
    "caa:method": {
        "en": "allow the CA but not the http-01 validation method",
        "ja": "は CA を許可していますが、http-01 の検証方法を許可していません",
    },
    "kind:loopback": {"en": "loopback", "ja": "ループバック"},
    "kind:private": {"en": "private", "ja": "プライベート"},
    "kind:link_local": {"en": "link-local", "ja": "リンクローカル"},
    "kind:shared": {"en": "carrier-grade NAT", "ja": "キャリアグレード NAT"},
    "kind:multicast": {"en": "multicast", "ja": "マルチキャスト"},
    "kind:metadata": {"en": "cloud metadata", "ja": "クラウドのメタデータ"},
    "kind:reserved": {"en": "reserved", "ja": "予約済み"},
    "via:redirect": {"en": " (reached through a redirect)", "ja": "（リダイレクト先）"},
    "trap:testcookie": {
        "en": "a JavaScript cookie check (nginx testcookie, common on free hosting)",
        "ja": "JavaScript による Cookie チェック（無料ホスティングに多い nginx の testcookie）",
    },
    "trap:https_port": {
        "en": "\"plain HTTP request was sent to HTTPS port\"",
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
        "en": "Add a rule to the firewall or WAF that lets "
        "`/.well-known/acme-challenge/` through for every client.",
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
    "reason:no_problem": {
        "en": "the CA failed the validation without saying why",
        "ja": "CA は理由を示さずに検証を失敗としました",
    },
}


