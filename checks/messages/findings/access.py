"""401 and 403 on the challenge path or the site root (checks/findings/access.py).

The paste-ready snippets are the same in every language; only the words
around them are translated.
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

_APACHE_ROOT_OPEN = """\
# Apache (.htaccess): the top page, and the index file it is served from, without a password
SetEnvIf Request_URI "^/(index\\.(html|php))?$" site_root
SetEnvIf Request_URI "^/\\.well-known/acme-challenge/" acme_challenge
AuthType Basic
AuthName "Restricted"
AuthUserFile /path/to/.htpasswd
<RequireAny>
    Require env site_root
    Require env acme_challenge
    Require valid-user
</RequireAny>"""

_NGINX_ROOT_OPEN = """\
# nginx: / and the index file nginx serves it from; every other location keeps auth_basic
location = / {
    auth_basic off;
}
location = /index.html {
    auth_basic off;
}"""

_ROOT_EN = (
    "Let `/` through and keep the rest protected. Opening `/` makes your front page "
    "public: anyone can read it without the password. Every other page stays protected.\n"
    "```\n" + _lit(_APACHE_ROOT_OPEN) + "\n```\n```\n" + _lit(_NGINX_ROOT_OPEN) + "\n```\n"
    "If the front page must stay private, lift the restriction while you renew in the "
    "host's panel, then put it back."
)
_ROOT_JA = (
    "`/` だけを通し、ほかは保護したままにしてください。`/` を開けると、トップページは"
    "パスワードなしで誰でも見られるようになります。ほかのページは保護されたままです。\n"
    "```\n" + _lit(_APACHE_ROOT_OPEN) + "\n```\n```\n" + _lit(_NGINX_ROOT_OPEN) + "\n```\n"
    "トップページを公開できない場合は、コントロールパネルで更新するあいだだけ制限を外し、"
    "終わったら元に戻してください。"
)


WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
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
            "{url} answered {status} ({auth}). Renewal over plain HTTP-01 passes; "
            "hosts that also fetch the site root, such as Xserver, will fail.",
            _ROOT_EN + "\nIf your host is one of them, say so with `--host-validates-root`: "
            "then this finding blocks the renewal, as it does there.",
        ),
        "ja": (
            "サイトのトップページにアクセス制限がかかっています",
            "{url} が {status}（{auth}）を返しました。通常の HTTP-01 での更新は通りますが、"
            "エックスサーバーのようにトップページも確認するサーバー会社では更新に失敗します。",
            _ROOT_JA + "\nご利用のサーバー会社がそうであれば `--host-validates-root` を指定してください。"
            "この項目が更新を止める問題として扱われます。",
        ),
    },
    "access_restricted:root_host": {
        "en": (
            "Access restriction on the site root: {host_short} fetches it, so renewal will fail",
            "{url} answered {status} ({auth}). The ACME challenge path is open, but "
            "{host_text} also fetches the site root when it renews, and gets no further.",
            _ROOT_EN,
        ),
        "ja": (
            "トップページのアクセス制限で更新に失敗します：{host_short}はトップページも確認します",
            "{url} が {status}（{auth}）を返しました。ACME チャレンジのパスは開いていますが、"
            "{host_text}は更新のときにトップページも取得するため、そこで失敗します。",
            _ROOT_JA,
        ),
    },
    "access_forbidden:root_host": {
        "en": (
            "Access forbidden on the site root: {host_short} fetches it, so renewal will fail",
            "{url} answered 403 Forbidden{firewall_note}. The ACME challenge path is "
            "open, but {host_text} also fetches the site root when it renews, and is refused.",
            "Exempt `/` from the allow-list or WAF rule (this makes the front page "
            "public), or lift it while you renew.",
        ),
        "ja": (
            "トップページへのアクセス拒否で更新に失敗します：{host_short}はトップページも確認します",
            "{url} が 403 Forbidden を返しました{firewall_note}。ACME チャレンジのパスは開いていますが、"
            "{host_text}は更新のときにトップページも取得するため、拒否されて失敗します。",
            "`/` を IP 制限や WAF の対象外にする（トップページは誰でも見られるようになります）か、"
            "更新のあいだだけ制限を外してください。",
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
            "Exempt `/` from the allow-list or WAF rule as well, or lift it while you renew.",
        ),
        "ja": (
            "サイトのトップページへのアクセスも拒否されています",
            "{url} も 403 Forbidden を返しました{firewall_note}。エックスサーバーのようにトップページで"
            "確認するサーバー会社では、チャレンジのパスを直してもここで失敗します。",
            "`/` も IP 制限や WAF の対象外にするか、更新のあいだだけ制限を外してください。",
        ),
    },
}
