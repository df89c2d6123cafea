"""The engine in-process: one DNS question each, a shared client, the clock."""

import asyncio
from datetime import datetime, timedelta, timezone

from checks import run_check
from checks.transport import probe_client
from tests.builders import lab_options


def test_every_dns_question_is_asked_once(internet):
    names = ("redirect-other.test", "open.test")
    before = {name: internet.queries(name) for name in names}
    report = asyncio.run(run_check("redirect-other.test", lab_options(internet)))
    assert report.verdict.value == "ok"
    asked = {
        name: {rdtype: n - before[name].get(rdtype, 0) for rdtype, n in internet.queries(name).items()}
        for name in names
    }
    # The name itself: addresses, CAA and name servers, once each. The
    # redirect target: its addresses, once, although two probes follow it.
    assert {k: v for k, v in asked["redirect-other.test"].items() if v} == {"A": 1, "AAAA": 1, "CAA": 1, "NS": 1}
    assert {k: v for k, v in asked["open.test"].items() if v} == {"A": 1, "AAAA": 1}


def test_one_client_serves_many_checks(internet):
    options = lab_options(internet)

    async def many():
        client = probe_client(options.timeout)
        try:
            return await asyncio.gather(
                *(run_check(name, options, client=client) for name in ("open.test", "basic-all.test", "v6-ok.test"))
            )
        finally:
            await client.aclose()

    verdicts = [r.verdict.value for r in asyncio.run(many())]
    assert verdicts == ["ok", "critical", "ok"]


def test_days_left_follow_the_given_clock(internet):
    options = lab_options(internet)
    now = datetime.now(timezone.utc)
    today = asyncio.run(run_check("open.test", options, now=now))
    later = asyncio.run(run_check("open.test", options, now=now + timedelta(days=50)))
    assert today.certificate.days_left - later.certificate.days_left == 50
    assert "cert_expiring" in later.codes() and "renewal_overdue" in later.codes()
