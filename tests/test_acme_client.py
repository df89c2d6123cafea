"""The ACME client's signing and nonce handling, against an in-process stand-in CA.

The full protocol runs against Pebble in tests/test_acme_pebble.py; here are
the parts Pebble is told not to exercise (it runs with PEBBLE_WFE_NONCEREJECT=0):
a `badNonce` refusal is retried with the nonce it carries, and a CA that keeps
refusing is given up on.
"""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from checks.acme.client import (
    BAD_NONCE_RETRIES,
    AcmeClient,
    AcmeError,
    generate_account_key,
    jwk,
    key_from_pem,
    key_to_pem,
    sign_jws,
)

DIRECTORY = "https://ca.test/dir"


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(jws: dict[str, str], public_key: ec.EllipticCurvePublicKey) -> None:
    raw = b64decode(jws["signature"])
    assert len(raw) == 64  # ES256: r and s, 32 bytes each, not DER
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public_key.verify(signature, f"{jws['protected']}.{jws['payload']}".encode(), ec.ECDSA(hashes.SHA256()))


def test_jws_is_es256_and_verifies():
    key = generate_account_key()
    jws = sign_jws(key, {"alg": "ES256", "nonce": "n1", "url": "https://ca.test/x"}, {"a": 1})
    verify(jws, key.public_key())
    assert json.loads(b64decode(jws["payload"])) == {"a": 1}


def test_post_as_get_has_an_empty_payload():
    key = generate_account_key()
    jws = sign_jws(key, {"alg": "ES256", "nonce": "n1", "url": "https://ca.test/x"}, None)
    assert jws["payload"] == ""
    verify(jws, key.public_key())


def test_the_jwk_is_the_public_key():
    key = generate_account_key()
    numbers = key.public_key().public_numbers()
    data = jwk(key)
    assert data["kty"] == "EC" and data["crv"] == "P-256"
    assert int.from_bytes(b64decode(data["x"]), "big") == numbers.x
    assert int.from_bytes(b64decode(data["y"]), "big") == numbers.y


def test_the_key_survives_pem():
    key = generate_account_key()
    assert jwk(key_from_pem(key_to_pem(key))) == jwk(key)


def test_a_key_that_is_not_p256_is_refused():
    other = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError):
        key_from_pem(key_to_pem(other))  # type: ignore[arg-type]


class StandInCa:
    """Answers newNonce and newAccount; refuses the first `refusals` nonces with badNonce."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.counter = 0
        self.issued: set[str] = set()
        self.seen_nonces: list[str] = []

    def nonce(self) -> str:
        self.counter += 1
        value = f"nonce-{self.counter}"
        self.issued.add(value)
        return value

    def handle(self, request: httpx.Request) -> httpx.Response:
        headers = {"Replay-Nonce": self.nonce()}
        if request.url.path == "/dir":
            return httpx.Response(
                200,
                json={
                    "newNonce": "https://ca.test/nonce",
                    "newAccount": "https://ca.test/acct",
                    "newOrder": "https://ca.test/order",
                },
            )
        if request.url.path == "/nonce":
            return httpx.Response(200, headers=headers)
        protected = json.loads(b64decode(json.loads(request.content)["protected"]))
        self.seen_nonces.append(protected["nonce"])
        assert protected["nonce"] in self.issued
        self.issued.discard(protected["nonce"])
        if self.refusals > 0:
            self.refusals -= 1
            problem = {"type": "urn:ietf:params:acme:error:badNonce", "detail": "JWS has an invalid anti-replay nonce"}
            return httpx.Response(400, json=problem, headers={**headers, "Content-Type": "application/problem+json"})
        return httpx.Response(201, json={"status": "valid"}, headers={**headers, "Location": "https://ca.test/acct/1"})


def register(ca: StandInCa) -> str:
    async def run() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(ca.handle)) as http:
            return await AcmeClient(http, DIRECTORY, generate_account_key()).register()

    return asyncio.run(run())


def test_a_bad_nonce_is_retried_with_the_nonce_the_refusal_carries():
    ca = StandInCa(refusals=2)
    assert register(ca) == "https://ca.test/acct/1"
    assert len(ca.seen_nonces) == 3
    assert len(set(ca.seen_nonces)) == 3  # a fresh nonce each time


def test_a_ca_that_keeps_refusing_nonces_is_given_up_on():
    ca = StandInCa(refusals=BAD_NONCE_RETRIES + 1)
    with pytest.raises(AcmeError) as caught:
        register(ca)
    assert caught.value.problem is not None and caught.value.problem.type == "badNonce"
    assert len(ca.seen_nonces) == BAD_NONCE_RETRIES + 1


def test_an_unreachable_ca_is_an_acme_error_without_a_problem():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async def run() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
            await AcmeClient(http, DIRECTORY, generate_account_key()).register()

    with pytest.raises(AcmeError) as caught:
        asyncio.run(run())
    assert caught.value.problem is None
