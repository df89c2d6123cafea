"""DNS, CAA and the addresses a name resolves to (checks/findings/dns.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "reserved_address": {
        "en": (
            "The name points to an address the CA cannot reach",
            "{name} resolves to {address}, a {kind} address{via_note}. Validators "
            "on the internet cannot connect to it.",
            "Point the A/AAAA records at the server's public address, and remove records for internal addresses.",
        ),
        "ja": (
            "CA から到達できないアドレスを指しています",
            "{name} は {address}（{kind}）を指しています{via_note}。インターネット上の検証サーバーは接続できません。",
            "A / AAAA レコードをサーバーのグローバル IP アドレスに向け、内部アドレスのレコードは削除してください。",
        ),
    },
    "reserved_address:dropped": {
        "en": (
            "A record points to an address the CA skips",
            "{name} also resolves to {address}, a {kind} address. The CA drops such "
            "addresses and validates over the others, so renewal is not stopped by it; "
            "visitors whose resolver picks it cannot reach the site.",
            "Remove the record for {address}, or point it at the server's public address.",
        ),
        "ja": (
            "CA が使わないアドレスを指すレコードがあります",
            "{name} は {address}（{kind}）も指しています。CA はこのようなアドレスを除いてほかのアドレスで検証するため、"
            "更新の妨げにはなりませんが、このアドレスを選んだ閲覧者はサイトに届きません。",
            "{address} のレコードを削除するか、サーバーのグローバル IP アドレスに向けてください。",
        ),
    },
    "dns_nxdomain": {
        "en": (
            "The name does not exist",
            "DNS says {name} does not exist (NXDOMAIN).",
            "Create the A (and, if IPv6 works, AAAA) record at your DNS provider, or check the spelling.",
        ),
        "ja": (
            "ドメイン名が存在しません",
            "DNS は NXDOMAIN を返しました。{name} という名前は存在しません。",
            "DNS サービスで A レコード（IPv6 が使えるなら AAAA も）を作成するか、綴りを確認してください。",
        ),
    },
    "resolver_blind": {
        "en": (
            "The resolver cannot be trusted about {name}",
            "The resolver {resolver} says {name} does not exist, but it cannot see the "
            "`.{tld}` top-level domain either, so its answer says nothing about the name. "
            "Whether the renewal works is not known.",
            "Check with a resolver that sees the public DNS (`--resolver 1.1.1.1` or "
            "CERTCHECK_RESOLVER), or fix the resolver this machine uses.",
        ),
        "ja": (
            "{name} についてリゾルバーの応答が信用できません",
            "リゾルバー {resolver} は {name} が存在しないと答えましたが、トップレベルドメイン "
            "`.{tld}` 自体も見えていないため、この応答から名前について判断できません。"
            "更新できるかどうかは分かりません。",
            "公開 DNS を参照できるリゾルバーでチェックし直すか（`--resolver 1.1.1.1` または "
            "CERTCHECK_RESOLVER）、このマシンが使っているリゾルバーを直してください。",
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
            "Looking up {rdtype} for {name} timed out. The CA's resolvers give up the same way.",
            "Check that the name servers of the domain are up and answer over UDP and TCP on port 53.",
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
            "The CAA records at {owner} ({records}) {reason_text}. The CA must refuse to issue.",
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
    "caa_account_bound": {
        # Info: shown without a remedy, so what to keep in step is said in the detail.
        "en": (
            "CAA lets {ca} issue to one ACME account only",
            "The CAA records at {owner} ({records}) allow {ca} to issue only to the ACME account "
            "{accounts} (RFC 8657 accounturi); certcheck cannot see which account your renewal uses. "
            "Check that the ACME client that renews (certbot: `certbot show_account`; acme.sh: `--info`; "
            "your host's panel) uses it: a new account (a reinstall, a new server, another client, a move "
            "to another host) is refused until the CAA record names it too.",
            "",
        ),
        "ja": (
            "CAA により {ca} は特定の ACME アカウントにしか発行できません",
            "{owner} の CAA レコード（{records}）は、{ca} による発行を ACME アカウント {accounts} に限っています"
            "（RFC 8657 の accounturi）。更新にどのアカウントが使われるかは certcheck からは確認できないため、"
            "更新する ACME クライアントがこのアカウントを使っているか確認してください（certbot なら "
            "`certbot show_account`、acme.sh なら `--info`、レンタルサーバーならコントロールパネル）。"
            "再インストールやサーバーの移行、クライアントの変更でアカウントが新しくなると、CAA レコードに"
            "そのアカウントを加えるまで発行は拒否されます。",
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
}
