"""Readiness for DNS-01 and TLS-ALPN-01 renewals (checks/findings/challenge.py)."""

from __future__ import annotations

WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "dns01_lame_server": {
        "en": (
            "A name server of {zone} does not answer for the DNS-01 challenge of {name}",
            "The DNS-01 record of {name} lives in the zone {zone}. Its name server {server} "
            "did not answer for it properly ({problem_text}). The CA's resolver may ask that "
            "server and then the validation fails.",
            "Fix or remove {server} from the zone's NS records (at the registrar and in the "
            "zone), so that every listed server answers for {zone}.",
        ),
        "ja": (
            "{zone} のネームサーバーが {name} の DNS-01 チャレンジに応答しません",
            "{name} の DNS-01 のレコードはゾーン {zone} にあります。そのネームサーバー {server} "
            "が正しく応答しませんでした（{problem_text}）。CA のリゾルバーがこのサーバーに問い合わせると、"
            "検証に失敗します。",
            "{server} を直すか、ゾーンの NS レコード（レジストラとゾーンの両方）から外して、"
            "登録されているすべてのサーバーが {zone} に応答するようにしてください。",
        ),
    },
    "dns01_servers_disagree": {
        "en": (
            "The name servers of {zone} give different DNS-01 answers for {name}",
            "Asked directly, the servers answered differently: {summary}. A new TXT record "
            "may not have reached every server when the CA looks.",
            "Make sure your DNS provider's servers are in sync, and let your ACME client wait "
            "for propagation (for example certbot's or acme.sh's DNS propagation delay).",
        ),
        "ja": (
            "{zone} のネームサーバーごとに {name} の DNS-01 の応答が異なります",
            "各サーバーに直接問い合わせたところ、応答が一致しませんでした：{summary}。CA が確認する時点で、"
            "新しい TXT レコードがすべてのサーバーに反映されていない可能性があります。",
            "DNS 事業者のサーバー間で同期が取れているか確認し、ACME クライアントに反映待ちの時間を"
            "設定してください（certbot や acme.sh の DNS 反映待ちの設定など）。",
        ),
    },
    "dns01_stale_txt": {
        "en": (
            "{count} old TXT records at {owner}",
            "{owner} holds {count} TXT records. ACME clients add one per validation and should "
            "remove it afterwards; a pile-up means they do not, and large answers can fail over UDP.",
            "Delete the old `_acme-challenge` TXT records, and check that your ACME client's "
            "DNS hook removes its record after each renewal.",
        ),
        "ja": (
            "{owner} に古い TXT レコードが {count} 件あります",
            "{owner} に TXT レコードが {count} 件あります。ACME クライアントは検証のたびに 1 件追加し、"
            "終わったら削除するはずです。たまっているのは削除されていないためで、応答が大きくなると "
            "UDP での問い合わせに失敗することがあります。",
            "古い `_acme-challenge` の TXT レコードを削除し、ACME クライアントの DNS フックが更新後に"
            "レコードを削除しているか確認してください。",
        ),
    },
    "tls_alpn_unreachable": {
        "en": (
            "TLS-ALPN-01 cannot reach {name} at {address}",
            "A TLS 1.2+ handshake with {address} on port {port} failed ({reason_text}). The CA "
            "validates TLS-ALPN-01 there, on every address of the name.",
            "Open port {port} to the internet on every address {name} resolves to, and serve "
            "TLS 1.2 or later there (Caddy and Traefik do by default).",
        ),
        "ja": (
            "TLS-ALPN-01 で {name} の {address} に接続できません",
            "{address} のポート {port} で TLS 1.2 以上のハンドシェイクに失敗しました（{reason_text}）。"
            "CA は TLS-ALPN-01 をこのポートで、名前のすべてのアドレスに対して検証します。",
            "{name} のすべてのアドレスでポート {port} をインターネットに開放し、TLS 1.2 以上で"
            "応答するようにしてください（Caddy や Traefik は標準でそうなっています）。",
        ),
    },
    "wildcard_needs_dns01": {
        "en": (
            "{name} can only be renewed over DNS-01",
            "The certificate includes the wildcard {name}, and the CA validates wildcards over "
            "DNS-01 only; this order was checked for {method}, which cannot renew it.",
            "Renew over DNS-01 (a DNS API plugin for your ACME client), or drop the wildcard "
            "and list the names it covers.",
        ),
        "ja": (
            "{name} は DNS-01 でしか更新できません",
            "証明書にワイルドカード {name} が含まれています。CA はワイルドカードを DNS-01 でしか"
            "検証しないため、今回チェックした {method} では更新できません。",
            "DNS-01 で更新する（ACME クライアントの DNS API プラグインを使う）か、ワイルドカードを"
            "やめて必要な名前を個別に並べてください。",
        ),
    },
}
