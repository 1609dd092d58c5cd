"""The engine factory: every difference between SQLite and PostgreSQL lives here.

SQLite gets WAL, ``foreign_keys=ON`` and a busy timeout, and its transactions start with
``BEGIN IMMEDIATE`` (a writer waits for the lock instead of failing half-way); PostgreSQL is
reached through psycopg 3. A URL is only ever shown with its password masked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyhub.config import Settings, load_settings, mask_url
from studyhub.dberrors import clean_message, translate_driver_error
from studyhub.errors import DatabaseError
from studyhub.i18n import msg

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "create_engine", "db_now", "open_database"]

#: how long a SQLite writer waits for another writer's lock (milliseconds)
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: how long a PostgreSQL connection attempt may take (seconds)
PG_CONNECT_TIMEOUT_S = 10


def normalise_url(url: str) -> str:
    """Pick the driver studyhub ships for each dialect (psycopg 3 for PostgreSQL)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_engine(url: str, *, create_dir: bool = False) -> Engine:
    """A configured engine for ``url``; raises DatabaseError for a URL that cannot work.

    ``create_dir`` creates a missing parent directory of a SQLite file (used for the default
    database in the app dir); otherwise a missing directory is an error.
    """
    import sqlalchemy as sa
    from sqlalchemy import event, exc

    url = normalise_url(url)
    masked = mask_url(url)
    try:
        parsed = sa.engine.make_url(url)
    except exc.ArgumentError:
        raise DatabaseError(
            msg("invalid database URL {url}", url=masked),
            hint=msg("use sqlite:///path/to/file.db or postgresql://user@host/dbname"),
        ) from None
    backend = parsed.get_backend_name()
    # JSON columns (question options, answers) hold Chinese text: stored as written, not as
    # \uXXXX escapes (half the bytes to write and read)
    kwargs: dict[str, Any] = {"future": True, "json_serializer": _json_text}
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            parent = path.expanduser().resolve().parent
            if not parent.is_dir():
                if create_dir:
                    try:
                        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    except OSError as err:
                        from studyhub.values import describe

                        raise DatabaseError(
                            msg(
                                "cannot open database {url}: cannot create {folder}: {detail}",
                                url=masked,
                                folder=parent,
                                detail=describe(err),
                            )
                        ) from None
                else:
                    raise DatabaseError(
                        msg(
                            "cannot open database {url}: directory {folder} does not exist",
                            url=masked,
                            folder=parent,
                        )
                    )
    elif backend == "postgresql":
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {
            "connect_timeout": PG_CONNECT_TIMEOUT_S,
            "options": "-c timezone=UTC",
        }
        if "prepare_threshold" in parsed.query:
            threshold = _prepare_threshold(parsed.query["prepare_threshold"], masked)
            kwargs["connect_args"]["prepare_threshold"] = threshold
            url = parsed.difference_update_query(["prepare_threshold"]).render_as_string(
                hide_password=False
            )
    else:
        raise DatabaseError(
            msg("unsupported database {url}", url=masked),
            hint=msg("studyhub supports SQLite and PostgreSQL"),
        )
    try:
        engine = sa.create_engine(url, **kwargs)
    except (exc.NoSuchModuleError, ModuleNotFoundError):
        raise DatabaseError(
            msg("no driver for database {url}", url=masked),
            hint=msg("for PostgreSQL install the extra: pip install 'studyhub[postgres]'"),
        ) from None
    except exc.ArgumentError as err:
        raise DatabaseError(
            msg("invalid database URL {url}: {detail}", url=masked, detail=clean_message(err, url))
        ) from None
    if backend == "sqlite":
        _configure_sqlite(engine, event)
        path = sqlite_path(url)
        if path is not None:
            from studyhub.fileio import protect_database_file

            protect_database_file(path)

            @event.listens_for(engine, "do_connect")
            def _private_file(*_: Any) -> None:
                _create_private(path.expanduser())  # before SQLite creates it with the umask

    return engine


def _create_private(path: Path) -> None:
    """Create a new SQLite file readable by its owner only (0600), whatever the umask;
    SQLite gives its -wal, -shm and -journal files the same permissions."""
    import os

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # SQLite reports the reason when it opens the file
    os.close(fd)


def _prepare_threshold(value: str | tuple[str, ...], masked: str) -> int | None:
    """psycopg's ``prepare_threshold`` from the URL: ``none`` turns server-side prepared
    statements off (for PgBouncer before 1.21 in transaction mode)."""
    text = value[-1] if isinstance(value, tuple) else value
    if text.strip().lower() in ("none", "off", "never"):
        return None
    try:
        return int(text)
    except ValueError:
        raise DatabaseError(
            msg(
                "invalid database URL {url}: prepare_threshold must be a number or none", url=masked
            )
        ) from None


def _configure_sqlite(engine: Engine, event: Any) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling defers it
        # past DDL and SELECTs, which breaks transactional migrations and read-then-write).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A read-only unit of work may say so and then does not hold the write lock.
        mode = "BEGIN" if connection.get_execution_options().get("readonly") else "BEGIN IMMEDIATE"
        connection.exec_driver_sql(mode)


def db_now(connection: Connection | Session) -> dt.datetime:
    """The database server's current time, as an aware UTC datetime (it decides deadlines)."""
    import sqlalchemy as sa

    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    if bind.dialect.name == "sqlite":
        text = connection.execute(sa.text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar()
        value = dt.datetime.fromisoformat(str(text))
    else:
        value = connection.execute(sa.text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar()
    return value.replace(tzinfo=dt.UTC)


@dataclass
class Database:
    """An opened database: its engine and a factory for units of work."""

    engine: Engine
    settings: Settings | None = None
    _sessionmaker: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The URL with its password masked."""
        return mask_url(self.engine.url.render_as_string(hide_password=False))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def sessionmaker(self) -> sessionmaker[Session]:
        if self._sessionmaker is None:
            from sqlalchemy.orm import sessionmaker

            self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
            from studyhub.exams.counted import keep_results

            keep_results(self._sessionmaker)
            from studyhub.org.roster_version import watch_roster

            watch_roster(self._sessionmaker)
        return self._sessionmaker

    @contextlib.contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls everything back on error."""
        from sqlalchemy import exc

        maker = self.sessionmaker()
        session = maker()
        if readonly:
            session.connection(execution_options={"readonly": True})
        try:
            yield session
            session.commit()
        except exc.DBAPIError as err:
            session.rollback()
            translated = translate_driver_error(err, self.url)
            if translated is None:
                raise
            raise translated from err
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work on a plain connection, for hot paths that need no ORM session:
        commits when the block ends, rolls back on error (errors as in :meth:`session`)."""
        from sqlalchemy import exc

        try:
            with self.engine.begin() as connection:
                yield connection
        except exc.DBAPIError as err:
            translated = translate_driver_error(err, self.url)
            if translated is None:
                raise
            raise translated from err

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    url_or_settings: str | Settings | None = None, *, upgrade: bool = True
) -> Database:
    """Open (and by default migrate to the newest schema) the configured database.

    Raises DatabaseError, with a one-line reason and the password masked, when the database
    cannot be opened, reached or migrated.
    """
    from sqlalchemy import exc

    if isinstance(url_or_settings, Settings):
        settings = url_or_settings
    else:
        settings = load_settings(url_or_settings)
    engine = create_engine(settings.db_url, create_dir=settings.is_default_db)
    database = Database(engine, settings)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except exc.DBAPIError as err:
        engine.dispose()
        raise DatabaseError(
            msg(
                "cannot open database {url}: {detail}",
                url=settings.masked_db_url,
                detail=clean_message(err, settings.db_url),
            )
        ) from None
    if upgrade:
        from studyhub import migrate

        migrate.ensure_current(database)
    return database
