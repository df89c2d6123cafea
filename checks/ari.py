"""ACME Renewal Information (RFC 9773): when the CA itself expects a renewal.

The CA publishes, per certificate, a suggested renewal window. Let's Encrypt
(Boulder, `core.RenewalInfoSimple`) puts it around two thirds of the
lifetime (half under 10 days), 1 % of the validity wide on either side, and
moves it into the past when it wants a certificate replaced early (an
incident, a revocation coming). So a window that has passed while the same
certificate is still served means the renewal is overdue in the CA's own
eyes, and a window earlier than that formula means the CA asks for a
replacement.

Politeness (RFC 9773 §4.3): the directory is read once per `AriClient`; a
certificate is asked about only if its issuer is this CA's, and never after
it expired; an answer is kept until its Retry-After (1 minute to 1 day, as
§4.3.2 suggests), 6 hours when it has none or the CA does not know the
certificate (§4.3.3); every request spends one unit of a per-night budget.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Protocol

import httpx
from cryptography import x509
from cryptography.x509.oid import NameOID

from .clock import iso
from .options import Options
from .webapi import RequestBudget, api_url, env_off

LETS_ENCRYPT_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory"
LETS_ENCRYPT_ISSUERS = ("Let's Encrypt",)  # the O= of R1x, E5-E9, YR/YE intermediates
MIN_RETRY_AFTER = timedelta(minutes=1)
MAX_RETRY_AFTER = timedelta(days=1)
DEFAULT_RETRY_AFTER = timedelta(hours=6)
# A window that opens this share of the lifetime before the formula's was moved by the CA.
EARLY_SHARE = 0.10


@dataclass(frozen=True)
class AriSettings:
    enabled: bool = True
    directory: str = LETS_ENCRYPT_DIRECTORY
    # Issuer organisations this CA issues under: only their certificates are asked about.
    issuers: tuple[str, ...] = LETS_ENCRYPT_ISSUERS
    timeout: float = 10.0

    @classmethod
    def from_env(cls, options: Options, env: Mapping[str, str] | None = None) -> "AriSettings":
        """`CERTCHECK_ARI=0` off; `CERTCHECK_ARI_DIRECTORY`; `CERTCHECK_ARI_ISSUERS` (comma-separated O= values)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {"enabled": not env_off(env.get("CERTCHECK_ARI"))}
        if env.get("CERTCHECK_ARI_DIRECTORY"):
            values["directory"] = api_url(env["CERTCHECK_ARI_DIRECTORY"], "CERTCHECK_ARI_DIRECTORY", options)
        if env.get("CERTCHECK_ARI_ISSUERS"):
            values["issuers"] = tuple(p.strip() for p in env["CERTCHECK_ARI_ISSUERS"].split(",") if p.strip())
        return cls(**values)


def serial_bytes(serial: int) -> bytes:
    """The DER INTEGER content of a serial: minimal two's complement.

    A positive serial whose top bit is set gets a leading zero byte (RFC 9773
    §4.1's example: 0x87654321 is `00 87 65 43 21`).
    """
    length = ((serial if serial >= 0 else ~serial).bit_length() + 8) // 8
    return serial.to_bytes(length, "big", signed=True)


def cert_id(cert: x509.Certificate) -> str | None:
    """RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial), unpadded; None without an AKI."""
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except x509.ExtensionNotFound:
        return None
    if not aki:
        return None
    return f"{_b64(aki)}.{_b64(serial_bytes(cert.serial_number))}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class AriAnswer:
    """What the CA said about one certificate, as cached."""

    cert_id: str
    fetched_at: datetime
    retry_after: datetime  # not asked again before this
    start: datetime | None = None  # None: the CA does not know this certificate (404)
    end: datetime | None = None
    explanation_url: str | None = None

    @property
    def known(self) -> bool:
        return self.start is not None and self.end is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "cert_id": self.cert_id,
            "fetched_at": iso(self.fetched_at),
            "retry_after": iso(self.retry_after),
            "start": iso(self.start) if self.start else None,
            "end": iso(self.end) if self.end else None,
            "explanation_url": self.explanation_url,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "AriAnswer":
        def when(key: str) -> datetime | None:
            return _rfc3339(data[key]) if data.get(key) else None

        fetched, retry = when("fetched_at"), when("retry_after")
        if fetched is None or retry is None:
            raise ValueError("an ARI answer needs fetched_at and retry_after")
        return cls(str(data["cert_id"]), fetched, retry, when("start"), when("end"), data.get("explanation_url"))


class AriCache(Protocol):
    """Answers by certificate ID (the bot will keep them in its database)."""

    def get(self, cert_id: str) -> AriAnswer | None: ...

    def put(self, answer: AriAnswer) -> None: ...


class MemoryAriCache:
    def __init__(self) -> None:
        self._answers: dict[str, AriAnswer] = {}

    def get(self, cert_id: str) -> AriAnswer | None:
        return self._answers.get(cert_id)

    def put(self, answer: AriAnswer) -> None:
        self._answers[answer.cert_id] = answer


@dataclass(frozen=True)
class AriLookup:
    answer: AriAnswer | None  # possibly a stale cached one when the CA could not be asked
    cached: bool = False
    # Why the CA was not asked (or its answer not used): off, expired, other_ca, no_aki,
    # no_renewal_info, budget, unavailable.
    skipped: str | None = None
    error: str | None = None


class AriClient:
    """Asks one CA's renewalInfo, over a caller's `httpx.AsyncClient` (see `transport.api_client`)."""

    def __init__(self, http: httpx.AsyncClient, settings: AriSettings, cache: AriCache, budget: RequestBudget) -> None:
        self._http, self.settings, self._cache, self._budget = http, settings, cache, budget
        self._directory_read = False
        self._renewal_info: str | None = None
        self._directory_error: str | None = None
        self._lock = asyncio.Lock()

    def issued_here(self, cert: x509.Certificate) -> bool:
        """Whether `cert` comes from this CA: do not ask Let's Encrypt about a DigiCert certificate."""
        organisations = {a.value for a in cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)}
        wanted = {name.casefold() for name in self.settings.issuers}
        return any(str(o).casefold() in wanted for o in organisations)

    async def lookup(self, cert: x509.Certificate, now: datetime) -> AriLookup:
        if not self.settings.enabled:
            return AriLookup(None, skipped="off")
        if now >= cert.not_valid_after_utc:
            return AriLookup(None, skipped="expired")  # RFC 9773 §4.3: stop after expiry
        if not self.issued_here(cert):
            return AriLookup(None, skipped="other_ca")
        identifier = cert_id(cert)
        if identifier is None:
            return AriLookup(None, skipped="no_aki")
        cached = self._cache.get(identifier)
        if cached is not None and now < cached.retry_after:
            return AriLookup(cached, cached=True)
        base = await self._renewal_info_url()
        if base is None:
            skipped = "unavailable" if self._directory_error else "no_renewal_info"
            return AriLookup(cached, cached=cached is not None, skipped=skipped, error=self._directory_error)
        if not self._budget.take():
            return AriLookup(cached, cached=cached is not None, skipped="budget")
        answer, error = await self._ask(f"{base.rstrip('/')}/{identifier}", identifier, now)
        if answer is None:
            return AriLookup(cached, cached=cached is not None, skipped="unavailable", error=error)
        self._cache.put(answer)
        return AriLookup(answer)

    async def _renewal_info_url(self) -> str | None:
        async with self._lock:  # concurrent checks of one sweep read the directory once
            if not self._directory_read:
                try:
                    response = await self._http.get(self.settings.directory)
                    response.raise_for_status()
                    url = response.json().get("renewalInfo")
                    self._renewal_info = (
                        url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
                    )
                except (httpx.HTTPError, ValueError, AttributeError) as exc:
                    self._directory_error = f"directory: {type(exc).__name__}"
                # Only once read (or failed): a check cancelled at its deadline leaves it to the next.
                self._directory_read = True
            return self._renewal_info

    async def _ask(self, url: str, identifier: str, now: datetime) -> tuple[AriAnswer | None, str | None]:
        try:
            response = await self._http.get(url)
        except httpx.HTTPError as exc:
            return None, type(exc).__name__
        retry = _retry_after(response.headers.get("Retry-After"), now)
        if response.status_code == 404:  # not this CA's certificate after all: ask again in a while
            return AriAnswer(identifier, now, now + (retry or DEFAULT_RETRY_AFTER)), None
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        try:
            data = response.json()
            window = data["suggestedWindow"]
            start, end = _rfc3339(window["start"]), _rfc3339(window["end"])
            explanation = data.get("explanationURL")
        except (ValueError, KeyError, TypeError, AttributeError):
            return None, "invalid renewalInfo"
        if end <= start:  # §4.2: treat as no answer at all
            return None, "invalid renewalInfo window"
        link = explanation if isinstance(explanation, str) and explanation.startswith(("https://", "http://")) else None
        return AriAnswer(identifier, now, now + (retry or DEFAULT_RETRY_AFTER), start, end, link), None


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date, held between a minute and a day (§4.3.2)."""
    if not value:
        return None
    value = value.strip()
    try:
        wait = timedelta(seconds=int(value)) if value.isdigit() else email.utils.parsedate_to_datetime(value) - now
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(wait, MIN_RETRY_AFTER), MAX_RETRY_AFTER)


def _rfc3339(text: str) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"RFC 3339 time without an offset: {text!r}")
    return moment.astimezone(timezone.utc)
