"""Alembic, driven from code: `certcheck db upgrade`, the schema check, the tests.

The migrations live in the repository's top-level `migrations/` and are
installed as the package `bot.migrations` (pyproject maps the directory), so
an installed wheel finds them exactly as the source tree does, from any
working directory. No alembic.ini is needed at run time.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from sqlalchemy import Engine

from ..settings import database_url


def migrations_dir() -> str:
    """Where the migration scripts are, installed or in the source tree."""
    spec = importlib.util.find_spec("bot.migrations")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the certcheck installation has no migrations (bot.migrations is missing)")
    return str(next(iter(spec.submodule_search_locations)))


def alembic_config(url: str | None = None) -> Any:
    """Alembic's config for our migrations, independent of the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", migrations_dir())
    config.set_main_option("path_separator", "os")
    config.attributes["embedded"] = True
    # `%` is ConfigParser interpolation; URLs with encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply the migrations up to `revision` (`certcheck db upgrade`)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())
