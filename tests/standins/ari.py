"""A stand-in ACME server for ARI (RFC 9773): a directory and renewalInfo answers.

    with AriStandIn() as ca:
        ca.set_window(cert_id, start, end, explanation_url=None, retry_after="21600")
        settings = AriSettings(directory=ca.directory_url, issuers=(ORGANISATION,))

A certificate ID it was not told about gets 404, as Boulder answers for a
certificate it did not issue. `fail(cert_id, 503)` makes one answer a server
error; `renewal_info=False` serves a directory without the resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .server import Answer, StandInServer, json_answer

ADDRESS = "127.77.2.1"


@dataclass
class _Window:
    start: datetime
    end: datetime
    explanation_url: str | None
    retry_after: str | None


class AriStandIn(StandInServer):
    def __init__(self, address: str = ADDRESS, *, renewal_info: bool = True) -> None:
        super().__init__(address)
        self.renewal_info = renewal_info
        self._windows: dict[str, _Window] = {}
        self._failures: dict[str, int] = {}

    @property
    def directory_url(self) -> str:
        return self.url + "directory"

    def set_window(
        self,
        cert_id: str,
        start: datetime,
        end: datetime,
        *,
        explanation_url: str | None = None,
        retry_after: str | None = "21600",
    ) -> None:
        self._windows[cert_id] = _Window(start, end, explanation_url, retry_after)

    def fail(self, cert_id: str, status: int) -> None:
        self._failures[cert_id] = status

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        if path == "/directory":
            directory = {
                "newNonce": self.url + "nonce-plz",
                "newAccount": self.url + "sign-me-up",
                "newOrder": self.url + "order-plz",
                "revokeCert": self.url + "revoke-cert",
                "keyChange": self.url + "rollover-account-key",
                "meta": {"caaIdentities": ["certcheck.test"]},
            }
            if self.renewal_info:
                directory["renewalInfo"] = self.url + "renewal-info"
            return json_answer(200, directory)
        if path.startswith("/renewal-info/"):
            identifier = path.removeprefix("/renewal-info/")
            if identifier in self._failures:
                return json_answer(self._failures[identifier], {"type": "urn:ietf:params:acme:error:serverInternal"})
            window = self._windows.get(identifier)
            if window is None:
                return json_answer(404, {"type": "urn:ietf:params:acme:error:malformed", "detail": "no such cert"})
            body: dict = {"suggestedWindow": {"start": _rfc3339(window.start), "end": _rfc3339(window.end)}}
            if window.explanation_url:
                body["explanationURL"] = window.explanation_url
            headers = {"Retry-After": window.retry_after} if window.retry_after else {}
            return json_answer(200, body, **headers)
        return json_answer(404, {"type": "urn:ietf:params:acme:error:malformed"})


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
