"""Certificate Transparency: was a newer certificate issued that the server does not serve?

The usual "renewed but not deployed" story: certbot renewed on time, but the
web server was never reloaded (no deploy hook, a container that copies the
files at start, a load balancer with its own copy). The CA and the ACME
client are happy; visitors get the old certificate until it expires. Every
publicly trusted certificate is logged, so the new one is visible in CT
search services while the server still sends the old one.

Asked: crt.sh (`CERTCHECK_CRTSH_URL`, `?q=NAME&output=json`) first, Cert
Spotter (`CERTCHECK_CERTSPOTTER_URL`, `v1/issuances?domain=NAME&expand=dns_names`,
paged with `after=`) when crt.sh fails: crt.sh is often slow or down, and one
answer is enough. `CERTCHECK_CT=0` turns both off. A source that is down,
slow, rate-limited (429) or answers garbage gives no answer: never an alarm.
Answers are cached per name for a night.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Protocol

import httpx
from cryptography import x509

from .clock import iso
from .lifetime import ExpiryThresholds
from .model import Severity
from .options import Options
from .tls import name_matches
from .webapi import RequestBudget, api_url, env_off

CRTSH_URL = "https://crt.sh/"
CERTSPOTTER_URL = "https://api.certspotter.com/"
CACHE_FOR = timedelta(hours=20)  # one nightly sweep to the next, with room for a late one
# A certificate logged less than this long ago may be on its way to the server (deploy hooks,
# a cron that copies files): not yet a finding.
DEPLOY_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class CtSettings:
    enabled: bool = True
    crtsh_url: str = CRTSH_URL
    certspotter_url: str = CERTSPOTTER_URL
    timeout: float = 15.0
    max_pages: int = 5  # Cert Spotter pages per name; each costs a unit of the budget

    @classmethod
    def from_env(cls, options: Options, env: Mapping[str, str] | None = None) -> "CtSettings":
        env = os.environ if env is None else env
        values: dict[str, Any] = {"enabled": not env_off(env.get("CERTCHECK_CT"))}
        for key, variable in (("crtsh_url", "CERTCHECK_CRTSH_URL"), ("certspotter_url", "CERTCHECK_CERTSPOTTER_URL")):
            if env.get(variable):
                values[key] = api_url(env[variable], variable, options)
        return cls(**values)


@dataclass(frozen=True)
class LoggedCertificate:
    """One issuance as a CT search service reports it."""

    source: str  # "crt.sh" or "certspotter"
    ref: str  # crt.sh certificate id, or Cert Spotter issuance id
    names: frozenset[str]
    not_before: datetime
    not_after: datetime
    serial: int | None = None  # crt.sh gives it; Cert Spotter does not without expanding more

    def covers(self, names: Iterable[str]) -> bool:
        patterns = tuple(self.names)
        return all(name in self.names or name_matches(name, patterns) for name in names)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ref": self.ref,
            "names": sorted(self.names),
            "not_before": iso(self.not_before),
            "not_after": iso(self.not_after),
            "serial": format(self.serial, "x") if self.serial is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LoggedCertificate":
        serial = data.get("serial")
        return cls(
            str(data["source"]),
            str(data["ref"]),
            frozenset(data["names"]),
            _utc(data["not_before"]),
            _utc(data["not_after"]),
            int(serial, 16) if serial else None,
        )


class CtUnavailable(Exception):
    """The source could not give a usable answer (down, slow, 429, garbage)."""


def parse_crtsh(data: Any) -> list[LoggedCertificate]:
    """crt.sh's JSON: a list of rows with `id`, `common_name`, `name_value` (names, one a line),
    `not_before`, `not_after` (UTC without an offset) and `serial_number` (hex)."""
    if not isinstance(data, list):
        raise CtUnavailable("crt.sh answered something other than a list")
    found = []
    for row in data:
        try:
            names = {n.strip().lower() for n in str(row["name_value"]).split("\n") if n.strip()}
            if row.get("common_name"):
                names.add(str(row["common_name"]).strip().lower())
            serial = int(str(row["serial_number"]), 16) if row.get("serial_number") else None
            found.append(
                LoggedCertificate(
                    "crt.sh", str(row["id"]), frozenset(names), _utc(row["not_before"]), _utc(row["not_after"]), serial
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # one odd row does not spoil the answer
    return found


def parse_certspotter(data: Any) -> list[LoggedCertificate]:
    """Cert Spotter's issuances: `id`, `dns_names` (expanded), `not_before`, `not_after` (RFC 3339)."""
    if not isinstance(data, list):
        raise CtUnavailable("Cert Spotter answered something other than a list")
    found = []
    for issuance in data:
        try:
            names = frozenset(str(n).strip().lower() for n in issuance["dns_names"])
            found.append(
                LoggedCertificate(
                    "certspotter", str(issuance["id"]), names, _utc(issuance["not_before"]), _utc(issuance["not_after"])
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


@dataclass(frozen=True)
class CtAnswer:
    name: str
    fetched_at: datetime
    source: str
    certificates: tuple[LoggedCertificate, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fetched_at": iso(self.fetched_at),
            "source": self.source,
            "certificates": [c.to_json() for c in self.certificates],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CtAnswer":
        certificates = tuple(LoggedCertificate.from_json(c) for c in data["certificates"])
        return cls(str(data["name"]), _utc(data["fetched_at"]), str(data["source"]), certificates)


class CtCache(Protocol):
    def get(self, name: str) -> CtAnswer | None: ...

    def put(self, answer: CtAnswer) -> None: ...


class MemoryCtCache:
    def __init__(self) -> None:
        self._answers: dict[str, CtAnswer] = {}

    def get(self, name: str) -> CtAnswer | None:
        return self._answers.get(name)

    def put(self, answer: CtAnswer) -> None:
        self._answers[answer.name] = answer


async def search(
    http: httpx.AsyncClient, name: str, settings: CtSettings, cache: CtCache, budget: RequestBudget, now: datetime
) -> CtAnswer | None:
    """The certificates logged for `name`, from the cache, crt.sh or Cert Spotter; None when none could say."""
    if not settings.enabled:
        return None
    cached = cache.get(name)
    if cached is not None and now - cached.fetched_at < CACHE_FOR:
        return cached
    for source, ask in (("crt.sh", _ask_crtsh), ("certspotter", _ask_certspotter)):
        try:
            certificates = await ask(http, name, settings, budget)
        except (CtUnavailable, httpx.HTTPError):
            continue
        answer = CtAnswer(name, now, source, tuple(certificates))
        cache.put(answer)
        return answer
    return None


async def _ask_crtsh(
    http: httpx.AsyncClient, name: str, settings: CtSettings, budget: RequestBudget
) -> list[LoggedCertificate]:
    return parse_crtsh(await _get_json(http, settings.crtsh_url, {"q": name, "output": "json"}, budget, settings))


async def _ask_certspotter(
    http: httpx.AsyncClient, name: str, settings: CtSettings, budget: RequestBudget
) -> list[LoggedCertificate]:
    url = settings.certspotter_url.rstrip("/") + "/v1/issuances"
    found: list[LoggedCertificate] = []
    after: str | None = None
    # Oldest first; "repeat until an empty response is returned" (Cert Spotter APIv1).
    for _ in range(settings.max_pages):
        params = {"domain": name, "expand": "dns_names", **({"after": after} if after else {})}
        page = await _get_json(http, url, params, budget, settings)
        if isinstance(page, list) and page and isinstance(page[-1], dict) and page[-1].get("id"):
            after = str(page[-1]["id"])
        else:
            after = None
        found += parse_certspotter(page)
        if after is None:
            break
    return found


async def _get_json(
    http: httpx.AsyncClient, url: str, params: dict[str, str], budget: RequestBudget, settings: CtSettings
) -> Any:
    if not budget.take():
        raise CtUnavailable("the night's budget is spent")
    response = await http.get(url, params=params, timeout=settings.timeout)
    if response.status_code != 200:  # 429 included: the answer is absent, not retried tonight
        raise CtUnavailable(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise CtUnavailable("not JSON") from None


def _utc(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    # crt.sh writes UTC without an offset.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class CertNotDeployed:
    """Proposed `cert_not_deployed`: a newer certificate was issued on `issued_at` but this
    server still serves the old one (reload the web server). Critical once the served one
    is inside its warning point, else a warning."""

    name: str
    issued_at: datetime
    newer_not_after: datetime
    served_not_after: datetime
    source: str
    ref: str
    critical: bool

    code = "cert_not_deployed"

    @property
    def severity(self) -> Severity:
        return Severity.CRITICAL if self.critical else Severity.WARNING

    def params(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "issued_at": iso(self.issued_at),
            "newer_not_after": iso(self.newer_not_after),
            "served_not_after": iso(self.served_not_after),
            "source": self.source,
            "ref": self.ref,
        }


def undeployed(
    served: x509.Certificate,
    name: str,
    answer: CtAnswer,
    now: datetime,
    thresholds: ExpiryThresholds = ExpiryThresholds(),
    grace: timedelta = DEPLOY_GRACE,
) -> CertNotDeployed | None:
    """The newest logged certificate that should be served instead of `served`, if any.

    Newer (a later notBefore, another serial), logged more than `grace` ago,
    valid now, and covering every DNS name of the served certificate: a
    certificate for fewer names is a different order, not its renewal.
    """
    try:
        san = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        served_names = {n.lower() for n in san.get_values_for_type(x509.DNSName)} or {name}
    except x509.ExtensionNotFound:
        served_names = {name}
    served_before, served_after = served.not_valid_before_utc, served.not_valid_after_utc
    newer = [
        c
        for c in answer.certificates
        if c.not_before > served_before
        and c.serial != served.serial_number
        and c.not_before <= now - grace
        and now < c.not_after
        and c.covers(served_names)
    ]
    if not newer:
        return None
    best = max(newer, key=lambda c: c.not_before)
    critical = served_after - now <= thresholds.warning_left(served_after - served_before)
    return CertNotDeployed(name, best.not_before, best.not_after, served_after, best.source, best.ref, critical)
