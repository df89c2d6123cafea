"""The CA probe's state in the database: one ACME account, recent answers.

Implements `checks.acme.state.AcmeState`, so the probe itself stays free of
storage. The account key is a secret: it lives only in this table.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from checks.acme.answers import CaAnswer
from checks.acme.state import StoredAccount

from .models import AcmeAccount, CaProbeAnswer


class DbAcmeState:
    """`AcmeState` over SQLAlchemy: shared by the web process and the nightly sweep."""

    def __init__(self, engine: Engine) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)

    def load_account(self, directory: str) -> StoredAccount | None:
        with self._session() as session:
            row = session.get(AcmeAccount, directory)
            return StoredAccount(row.key_pem, row.account_url) if row else None

    def save_account(self, directory: str, account: StoredAccount) -> None:
        now = datetime.now(timezone.utc)
        with self._session() as session:
            row = session.get(AcmeAccount, directory)
            if row is None:
                row = AcmeAccount(directory_url=directory, created_at=now)
            row.key_pem = account.key_pem
            row.account_url = account.url
            row.updated_at = now
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                # Another process registered its first account at the same moment:
                # the first one saved stays the installation's account.
                session.rollback()

    def load_answer(self, directory: str, domain: str) -> CaAnswer | None:
        with self._session() as session:
            row = session.get(CaProbeAnswer, (directory, domain))
            if row is None:
                return None
            try:
                return CaAnswer.from_json(json.loads(row.answer_json))
            except (KeyError, TypeError, ValueError):
                return None  # an unreadable cache entry is as good as none

    def save_answer(self, answer: CaAnswer) -> None:
        with self._session() as session:
            row = session.get(CaProbeAnswer, (answer.directory, answer.domain)) or CaProbeAnswer(
                directory_url=answer.directory, domain=answer.domain
            )
            row.probed_at = answer.probed_at
            row.answer_json = json.dumps(answer.to_json(), ensure_ascii=False)
            session.add(row)
            session.commit()
