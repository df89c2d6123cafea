"""certcheck's checking library: will the next Let's Encrypt renewal work, and why not.

Pure of Slack and storage. The one entry point is `run_check`, which returns a
`Report`; `Report.to_json()` is the contract's JSON report.
"""

from .engine import run_check
from .model import Certificate, DnsFacts, Finding, Probe, Report, Severity, Verdict
from .names import InputError, normalise_domain
from .options import Options, OptionError

__all__ = [
    "Certificate",
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
]
