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

_APACHE_ROOT = """\
# Apache: also let the top page through, for hosts that validate it
SetEnvIf Request_URI "^/$" site_root"""


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
}
