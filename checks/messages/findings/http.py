"""What the dry run of the challenge path met (checks/findings/http.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "http_unreachable": {
        "en": (
            "Port {port} does not answer",
            "{url} on {address} port {port}: {reason_text}. The validator "
            "must reach port 80 over plain HTTP (HTTPS alone is not enough), and "
            "port 443 as well when it is redirected to https://.",
            "Open port 80 (TCP) to everyone in the firewall or security group, and "
            "make sure the web server listens on it. It may redirect to HTTPS.",
        ),
        "ja": (
            "ポート {port} に接続できません",
            "{address} のポート {port}（{url}）：{reason_text}。検証サーバーは"
            "平文の HTTP でポート 80 に接続する必要があり（HTTPS だけでは足りません）、"
            "https:// にリダイレクトされる場合はポート 443 にも接続します。",
            "ファイアウォールやセキュリティグループでポート 80（TCP）を全体に開け、"
            "Web サーバーが待ち受けていることを確認してください。HTTPS へのリダイレクトは問題ありません。",
        ),
    },
    "bad_redirect": {
        "en": (
            "A redirect the CA will not follow",
            "{url} redirects to {target}: {reason_text}",
            "Redirect only with 301, 302, 307 or 308, to http:// or https:// on "
            "ports 80 or 443, to a public host name or address, in at most 11 steps. "
            "Simplest: serve `/.well-known/acme-challenge/` without any redirect.",
        ),
        "ja": (
            "CA がたどれないリダイレクトがあります",
            "{url} のリダイレクト先 {target}：{reason_text}",
            "リダイレクトは 301・302・307・308 で、http:// か https:// のポート 80 か 443、"
            "公開されたホスト名かアドレスに向け、11 回以内にしてください。"
            "いちばん確実なのは `/.well-known/acme-challenge/` をリダイレクトせずに返すことです。",
        ),
    },
    "ipv6_unreachable": {
        "en": (
            "IPv6 is broken",
            "{name} has the AAAA address {address}, which fails at {url} ({reason_text}) "
            "while IPv4 works. Let's Encrypt asks the first IPv6 address first and falls "
            "back to IPv4 only when it cannot connect at all, and only for the first "
            "request: a connection that is made and then fails, or a failure after a "
            "redirect (every redirect starts at IPv6 again), fails the validation.",
            "Fix IPv6 on the server (listen on [::]:80 and [::]:443, open the firewall for "
            "IPv6), or delete the AAAA record.",
        ),
        "ja": (
            "IPv6 でつながりません",
            "{name} の AAAA レコード {address} では {url} が失敗します（{reason_text}）。IPv4 "
            "ではつながります。Let's Encrypt は最初の IPv6 アドレスから検証し、IPv4 に切り替えるのは"
            "接続そのものができなかったとき、しかも最初のリクエストだけです。接続した後の失敗や、"
            "リダイレクト先での失敗（リダイレクトのたびに IPv6 からやり直します）では検証が失敗します。",
            "サーバーの IPv6 を直す（[::]:80 と [::]:443 で待ち受ける、ファイアウォールで IPv6 を許可する）か、"
            "AAAA レコードを削除してください。",
        ),
    },
    "ipv6_unreachable:fallback": {
        "en": (
            "IPv6 does not connect",
            "{name} has the AAAA address {address}, which cannot be connected to "
            "({reason_text}) while IPv4 works. Let's Encrypt then asks again over "
            "IPv4, so renewal passes as long as no redirect leads back to this name "
            "(a redirect starts at IPv6 again); visitors on IPv6 cannot reach the site.",
            "Fix IPv6 on the server (listen on [::]:80 and [::]:443, open the firewall for "
            "IPv6), or delete the AAAA record.",
        ),
        "ja": (
            "IPv6 で接続できません",
            "{name} の AAAA レコード {address} に接続できません（{reason_text}）。IPv4 ではつながります。"
            "この場合 Let's Encrypt は IPv4 で検証し直すため、リダイレクトでこの名前に戻らない限り更新は通ります"
            "（リダイレクトのたびに IPv6 からやり直します）。IPv6 の閲覧者はサイトに届きません。",
            "サーバーの IPv6 を直す（[::]:80 と [::]:443 で待ち受ける、ファイアウォールで IPv6 を許可する）か、"
            "AAAA レコードを削除してください。",
        ),
    },
    "addresses_disagree": {
        "en": (
            "The name's addresses answer differently",
            "The same challenge request got different answers: {summary}. The CA may pick any of them.",
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
            "{url} answered {status} with a page ({content_type}) for a token that "
            "does not exist. The CA accepts only a 200 whose body is the key "
            "authorization; a rewrite rule that answers every path (a CMS front "
            "controller, a single-page app, a login page) gives it this page instead.",
            "Serve `/.well-known/acme-challenge/` as plain files before any "
            "rewrite, with 404 for a missing file, e.g. in `.htaccess` before WordPress's rules:\n"
            "```\nRewriteRule ^\\.well-known/acme-challenge/ - [L]\n```",
        ),
        "ja": (
            "チャレンジのパスに何でも応答するページがあります",
            "{url} が、存在しないトークンに対してページ（{content_type}、{status}）を返しました。"
            "CA が受け付けるのは本文がキー認証の文字列である 200 だけです。すべてのパスに応答する書き換えルール"
            "（CMS のフロントコントローラー、SPA、ログインページ）があると、CA にはこのページが返ります。",
            "`/.well-known/acme-challenge/` は書き換えルールより先に静的ファイルとして返し、ファイルがなければ 404 にしてください。"
            "たとえば `.htaccess` の WordPress のルールの前に：\n"
            "```\nRewriteRule ^\\.well-known/acme-challenge/ - [L]\n```",
        ),
    },
    "http_server_error": {
        "en": (
            "Server error on the challenge path",
            "{url} answered {status} from {address}. The CA accepts only a 200 with "
            "the key authorization; it would get the same error and fail.",
            "Check the web server's error log; the challenge path should serve static files.",
        ),
        "ja": (
            "チャレンジのパスでサーバーエラーが起きています",
            "{url} が {address} から {status} を返しました。CA が受け付けるのはキー認証の文字列を返す 200 だけなので、"
            "同じエラーを受け取って検証は失敗します。",
            "Web サーバーのエラーログを確認してください。チャレンジのパスは静的ファイルを返すだけで十分です。",
        ),
    },
    "http_unexpected_status": {
        "en": (
            "Unexpected answer on the challenge path",
            "{url} answered {status} for a token that does not exist, where 404 "
            "was expected. The CA accepts only a 200 with the key authorization, "
            "and an answer that does not depend on the token will be given to the "
            "real token as well.",
            "Make `/.well-known/acme-challenge/` serve plain files (404 for a missing one), "
            "with no rule that rewrites, blocks or rate-limits it.",
        ),
        "ja": (
            "チャレンジのパスの応答が想定外です",
            "{url} が、存在しないトークンに対して 404 ではなく {status} を返しました。"
            "CA が受け付けるのはキー認証の文字列を返す 200 だけで、トークンによらない応答は本物のトークンにも返ります。",
            "`/.well-known/acme-challenge/` は、書き換え・ブロック・流量制限のルールなしで静的ファイルを返し、"
            "ファイルがなければ 404 にしてください。",
        ),
    },
}
