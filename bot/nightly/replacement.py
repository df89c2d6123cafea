"""When the served certificate changed since the last night: was it replaced late?

The history keeps each night's certificate ID (`check_history.cert_id`); the
CA's last answer about the previous certificate is still in `ari_answers`.
A replacement issued after that window closed means the ACME client does not
follow ARI (`ari_not_followed`, info): worth knowing before the CA next moves
a window early, not worth a message of its own.
"""

from __future__ import annotations

from dataclasses import replace

from checks import Report
from checks.ari import AriCache
from checks.ari_window import replaced_late
from checks.clock import minute
from checks.findings.schedule import ari_not_followed


def with_replacement_note(report: Report, previous_cert_id: str | None, answers: AriCache) -> Report:
    """`report` with `ari_not_followed` when its certificate replaced `previous_cert_id` late."""
    cert = report.certificate
    if cert is None or cert.cert_id is None or previous_cert_id in (None, cert.cert_id):
        return report
    assert previous_cert_id is not None
    last = answers.get(previous_cert_id)
    # The new certificate's notBefore is when the replacement was issued.
    late = replaced_late([last] if last else [], cert.not_before)
    if late is None:
        return report
    note = ari_not_followed(minute(late.window_end), minute(late.replaced_at), late.params()["days_late"])
    return replace(report, findings=(*report.findings, note))
