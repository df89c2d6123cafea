"""certcheck's checking library: will the next Let's Encrypt renewal work, and why not.

Pure of Slack and storage. The one entry point is `run_check`, which returns a
`Report` (with the CA's view when given `ca=CaPhase(...)`; `with_ca_view`
adds it to a report already made); `Report.to_json()` is the contract's JSON
report. Finding codes are `Code` names, registered in `checks.codes`.
"""

from .ca_probe import CaPhase, CaProbeSettings, with_ca_view
from .codes import Code
from .engine import run_check
from .model import Certificate, DnsFacts, Finding, Probe, Report, Severity, Verdict
from .names import InputError, normalise_domain
from .options import OptionError, Options

__all__ = [
    "CaPhase",
    "CaProbeSettings",
    "Certificate",
    "Code",
    "DnsFacts",
    "Finding",
    "InputError",
    "OptionError",
    "Options",
    "Probe",
    "Report",
    "Severity",
    "Verdict",
    "normalise_domain",
    "run_check",
    "with_ca_view",
]
