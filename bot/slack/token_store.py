"""Slack tokens encrypted at rest: slack_sdk's SQLAlchemy installation store
behind a layer that encrypts every token before it is written and decrypts
it on the way back.

The store itself (slack_sdk/oauth/installation_store/sqlalchemy,
`SQLAlchemyInstallationStore`) writes `Installation.to_dict()` and
`Bot.to_dict()` as they are, tokens in clear. `EncryptedInstallationStore`
hands it copies whose bot, user and refresh tokens are Fernet tokens
(`cryptography.fernet`: AES-128-CBC with an HMAC-SHA256, so a changed key or
a changed row fails to decrypt rather than giving garbage). Everything else
(ids, scopes, expiry times) stays readable for queries.

CERTCHECK_TOKEN_KEY is one key, or several separated by commas: the first
encrypts, every one decrypts (`MultiFernet`), so a key can be replaced
without reinstalling every workspace.
"""

from __future__ import annotations

from logging import Logger
from typing import Optional, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, desc, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from checks import OptionError

from ..db.models import SlackBot

GENERATE_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
_BOT_TOKENS = ("bot_token", "bot_refresh_token")
_ALL_TOKENS = (*_BOT_TOKENS, "user_token", "user_refresh_token")

Entity = TypeVar("Entity", Installation, Bot)


def token_cipher(key: str) -> MultiFernet:
    """The cipher for CERTCHECK_TOKEN_KEY; a malformed key is an `OptionError` naming the fix."""
    try:
        return MultiFernet([Fernet(part.strip().encode()) for part in key.split(",") if part.strip()])
    except (ValueError, TypeError):
        raise OptionError(
            f"CERTCHECK_TOKEN_KEY is not a Fernet key (32 bytes, url-safe base64); make one with {GENERATE_KEY}"
        ) from None


class EncryptedInstallationStore(InstallationStore):
    """`InstallationStore` over slack_sdk's SQLAlchemy store, tokens encrypted."""

    def __init__(self, client_id: str, engine: Engine, cipher: MultiFernet) -> None:
        self.inner = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
        self._cipher = cipher

    @property
    def logger(self) -> Logger:
        return self.inner.logger

    def save(self, installation: Installation) -> None:
        # The inner store saves `installation.to_bot()` as well: sealed here, sealed there.
        self.inner.save(self._sealed(Installation(**installation.to_dict_for_copying()), _ALL_TOKENS))

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(self._sealed(Bot(**bot.to_dict_for_copying()), _BOT_TOKENS))

    def find_bot(
        self, *, enterprise_id: Optional[str], team_id: Optional[str], is_enterprise_install: Optional[bool] = False
    ) -> Optional[Bot]:
        bot = self.inner.find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return self._opened(bot, _BOT_TOKENS) if bot is not None else None

    def find_installation(
        self,
        *,
        enterprise_id: Optional[str],
        team_id: Optional[str],
        user_id: Optional[str] = None,
        is_enterprise_install: Optional[bool] = False,
    ) -> Optional[Installation]:
        found = self.inner.find_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install
        )
        return self._opened(found, _ALL_TOKENS) if found is not None else None

    def delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: Optional[str], team_id: Optional[str], user_id: Optional[str] = None
    ) -> None:
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def verify_key(self) -> None:
        """Decrypt the newest stored bot token: a key that cannot (changed, mistyped)
        stops the process at start-up in one line, not at the first request."""
        query = (
            select(SlackBot.bot_token)
            .where(SlackBot.bot_token.is_not(None))
            .order_by(desc(SlackBot.installed_at))
            .limit(1)
        )
        try:
            with self.inner.engine.connect() as connection:
                sealed = connection.execute(query).scalar()
        except (OperationalError, ProgrammingError):
            return  # no such table yet: nothing stored, and the schema check says what to do
        if sealed is None:
            return
        try:
            self._cipher.decrypt(str(sealed).encode())
        except InvalidToken:
            raise OptionError(
                "CERTCHECK_TOKEN_KEY does not decrypt the stored Slack tokens: set the key they were saved with "
                "(or list it after the new one, comma-separated)"
            ) from None

    def _sealed(self, entity: Entity, fields: tuple[str, ...]) -> Entity:
        for name in fields:
            value = getattr(entity, name, None)
            if value is not None:
                setattr(entity, name, self._cipher.encrypt(value.encode()).decode())
        return entity

    def _opened(self, entity: Entity, fields: tuple[str, ...]) -> Entity:
        for name in fields:
            value = getattr(entity, name, None)
            if value is not None:
                setattr(entity, name, self._cipher.decrypt(value.encode()).decode())
        return entity
