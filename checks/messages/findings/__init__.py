"""Words for every finding code, in English and Japanese, one module per family.

`CATALOGUE` maps `code[:variant]` to language to (title, detail, remedy);
`PHRASES` holds the short pieces the templates are assembled from. Templates
are `str.format` strings over the parameters `checks.codes.SPECS` declares
for the code. A translator reviews one family in one module: `access`,
`http`, `dns` (with CAA), `certificate`, `run`, `ca` (the CA probe), `schedule` (ARI, CT, lifetimes, the chain).
"""

from __future__ import annotations

from . import access, ca, certificate, dns, http, run, schedule
from .phrases import PHRASES as _PHRASES

PHRASES: dict[str, dict[str, str]] = {**_PHRASES, **schedule.PHRASES}

CATALOGUE: dict[str, dict[str, tuple[str, str, str]]] = {
    **access.WORDS,
    **http.WORDS,
    **dns.WORDS,
    **certificate.WORDS,
    **run.WORDS,
    **ca.WORDS,
    **schedule.WORDS,
}

__all__ = ["CATALOGUE", "PHRASES"]
