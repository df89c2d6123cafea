"""Why a pasted name cannot be checked (`checks.names.InputError`), one line each, in English and Japanese.

`INPUT` maps `input:<reason>` to language to a `str.format` template.
"""

from __future__ import annotations

INPUT: dict[str, dict[str, str]] = {
    "input:empty": {
        "en": "give a domain name, for example example.com",
        "ja": "ドメイン名を指定してください（例：example.com）",
    },
    "input:input_too_long": {"en": "that is far too long to be a domain name", "ja": "ドメイン名としては長すぎます"},
    "input:no_host": {"en": "no host name in {text}", "ja": "{text} にホスト名が見つかりません"},
    "input:wildcard": {
        "en": "wildcard names renew with DNS-01, not HTTP-01; check a concrete name such as www",
        "ja": "ワイルドカード証明書は HTTP-01 ではなく DNS-01 で更新します。www など具体的な名前を指定してください",
    },
    "input:invalid_because": {
        "en": "{host} is not a valid host name ({reason})",
        "ja": "{host} はホスト名として正しくありません（{reason}）",
    },
    "input:invalid": {"en": "{host} is not a valid host name", "ja": "{host} はホスト名として正しくありません"},
    "input:control": {
        "en": "give one name on one line, without tabs or control characters",
        "ja": "タブや制御文字を含めず、1 行に 1 つの名前を指定してください",
    },
    "input:email": {
        "en": "that is an e-mail address; give the domain name instead",
        "ja": "メールアドレスではなく、ドメイン名を指定してください",
    },
    "input:email_like": {
        "en": "that looks like an e-mail address; give the domain name instead",
        "ja": "メールアドレスのようです。ドメイン名を指定してください",
    },
    "input:not_url": {"en": "{text} is not a URL or host name", "ja": "{text} は URL でもホスト名でもありません"},
    "input:scheme": {
        "en": "only http and https URLs can be checked, not {scheme}:",
        "ja": "チェックできるのは http と https の URL だけです（{scheme}: は対象外）",
    },
    "input:ip": {
        "en": "IP addresses cannot be checked; give the site's host name",
        "ja": "IP アドレスはチェックできません。サイトのホスト名を指定してください",
    },
    "input:spaces": {"en": "a host name cannot contain spaces", "ja": "ホスト名に空白は使えません"},
    "input:name_too_long": {
        "en": "the name is {length} characters long; DNS allows {limit}",
        "ja": "名前が {length} 文字あります。DNS で使えるのは {limit} 文字までです",
    },
    "input:localhost": {
        "en": "localhost is this machine, not a public site",
        "ja": "localhost はこのマシン自身を指し、公開サイトではありません",
    },
    "input:single_label": {
        "en": "{name} is a single label; give a full name such as example.com",
        "ja": "{name} はドットを含まない名前です。example.com のような完全な名前を指定してください",
    },
    "input:empty_label": {
        "en": "the name has an empty label (two dots in a row?)",
        "ja": "名前に空のラベルがあります（ドットが 2 つ続いていませんか？）",
    },
    "input:label_too_long": {
        "en": "a label is {length} characters long; DNS allows {limit}",
        "ja": "ラベルが {length} 文字あります。DNS で使えるのは {limit} 文字までです",
    },
    "input:bad_characters": {
        "en": "{label} has characters a host name cannot have",
        "ja": "{label} にはホスト名に使えない文字が含まれています",
    },
    "input:no_http01": {
        "en": ".{tld} names cannot get a certificate through HTTP-01 validation",
        "ja": ".{tld} の名前は HTTP-01 の検証では証明書を取得できません",
    },
    "input:unknown_tld": {
        "en": ".{tld} is not a top-level domain on the public suffix list",
        "ja": ".{tld} は Public Suffix List に載っているトップレベルドメインではありません",
    },
    "input:public_suffix": {
        "en": "{name} is a public suffix, not a domain anyone can hold a certificate for",
        "ja": "{name} はパブリックサフィックスで、個別に証明書を持てるドメインではありません",
    },
}
