"""Pebble, Let's Encrypt's ACME test server, on loopback for the CA probe's tests.

`Pebble(workdir, internet).start()` writes a config whose validation ports are
the test internet's http and https ports, points Pebble's resolver at the
test internet's DNS server, gives its API a certificate from a throw-away CA
(written, together with the test internet's CA, into one trust bundle for
the probe), and runs `pebble` as a child process. Nothing leaves loopback:
Pebble listens on 127.0.0.1 and validates through the test DNS, whose every
address is a 127.77.x.y.

Pebble's log (its stdout) is kept, so a test can count the requests it
served, e.g. how many orders were made.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
DEBIAN_BINARY = "/usr/bin/pebble"
NEW_ORDER_PATH = "/order-plz"  # where Pebble serves newOrder
NEW_ACCOUNT_PATH = "/sign-me-up"  # and newAccount


class PebbleMissing(RuntimeError):
    """The `pebble` binary is not installed (apt-get install pebble)."""


def find_pebble() -> str | None:
    found = shutil.which("pebble")
    if found:
        return found
    return DEBIAN_BINARY if os.access(DEBIAN_BINARY, os.X_OK) else None


class Pebble:
    """One Pebble process validating against a running `TestInternet`."""

    def __init__(self, workdir: pathlib.Path, internet) -> None:
        self.workdir = pathlib.Path(workdir)
        self.internet = internet
        self.directory_url = ""
        self.ca_bundle = ""
        self._process: subprocess.Popen[str] | None = None
        self._log: list[str] = []
        self._log_lock = threading.Lock()
        self._listening = threading.Event()
        self._reader: threading.Thread | None = None

    def start(self) -> "Pebble":
        binary = find_pebble()
        if binary is None:
            raise PebbleMissing("pebble is not installed; scripts/test installs it with apt-get")
        self.workdir.mkdir(parents=True, exist_ok=True)
        cert, key = self._write_tls()
        port, management_port = _free_port(), _free_port()
        config = {
            "pebble": {
                "listenAddress": f"127.0.0.1:{port}",
                "managementListenAddress": f"127.0.0.1:{management_port}",
                "certificate": str(cert),
                "privateKey": str(key),
                "httpPort": self.internet.http_port,
                "tlsPort": self.internet.https_port,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": False,
            }
        }
        config_path = self.workdir / "pebble-config.json"
        config_path.write_text(json.dumps(config, indent=2))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PEBBLE_VA_NOSLEEP": "1",  # validate at once, no random wait
            "PEBBLE_WFE_NONCEREJECT": "0",  # the badNonce retry has its own unit test
            "PEBBLE_AUTHZREUSE": "0",  # every order gets a fresh authorization
        }
        self.directory_url = f"https://127.0.0.1:{port}/dir"
        self._process = subprocess.Popen(
            [binary, "-config", str(config_path), "-dnsserver", self.internet.resolver],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read_log, name="pebble-log", daemon=True)
        self._reader.start()
        try:
            self._wait_until_serving(port)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop our own Pebble process (by its pid) and collect it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(timeout=STOP_TIMEOUT)

    def env(self) -> dict[str, str]:
        """What points the probe at this Pebble (on top of `internet.env()`)."""
        return {"CERTCHECK_ACME_DIRECTORY": self.directory_url, "CERTCHECK_CA_FILE": self.ca_bundle}

    def requests_to(self, path: str) -> int:
        """How many requests Pebble has served on `path` so far (from its log)."""
        needle = f" {path} "
        with self._log_lock:
            return sum(1 for line in self._log if needle in line + " " and "POST" in line)

    def log(self) -> str:
        with self._log_lock:
            return "\n".join(self._log)

    # --- inside --------------------------------------------------------------------

    def _read_log(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            line = line.rstrip("\n")
            with self._log_lock:
                self._log.append(line)
            if "Listening on:" in line:
                self._listening.set()

    def _wait_until_serving(self, port: int) -> None:
        # Pebble logs "Listening on" just before it binds, so once the line is
        # there we still confirm that the port accepts, within the deadline.
        deadline = time.monotonic() + START_TIMEOUT
        while not self._listening.wait(timeout=0.1):
            if self._process is None or self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pebble did not start:\n{self.log()}")
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
                return
            except OSError:
                if self._process is None or self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pebble does not accept connections on {port}:\n{self.log()}") from None
                threading.Event().wait(0.02)

    def _write_tls(self) -> tuple[pathlib.Path, pathlib.Path]:
        """A root CA and a leaf for 127.0.0.1 and localhost; the bundle adds the internet's CA."""
        now = dt.datetime.now(dt.timezone.utc)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "certcheck Pebble API Test Root")])
        root = (
            x509.CertificateBuilder()
            .subject_name(root_name)
            .issuer_name(root_name)
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(root_name)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        cert_path = self.workdir / "pebble-api.pem"
        key_path = self.workdir / "pebble-api.key"
        cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            leaf_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        bundle = self.workdir / "trust-bundle.pem"
        internet_ca = pathlib.Path(self.internet.ca_file).read_bytes() if self.internet.ca_file else b""
        bundle.write_bytes(internet_ca + root.public_bytes(serialization.Encoding.PEM))
        self.ca_bundle = str(bundle)
        return cert_path, key_path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
