"""Token buckets, on a clock the test moves by hand."""

from __future__ import annotations

from bot.settings import Rate
from bot.slack.ratelimit import CheckLimiter, TokenBuckets
from tests.clock import Clock


def test_a_bucket_allows_its_burst_then_refills_evenly():
    clock = Clock(1000.0)
    buckets = TokenBuckets(Rate(3, 60), clock)
    assert [buckets.take("u") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("u") == 20  # one token every 20 seconds
    clock.now += 19
    assert 0 < buckets.take("u") <= 1
    clock.now += 1
    assert buckets.take("u") == 0
    assert buckets.take("someone else") == 0


def test_a_refused_channel_does_not_spend_the_users_token():
    limiter = CheckLimiter(Rate(2, 60), Rate(1, 60))
    assert limiter.admit("T", "C1", "U1") is None
    refused = limiter.admit("T", "C1", "U1")
    assert refused is not None and refused[0] == "channel"
    # U1 still has its second check, usable in another channel.
    assert limiter.admit("T", "C2", "U1") is None
    assert limiter.admit("T", "C3", "U1")[0] == "user"


def test_rates_parse_from_the_environment_form():
    assert Rate.parse("5/60", "X") == Rate(5, 60.0)
    assert Rate.parse("10", "X") == Rate(10, 60.0)
    for bad in ("0/60", "five", "5/0"):
        try:
            Rate.parse(bad, "CERTCHECK_RATE_USER")
        except ValueError as exc:
            assert "CERTCHECK_RATE_USER" in str(exc)
        else:
            raise AssertionError(f"{bad!r} accepted")
