"""A small ACME (RFC 8555) client: just enough to ask a CA to validate a name.

It signs requests with an ES256 account key (JWS, the only cryptography here,
done with `cryptography`), keeps the server's anti-replay nonces, retries a
`badNonce` refusal with the fresh nonce the refusal carries, and reads with
POST-as-GET. It never finalises an order: certcheck asks the CA to look at a
site, it does not want a certificate. Why a client of our own rather than
certbot's `acme` package is written down in docs/acme.md.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ERROR_PREFIX = "urn:ietf:params:acme:error:"
JOSE_JSON = "application/jose+json"
BAD_NONCE_RETRIES = 3
USER_AGENT = "certcheck-ca-probe/0.1 (ACME HTTP-01 reachability probe)"


@dataclass(frozen=True)
class Problem:
    """An RFC 7807 problem document from the CA, `type` without the ACME prefix."""

    type: str  # "unauthorized", "connection", "dns", "rateLimited", ...
    detail: str = ""
    status: int | None = None  # HTTP status of the response that carried it

    @classmethod
    def from_json(cls, data: dict[str, Any], status: int | None = None) -> "Problem":
        kind = str(data.get("type") or "")
        return cls(
            type=kind[len(ERROR_PREFIX) :] if kind.startswith(ERROR_PREFIX) else kind or "about:blank",
            detail=str(data.get("detail") or ""),
            status=status if status is not None else data.get("status"),
        )

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "detail": self.detail, "status": self.status}


class AcmeError(Exception):
    """The CA refused a request (with a problem document) or could not be reached (without)."""

    def __init__(self, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class Resource:
    """A JSON object the CA returned, and where it lives."""

    url: str | None
    body: dict[str, Any] = field(default_factory=dict)
    headers: httpx.Headers = field(default_factory=httpx.Headers)


def generate_account_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_to_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def key_from_pem(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("the stored ACME account key is not an EC P-256 key")
    return key


def jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    return {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64(numbers.x.to_bytes(32, "big")),
        "y": _b64(numbers.y.to_bytes(32, "big")),
    }


def sign_jws(
    key: ec.EllipticCurvePrivateKey, protected: dict[str, Any], payload: dict[str, Any] | None
) -> dict[str, str]:
    """Flattened JWS with ES256. `payload` None is POST-as-GET (an empty payload)."""
    protected_b64 = _b64(json.dumps(protected, separators=(",", ":")).encode())
    payload_b64 = "" if payload is None else _b64(json.dumps(payload, separators=(",", ":")).encode())
    der = key.sign(f"{protected_b64}.{payload_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return {
        "protected": protected_b64,
        "payload": payload_b64,
        "signature": _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big")),
    }


class AcmeClient:
    """One account at one directory, over a caller's `httpx.AsyncClient`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        directory_url: str,
        key: ec.EllipticCurvePrivateKey,
        account_url: str | None = None,
    ) -> None:
        self.http = http
        self.directory_url = directory_url
        self.key = key
        self.account_url = account_url
        self._directory: dict[str, Any] | None = None
        self._nonce_kept: str | None = None

    async def directory(self) -> dict[str, Any]:
        if self._directory is None:
            response = await self._send("GET", self.directory_url)
            self._directory = _json(response)
        return self._directory

    async def register(self) -> str:
        """newAccount with our key: the CA returns the existing account or makes one."""
        url = (await self.directory())["newAccount"]
        resource = await self.post(url, {"termsOfServiceAgreed": True}, use_jwk=True)
        if not resource.url:
            raise AcmeError("the CA created an account but sent no Location for it")
        self.account_url = resource.url
        return resource.url

    async def new_order(self, domain: str) -> Resource:
        url = (await self.directory())["newOrder"]
        return await self.post(url, {"identifiers": [{"type": "dns", "value": domain}]})

    async def fetch(self, url: str) -> Resource:
        """POST-as-GET."""
        return await self.post(url, None)

    async def respond(self, challenge_url: str) -> Resource:
        """Tell the CA the challenge is ready (the empty object of RFC 8555 section 7.5.1)."""
        return await self.post(challenge_url, {})

    async def deactivate(self, authorization_url: str) -> Resource:
        return await self.post(authorization_url, {"status": "deactivated"})

    async def post(self, url: str, payload: dict[str, Any] | None, *, use_jwk: bool = False) -> Resource:
        """A signed POST; a `badNonce` refusal is retried with the nonce it carries."""
        for attempt in range(BAD_NONCE_RETRIES + 1):
            protected: dict[str, Any] = {"alg": "ES256", "nonce": await self._nonce(), "url": url}
            if use_jwk or self.account_url is None:
                protected["jwk"] = jwk(self.key)
            else:
                protected["kid"] = self.account_url
            body = json.dumps(sign_jws(self.key, protected, payload)).encode()
            try:
                response = await self._send("POST", url, content=body, headers={"Content-Type": JOSE_JSON})
            except AcmeError as exc:
                if exc.problem and exc.problem.type == "badNonce" and attempt < BAD_NONCE_RETRIES:
                    continue
                raise
            return Resource(
                response.headers.get("Location"), _json(response) if response.content else {}, response.headers
            )
        raise AssertionError("unreachable")

    async def _nonce(self) -> str:
        nonce, self._nonce_kept = self._nonce_kept, None
        if nonce:
            return nonce
        url = (await self.directory())["newNonce"]
        await self._send("HEAD", url)  # keeps the Replay-Nonce it carries
        nonce, self._nonce_kept = self._nonce_kept, None
        if not nonce:
            raise AcmeError("the CA's newNonce answered without a Replay-Nonce")
        return nonce

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        try:
            response = await self.http.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise AcmeError(f"cannot reach the ACME server at {url}: {exc.__class__.__name__}: {exc}") from exc
        nonce = response.headers.get("Replay-Nonce")
        if nonce:
            self._nonce_kept = nonce
        if response.status_code >= 400:
            problem = _problem(response)
            raise AcmeError(f"{method} {url}: {problem.type}: {problem.detail}", problem)
        return response


def _problem(response: httpx.Response) -> Problem:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("type"):
        return Problem.from_json(data, response.status_code)
    return Problem("about:blank", f"HTTP {response.status_code}: {response.text[:200]}", response.status_code)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise AcmeError(f"the ACME server sent something that is not JSON from {response.url}") from exc
    if not isinstance(data, dict):
        raise AcmeError(f"the ACME server sent JSON that is not an object from {response.url}")
    return data


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
