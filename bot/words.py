"""The bot's own words: the terminal report, the Slack replies, the nightly alerts, in English and Japanese.

`UI` maps a key to language to a `str.format` template; `say` fills one
strictly (a missing parameter raises, as the finding catalogue does). The
words of findings live in `checks/messages/`, beside the checks that raise them.
"""

from __future__ import annotations

from typing import Any

from checks.messages import lookup


def say(key: str, lang: str, **params: Any) -> str:
    """A surface string (verdict lines, labels, bot replies) in `lang`."""
    return lookup(UI, key, lang, **params)


UI: dict[str, dict[str, str]] = {
    "verdict:ok": {"en": "OK: the next renewal should work", "ja": "OK：次回の更新は問題なさそうです"},
    "verdict:warning": {"en": "Warning: look at the findings below", "ja": "注意：以下の項目を確認してください"},
    "verdict:critical": {
        "en": "Critical: fix this before the certificate expires",
        "ja": "重大：証明書が切れる前に対応が必要です",
    },
    "verdict:critical_certificate": {
        "en": "Critical: the certificate needs attention now",
        "ja": "重大：証明書にすぐ対応が必要です",
    },
    "verdict:critical_expired": {
        "en": "Critical: the certificate has expired",
        "ja": "重大：証明書の有効期限が切れています",
    },
    "verdict:critical_expired_blocked": {
        "en": "Critical: the certificate has expired, and renewing it will fail",
        "ja": "重大：証明書の有効期限が切れており、このままでは更新にも失敗します",
    },
    "verdict:unknown": {"en": "Unknown: the check could not finish", "ja": "不明：チェックを完了できませんでした"},
    "renewable:true": {"en": "renewal dry run passed", "ja": "更新のドライランは成功しました"},
    "renewable:root_only": {
        "en": "renewal over plain HTTP-01 passes; hosts that also fetch the site root, such as Xserver, will fail",
        "ja": "通常の HTTP-01 での更新は通りますが、エックスサーバーのようにトップページも確認するサーバー会社では失敗します",
    },
    "renewable:false": {"en": "renewal will fail", "ja": "このままでは更新に失敗します"},
    "renewable:false_names": {
        "en": "renewal will fail: blocked by {names}",
        "ja": "このままでは更新に失敗します：原因の名前 {names}",
    },
    "renewable:none": {"en": "renewal could not be tested", "ja": "更新を確認できませんでした"},
    "order:names": {"en": "names in the renewal order: {names}", "ja": "更新で申請される名前：{names}"},
    "cert:none": {"en": "No certificate could be read.", "ja": "証明書を読み取れませんでした。"},
    "cert:issuer": {"en": "Issuer", "ja": "発行者"},
    "cert:expires": {"en": "Expires", "ja": "有効期限"},
    "cert:days_left": {"en": "{days} days left", "ja": "残り {days} 日"},
    "cert:names": {"en": "Names", "ja": "対象の名前"},
    "cert:trusted": {"en": "trusted", "ja": "信頼済み"},
    "cert:untrusted": {"en": "not trusted", "ja": "信頼されていません"},
    "findings:none": {"en": "No problems found.", "ja": "問題は見つかりませんでした。"},
    "fix": {"en": "Fix", "ja": "対処"},
    "checked": {"en": "Checked {when} in {ms} ms", "ja": "{when} にチェック（{ms} ミリ秒）"},
    "severity:info": {"en": "info", "ja": "情報"},
    "severity:warning": {"en": "warning", "ja": "注意"},
    "severity:critical": {"en": "critical", "ja": "重大"},
    # A label and what it labels: Japanese takes the full-width colon.
    "labelled": {"en": "{label}: {text}", "ja": "{label}：{text}"},
    # Dates and times, in the readers' time zone (bot/slack/when.py).
    "when:date": {"en": "{year}-{month:02d}-{day:02d}", "ja": "{year}年{month}月{day}日"},
    "when:datetime": {"en": "{date} {time} {zone}", "ja": "{date} {time}（{zone}）"},
    "cert:expires_on": {"en": "{date}, {left}", "ja": "{date}、{left}"},
    "cert:expires_detail": {"en": "{when} ({left}, {trust})", "ja": "{when}（{left}、{trust}）"},
}

# The Slack app's words (bot/). Everything echoed back from a user or a site
# is escaped by bot/slack/blocks.py before it reaches these templates' output.
UI.update(
    {
        "slack:help": {
            "en": (
                "*certcheck* tells you, weeks ahead, whether a site's Let's Encrypt "
                "certificate will renew, and what to change if it will not.\n"
                "`/certcheck example.com` — check a site now; the report is posted in this channel\n"
                "`/certcheck subscribe example.com` — this channel gets the nightly renewal dry run of the site\n"
                "`/certcheck subscribe example.com dns-01` — also say how it renews: `http-01`, `dns-01`, "
                "`tls-alpn-01` or `auto`; add `root` if the host also fetches the site root (as Xserver does), "
                "`no-root` to undo that\n"
                "`/certcheck unsubscribe example.com` — stop that\n"
                "`/certcheck list` — the sites this channel watches\n"
                "`/certcheck lang ja` or `/certcheck lang en` — the language of this channel's replies\n"
                "`/certcheck help` — this message"
            ),
            "ja": (
                "*certcheck* は、Let's Encrypt の証明書が次回きちんと更新できるかを数週間前に確かめ、"
                "更新できない場合は直し方をお知らせします。\n"
                "`/certcheck example.com` — いますぐチェック（結果はこのチャンネルに投稿します）\n"
                "`/certcheck subscribe example.com` — 毎晩の更新ドライランの結果をこのチャンネルに通知\n"
                "`/certcheck subscribe example.com dns-01` — 更新方法も指定（`http-01`・`dns-01`・`tls-alpn-01`・`auto`）。"
                "エックスサーバーのようにトップページも確認するサーバー会社なら `root` を追加（取り消しは `no-root`）\n"
                "`/certcheck unsubscribe example.com` — 通知を止める\n"
                "`/certcheck list` — このチャンネルで監視中のサイト一覧\n"
                "`/certcheck lang ja` / `/certcheck lang en` — このチャンネルでの返信の言語を切り替え\n"
                "`/certcheck help` — このヘルプ"
            ),
        },
        "slack:bad_input": {
            "en": "Cannot check `{text}`: {reason}. Usage: `/certcheck example.com` (more: `/certcheck help`)",
            "ja": "`{text}` はチェックできません（{reason}）。使い方：`/certcheck example.com`（詳しくは `/certcheck help`）",
        },
        "slack:checking": {"en": "Checking {domain}…", "ja": "{domain} をチェックしています…"},
        "slack:rate_user": {
            "en": "You have run many checks in a short time. Please try again in about {seconds} seconds.",
            "ja": "短い時間にチェックが続いています。{seconds} 秒ほど置いてから、もう一度お試しください。",
        },
        "slack:rate_channel": {
            "en": "This channel has run many checks in a short time. Please try again in about {seconds} seconds.",
            "ja": "このチャンネルでチェックが立て続けに実行されています。{seconds} 秒ほど置いてから、もう一度お試しください。",
        },
        "slack:timed_out": {
            "en": (
                "The check of *{domain}* did not finish within {seconds} seconds, so whether the "
                "renewal will work is not known yet. The site may be very slow or drop "
                "connections: try again later."
            ),
            "ja": (
                "*{domain}* のチェックが {seconds} 秒以内に終わらなかったため、更新できるかどうかは"
                "まだ判断できません。サイトの応答が極端に遅いか、接続が途中で破棄されている可能性が"
                "あります。時間をおいて、もう一度お試しください。"
            ),
        },
        "slack:failed": {
            "en": "The check of *{domain}* failed on certcheck's side (the error is logged). Please try again later.",
            "ja": "*{domain}* のチェック中に certcheck 側でエラーが起きました（ログに記録済みです）。時間をおいて、もう一度お試しください。",
        },
        "slack:subscribed": {
            "en": (
                "<@{user}> subscribed this channel to *{domain}*. The nightly renewal dry run "
                "will post here when something would stop the renewal."
            ),
            "ja": (
                "<@{user}> さんがこのチャンネルで *{domain}* の監視を始めました。毎晩の更新ドライランで"
                "更新を妨げる問題が見つかったら、ここでお知らせします。"
            ),
        },
        "slack:already_subscribed": {
            "en": "This channel already watches *{domain}*.",
            "ja": "このチャンネルではすでに *{domain}* を監視しています。",
        },
        "slack:subscription_limit": {
            "en": (
                "This channel already watches {limit} domains, the most allowed. "
                "Unsubscribe one first (`/certcheck list` shows them)."
            ),
            "ja": (
                "1 つのチャンネルで監視できるのは {limit} 件までです。先にどれかの監視を止めてください"
                "（一覧は `/certcheck list`）。"
            ),
        },
        "slack:unsubscribed": {
            "en": "<@{user}> stopped the nightly dry run of *{domain}* in this channel.",
            "ja": "<@{user}> さんがこのチャンネルでの *{domain}* の監視を止めました。",
        },
        "slack:renewal_updated": {
            "en": "<@{user}> changed how *{domain}* renews for this channel: {settings}. The nightly dry run checks it so.",
            "ja": "<@{user}> さんがこのチャンネルでの *{domain}* の更新方法を変更しました：{settings}。毎晩のドライランはこの設定で確認します。",
        },
        "slack:renewal_is": {"en": "How it renews: {settings}.", "ja": "更新方法：{settings}"},
        "slack:renewal_bad": {
            "en": (
                "`{word}` is not a renewal setting: use `http-01`, `dns-01`, `tls-alpn-01` or `auto`, "
                "and `root` or `no-root`. Nothing was changed."
            ),
            "ja": (
                "`{word}` は更新方法の設定ではありません。`http-01`・`dns-01`・`tls-alpn-01`・`auto` と "
                "`root`・`no-root` から指定してください。設定は変更していません。"
            ),
        },
        "slack:renewal_conflict": {
            "en": "`{first}` and `{second}` contradict each other: give one of them. Nothing was changed.",
            "ja": "`{first}` と `{second}` は同時に指定できません。どちらか一方にしてください。設定は変更していません。",
        },
        "renewal:root": {"en": "the host also fetches the site root", "ja": "サーバー会社がトップページも確認する"},
        "renewal:auto": {"en": "decided by certcheck (auto)", "ja": "certcheck が自動で判断"},
        "list:separator": {"en": ", ", "ja": "、"},
        "slack:not_subscribed": {
            "en": "This channel does not watch *{domain}*.",
            "ja": "このチャンネルでは *{domain}* を監視していません。",
        },
        "slack:list_empty": {
            "en": "This channel watches no domains yet. Add one with `/certcheck subscribe example.com`.",
            "ja": "このチャンネルで監視しているドメインはまだありません。`/certcheck subscribe example.com` で追加できます。",
        },
        "slack:list": {
            "en": "Domains this channel watches ({count}), checked by the nightly renewal dry run:",
            "ja": "このチャンネルで監視中のドメイン（{count} 件）。毎晩、更新のドライランを実行します：",
        },
        "slack:list_line": {"en": "{emoji} *{domain}* — {status}", "ja": "{emoji} *{domain}* — {status}"},
        "slack:list_since": {"en": "since {date}, by <@{user}>", "ja": "{date} から（<@{user}> さんが登録）"},
        "slack:list_page": {
            "en": "Page {page} of {pages}, problems first.",
            "ja": "{pages} ページ中 {page} ページ目（問題のあるものから順に表示）",
        },
        "slack:previous_page": {"en": "Previous page", "ja": "前のページ"},
        "slack:next_page": {"en": "Next page", "ja": "次のページ"},
        "slack:lang_set": {
            "en": "This channel now gets replies in English.",
            "ja": "このチャンネルでの返信を日本語に切り替えました。",
        },
        "slack:lang_bad": {
            "en": "Choose `en` or `ja`, for example `/certcheck lang ja`.",
            "ja": "`en` か `ja` を指定してください（例：`/certcheck lang en`）。",
        },
        "slack:recheck": {"en": "Re-check", "ja": "再チェック"},
        "slack:subscribe": {"en": "Subscribe", "ja": "毎晩監視する"},
        "slack:unsubscribe": {"en": "Unsubscribe", "ja": "監視を止める"},
        "slack:more_findings": {
            "en": "…and {count} more findings, not shown to keep the message within Slack's limits.",
            "ja": "…ほか {count} 件の指摘は、Slack の制限に収めるため省略しました。",
        },
        "slack:more_names": {"en": "and {count} more", "ja": "ほか {count} 件"},
        "slack:cut": {"en": "… (cut short)", "ja": "…（以下省略）"},
        "slack:severity_tag": {"en": "({label})", "ja": "（{label}）"},
        "cert:expired_ago": {"en": "expired {days} days ago", "ja": "{days} 日前に期限切れ"},
    }
)

# The nightly dry run's words (bot/nightly/, bot/slack/blocks.alert_message).
UI.update(
    {
        "nightly:alert": {"en": "Renewal problem", "ja": "証明書の更新に問題があります"},
        "nightly:reminder": {"en": "Reminder", "ja": "リマインダー"},
        "nightly:restricted": {
            "en": "The nightly renewal dry run of {domain} found an access restriction: {title}. The next certificate renewal will fail until it lets the CA through.",
            "ja": "{domain} の夜間の更新ドライランで、アクセス制限が見つかりました：{title}。CA の検証を通すようにしない限り、次回の証明書の更新に失敗します。",
        },
        "nightly:problem": {
            "en": "The nightly renewal dry run of {domain} found a problem: {title}.",
            "ja": "{domain} の夜間の更新ドライランで問題が見つかりました：{title}。",
        },
        "nightly:since": {"en": "(seen {nights} nights in a row)", "ja": "（{nights} 晩連続）"},
        "nightly:resolved": {
            "en": "Resolved: the renewal dry run of {domain} passes again. Nothing more to do.",
            "ja": "解決：{domain} の更新ドライランが再び通るようになりました。対応は不要です。",
        },
        "slack:snooze": {"en": "Snooze {days} days", "ja": "{days} 日間通知しない"},
        "slack:snoozed": {
            "en": "Reminders for {domain} are snoozed until {until}. A new or worse problem is still posted.",
            "ja": "{domain} のリマインダーを {until} まで止めました。新しい問題が見つかったときや悪化したときは、引き続きお知らせします。",
        },
        "slack:resumed": {
            "en": "<@{user}> switched the nightly dry run of *{domain}* back on for this channel.",
            "ja": "<@{user}> さんが *{domain}* の夜間ドライランをこのチャンネルで再開しました。",
        },
        "slack:paused": {
            "en": "paused: {reason}",
            "ja": "一時停止中：{reason}",
        },
        "slack:subscribed_undeliverable": {
            "en": (
                "<@{user}> subscribed this channel to *{domain}*, but I cannot post in this channel yet, "
                "so the nightly alerts are waiting. Type `/invite @certcheck` here; they start on their own "
                "once I am in."
            ),
            "ja": (
                "<@{user}> さんがこのチャンネルで *{domain}* の監視を始めましたが、まだこのチャンネルに"
                "投稿できないため、夜間の通知は保留中です。ここで `/invite @certcheck` と入力してください。"
                "参加すると自動で通知を始めます。"
            ),
        },
        "slack:missing_name": {
            "en": "Which site? Type the name after the command, for example `/certcheck {verb} example.com`.",
            "ja": "どのサイトですか？コマンドの後にドメイン名を入力してください（例：`/certcheck {verb} example.com`）。",
        },
        "slack:deliverable_again": {
            "en": "Thanks for inviting me. Nightly alerts for {domains} will be posted here from now on.",
            "ja": "招待ありがとうございます。これから {domains} の夜間通知をこのチャンネルに投稿します。",
        },
        "slack:paused_dm": {
            "en": "The nightly alerts for *{domain}* in <#{channel}> are paused: {reason}",
            "ja": "<#{channel}> での *{domain}* の夜間通知を一時停止しました。{reason}",
        },
    }
)

# Why delivery to a subscription is paused, with what fixes it (`/certcheck list`, the DM).
UI.update(
    {
        "pause:not_in_channel": {
            "en": "I am not a member of this channel. Type `/invite @certcheck` in it; alerts restart on their own.",
            "ja": "このチャンネルに参加していません。チャンネルで `/invite @certcheck` と入力してください。参加すると自動で再開します。",
        },
        "pause:channel_not_found": {
            "en": "I cannot see this channel (private, or deleted). Type `/invite @certcheck` in it, or unsubscribe.",
            "ja": "このチャンネルが見えません（プライベートか削除済み）。チャンネルで `/invite @certcheck` と入力するか、監視を解除してください。",
        },
        "pause:is_archived": {
            "en": "the channel is archived. Unarchive it and type `/certcheck subscribe` again, or subscribe another channel.",
            "ja": "チャンネルがアーカイブされています。アーカイブを解除して `/certcheck subscribe` をもう一度入力するか、別のチャンネルで監視してください。",
        },
        "pause:app_uninstalled": {
            "en": "the app was removed from this workspace. Reinstall it, then type `/certcheck subscribe` again.",
            "ja": "アプリがワークスペースから削除されました。再インストールしてから `/certcheck subscribe` をもう一度入力してください。",
        },
        "pause:tokens_revoked": {
            "en": "the app's access to this workspace was revoked. Reinstall it, then type `/certcheck subscribe` again.",
            "ja": "アプリのアクセス権が取り消されました。再インストールしてから `/certcheck subscribe` をもう一度入力してください。",
        },
        "pause:other": {
            "en": "Slack refused the alert. Type `/certcheck subscribe` again to retry; if it stays paused, ask your Slack admin.",
            "ja": "Slack が通知を受け付けませんでした。`/certcheck subscribe` をもう一度入力してください。それでも止まったままなら Slack 管理者に相談してください。",
        },
    }
)

# A subscription at a glance (`/certcheck list`, the App Home): bot/slack/overview.py.
UI.update(
    {
        "status:ok": {"en": "OK", "ja": "問題なし"},
        "status:warning": {"en": "Warning", "ja": "注意"},
        "status:critical": {"en": "Critical", "ja": "重大"},
        "status:unknown": {"en": "Could not be checked", "ja": "チェックできませんでした"},
        "status:unchecked": {
            "en": "Not checked yet (tonight's dry run will)",
            "ja": "未チェック（今夜のドライランで確認します）",
        },
        "status:with_days": {"en": "{verdict}, {days}", "ja": "{verdict}（{days}）"},
        "status:snoozed": {"en": "Reminders snoozed until {until}.", "ja": "{until} までリマインダーを止めています。"},
        "home:title": {"en": "Sites this workspace watches", "ja": "このワークスペースで監視中のサイト"},
        "home:summary": {
            "en": "{count} {subscriptions} in {channels} {channel_word}, {problems} with a problem. Problems first.",
            "ja": "{channels} チャンネルで {count} 件を監視中、うち問題あり {problems} 件。問題のあるものから順に表示します。",
        },
        "home:line": {
            "en": "{emoji} *{domain}* in <#{channel}> — {status}",
            "ja": "{emoji} *{domain}*（<#{channel}>）— {status}",
        },
        "home:more": {
            "en": "…and {count} more not shown here. `/certcheck list` in a channel shows all of its sites.",
            "ja": "…ほか {count} 件はここに表示していません。チャンネルで `/certcheck list` と入力すると、そのチャンネルのサイトをすべて表示します。",
        },
        "home:empty": {
            "en": "No channel watches a site yet. Type `/certcheck subscribe example.com` in a channel to start.",
            "ja": "まだどのチャンネルもサイトを監視していません。チャンネルで `/certcheck subscribe example.com` と入力すると始められます。",
        },
    }
)
