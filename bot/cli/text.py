"""The terminal report: what `certcheck check` prints without `--json`.

Every line is stripped of control and format characters before it is
printed: subjects, SANs, realms, CAA values and redirect targets come from
the network, and a hostile site must not clear the screen or print a fake
"OK" over the real verdict.
"""

from __future__ import annotations

import textwrap
import unicodedata

from checks import Report

from ..words import say

_MARK = {"critical": "✗", "warning": "!", "info": "·"}
# Root-only restrictions: plain HTTP-01 passes, hosts that fetch the root fail.
_ROOT_ONLY = frozenset({"root"})


def render_text(report: Report, lang: str = "en") -> str:
    lines = [f"{report.domain}  {report.verdict.value.upper()}  {say(_verdict_key(report), lang)}"]
    lines += [f"  {say(_renewable_key(report), lang, names=', '.join(report.blocking_names()))}"]
    if len(report.names) > 1:
        lines.append(f"  {say('order:names', lang, names=', '.join(report.names))}")
    lines.append("")
    cert = report.certificate
    if cert is None:
        lines.append(say("cert:none", lang))
    else:
        trust = say("cert:trusted" if cert.trusted else "cert:untrusted", lang)
        left = (
            say("cert:days_left", lang, days=cert.days_left)
            if cert.not_after > report.checked_at
            else say("cert:expired_ago", lang, days=(report.checked_at - cert.not_after).days)
        )
        lines += [
            say("labelled", lang, label=say("cert:issuer", lang), text=cert.issuer),
            say(
                "labelled",
                lang,
                label=say("cert:expires", lang),
                text=say(
                    "cert:expires_detail", lang, when=f"{cert.not_after:%Y-%m-%d %H:%M} UTC", left=left, trust=trust
                ),
            ),
            say("labelled", lang, label=say("cert:names", lang), text=", ".join(cert.sans) or cert.subject),
        ]
    lines.append("")
    findings = report.sorted_findings()
    if not any(x.severity for x in findings):
        lines.append(say("findings:none", lang))
    for finding in findings:
        text = finding.text(lang)
        severity = finding.severity.label
        about = f"  ({finding.name})" if finding.name and len(report.names) > 1 else ""
        lines.append(
            f"{_MARK[severity]} {say(f'severity:{severity}', lang).upper()}  {text.title}  [{finding.code}]{about}"
        )
        for paragraph in text.detail.splitlines():
            lines += textwrap.wrap(
                paragraph,
                88,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            ) or [""]
        if finding.severity and text.remedy:
            lines.append(f"    {say('fix', lang)}:")
            lines += ["      " + line for line in text.remedy.splitlines() if not line.startswith("```")]
        lines.append("")
    lines.append(say("checked", lang, when=report.checked_at.strftime("%Y-%m-%d %H:%M:%S UTC"), ms=report.duration_ms))
    return "\n".join(printable(line) for line in "\n".join(lines).split("\n"))


def printable(text: str) -> str:
    """`text` without control or format characters (escape sequences, bidi overrides)."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def _verdict_key(report: Report) -> str:
    verdict = report.verdict.value
    cert = report.certificate
    if verdict == "critical" and cert is not None and cert.not_after <= report.checked_at:
        return "verdict:critical_expired" if report.renewable is not False else "verdict:critical_expired_blocked"
    if verdict == "critical" and report.renewable is not False:
        return "verdict:critical_certificate"
    return f"verdict:{verdict}"


def _renewable_key(report: Report) -> str:
    if report.renewable is False:
        return "renewable:false_names" if report.blocking_names() else "renewable:false"
    if report.renewable is None:
        return "renewable:none"
    if any(f.is_problem and f.params.get("variant") in _ROOT_ONLY for f in report.findings):
        return "renewable:root_only"
    return "renewable:true"
