"""The database: every table, the engine, the migrations, one repository per concern."""

from __future__ import annotations

from datetime import timedelta

from ..settings import database_url
from .acme import DbAcmeState
from .alerts import Alerts
from .ca_schedule import DbAriCache, DbCtCache, ServedCertificates
from .engine import make_engine
from .items import SweepItems
from .nights import Nights
from .outbox import Outbox
from .results import Results
from .seen_requests import SeenRequests
from .status import Statuses
from .subscriptions import Subscriptions
from .teams import Teams


class Database:
    """One engine and the repositories over it: a process builds one (bot/services.py)."""

    def __init__(
        self, url: str | None = None, *, max_subscriptions: int = 50, lease: timedelta = timedelta(minutes=5)
    ) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self.subscriptions = Subscriptions(self.engine, max_subscriptions=max_subscriptions)
        self.nights = Nights(self.engine, lease=lease)
        self.items = SweepItems(self.engine, lease=lease)
        self.results = Results(self.engine, self.items)
        self.outbox = Outbox(self.engine, lease=lease)
        self.alerts = Alerts(self.engine)
        self.acme = DbAcmeState(self.engine)
        self.ari_answers = DbAriCache(self.engine)
        self.ct_answers = DbCtCache(self.engine)
        self.served = ServedCertificates(self.engine)
        self.teams = Teams(self.engine)
        self.status = Statuses(self.engine)
        self.seen_requests = SeenRequests(self.engine)

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Database"]
