"""The slash command posts the local report at once, then redraws it with the CA's view."""

from tests.builders import lab_options


def test_slash_command_adds_the_cas_view_when_it_arrives(internet, pebble, start_bot, slack, monkeypatch):
    monkeypatch.setenv("CERTCHECK_ACME_DIRECTORY", pebble.directory_url)
    internet.set_site("open.example", "forbidden-to-ca")
    try:
        bot = start_bot(lab_options(internet, pebble.env()), ca_probe=True)
        assert bot.command("open.example", response="ca").status_code == 200
        posts = slack.wait_for(
            lambda rs: sum(r.path == "/response/ca" and r.body.get("response_type") == "in_channel" for r in rs) >= 2,
            60,
            "the local report and its redraw",
        )
        local, redrawn = [r for r in posts if r.path == "/response/ca" and r.body.get("response_type") == "in_channel"]
        assert "blocked for the CA" not in local.everything()
        assert redrawn.body["replace_original"] is True
        assert "Reachable from here, blocked for the CA" in redrawn.everything()
    finally:
        internet.set_site("open.example", "open")
