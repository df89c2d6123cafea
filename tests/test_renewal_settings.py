"""How a subscribed domain renews (`/certcheck subscribe example.com dns-01 root`): stored per
subscription, used by the nightly dry run (in the sweep's process and in child processes) and by the
channel's `/certcheck example.com`, shown by `list` and the App Home.

Through the real app and the Slack stand-in, against the test internet, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.renewal import Renewal, RenewalChange, RenewalWordError, parse_words
from checks import Options
from tests.sweeps import TEAM, make_night

pytestmark = pytest.mark.timeout(180)


def test_words_name_only_what_they_change():
    assert parse_words([]) == RenewalChange()
    assert parse_words(["DNS-01", "root"]).applied(Renewal()) == Renewal("dns-01", True)
    kept = Renewal("tls-alpn-01", True)
    assert parse_words(["no-root"]).applied(kept) == Renewal("tls-alpn-01", None)
    assert parse_words(["auto"]).applied(kept) == Renewal(None, True)
    assert parse_words(["dns-01", "dns-01"]).applied(Renewal()) == Renewal("dns-01")
    with pytest.raises(RenewalWordError) as bad:
        parse_words(["dns-01", "ルート"])
    assert (bad.value.word, bad.value.other) == ("ルート", None)
    with pytest.raises(RenewalWordError) as clash:
        parse_words(["dns-01", "http-01"])
    assert (clash.value.word, clash.value.other) == ("dns-01", "http-01")
    with pytest.raises(RenewalWordError):
        parse_words(["root", "no-root"])


def test_renewal_settings_become_check_options():
    base = Options(timeout=7)
    assert Renewal().options(base) is base
    assert Renewal("dns-01", True).options(base) == Options(timeout=7, challenge="dns-01", host_validates_root=True)


def test_subscribe_with_settings_updates_and_refuses_bad_words(start_bot, slack, slack_db):
    bot = start_bot()
    bot.command("subscribe example.com dns-01", response="s1")
    created = slack.wait_posts("s1")[0]
    assert created.body["response_type"] == "in_channel" and "How it renews: dns-01." in created.text
    bot.command("subscribe example.com root", response="s2")
    updated = slack.wait_posts("s2")[0]
    assert updated.body["response_type"] == "in_channel" and "changed how *example.com* renews" in updated.text
    assert "dns-01, the host also fetches the site root" in updated.text  # the method was kept
    bot.command("subscribe example.com", response="s3")
    already = slack.wait_posts("s3")[0]
    assert "already watches" in already.text and "dns-01" in already.text

    # A bad word, a contradiction: one line each, in the user's language, and nothing changed.
    bot.command("subscribe example.com dns01", response="bad")
    bot.command("subscribe example.com http-01 tls-alpn-01", response="clash")
    bot.command("subscribe new.example.com rooot", response="bad-new")
    for name in ("bad", "clash", "bad-new"):
        (post,) = slack.wait_posts(name)
        assert post.body["response_type"] == "ephemeral" and "\n" not in post.text
        assert "Nothing was changed" in post.text
    assert "`dns01` is not a renewal setting" in slack.posts("bad")[0].text
    slack.locales["U00JA"] = "ja-JP"
    bot.command("subscribe example.com <!channel>", response="ja", user="U00JA")
    (ja,) = slack.wait_posts("ja")
    assert "更新方法の設定ではありません" in ja.text and "<!channel>" not in ja.text

    db = Database(slack_db)
    [row] = db.subscriptions.for_channel(TEAM, "C0001")
    assert (row.domain, row.renewal) == ("example.com", Renewal("dns-01", True))
    bot.command("subscribe example.com auto no-root", response="reset")
    assert "decided by certcheck (auto)" in slack.wait_posts("reset")[0].text
    assert db.subscriptions.for_channel(TEAM, "C0001")[0].renewal == Renewal()
    db.close()


def test_list_and_home_show_settings_that_are_not_certchecks_own(start_bot, slack):
    bot = start_bot()
    bot.command("subscribe plain.example.com", response="a")
    bot.command("subscribe wild.example.com dns-01", response="b")
    bot.command("subscribe xs.example.com root", response="c")
    for name in ("a", "b", "c"):
        slack.wait_posts(name)
    bot.command("list", response="list")
    lines = {line.split("*")[1]: line for line in slack.wait_posts("list")[0].text.split("\n") if "*" in line}
    assert "renews" not in lines["plain.example.com"]
    assert lines["wild.example.com"].endswith("How it renews: dns-01")
    assert lines["xs.example.com"].endswith("How it renews: the host also fetches the site root")
    assert bot.open_home("U0001").status_code == 200
    sections = [b["text"]["text"] for b in slack.homes.wait("U0001")["blocks"] if b["type"] == "section"]
    assert any("*wild.example.com*" in s and "How it renews: dns-01" in s for s in sections)
    assert not any("*plain.example.com*" in s and "renews" in s for s in sections)


def test_the_channels_check_uses_its_subscription_settings(start_bot, slack, internet):
    bot = start_bot(Options.from_env(internet.env()))
    bot.command("basic-all.test", response="plain")
    assert "Access restriction" in slack.wait_public("plain", timeout=60).text
    # Renewed over DNS-01 (a wildcard, a DNS API): Basic auth on the site does not stop it.
    bot.command("subscribe basic-all.test dns-01", response="sub", channel="C0DNS")
    slack.wait_posts("sub")
    bot.command("basic-all.test", response="dns", channel="C0DNS")
    report = slack.wait_public("dns", timeout=60)
    assert "Access restriction" not in report.text and "renewal will fail" not in report.text
    assert "How it renews: dns-01." in report.everything()  # said above the report


@pytest.mark.parametrize("processes", [0, 2], ids=["in-process", "child-processes"])
def test_one_domain_is_checked_once_per_setting_and_each_channel_judged_by_its_own(
    internet, slack, slack_db, site, processes
):
    night = make_night(internet, slack, slack_db, processes=processes)
    try:
        night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
        night.db.subscriptions.subscribe(TEAM, "C2", site, "U1", change=parse_words(["dns-01"]))
        night.db.subscriptions.subscribe(TEAM, "C3", site, "U1")
        summary = night.run_once()
        # Two ways to renew, two checks; the plain HTTP-01 channels hear of the Basic auth, the DNS-01 one not.
        assert (summary.checks, summary.sent) == (2, 2)
        assert len(slack.delivered("C1")) == len(slack.delivered("C3")) == 1
        assert slack.delivered("C2") == []
        # The domain's history keeps the worst of the night's checks.
        assert night.db.results.history(site, 1) == ["critical"]
    finally:
        night.db.close()


def test_root_setting_makes_a_restricted_root_block_the_renewal_at_night(internet, slack, slack_db, site):
    internet.set_site(site, "basic-root")
    night = make_night(internet, slack, slack_db)
    try:
        night.db.subscriptions.subscribe(TEAM, "C1", site, "U1")
        night.db.subscriptions.subscribe(TEAM, "C2", site, "U1", change=parse_words(["root"]))
        assert night.run_once().sent == 2
        states = {sub.channel_id: sub.state for sub in night.db.results.subscribers(site)}
        assert states["C1"] is not None and states["C1"].severity == 1  # plain HTTP-01 passes: a warning
        assert states["C2"] is not None and states["C2"].severity == 2  # the host fetches `/`: it fails
        assert "renewal will fail" in slack.delivered("C2")[0].everything()
    finally:
        night.db.close()


def test_the_home_recheck_uses_the_settings_of_the_rows_subscription(start_bot, slack, internet):
    from bot.slack.home import HOME_RECHECK, home_value

    bot = start_bot(Options.from_env(internet.env()))
    bot.command("subscribe basic-all.test dns-01", response="sub", channel="C0DNS")
    slack.wait_posts("sub")
    # Pressed in the App Home: the report goes by DM, checked as the C0DNS subscription says.
    assert bot.click_home(HOME_RECHECK, home_value("C0DNS", "basic-all.test")).status_code == 200

    def is_report(r) -> bool:
        return r.path == "/api/chat.postMessage" and bool(r.body.get("blocks"))

    slack.wait_for(lambda rs: any(is_report(r) for r in rs), timeout=60, what="the re-check's report by DM")
    report = next(r for r in slack.snapshot() if is_report(r))
    assert report.body["channel"] == "U0001" and "How it renews: dns-01." in report.everything()
    assert "renewal will fail" not in report.everything()
