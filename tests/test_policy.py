"""The alert policy, night by night, with the clock as a parameter."""

from datetime import datetime, timedelta, timezone

from bot.nightly.policy import ANY_NAME, Kind, Seen, State, crossed_threshold, decide

NIGHT = datetime(2026, 11, 27, 3, tzinfo=timezone.utc)


def on(*codes: str, name: str = "x.test") -> frozenset[tuple[str, str]]:
    """Problems: each code on `name`."""
    return frozenset((code, name) for code in codes)


RESTRICTED = Seen(2, on("access_restricted"), 40)
HEALTHY = Seen(0, frozenset(), 60)


def nights(seens, state=None, start=NIGHT, remind_days=7):
    """Run the policy over consecutive nights; the kinds said each night."""
    said = []
    for i, seen in enumerate(seens):
        decision = decide(state, seen, start + timedelta(days=i), remind_days)
        said.append(decision.kind)
        state = decision.state
    return said, state


def test_a_new_problem_is_told_once_then_reminded_weekly():
    said, _ = nights([RESTRICTED] * 15)
    assert said[0] is Kind.ALERT
    assert [i for i, kind in enumerate(said) if kind] == [0, 7, 14]
    assert said[7] is Kind.REMINDER


def test_fixed_is_told_once():
    said, _ = nights([RESTRICTED, RESTRICTED, HEALTHY, HEALTHY])
    assert said == [Kind.ALERT, None, Kind.RESOLVED, None]


def test_healthy_from_the_start_says_nothing():
    assert nights([HEALTHY] * 3)[0] == [None, None, None]


def test_broken_again_after_a_fix_is_a_new_alert():
    said, _ = nights([RESTRICTED, HEALTHY, RESTRICTED])
    assert said == [Kind.ALERT, Kind.RESOLVED, Kind.ALERT]


def test_severity_rise_and_new_problems_alert_at_once():
    warning = Seen(1, on("cert_expiring"), 12)
    critical = Seen(2, on("cert_expiring"), 11)
    assert nights([warning, critical])[0] == [Kind.ALERT, Kind.ALERT]
    both = Seen(1, on("cert_expiring", "challenge_catch_all"), 11)
    assert nights([warning, both])[0] == [Kind.ALERT, Kind.ALERT]


def test_milder_or_fewer_problems_are_remembered_quietly():
    worse = Seen(2, on("access_restricted", "cert_expiring"), 30)
    milder = Seen(1, on("cert_expiring"), 29)
    said, state = nights([worse, milder])
    assert said == [Kind.ALERT, None]
    assert (state.severity, state.problems) == (1, on("cert_expiring"))


def test_days_left_thresholds_remind():
    seens = [Seen(2, on("access_restricted"), days) for days in (16, 15, 14, 13, 8, 7, 4, 3, 2, 1, 0)]
    said, _ = nights(seens, remind_days=30)
    told_at_days = [seen.days_left for seen, kind in zip(seens, said, strict=True) if kind]
    assert told_at_days == [16, 14, 7, 3, 1]


def test_crossed_threshold_edges():
    assert crossed_threshold(15, 14) and crossed_threshold(8, 2)
    assert not crossed_threshold(14, 13) and not crossed_threshold(None, 3) and not crossed_threshold(3, 5)


def test_an_inconclusive_night_changes_nothing():
    said, state = nights([RESTRICTED, Seen(0, frozenset(), None, conclusive=False)])
    assert said == [Kind.ALERT, None] and state.active


def test_snooze_silences_reminders_but_not_new_trouble():
    first = decide(None, RESTRICTED, NIGHT)
    snoozed = State(**{**first.state.__dict__, "snoozed_until": NIGHT + timedelta(days=10)})
    said, _ = nights([RESTRICTED] * 9, state=snoozed, start=NIGHT + timedelta(days=1))
    assert said == [None] * 9
    worse = Seen(2, on("access_restricted", "caa_forbids"), 40)
    assert decide(snoozed, worse, NIGHT + timedelta(days=2)).kind is Kind.ALERT
    assert decide(snoozed, RESTRICTED, NIGHT + timedelta(days=11)).kind is Kind.REMINDER


def test_reminder_tolerates_a_sweep_that_starts_a_bit_earlier():
    first = decide(None, RESTRICTED, NIGHT)
    assert decide(first.state, RESTRICTED, NIGHT + timedelta(days=7, minutes=-5)).kind is Kind.REMINDER


def messages_over_a_life(lifetime_days: float) -> list[tuple[float, str, str]]:
    """(days left, kind, worst severity) of every message a channel gets over one certificate's life,
    checked every night with no renewal: the table in the README's alert policy."""
    from dataclasses import replace as with_dates

    from checks.judge import certificate_findings
    from checks.lifetime import reminder_days
    from tests import builders

    issued = datetime(2026, 12, 1, 1, tzinfo=timezone.utc)
    expires = issued + timedelta(days=lifetime_days)
    told, state, night = [], None, issued + timedelta(hours=2)
    while night < expires:
        left = expires - night
        cert = with_dates(builders.certificate(0, now=night), not_before=issued, not_after=expires, days_left=left.days)
        problems = [f for f in certificate_findings("x.test", cert, None, 443, night) if f.is_problem]
        worst = max((int(f.severity) for f in problems), default=0)
        seen = Seen(worst, on(*(f.code for f in problems)), left.days, reminders=reminder_days(issued, expires))
        decision = decide(state, seen, night, remind_days=7)
        state = decision.state
        if decision.kind is not None:
            told.append(
                (round(left.total_seconds() / 86400, 1), decision.kind.value, ("", "warning", "critical")[worst])
            )
        night += timedelta(days=1)
    return told


def test_a_six_day_certificate_is_not_daily_noise():
    assert messages_over_a_life(160 / 24) == [(1.6, "alert", "warning"), (0.6, "alert", "warning")]


def test_a_45_day_certificate_warns_at_a_third_of_its_life_left_not_at_14_days():
    assert messages_over_a_life(45) == [
        (14.9, "alert", "warning"),
        (7.9, "reminder", "warning"),
        (6.9, "alert", "warning"),
        (3.9, "reminder", "warning"),
        (2.9, "alert", "critical"),
        (1.9, "reminder", "critical"),
    ]


def test_a_90_day_certificate_keeps_its_familiar_points():
    assert messages_over_a_life(90) == [
        (29.9, "alert", "warning"),
        (22.9, "reminder", "warning"),
        (15.9, "reminder", "warning"),
        (14.9, "alert", "warning"),
        (7.9, "reminder", "warning"),
        (6.9, "alert", "critical"),
        (3.9, "reminder", "critical"),
        (1.9, "reminder", "critical"),
    ]


def test_reminder_points_come_from_the_certificate_lifetime():
    six_day = Seen(1, on("renewal_overdue"), 1, reminders=(1,))
    before = State(active=True, severity=1, problems=on("renewal_overdue"), days_left=2, told_at=NIGHT)
    assert decide(before, six_day, NIGHT + timedelta(days=1)).kind is Kind.REMINDER
    assert not crossed_threshold(15, 14, (7, 3, 1))


def test_the_same_code_on_another_name_is_a_new_problem():
    apex = Seen(2, on("access_restricted", name="example.test"), 40)
    www = Seen(2, on("access_restricted", name="www.example.test"), 39)
    both = Seen(2, apex.problems | www.problems, 38)
    said, state = nights([apex, www, www, both, HEALTHY])
    # The apex fixed and www broken the same night: told at once, not a week later.
    assert said == [Kind.ALERT, Kind.ALERT, None, Kind.ALERT, Kind.RESOLVED]
    assert not state.active


def test_resolved_only_when_no_code_on_any_name_is_left():
    both = Seen(2, on("access_restricted", name="a.test") | on("access_restricted", name="b.test"), 40)
    one_left = Seen(2, on("access_restricted", name="b.test"), 39)
    assert nights([both, one_left, one_left, HEALTHY])[0] == [Kind.ALERT, None, None, Kind.RESOLVED]


def test_a_state_stored_with_codes_alone_covers_that_code_on_every_name():
    """alert_states rows written before findings carried names: no second alert after the upgrade."""
    legacy = State(active=True, severity=2, problems=frozenset({("access_restricted", ANY_NAME)}), told_at=NIGHT)
    tonight = Seen(2, on("access_restricted", name="www.example.test"), 40)
    decision = decide(legacy, tonight, NIGHT + timedelta(days=1))
    assert decision.kind is None and decision.state.problems == tonight.problems
    assert decide(legacy, Seen(2, on("caa_forbids"), 40), NIGHT + timedelta(days=1)).kind is Kind.ALERT
