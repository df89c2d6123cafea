"""A stand-in for the CT search services: crt.sh's and Cert Spotter's JSON, on one loopback server.

    with CtStandIn() as ct:
        ct.log(name, certificate)                   # both services now know it
        settings = CtSettings(crtsh_url=ct.crtsh_url, certspotter_url=ct.certspotter_url)

crt.sh (`/crtsh/?q=NAME&output=json`) lists a precertificate and a
certificate row per issuance, as the real one does. Cert Spotter
(`/certspotter/v1/issuances?domain=NAME&expand=dns_names[&after=ID]`) answers
`page_size` issuances per page, oldest first, and an empty page at the end.
`status[source] = 429` (or 503) makes a source fail; `garbage[source] = True`
makes it answer HTML.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from .server import Answer, StandInServer, json_answer

ADDRESS = "127.77.2.2"
SOURCES = ("crtsh", "certspotter")


class CtStandIn(StandInServer):
    def __init__(self, address: str = ADDRESS, page_size: int = 2) -> None:
        super().__init__(address)
        self.page_size = page_size
        self.status: dict[str, int] = {}
        self.garbage: dict[str, bool] = {}
        self._logged: list[x509.Certificate] = []

    @property
    def crtsh_url(self) -> str:
        return self.url + "crtsh/"

    @property
    def certspotter_url(self) -> str:
        return self.url + "certspotter/"

    def log(self, certificate: x509.Certificate) -> None:
        self._logged.append(certificate)

    def answer(self, path: str, query: dict[str, list[str]]) -> Answer:
        source = "crtsh" if path == "/crtsh/" else "certspotter" if path == "/certspotter/v1/issuances" else None
        if source is None:
            return json_answer(404, {"message": "not found"})
        if source in self.status:
            return json_answer(
                self.status[source], {"code": "rate_limited", "message": "slow down"}, **{"Retry-After": "60"}
            )
        if self.garbage.get(source):
            return 200, {"Content-Type": "text/html"}, b"<html><body>Service temporarily unavailable</body></html>"
        if source == "crtsh":
            if query.get("output") != ["json"]:
                return 200, {"Content-Type": "text/html"}, b"<html>crt.sh</html>"
            name = query.get("q", [""])[0].lower()
            rows = [row for n, c in enumerate(self._logged, 1) if _covers(c, name) for row in _crtsh_rows(c, n)]
            return json_answer(200, rows)
        name = query.get("domain", [""])[0].lower()
        issuances = [
            _issuance(c, n, "dns_names" in query.get("expand", []))
            for n, c in enumerate(self._logged, 1)
            if _covers(c, name)
        ]
        after = query.get("after", [None])[0]
        if after is not None:
            issuances = [i for i in issuances if int(i["id"]) > int(after)]
        return json_answer(200, issuances[: self.page_size])


def _names(cert: x509.Certificate) -> list[str]:
    try:
        return list(
            cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
        )
    except x509.ExtensionNotFound:
        return []


def _covers(cert: x509.Certificate, name: str) -> bool:
    return name in _names(cert)


def _crtsh_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _crtsh_rows(cert: x509.Certificate, number: int) -> list[dict]:
    row = {
        "issuer_ca_id": 183267,
        "issuer_name": cert.issuer.rfc4514_string(),
        "common_name": _names(cert)[0],
        "name_value": "\n".join(_names(cert)),
        "entry_timestamp": _crtsh_time(cert.not_valid_before_utc) + ".123",
        "not_before": _crtsh_time(cert.not_valid_before_utc),
        "not_after": _crtsh_time(cert.not_valid_after_utc),
        "serial_number": format(cert.serial_number, "040x"),
        "result_count": 2,
    }
    return [{**row, "id": number * 10}, {**row, "id": number * 10 + 1}]  # the precertificate, then the certificate


def _issuance(cert: x509.Certificate, number: int, expand_names: bool) -> dict:
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    issuance = {
        "id": str(number),
        "tbs_sha256": hashlib.sha256(cert.tbs_certificate_bytes).hexdigest(),
        "cert_sha256": cert.fingerprint(hashes.SHA256()).hex(),
        "pubkey_sha256": hashlib.sha256(spki).hexdigest(),
        "not_before": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S-00:00"),
        "not_after": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S-00:00"),
        "revoked": False,
    }
    if expand_names:
        issuance["dns_names"] = _names(cert)
    return issuance
