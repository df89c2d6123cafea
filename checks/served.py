"""The served certificate, judged with the CA's schedule: expiry by lifetime, the ARI
window, a newer certificate in CT logs, the chain as sent and the next lifetime.

Pure: the chain is examined from what `checks.tls` captured (no I/O), and the
ARI and CT answers come from `checks.schedule` (None when not asked). Each
observation becomes its finding through the constructor named after it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from . import judge
from .ari import cert_id
from .ari_window import CaReplacementRequested, RenewalWindowOpen, evaluate_window
from .chain import ChainIncomplete, ChainObservation, ChainOutOfOrder, IntermediateExpired, examine, trust_anchors
from .clock import minute
from .ct import undeployed
from .findings import certificate, chain, schedule
from .lifetime import ExpiryThresholds, RenewalOverdue, lifetime_class, lifetime_days, profile_note
from .model import Certificate, Finding
from .options import Options
from .schedule import ScheduleAnswers
from .tls import TlsResult

LETS_ENCRYPT = "Let's Encrypt"


def thresholds(options: Options) -> ExpiryThresholds:
    """Shares of the lifetime, unless CERTCHECK_WARN_DAYS / CERTCHECK_CRITICAL_DAYS say days."""
    return ExpiryThresholds(warn_days=options.warn_days, critical_days=options.critical_days)


def served_findings(
    name: str, tls: TlsResult, answers: ScheduleAnswers | None, now: datetime, options: Options
) -> tuple[Certificate | None, list[Finding]]:
    """The certificate facts for the report (lifetime class, chain) and every finding about it."""
    cert, limits = tls.certificate, thresholds(options)
    leaf = _leaf(tls)
    if cert is None or leaf is None:
        return cert, judge.certificate_findings(name, cert, tls.error, 443, now, limits)
    answers = answers or ScheduleAnswers()
    window_end, ari_findings = _ari(leaf, answers, now, cert)
    findings = judge.certificate_findings(name, cert, tls.error, 443, now, limits, ca_window_end=window_end)
    findings += ari_findings
    if answers.ct is not None:
        newer = undeployed(leaf, name, answers.ct, now, limits)
        if newer is not None:
            findings.append(
                schedule.cert_not_deployed(
                    name, minute(newer.issued_at), minute(newer.served_not_after), newer.source, critical=newer.critical
                )
            )
    examined = examine(tls.chain, trust_anchors(options.ca_file), now)
    facts = None
    if examined is not None:
        chain_facts, seen = examined
        facts = chain_facts.to_json()
        findings += [_chain_finding(o) for o in seen]
    note = profile_note(cert.not_before, cert.not_after, now, lets_encrypt=_lets_encrypt(leaf))
    if note is not None:
        findings.append(
            schedule.lifetime_shortening(
                round(note.current_days), note.next_days, note.effective.isoformat(), round(note.renew_every_days / 7)
            )
        )
    klass = lifetime_class(lifetime_days(cert.not_before, cert.not_after)).value
    return replace(cert, lifetime_class=klass, chain=facts, cert_id=cert_id(leaf)), findings


def _ari(
    leaf: x509.Certificate, answers: ScheduleAnswers, now: datetime, cert: Certificate
) -> tuple[datetime | None, list[Finding]]:
    """The window's end (quiets the lifetime warnings while ahead) and what the window says."""
    answer = answers.ari.answer if answers.ari else None
    if answer is None or not answer.known or answer.cert_id != cert_id(leaf):
        return None, []
    seen = evaluate_window(answer, leaf, now)
    if isinstance(seen, RenewalWindowOpen):
        return answer.end, [schedule.renewal_window_open(minute(seen.start), minute(seen.end))]
    if isinstance(seen, CaReplacementRequested):
        return answer.end, [
            schedule.ca_replacement_requested(minute(seen.end), minute(seen.start), seen.explanation_url)
        ]
    if isinstance(seen, RenewalOverdue) and seen.window_start is not None:
        overdue = certificate.renewal_overdue(
            cert.days_left,
            round(cert.lifetime_days),
            window_start=minute(seen.window_start),
            window_end=minute(seen.due),
        )
        return answer.end, [overdue]
    return answer.end, []


def _chain_finding(seen: ChainObservation) -> Finding:
    if isinstance(seen, ChainIncomplete):
        return chain.cert_chain_incomplete(seen.missing_issuer, seen.last_sent)
    if isinstance(seen, ChainOutOfOrder):
        return chain.cert_chain_order(list(seen.sent), list(seen.expected))
    if isinstance(seen, IntermediateExpired):
        return chain.cert_chain_expired_intermediate(
            seen.subject, minute(seen.not_after), still_verifies=seen.still_verifies
        )
    return chain.cert_chain_cross_sign_expiring(seen.subject, seen.issuer, minute(seen.not_after))


def _leaf(tls: TlsResult) -> x509.Certificate | None:
    """The leaf, fully readable; None for one `cryptography` refuses (a v2 certificate, a SAN
    with a byte outside ASCII: `checks.der`), judged from the facts `checks.tls` read instead."""
    if not tls.chain:
        return None
    try:
        leaf = x509.load_der_x509_certificate(tls.chain[0])
        _ = leaf.extensions  # parsed lazily: a malformed extension raises here, not later
    except (ValueError, x509.InvalidVersion):
        return None
    return leaf


def _lets_encrypt(leaf: x509.Certificate) -> bool:
    return any(a.value == LETS_ENCRYPT for a in leaf.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
