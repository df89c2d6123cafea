"""The terminal report: what `certcheck check` prints without `--json`."""

from __future__ import annotations

import textwrap

from checks import Report

from ..words import say

_MARK = {"critical": "✗", "warning": "!", "info": "·"}


def render_text(report: Report, lang: str = "en") -> str:
    verdict = report.verdict.value
    renewable = {True: "true", False: "false", None: "none"}[report.renewable]
    lines = [
        f"{report.domain}  {verdict.upper()}  {say(f'verdict:{verdict}', lang)}",
        f"  {say(f'renewable:{renewable}', lang)}",
        "",
    ]
    cert = report.certificate
    if cert is None:
        lines.append(say("cert:none", lang))
    else:
        trust = say("cert:trusted" if cert.trusted else "cert:untrusted", lang)
        lines += [
            f"{say('cert:issuer', lang)}: {cert.issuer}",
            f"{say('cert:expires', lang)}: {cert.not_after:%Y-%m-%d %H:%M} UTC "
            f"({say('cert:days_left', lang, days=cert.days_left)}, {trust})",
            f"{say('cert:names', lang)}: {', '.join(cert.sans) or cert.subject}",
        ]
    lines.append("")
    findings = report.sorted_findings()
    if not any(x.severity for x in findings):
        lines.append(say("findings:none", lang))
    for finding in findings:
        text = finding.text(lang)
        severity = finding.severity.label
        lines.append(f"{_MARK[severity]} {say(f'severity:{severity}', lang).upper()}  {text.title}  [{finding.code}]")
        for paragraph in text.detail.splitlines():
            lines += textwrap.wrap(
                paragraph, 88, initial_indent="    ", subsequent_indent="    ",
                break_long_words=False, break_on_hyphens=False,
            ) or [""]
        if finding.severity and text.remedy:
            lines.append(f"    {say('fix', lang)}:")
            lines += ["      " + line for line in text.remedy.splitlines() if not line.startswith("```")]
        lines.append("")
    lines.append(say("checked", lang, when=report.checked_at.strftime("%Y-%m-%d %H:%M:%S UTC"), ms=report.duration_ms))
    return "\n".join(lines)
