"""What an ACME CA's own validators reported (checks/acme/answers.py).

Blocker codes take the variant "ca": the words say who saw it and quote the
CA; the remedies are the same as for the local dry run.
"""

from __future__ import annotations

from . import access, dns, http

_LOCAL = {**access.WORDS, **http.WORDS, **dns.WORDS}
# Japanese runs on after a full stop with no space.
_CA_SAID = {"en": " The CA said: “{ca_detail}”", "ja": "CA の応答：「{ca_detail}」"}


def _ca_entry(local_key: str, titles: dict[str, str], details: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    return {lang: (titles[lang], details[lang] + _CA_SAID[lang], _LOCAL[local_key][lang][2]) for lang in titles}


WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
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
        {
            "en": "The CA's resolvers say the name does not exist",
            "ja": "CA のリゾルバーはドメイン名が存在しないと答えています",
        },
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
            "The probe at {ca} gave no verdict on {name}: {reason_text} ({why}). This says nothing about the site.",
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
            "{name} resolves to {address}, a {kind} address: certcheck does not send a CA's validators there.",
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
