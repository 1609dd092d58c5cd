"""Run the shipped Alembic migrations from code: upgrade, downgrade, current revision."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from studyhub import migrations
from studyhub.dberrors import translate_driver_error
from studyhub.errors import DatabaseError
from studyhub.i18n import msg
from studyhub.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine


class Database(Protocol):
    """What the runner needs of :class:`studyhub.db.Database` (which opens the database and
    calls :func:`ensure_current`; the dependency goes from db to here, never back)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def url(self) -> str: ...


__all__ = ["current_revision", "downgrade", "ensure_current", "head_revision", "upgrade"]

VERSION_TABLE = "alembic_version"


def _config(connection: Connection | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in the shipped tree (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(_config(None)).get_current_head())


def current_revision(database: Database) -> str | None:
    """The database's schema revision, or None for a blank database."""
    import sqlalchemy as sa

    with database.engine.connect() as connection:
        if not sa.inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _lock(connection: Connection) -> None:
    """Serialise migrations between processes (SQLite: BEGIN IMMEDIATE already does)."""
    if connection.dialect.name == "postgresql":
        import sqlalchemy as sa

        connection.execute(sa.text("SELECT pg_advisory_xact_lock(7385101)"))


def _run(database: Database, command: str, revision: str) -> None:
    from alembic import command as alembic_command
    from alembic.util.exc import CommandError
    from sqlalchemy import exc

    try:
        with database.engine.begin() as connection:
            _lock(connection)
            getattr(alembic_command, command)(_config(connection), revision)
    except CommandError as err:
        text = (
            msg("cannot upgrade database {url}: {detail}", url=database.url, detail=str(err))
            if command == "upgrade"
            else msg("cannot downgrade database {url}: {detail}", url=database.url, detail=str(err))
        )
        raise DatabaseError(text) from None
    except exc.DBAPIError as err:
        translated = translate_driver_error(err, database.url)
        if translated is None:
            raise
        raise translated from None


def upgrade(database: Database, revision: str = "head") -> None:
    """Migrate the database up to ``revision`` (default: the newest)."""
    _run(database, "upgrade", revision)


def downgrade(database: Database, revision: str) -> None:
    """Migrate the database down to ``revision`` (``base`` removes every table)."""
    _run(database, "downgrade", revision)


def ensure_current(database: Database) -> None:
    """Upgrade the database if its schema is older than this studyhub's."""
    revision = current_revision(database)
    if revision == HEAD:
        return
    if revision is not None and not _known(revision):
        raise DatabaseError(
            msg(
                "database {url} has schema revision {revision}, "
                "which this version of studyhub does not know",
                url=database.url,
                revision=revision,
            ),
            hint=msg("upgrade studyhub to the version that last wrote this database"),
        )
    upgrade(database)


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory.from_config(_config(None)).get_revision(revision)
    except CommandError:
        return False
    return True
