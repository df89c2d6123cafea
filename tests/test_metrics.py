"""Prometheus metrics, read back through the real endpoints in Prometheus' own text format."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from checks import Options


def _value(text: str, name: str, **labels: str) -> float:
    """One sample from an exposition; 0 when the series does not exist yet."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_the_web_process_serves_metrics_and_counts_slash_command_checks(start_bot, slack, internet):
    bot = start_bot(Options.from_env(internet.env()))
    before = httpx.get(bot.url + "/metrics", timeout=10)
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/plain")
    assert bot.command("open.test", response="metrics").status_code == 200
    slack.wait_public("metrics", timeout=60)
    after = httpx.get(bot.url + "/metrics", timeout=10).text
    counted = _value(after, "certcheck_checks_total", surface="slack") - _value(
        before.text, "certcheck_checks_total", surface="slack"
    )
    assert counted == 1
    assert _value(after, "certcheck_check_duration_seconds_count", surface="slack") >= 1


def test_a_sweep_leaves_what_an_operator_alerts_on(tmp_path):
    from bot.nightly.sweep import SweepSummary

    summary = SweepSummary(night="2026-12-01", claim="claimed", domains=7, checks=8, sent=2, failed=1)
    before = metrics.exposition().decode()
    metrics.observe_sweep(summary, finished_at=1_700_000_000.0)
    path = tmp_path / "certcheck.prom"
    metrics.export_after_sweep({"CERTCHECK_METRICS_FILE": str(path)})
    written = path.read_text()
    assert _value(written, "certcheck_last_sweep_domains") == 7
    assert _value(written, "certcheck_last_sweep_timestamp_seconds") == 1_700_000_000.0
    assert (
        _value(written, "certcheck_alerts_total", outcome="sent")
        - _value(before, "certcheck_alerts_total", outcome="sent")
        == 2
    )
    assert (
        _value(written, "certcheck_sweeps_total", claim="claimed")
        - _value(before, "certcheck_sweeps_total", claim="claimed")
        == 1
    )


def test_a_busy_night_does_not_overwrite_the_last_sweep_figures():
    from bot.nightly.sweep import SweepSummary

    metrics.observe_sweep(SweepSummary(night="2026-12-02", claim="claimed", domains=5), finished_at=1.0)
    metrics.observe_sweep(SweepSummary(night="2026-12-02", claim="busy"), finished_at=2.0)
    text = metrics.exposition().decode()
    assert _value(text, "certcheck_last_sweep_domains") == 5
    assert _value(text, "certcheck_last_sweep_timestamp_seconds") == 1.0
