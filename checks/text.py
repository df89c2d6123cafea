"""The terminal report: what `certcheck check` prints without `--json`."""

from __future__ import annotations

import textwrap

from .messages import ui
from .model import Report

_MARK = {"critical": "✗", "warning": "!", "info": "·"}


def render_text(report: Report, lang: str = "en") -> str:
    verdict = report.verdict.value
    renewable = {True: "true", False: "false", None: "none"}[report.renewable]
    lines = [
        f"{report.domain}  {verdict.upper()}  {ui(f'verdict:{verdict}', lang)}",
        f"  {ui(f'renewable:{renewable}', lang)}",
        "",
    ]
    cert = report.certificate
    if cert is None:
        lines.append(ui("cert:none", lang))
    else:
        trust = ui("cert:trusted" if cert.trusted else "cert:untrusted", lang)
        lines += [
            ui("labelled", lang, label=ui("cert:issuer", lang), text=cert.issuer),
            ui("labelled", lang, label=ui("cert:expires", lang), text=ui(
                "cert:expires_detail", lang, when=f"{cert.not_after:%Y-%m-%d %H:%M} UTC",
                left=ui("cert:days_left", lang, days=cert.days_left), trust=trust)),
            ui("labelled", lang, label=ui("cert:names", lang), text=", ".join(cert.sans) or cert.subject),
        ]
    lines.append("")
    findings = report.sorted_findings()
    if not any(x.severity for x in findings):
        lines.append(ui("findings:none", lang))
    for finding in findings:
        text = finding.text(lang)
        severity = finding.severity.label
        lines.append(f"{_MARK[severity]} {ui(f'severity:{severity}', lang).upper()}  {text.title}  [{finding.code}]")
        for paragraph in text.detail.splitlines():
            lines += textwrap.wrap(
                paragraph, 88, initial_indent="    ", subsequent_indent="    ",
                break_long_words=False, break_on_hyphens=False,
            ) or [""]
        if finding.severity and text.remedy:
            lines.append(f"    {ui('fix', lang)}:")
            lines += ["      " + line for line in text.remedy.splitlines() if not line.startswith("```")]
        lines.append("")
    lines.append(ui("checked", lang, when=report.checked_at.strftime("%Y-%m-%d %H:%M:%S UTC"), ms=report.duration_ms))
    return "\n".join(lines)
