"""Alembic environment: runs certcheck's migrations against DATABASE_URL."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from bot.db.engine import make_engine
from bot.db.models import Base
from bot.settings import database_url

config = context.config

# Run from the `alembic` command, take logging from alembic.ini; run from
# `certcheck db upgrade` or the tests, leave the host's logging alone.
if config.config_file_name and not config.attributes.get("embedded"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or database_url()


def run_offline() -> None:
    url = _url()
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=url.startswith("sqlite")
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            # Batch mode (copy the table) only where it is needed: SQLite can
            # change little in place; PostgreSQL alters in place.
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
