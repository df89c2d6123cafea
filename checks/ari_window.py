"""What the CA's renewal window says about the served certificate (pure; `checks.ari` asks for it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from cryptography import x509

from .ari import EARLY_SHARE, AriAnswer, cert_id
from .clock import iso
from .lifetime import RenewalOverdue, normal_renewal_point
from .model import Severity


@dataclass(frozen=True)
class RenewalWindowOpen:
    """Proposed `renewal_window_open` (info): the CA expects a renewal now."""

    cert_id: str
    start: datetime
    end: datetime

    code = "renewal_window_open"
    severity = Severity.INFO

    def params(self) -> dict[str, Any]:
        return {"window_start": iso(self.start), "window_end": iso(self.end), "cert_id": self.cert_id}


@dataclass(frozen=True)
class CaReplacementRequested:
    """Proposed `ca_replacement_requested` (critical): the CA asks for this certificate
    to be replaced by `end`, with its explanation link when it gave one."""

    cert_id: str
    start: datetime
    end: datetime
    normal_start: datetime  # where the window would open by Boulder's formula
    explanation_url: str | None

    code = "ca_replacement_requested"
    severity = Severity.CRITICAL

    def params(self) -> dict[str, Any]:
        return {
            "replace_by": iso(self.end),
            "window_start": iso(self.start),
            "normal_start": iso(self.normal_start),
            "explanation_url": self.explanation_url,
            "cert_id": self.cert_id,
        }


@dataclass(frozen=True)
class AriNotFollowed:
    """Proposed `ari_not_followed` (info): the certificate was replaced after the CA's window closed."""

    cert_id: str
    window_end: datetime
    replaced_at: datetime

    code = "ari_not_followed"
    severity = Severity.INFO

    def params(self) -> dict[str, Any]:
        late = self.replaced_at - self.window_end
        return {
            "window_end": iso(self.window_end),
            "replaced_at": iso(self.replaced_at),
            "days_late": round(late.total_seconds() / 86400, 1),
            "cert_id": self.cert_id,
        }


AriObservation = RenewalWindowOpen | RenewalOverdue | CaReplacementRequested


def evaluate_window(answer: AriAnswer, served: x509.Certificate, now: datetime) -> AriObservation | None:
    """The CA's window for the served certificate, judged against `now`.

    - window in the future and where Boulder's formula puts it: nothing;
    - window opening earlier than the formula by more than a tenth of the
      lifetime, or an `explanationURL` with the window already open: the CA
      asks for a replacement (an explanation on a normal future window is the
      CA explaining its load-spreading, not a request);
    - window passed, same certificate still served: renewal overdue (critical);
    - window open: info, the CA expects the renewal now.
    An answer about another certificate, or an expired served one, says nothing.
    """
    if not answer.known or answer.start is None or answer.end is None:
        return None
    if cert_id(served) != answer.cert_id or now >= served.not_valid_after_utc:
        return None
    not_before, not_after = served.not_valid_before_utc, served.not_valid_after_utc
    normal = normal_renewal_point(not_before, not_after)
    lifetime = not_after - not_before
    normal_start = normal - lifetime / 100
    moved = answer.start < normal_start - lifetime * EARLY_SHARE
    if moved or (answer.explanation_url and answer.start <= now):
        return CaReplacementRequested(answer.cert_id, answer.start, answer.end, normal_start, answer.explanation_url)
    if now >= answer.end:
        return RenewalOverdue(not_after, "ari", answer.end, window_start=answer.start, cert_id=answer.cert_id)
    if now >= answer.start:
        return RenewalWindowOpen(answer.cert_id, answer.start, answer.end)
    return None


def replaced_late(answers: Iterable[AriAnswer], replaced_at: datetime) -> AriNotFollowed | None:
    """Whether a certificate, replaced at `replaced_at`, was replaced after its last known window.

    `answers` are the windows the CA gave for that one certificate over time;
    the most recently fetched one is the CA's last word.
    """
    known = [a for a in answers if a.known and a.end is not None]
    if not known:
        return None
    last = max(known, key=lambda a: a.fetched_at)
    if last.end is None or replaced_at <= last.end:
        return None
    return AriNotFollowed(last.cert_id, last.end, replaced_at)
