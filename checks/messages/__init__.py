"""The one message catalogue: every sentence a person reads, in English and Japanese.

Check code builds findings from a code and parameters; this package turns
them into words. `findings` holds the finding texts, `input` the one-line
refusals of input that is not a host name; the words of the surfaces (the
terminal report, Slack) belong to the bot (`bot/words.py`). A code may have variants (`access_restricted:root`),
picked by the `variant` parameter. A missing or misspelt parameter raises
`MissingParameter` (a None value renders as empty): every constructor in
`checks.findings` supplies what `checks.codes.SPECS` says its words need,
and `tests/test_messages.py` renders every entry with exactly that.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Mapping

from .findings import CATALOGUE, PHRASES
from .input import INPUT

LANGS = ("en", "ja")


@dataclass(frozen=True)
class Text:
    title: str
    detail: str
    remedy: str


class MissingParameter(KeyError):
    """A template names a parameter the finding (or the caller) did not supply."""


class _Strict(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if not isinstance(key, str):
            return args[key]
        if key not in kwargs:
            raise MissingParameter(f"the template needs {{{key}}}; given: {', '.join(sorted(kwargs)) or 'nothing'}")
        value = kwargs[key]
        return "" if value is None else value


_FORMAT = _Strict()


def fill(template: str, **params: Any) -> str:
    """`str.format` that renders None as an empty string and raises `MissingParameter` for a missing one."""
    return _FORMAT.format(template, **params)


def phrase(key: str, lang: str, **params: Any) -> str:
    entry = PHRASES.get(key)
    if entry is None:
        return ""
    return fill(entry.get(lang, entry["en"]), **params)


def codes() -> set[str]:
    """Every finding code the catalogue has words for (variants folded)."""
    return {key.split(":", 1)[0] for key in CATALOGUE}


def render(code: str, lang: str, params: dict[str, Any]) -> Text:
    """Words for a finding, in `lang` (falling back to English)."""
    variant = params.get("variant")
    entry = CATALOGUE.get(f"{code}:{variant}") or CATALOGUE.get(code)
    if entry is None:
        return Text(code, "", "")
    title, detail, remedy = entry.get(lang) or entry["en"]
    values = {**params, **_derived(params, lang)}
    detail = fill(detail, **values)
    if params.get("ca_says"):
        # What the CA will answer, in Boulder's English, beside our explanation.
        detail += phrase("ca_says", lang, ca_says=params["ca_says"])
    return Text(fill(title, **values), detail, fill(remedy, **values))


def _derived(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Phrases computed from raw parameters, so check code never holds words."""
    out: dict[str, Any] = {}
    if "reason" in params:
        out["reason_text"] = phrase(f"reason:{params['reason']}", lang) or str(params["reason"])
    if "redirect_reason" in params:
        out["reason_text"] = phrase(f"redirect:{params['redirect_reason']}", lang)
    if "problem" in params:
        out["problem_text"] = phrase(f"problem:{params['problem']}", lang) or str(params["problem"])
    if "signal" in params:
        out["host_text"] = phrase(f"host:{params['signal']}", lang, host=params.get("host"), ptr=params.get("ptr"))
        out["host_short"] = params.get("host") or phrase("host:yours", lang)
    if "refusal" in params:
        given = params.get("refusal_params")
        out["refusal_text"] = refusal(f"input:{params['refusal']}", lang, **(given if isinstance(given, dict) else {}))
    if "caa_reason" in params:
        # The renewal's method (`caa_findings(method=)`); reports made before it was recorded were HTTP-01.
        method = params.get("method") or "http-01"
        out["reason_text"] = phrase(f"caa:{params['caa_reason']}", lang, method=method)
    if "kind" in params:
        out["kind"] = phrase(f"kind:{params['kind']}", lang) or params["kind"]
    out["via_note"] = phrase("via:redirect", lang) if params.get("via") == "redirect" else ""
    if "scheme" in params:
        scheme, realm = params.get("scheme"), params.get("realm")
        if scheme:
            named = phrase(f"auth:{str(scheme).lower()}", lang) or phrase("auth:scheme", lang, scheme=scheme)
            out["auth"] = phrase("auth:realm", lang, auth=named, realm=realm) if realm else named
        else:
            out["auth"] = phrase("auth:none", lang)
    if "trap" in params:
        out["trap_text"] = phrase(f"trap:{params['trap']}", lang, **params)
        out["trap_remedy"] = phrase(f"trapfix:{params['trap']}", lang)
    out["firewall_note"] = phrase("firewall_note", lang, firewall=params["firewall"]) if params.get("firewall") else ""
    if "owner" in params:
        out["owner_fqdn"] = str(params["owner"]).rstrip(".") + "."
    if "ns" in params and isinstance(params["ns"], (list, tuple)):
        out["ns_first"] = params["ns"][0] if params["ns"] else ""
        out["ns"] = ", ".join(params["ns"])
    for key in ("records", "sans", "skipped", "accounts"):
        if isinstance(params.get(key), (list, tuple)):
            out[key] = ", ".join(params[key])
    if isinstance(params.get("parts"), (list, tuple)):
        out["parts"] = ", ".join(params["parts"])
    out.update(_schedule_derived(params, lang))
    return out


def _schedule_derived(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The CA schedule's pieces: the CA's explanation link, chains as "a → b" (subjects hold commas)."""
    out: dict[str, Any] = {}
    if "explanation_url" in params:
        url = params["explanation_url"]
        out["explanation_note"] = phrase("ari:explanation", lang, url=url) if url else ""
    for key in ("sent", "expected"):
        if isinstance(params.get(key), (list, tuple)):
            out[key] = " → ".join(params[key])
    return out


def refusal(key: str, lang: str, **params: Any) -> str:
    """Why an input cannot be checked (`input:<reason>`), in `lang`."""
    return lookup(INPUT, key, lang, **params)


def lookup(table: Mapping[str, Mapping[str, str]], key: str, lang: str, **params: Any) -> str:
    """A template of `table` in `lang` (falling back to English), strictly filled; the key if unknown."""
    entry = table.get(key)
    if entry is None:
        return key
    return fill(entry.get(lang) or entry["en"], **params)
