"""The CA's schedule in the database: ARI answers by certificate ID, CT answers by name.

`DbAriCache` and `DbCtCache` implement `checks.ari.AriCache` and
`checks.ct.CtCache`, so `checks/` stays free of storage. A nightly sweep
reads through them while its checks run (a primary-key read each) and keeps
what it learns in memory until `flush()`, which the sweep calls on its one
database thread: the checks never write to the database from the event loop.
The stored forms are the answers' own `to_json()`.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Callable, Generic, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from checks.ari import AriAnswer
from checks.ct import CtAnswer

from .models import AriAnswerRow, CheckHistory, CtAnswerRow

A = TypeVar("A", AriAnswer, CtAnswer)


class _Cache(Generic[A]):
    def __init__(
        self, engine: Engine, load: Callable[[Session, str], A | None], store: Callable[[Session, A], None]
    ) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)
        self._load: Callable[[Session, str], A | None] = load
        self._store: Callable[[Session, A], None] = store
        self._pending: dict[str, A] = {}
        self._lock = threading.Lock()

    def _get(self, key: str) -> A | None:
        with self._lock:
            if key in self._pending:
                return self._pending[key]
        with self._session() as session:
            return self._load(session, key)

    def _put(self, key: str, answer: A) -> None:
        with self._lock:
            self._pending[key] = answer

    def drain(self) -> list[A]:
        """What was learnt since the last drain, forgotten here (a check process
        hands it to the sweep's process, which writes it)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        return list(pending.values())

    def flush(self) -> int:
        """Write what was learnt since the last flush; how many answers."""
        pending = self.drain()
        if pending:
            with self._session() as session:
                for answer in pending:
                    self._store(session, answer)
                session.commit()
        return len(pending)


def _parsed(text: str, parse: Callable[[Any], A]) -> A | None:
    try:
        return parse(json.loads(text))
    except (KeyError, TypeError, ValueError):
        return None  # an unreadable cache entry is as good as none


def _load_ari(session: Session, cert_id: str) -> AriAnswer | None:
    row = session.get(AriAnswerRow, cert_id)
    return _parsed(row.answer_json, AriAnswer.from_json) if row else None


def _store_ari(session: Session, answer: AriAnswer) -> None:
    row = session.get(AriAnswerRow, answer.cert_id) or AriAnswerRow(cert_id=answer.cert_id)
    row.fetched_at, row.retry_after = answer.fetched_at, answer.retry_after
    row.answer_json = json.dumps(answer.to_json())
    session.add(row)


def _load_ct(session: Session, name: str) -> CtAnswer | None:
    row = session.get(CtAnswerRow, name)
    return _parsed(row.answer_json, CtAnswer.from_json) if row else None


def _store_ct(session: Session, answer: CtAnswer) -> None:
    row = session.get(CtAnswerRow, answer.name) or CtAnswerRow(name=answer.name)
    row.fetched_at = answer.fetched_at
    row.answer_json = json.dumps(answer.to_json())
    session.add(row)


class DbAriCache(_Cache[AriAnswer]):
    """`AriCache`: the CA's last answer per certificate ID, kept until its Retry-After and beyond
    (the last window of a replaced certificate is what `ari_not_followed` is judged by)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, _load_ari, _store_ari)

    def get(self, cert_id: str) -> AriAnswer | None:
        return self._get(cert_id)

    def put(self, answer: AriAnswer) -> None:
        self._put(answer.cert_id, answer)


class DbCtCache(_Cache[CtAnswer]):
    """`CtCache`: the certificates logged for a name, as last fetched."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, _load_ct, _store_ct)

    def get(self, name: str) -> CtAnswer | None:
        return self._get(name)

    def put(self, answer: CtAnswer) -> None:
        self._put(answer.name, answer)


class ServedCertificates:
    """Which certificate a domain served on its last recorded night (`check_history.cert_id`)."""

    def __init__(self, engine: Engine) -> None:
        self._session = sessionmaker(engine, expire_on_commit=False)

    def last(self, domain: str) -> str | None:
        with self._session() as session:
            return session.scalar(
                select(CheckHistory.cert_id)
                .where(CheckHistory.domain == domain, CheckHistory.cert_id.is_not(None))
                .order_by(CheckHistory.checked_at.desc())
                .limit(1)
            )
