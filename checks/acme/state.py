"""What the CA probe keeps between runs: the account, and the CA's recent answers.

The probe is handed an `AcmeState`, so `checks/` stays free of storage: the
CLI uses `FileAcmeState` (one directory under the XDG state home), the bot
a database-backed one. Both keep, per ACME directory URL:

- one account: the EC P-256 key (PEM) and the account URL the CA gave it,
  so every probe of an installation signs as the same account;
- the latest answer per domain, so a domain is probed at most once per
  window and a cached answer can be shown with its age.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
from dataclasses import dataclass
from typing import Mapping, Protocol

from .answers import CaAnswer


@dataclass(frozen=True)
class StoredAccount:
    key_pem: str  # PKCS#8 PEM of the EC P-256 account key: a secret
    url: str | None = None  # None until the CA has registered the key


class AcmeState(Protocol):
    """Storage for the probe. Calls are quick and synchronous."""

    def load_account(self, directory: str) -> StoredAccount | None: ...

    def save_account(self, directory: str, account: StoredAccount) -> None: ...

    def load_answer(self, directory: str, domain: str) -> CaAnswer | None: ...

    def save_answer(self, answer: CaAnswer) -> None: ...


def default_state_dir(env: Mapping[str, str] | None = None) -> pathlib.Path:
    """`CERTCHECK_STATE_DIR`, else `$XDG_STATE_HOME/certcheck`, else `~/.local/state/certcheck`."""
    env = os.environ if env is None else env
    if env.get("CERTCHECK_STATE_DIR"):
        return pathlib.Path(env["CERTCHECK_STATE_DIR"])
    base = env.get("XDG_STATE_HOME") or str(pathlib.Path.home() / ".local" / "state")
    return pathlib.Path(base) / "certcheck"


class FileAcmeState:
    """`AcmeState` in files: `acme/<directory hash>/account.json` and `.../answers/<domain>.json`.

    Files are written whole (write to a temporary file, then rename), so a
    reader never sees half an answer; the account file is readable by its
    owner only, as it holds the private key.
    """

    def __init__(self, root: pathlib.Path) -> None:
        self.root = pathlib.Path(root)

    def load_account(self, directory: str) -> StoredAccount | None:
        data = _read_json(self._dir(directory) / "account.json")
        if not data or not data.get("key_pem"):
            return None
        return StoredAccount(key_pem=data["key_pem"], url=data.get("url"))

    def save_account(self, directory: str, account: StoredAccount) -> None:
        data = {"directory": directory, "key_pem": account.key_pem, "url": account.url}
        _write_json(self._dir(directory) / "account.json", data, private=True)

    def load_answer(self, directory: str, domain: str) -> CaAnswer | None:
        data = _read_json(self._dir(directory) / "answers" / f"{domain}.json")
        if not data:
            return None
        try:
            return CaAnswer.from_json(data)
        except (KeyError, TypeError, ValueError):
            return None  # an unreadable cache entry is as good as none

    def save_answer(self, answer: CaAnswer) -> None:
        path = self._dir(answer.directory) / "answers" / f"{answer.domain}.json"
        _write_json(path, answer.to_json(), private=False)

    def _dir(self, directory: str) -> pathlib.Path:
        # One subdirectory per CA: an account URL means nothing to another CA.
        return self.root / "acme" / hashlib.sha256(directory.encode()).hexdigest()[:16]


def _read_json(path: pathlib.Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: pathlib.Path, data: dict, *, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if not private:
            os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise
