"""What the CA-schedule checks (issue 11) saw, before it becomes a finding.

`checks.ari`, `checks.lifetime`, `checks.ct` and `checks.chain` return plain
frozen dataclasses, one type per situation. Each states the finding it
proposes: a code, a severity and the parameters its words will need. Turning
one into a `Finding` is then one line, and the words live in the catalogue:

    Finding(observation.code, observation.severity, observation.params())
"""

from __future__ import annotations

from typing import Any, Protocol

from .model import Severity


class Observation(Protocol):
    """A situation worth a finding: its proposed code, severity and parameters."""

    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> Severity: ...

    def params(self) -> dict[str, Any]: ...
