"""Asking an ACME CA what its validators see: the client, the stored state, the reading of answers.

`client` speaks RFC 8555; `state` keeps the account key and the cached
answers (injected, so the bot can keep them in its database); `answers`
turns what the CA said into findings. `checks.ca_probe` runs the probe.
"""

from .answers import CaAnswer, answer_findings, disagreement_findings
from .client import AcmeClient, AcmeError, Problem
from .state import AcmeState, FileAcmeState, StoredAccount, default_state_dir

__all__ = [
    "AcmeClient",
    "AcmeError",
    "AcmeState",
    "CaAnswer",
    "FileAcmeState",
    "Problem",
    "StoredAccount",
    "answer_findings",
    "default_state_dir",
    "disagreement_findings",
]
